use sheepdog_diagnostics::{Sourced, Span, UnknownReason, Value};
use sheepdog_model::{Model, Origin, Resource};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A REST API stage (`AWS::ApiGateway::Stage`, the stage an `AWS::ApiGateway::Deployment`
    /// creates with `StageName`, the stage of a SAM `AWS::Serverless::Api` or of the implicit
    /// API of `Api` events) that no `AWS::WAFv2::WebACLAssociation` protects. An association
    /// protects a stage when its `ResourceArn` names it, usually as
    /// `!Sub arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}`
    /// (the stage by name, by `!Ref` to the stage, or as SAM's `${Api.Stage}`).
    ///
    /// Not reported: stages of `PRIVATE` APIs (not reachable from the internet), and every
    /// stage as soon as one association's target cannot be resolved (a parameter without a
    /// default, `!ImportValue`, a custom resource's output): it might be any of them. HTTP
    /// APIs (`AWS::ApiGatewayV2`, SAM `HttpApi`) are not checked by default: AWS WAF cannot
    /// be associated with them directly, and sheepdog cannot see a `CloudFront` distribution
    /// in front of them; the `http-apis` option reports them too.
    ///
    /// ## Why it matters
    /// Practice 9 (WAF in front of API Gateway): a web ACL filters requests before they
    /// reach the function — SQL injection and cross-site scripting payloads, known bad
    /// inputs, requests from abusive IP addresses, floods that a rate-based rule can cap.
    /// Without one, every request API Gateway accepts invokes the function, and the function
    /// code is the only defence.
    ///
    /// ## How to fix
    /// Declare an `AWS::WAFv2::WebACL` with `Scope: REGIONAL` and the AWS managed rule groups
    /// (see WAF002), and an `AWS::WAFv2::WebACLAssociation` with
    /// `WebACLArn: !GetAtt WebAcl.Arn` and the stage's ARN as `ResourceArn`. For a SAM API,
    /// use `${Api.Stage}` (or the stage name) in that ARN; for SAM's implicit API,
    /// `${ServerlessRestApi}` and `Prod`.
    ///
    /// ## Options
    /// - `http-apis` (`--rule-option WAF001.http-apis=true`): also report every stage of an
    ///   HTTP API, which can only be protected by a web ACL on a `CloudFront` distribution in
    ///   front of it. Enable it when your policy requires WAF on every public API.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///   WebAcl:
    ///     Type: AWS::WAFv2::WebACL
    ///     Properties:
    ///       Scope: REGIONAL
    ///       DefaultAction: {Allow: {}}
    ///       VisibilityConfig:
    ///         SampledRequestsEnabled: true
    ///         CloudWatchMetricsEnabled: true
    ///         MetricName: api
    ///       Rules:
    ///         - Name: common
    ///           Priority: 0
    ///           OverrideAction: {None: {}}
    ///           Statement:
    ///             ManagedRuleGroupStatement:
    ///               VendorName: AWS
    ///               Name: AWSManagedRulesCommonRuleSet
    ///           VisibilityConfig:
    ///             SampledRequestsEnabled: true
    ///             CloudWatchMetricsEnabled: true
    ///             MetricName: common
    ///   WebAclAssociation:
    ///     Type: AWS::WAFv2::WebACLAssociation
    ///     Properties:
    ///       ResourceArn: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Api.Stage}
    ///       WebACLArn: !GetAtt WebAcl.Arn
    /// ```
    pub struct ApiStageWithoutWebAcl {
        id: "WAF001",
        name: "api-stage-without-web-acl",
        severity: Medium,
        practices: [9],
        sources: [CloudFormation, Sam, Terraform],
        options: [("http-apis", "also report HTTP API stages, which take WAF only through CloudFront")],
    }
}

/// What an association's `ResourceArn` designates, as far as REST API stages go.
#[derive(Debug, PartialEq)]
enum Target {
    /// Not a stage of this template (a load balancer, another API by its literal ID).
    Other,
    /// Cannot be resolved: it might be any stage.
    Any,
    /// A stage of API `api` (`None`: an API sheepdog cannot tell).
    Stage {
        api: Option<String>,
        stage: Selector,
    },
}

#[derive(Debug, PartialEq)]
enum Selector {
    /// Any stage of the API (SAM `${Api.Stage}`, or a name sheepdog cannot resolve).
    Any,
    /// The stage with this name.
    Name(String),
    /// The stage resource with this logical ID (`${Stage}`: `Ref` of a stage is its name).
    Resource(String),
}

