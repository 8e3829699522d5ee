//! Baselines (`sheepdog baseline create`, `scan --baseline`) and several reports from one
//! scan (`--format X -o FILE` pairs).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.8
      Environment:
        Variables:
          DB_PASSWORD: correct-horse-battery-staple
      FunctionUrlConfig:
        AuthType: NONE
";

fn sheepdog(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .args(args)
        .args(["--today", "2026-11-29"])
        .output()
        .expect("sheepdog runs")
}

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("baseline-{name}"));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).expect("temp dir");
    d
}

fn findings(out: &Output) -> Vec<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    report["findings"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_baseline_hides_accepted_findings_across_unrelated_edits_and_shows_new_ones() {
    let d = dir("edits");
    let template = d.join("template.yaml");
    let baseline = d.join("baseline.json");
    fs::write(&template, TEMPLATE).expect("write");
    let t = template.to_str().expect("utf-8");
    let b = baseline.to_str().expect("utf-8");

    let create = sheepdog(&["baseline", "create", t, "-o", b]);
    assert_eq!(
        create.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&create.stderr)
    );
    let accepted = findings(&sheepdog(&["scan", "--format", "json", t]));
    assert!(!accepted.is_empty());

    // Unrelated edits: comments and another resource above; lines move.
    let edited = TEMPLATE.replace(
        "Resources:\n",
        "# a comment\n# another\nResources:\n  Table:\n    Type: AWS::DynamoDB::Table\n",
    );
    fs::write(&template, edited).expect("write");
    let out = sheepdog(&["scan", "--format", "json", "--baseline", b, t]);
    assert_eq!(findings(&out), Vec::<serde_json::Value>::new());
    assert_eq!(out.status.code(), Some(0));

    // A change of substance: a new secret is a new finding.
    let worse = TEMPLATE.replace(
        "          DB_PASSWORD:",
        "          API_TOKEN: sk_live_4eC39HqLyjWDarjtT1zdp7dc\n          DB_PASSWORD:",
    );
    fs::write(&template, worse).expect("write");
    let out = sheepdog(&["scan", "--format", "json", "--baseline", b, t]);
    let new: Vec<String> = findings(&out)
        .iter()
        .filter_map(|f| f["message"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].contains("API_TOKEN"), "{new:?}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_broken_baseline_is_a_clear_error() {
    let d = dir("broken");
    let baseline = d.join("baseline.json");
    fs::write(&baseline, "{\"not\": \"a baseline\"}").expect("write");
    let out = sheepdog(&[
        "scan",
        "--baseline",
        baseline.to_str().expect("utf-8"),
        "examples",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a sheepdog baseline"));
}

#[test]
fn several_reports_from_one_scan() {
    let d = dir("pairs");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/insecure-app");
    let (json, sarif) = (d.join("r.json"), d.join("r.sarif"));
    let out = sheepdog(&[
        "scan",
        root.to_str().expect("utf-8"),
        "--format",
        "json",
        "-o",
        json.to_str().expect("utf-8"),
        "--format",
        "sarif",
        "-o",
        sarif.to_str().expect("utf-8"),
        "--format",
        "markdown",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("## sheepdog report"));
    let j: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&json).expect("json")).expect("JSON");
    let s: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&sarif).expect("sarif")).expect("SARIF");
    assert_eq!(
        j["findings"].as_array().map(Vec::len),
        s["runs"][0]["results"].as_array().map(Vec::len)
    );

    for bad in [
        vec!["scan", "--format", "json", "--format", "sarif", "examples"],
        vec![
            "scan", "-o", "/tmp/x", "-o", "/tmp/y", "--format", "json", "examples",
        ],
    ] {
        let out = sheepdog(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}
