use serde::Serialize;
use sheepdog_diagnostics::{Located, Sourced};

use crate::Resource;

/// `AWS::Logs::LogGroup`.
#[derive(Debug, Clone, Serialize)]
pub struct LogGroup {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    pub retention_in_days: Option<Sourced<i64>>,
    pub kms_key: Option<Sourced<String>>,
}

/// `AWS::CloudWatch::Alarm`.
#[derive(Debug, Clone, Serialize)]
pub struct Alarm {
    pub resource: Resource,
    pub namespace: Option<Sourced<String>>,
    pub metric_name: Option<Sourced<String>>,
    pub dimensions: Vec<AlarmDimension>,
    /// True when the alarm uses `Metrics` (metric math): its metrics are in `metric_names`.
    pub metric_names: Vec<Sourced<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlarmDimension {
    pub name: Located<String>,
    pub value: Sourced<String>,
}
