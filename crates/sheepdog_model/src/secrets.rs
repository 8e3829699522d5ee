use serde::Serialize;
use sheepdog_diagnostics::Sourced;
use sheepdog_iam::PolicyDocument;

use crate::Resource;

/// `AWS::SecretsManager::Secret`.
#[derive(Debug, Clone, Serialize)]
pub struct Secret {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    pub kms_key: Option<Sourced<String>>,
    /// True when the template writes the secret's value in `SecretString`.
    pub has_literal_value: bool,
}

/// `AWS::SecretsManager::RotationSchedule` (and `HostedRotationLambda`).
#[derive(Debug, Clone, Serialize)]
pub struct RotationSchedule {
    pub resource: Resource,
    pub secret: Sourced<String>,
    pub rotation_function: Option<Sourced<String>>,
    pub hosted_rotation: bool,
}

/// A resource whose attribute is a secret CloudFormation generates: `AWS::IAM::AccessKey`
/// (`SecretAccessKey`), `AWS::Cognito::UserPoolClient` (`ClientSecret`),
/// `AWS::AppSync::ApiKey` (`ApiKey`). A reference to that attribute (`!GetAtt X.Attr`)
/// yields the secret's plaintext; its other attributes and `!Ref` do not.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedSecret {
    pub resource: Resource,
    /// The attribute whose value is the secret, as references name it.
    pub attribute: String,
}

/// `AWS::KMS::Key`.
#[derive(Debug, Clone, Serialize)]
pub struct KmsKey {
    pub resource: Resource,
    pub enable_key_rotation: Option<Sourced<bool>>,
    pub key_policy: Option<PolicyDocument>,
}
