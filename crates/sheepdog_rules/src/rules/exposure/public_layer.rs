use sheepdog_model::Model;

use super::principals::{condition_note, layer};
use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A layer version shared with every AWS account: an
    /// `AWS::Lambda::LayerVersionPermission` with `Principal: "*"` and no `OrganizationId`.
    /// With `OrganizationId` the layer is shared with the accounts of that organisation only,
    /// and is not reported; neither is a permission whose principal or `OrganizationId` is a
    /// parameter without a default or another unresolved expression. A permission created
    /// only under a template condition sheepdog cannot decide is reported, and the message
    /// says so. Sharing with named accounts is PUB005's.
    ///
    /// ## Why it matters
    /// Practice 14 (regular review of IAM and resource policies): `lambda:GetLayerVersion`
    /// on a public layer returns a download link for its content to anyone with an AWS
    /// account. A layer holds code and often more — configuration files, internal
    /// libraries, certificates, credentials left in a build directory — and all of it is
    /// then public, with nothing in any log of yours saying who took it. Publishing a
    /// layer for the world is a deliberate act for the few who distribute one; for
    /// everyone else it is a leak.
    ///
    /// ## How to fix
    /// Share the layer with the accounts that use it (`Principal: "111122223333"`, one
    /// permission per account) or with your organisation (`Principal: "*"` with
    /// `OrganizationId: o-...`). If you do distribute the layer publicly, check that it
    /// contains nothing private and suppress this finding with that reason.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Shared:
    ///     Type: AWS::Lambda::LayerVersion
    ///     Properties:
    ///       Content: {S3Bucket: artifacts, S3Key: layers/shared.zip}
    ///       CompatibleRuntimes: [python3.12]
    ///   SharedEveryone:
    ///     Type: AWS::Lambda::LayerVersionPermission
    ///     Properties:
    ///       LayerVersionArn: !Ref Shared
    ///       Action: lambda:GetLayerVersion
    ///       Principal: "*"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Shared:
    ///     Type: AWS::Lambda::LayerVersion
    ///     Properties:
    ///       Content: {S3Bucket: artifacts, S3Key: layers/shared.zip}
    ///       CompatibleRuntimes: [python3.12]
    ///   SharedWithOrg:
    ///     Type: AWS::Lambda::LayerVersionPermission
    ///     Properties:
    ///       LayerVersionArn: !Ref Shared
    ///       Action: lambda:GetLayerVersion
    ///       Principal: "*"
    ///       OrganizationId: o-a1b2c3d4e5
    /// ```
    pub struct PublicLayer {
        id: "PUB007",
        name: "public-layer",
        severity: High,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for PublicLayer {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for lp in &model.layer_permissions {
            // An unknown principal may be an account: quiet.
            if lp.principal.value.as_str().map(str::trim) != Some("*") {
                continue;
            }
            // Written, even if unknown: an organisation narrows it.
            if lp.organization_id.is_some() {
                continue;
            }
            let layer = layer(lp);
            cx.report(
                &lp.resource,
                &lp.principal.span,
                "",
                format!(
                    "Layer permission {} shares {layer} with every AWS account: anyone can download its content{}",
                    describe(&lp.resource),
                    condition_note(&lp.resource)
                ),
                "share the layer with the accounts that use it, or with your organisation (`OrganizationId`)",
            );
        }
    }
}
