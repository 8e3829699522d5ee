use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function with environment variables and no `KmsKeyArn`, so its variables are
    /// encrypted at rest with the AWS managed key `aws/lambda` only. An empty `KmsKeyArn`
    /// counts as none: Lambda reads it as the AWS managed key.
    ///
    /// ## Why it matters
    /// Practice 2 (configuration through environment variables, protected): with the AWS
    /// managed key, anyone allowed `lambda:GetFunctionConfiguration` reads every variable in
    /// clear. A customer-managed key adds a second, separately audited permission
    /// (`kms:Decrypt` on your key) and lets you revoke access and see use in CloudTrail.
    ///
    /// ## How to fix
    /// Create an `AWS::KMS::Key` (with rotation on), set the function's `KmsKeyArn` to it,
    /// and allow only the execution role and your deployment role to use it. Keep real
    /// secrets out of variables altogether (SEC001).
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
    ///       Environment:
    ///         Variables:
    ///           TABLE: orders
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Key:
    ///     Type: AWS::KMS::Key
    ///     Properties:
    ///       EnableKeyRotation: true
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       KmsKeyArn: !GetAtt Key.Arn
    ///       Environment:
    ///         Variables:
    ///           TABLE: orders
    /// ```
    pub struct EnvironmentWithoutCmk {
        id: "SEC002",
        name: "environment-without-cmk",
        severity: Low,
        practices: [2],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for EnvironmentWithoutCmk {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            let Some(env) = &f.environment else { continue };
            // An empty map holds nothing to protect; an unresolvable one may hold anything.
            if env.variables.is_empty() && env.complete {
                continue;
            }
            // An empty ARN is how Lambda is told to use the AWS managed key; an unknown one
            // may name a customer-managed key.
            if f.kms_key_arn
                .as_ref()
                .is_some_and(|k| k.value.as_str().is_none_or(|arn| !arn.trim().is_empty()))
            {
                continue;
            }
            cx.report(
                &f.resource,
                &env.span,
                "",
                format!(
                    "Environment variables of `{}` are encrypted only with the AWS managed key",
                    f.resource.id
                ),
                "set `KmsKeyArn` to a customer-managed KMS key",
            );
        }
    }
}
