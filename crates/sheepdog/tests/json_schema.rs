//! The JSON report is a public contract: every report sheepdog writes must validate against
//! the schema published in docs/report.schema.json.

use std::path::Path;
use std::process::Command;

fn schema() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json");
    let text = std::fs::read_to_string(&path).expect("docs/report.schema.json is readable");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn report(args: &[&str]) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(&root)
        .args(["scan", "--format", "json", "--today", "2026-11-29"])
        .args(args)
        .output()
        .expect("sheepdog runs");
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

fn assert_valid(report: &serde_json::Value) {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match docs/report.schema.json:\n{}",
        errors.join("\n")
    );
}

#[test]
fn report_with_findings_matches_the_schema() {
    let r = report(&["examples/"]);
    let findings = r["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    // The schema sees a path too (PUB002: the open URL, its function, the function's role).
    assert!(
        findings
            .iter()
            .any(|f| f["path"].as_array().is_some_and(|p| p.len() == 3)),
        "a finding with a path"
    );
    assert_valid(&r);
}

#[test]
fn report_with_diagnostics_matches_the_schema() {
    let dir = std::env::temp_dir().join(format!("sheepdog-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let broken = dir.join("broken.yaml");
    std::fs::write(
        &broken,
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: [unclosed\n",
    )
    .expect("write");
    let r = report(&[broken.to_str().expect("utf-8 path"), "examples/secure-app"]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(r["diagnostics"].as_array().is_some_and(|d| !d.is_empty()));
    assert_valid(&r);
}
