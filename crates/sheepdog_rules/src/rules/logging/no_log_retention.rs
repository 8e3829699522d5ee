use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A log group without `RetentionInDays`, and a function whose log group is not declared
    /// in the template at all (Lambda then creates `/aws/lambda/<name>` on first run, with
    /// no retention and outside your control). A function's log group is found through
    /// `LoggingConfig.LogGroup`, or by the name `/aws/lambda/<FunctionName>` (also written as
    /// `!Sub /aws/lambda/${Function}`). Terraform's `retention_in_days = 0` (the provider's
    /// default) keeps logs forever and counts as not set.
    ///
    /// ## Why it matters
    /// Practice 4 (monitoring and logging): logs kept forever accumulate whatever the
    /// function ever logged — tokens, personal data, payloads — for anyone with
    /// `logs:GetLogEvents`, and keep costing money; a log group created implicitly by Lambda
    /// also escapes the encryption and access settings you manage in the template.
    ///
    /// ## How to fix
    /// Declare the log group with the function: `AWS::Logs::LogGroup` named
    /// `!Sub /aws/lambda/${Function}` (or referenced from `LoggingConfig.LogGroup`) with the
    /// `RetentionInDays` your policy requires. Terraform: an `aws_cloudwatch_log_group` named
    /// `"/aws/lambda/${aws_lambda_function.fn.function_name}"` with `retention_in_days`
    /// (not `0`, which keeps logs forever); the registry module:
    /// `cloudwatch_logs_retention_in_days`.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///   FnLogs:
    ///     Type: AWS::Logs::LogGroup
    ///     Properties:
    ///       LogGroupName: !Sub /aws/lambda/${Fn}
    ///       RetentionInDays: 30
    /// ```
    pub struct NoLogRetention {
        id: "LOG002",
        name: "no-log-retention",
        severity: Medium,
        practices: [4],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for NoLogRetention {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for g in &model.log_groups {
            if g.retention_in_days.is_some() {
                continue;
            }
            let name = g.name.as_ref().map_or_else(
                || g.resource.id.clone(),
                |n| {
                    n.value
                        .as_str()
                        .map_or_else(|| g.resource.id.clone(), str::to_owned)
                },
            );
            cx.report(
                &g.resource,
                &g.resource.span,
                "",
                format!("Log group `{name}` keeps its logs forever (no `RetentionInDays`)"),
                "set `RetentionInDays` to the period your policy requires",
            );
        }
        for f in &model.functions {
            if model.log_group_of(f).is_some() {
                continue;
            }
            // A custom log group declared elsewhere: sheepdog cannot see its retention.
            if f.log_group.is_some() {
                continue;
            }
            cx.report(
                &f.resource,
                &f.resource.span,
                "",
                format!(
                    "Function `{}` has no declared log group, so Lambda creates one that keeps logs forever",
                    f.resource.id
                ),
                "declare an `AWS::Logs::LogGroup` named `/aws/lambda/<function name>` with `RetentionInDays`",
            );
        }
    }
}
