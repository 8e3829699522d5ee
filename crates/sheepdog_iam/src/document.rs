use serde::Serialize;
use sheepdog_diagnostics::{Located, Sourced, Span, Value};

/// A list element of a statement (`Action`, `Resource`, ...): each entry located and
/// possibly unknown, the element itself located too.
pub type EntryList = Located<Vec<Sourced<String>>>;

/// A policy document: identity-based, trust or resource policy.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyDocument {
    pub span: Span,
    pub version: Option<Sourced<String>>,
    pub statements: Vec<Statement>,
    /// True when the `Statement` element (or the whole document) could not be resolved,
    /// so the statement list is incomplete.
    pub incomplete: bool,
    /// Problems the reader saw in the raw document that its typed form cannot show (an
    /// unknown element such as `Actions`, a statement without `Effect`); [`crate::validate`]
    /// reports them with the rest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Located<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement. `None` means the element is absent; elements that are present keep
/// every entry with its location, known or not.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub span: Span,
    pub sid: Option<Sourced<String>>,
    pub effect: Sourced<Effect>,
    pub action: Option<Located<Vec<Sourced<String>>>>,
    pub not_action: Option<Located<Vec<Sourced<String>>>>,
    pub resource: Option<Located<Vec<Sourced<String>>>>,
    pub not_resource: Option<Located<Vec<Sourced<String>>>>,
    pub principal: Option<Located<Principal>>,
    pub not_principal: Option<Located<Principal>>,
    pub condition: Option<Located<Vec<Condition>>>,
}

/// The `Principal` element.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", content = "entries", rename_all = "lowercase")]
pub enum Principal {
    /// `"*"`: everyone.
    Any,
    /// `{AWS: [...], Service: [...], Federated: [...], CanonicalUser: [...]}`.
    Typed(Vec<PrincipalEntry>),
    /// The element could not be resolved.
    Unknown(sheepdog_diagnostics::Unknown),
}

#[derive(Debug, Clone, Serialize)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    pub kind: String,
    pub value: Sourced<String>,
}

/// One `operator: {key: values}` entry of a `Condition` element.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<Sourced<String>>,
    pub span: Span,
}

impl Principal {
    /// Everyone: `"*"` or `{"AWS": "*"}`.
    pub fn is_public(&self) -> bool {
        match self {
            Principal::Any => true,
            Principal::Typed(entries) => entries
                .iter()
                .any(|e| e.kind == "AWS" && e.value.value.as_str() == Some("*")),
            Principal::Unknown(_) => false,
        }
    }
}

impl Statement {
    pub fn is_allow(&self) -> bool {
        matches!(self.effect.value, Value::Known(Effect::Allow))
    }

    /// The known entries of `Action`, with their locations.
    pub fn actions(&self) -> impl Iterator<Item = (&str, &Span)> {
        known_entries(self.action.as_ref())
    }

    /// The known entries of `Resource`, with their locations.
    pub fn resources(&self) -> impl Iterator<Item = (&str, &Span)> {
        known_entries(self.resource.as_ref())
    }

    /// An `Allow` of every action (`*` or `*:*`) on every resource (`*`): full administrator.
    pub fn is_full_admin(&self) -> bool {
        self.is_allow()
            && self.actions().any(|(a, _)| crate::is_any_action(a))
            && self.resources().any(|(r, _)| crate::is_any(r))
    }

    pub fn has_condition(&self) -> bool {
        self.condition.as_ref().is_some_and(|c| !c.value.is_empty())
    }
}

fn known_entries(
    list: Option<&Located<Vec<Sourced<String>>>>,
) -> impl Iterator<Item = (&str, &Span)> {
    list.into_iter().flat_map(|l| {
        l.value
            .iter()
            .filter_map(|e| e.value.as_str().map(|s| (s, &e.span)))
    })
}
