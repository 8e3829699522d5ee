use crate::Rule;
mod expired_suppression;

pub use expired_suppression::{ConfigSuppression, ExpiredSuppression, check_config_suppressions};

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&ExpiredSuppression];
