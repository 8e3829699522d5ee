use crate::Rule;
mod full_admin;

use full_admin::FullAdmin;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&FullAdmin];
