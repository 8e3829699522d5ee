use sheepdog_model::{ApiDomain, Model};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An API Gateway custom domain whose security policy still accepts TLS 1.0. That is
    /// `SecurityPolicy: TLS_1_0` on an `AWS::ApiGateway::DomainName`, in the
    /// `DomainNameConfigurations` of an `AWS::ApiGatewayV2::DomainName`, or in the `Domain`
    /// of an `AWS::Serverless::Api` or `AWS::Serverless::HttpApi` (also from `Globals`).
    ///
    /// A REST API domain (`AWS::ApiGateway::DomainName`, SAM `Api` `Domain`) without
    /// `SecurityPolicy` is reported too: API Gateway then applies its legacy default,
    /// `TLS_1_0`. An HTTP or WebSocket API domain (`AWS::ApiGatewayV2::DomainName`, SAM
    /// `HttpApi` `Domain`) without it is not: API Gateway enforces TLS 1.2 for HTTP and
    /// WebSocket APIs. `TLS_1_2` and the enhanced `SecurityPolicy_TLS13_*` /
    /// `SecurityPolicy_TLS12_*` policies pass; a policy sheepdog cannot resolve is not
    /// reported.
    ///
    /// ## Why it matters
    /// Practice 7 (data in transit): TLS 1.0 is deprecated (RFC 8996) and comes with weak
    /// cipher suites (CBC with SHA-1, some without forward secrecy) and known attacks on
    /// them (BEAST, Lucky Thirteen). Accepting it lets outdated or misconfigured clients send
    /// tokens and personal data over it. PCI DSS and most security baselines forbid it, and
    /// no current client needs it.
    ///
    /// ## How to fix
    /// Set `SecurityPolicy: TLS_1_2` on the domain (`DomainNameConfigurations[].SecurityPolicy`
    /// for API Gateway v2; SAM: `Domain.SecurityPolicy`), or an enhanced policy such as
    /// `SecurityPolicy_TLS13_1_2_2021_06`, which also needs `EndpointAccessMode`.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Domain:
    ///     Type: AWS::ApiGateway::DomainName
    ///     Properties:
    ///       DomainName: api.example.com
    ///       RegionalCertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555
    ///       EndpointConfiguration:
    ///         Types: [REGIONAL]
    ///       SecurityPolicy: TLS_1_0
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Domain:
    ///     Type: AWS::ApiGateway::DomainName
    ///     Properties:
    ///       DomainName: api.example.com
    ///       RegionalCertificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555
    ///       EndpointConfiguration:
    ///         Types: [REGIONAL]
    ///       SecurityPolicy: TLS_1_2
    /// ```
    pub struct WeakApiTlsPolicy {
        id: "TLS003",
        name: "weak-api-tls-policy",
        severity: Medium,
        practices: [7],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP: &str = "set `SecurityPolicy: TLS_1_2` (or an enhanced `SecurityPolicy_TLS13_*` policy)";

impl Rule for WeakApiTlsPolicy {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for d in &model.api_domains {
            match &d.security_policy {
                Some(p) if p.value.is("TLS_1_0") => cx.report(
                    &d.resource,
                    &p.span,
                    "",
                    format!(
                        "Custom domain {} accepts TLS 1.0 (`SecurityPolicy: TLS_1_0`)",
                        name(d)
                    ),
                    HELP,
                ),
                None if !d.v2 => cx.report(
                    &d.resource,
                    &d.resource.span,
                    "",
                    format!(
                        "Custom domain {} has no `SecurityPolicy`, so API Gateway applies `TLS_1_0`, which accepts TLS 1.0",
                        name(d)
                    ),
                    HELP,
                ),
                _ => continue,
            };
        }
    }
}

/// The domain name when it is known, else the resource.
fn name(d: &ApiDomain) -> String {
    d.name
        .as_ref()
        .and_then(|n| n.value.as_str())
        .map_or_else(|| describe(&d.resource), |n| format!("`{n}`"))
}
