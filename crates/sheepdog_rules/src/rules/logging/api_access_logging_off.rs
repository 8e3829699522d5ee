use sheepdog_model::Model;

use super::stages;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An API Gateway stage without access logging: a REST API stage
    /// (`AWS::ApiGateway::Stage`, the stage of an `AWS::Serverless::Api`, SAM's implicit
    /// `ServerlessRestApi`, the stage an `AWS::ApiGateway::Deployment` creates with
    /// `StageName` and configures with `StageDescription`) without
    /// `AccessLogSetting.DestinationArn`, or an HTTP or
    /// WebSocket API stage (`AWS::ApiGatewayV2::Stage`, the stage of an
    /// `AWS::Serverless::HttpApi`, SAM's implicit `ServerlessHttpApi`) without
    /// `AccessLogSettings.DestinationArn`. SAM settings under `Globals` count. A destination
    /// sheepdog cannot resolve (a parameter, an import, a condition it cannot decide) counts
    /// as set.
    ///
    /// ## Why it matters
    /// Practice 4 (monitoring and logging): access logs are the API's record of who called
    /// what, from where, when, and with which result. Without them, an investigation of
    /// credential stuffing, scraping or abuse of a function behind the API has nothing to
    /// start from: Lambda's own logs do not show the caller's IP address, identity or the
    /// requests API Gateway rejected before reaching the function.
    ///
    /// ## How to fix
    /// CloudFormation: set `AccessLogSetting` (REST) or `AccessLogSettings` (HTTP) on the
    /// stage, with `DestinationArn` the ARN of a log group (or a Firehose stream) and a
    /// `Format` that includes `$context.requestId`, `$context.identity.sourceIp` and
    /// `$context.status`. SAM: the same property on the `AWS::Serverless::Api` or
    /// `AWS::Serverless::HttpApi`, or once under `Globals: Api:` / `Globals: HttpApi:`,
    /// which also covers the implicit API of `Api`/`HttpApi` events. REST APIs also need the
    /// account's API Gateway CloudWatch role (`AWS::ApiGateway::Account`). Terraform: an
    /// `access_log_settings` block on the `aws_api_gateway_stage` or `aws_apigatewayv2_stage`;
    /// a stage created by a deployment's `stage_name` cannot log access, so declare an
    /// `aws_api_gateway_stage` instead.
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
    ///       AccessLogSetting:
    ///         DestinationArn: !GetAtt ApiAccessLogs.Arn
    ///         Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}'
    ///   ApiAccessLogs:
    ///     Type: AWS::Logs::LogGroup
    ///     Properties:
    ///       RetentionInDays: 90
    /// ```
    pub struct ApiAccessLoggingOff {
        id: "LOG005",
        name: "api-access-logging-off",
        severity: Medium,
        practices: [4],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for ApiAccessLoggingOff {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for stage in &model.rest_stages {
            if stage.access_log_destination.is_some() {
                continue;
            }
            cx.report(
                &stage.resource,
                &stage.resource.span,
                "",
                format!(
                    "{} has no access logging (no `AccessLogSetting.DestinationArn`)",
                    stages::rest_stage(model, stage)
                ),
                "set `AccessLogSetting` with a `DestinationArn` log group and a `Format` (SAM: on the API or under `Globals: Api:`)",
            );
        }
        // The stage a deployment creates with `StageName`, configured by `StageDescription`.
        for d in model
            .rest_deployments
            .iter()
            .filter(|d| d.stage_name.is_some())
        {
            if d.stage_access_log_destination.is_some() {
                continue;
            }
            cx.report(
                &d.resource,
                &d.resource.span,
                "",
                format!("{} has no access logging", stages::deployment_stage(d)),
                "declare the stage as an `AWS::ApiGateway::Stage` with `AccessLogSetting` (a `DestinationArn` log group and a `Format`), or in CloudFormation set `StageDescription.AccessLogSetting` on the deployment",
            );
        }
        for stage in &model.http_stages {
            if stage.access_log_destination.is_some() {
                continue;
            }
            cx.report(
                &stage.resource,
                &stage.resource.span,
                "",
                format!(
                    "{} has no access logging (no `AccessLogSettings.DestinationArn`)",
                    stages::http_stage(model, stage)
                ),
                "set `AccessLogSettings` with a `DestinationArn` log group and a `Format` (SAM: on the API or under `Globals: HttpApi:`)",
            );
        }
    }
}
