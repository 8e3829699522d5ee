use sheepdog_model::Model;

use crate::runtimes::deprecation;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function whose runtime has reached its deprecation date in the embedded Lambda
    /// runtime calendar (every runtime identifier with its deprecation, create-block and
    /// update-block dates; sheepdog warns when the calendar is more than 180 days old).
    ///
    /// ## Why it matters
    /// Practices 13 (secure execution environment) and 19 (stay informed): after
    /// deprecation AWS no longer applies security patches to the runtime, and later blocks
    /// creating and then updating such functions — at which point you cannot even deploy a
    /// fix.
    ///
    /// ## How to fix
    /// Move to the runtime's successor (named in the finding), test, and deploy. Set the
    /// runtime once under SAM `Globals: Function:` so every function moves together.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.8
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.13
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    /// ```
    pub struct DeprecatedRuntime {
        id: "RUN001",
        name: "deprecated-runtime",
        severity: High,
        practices: [13, 19],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for DeprecatedRuntime {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            let Some(d) = deprecation(f) else { continue };
            if d.on > cx.today {
                continue;
            }
            let when = |date: crate::Date| {
                if date <= cx.today {
                    format!("since {date}")
                } else {
                    format!("from {date}")
                }
            };
            let blocked: String = [
                d.entry
                    .block_create_on()
                    .map(|c| format!("; creating functions blocked {}", when(c))),
                d.entry
                    .block_update_on()
                    .map(|u| format!("; updates blocked {}", when(u))),
            ]
            .into_iter()
            .flatten()
            .collect();
            cx.report(
                &f.resource,
                d.span,
                d.id,
                format!(
                    "Function `{}` uses runtime `{}`, deprecated since {}{blocked}",
                    f.resource.id, d.id, d.on
                ),
                format!("move to a supported runtime{}", d.entry.successor_hint()),
            );
        }
    }
}
