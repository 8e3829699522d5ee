use sheepdog_model::{AlarmMetric, Function, Model, Sourced, UnknownReason, Value};

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function that no CloudWatch alarm of the template watches for errors or throttles.
    /// An alarm counts when one of its metrics (its own, or a `MetricStat` of its `Metrics`
    /// list) is `Errors` or `Throttles` in the `AWS/Lambda` namespace with a `FunctionName`
    /// dimension naming the function (`!Ref Fn`, or its literal `FunctionName`) or a
    /// `Resource` dimension naming one of its aliases or versions (`!Sub ${Fn}:live`).
    ///
    /// An alarm on those metrics with no dimensions at all watches every function of the
    /// account and Region, so it covers every function. A namespace, metric name or
    /// dimension sheepdog cannot resolve (a parameter, an import) counts as covering the
    /// function when it could name it; a reference to another resource of the template
    /// does not. One finding per function, at its logical ID.
    ///
    /// ## Why it matters
    /// Practice 4 (monitoring and logging): errors and throttles are how an attack on a
    /// function first shows — a fuzzing campaign, a flood exhausting its concurrency, a
    /// poisoned event failing every invocation. Without an alarm they only appear in a
    /// dashboard nobody watches, and an incident is found late or by its victims.
    ///
    /// ## How to fix
    /// Declare an `AWS::CloudWatch::Alarm` with `Namespace: AWS/Lambda`, `MetricName: Errors`
    /// (and another on `Throttles`), `Dimensions: [{Name: FunctionName, Value: !Ref Fn}]`,
    /// and an `AlarmActions` topic someone reads. If alarms live in a separate monitoring
    /// stack, suppress this rule for the template. Terraform: an
    /// `aws_cloudwatch_metric_alarm` with `namespace = "AWS/Lambda"`, `metric_name =
    /// "Errors"` and `dimensions = { FunctionName = aws_lambda_function.fn.function_name }`.
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
    ///   FnErrors:
    ///     Type: AWS::CloudWatch::Alarm
    ///     Properties:
    ///       Namespace: AWS/Lambda
    ///       MetricName: Errors
    ///       Dimensions:
    ///         - Name: FunctionName
    ///           Value: !Ref Fn
    ///       Statistic: Sum
    ///       Period: 60
    ///       EvaluationPeriods: 1
    ///       Threshold: 1
    ///       ComparisonOperator: GreaterThanOrEqualToThreshold
    /// ```
    pub struct NoErrorAlarm {
        id: "LOG004",
        name: "no-error-alarm",
        severity: Low,
        practices: [4],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for NoErrorAlarm {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            let watched = model
                .alarms
                .iter()
                .flat_map(|a| &a.metrics)
                .any(|m| may_watch(m, f));
            if watched {
                continue;
            }
            cx.report(
                &f.resource,
                &f.resource.span,
                "",
                format!(
                    "Function `{}` has no CloudWatch alarm on its `Errors` or `Throttles` metric",
                    f.resource.id
                ),
                "add an `AWS::CloudWatch::Alarm` on `AWS/Lambda` `Errors` and another on `Throttles`, with `Dimensions: [{Name: FunctionName, Value: !Ref Fn}]` for this function",
            );
        }
    }
}

/// Whether `metric` is, or may be, the errors or throttles of `f`.
fn may_watch(metric: &AlarmMetric, f: &Function) -> bool {
    if !may_be(metric.namespace.as_ref(), |ns| ns == "AWS/Lambda")
        || !may_be(metric.name.as_ref(), |n| n == "Errors" || n == "Throttles")
    {
        return false;
    }
    // No dimension: the metric aggregated over every function of the account.
    if metric.dimensions.is_empty() {
        return true;
    }
    let mut names_a_function = false;
    for d in &metric.dimensions {
        let qualified = match d.name.value.as_str() {
            "FunctionName" => false,
            // `name:alias` or `name:version`; an unresolvable dimension name may be either.
            "Resource" | "" => true,
            // `ExecutedVersion` and the like narrow the metric; they do not name a function.
            _ => continue,
        };
        names_a_function = true;
        if !may_name(&d.value, f, qualified) {
            return false;
        }
    }
    names_a_function
}

/// `None` (not written) is not a match; an unresolvable value may be anything.
fn may_be(value: Option<&Sourced<String>>, wanted: impl Fn(&str) -> bool) -> bool {
    match value.map(|v| &v.value) {
        None => false,
        Some(Value::Known(v)) => wanted(v),
        Some(Value::Unknown(_)) => true,
    }
}

/// Whether a dimension value names (or may name) `f`; `qualified` for the `Resource`
/// dimension, whose value is the function name followed by `:alias` or `:version`.
fn may_name(value: &Sourced<String>, f: &Function, qualified: bool) -> bool {
    if Model::targets_function(&value.value, f) {
        return true;
    }
    let refers_to_f = |refs: &[String]| refs.iter().any(|r| r == &f.resource.id);
    let Some(fname) = f.name.as_ref().map(|n| &n.value) else {
        // CloudFormation generates the name: only a reference to the function can know it
        // (`!Ref Fn`, `!Sub ${Fn}:live`).
        return matches!(
            &value.value,
            Value::Unknown(u) if matches!(&u.reason, UnknownReason::Composite { refs } if refers_to_f(refs))
        );
    };
    match (&value.value, fname) {
        (Value::Known(v), Value::Known(n)) => {
            let v = if qualified {
                v.split(':').next().unwrap_or(v)
            } else {
                v
            };
            v == n
        }
        // A name chosen at deploy time may be this literal.
        (Value::Known(_), Value::Unknown(_)) => true,
        (Value::Unknown(u), _) => match &u.reason {
            // Another resource of the template (`!Ref OtherFn`).
            UnknownReason::Resource { .. } => false,
            UnknownReason::Composite { refs } if !refs.is_empty() => refers_to_f(refs),
            // Built from parameters only (`!Sub ${Env}-orders`): when the function's name is
            // built from parameters too, the two must be written the same way.
            UnknownReason::Composite { .. } => name_expr(f).is_none_or(|expr| {
                u.expr == expr
                    || (qualified
                        && u.expr
                            .strip_prefix(expr.as_str())
                            .is_some_and(|rest| rest.starts_with(':')))
            }),
            // A parameter, an import, a dynamic reference: it may be this function's name.
            _ => true,
        },
    }
}

/// The function's name as `!Sub` would spell it, when it is built from parameters only:
/// `${Name}` for `!Ref Name`, the expression itself for `!Sub ${Env}-orders`.
fn name_expr(f: &Function) -> Option<String> {
    let u = f.name.as_ref()?.value.unknown()?;
    match &u.reason {
        UnknownReason::Parameter { name } => Some(format!("${{{name}}}")),
        UnknownReason::Composite { refs } if refs.is_empty() => Some(u.expr.clone()),
        _ => None,
    }
}
