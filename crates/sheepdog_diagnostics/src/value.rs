use serde::Serialize;

use crate::Span;

/// A value together with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Located<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            span: self.span,
        }
    }
}

/// What most model fields are: a value that may not be resolvable, with its location.
pub type Sourced<T> = Located<Value<T>>;

/// A value the loader may or may not have been able to resolve.
///
/// DESIGN.md invariant 3: `Unknown` is not absent. A field that is not written at all is
/// `None` in the model; a field written as an expression sheepdog cannot decide is
/// `Some(Unknown)`. Rules must say explicitly what they do with `Unknown`; the accessors
/// here make the safe reading the easy one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "lowercase")]
pub enum Value<T> {
    Known(T),
    Unknown(Unknown),
}

impl<T> Value<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Value::Known(v) => Some(v),
            Value::Unknown(_) => None,
        }
    }

    pub fn unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Known(_) => None,
            Value::Unknown(u) => Some(u),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Known(v) => Value::Known(f(v)),
            Value::Unknown(u) => Value::Unknown(u),
        }
    }
}

impl Value<String> {
    /// True only when the value is known and equal to `s` (ASCII case-insensitive).
    pub fn is(&self, s: &str) -> bool {
        self.known().is_some_and(|v| v.eq_ignore_ascii_case(s))
    }

    pub fn as_str(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }

    /// The logical ID of the template resource this value refers to (`!Ref X`, `!GetAtt X.Arn`).
    pub fn resource_ref(&self) -> Option<&str> {
        match self {
            Value::Unknown(Unknown {
                reason: UnknownReason::Resource { id, .. },
                ..
            }) => Some(id),
            _ => None,
        }
    }
}

/// Why a value could not be resolved, and the expression it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    /// The expression as written, rendered compactly (e.g. `!Ref DbPassword`).
    pub expr: String,
    pub reason: UnknownReason,
}

impl Unknown {
    pub fn new(expr: impl Into<String>, reason: UnknownReason) -> Self {
        Self {
            expr: expr.into(),
            reason,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum UnknownReason {
    /// A template parameter (or variable) without a default.
    Parameter { name: String },
    /// A pseudo parameter such as `AWS::AccountId`, known only at deploy time.
    Pseudo { name: String },
    /// A reference to a resource of the same deployment unit (`!Ref`, `!GetAtt`).
    Resource {
        id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        attr: Option<String>,
    },
    /// A string built from parts some of which are unknown (`!Sub`, `!Join`); `refs` lists
    /// the resources it mentions.
    Composite { refs: Vec<String> },
    /// A value exported by another stack (`!ImportValue`).
    Import,
    /// A dynamic reference resolved by CloudFormation at deploy time (`{{resolve:...}}`).
    DynamicReference { service: String },
    /// A condition that depends on unknown values.
    Condition,
    /// Anything else sheepdog does not evaluate (or input that was invalid).
    Unsupported,
}
