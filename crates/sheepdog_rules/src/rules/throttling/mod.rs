use crate::Rule;
mod api_stage_without_throttling;
mod no_reserved_concurrency;
mod public_url_without_concurrency_cap;

use api_stage_without_throttling::ApiStageWithoutThrottling;
use no_reserved_concurrency::NoReservedConcurrency;
use public_url_without_concurrency_cap::PublicUrlWithoutConcurrencyCap;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[
    &NoReservedConcurrency,
    &ApiStageWithoutThrottling,
    &PublicUrlWithoutConcurrencyCap,
];
