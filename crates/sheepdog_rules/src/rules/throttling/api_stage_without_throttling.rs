use sheepdog_model::{
    MethodSetting, Model, Resource, RouteSettings, Sourced, UnknownReason, UsagePlan, Value,
};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An API Gateway stage with no throttling limit of its own.
    /// A REST API stage (`AWS::ApiGateway::Stage`, the stage an `AWS::ApiGateway::Deployment`
    /// creates with `StageName`, SAM `AWS::Serverless::Api` and the implicit API) is
    /// throttled by `ThrottlingBurstLimit`/`ThrottlingRateLimit` in its `MethodSettings`
    /// (SAM: the API's `MethodSettings`; a deployment: `StageDescription`), or by an
    /// `AWS::ApiGateway::UsagePlan` with a `Throttle` whose `ApiStages` name it (SAM:
    /// `Auth.UsagePlan` with `CreateUsagePlan` and `Throttle`). An HTTP or WebSocket API
    /// stage (`AWS::ApiGatewayV2::Stage`, SAM `AWS::Serverless::HttpApi`) is throttled by
    /// its `DefaultRouteSettings` (or `RouteSettings`). Limits or plan targets sheepdog
    /// cannot resolve count as set; a throttled method or route counts for its stage.
    ///
    /// ## Why it matters
    /// Practice 11 (rate limiting and throttling): without a per-API limit, a stage only
    /// has the account-level default of API Gateway (10,000 requests per second shared by
    /// every API of the account and Region). One client flooding it, an attack or a retry
    /// loop, drives every function behind it to scale and spend, exhausts the account's
    /// Lambda concurrency, and takes the API's share of the account limit from the other
    /// APIs. A stage limit sized for the backend turns the flood into `429` responses.
    ///
    /// ## How to fix
    /// Set stage-wide limits: in `MethodSettings`, an entry with `ResourcePath: "/*"`,
    /// `HttpMethod: "*"`, `ThrottlingRateLimit` and `ThrottlingBurstLimit` (SAM: the same
    /// under the API's `MethodSettings`); for an HTTP API, `ThrottlingRateLimit` and
    /// `ThrottlingBurstLimit` under `DefaultRouteSettings`. For per-client limits on a REST
    /// API, add a usage plan with a `Throttle` and require API keys. Terraform: an
    /// `aws_api_gateway_method_settings` with `method_path = "*/*"` and the throttling limits
    /// in `settings` (`-1`, the provider's default, is no limit), an
    /// `aws_api_gateway_usage_plan` with `throttle_settings`, or `default_route_settings` on
    /// the `aws_apigatewayv2_stage`.
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
    ///       MethodSettings:
    ///         - ResourcePath: "/*"
    ///           HttpMethod: "*"
    ///           ThrottlingRateLimit: 100
    ///           ThrottlingBurstLimit: 50
    /// ```
    pub struct ApiStageWithoutThrottling {
        id: "THR002",
        name: "api-stage-without-throttling",
        severity: Medium,
        practices: [11],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP_REST: &str = "set `ThrottlingRateLimit` and `ThrottlingBurstLimit` in `MethodSettings` (SAM: on the API or under `Globals: Api:`) for every method (`ResourcePath: /*, HttpMethod: \"*\"`), or add a usage plan with `Throttle`";

impl Rule for ApiStageWithoutThrottling {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for s in &model.rest_stages {
            if throttles(&s.method_settings)
                || covered_by_usage_plan(model, &s.api, s.name.as_ref(), &s.resource)
            {
                continue;
            }
            cx.report(
                &s.resource,
                &s.resource.span,
                "",
                format!(
                    "{} has no throttling limit of its own, only the account-wide default",
                    label(model, s.name.as_ref(), &s.api, &s.resource)
                ),
                HELP_REST,
            );
        }
        for d in &model.rest_deployments {
            // Only a deployment with `StageName` creates a stage.
            let Some(stage) = &d.stage_name else {
                continue;
            };
            if d.stage_throttling_burst_limit.is_some()
                || d.stage_throttling_rate_limit.is_some()
                || throttles(&d.stage_method_settings)
                || covered_by_usage_plan(model, &d.api, Some(stage), &d.resource)
            {
                continue;
            }
            cx.report(
                &d.resource,
                &d.resource.span,
                "",
                format!(
                    "{} (created by deployment {}) has no throttling limit of its own, only the account-wide default",
                    label(model, Some(stage), &d.api, &d.resource),
                    describe(&d.resource)
                ),
                "set `ThrottlingRateLimit` and `ThrottlingBurstLimit` for every method of the stage (in CloudFormation, in the deployment's `StageDescription`), or add a usage plan with `Throttle`",
            );
        }
        for s in &model.http_stages {
            if s.default_route_settings
                .as_ref()
                .is_some_and(route_throttles)
                || s.route_settings.iter().any(|(_, r)| route_throttles(r))
            {
                continue;
            }
            cx.report(
                &s.resource,
                &s.resource.span,
                "",
                format!(
                    "{} has no throttling limit of its own, only the account-wide default",
                    label(model, s.name.as_ref(), &s.api, &s.resource)
                ),
                "set `ThrottlingRateLimit` and `ThrottlingBurstLimit` under `DefaultRouteSettings` (SAM: on the API or under `Globals: HttpApi:`)",
            );
        }
    }
}

