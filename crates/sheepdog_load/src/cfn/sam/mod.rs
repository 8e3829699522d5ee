//! AWS SAM: the transform's security-relevant semantics, applied to the model directly
//! (no SAM translator is run). Each implicit resource SAM would create is added as a
//! derived resource whose spans point at the SAM property that causes it.

mod api;
mod events;
mod function;
pub mod globals;
mod policies;
pub mod policy_templates;
mod resource_policy;

pub use api::{ApiAuth, http_api, rest_api};
pub use function::function;

use sheepdog_diagnostics::{Located, Sourced, Span, Unknown, UnknownReason, Value};
use sheepdog_model::{Origin, Resource};

/// A reference to a resource of the template, as `!Ref`/`!GetAtt` would produce.
pub(crate) fn reference(id: &str, attr: Option<&str>, span: &Span) -> Sourced<String> {
    let expr = match attr {
        Some(a) => format!("!GetAtt {id}.{a}"),
        None => format!("!Ref {id}"),
    };
    Located::new(
        Value::Unknown(Unknown::new(
            expr,
            UnknownReason::Resource {
                id: id.to_owned(),
                attr: attr.map(str::to_owned),
            },
        )),
        span.clone(),
    )
}

pub(crate) fn known(s: impl Into<String>, span: &Span) -> Sourced<String> {
    Located::new(Value::Known(s.into()), span.clone())
}

/// The identity of a resource SAM derives from `from` because of property `via`.
pub(crate) fn derived(
    id: String,
    kind: &str,
    from: &Resource,
    via: String,
    span: &Span,
) -> Resource {
    Resource {
        id,
        kind: kind.to_owned(),
        span: span.clone(),
        origin: Origin::Derived {
            from: from.id.clone(),
            via,
        },
        condition: from.condition.clone(),
        suppressions: from.suppressions.clone(),
        declared_at: None,
    }
}
