use serde::Serialize;
use sheepdog_diagnostics::{Located, Sourced};
use sheepdog_iam::PolicyDocument;

use crate::Resource;

/// An IAM role (`AWS::IAM::Role`, the role SAM creates for a function, `aws_iam_role`).
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    /// `AssumeRolePolicyDocument`.
    pub trust_policy: Option<PolicyDocument>,
    /// Inline policies (`Policies`, SAM inline statements).
    pub inline_policies: Vec<NamedPolicy>,
    /// `ManagedPolicyArns` (SAM managed policy names are expanded to their ARNs).
    pub managed_policy_arns: Vec<Sourced<String>>,
    /// SAM policy templates, kept with their name and parameters; their statements are
    /// also expanded into `inline_policies`.
    pub policy_templates: Vec<SamPolicyTemplate>,
    pub permissions_boundary: Option<Sourced<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedPolicy {
    pub name: Option<Sourced<String>>,
    pub document: PolicyDocument,
}

/// A SAM policy template entry such as `S3ReadPolicy: {BucketName: !Ref Bucket}`.
#[derive(Debug, Clone, Serialize)]
pub struct SamPolicyTemplate {
    pub name: Located<String>,
    pub parameters: Vec<(String, Sourced<String>)>,
}

/// A standalone policy (`AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`) and what it is
/// attached to.
#[derive(Debug, Clone, Serialize)]
pub struct ManagedPolicy {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    pub document: Option<PolicyDocument>,
    /// Roles it is attached to (references or names).
    pub roles: Vec<Sourced<String>>,
}
