use serde::Serialize;
use sheepdog_diagnostics::Span;

/// What every resource of the model has: identity, kind and where it was declared.
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    /// Logical ID (CloudFormation), address (Terraform) or ARN (live).
    pub id: String,
    /// The provider type it was declared as, e.g. `AWS::Serverless::Function`.
    pub kind: String,
    /// The resource's declaration (its logical ID key).
    pub span: Span,
    pub origin: Origin,
    /// The template condition the resource depends on, when it could not be decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// Whether a resource was written by the user or derived by a loader from another one.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "origin", rename_all = "lowercase")]
pub enum Origin {
    Declared,
    /// Created implicitly, e.g. by SAM from `AWS::Serverless::Function` `Events`.
    Derived {
        /// Logical ID of the resource that caused it.
        from: String,
        /// The property that caused it, e.g. `Events.Upload`.
        via: String,
    },
}

impl Resource {
    pub fn is_derived(&self) -> bool {
        matches!(self.origin, Origin::Derived { .. })
    }
}
