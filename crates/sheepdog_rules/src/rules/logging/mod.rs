use crate::Rule;
mod no_log_retention;
mod tracing_not_active;

use no_log_retention::NoLogRetention;
use tracing_not_active::TracingNotActive;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&TracingNotActive, &NoLogRetention];
