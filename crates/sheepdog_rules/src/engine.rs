use std::collections::{BTreeMap, BTreeSet};

use sheepdog_diagnostics::{Finding, Severity};
use sheepdog_model::Model;

use crate::{ALL_RULES, Context, Date, Rule};

/// Which rules run. Entries are IDs or names.
///
/// By default every rule that is not opt-in; `only` narrows that to the rules named (an
/// opt-in rule named there runs); `enable` adds opt-in rules; `ignore` removes rules.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub only: Vec<String>,
    pub ignore: Vec<String>,
    pub enable: Vec<String>,
}

impl Selection {
    pub fn includes(&self, rule: &dyn Rule) -> bool {
        let m = rule.meta();
        let named = |list: &[String]| {
            list.iter()
                .any(|s| s.eq_ignore_ascii_case(m.id) || s.eq_ignore_ascii_case(m.name))
        };
        let selected = if self.only.is_empty() {
            !m.opt_in || named(&self.enable)
        } else {
            named(&self.only)
        };
        selected && !named(&self.ignore)
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub today: Date,
    pub selection: Selection,
    /// Findings less severe than this are not reported.
    pub min_severity: Severity,
    /// Rule settings: rule ID → option name → value (see `RuleMeta::options`).
    pub rule_options: BTreeMap<String, BTreeMap<String, String>>,
    /// Fingerprints of accepted findings (`--baseline`): not reported again.
    pub baseline: BTreeSet<String>,
    /// Severity overrides by rule ID (configuration).
    pub severity: BTreeMap<String, Severity>,
    /// Whether suppressions written in the scanned files count (`--no-inline-ignores`: no).
    pub inline_ignores: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            today: Date::today(),
            selection: Selection::default(),
            min_severity: Severity::Info,
            rule_options: BTreeMap::new(),
            baseline: BTreeSet::new(),
            severity: BTreeMap::new(),
            inline_ignores: true,
        }
    }
}

/// Run the selected rules over one model. Findings come back sorted by file, line,
/// column, rule (DESIGN.md invariant 6).
pub fn check(model: &Model, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in ALL_RULES.iter().filter(|r| options.selection.includes(**r)) {
        let mut cx = Context {
            rule: rule.meta(),
            findings: &mut findings,
            today: options.today,
            options: options.rule_options.get(rule.meta().id),
            line_suppressions: &model.line_suppressions,
            inline_ignores: options.inline_ignores,
        };
        rule.check(model, &mut cx);
    }
    // Words only (see `terraform_terms`): the findings themselves are the same.
    if model.format == sheepdog_model::Format::Terraform {
        for f in &mut findings {
            f.message = crate::terraform_terms::for_terraform(&f.message);
            f.help = crate::terraform_terms::for_terraform(&f.help);
            for step in &mut f.path {
                step.message = crate::terraform_terms::for_terraform(&step.message);
            }
        }
    }
    apply_options(&mut findings, options);
    findings
}

/// What the options do to findings once found: severity overrides, the minimum severity,
/// the baseline, then the report order. For findings made outside [`check`] too (SUP001 on
/// the configuration's suppressions), so they obey the same settings.
pub(crate) fn apply_options(findings: &mut Vec<Finding>, options: &Options) {
    for f in findings.iter_mut() {
        if let Some(s) = options.severity.get(f.rule.id) {
            f.severity = *s;
        }
    }
    findings.retain(|f| f.severity >= options.min_severity);
    if !options.baseline.is_empty() {
        findings.retain(|f| !options.baseline.contains(&f.fingerprint()));
    }
    findings.sort_by(|a, b| {
        (&a.span.file, a.span.start, a.rule.id, &a.message).cmp(&(
            &b.span.file,
            b.span.start,
            b.rule.id,
            &b.message,
        ))
    });
}

/// A rule by ID (`PUB002`) or name (`function-url-auth-none`), case-insensitively.
pub fn find_rule(id_or_name: &str) -> Option<&'static dyn Rule> {
    ALL_RULES.iter().copied().find(|r| {
        let m = r.meta();
        m.id.eq_ignore_ascii_case(id_or_name) || m.name.eq_ignore_ascii_case(id_or_name)
    })
}
