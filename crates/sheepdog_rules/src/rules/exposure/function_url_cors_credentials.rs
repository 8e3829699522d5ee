use sheepdog_diagnostics::Related;
use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function URL (`AWS::Lambda::Url`, SAM `FunctionUrlConfig`) whose CORS settings allow
    /// any origin (`AllowOrigins: ["*"]`) together with credentials (`AllowCredentials: true`).
    /// Origins or a credentials flag given by a parameter without a default are not reported,
    /// and neither is `*` without credentials (how a public, cookie-less endpoint is meant
    /// to be shared).
    ///
    /// ## Why it matters
    /// Practice 14 (review who can reach your functions): CORS decides which websites a
    /// browser lets read the URL's responses. Allowing credentials says the function relies
    /// on the caller's cookies or `Authorization` header; allowing every origin with them
    /// says any website a signed-in user visits may send those credentials and read what
    /// comes back — the cross-site data theft CORS exists to prevent. Browsers refuse a
    /// literal `*` with credentials, so at best the setting is broken, and it invites the
    /// "fix" of reflecting whatever origin asks.
    ///
    /// ## How to fix
    /// List the origins that need access (`AllowOrigins: [https://app.example.com]`), or
    /// keep `*` and set `AllowCredentials: false` if the endpoint does not use cookies or
    /// credentials. The keys are the same under `Cors` of `AWS::Lambda::Url` and of SAM
    /// `FunctionUrlConfig`.
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
    ///         AuthType: AWS_IAM
    ///         Cors:
    ///           AllowOrigins: ["*"]
    ///           AllowCredentials: true
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
    ///         Cors:
    ///           AllowOrigins: [https://app.example.com]
    ///           AllowCredentials: true
    /// ```
    pub struct FunctionUrlCorsCredentials {
        id: "PUB003",
        name: "function-url-cors-credentials",
        severity: Medium,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for FunctionUrlCorsCredentials {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for url in &model.function_urls {
            let Some(cors) = &url.cors else { continue };
            // Not written means `false`; an unknown flag is not known to be `true`.
            let Some(credentials) = &cors.allow_credentials else {
                continue;
            };
            if credentials.value.known() != Some(&true) {
                continue;
            }
            let Some(any) = cors
                .allow_origins
                .iter()
                .find(|o| o.value.as_str().is_some_and(|o| o.trim() == "*"))
            else {
                continue;
            };
            let target = model.url_target(url).unwrap_or("the function");
            cx.report(
                &url.resource,
                &any.span,
                "",
                format!(
                    "Function URL of `{target}` lets any website call it with the user's credentials (CORS origin `*` with `AllowCredentials: true`)"
                ),
                "list the origins that need access in `AllowOrigins`, or set `AllowCredentials: false`",
            )
            .related
            .push(Related {
                message: "credentials allowed here".to_owned(),
                span: credentials.span.clone(),
            });
        }
    }
}
