use crate::Rule;
mod environment_without_cmk;
mod secret_in_environment;

use environment_without_cmk::EnvironmentWithoutCmk;
use secret_in_environment::SecretInEnvironment;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[&SecretInEnvironment, &EnvironmentWithoutCmk];
