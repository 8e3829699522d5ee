use sheepdog_diagnostics::Finding;
use sheepdog_model::Model;

use crate::{ALL_RULES, Context, Date, Rule};

/// Which rules run: all of them, minus `ignore`, or only `only`. Entries are IDs or names.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub only: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn includes(&self, rule: &dyn Rule) -> bool {
        let m = rule.meta();
        let named = |list: &[String]| {
            list.iter()
                .any(|s| s.eq_ignore_ascii_case(m.id) || s.eq_ignore_ascii_case(m.name))
        };
        (self.only.is_empty() || named(&self.only)) && !named(&self.ignore)
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub today: Date,
    pub selection: Selection,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            today: Date::today(),
            selection: Selection::default(),
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
        };
        rule.check(model, &mut cx);
    }
    findings.sort_by(|a, b| {
        (&a.span.file, a.span.start, a.rule.id, &a.message).cmp(&(
            &b.span.file,
            b.span.start,
            b.rule.id,
            &b.message,
        ))
    });
    findings
}

/// A rule by ID (`PUB002`) or name (`function-url-auth-none`), case-insensitively.
pub fn find_rule(id_or_name: &str) -> Option<&'static dyn Rule> {
    ALL_RULES.iter().copied().find(|r| {
        let m = r.meta();
        m.id.eq_ignore_ascii_case(id_or_name) || m.name.eq_ignore_ascii_case(id_or_name)
    })
}
