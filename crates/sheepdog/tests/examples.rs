//! The bundled examples are the README's first command: the insecure app shows real
//! findings, its fixed twin shows none, with every default rule. The same holds for their
//! Terraform twins.

use std::path::Path;
use std::process::Command;

fn scan(dir: &str) -> (i32, serde_json::Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(&root)
        .args(["scan", "--format", "json", "--today", "2026-11-29", dir])
        .output()
        .expect("sheepdog runs");
    let report = serde_json::from_slice(&out.stdout).expect("the report is JSON");
    (out.status.code().unwrap_or(-1), report)
}

fn assert_clean(dir: &str) {
    let (code, report) = scan(dir);
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    assert_eq!(code, 0);
}

/// The findings of an insecure app, which fails the scan without diagnostics, and which
/// shows at least `ids`.
fn assert_insecure(dir: &str, ids: &[&str]) -> Vec<serde_json::Value> {
    let (code, report) = scan(dir);
    assert_eq!(code, 1);
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    let findings = report["findings"].as_array().expect("findings").clone();
    let found: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    for id in ids {
        assert!(found.contains(id), "{id} missing from {found:?}");
    }
    findings
}

#[test]
fn the_fixed_twin_is_clean() {
    assert_clean("examples/secure-app");
}

#[test]
fn the_insecure_app_shows_the_usual_mistakes() {
    assert_insecure(
        "examples/insecure-app",
        &["IAM001", "PUB001", "PUB002", "SEC001", "RUN001", "LOG002"],
    );
}

#[test]
fn the_fixed_terraform_twin_is_clean() {
    assert_clean("examples/secure-terraform-app");
}

#[test]
fn the_insecure_terraform_app_shows_the_usual_mistakes_in_its_tf_files() {
    let findings = assert_insecure(
        "examples/insecure-terraform-app",
        &["IAM001", "PUB001", "PUB002", "SEC001", "RUN001", "LOG002"],
    );
    // Each finding is at a line of the root module or of the local module it calls.
    for f in &findings {
        let file = f["file"].as_str().expect("a file");
        assert!(
            file.starts_with("examples/insecure-terraform-app/")
                && Path::new(file).extension().is_some_and(|e| e == "tf"),
            "{f:#}"
        );
        assert!(f["line"].as_u64().is_some_and(|l| l > 0), "{f:#}");
    }
    // The module is called twice: what it declares is reported once per call.
    for (id, address) in [
        ("RUN001", "module.create_order.aws_lambda_function.this"),
        ("RUN001", "module.report.aws_lambda_function.this"),
        ("IAM001", "module.create_order.aws_iam_role_policy.this"),
        ("SEC001", "module.create_order.aws_lambda_function.this"),
        ("PUB001", "aws_lambda_permission.webhook_public"),
    ] {
        assert!(
            findings
                .iter()
                .any(|f| f["rule_id"] == id && f["resource_id"] == address),
            "{id} on {address}"
        );
    }
}
