//! Meta tests: the conventions every rule follows, checked here instead of in review
//! (STYLE.md). Each test lists every offending rule, not only the first.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use regex::Regex;
use sheepdog_diagnostics::Source;
use sheepdog_rules::{ALL_RULES, find_rule};

/// The sections of a rule's documentation, in order.
const SECTIONS: [&str; 4] = [
    "## What it checks",
    "## Why it matters",
    "## How to fix",
    "## Example",
];

fn fail_if_any(what: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

#[test]
fn ids_are_unique_and_well_formed() {
    // The families of PRACTICES.md, and SUP for sheepdog's own suppressions.
    let shape = Regex::new(r"^(IAM|PUB|SEC|LOG|DEP|NET|TLS|INJ|WAF|VER|THR|RUN|IMG|ACC|SUP)\d{3}$")
        .expect("regex");
    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    for rule in ALL_RULES.iter() {
        let id = rule.meta().id;
        if !shape.is_match(id) {
            problems.push(format!(
                "`{id}` is not a family prefix (PRACTICES.md, or SUP) followed by three digits"
            ));
        }
        if !seen.insert(id) {
            problems.push(format!("`{id}` is used by more than one rule"));
        }
    }
    fail_if_any("rule IDs", &problems);
}

#[test]
fn names_are_unique_and_kebab_case() {
    let kebab = Regex::new(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$").expect("regex");
    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    for rule in ALL_RULES.iter() {
        let m = rule.meta();
        if !kebab.is_match(m.name) {
            problems.push(format!("{}: name `{}` is not kebab-case", m.id, m.name));
        }
        if !seen.insert(m.name) {
            problems.push(format!(
                "{}: name `{}` is used by more than one rule",
                m.id, m.name
            ));
        }
    }
    fail_if_any("rule names", &problems);
}

#[test]
fn rules_are_found_by_id_and_by_name() {
    let mut problems = Vec::new();
    for rule in ALL_RULES.iter() {
        let m = rule.meta();
        for key in [m.id, m.name] {
            if find_rule(key).map(|r| r.meta().id) != Some(m.id) {
                problems.push(format!("`{key}` does not find {}", m.id));
            }
        }
    }
    fail_if_any("rule lookup", &problems);
}

#[test]
fn practices_are_between_1_and_19() {
    let mut problems = Vec::new();
    for rule in ALL_RULES.iter() {
        let m = rule.meta();
        if m.practices.is_empty() {
            problems.push(format!("{}: names no practice", m.id));
        }
        for p in m.practices {
            if !(1..=19).contains(p) {
                problems.push(format!("{}: practice {p} is not one of the nineteen", m.id));
            }
        }
        let unique: HashSet<_> = m.practices.iter().collect();
        if unique.len() != m.practices.len() {
            problems.push(format!("{}: a practice is listed twice", m.id));
        }
    }
    fail_if_any("rule practices", &problems);
}

#[test]
fn summaries_are_one_sentence() {
    let mut problems = Vec::new();
    for rule in ALL_RULES.iter() {
        let m = rule.meta();
        let summary = m.summary();
        if summary.trim().is_empty() {
            problems.push(format!("{}: empty summary", m.id));
        } else if !summary.ends_with('.') {
            problems.push(format!(
                "{}: summary does not end with a period: {summary:?}",
                m.id
            ));
        }
    }
    fail_if_any("rule summaries", &problems);
}

/// What is wrong with one rule's documentation.
fn doc_problems(meta: &sheepdog_diagnostics::RuleMeta) -> Vec<String> {
    let mut problems = Vec::new();
    let lines = common::doc_lines(meta);
    // The required sections, in order; a rule with options also has `## Options`, right
    // before the example.
    let headings: Vec<&str> = lines
        .iter()
        .map(|l| l.trim_end())
        .filter(|l| l.starts_with("## ") && *l != "## Options")
        .collect();
    if headings != SECTIONS {
        problems.push(format!(
            "sections are {headings:?}, expected exactly {SECTIONS:?} in that order (plus `## Options` before `## Example` when the rule has options)"
        ));
    }
    let has_options_section = lines.iter().any(|l| l.trim_end() == "## Options");
    if has_options_section == meta.options.is_empty() {
        problems.push(
            "an `## Options` section documents exactly the rules that declare options".to_owned(),
        );
    }
    for heading in SECTIONS {
        let name = &heading[3..];
        match meta.section(name) {
            Some(body) if !body.trim().is_empty() => {}
            _ => problems.push(format!("section `{heading}` is missing or empty")),
        }
    }
    if meta
        .section("Why it matters")
        .is_some_and(|why| !why.contains("Practice"))
    {
        problems.push("`## Why it matters` does not name a practice (\"Practice N\")".into());
    }
    if let Err(e) = common::examples(meta) {
        problems.push(format!(
            "`## Example` needs an `Insecure:` yaml block then a `Fixed:` yaml block: {e}"
        ));
    }
    // Placeholder text left from a template. (The word "placeholder" alone is fine: SEC001
    // explains that placeholders are not secrets.)
    let unfinished =
        Regex::new(r"\b(TODO|TBD|FIXME|XXX)\b|(?i)lorem ipsum|<placeholder>|\bfill (this|me) in\b")
            .expect("regex");
    for (i, line) in lines.iter().enumerate() {
        if let Some(m) = unfinished.find(line) {
            problems.push(format!(
                "line {} has placeholder text `{}`: {line}",
                i + 1,
                m.as_str()
            ));
        }
    }
    problems
}

#[test]
fn docs_have_the_required_sections() {
    let mut problems = Vec::new();
    for rule in ALL_RULES.iter() {
        let m = rule.meta();
        problems.extend(
            doc_problems(m)
                .into_iter()
                .map(|p| format!("{}: {p}", m.id)),
        );
    }
    fail_if_any("rule documentation", &problems);
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn prefix(source: Source) -> &'static str {
    match source {
        Source::CloudFormation => "cfn",
        Source::Sam => "sam",
        Source::Terraform => "tf",
    }
}

#[test]
fn every_rule_has_bad_and_ok_fixtures_for_each_source() {
    let mut problems = Vec::new();
    for rule in ALL_RULES.iter() {
        let m = rule.meta();
        let dir = fixtures_dir().join(m.id);
        if m.sources.is_empty() {
            problems.push(format!("{}: declares no source", m.id));
        }
        for source in m.sources {
            for kind in ["bad", "ok"] {
                let exts: &[&str] = if *source == Source::Terraform {
                    &["tf"]
                } else {
                    &["yaml", "json"]
                };
                for ext in exts {
                    let name = format!("{}_{kind}.{ext}", prefix(*source));
                    if !dir.join(&name).is_file() {
                        problems.push(format!(
                            "{}: no fixture tests/fixtures/{}/{name} (it declares {})",
                            m.id,
                            m.id,
                            source.as_str()
                        ));
                    }
                }
            }
        }
    }
    fail_if_any("rule fixtures", &problems);
}

#[test]
fn every_fixture_directory_names_a_registered_rule() {
    let ids: HashSet<&str> = ALL_RULES.iter().map(|r| r.meta().id).collect();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(fixtures_dir()).expect("tests/fixtures") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if !path.is_dir() {
            problems.push(format!("tests/fixtures/{name} is not a rule directory"));
        } else if !ids.contains(name.as_str()) {
            problems.push(format!("tests/fixtures/{name} names no rule of ALL_RULES"));
        }
    }
    fail_if_any("fixture directories", &problems);
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Registration is one explicit list (STYLE.md): a rule declared but left out of
/// `ALL_RULES` would never run, silently.
#[test]
fn every_declared_rule_is_in_all_rules() {
    let declaration = Regex::new(r"(?m)^\s*declare_rule!\s*\{").expect("regex");
    let id_line = Regex::new(r#"(?m)^\s*id:\s*"([A-Z]+\d+)""#).expect("regex");
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules"),
        &mut files,
    );
    files.sort();
    let mut declared = BTreeSet::new();
    let mut problems = Vec::new();
    let mut declarations = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        let here = declaration.find_iter(&text).count();
        let ids: Vec<&str> = id_line
            .captures_iter(&text)
            .map(|c| c.get(1).expect("group").as_str())
            .collect();
        if here != ids.len() {
            problems.push(format!(
                "{}: {here} `declare_rule!` but {} `id:` lines",
                file.display(),
                ids.len()
            ));
        }
        declarations += here;
        for id in ids {
            if !declared.insert(id.to_owned()) {
                problems.push(format!("{id} is declared twice"));
            }
        }
    }
    let registered: BTreeSet<String> = ALL_RULES.iter().map(|r| r.meta().id.to_owned()).collect();
    for id in declared.difference(&registered) {
        problems.push(format!(
            "{id} is declared under src/rules but not in ALL_RULES"
        ));
    }
    for id in registered.difference(&declared) {
        problems.push(format!(
            "{id} is in ALL_RULES but no `declare_rule!` under src/rules declares it"
        ));
    }
    if declarations != ALL_RULES.len() {
        problems.push(format!(
            "{declarations} `declare_rule!` under src/rules, {} entries in ALL_RULES",
            ALL_RULES.len()
        ));
    }
    fail_if_any("rule registration", &problems);
}

/// A rule's options are part of its documentation: each is named in `## Options`.
#[test]
fn rule_options_are_documented() {
    for rule in sheepdog_rules::ALL_RULES.iter() {
        let m = rule.meta();
        for (name, _) in m.options {
            let section = m.section("Options").unwrap_or_default();
            assert!(
                section.contains(&format!("`{name}`")),
                "{}: option `{name}` is not described in its `## Options` section",
                m.id
            );
        }
    }
}
