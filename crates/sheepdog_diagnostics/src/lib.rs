//! The vocabulary every sheepdog crate speaks.
//!
//! Loaders produce [`Located`] [`Value`]s, rules produce [`Finding`]s described by
//! [`RuleMeta`], and loaders report bad input as [`Diagnostic`]s. Nothing here does I/O.

mod finding;
mod rule_meta;
mod span;
mod value;

pub use finding::{Diagnostic, DiagnosticLevel, Finding, Related, Step};
pub use rule_meta::{Practice, RuleMeta, Severity, Source, practice_name};
pub use span::{Pos, Span};
pub use value::{Located, Sourced, Unknown, UnknownReason, Value};
