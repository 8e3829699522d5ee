use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function deployed with neither a published version nor an alias
    /// (`AWS::Lambda::Version`, `AWS::Lambda::Alias`, SAM `AutoPublishAlias`), so only
    /// `$LATEST` exists.
    ///
    /// ## Why it matters
    /// Practice 10 (versioning and aliases): `$LATEST` changes under every caller at each
    /// deployment. Without immutable versions there is no known-good code to roll back to,
    /// no gradual (canary) rollout, and no way to tell which code served a past request.
    ///
    /// ## How to fix
    /// In SAM, set `AutoPublishAlias: live` (under `Globals: Function:` for all functions);
    /// in CloudFormation, publish an `AWS::Lambda::Version` and point an `AWS::Lambda::Alias`
    /// at it, and make triggers target the alias.
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
    ///       AutoPublishAlias: live
    /// ```
    pub struct LatestOnly {
        id: "VER001",
        name: "latest-only",
        severity: Low,
        practices: [10],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for LatestOnly {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            if model.aliases_of(f).next().is_some() || model.versions_of(f).next().is_some() {
                continue;
            }
            cx.report(
                &f.resource,
                &f.resource.span,
                "",
                format!(
                    "Function `{}` is deployed as `$LATEST` only, with no version or alias",
                    f.resource.id
                ),
                "publish versions behind an alias (SAM: `AutoPublishAlias: live`)",
            );
        }
    }
}
