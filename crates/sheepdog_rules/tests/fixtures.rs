//! Fixture-driven rule tests.
//!
//! Every `tests/fixtures/<RULE>/<source>_<bad|ok>.<yaml|json|tf>` is loaded (a template, or
//! a `.tf` file as a Terraform root module of its own) and checked with that rule alone:
//!
//! - it loads without any diagnostic (a typo in a fixture, such as a `!Ref` to nothing,
//!   would otherwise make a case pass for the wrong reason);
//! - in YAML and HCL, each line where a finding starts carries a trailing `# expect: RULE` comment
//!   (the ID repeated when several findings start on the same line), and the findings
//!   start exactly on the marked lines;
//! - `*_ok.*` fixtures give no finding;
//! - a JSON fixture gives the same findings (rule, resource, message) as its YAML twin,
//!   each at a real position — the same rule over the same model, whatever the format;
//! - a Terraform plan fixture (`tfplan_<bad|ok>.json`, what `terraform show -json` prints
//!   for its `tf_<bad|ok>.tf` twin) gives findings on the same resources as the twin, each
//!   at a real position: a plan and its configuration are judged alike. Where a plan cannot
//!   carry what a finding rests on, the fixture leaves the resource out and lists it under
//!   `"x-sheepdog-not-in-plan"`, with a `"//"` note saying why.
//!
//! The findings of every bad fixture, rendered by the terminal reporter without colour, are
//! insta snapshots in `tests/snapshots/<RULE>__<file>.snap`.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sheepdog_diagnostics::Finding;
use sheepdog_load::{Mode, load_file, terraform};
use sheepdog_report::{Report, TerminalOptions, write_terminal};

/// Relative to the crate directory (cargo's working directory for tests), so the paths in
/// findings and snapshots do not depend on where the repository is checked out.
const FIXTURES: &str = "tests/fixtures";

const MARKER: &str = "# expect:";

/// What a fixture file name says about it: `cfn_bad.yaml` is a bad YAML fixture.
struct FixtureName {
    bad: bool,
    json: bool,
    /// A Terraform plan, whose twin is the `.tf` file of the same kind.
    plan: bool,
}

fn parse_name(name: &str) -> Option<FixtureName> {
    let (stem, ext) = name.rsplit_once('.')?;
    let json = match ext {
        "yaml" | "tf" => false,
        "json" => true,
        _ => return None,
    };
    let mut parts = stem.splitn(3, '_');
    let source = parts.next()?;
    let kind = parts.next()?;
    if !matches!(
        (source, ext),
        ("cfn" | "sam", "yaml" | "json") | ("tf", "tf") | ("tfplan", "json")
    ) {
        return None;
    }
    let bad = match kind {
        "bad" => true,
        "ok" => false,
        _ => return None,
    };
    Some(FixtureName {
        bad,
        json,
        plan: source == "tfplan",
    })
}

/// A fixture scanned with its rule.
struct Scan {
    file: Arc<str>,
    source: Arc<str>,
    findings: Vec<Finding>,
    secrets: Vec<sheepdog_diagnostics::Span>,
}

fn scan(rule: &str, path: &Path) -> Result<Scan, String> {
    let loaded = if path.extension().is_some_and(|e| e == "tf") {
        terraform::load_single(path, &terraform::Inputs::default())
    } else {
        load_file(path, Mode::Explicit).ok_or("the loader skipped it")?
    };
    if !loaded.diagnostics.is_empty() {
        let mut msg = String::from("it does not load cleanly:");
        for d in &loaded.diagnostics {
            let at = d
                .span
                .as_ref()
                .map_or_else(String::new, |s| format!(" at {s}"));
            let _ = write!(msg, "\n    {:?}[{}]{at}: {}", d.level, d.code, d.message);
        }
        return Err(msg);
    }
    let model = loaded.model.ok_or("no model")?;
    let source = loaded
        .sources
        .iter()
        .find(|(f, _)| **f == *loaded.file)
        .map(|(_, text)| text.clone())
        .ok_or("no source text")?;
    Ok(Scan {
        file: loaded.file,
        source,
        findings: common::run(rule, &model),
        secrets: sheepdog_rules::secret_shapes::secret_spans(&model),
    })
}

/// `(line, rule)` for every `# expect: RULE [RULE...]` marker, one entry per ID.
fn markers(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, ids)) = line.split_once(MARKER) {
            let n = u32::try_from(i + 1).expect("line number fits u32");
            out.extend(ids.split_whitespace().map(|id| (n, id.to_owned())));
        }
    }
    out
}

