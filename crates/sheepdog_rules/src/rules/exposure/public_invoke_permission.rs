use sheepdog_model::Model;

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A resource-based permission on a function (`AWS::Lambda::Permission`) whose principal
    /// is `*` and that no `SourceArn`, `SourceAccount` or `PrincipalOrgID` narrows down.
    /// The public permission that goes with an unauthenticated function URL is reported by
    /// PUB002 instead.
    ///
    /// ## Why it matters
    /// Practice 14 (regular review of IAM and resource policies): with principal `*`, any AWS
    /// account, and with a function URL of auth type `AWS_IAM` any authenticated AWS
    /// identity, can invoke the function and make it act with its execution role's
    /// permissions, run up cost, or exhaust its concurrency.
    ///
    /// ## How to fix
    /// Name the principal that needs access (a service principal such as
    /// `s3.amazonaws.com`, or an account ID), and for a service principal add `SourceArn`
    /// and `SourceAccount`. To share with your organisation, keep `*` only together with
    /// `PrincipalOrgID`.
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
    ///   Invoke:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:InvokeFunction
    ///       Principal: "*"
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
    ///   Invoke:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:InvokeFunction
    ///       Principal: s3.amazonaws.com
    ///       SourceAccount: !Ref AWS::AccountId
    ///       SourceArn: arn:aws:s3:::my-upload-bucket
    /// ```
    pub struct PublicInvokePermission {
        id: "PUB001",
        name: "public-invoke-permission",
        severity: Critical,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for PublicInvokePermission {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for p in &model.permissions {
            if p.principal.value.as_str() != Some("*") {
                continue;
            }
            // A function URL's own public permission is PUB002's; unknown auth type: quiet.
            if let Some(auth) = &p.function_url_auth_type
                && (auth.value.is("NONE") || auth.value.is_unknown())
            {
                continue;
            }
            if p.source_arn.is_some() || p.source_account.is_some() || p.principal_org_id.is_some()
            {
                continue;
            }
            let action = p.action.value.as_str().unwrap_or("the function");
            cx.report(
                &p.resource,
                &p.principal.span,
                "",
                format!(
                    "Permission {} lets any principal call `{action}`",
                    describe(&p.resource)
                ),
                "name the principal that needs access, and add `SourceArn`/`SourceAccount` (or `PrincipalOrgID`)",
            );
        }
    }
}
