//! Accepting a risk in the template: `Metadata.sheepdog.ignore` (reaching the resources SAM
//! derives), `# sheepdog:ignore[ID] reason` comments, required reasons, expiry,
//! `--show-suppressed`, `--no-inline-ignores`, and SARIF's suppressed results.

use std::path::Path;
use std::process::{Command, Output};

fn scan(extra: &[&str]) -> Output {
    scan_on("2026-11-29", extra)
}

fn scan_on(today: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/suppress"))
        .args(["scan", "template.yaml", "--today", today, "--no-color"])
        .args(extra)
        .output()
        .expect("sheepdog runs")
}

fn json(extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = scan(&args);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    report["findings"].as_array().cloned().unwrap_or_default()
}

fn ids(findings: &[serde_json::Value]) -> Vec<&str> {
    findings
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect()
}

#[test]
fn suppressed_findings_are_not_reported_and_say_why_when_shown() {
    let shown = json(&[]);
    let ids_shown = ids(&shown);
    // PUB002 is on the URL SAM derives from the function: the function's Metadata reaches it.
    assert!(!ids_shown.contains(&"PUB002"), "{ids_shown:?}");
    // The comment on the line above covers SEC001.
    assert!(!ids_shown.contains(&"SEC001"), "{ids_shown:?}");
    // An expired suppression no longer hides its finding, and says so.
    let thr = shown
        .iter()
        .find(|f| f["rule_id"] == "THR001")
        .expect("THR001 reported again");
    assert!(
        thr["message"]
            .as_str()
            .is_some_and(|m| m.contains("expired on 2026-01-01"))
    );
    // An entry without a reason suppresses nothing.
    assert!(ids_shown.contains(&"VER001"));

    // The expired suppression is itself a finding, where it is written, which the
    // `expired-suppression` entry beside it does not hide.
    let sup001: Vec<&serde_json::Value> =
        shown.iter().filter(|f| f["rule_id"] == "SUP001").collect();
    assert_eq!(sup001.len(), 1, "{sup001:?}");
    assert_eq!(sup001[0]["line"], 11);
    assert_eq!(sup001[0]["resource_id"], "Webhook");
    assert_eq!(sup001[0]["severity"], "low");

    let text = String::from_utf8_lossy(&scan(&[]).stdout).into_owned();
    assert!(text.contains("2 suppressed findings not shown"), "{text}");
    assert!(text.contains("warning[SD010]"), "{text}");
    assert!(
        text.contains("low[SUP001] expired-suppression: Suppression of `THR001` on `Webhook` expired on 2026-01-01")
            && text.contains("--> template.yaml:11:13"),
        "{text}"
    );

    let all = String::from_utf8_lossy(&scan(&["--show-suppressed"]).stdout).into_owned();
    assert!(
        all.contains("[suppressed: the provider cannot sign requests"),
        "{all}"
    );
}

#[test]
fn no_inline_ignores_refuses_them() {
    let findings = json(&["--no-inline-ignores"]);
    let ids = ids(&findings);
    assert!(
        ids.contains(&"PUB002") && ids.contains(&"SEC001"),
        "{ids:?}"
    );
    // Refused suppressions count for nothing, expired or not.
    assert!(!ids.contains(&"SUP001"), "{ids:?}");
}

#[test]
fn an_expired_suppression_is_a_finding_until_renewed() {
    // The day it expires, it still counts.
    let out = scan_on("2026-01-01", &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let findings = report["findings"].as_array().expect("findings");
    assert!(!ids(findings).contains(&"SUP001"));
    assert!(!ids(findings).contains(&"THR001"));
    // Alone, it fails the scan; turned off, it does not.
    assert_eq!(scan(&["--rule", "SUP001"]).status.code(), Some(1));
    assert_eq!(
        scan(&["--rule", "SUP001", "--ignore-rule", "expired-suppression"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn suppressed_findings_do_not_fail_the_scan() {
    let only_suppressed = scan(&["--rule", "PUB002"]);
    assert_eq!(only_suppressed.status.code(), Some(0));
    let refused = scan(&["--rule", "PUB002", "--no-inline-ignores"]);
    assert_eq!(refused.status.code(), Some(1));
}

#[test]
fn sarif_marks_suppressed_results() {
    let out = scan(&["--format", "sarif", "--show-suppressed"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let results = report["runs"][0]["results"].as_array().expect("results");
    let pub002 = results
        .iter()
        .find(|r| r["ruleId"] == "PUB002")
        .expect("PUB002");
    assert_eq!(pub002["suppressions"][0]["kind"], "inSource");
    assert!(pub002["suppressions"][0]["justification"].is_string());
}

/// Scan a template written for the test, from a fresh directory.
fn scan_text(name: &str, template: &str, extra: &[&str]) -> Output {
    let dir = std::env::temp_dir().join(format!("sheepdog-suppress-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("template.yaml"), template).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(&dir)
        .args([
            "scan",
            "template.yaml",
            "--today",
            "2026-11-29",
            "--no-color",
        ])
        .args(extra)
        .output()
        .expect("sheepdog runs");
    let _ = std::fs::remove_dir_all(&dir);
    out
}

const URL_TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Url:\n    Type: AWS::Lambda::Url\n    Metadata:\n      sheepdog:\n        ignore:\n          - rule: PUB002\n            reason: a webhook that checks its own signature\n            expires: EXPIRES\n    Properties:\n      TargetFunctionArn: arn:aws:lambda:eu-west-1:123456789012:function:hook\n      AuthType: NONE\n";

#[test]
fn an_expiry_that_is_not_a_date_does_not_accept_the_risk() {
    let out = scan_text(
        "bad-date",
        &URL_TEMPLATE.replace("EXPIRES", "next-quarter"),
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warning[SD010]") && text.contains("is not a date"),
        "{text}"
    );
    assert!(text.contains("PUB002"), "the finding is reported: {text}");
    // A real date still works.
    let out = scan_text(
        "good-date",
        &URL_TEMPLATE.replace("EXPIRES", "2027-06-30"),
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("SD010") && !text.contains("PUB002"),
        "{text}"
    );
}

#[test]
fn sup001_cannot_be_suppressed_in_a_template() {
    let template = URL_TEMPLATE
        .replace("rule: PUB002", "rule: SUP001")
        .replace("EXPIRES", "2027-06-30");
    let out = scan_text("sup001", &template, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("warning[SD010]") && text.contains("SUP001 cannot be suppressed"),
        "{text}"
    );
}

#[test]
fn a_configuration_expiry_that_is_not_a_date_is_an_error() {
    let dir = std::env::temp_dir().join(format!("sheepdog-suppress-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("template.yaml"),
        URL_TEMPLATE.replace("EXPIRES", "2027-06-30"),
    )
    .expect("write");
    std::fs::write(
        dir.join("sheepdog.toml"),
        "[[suppress]]\nrule = \"PUB002\"\nreason = \"webhook\"\nexpires = \"soon\"\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(&dir)
        .args(["scan", "template.yaml", "--today", "2026-11-29"])
        .output()
        .expect("sheepdog runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("must be a date"), "{err}");
}
