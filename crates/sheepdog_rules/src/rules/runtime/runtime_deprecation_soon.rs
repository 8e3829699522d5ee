use sheepdog_model::Model;

use crate::runtimes::lookup;
use crate::{Context, Rule, declare_rule};

/// How far ahead a coming deprecation is reported.
const WINDOW_DAYS: i64 = 180;

declare_rule! {
    /// ## What it checks
    /// A function whose runtime will be deprecated within the next 180 days, according to
    /// the embedded Lambda runtime calendar.
    ///
    /// ## Why it matters
    /// Practices 13 (secure execution environment) and 19 (stay informed): a runtime
    /// upgrade needs testing and a release; starting when the runtime stops receiving
    /// security patches leaves functions unpatched in the meantime.
    ///
    /// ## How to fix
    /// Plan the move to the successor runtime named in the finding before the date.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: nodejs22.x
    ///       Handler: index.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "exports.handler = async () => {}"}
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: nodejs24.x
    ///       Handler: index.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "exports.handler = async () => {}"}
    /// ```
    pub struct RuntimeDeprecationSoon {
        id: "RUN002",
        name: "runtime-deprecation-soon",
        severity: Medium,
        practices: [13, 19],
        sources: [CloudFormation, Sam],
    }
}

impl Rule for RuntimeDeprecationSoon {
    fn meta(&self) -> &'static sheepdog_diagnostics::RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            let Some(runtime) = &f.runtime else { continue };
            let Some(id) = runtime.value.as_str() else {
                continue;
            };
            let Some(entry) = lookup(id) else { continue };
            let Some(deprecated) = entry.deprecated_on() else {
                continue;
            };
            let days = cx.today.days_until(deprecated);
            if !(1..=WINDOW_DAYS).contains(&days) {
                continue;
            }
            let successor = entry
                .successor
                .as_deref()
                .map_or_else(String::new, |s| format!(" (successor: `{s}`)"));
            cx.report(
                &f.resource,
                &runtime.span,
                id,
                format!(
                    "Function `{}` uses runtime `{id}`, deprecated on {deprecated} (in {days} days)",
                    f.resource.id
                ),
                format!("plan the move to a supported runtime{successor}"),
            );
        }
    }
}
