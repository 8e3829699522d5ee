use serde::Serialize;
use sheepdog_diagnostics::{Sourced, Span};

use crate::Resource;

/// One statement of a function's resource-based policy (`AWS::Lambda::Permission`, or the
/// permission SAM creates for an event source or a public function URL).
#[derive(Debug, Clone, Serialize)]
pub struct Permission {
    pub resource: Resource,
    /// The function: a reference, a name, or an ARN (possibly with a qualifier).
    pub function: Sourced<String>,
    pub action: Sourced<String>,
    pub principal: Sourced<String>,
    pub source_arn: Option<Sourced<String>>,
    pub source_account: Option<Sourced<String>>,
    pub principal_org_id: Option<Sourced<String>>,
    pub event_source_token: Option<Sourced<String>>,
    pub function_url_auth_type: Option<Sourced<String>>,
}

/// A function URL (`AWS::Lambda::Url`, SAM `FunctionUrlConfig`).
#[derive(Debug, Clone, Serialize)]
pub struct FunctionUrl {
    pub resource: Resource,
    /// `TargetFunctionArn`.
    pub function: Sourced<String>,
    pub qualifier: Option<Sourced<String>>,
    pub auth_type: Sourced<String>,
    pub invoke_mode: Option<Sourced<String>>,
    pub cors: Option<Cors>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cors {
    pub span: Span,
    pub allow_origins: Vec<Sourced<String>>,
    pub allow_credentials: Option<Sourced<bool>>,
}

/// `AWS::Lambda::Alias` (and SAM `AutoPublishAlias`).
#[derive(Debug, Clone, Serialize)]
pub struct Alias {
    pub resource: Resource,
    pub function: Sourced<String>,
    pub name: Sourced<String>,
    pub function_version: Option<Sourced<String>>,
    /// SAM `DeploymentPreference.Type` (e.g. `Canary10Percent5Minutes`), when set.
    pub deployment_preference: Option<Sourced<String>>,
    /// SAM `DeploymentPreference.Enabled` (SAM's default is `true`), when written.
    pub deployment_preference_enabled: Option<Sourced<bool>>,
    /// `UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName` (the resource attribute,
    /// outside `Properties`): `CodeDeploy` shifts traffic to each new version through that
    /// deployment group. Terraform: a Lambda deployment group of the configuration, when the
    /// alias leaves `function_version` to it (`lifecycle { ignore_changes }`).
    pub code_deploy_group: Option<Sourced<String>>,
    /// `RoutingConfig` (weighted traffic to an additional version), when written: its node.
    pub routing_config: Option<Span>,
}

/// `AWS::Lambda::Version` (and the version SAM publishes for `AutoPublishAlias`).
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub resource: Resource,
    pub function: Sourced<String>,
}

/// `AWS::Lambda::EventSourceMapping` (and SAM SQS/Kinesis/DynamoDB events).
#[derive(Debug, Clone, Serialize)]
pub struct EventSourceMapping {
    pub resource: Resource,
    pub function: Sourced<String>,
    pub event_source_arn: Option<Sourced<String>>,
    pub enabled: Option<Sourced<bool>>,
    pub on_failure_destination: Option<Sourced<String>>,
}

/// `AWS::Lambda::EventInvokeConfig` (and SAM `EventInvokeConfig`).
#[derive(Debug, Clone, Serialize)]
pub struct EventInvokeConfig {
    pub resource: Resource,
    pub function: Sourced<String>,
    pub qualifier: Option<Sourced<String>>,
    pub on_failure_destination: Option<Sourced<String>>,
    pub on_success_destination: Option<Sourced<String>>,
    pub maximum_retry_attempts: Option<Sourced<i64>>,
}

/// `AWS::Lambda::LayerVersion` / `AWS::Serverless::LayerVersion`.
#[derive(Debug, Clone, Serialize)]
pub struct LayerVersion {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    pub compatible_runtimes: Vec<Sourced<String>>,
}

/// `AWS::Lambda::LayerVersionPermission`.
#[derive(Debug, Clone, Serialize)]
pub struct LayerPermission {
    pub resource: Resource,
    pub layer: Sourced<String>,
    pub action: Sourced<String>,
    pub principal: Sourced<String>,
    pub organization_id: Option<Sourced<String>>,
}

/// `AWS::Lambda::CodeSigningConfig`.
#[derive(Debug, Clone, Serialize)]
pub struct CodeSigningConfig {
    pub resource: Resource,
    pub signing_profile_arns: Vec<Sourced<String>>,
    /// `CodeSigningPolicies.UntrustedArtifactOnDeployment` (`Warn` / `Enforce`).
    pub untrusted_artifact_on_deployment: Option<Sourced<String>>,
}

impl FunctionUrl {
    pub fn span(&self) -> &Span {
        &self.auth_type.span
    }

    /// The function the URL invokes, as written: the logical ID of a `!Ref`/`!GetAtt`, or
    /// the name or ARN; `None` when it is unknown.
    pub fn target(&self) -> Option<&str> {
        self.function
            .value
            .resource_ref()
            .or_else(|| self.function.value.as_str())
    }
}

impl Alias {
    pub fn name_span(&self) -> &Span {
        &self.name.span
    }
}
