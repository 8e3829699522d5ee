use crate::Rule;
mod api_cache_not_encrypted;
mod environment_without_cmk;
mod plaintext_event_source_token;
mod secret_in_environment;
mod secret_in_stage_variables;
mod secret_resolved_into_environment;
mod secret_without_rotation;

use api_cache_not_encrypted::ApiCacheNotEncrypted;
use environment_without_cmk::EnvironmentWithoutCmk;
use plaintext_event_source_token::PlaintextEventSourceToken;
use secret_in_environment::SecretInEnvironment;
use secret_in_stage_variables::SecretInStageVariables;
use secret_resolved_into_environment::SecretResolvedIntoEnvironment;
use secret_without_rotation::SecretWithoutRotation;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[
    &SecretInEnvironment,
    &EnvironmentWithoutCmk,
    &SecretResolvedIntoEnvironment,
    &SecretWithoutRotation,
    &ApiCacheNotEncrypted,
    &SecretInStageVariables,
    &PlaintextEventSourceToken,
];
