use serde::Serialize;
use sheepdog_diagnostics::{Located, Sourced, Span};

use crate::Resource;

/// A Lambda function (`AWS::Lambda::Function`, `AWS::Serverless::Function` with its Globals
/// merged in, `aws_lambda_function`, a live function).
#[derive(Debug, Clone, Serialize)]
pub struct Function {
    pub resource: Resource,
    /// `FunctionName`, when set.
    pub name: Option<Sourced<String>>,
    pub runtime: Option<Sourced<String>>,
    pub handler: Option<Sourced<String>>,
    /// `Zip` or `Image`.
    pub package_type: Option<Sourced<String>>,
    pub image_uri: Option<Sourced<String>>,
    /// How `sam build` builds the function's image, from the resource's `Metadata`, when it
    /// names a `Dockerfile` or a `DockerContext`. `sam build` then writes `ImageUri` itself
    /// and `sam deploy` pushes the image under a tag derived from its image ID, so an
    /// `ImageUri` written in the template is not what gets deployed.
    pub image_build: Option<ImageBuild>,
    /// Where the code is (a local path for SAM `CodeUri`, an S3 location otherwise).
    pub code_uri: Option<Sourced<String>>,
    pub architectures: Vec<Sourced<String>>,
    pub environment: Option<Environment>,
    /// `KmsKeyArn`: the customer-managed key encrypting environment variables.
    pub kms_key_arn: Option<Sourced<String>>,
    /// The execution role: a reference to a role of the model, or an ARN.
    pub role: Option<Sourced<String>>,
    /// `TracingConfig.Mode` (`Active` / `PassThrough`).
    pub tracing: Option<Sourced<String>>,
    pub reserved_concurrency: Option<Sourced<i64>>,
    pub timeout: Option<Sourced<i64>>,
    pub memory_size: Option<Sourced<i64>>,
    /// `DeadLetterConfig.TargetArn`.
    pub dead_letter_target: Option<Sourced<String>>,
    pub layers: Vec<Sourced<String>>,
    pub vpc: Option<VpcConfig>,
    pub code_signing_config: Option<Sourced<String>>,
    /// `LoggingConfig.LogGroup`: a custom log group name.
    pub log_group: Option<Sourced<String>>,
}

/// `Environment.Variables`.
#[derive(Debug, Clone, Serialize)]
pub struct Environment {
    /// The `Variables` key (from `Globals` when the function inherits it).
    pub span: Span,
    pub variables: Vec<EnvVar>,
    /// False when the variables map itself could not be resolved, so some may be missing.
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvVar {
    pub name: Located<String>,
    pub value: Sourced<String>,
}

/// `VpcConfig`. When `VpcConfig` itself cannot be resolved (an `Fn::If` on an undecidable
/// condition), both lists are written but unknown: each is one `Unknown` entry.
#[derive(Debug, Clone, Serialize)]
pub struct VpcConfig {
    pub span: Span,
    pub security_group_ids: Option<Located<Vec<Sourced<String>>>>,
    pub subnet_ids: Option<Located<Vec<Sourced<String>>>>,
    /// True when `SubnetIds` is written (or resolves to) a list, so each entry, known or
    /// not, is one subnet; false when it is one expression sheepdog cannot resolve (a
    /// `List<AWS::EC2::Subnet::Id>` parameter without a default, an import, an `Fn::If` on
    /// an undecidable condition), whose one `Unknown` entry may stand for any number of
    /// subnets.
    pub subnet_ids_listed: bool,
}

/// SAM CLI build metadata of an image function (`Metadata.Dockerfile`, `DockerContext`,
/// `DockerTag`).
#[derive(Debug, Clone, Serialize)]
pub struct ImageBuild {
    /// The resource's `Metadata` mapping.
    pub span: Span,
    pub dockerfile: Option<Sourced<String>>,
    pub context: Option<Sourced<String>>,
    pub tag: Option<Sourced<String>>,
}

impl Function {
    /// The environment variables, empty when none are set.
    pub fn env_vars(&self) -> &[EnvVar] {
        self.environment
            .as_ref()
            .map_or(&[][..], |e| e.variables.as_slice())
    }
}
