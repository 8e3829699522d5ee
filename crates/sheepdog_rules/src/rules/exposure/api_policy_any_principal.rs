use sheepdog_diagnostics::{Span, Value};
use sheepdog_iam::{Condition, Effect, PolicyDocument, Principal, Statement, action_matches};
use sheepdog_model::Model;

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A REST API resource policy (`AWS::ApiGateway::RestApi` `Policy`, SAM
    /// `AWS::Serverless::Api` `Auth.ResourcePolicy`) with an `Allow` statement for any
    /// principal (`Principal: "*"` or `{AWS: "*"}`) that nothing narrows: neither a condition
    /// of its own on where the call comes from or who makes it (`aws:SourceIp`,
    /// `aws:SourceVpc`, `aws:SourceVpce`, `aws:VpcSourceIp`, `aws:PrincipalOrgID`,
    /// `aws:PrincipalAccount`, `aws:PrincipalArn`...), nor a `Deny` for any principal with
    /// the negated condition (`NotIpAddress`, `StringNotEquals`...) — the pattern AWS
    /// documents and SAM generates for its IP and VPC allow-lists. Conditions that do not
    /// narrow are not counted: `...IfExists` and `Not...` operators on an `Allow`, `*`,
    /// `0.0.0.0/0`. SAM's `IpRangeBlacklist` and `SourceVpcBlacklist` generate an `Allow`
    /// for every other source, which is reported at the list. A policy with a statement
    /// sheepdog cannot read is not reported. (HTTP APIs have no resource policy.)
    ///
    /// ## Why it matters
    /// Practice 14 (regular review of resource policies): for methods authorized with
    /// `AWS_IAM`, an `Allow` for `*` lets principals of every AWS account call the API once
    /// their own account permits it; for a `PRIVATE` API it admits every VPC endpoint of
    /// every account. A resource policy is usually written to restrict an API to a network
    /// or an organization; one that allows everyone restricts nothing.
    ///
    /// ## How to fix
    /// Add the condition the policy is meant to enforce (`IpAddress: {aws:SourceIp: ...}`,
    /// `StringEquals: {aws:SourceVpce: ...}`, `StringEquals: {aws:PrincipalOrgID: ...}`), or
    /// a `Deny` for other sources, or name the principals. In SAM, prefer
    /// `Auth.ResourcePolicy.IpRangeWhitelist`, `SourceVpcWhitelist` or `AwsAccountWhitelist`.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///     Properties:
    ///       Name: orders
    ///       EndpointConfiguration: {Types: [PRIVATE]}
    ///       Policy:
    ///         Version: "2012-10-17"
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: "*"
    ///             Action: execute-api:Invoke
    ///             Resource: execute-api:/*
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///     Properties:
    ///       Name: orders
    ///       EndpointConfiguration: {Types: [PRIVATE]}
    ///       Policy:
    ///         Version: "2012-10-17"
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: "*"
    ///             Action: execute-api:Invoke
    ///             Resource: execute-api:/*
    ///             Condition:
    ///               StringEquals:
    ///                 aws:SourceVpce: vpce-0123456789abcdef0
    /// ```
    pub struct ApiPolicyAnyPrincipal {
        id: "PUB008",
        name: "api-policy-any-principal",
        severity: Medium,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// Condition keys that narrow who can call, or from where.
const NARROWING_KEYS: [&str; 8] = [
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:VpcSourceIp",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
];

const INVOKE: &str = "execute-api:Invoke";

/// Values that match everything: a condition on them narrows nothing.
fn is_open_value(v: &Value<String>) -> bool {
    v.as_str()
        .is_some_and(|s| matches!(s.trim(), "*" | "0.0.0.0/0" | "::/0"))
}

/// A condition entry on a narrowing key, with a value that restricts something, whose
/// operator is negated (`want_negated`) or plain.
fn narrows(c: &Condition, want_negated: bool) -> bool {
    let op = c.operator.to_ascii_lowercase();
    let op = op.rsplit(':').next().unwrap_or(&op);
    let negated = op.contains("not");
    if negated != want_negated || op.starts_with("null") {
        return false;
    }
    // `StringEqualsIfExists` on an `Allow` also holds when the key is absent.
    if !want_negated && op.ends_with("ifexists") {
        return false;
    }
    NARROWING_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&c.key))
        && !c.values.is_empty()
        && !c.values.iter().any(|v| is_open_value(&v.value))
}

