use crate::Rule;
mod latest_only;
mod no_code_signing;
mod no_gradual_deployment;
mod trigger_targets_latest;

use latest_only::LatestOnly;
use no_code_signing::NoCodeSigning;
use no_gradual_deployment::NoGradualDeployment;
use trigger_targets_latest::TriggerTargetsLatest;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[
    &LatestOnly,
    &TriggerTargetsLatest,
    &NoCodeSigning,
    &NoGradualDeployment,
];
