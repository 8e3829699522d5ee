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
        self.findings.push(Finding {
            rule: self.rule,
            severity: self.rule.severity,
            message: message.into(),
            help: help.into(),
            span: span.clone(),
            resource_kind: resource.kind.clone(),
            resource_id: resource.id.clone(),
            related: Vec::new(),
            key: key.into(),
        });
        let last = self.findings.len() - 1;
        let finding = &mut self.findings[last];
        if let (sheepdog_model::Origin::Derived { from, via }, false) =
            (&resource.origin, resource.span == *span)
        {
            finding.related.push(Related {
                message: format!("created by SAM from `{via}` of `{from}`"),
                span: resource.span.clone(),
            });
        }
        finding
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
