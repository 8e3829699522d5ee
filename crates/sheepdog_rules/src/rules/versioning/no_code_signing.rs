use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function deployed from a `.zip` package without a code signing configuration
    /// (`CodeSigningConfigArn`, also from SAM `Globals`), and a code signing configuration
    /// of the template that only warns about unsigned code
    /// (`UntrustedArtifactOnDeployment: Warn`, the default).
    /// Container-image functions (`PackageType: Image`) are not reported: Lambda code
    /// signing does not apply to them (sign and verify images in ECR instead). A package
    /// type or configuration sheepdog cannot resolve is not reported.
    ///
    /// ## Why it matters
    /// Practice 10 (versioning and aliases, with code signing): without an enforced code
    /// signing configuration, Lambda runs whatever package is uploaded. Anyone who can call
    /// `lambda:UpdateFunctionCode`, or who tampers with the artifact between build and
    /// deployment (a compromised CI job, a writable artifact bucket), can replace the code
    /// with their own, and it runs with the function's role. With `Enforce`, Lambda rejects
    /// any package not signed by a trusted AWS Signer profile.
    ///
    /// ## How to fix
    /// Create an `AWS::Signer::SigningProfile` and an `AWS::Lambda::CodeSigningConfig` that
    /// allows it with `CodeSigningPolicies: {UntrustedArtifactOnDeployment: Enforce}`, set
    /// `CodeSigningConfigArn` on the function (SAM: on the function or under
    /// `Globals: Function:`), and sign packages when deploying
    /// (`sam deploy --signing-profiles Fn=Profile`). Inline code (`ZipFile`, `InlineCode`)
    /// cannot be signed: package it. Where signing is not wanted, suppress this rule with
    /// a reason.
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
    ///       CodeSigningConfigArn: !Ref Signing
    ///   Profile:
    ///     Type: AWS::Signer::SigningProfile
    ///     Properties:
    ///       PlatformId: AWSLambda-SHA384-ECDSA
    ///   Signing:
    ///     Type: AWS::Lambda::CodeSigningConfig
    ///     Properties:
    ///       AllowedPublishers:
    ///         SigningProfileVersionArns: [!GetAtt Profile.ProfileVersionArn]
    ///       CodeSigningPolicies:
    ///         UntrustedArtifactOnDeployment: Enforce
    /// ```
    pub struct NoCodeSigning {
        id: "VER003",
        name: "no-code-signing",
        severity: Low,
        practices: [10],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for NoCodeSigning {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            if f.code_signing_config.is_some() {
                continue;
            }
            // Images: code signing does not apply. Unresolved package type: cannot tell.
            match &f.package_type {
                Some(t) if !t.value.is("Zip") => continue,
                _ => {}
            }
            if f.image_uri.is_some() {
                continue;
            }
            cx.report(
                &f.resource,
                &f.resource.span,
                "",
                format!(
                    "Function `{}` has no code signing configuration, so Lambda runs any package uploaded to it",
                    f.resource.id
                ),
                "set `CodeSigningConfigArn` to a code signing configuration that enforces signatures",
            );
        }
        for csc in &model.code_signing_configs {
            let (span, why) = match &csc.untrusted_artifact_on_deployment {
                None => (&csc.resource.span, "no `CodeSigningPolicies`, so `Warn`"),
                Some(policy) if policy.value.is("Warn") => {
                    (&policy.span, "`UntrustedArtifactOnDeployment: Warn`")
                }
                Some(_) => continue,
            };
            cx.report(
                &csc.resource,
                span,
                "",
                format!(
                    "Code signing configuration `{}` lets unsigned code deploy with only a warning ({why})",
                    csc.resource.id
                ),
                "set `CodeSigningPolicies: {UntrustedArtifactOnDeployment: Enforce}`",
            );
        }
    }
}
