use sheepdog_diagnostics::Related;
use sheepdog_model::{EventInvokeConfig, Function, Model, Origin, UnknownReason, Value};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

/// Service principals that invoke Lambda asynchronously, and how messages name them.
const ASYNC_SERVICES: [(&str, &str); 9] = [
    ("s3.amazonaws.com", "S3"),
    ("sns.amazonaws.com", "SNS"),
    ("events.amazonaws.com", "EventBridge"),
    ("ses.amazonaws.com", "SES"),
    ("logs.amazonaws.com", "CloudWatch Logs"),
    ("iot.amazonaws.com", "IoT"),
    ("iotevents.amazonaws.com", "IoT Events"),
    ("codecommit.amazonaws.com", "CodeCommit"),
    ("config.amazonaws.com", "Config"),
];

declare_rule! {
    /// ## What it checks
    /// A function invoked asynchronously that has neither a dead-letter queue nor an
    /// on-failure destination.
    /// A function is invoked asynchronously when the template lets a service that invokes
    /// asynchronously call it (an `AWS::Lambda::Permission`, or the permission of a SAM `S3`,
    /// `SNS`, `Schedule`, `EventBridgeRule`, `CloudWatchEvent`, `CloudWatchLogs` or
    /// `IoTRule` event): S3, SNS, EventBridge rules and schedules, SES, CloudWatch Logs,
    /// AWS Config, `iot.amazonaws.com`, `iotevents.amazonaws.com` and
    /// `codecommit.amazonaws.com`. It is covered by `DeadLetterConfig.TargetArn` (SAM `DeadLetterQueue`) or by
    /// an `AWS::Lambda::EventInvokeConfig` with `DestinationConfig.OnFailure` (SAM
    /// `EventInvokeConfig`, where `Type: SQS`/`SNS` without `Destination` makes SAM create
    /// the queue or topic). Targets sheepdog cannot resolve count as set, and an event invoke
    /// config whose function is a parameter or an import may cover any function.
    ///
    /// ## Why it matters
    /// Practice 13 (secure execution environment): Lambda retries a failed asynchronous
    /// event twice, then discards it. Without a dead-letter queue or an on-failure
    /// destination the event is gone without a trace: an upload never scanned, a
    /// notification never processed, an audit record never written — and an attacker who
    /// can make the function fail (a malformed object, a poisoned message) can make events
    /// disappear on purpose. A failure destination keeps each failed event with its error
    /// for inspection and replay.
    ///
    /// ## How to fix
    /// Add an on-failure destination: `AWS::Lambda::EventInvokeConfig` with
    /// `DestinationConfig: {OnFailure: {Destination: <queue, topic, bus or function ARN>}}`
    /// (SAM: `EventInvokeConfig: {DestinationConfig: {OnFailure: {Type: SQS}}}`), or a
    /// dead-letter queue: `DeadLetterConfig: {TargetArn: <queue or topic ARN>}` (SAM:
    /// `DeadLetterQueue: {Type: SQS, TargetArn: ...}`). Grant the execution role the right
    /// to send to it, and alarm on its depth.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Events:
    ///         Nightly:
    ///           Type: Schedule
    ///           Properties:
    ///             Schedule: rate(1 day)
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       EventInvokeConfig:
    ///         DestinationConfig:
    ///           OnFailure:
    ///             Type: SQS
    ///       Events:
    ///         Nightly:
    ///           Type: Schedule
    ///           Properties:
    ///             Schedule: rate(1 day)
    /// ```
    pub struct AsyncWithoutFailureDestination {
        id: "RUN003",
        name: "async-without-failure-destination",
        severity: Low,
        practices: [13],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for AsyncWithoutFailureDestination {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        // An event invoke config on a function sheepdog cannot resolve may be anyone's.
        let unresolved_config = model
            .event_invoke_configs
            .iter()
            .any(|c| c.on_failure_destination.is_some() && !resolvable(c));
        if unresolved_config {
            return;
        }
        for f in &model.functions {
            if f.dead_letter_target.is_some() || has_failure_destination(model, f) {
                continue;
            }
            let sources: Vec<(&str, &sheepdog_model::Permission)> = model
                .permissions_of(f)
                .filter_map(|p| {
                    let principal = p.principal.value.as_str()?;
                    ASYNC_SERVICES
                        .iter()
                        .find(|(service, _)| *service == principal)
                        .map(|(_, name)| (*name, p))
                })
                .collect();
            if sources.is_empty() {
                continue;
            }
            let mut names: Vec<&str> = sources.iter().map(|(n, _)| *n).collect();
            names.sort_unstable();
            names.dedup();
            let finding = cx.report(
                &f.resource,
                &f.resource.span,
                "",
                format!(
                    "Function `{}` is invoked asynchronously (by {}) but has no dead-letter queue or on-failure destination, so events that still fail after two retries are dropped",
                    f.resource.id,
                    names.join(", ")
                ),
                "add an `EventInvokeConfig` with `DestinationConfig.OnFailure`, or a `DeadLetterConfig`",
            );
            for (name, p) in sources {
                // A SAM event is named by its property (`Events.Upload`), a permission by its ID.
                let through = match &p.resource.origin {
                    Origin::Derived { via, .. } if via.starts_with("Events.") => format!("`{via}`"),
                    _ => describe(&p.resource),
                };
                finding.related.push(Related {
                    message: format!("invoked asynchronously by {name} through {through}"),
                    span: p.resource.span.clone(),
                });
            }
        }
    }
}

fn has_failure_destination(model: &Model, f: &Function) -> bool {
    model.event_invoke_configs.iter().any(|c| {
        c.on_failure_destination.is_some()
            && model
                .function_of(&c.function.value)
                .is_some_and(|(g, _)| g.resource.id == f.resource.id)
    })
}

/// Whether the function of an event invoke config is a name, an ARN or a template
/// resource (rather than a parameter, an import or an expression sheepdog does not
/// evaluate).
fn resolvable(c: &EventInvokeConfig) -> bool {
    match &c.function.value {
        Value::Known(_) => true,
        Value::Unknown(u) => matches!(
            u.reason,
            UnknownReason::Resource { .. } | UnknownReason::Composite { .. }
        ),
    }
}
