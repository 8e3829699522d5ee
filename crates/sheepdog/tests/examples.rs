//! The bundled examples are the README's first command: the insecure app shows real
//! findings, its fixed twin shows none, with every default rule.

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

#[test]
fn the_fixed_twin_is_clean() {
    let (code, report) = scan("examples/secure-app");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    assert_eq!(code, 0);
}

#[test]
fn the_insecure_app_shows_the_usual_mistakes() {
    let (code, report) = scan("examples/insecure-app");
    assert_eq!(code, 1);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    for id in ["IAM001", "PUB001", "PUB002", "SEC001", "RUN001", "LOG002"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}
