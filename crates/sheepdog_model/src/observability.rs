use serde::Serialize;
use sheepdog_diagnostics::{Located, Sourced, Span};

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
    /// Every metric the alarm evaluates, each with its own namespace and dimensions: the
    /// alarm's `Namespace`/`MetricName`/`Dimensions`, or the `MetricStat.Metric` of each
    /// entry of `Metrics` (metric math). A `Metrics` list or entry that cannot be resolved
    /// is one metric whose namespace and name are `Unknown`.
    pub metrics: Vec<AlarmMetric>,
}

/// One metric an alarm evaluates.
#[derive(Debug, Clone, Serialize)]
pub struct AlarmMetric {
    /// The metric's declaration (the alarm's properties, or the `Metrics` entry).
    pub span: Span,
    pub namespace: Option<Sourced<String>>,
    pub name: Option<Sourced<String>>,
    pub dimensions: Vec<AlarmDimension>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlarmDimension {
    pub name: Located<String>,
    pub value: Sourced<String>,
}