/// "Stage `prod` of API `Api`" when both are known, else the stage resource. An API SAM
/// created (the implicit `ServerlessRestApi`) says so.
fn label(
    model: &Model,
    name: Option<&Sourced<String>>,
    api: &Sourced<String>,
    stage: &Resource,
) -> String {
    let name = name.and_then(|n| n.value.as_str());
    let api = match api.value.resource_ref() {
        Some(id) => Some(
            model
                .rest_apis
                .iter()
                .map(|a| &a.resource)
                .chain(model.http_apis.iter().map(|a| &a.resource))
                .find(|r| r.id == id)
                .map_or_else(|| format!("`{id}`"), describe),
        ),
        None => api.value.as_str().map(|a| format!("`{a}`")),
    };
    match (name, api) {
        (Some(n), Some(a)) => format!("Stage `{n}` of API {a}"),
        _ => format!("API stage {}", describe(stage)),
    }
}

fn throttles(settings: &[MethodSetting]) -> bool {
    settings
        .iter()
        .any(|m| m.throttling_burst_limit.is_some() || m.throttling_rate_limit.is_some())
}

fn route_throttles(settings: &RouteSettings) -> bool {
    settings.throttling_burst_limit.is_some() || settings.throttling_rate_limit.is_some()
}

/// Whether a usage plan with a `Throttle` may cover the stage `stage` of API `api`.
fn covered_by_usage_plan(
    model: &Model,
    api: &Sourced<String>,
    stage: Option<&Sourced<String>>,
    stage_resource: &Resource,
) -> bool {
    model
        .usage_plans
        .iter()
        .filter(|p| has_throttle(p))
        .flat_map(|p| &p.stages)
        .any(|s| {
            same_api(&s.api.value, &api.value)
                && same_stage(s.stage.as_ref(), api, stage, stage_resource)
        })
}

fn has_throttle(plan: &UsagePlan) -> bool {
    plan.throttle_burst_limit.is_some() || plan.throttle_rate_limit.is_some()
}

/// Whether a usage plan's `ApiId` may be the stage's API. A value sheepdog cannot resolve
/// (a parameter, an import) may be any API.
fn same_api(plan_api: &Value<String>, api: &Value<String>) -> bool {
    match (plan_api, api) {
        (Value::Known(a), Value::Known(b)) => a == b,
        (Value::Unknown(u), _) if !refers_to_template(&u.reason) => true,
        (_, Value::Unknown(u)) if !refers_to_template(&u.reason) => true,
        _ => plan_api.resource_ref().is_some() && plan_api.resource_ref() == api.resource_ref(),
    }
}

/// Whether a usage plan's `Stage` may be this stage of `api`: by name, by a reference to
/// the stage resource (`Ref` of a stage is its name), or SAM's `!Ref Api.Stage`. No stage,
/// or one sheepdog cannot resolve, may be any stage.
fn same_stage(
    plan_stage: Option<&Sourced<String>>,
    api: &Sourced<String>,
    stage: Option<&Sourced<String>>,
    stage_resource: &Resource,
) -> bool {
    let Some(plan_stage) = plan_stage else {
        return true;
    };
    if let Value::Unknown(u) = &plan_stage.value
        && let UnknownReason::Resource { id, attr } = &u.reason
    {
        return id == &stage_resource.id
            || stage.and_then(|s| s.value.resource_ref()) == Some(id.as_str())
            || (attr.as_deref() == Some("Stage") && api.value.resource_ref() == Some(id.as_str()));
    }
    match (&plan_stage.value, stage.map(|s| &s.value)) {
        (Value::Known(a), Some(Value::Known(b))) => a == b,
        (Value::Known(_), _) => true,
        (Value::Unknown(u), _) => !refers_to_template(&u.reason),
    }
}

fn refers_to_template(reason: &UnknownReason) -> bool {
    matches!(
        reason,
        UnknownReason::Resource { .. } | UnknownReason::Composite { .. }
    )
}
