use std::collections::HashSet;

use sheepdog_diagnostics::{Finding, Span};
use sheepdog_model::{Model, Resource};

use crate::{Context, Date, Declared, Options, Rule, declare_rule, engine};

declare_rule! {
    /// ## What it checks
    /// A suppression whose `expires` date has passed: a `Metadata.sheepdog.ignore` entry
    /// of a resource, or a `[[suppress]]` entry of `sheepdog.toml`. The finding it accepted
    /// is reported again, at its own severity; this one points at the suppression, which
    /// is what must change. With `--no-inline-ignores` the template's suppressions count
    /// for nothing, expired or not, so only the configuration's are checked.
    ///
    /// No suppression covers this finding, not even one beside the expired entry: the way to
    /// accept it is the suppression's own date. To stop checking expiry altogether, turn the
    /// rule off (`[rules] ignore = ["SUP001"]`), where the whole team sees it.
    ///
    /// ## Why it matters
    /// Practice 14 (regular review): an expiry date is when the team promised to look at
    /// an accepted risk again. Once it passes, the reason written beside it is a decision
    /// nobody has re-made: the workaround it describes may be gone, or the risk may have
    /// grown. A suppression that silently outlives its date turns a reviewed exception into
    /// a permanent one.
    ///
    /// ## How to fix
    /// Fix what the suppression accepted and delete the entry; or, if the reason still
    /// holds, review it and set a new `expires` date (CloudFormation and SAM:
    /// `Metadata.sheepdog.ignore[].expires`; `sheepdog.toml`: `[[suppress]] expires`).
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Metadata:
    ///       sheepdog:
    ///         ignore:
    ///           - rule: THR001
    ///             reason: load tests first, then a concurrency cap
    ///             expires: 2026-01-31
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
    ///     Metadata:
    ///       sheepdog:
    ///         ignore:
    ///           - rule: THR001
    ///             reason: load tests moved to Q3; the API in front throttles at 50 rps
    ///             expires: 2027-09-30
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    /// ```
    pub struct ExpiredSuppression {
        id: "SUP001",
        name: "expired-suppression",
        severity: Low,
        practices: [14],
        sources: [CloudFormation, Sam],
    }
}

const HELP: &str =
    "fix what it accepted and delete it, or review the reason and set a new `expires` date";

impl Rule for ExpiredSuppression {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        if !cx.inline_ignores {
            return;
        }
        // Resources SAM derives carry copies of their origin's suppressions: one finding per
        // entry, on the resource it is written on when that resource is in the model.
        let declared = model.resources().filter(|r| !r.is_derived());
        let derived = model.resources().filter(|r| r.is_derived());
        let mut seen: HashSet<&Span> = HashSet::new();
        for resource in declared.chain(derived) {
            for s in &resource.suppressions {
                let Some(expired) = expiry(s.expires.as_deref(), cx.today) else {
                    continue;
                };
                if !seen.insert(&s.span) {
                    continue;
                }
                report(cx, resource, &s.span, &s.rule, expired);
            }
        }
    }
}

fn report(cx: &mut Context<'_>, resource: &Resource, span: &Span, rule: &str, expired: Date) {
    cx.report_unsuppressible(
        resource,
        span,
        rule,
        format!(
            "Suppression of `{rule}` on `{}` expired on {expired}: its findings are reported again",
            resource.id
        ),
        HELP,
    );
}

/// The day a suppression expired, when it has (an expiry is the last day it counts).
fn expiry(expires: Option<&str>, today: Date) -> Option<Date> {
    expires.and_then(Date::parse).filter(|d| *d < today)
}

/// A `[[suppress]]` entry of `sheepdog.toml`, as SUP001 needs it. The binary applies these
/// entries (the model never sees the configuration), so it asks for their findings here.
#[derive(Debug, Clone)]
pub struct ConfigSuppression<'a> {
    /// The rule it accepts (ID or name).
    pub rule: &'a str,
    /// The resource it is narrowed to, if any.
    pub resource: Option<&'a str>,
    pub expires: &'a str,
    /// Where its `expires` is written.
    pub span: Span,
}

/// SUP001 over the configuration's suppressions: a finding at each expired entry, under the
/// same options as the template rules (selection, severity overrides, minimum severity,
/// baseline). The configuration stays in force with `--no-inline-ignores`, and so does this.
pub fn check_config_suppressions(
    entries: &[ConfigSuppression<'_>],
    options: &Options,
) -> Vec<Finding> {
    if !options.selection.includes(&ExpiredSuppression) {
        return Vec::new();
    }
    let mut findings: Vec<Finding> = entries
        .iter()
        .filter_map(|e| {
            let expired = expiry(Some(e.expires), options.today)?;
            let on = e.resource.map_or_else(String::new, |r| format!(" on `{r}`"));
            Some(Finding {
                rule: ExpiredSuppression.meta(),
                severity: ExpiredSuppression.meta().severity,
                message: format!(
                    "Suppression of `{}`{on} in the configuration expired on {expired}: its findings are reported again",
                    e.rule
                ),
                help: HELP.to_owned(),
                span: e.span.clone(),
                resource_kind: "sheepdog.toml [[suppress]]".to_owned(),
                resource_id: e.resource.unwrap_or("*").to_owned(),
                related: Vec::new(),
                path: Vec::new(),
                key: e.rule.to_owned(),
                suppressed: None,
            })
        })
        .collect();
    engine::apply_options(&mut findings, options);
    findings
}
