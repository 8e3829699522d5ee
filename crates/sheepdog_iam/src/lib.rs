//! IAM policy documents as sheepdog sees them, whatever format they were written in.
//!
//! Every element keeps its location and may be `Unknown` (a `!Sub` with a resource ARN, a
//! Terraform variable). The evaluation here is deliberately small: issue-sized engines
//! (wildcard expansion against the action catalog, escalation paths) build on these types.

mod document;
mod matching;

pub use document::{Condition, Effect, PolicyDocument, Principal, PrincipalEntry, Statement};
pub use matching::{action_matches, is_any};
