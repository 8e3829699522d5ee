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
    /// Accepted risks written on the resource (CloudFormation `Metadata.sheepdog.ignore`);
    /// resources SAM derives inherit those of the resource they come from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
    /// Where the configuration declares it, when the model's values come from elsewhere: a
    /// Terraform plan's resource, declared by a `resource` block of the `.tf` files next
    /// to the plan. Findings on it name that place too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_at: Option<Span>,
}

/// A finding the team has accepted, with the reason it must give and an optional expiry.
#[derive(Debug, Clone, Serialize)]
pub struct Suppression {
    /// Rule ID or name.
    pub rule: String,
    pub reason: String,
    /// `YYYY-MM-DD`: after this day the finding is reported again.
    pub expires: Option<String>,
    pub span: Span,
}

/// A `# sheepdog:ignore[ID] reason` comment: it covers findings that start on its own line
/// (a trailing comment) or on the next line (a comment on the line above).
#[derive(Debug, Clone, Serialize)]
pub struct LineSuppression {
    pub rules: Vec<String>,
    pub reason: String,
    pub line: u32,
    pub span: Span,
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
    /// A resource written by the user, with nothing more to say about it.
    pub fn declared(id: impl Into<String>, kind: impl Into<String>, span: Span) -> Self {
        Self {
            id: id.into(),
            kind: kind.into(),
            span,
            origin: Origin::Declared,
            condition: None,
            suppressions: Vec::new(),
            declared_at: None,
        }
    }

    pub fn is_derived(&self) -> bool {
        matches!(self.origin, Origin::Derived { .. })
    }
}
