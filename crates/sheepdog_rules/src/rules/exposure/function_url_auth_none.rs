use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function URL (`AWS::Lambda::Url`, SAM `FunctionUrlConfig`) whose `AuthType` is
    /// `NONE`. An auth type given by a parameter without a default is not reported.
    ///
    /// ## Why it matters
    /// Practice 14 (review resource policies): with `AuthType: NONE` Lambda authenticates
    /// nobody. Anyone who finds the URL can invoke the function, with its execution role's
    /// permissions, as often as its concurrency allows.
    ///
    /// ## How to fix
    /// Use `AuthType: AWS_IAM` and sign requests (SigV4), or put the function behind API
    /// Gateway with an authorizer. If the endpoint really must be public, authenticate in
    /// the handler, cap it with reserved concurrency, and suppress this finding with a reason.
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
    ///       FunctionUrlConfig:
    ///         AuthType: AWS_IAM
    /// ```
    pub struct FunctionUrlAuthNone {
        id: "PUB002",
        name: "function-url-auth-none",
        severity: High,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for FunctionUrlAuthNone {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for url in &model.function_urls {
            if !url.auth_type.value.is("NONE") {
                continue;
            }
            let target = url.target().unwrap_or("the function");
            cx.report(
                &url.resource,
                &url.auth_type.span,
                "",
                format!("Function URL of `{target}` lets anyone invoke it without authentication"),
                "set `AuthType: AWS_IAM`, or front the function with an authenticated API",
            );
        }
    }
}
