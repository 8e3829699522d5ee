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

/// `VpcConfig`.
#[derive(Debug, Clone, Serialize)]
pub struct VpcConfig {
    pub span: Span,
    pub security_group_ids: Option<Located<Vec<Sourced<String>>>>,
    pub subnet_ids: Option<Located<Vec<Sourced<String>>>>,
}

impl Function {
    /// The environment variables, empty when none are set.
    pub fn env_vars(&self) -> &[EnvVar] {
        self.environment
            .as_ref()
            .map_or(&[][..], |e| e.variables.as_slice())
    }
}
