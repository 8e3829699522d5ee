//! Helpers shared by the integration tests of the rule catalog.

// Each test crate uses only part of this module.
#![allow(dead_code)]

use sheepdog_diagnostics::{Finding, RuleMeta};
use sheepdog_model::Model;
use sheepdog_rules::{Date, Options, Selection, check};

/// The date every test measures runtime deprecation against, so results never drift.
pub const TODAY: &str = "2026-11-29";

/// Options that run only `rule` (an ID), on [`TODAY`].
pub fn only(rule: &str) -> Options {
    Options {
        today: Date::parse(TODAY).expect("TODAY is a valid date"),
        selection: Selection {
            only: vec![rule.to_owned()],
            ..Selection::default()
        },
        ..Options::default()
    }
}

/// Run only `rule` over `model`.
pub fn run(rule: &str, model: &Model) -> Vec<Finding> {
    check(model, &only(rule))
}

/// The documentation's lines, without the one leading space each doc-comment line keeps.
pub fn doc_lines(meta: &RuleMeta) -> Vec<&'static str> {
    meta.docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect()
}

/// The two examples of a rule's `## Example` section: the fenced `yaml` block after the
/// `Insecure:` line and the one after the `Fixed:` line, in that order.
#[derive(Debug)]
pub struct Examples {
    pub insecure: String,
    pub fixed: String,
}

/// Extract a rule's examples, or say what is wrong with its `## Example` section.
pub fn examples(meta: &RuleMeta) -> Result<Examples, String> {
    let lines = doc_lines(meta);
    let start = lines
        .iter()
        .position(|l| l.trim_end() == "## Example")
        .ok_or("no `## Example` section")?;
    let mut rest = lines[start + 1..]
        .iter()
        .copied()
        .take_while(|l| !l.starts_with("## "));
    let insecure = labelled_block(&mut rest, "Insecure:")?;
    let fixed = labelled_block(&mut rest, "Fixed:")?;
    if let Some(extra) = rest.find(|l| !l.trim().is_empty()) {
        return Err(format!(
            "unexpected text after the `Fixed:` block: `{extra}`"
        ));
    }
    Ok(Examples { insecure, fixed })
}

/// Expect (after blank lines) `label`, then a ```` ```yaml ```` fence, and return the block.
fn labelled_block<'a>(
    lines: &mut impl Iterator<Item = &'a str>,
    label: &str,
) -> Result<String, String> {
    let mut next_nonblank = || lines.find(|l| !l.trim().is_empty());
    match next_nonblank() {
        Some(l) if l.trim_end() == label => {}
        other => return Err(format!("expected `{label}`, found {other:?}")),
    }
    match next_nonblank() {
        Some(l) if l.trim_end() == "```yaml" => {}
        other => {
            return Err(format!(
                "expected a ```yaml fence after `{label}`, found {other:?}"
            ));
        }
    }
    let mut block = String::new();
    for l in lines.by_ref() {
        if l.trim_end() == "```" {
            if block.trim().is_empty() {
                return Err(format!("the `{label}` block is empty"));
            }
            return Ok(block);
        }
        block.push_str(l);
        block.push('\n');
    }
    Err(format!("the `{label}` block is not closed"))
}