fn describe(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "\n      (none)".to_owned();
    }
    findings.iter().fold(String::new(), |mut s, f| {
        let _ = write!(
            s,
            "\n      {}:{} {} {}",
            f.span.start.line, f.span.start.column, f.rule.id, f.message
        );
        s
    })
}

/// Where a finding is, for plan fixtures: its rule and resource (a plan's messages may
/// name values the configuration leaves unknown).
fn placement(f: &Finding) -> (String, String) {
    (f.rule.id.to_owned(), f.resource_id.clone())
}

/// The resources of the `.tf` twin a plan fixture says a plan cannot show findings on
/// (`"x-sheepdog-not-in-plan": [...]`, next to a `"//"` note saying why): what Terraform
/// writes in a plan loses what those findings rest on.
fn not_in_plan(plan: &str) -> Vec<String> {
    serde_json::from_str::<serde_json::Value>(plan)
        .ok()
        .and_then(|v| {
            v.get("x-sheepdog-not-in-plan")?.as_array().map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
        })
        .unwrap_or_default()
}

/// A plan's `x[0]` is the `.tf` twin's `x` when the twin could not decide `x`'s `count`
/// (it reports the resource once, unindexed); a plan has decided it.
fn undecided_count(plan: (String, String), tf: &[(String, String)]) -> (String, String) {
    let (rule, id) = plan;
    match id.strip_suffix("[0]") {
        Some(base) if tf.iter().any(|(r, t)| *r == rule && t == base) => (rule, base.to_owned()),
        _ => (rule, id),
    }
}

/// What a finding is, independent of the format it was found in.
fn identity(f: &Finding) -> (String, String, String) {
    (
        f.rule.id.to_owned(),
        f.resource_id.clone(),
        f.message.clone(),
    )
}

fn sorted_identities(findings: &[Finding]) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = findings.iter().map(identity).collect();
    v.sort();
    v
}

/// The elements of sorted `a` left after taking out those of sorted `b`, one for one.
fn multiset_minus(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut rest = b.to_vec();
    a.iter()
        .filter(|x| {
            if let Some(i) = rest.iter().position(|y| y == *x) {
                rest.remove(i);
                false
            } else {
                true
            }
        })
        .copied()
        .collect()
}

/// Check one YAML fixture against its markers.
fn check_yaml(rule: &str, name: &FixtureName, scan: &Scan) -> Vec<String> {
    let mut problems = Vec::new();
    let marks = markers(&scan.source);
    for (line, id) in &marks {
        if id != rule {
            problems.push(format!(
                "line {line} expects `{id}`, but this is the fixture directory of {rule}"
            ));
        }
    }
    if !name.bad && !marks.is_empty() {
        problems.push("an ok fixture must not carry `# expect:` markers".to_owned());
    }
    if name.bad && marks.is_empty() {
        problems.push("a bad fixture needs at least one `# expect:` marker".to_owned());
    }
    for f in &scan.findings {
        if f.rule.id != rule {
            problems.push(format!(
                "finding of {} at line {} (only {rule} ran)",
                f.rule.id, f.span.start.line
            ));
        }
    }
    let mut expected: Vec<u32> = marks.iter().map(|(l, _)| *l).collect();
    let mut found: Vec<u32> = scan.findings.iter().map(|f| f.span.start.line).collect();
    expected.sort_unstable();
    found.sort_unstable();
    if expected != found {
        problems.push(format!(
            "finding lines differ from the `# expect:` markers\n    expected lines: {expected:?}\n    found lines:    {found:?}\n    marked but not found: {:?}\n    found but not marked: {:?}\n    findings:{}",
            multiset_minus(&expected, &found),
            multiset_minus(&found, &expected),
            describe(&scan.findings)
        ));
    }
    problems
}

