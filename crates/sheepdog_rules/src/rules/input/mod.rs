use crate::Rule;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[];