fn conditions(st: &Statement) -> &[Condition] {
    st.condition.as_ref().map_or(&[], |c| c.value.as_slice())
}

/// The part of an API resource after the API ID: `execute-api:/prod/GET/x` and
/// `arn:aws:execute-api:region:account:api-id/prod/GET/x` both give `prod/GET/x`.
fn api_path(resource: &str) -> &str {
    if let Some(rest) = resource.strip_prefix("execute-api:/") {
        return rest;
    }
    let after_account = resource.splitn(6, ':').nth(5).unwrap_or(resource);
    after_account
        .split_once('/')
        .map_or(after_account, |(_, path)| path)
}

/// Whether `deny`'s `Resource` covers every resource of `allow` (unknown entries are taken
/// to cover, so the reading stays quiet).
fn covers_resources(deny: &Statement, allow: &Statement) -> bool {
    let Some(denied) = &deny.resource else {
        return true;
    };
    if denied.value.iter().any(|r| r.value.is_unknown()) {
        return true;
    }
    allow.resources().all(|(r, _)| {
        let path = api_path(r);
        deny.resources()
            .any(|(d, _)| d.trim() == "*" || action_matches(api_path(d), path))
    })
}

/// Whether a statement's actions include invoking the API (unknown entries count).
fn covers_invoke(st: &Statement) -> bool {
    st.action.as_ref().is_some_and(|a| {
        a.value.iter().any(|e| match &e.value {
            Value::Known(action) => action_matches(action, INVOKE),
            Value::Unknown(_) => true,
        })
    })
}

/// Whether some `Deny` for everyone with a negated narrowing condition covers `allow`.
fn narrowed_by_deny(doc: &PolicyDocument, allow: &Statement) -> bool {
    doc.statements.iter().any(|d| {
        matches!(d.effect.value, Value::Known(Effect::Deny))
            && d.principal.as_ref().is_some_and(|p| p.value.is_public())
            && covers_invoke(d)
            && covers_resources(d, allow)
            && conditions(d).iter().any(|c| narrows(c, true))
    })
}

/// The `*` of a public principal: the whole element, or its `AWS: "*"` entry.
fn public_span(p: &sheepdog_diagnostics::Located<Principal>) -> &Span {
    match &p.value {
        Principal::Typed(entries) => entries
            .iter()
            .find(|e| e.kind == "AWS" && e.value.value.as_str() == Some("*"))
            .map_or(&p.span, |e| &e.value.span),
        _ => &p.span,
    }
}

impl Rule for ApiPolicyAnyPrincipal {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for api in &model.rest_apis {
            let Some(doc) = &api.policy else { continue };
            // A statement sheepdog cannot read, or whose effect is unknown, may be the Deny
            // that narrows the rest.
            if doc.incomplete || doc.statements.iter().any(|s| s.effect.value.is_unknown()) {
                continue;
            }
            for (i, st) in doc.statements.iter().enumerate() {
                if !st.is_allow() || !covers_invoke(st) {
                    continue;
                }
                let Some(principal) = st.principal.as_ref().filter(|p| p.value.is_public()) else {
                    continue;
                };
                if conditions(st).iter().any(|c| narrows(c, false)) || narrowed_by_deny(doc, st) {
                    continue;
                }
                let key = st
                    .sid
                    .as_ref()
                    .and_then(|s| s.value.as_str())
                    .map_or_else(|| i.to_string(), str::to_owned);
                cx.report(
                    &api.resource,
                    public_span(principal),
                    key,
                    format!(
                        "Resource policy of REST API {} lets any principal (`*`) invoke it, with no condition on the caller's network, account or organization",
                        describe(&api.resource)
                    ),
                    "add a condition on `aws:SourceIp`, `aws:SourceVpce` or `aws:PrincipalOrgID` (or a `Deny` for other sources), or name the principals",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::api_path;

    #[test]
    fn api_paths_of_both_forms() {
        assert_eq!(api_path("execute-api:/*"), "*");
        assert_eq!(api_path("execute-api:/prod/GET/orders"), "prod/GET/orders");
        assert_eq!(
            api_path("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:*/prod/*"),
            "prod/*"
        );
        assert_eq!(api_path("arn:aws:execute-api:eu-west-1:1:abc/*"), "*");
    }
}
