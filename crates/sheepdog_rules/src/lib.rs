//! The rule catalog and the engine that runs it.
//!
//! One file per rule under `rules/<family>/`, declared with [`declare_rule!`]; its doc
//! comment is its documentation (`sheepdog rule ID` prints it). Rules read the model only
//! (DESIGN.md invariant 1) and decide explicitly what an `Unknown` value means (invariant 3).

mod context;
mod date;
mod engine;
mod macros;
pub mod role_policies;
mod rules;
pub mod runtimes;
pub mod secret_shapes;
mod terraform_terms;

pub use context::Context;
pub use date::Date;
pub use engine::{Options, Selection, check, find_rule};
pub use rules::{ALL_RULES, ConfigSuppression, ExpiredSuppression, check_config_suppressions};

use sheepdog_diagnostics::RuleMeta;
use sheepdog_model::Model;

/// A rule's metadata and documentation; `declare_rule!` implements it.
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

/// A check over the model.
pub trait Rule: Declared + Sync {
    fn check(&self, model: &Model, cx: &mut Context<'_>);
}
