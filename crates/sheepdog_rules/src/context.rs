use sheepdog_diagnostics::{Finding, Related, RuleMeta, Span};
use sheepdog_model::Resource;

use crate::Date;

/// What a rule gets besides the model: where to put findings, and the run's options.
pub struct Context<'a> {
    pub(crate) rule: &'static RuleMeta,
    pub(crate) findings: &'a mut Vec<Finding>,
    /// The date runtime deprecation is measured against.
    pub today: Date,
    pub(crate) options: Option<&'a std::collections::BTreeMap<String, String>>,
    /// `# sheepdog:ignore[...]` comments of the file, and whether inline suppressions count.
    pub(crate) line_suppressions: &'a [sheepdog_model::LineSuppression],
    pub(crate) inline_ignores: bool,
}

impl Context<'_> {
    /// Whether the rule's boolean option `name` is set to `true` (`--rule-option ID.name=true`).
    pub fn option_enabled(&self, name: &str) -> bool {
        self.options
            .and_then(|o| o.get(name))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The rule's list option `name`, comma-separated (`--rule-option ID.name=a,b`): its
    /// entries trimmed, empty ones dropped; empty when the option is not set.
    pub fn option_list(&self, name: &str) -> Vec<String> {
        self.options
            .and_then(|o| o.get(name))
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Report a finding on `resource` at `span`. `key` tells findings of this rule on the
    /// same resource apart (an env var name, a statement index); it feeds the fingerprint,
    /// so it must not contain line numbers.
    pub fn report(
        &mut self,
        resource: &Resource,
        span: &Span,
        key: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> &mut Finding {
        let suppression = self.suppression(resource, span);
        let finding = self.report_unsuppressible(resource, span, key, message, help);
        match suppression {
            Some((reason, None)) => finding.suppressed = Some(reason),
            Some((_, Some(expired))) => {
                finding.message += " (its suppression expired on ";
                finding.message += &expired;
                finding.message.push(')');
            }
            None => {}
        }
        finding
    }

    /// [`Context::report`] for a finding no suppression written in the template covers: a
    /// finding about a suppression itself (SUP001), which an `ignore` beside it must not hide.
    pub(crate) fn report_unsuppressible(
        &mut self,
        resource: &Resource,
        span: &Span,
        key: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> &mut Finding {
        let mut finding = Finding {
            rule: self.rule,
            severity: self.rule.severity,
            message: message.into(),
            help: help.into(),
            span: span.clone(),
            resource_kind: resource.kind.clone(),
            resource_id: resource.id.clone(),
            related: Vec::new(),
            path: Vec::new(),
            key: key.into(),
            suppressed: None,
        };
        if let Some(declared) = &resource.declared_at {
            finding.related.push(Related {
                message: format!("`{}` is declared here", resource.id),
                span: declared.clone(),
            });
        }
        if let (sheepdog_model::Origin::Derived { from, via }, false) =
            (&resource.origin, resource.span == *span)
        {
            finding.related.push(Related {
                message: format!("created by SAM from `{via}` of `{from}`"),
                span: resource.span.clone(),
            });
        }
        self.findings.push(finding);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// The suppression covering a finding of this rule on `resource` at `span`: its reason,
    /// and the expiry date when it has passed.
    fn suppression(&self, resource: &Resource, span: &Span) -> Option<(String, Option<String>)> {
        if !self.inline_ignores {
            return None;
        }
        let names = |r: &str| {
            r.eq_ignore_ascii_case(self.rule.id) || r.eq_ignore_ascii_case(self.rule.name)
        };
        if let Some(s) = resource.suppressions.iter().find(|s| names(&s.rule)) {
            let expired = s
                .expires
                .as_deref()
                .and_then(Date::parse)
                .filter(|d| *d < self.today)
                .map(|d| d.to_string());
            return Some((s.reason.clone(), expired));
        }
        self.line_suppressions
            .iter()
            .find(|s| {
                s.line == span.start.line
                    && *s.span.file == *span.file
                    && s.rules.iter().any(|r| names(r))
            })
            .map(|s| (s.reason.clone(), None))
    }
}

/// How a resource is named in messages: its logical ID, marked when SAM created it (the
/// finding's note then says from which property).
pub fn describe(resource: &Resource) -> String {
    match &resource.origin {
        sheepdog_model::Origin::Declared => format!("`{}`", resource.id),
        sheepdog_model::Origin::Derived { from, .. } => {
            format!("`{}` (created by SAM for `{from}`)", resource.id)
        }
    }
}

/// How messages list things: `a`, `a and b`, `a, b and c` (with `conjunction` for `and`).
pub fn join(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}
