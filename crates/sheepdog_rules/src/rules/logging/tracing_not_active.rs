use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function whose X-Ray tracing mode is not `Active`: `TracingConfig.Mode` (SAM:
    /// `Tracing`, also from `Globals`) is missing or `PassThrough`.
    ///
    /// ## Why it matters
    /// Practice 4 (monitoring and logging): without traces, an investigation cannot follow
    /// a request through the function to what it called — which table it wrote, which
    /// third-party endpoint it reached — nor see when its behaviour changed.
    ///
    /// ## How to fix
    /// Set `TracingConfig: {Mode: Active}` (SAM: `Tracing: Active`, for every function at
    /// once under `Globals: Function:`). SAM adds the X-Ray write permissions to the role it
    /// creates; for your own role attach `AWSXrayWriteOnlyAccess`. Terraform:
    /// `tracing_config { mode = "Active" }` on the `aws_lambda_function` (the registry module:
    /// `tracing_mode = "Active"`).
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
    /// Globals:
    ///   Function:
    ///     Tracing: Active
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    /// ```
    pub struct TracingNotActive {
        id: "LOG001",
        name: "tracing-not-active",
        severity: Low,
        practices: [4],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for TracingNotActive {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            let (span, what) = match &f.tracing {
                None => (
                    &f.resource.span,
                    "has no X-Ray tracing configured".to_owned(),
                ),
                Some(t) => match t.value.as_str() {
                    Some(mode) if !mode.eq_ignore_ascii_case("Active") => (
                        &t.span,
                        format!("has X-Ray tracing mode `{mode}`, not `Active`"),
                    ),
                    _ => continue,
                },
            };
            cx.report(
                &f.resource,
                span,
                "",
                format!("Function `{}` {what}", f.resource.id),
                "set the tracing mode to `Active` (SAM: `Tracing: Active`)",
            );
        }
    }
}
