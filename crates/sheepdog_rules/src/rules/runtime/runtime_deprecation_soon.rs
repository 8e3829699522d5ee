use sheepdog_model::Model;

use crate::runtimes::deprecation;
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
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for RuntimeDeprecationSoon {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            let Some(d) = deprecation(f) else { continue };
            let days = cx.today.days_until(d.on);
            if !(1..=WINDOW_DAYS).contains(&days) {
                continue;
            }
            cx.report(
                &f.resource,
                d.span,
                d.id,
                format!(
                    "Function `{}` uses runtime `{}`, deprecated on {} (in {days} days)",
                    f.resource.id, d.id, d.on
                ),
                format!(
                    "plan the move to a supported runtime{}",
                    d.entry.successor_hint()
                ),
            );
        }
    }
}
