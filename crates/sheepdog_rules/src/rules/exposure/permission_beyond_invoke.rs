use sheepdog_iam::action_matches;
use sheepdog_model::Model;

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A resource-based permission on a function (`AWS::Lambda::Permission`) whose `Action`
    /// grants more than invoking it: `lambda:*`, `*`, `lambda:UpdateFunctionCode`,
    /// `lambda:GetFunction` and any other action besides `lambda:InvokeFunction`,
    /// `lambda:InvokeFunctionUrl` and the legacy `lambda:InvokeAsync`. A wildcard is reported
    /// when it covers a function action other than these (`lambda:Invoke*` is not). An action
    /// given by a parameter without a default is not reported.
    ///
    /// ## Why it matters
    /// Practice 14 (regular review of IAM and resource policies): a function's resource policy
    /// exists to let a caller — an API, a bucket, another account — invoke it. Any other
    /// action hands that caller the function itself: `lambda:GetFunction` returns a link to
    /// its code and its environment variables, `lambda:UpdateFunctionCode` lets it replace
    /// the code and run anything with the execution role's permissions, and
    /// `lambda:AddPermission` lets it grant access to whomever it likes.
    ///
    /// ## How to fix
    /// Set `Action: lambda:InvokeFunction` (or `lambda:InvokeFunctionUrl` for a function
    /// URL). Give management access through IAM identity policies on the principals that
    /// deploy the function, never through its resource policy.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///   PartnerAccess:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:*
    ///       Principal: "210987654321"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///   PartnerAccess:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:InvokeFunction
    ///       Principal: "210987654321"
    /// ```
    pub struct PermissionBeyondInvoke {
        id: "PUB009",
        name: "permission-beyond-invoke",
        severity: High,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// The actions a function's resource policy is for.
const INVOKE: [&str; 3] = [
    "lambda:InvokeFunction",
    "lambda:InvokeFunctionUrl",
    "lambda:InvokeAsync",
];

/// Actions on a function besides invoking it, to tell what a wildcard covers.
const OTHER_FUNCTION_ACTIONS: [&str; 22] = [
    "lambda:AddPermission",
    "lambda:CreateAlias",
    "lambda:CreateFunctionUrlConfig",
    "lambda:DeleteAlias",
    "lambda:DeleteFunction",
    "lambda:DeleteFunctionConcurrency",
    "lambda:DeleteFunctionUrlConfig",
    "lambda:GetAlias",
    "lambda:GetFunction",
    "lambda:GetFunctionConfiguration",
    "lambda:GetFunctionUrlConfig",
    "lambda:GetPolicy",
    "lambda:ListAliases",
    "lambda:ListVersionsByFunction",
    "lambda:PublishVersion",
    "lambda:PutFunctionConcurrency",
    "lambda:RemovePermission",
    "lambda:TagResource",
    "lambda:UpdateAlias",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:UpdateFunctionUrlConfig",
];

/// Whether `action` (possibly a wildcard) allows anything besides invoking the function.
fn beyond_invoke(action: &str) -> bool {
    let action = action.trim();
    if action.contains(['*', '?']) {
        OTHER_FUNCTION_ACTIONS
            .iter()
            .any(|a| action_matches(action, a))
    } else {
        !INVOKE.iter().any(|a| a.eq_ignore_ascii_case(action))
    }
}

impl Rule for PermissionBeyondInvoke {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for p in &model.permissions {
            // An unknown action is not known to be more than invoke.
            let Some(action) = p.action.value.as_str() else {
                continue;
            };
            if !beyond_invoke(action) {
                continue;
            }
            let target = p
                .function
                .value
                .resource_ref()
                .or_else(|| p.function.value.as_str())
                .unwrap_or("the function");
            let principal = p
                .principal
                .value
                .as_str()
                .map_or_else(|| "its principal".to_owned(), |who| format!("`{who}`"));
            cx.report(
                &p.resource,
                &p.action.span,
                "",
                format!(
                    "Permission {} grants `{action}` on `{target}` to {principal}, more than invoking it",
                    describe(&p.resource)
                ),
                "grant only `lambda:InvokeFunction` (or `lambda:InvokeFunctionUrl`) in a function's resource policy",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::beyond_invoke;

    #[test]
    fn invoke_actions_and_their_wildcards_are_fine() {
        for a in [
            "lambda:InvokeFunction",
            "lambda:invokefunction",
            "lambda:InvokeFunctionUrl",
            "lambda:InvokeAsync",
            "lambda:Invoke*",
        ] {
            assert!(!beyond_invoke(a), "{a}");
        }
        for a in [
            "*",
            "lambda:*",
            "lambda:Get*",
            "lambda:UpdateFunctionCode",
            "lambda:GetFunction",
            "lambda:ListTags",
        ] {
            assert!(beyond_invoke(a), "{a}");
        }
    }
}
