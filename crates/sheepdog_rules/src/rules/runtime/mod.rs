use crate::Rule;
mod async_without_failure_destination;
mod debug_switch_in_environment;
mod deprecated_runtime;
mod runtime_deprecation_soon;

use async_without_failure_destination::AsyncWithoutFailureDestination;
use debug_switch_in_environment::DebugSwitchInEnvironment;
use deprecated_runtime::DeprecatedRuntime;
use runtime_deprecation_soon::RuntimeDeprecationSoon;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[
    &DeprecatedRuntime,
    &RuntimeDeprecationSoon,
    &AsyncWithoutFailureDestination,
    &DebugSwitchInEnvironment,
];
