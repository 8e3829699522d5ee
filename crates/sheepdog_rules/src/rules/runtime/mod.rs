use crate::Rule;
mod deprecated_runtime;
mod runtime_deprecation_soon;

use deprecated_runtime::DeprecatedRuntime;
use runtime_deprecation_soon::RuntimeDeprecationSoon;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&DeprecatedRuntime, &RuntimeDeprecationSoon];
