//! The README's rule table is documentation users read first: it must list every rule.

use sheepdog_rules::ALL_RULES;

#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md is readable");
    let missing: Vec<&str> = ALL_RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| !readme.contains(&format!("| {} | {} |", m.id, m.name)))
        .map(|m| m.id)
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's rule table lacks {missing:?} (row: `| ID | name | ...`)"
    );
}