/// The resource ID inside a `${...}` placeholder of a rendered expression: `${Api}`,
/// `${Api.Stage}`, `${!Ref Api}`, `${!GetAtt Api.RootResourceId}` give `Api` and the
/// attribute, if any. `None` when `part` is not a single placeholder. IDs may contain dots
/// themselves (`${module.x.api.id}`): the longest prefix that `is_id` accepts is the ID;
/// failing that, the ID ends at the first dot.
fn placeholder<'p>(
    part: &'p str,
    is_id: &dyn Fn(&str) -> bool,
) -> Option<(&'p str, Option<&'p str>)> {
    let inner = part.trim().strip_prefix("${")?.strip_suffix('}')?;
    if inner.contains(['{', '}']) {
        return None;
    }
    let inner = inner
        .strip_prefix("!Ref ")
        .or_else(|| inner.strip_prefix("!GetAtt "))
        .unwrap_or(inner)
        .trim();
    if is_id(inner) {
        return Some((inner, None));
    }
    if let Some(i) = inner
        .rmatch_indices('.')
        .map(|(i, _)| i)
        .find(|&i| is_id(&inner[..i]))
    {
        return Some((&inner[..i], Some(&inner[i + 1..])));
    }
    Some(match inner.split_once('.') {
        Some((id, attr)) => (id, Some(attr)),
        None => (inner, None),
    })
}

fn target(model: &Model, arn: &Value<String>) -> Target {
    let is_api = |id: &str| model.rest_apis.iter().any(|a| a.resource.id == id);
    let is_stage = |id: &str| model.rest_stages.iter().any(|s| s.resource.id == id);
    let u = match arn {
        // A literal ARN names an API by its ID, which no API of a template has before it is
        // deployed.
        Value::Known(_) => return Target::Other,
        Value::Unknown(u) => u,
    };
    match &u.reason {
        UnknownReason::Resource { id, attr } => {
            if is_stage(id) {
                Target::Stage {
                    api: None,
                    stage: Selector::Resource(id.clone()),
                }
            } else if is_api(id) {
                Target::Stage {
                    api: Some(id.clone()),
                    stage: Selector::Any,
                }
            } else if attr
                .as_deref()
                .is_none_or(|a| a.eq_ignore_ascii_case("Arn"))
            {
                // `!Ref LoadBalancer`, `!GetAtt GraphQlApi.Arn`: something else's ARN.
                Target::Other
            } else {
                // A custom resource's output: could be anything.
                Target::Any
            }
        }
        UnknownReason::Composite { refs } => {
            let is_id = |id: &str| refs.iter().any(|r| r == id) || is_api(id) || is_stage(id);
            // A string expression may be rendered with its quotes.
            let expr = u.expr.trim().trim_matches('"');
            let Some((_, rest)) = expr.split_once("/restapis/") else {
                // `!Sub ${LoadBalancer}`: another resource's ARN, as with `!Ref`.
                if let Some((id, attr)) = placeholder(expr, &is_id)
                    && refs.iter().any(|r| r == id)
                    && !is_api(id)
                    && !is_stage(id)
                    && attr.is_none_or(|a| a.eq_ignore_ascii_case("Arn"))
                {
                    return Target::Other;
                }
                if expr.contains(":apigateway:") || !expr.starts_with("arn:") {
                    return Target::Any;
                }
                return Target::Other;
            };
            let (api_part, stage_part) = rest.split_once("/stages/").unwrap_or((rest, ""));
            let api = match placeholder(api_part, &is_id) {
                Some((id, _)) if is_api(id) => Some(id.to_owned()),
                Some(_) => None,
                None if api_part.contains("${") => None,
                // A literal API ID: an API outside this template.
                None => return Target::Other,
            };
            let stage_part = stage_part.trim_end_matches('/');
            let stage = match placeholder(stage_part, &is_id) {
                // The stage's name (`!Ref Stage`) or an attribute of it.
                Some((id, _)) if is_stage(id) => Selector::Resource(id.to_owned()),
                Some(_) => Selector::Any,
                None if stage_part.is_empty() || stage_part.contains("${") => Selector::Any,
                None => Selector::Name(stage_part.to_owned()),
            };
            Target::Stage { api, stage }
        }
        _ => Target::Any,
    }
}

/// A stage to check: a stage resource, or the stage a deployment creates.
struct Stage<'a> {
    resource: &'a Resource,
    api: &'a Value<String>,
    name: Option<&'a Sourced<String>>,
    span: &'a Span,
    /// Created by a deployment's `StageName` rather than declared.
    by_deployment: bool,
}

fn covers(t: &Target, stage: &Stage<'_>) -> bool {
    match t {
        Target::Other => false,
        Target::Any => true,
        Target::Stage { api, stage: sel } => {
            if let Some(api) = api
                && stage.api.resource_ref() != Some(api.as_str())
            {
                return false;
            }
            match sel {
                Selector::Any => true,
                Selector::Resource(id) => stage.resource.id == *id,
                // A stage whose name sheepdog cannot resolve might be the one.
                Selector::Name(n) => stage
                    .name
                    .is_none_or(|s| s.value.as_str().is_none_or(|s| s == n)),
            }
        }
    }
}