/// Check one JSON fixture against its YAML twin.
fn check_json(name: &FixtureName, scan: &Scan, twin: Option<&Scan>) -> Vec<String> {
    let mut problems = Vec::new();
    for f in &scan.findings {
        if f.span.start.line == 0 || f.span.start.column == 0 {
            problems.push(format!("finding without a position: {}", f.message));
        }
    }
    if !name.bad {
        if !scan.findings.is_empty() {
            problems.push(format!(
                "an ok fixture gave findings:{}",
                describe(&scan.findings)
            ));
        }
        return problems;
    }
    let Some(twin) = twin else {
        problems.push(
            "a JSON bad fixture needs a twin (same name, `.yaml`; for a plan, `tf_bad.tf`)"
                .to_owned(),
        );
        return problems;
    };
    if name.plan {
        let unseen = not_in_plan(&scan.source);
        let tf: Vec<_> = twin
            .findings
            .iter()
            .map(placement)
            .filter(|(_, resource)| !unseen.contains(resource))
            .collect();
        let mut plan: Vec<_> = scan
            .findings
            .iter()
            .map(|f| undecided_count(placement(f), &tf))
            .collect();
        let mut tf = tf;
        plan.sort();
        tf.sort();
        if plan != tf {
            problems.push(format!(
                "findings are not on the same resources as its `.tf` twin's\n    plan findings:{}\n    tf findings:{}",
                describe(&scan.findings),
                describe(&twin.findings)
            ));
        }
    } else if scan.findings.len() != twin.findings.len() {
        problems.push(format!(
            "{} findings, but its YAML twin gives {}\n    JSON findings:{}\n    YAML findings:{}",
            scan.findings.len(),
            twin.findings.len(),
            describe(&scan.findings),
            describe(&twin.findings)
        ));
    } else if sorted_identities(&scan.findings) != sorted_identities(&twin.findings) {
        problems.push(format!(
            "findings differ from its YAML twin's (rule, resource, message)\n    JSON findings:{}\n    YAML findings:{}",
            describe(&scan.findings),
            describe(&twin.findings)
        ));
    }
    problems
}

/// The terminal report of a scan, without colour.
fn render(scan: &Scan) -> String {
    let sources: HashMap<Arc<str>, Arc<str>> =
        HashMap::from([(scan.file.clone(), scan.source.clone())]);
    let report = Report {
        findings: &scan.findings,
        diagnostics: &[],
        sources: &sources,
        secrets: &scan.secrets,
        templates: 1,
        tool_version: "test",
    };
    let mut out = Vec::new();
    write_terminal(&mut out, &report, TerminalOptions { color: false })
        .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the report is UTF-8")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    entries
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn fixtures() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut failures: Vec<String> = Vec::new();
    let mut snapshot_failures: Vec<String> = Vec::new();
    let mut checked = 0;

    for dir in sorted_entries(Path::new(FIXTURES)) {
        if !dir.is_dir() {
            continue;
        }
        let rule = file_name(&dir);
        // YAML and HCL before JSON, so a JSON fixture finds its twin already scanned.
        let mut files = sorted_entries(&dir);
        files.sort_by_key(|p| (p.extension().is_some_and(|e| e == "json"), p.clone()));
        let mut yaml_scans: HashMap<String, Scan> = HashMap::new();
        for path in files {
            let name = file_name(&path);
            let display = path.display().to_string();
            let Some(kind) = parse_name(&name) else {
                failures.push(format!(
                    "{display}: not a fixture name (`cfn|sam` `_bad|_ok` [`_more`] `.yaml|.json`, `tf_bad|tf_ok` [`_more`] `.tf`, or `tfplan_bad|tfplan_ok` [`_more`] `.json`)"
                ));
                continue;
            };
            let scan = match scan(&rule, &path) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(format!("{display}: {e}"));
                    continue;
                }
            };
            checked += 1;
            let problems = if kind.json {
                let twin_name = if kind.plan {
                    name.replace("tfplan_", "tf_").replace(".json", ".tf")
                } else {
                    name.replace(".json", ".yaml")
                };
                let twin = yaml_scans.get(&twin_name);
                check_json(&kind, &scan, twin)
            } else {
                check_yaml(&rule, &kind, &scan)
            };
            failures.extend(problems.into_iter().map(|p| format!("{display}: {p}")));

            if kind.bad {
                let rendered = render(&scan);
                let snapshot = format!("{rule}__{name}");
                let mut settings = insta::Settings::clone_current();
                settings.set_snapshot_path(&snapshots);
                settings.set_prepend_module_to_snapshot(false);
                settings.set_omit_expression(true);
                settings.set_description(format!(
                    "{rule} over {display}, terminal report without colour"
                ));
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    settings.bind(|| insta::assert_snapshot!(snapshot.clone(), rendered));
                }));
                if outcome.is_err() {
                    snapshot_failures.push(snapshot);
                }
            }
            if !kind.json {
                yaml_scans.insert(name, scan);
            }
        }
    }

    assert!(checked > 0, "no fixtures found under {FIXTURES}");
    let mut report = String::new();
    if !failures.is_empty() {
        let _ = write!(report, "{} fixture problem(s):", failures.len());
        for f in &failures {
            let _ = write!(report, "\n\n  {f}");
        }
    }
    if !snapshot_failures.is_empty() {
        let _ = write!(
            report,
            "\n\n{} snapshot(s) differ or are missing (review with `cargo insta review`, or rerun with INSTA_UPDATE=always): {}",
            snapshot_failures.len(),
            snapshot_failures.join(", ")
        );
    }
    assert!(report.is_empty(), "{report}");
}
