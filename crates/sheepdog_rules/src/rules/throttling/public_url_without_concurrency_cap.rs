use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A public function URL (`AuthType: NONE`) on a function without reserved concurrency
    /// (`ReservedConcurrentExecutions`).
    /// The finding points at the URL's auth type and names the function. A URL on a
    /// function outside the template, an auth type or a reserved concurrency sheepdog cannot
    /// resolve, are not reported.
    ///
    /// ## Why it matters
    /// Practice 11 (rate limiting and throttling): a function URL has no throttling of its
    /// own, and with `AuthType: NONE` anyone on the internet can call it. Without reserved
    /// concurrency, a flood of requests makes the function scale up to the account's
    /// concurrency limit: every other function of the account in that Region is then
    /// throttled (a denial of service well beyond this endpoint), and the bill grows with
    /// every request (denial of wallet), as do the load and cost on whatever the function
    /// calls.
    ///
    /// ## How to fix
    /// Set `ReservedConcurrentExecutions` on the function to the most it should ever run at
    /// once. Better, require authentication (`AuthType: AWS_IAM`), or put the function
    /// behind API Gateway with throttling, or a CDN distribution with AWS WAF rate-based rules.
    /// Terraform: `reserved_concurrent_executions` on the `aws_lambda_function`, or
    /// `authorization_type = "AWS_IAM"` on the `aws_lambda_function_url`.
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
    ///       FunctionUrlConfig:
    ///         AuthType: NONE
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
    ///       ReservedConcurrentExecutions: 10
    ///       FunctionUrlConfig:
    ///         AuthType: NONE
    /// ```
    pub struct PublicUrlWithoutConcurrencyCap {
        id: "THR003",
        name: "public-url-without-concurrency-cap",
        severity: Medium,
        practices: [11],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for PublicUrlWithoutConcurrencyCap {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for url in &model.function_urls {
            if !url.auth_type.value.is("NONE") {
                continue;
            }
            let Some((f, _)) = model.function_of(&url.function.value) else {
                continue;
            };
            if f.reserved_concurrency.is_some() {
                continue;
            }
            cx.report(
                &url.resource,
                &url.auth_type.span,
                "",
                format!(
                    "Public function URL of `{}` lets anyone scale it up to the account's concurrency limit: the function has no reserved concurrency",
                    f.resource.id
                ),
                "set `ReservedConcurrentExecutions` on the function, or require `AuthType: AWS_IAM`",
            );
        }
    }
}
