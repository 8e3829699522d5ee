use crate::Rule;
mod no_reserved_concurrency;

use no_reserved_concurrency::NoReservedConcurrency;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&NoReservedConcurrency];
