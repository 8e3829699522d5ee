//! The catalog. One explicit list, in documentation order; a meta test checks every
//! `declare_rule!` in this directory appears here.

mod exposure;
mod iam;
mod logging;
mod runtime;
mod secrets;
mod throttling;
mod versioning;

use crate::Rule;

pub static ALL_RULES: &[&dyn Rule] = &[
    &iam::FullAdmin,
    &exposure::PublicInvokePermission,
    &exposure::FunctionUrlAuthNone,
    &secrets::SecretInEnvironment,
    &secrets::EnvironmentWithoutCmk,
    &logging::TracingNotActive,
    &logging::NoLogRetention,
    &runtime::DeprecatedRuntime,
    &runtime::RuntimeDeprecationSoon,
    &throttling::NoReservedConcurrency,
    &versioning::LatestOnly,
];
