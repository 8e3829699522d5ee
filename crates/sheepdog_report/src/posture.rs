//! A function's posture: practice by practice, whether the rules that ran found something
//! wrong with it. Worked out per deployment unit, where every resource a function depends
//! on is known, whichever file of the unit the findings are in.

use std::collections::{BTreeMap, BTreeSet};

use sheepdog_diagnostics::{Finding, Practice, Span};

/// A scanned function and its posture.
#[derive(Debug, Clone)]
pub struct ScannedFunction {
    /// Its logical ID.
    pub id: String,
    /// Its declaration.
    pub span: Span,
    /// The practices that fail for it, each with the rules that say so. A practice the rules
    /// that ran check and that is absent here passes.
    pub failing: BTreeMap<Practice, BTreeSet<&'static str>>,
}

impl ScannedFunction {
    /// The posture of function `id`, declared at `span`, from its unit's `findings`: a
    /// practice fails when a finding of one of its rules is on a resource of `parts` (the
    /// function and what is part of it: `Model::resources_of`). Suppressed findings are
    /// accepted risks and do not count.
    pub fn new(id: &str, span: &Span, parts: &[&str], findings: &[Finding]) -> Self {
        let mut failing: BTreeMap<Practice, BTreeSet<&'static str>> = BTreeMap::new();
        let on_the_function = findings
            .iter()
            .filter(|f| f.suppressed.is_none() && parts.contains(&f.resource_id.as_str()));
        for f in on_the_function {
            for p in f.rule.practices {
                failing.entry(*p).or_default().insert(f.rule.id);
            }
        }
        Self {
            id: id.to_owned(),
            span: span.clone(),
            failing,
        }
    }
}
