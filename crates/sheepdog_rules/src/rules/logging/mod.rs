use crate::Rule;
mod api_access_logging_off;
mod api_execution_logging;
mod api_stage_without_xray;
mod log_group_without_kms;
mod no_error_alarm;
mod no_log_retention;
mod stages;
mod tracing_not_active;

use api_access_logging_off::ApiAccessLoggingOff;
use api_execution_logging::ApiExecutionLogging;
use api_stage_without_xray::ApiStageWithoutXray;
use log_group_without_kms::LogGroupWithoutKms;
use no_error_alarm::NoErrorAlarm;
use no_log_retention::NoLogRetention;
use tracing_not_active::TracingNotActive;

/// This family's rules, in documentation order.
pub(super) static RULES: &[&dyn Rule] = &[
    &TracingNotActive,
    &NoLogRetention,
    &LogGroupWithoutKms,
    &NoErrorAlarm,
    &ApiAccessLoggingOff,
    &ApiStageWithoutXray,
    &ApiExecutionLogging,
];
