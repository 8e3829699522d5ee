use crate::Rule;
mod cannot_write_logs;
mod full_admin;

use cannot_write_logs::CannotWriteLogs;
use full_admin::FullAdmin;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&FullAdmin, &CannotWriteLogs];
