use sheepdog_model::{Model, Value};

use super::stages;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A REST API stage whose X-Ray tracing is off: `TracingEnabled` missing or `false` on an
    /// `AWS::ApiGateway::Stage`, an `AWS::Serverless::Api` (also from `Globals: Api:`), SAM's
    /// implicit `ServerlessRestApi`, or in the `StageDescription` of an
    /// `AWS::ApiGateway::Deployment` that creates its stage with `StageName`. A value
    /// sheepdog cannot resolve is not reported.
    ///
    /// HTTP APIs (`AWS::ApiGatewayV2`, `AWS::Serverless::HttpApi`) are not checked: API
    /// Gateway does not support X-Ray tracing for them, so there is nothing to turn on.
    ///
    /// ## Why it matters
    /// Practice 4 (monitoring and logging): with tracing on the stage, a request is followed
    /// from API Gateway through the authorizer and the function to what the function
    /// called, under one trace ID. Without it, the function's traces start at Lambda, and an
    /// investigation cannot tie a suspicious call back to the API request that caused it or
    /// see where the latency of an attack went.
    ///
    /// ## How to fix
    /// Set `TracingEnabled: true` on the stage. SAM: on the `AWS::Serverless::Api`, or once
    /// under `Globals: Api:` (which also covers the implicit API of `Api` events). Turn on
    /// active tracing on the functions as well (LOG001). Terraform: `xray_tracing_enabled =
    /// true` on the `aws_api_gateway_stage` (a stage created by a deployment's `stage_name`
    /// cannot be traced: declare the stage).
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
    ///       TracingEnabled: true
    /// ```
    pub struct ApiStageWithoutXray {
        id: "LOG007",
        name: "api-stage-without-xray",
        severity: Low,
        practices: [4],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for ApiStageWithoutXray {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for stage in &model.rest_stages {
            let (span, why) = match &stage.tracing_enabled {
                None => (&stage.resource.span, "`TracingEnabled` is not set"),
                Some(t) => match t.value {
                    Value::Known(false) => (&t.span, "`TracingEnabled` is `false`"),
                    Value::Known(true) | Value::Unknown(_) => continue,
                },
            };
            cx.report(
                &stage.resource,
                span,
                "",
                format!(
                    "{} has no X-Ray tracing ({why})",
                    stages::rest_stage(model, stage)
                ),
                "set `TracingEnabled: true` on the stage (SAM: on the API or under `Globals: Api:`)",
            );
        }
        // The stage a deployment creates with `StageName`, configured by `StageDescription`.
        for d in model
            .rest_deployments
            .iter()
            .filter(|d| d.stage_name.is_some())
        {
            let (span, why) = match &d.stage_tracing_enabled {
                None => (&d.resource.span, String::new()),
                Some(t) => match t.value {
                    Value::Known(false) => (&t.span, " (`TracingEnabled` is `false`)".to_owned()),
                    Value::Known(true) | Value::Unknown(_) => continue,
                },
            };
            cx.report(
                &d.resource,
                span,
                "",
                format!(
                    "{} has no X-Ray tracing{why}",
                    stages::deployment_stage(d)
                ),
                "declare the stage as an `AWS::ApiGateway::Stage` with `TracingEnabled: true`, or in CloudFormation set `StageDescription.TracingEnabled: true` on the deployment",
            );
        }
    }
}
