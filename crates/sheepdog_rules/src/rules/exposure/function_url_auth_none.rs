use sheepdog_diagnostics::Step;
use sheepdog_model::{FunctionUrl, Model};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function URL (`AWS::Lambda::Url`, SAM `FunctionUrlConfig`) whose `AuthType` is
    /// `NONE`. An auth type given by a parameter without a default is not reported. When the
    /// URL invokes a function of the template, the finding carries the path from the open
    /// URL to the function and the role it runs as (a code flow in SARIF).
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
            let target = model.url_target(url).unwrap_or("the function");
            let finding = cx.report(
                &url.resource,
                &url.auth_type.span,
                "",
                format!("Function URL of `{target}` lets anyone invoke it without authentication"),
                "set `AuthType: AWS_IAM`, or front the function with an authenticated API",
            );
            finding.path = exposure_path(model, url);
        }
    }
}

/// Who reaches what through an open URL: the URL, the function of the template it invokes,
/// and the role that function runs as (what an anonymous caller acts with). Empty when the
/// function is not in the template: a path of one step says no more than the finding.
fn exposure_path(model: &Model, url: &FunctionUrl) -> Vec<Step> {
    let Some((function, _)) = model.function_of(&url.function.value) else {
        return Vec::new();
    };
    let id = &function.resource.id;
    let mut path = vec![
        Step {
            message: "anyone can send requests to the URL: `AuthType` is `NONE`".to_owned(),
            span: url.auth_type.span.clone(),
        },
        Step {
            message: format!("the URL invokes function `{id}`"),
            span: function.resource.span.clone(),
        },
    ];
    if let Some(role) = model.role_of(function) {
        path.push(Step {
            message: format!(
                "`{id}` runs with the permissions of role {}",
                describe(&role.resource)
            ),
            span: role.resource.span.clone(),
        });
    }
    path
}