impl Rule for ApiStageWithoutWebAcl {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        let targets: Vec<Target> = model
            .web_acl_associations
            .iter()
            .map(|a| target(model, &a.resource_arn.value))
            .collect();
        if targets.contains(&Target::Any) {
            return;
        }
        let mut stages: Vec<Stage<'_>> = model
            .rest_stages
            .iter()
            .map(|s| Stage {
                resource: &s.resource,
                api: &s.api.value,
                name: s.name.as_ref(),
                span: &s.resource.span,
                by_deployment: false,
            })
            .collect();
        // A deployment with `StageName` creates that stage, unless a stage resource is it.
        for d in &model.rest_deployments {
            let Some(name) = &d.stage_name else { continue };
            let declared = model.rest_stages.iter().any(|s| {
                s.api.value.resource_ref().is_some()
                    && s.api.value.resource_ref() == d.api.value.resource_ref()
                    && s.name.as_ref().is_some_and(|n| n.value == name.value)
            });
            if !declared {
                stages.push(Stage {
                    resource: &d.resource,
                    api: &d.api.value,
                    name: Some(name),
                    span: &name.span,
                    by_deployment: true,
                });
            }
        }
        for stage in &stages {
            let api = stage
                .api
                .resource_ref()
                .and_then(|id| model.rest_apis.iter().find(|a| a.resource.id == id));
            // Private (or possibly private) APIs are not reachable from the internet.
            if api.is_some_and(|a| {
                a.endpoint_types
                    .iter()
                    .any(|t| t.value.is("PRIVATE") || t.value.is_unknown())
            }) {
                continue;
            }
            if targets.iter().any(|t| covers(t, stage)) {
                continue;
            }
            let name = stage.name.and_then(|n| n.value.as_str());
            let api_name = match api {
                Some(a) => describe(&a.resource),
                None => stage
                    .api
                    .resource_ref()
                    .or_else(|| stage.api.as_str())
                    .map_or_else(
                        || "an API outside the template".to_owned(),
                        |a| format!("`{a}`"),
                    ),
            };
            let what = match (name, &stage.resource.origin) {
                (Some(n), _) if stage.by_deployment => {
                    format!(
                        "Stage `{n}` (created by deployment `{}`)",
                        stage.resource.id
                    )
                }
                (Some(n), Origin::Derived { .. }) => format!("Stage `{n}`"),
                (Some(n), Origin::Declared) => format!("Stage `{}` (`{n}`)", stage.resource.id),
                (None, _) => format!("Stage {}", describe(stage.resource)),
            };
            cx.report(
                stage.resource,
                stage.span,
                "",
                format!("{what} of REST API {api_name} has no WAF web ACL associated"),
                "associate a regional `AWS::WAFv2::WebACL` with the stage (`AWS::WAFv2::WebACLAssociation`)",
            );
        }
        if cx.option_enabled("http-apis") {
            http_api_stages(model, cx);
        }
    }
}

/// With the `http-apis` option: every stage of an HTTP API (not WebSocket), since none
/// can have a web ACL of its own.
fn http_api_stages(model: &Model, cx: &mut Context<'_>) {
    for stage in &model.http_stages {
        let api = stage
            .api
            .value
            .resource_ref()
            .and_then(|id| model.http_apis.iter().find(|a| a.resource.id == id));
        let Some(api) = api else { continue };
        if !api
            .protocol_type
            .as_ref()
            .is_some_and(|p| p.value.is("HTTP"))
        {
            continue;
        }
        let name = stage
            .name
            .as_ref()
            .and_then(|n| n.value.as_str())
            .unwrap_or("?");
        cx.report(
            &stage.resource,
            &stage.resource.span,
            "http-api",
            format!(
                "Stage `{name}` of HTTP API {} cannot take a WAF web ACL directly and has none in front of it",
                describe(&api.resource)
            ),
            "serve the API through a CloudFront distribution with a web ACL, or use a REST API with one",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::placeholder;

    #[test]
    fn placeholders_of_sub_and_join() {
        let none = |_: &str| false;
        assert_eq!(placeholder("${Api}", &none), Some(("Api", None)));
        assert_eq!(
            placeholder("${Api.Stage}", &none),
            Some(("Api", Some("Stage")))
        );
        assert_eq!(placeholder("${!Ref Stage}", &none), Some(("Stage", None)));
        assert_eq!(placeholder("prod", &none), None);
        assert_eq!(placeholder("${A}-${B}", &none), None);
        let api = |id: &str| id == "module.x.aws_api_gateway_rest_api.api";
        assert_eq!(
            placeholder("${module.x.aws_api_gateway_rest_api.api.id}", &api),
            Some(("module.x.aws_api_gateway_rest_api.api", Some("id")))
        );
    }
}
