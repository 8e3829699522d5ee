use crate::Rule;
mod latest_only;

use latest_only::LatestOnly;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&LatestOnly];
