//! The examples in every rule's documentation are true: the `Insecure:` template gives a
//! finding of that rule, the `Fixed:` one gives none.

mod common;

use std::sync::Arc;

use sheepdog_load::{Mode, load_bytes};
use sheepdog_rules::ALL_RULES;

/// Findings of `rule` in an example, or why the example does not load.
fn findings(rule: &str, text: &str) -> Result<Vec<String>, String> {
    let file: Arc<str> = Arc::from("doc-example.yaml");
    let loaded = load_bytes(&file, text.as_bytes(), Mode::Explicit).ok_or("not loaded")?;
    if !loaded.diagnostics.is_empty() {
        let list: Vec<String> = loaded
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        return Err(format!("it does not load cleanly: {}", list.join("; ")));
    }
    let model = loaded.model.ok_or("no model")?;
    Ok(common::run(rule, &model)
        .into_iter()
        .filter(|f| f.rule.id == rule)
        .map(|f| {
            format!(
                "{}:{} {}",
                f.span.start.line, f.span.start.column, f.message
            )
        })
        .collect())
}

#[test]
fn doc_examples_behave_as_documented() {
    let mut problems = Vec::new();
    for rule in ALL_RULES.iter() {
        let m = rule.meta();
        let examples = match common::examples(m) {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("{}: {e}", m.id));
                continue;
            }
        };
        match findings(m.id, &examples.insecure) {
            Ok(found) if found.is_empty() => problems.push(format!(
                "{}: the `Insecure:` example gives no finding\n{}",
                m.id, examples.insecure
            )),
            Ok(_) => {}
            Err(e) => problems.push(format!("{}: the `Insecure:` example: {e}", m.id)),
        }
        match findings(m.id, &examples.fixed) {
            Ok(found) if !found.is_empty() => problems.push(format!(
                "{}: the `Fixed:` example still gives findings: {}\n{}",
                m.id,
                found.join("; "),
                examples.fixed
            )),
            Ok(_) => {}
            Err(e) => problems.push(format!("{}: the `Fixed:` example: {e}", m.id)),
        }
    }
    assert!(
        problems.is_empty(),
        "documentation examples that do not behave:\n\n{}",
        problems.join("\n\n")
    );
}
