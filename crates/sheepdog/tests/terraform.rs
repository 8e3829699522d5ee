//! `sheepdog scan` on Terraform, end to end: a root module (with its local module and
//! tfvars), `--var`/`--var-file`, a plan and the configuration next to it, reports split by
//! the file each finding points into, and Terraform's words in messages. The inputs are the
//! loader's own test projects (`crates/sheepdog_load/tests/terraform/`).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn projects() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sheepdog_load/tests/terraform")
}

fn sheepdog() -> Command {
    let mut cmd = Command::cargo_bin("sheepdog").expect("the sheepdog binary is built");
    cmd.current_dir(projects()).env_remove("NO_COLOR");
    cmd
}

/// The JSON report's findings of a scan (`args` after `scan`).
fn findings(args: &[&str]) -> Vec<Value> {
    let out = sheepdog()
        .args(["scan", "--format", "json", "--today", "2026-11-29"])
        .args(args)
        .output()
        .expect("sheepdog runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    report["findings"].as_array().cloned().unwrap_or_default()
}

fn find<'a>(all: &'a [Value], rule: &str, resource: &str) -> Option<&'a Value> {
    all.iter()
        .find(|f| f["rule_id"] == rule && f["resource_id"].as_str() == Some(resource))
}

#[test]
fn a_root_module_is_scanned_at_its_tf_lines() {
    let all = findings(&["app"]);
    let runtime = find(&all, "RUN001", "aws_lambda_function.api").expect("python3.9 from tfvars");
    assert_eq!(runtime["file"], "app/main.tf");
    assert_eq!(runtime["line"], 88);
    // The local module's findings are in the module's file, under the module's address.
    let worker = find(&all, "RUN001", "module.worker.aws_lambda_function.this")
        .expect("nodejs20.x in the module");
    assert_eq!(worker["file"], "app/modules/worker/main.tf");
    // Terraform's words.
    let reserved = find(&all, "THR001", "aws_lambda_function.api").expect("no reservation");
    assert!(
        reserved["help"]
            .as_str()
            .is_some_and(|h| h.contains("reserved_concurrent_executions")),
        "{reserved}"
    );
}

#[test]
fn variables_from_the_command_line_win() {
    let all = findings(&["app", "--var", "runtime=python3.13"]);
    assert!(find(&all, "RUN001", "aws_lambda_function.api").is_none());
    let dir = tempdir("vars");
    let vars = dir.join("old.tfvars");
    std::fs::write(&vars, "runtime = \"python3.8\"\n").expect("write");
    let all = findings(&["app", "--var-file", &vars.to_string_lossy()]);
    let f = find(&all, "RUN001", "aws_lambda_function.api").expect("python3.8 from the file");
    assert!(
        f["message"]
            .as_str()
            .is_some_and(|m| m.contains("python3.8"))
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_plan_names_the_configuration_it_comes_from() {
    let all = findings(&["plan/plan.json"]);
    let url = find(&all, "PUB002", "aws_lambda_function_url.api").expect("open URL");
    assert_eq!(url["file"], "plan/plan.json");
    let related: Vec<&Value> = url["related"].as_array().into_iter().flatten().collect();
    assert!(
        related
            .iter()
            .any(|r| r["file"] == "plan/main.tf" && r["line"] == 37),
        "{related:?}"
    );
}

#[test]
fn json_syntax_findings_point_into_the_json_file() {
    let all = findings(&["cdktf"]);
    let runtime = find(&all, "RUN001", "aws_lambda_function.api").expect("python3.8");
    assert_eq!(runtime["file"], "cdktf/cdk.tf.json");
    assert_eq!(
        (runtime["line"].as_u64(), runtime["column"].as_u64()),
        (Some(33), Some(20))
    );
}

#[test]
fn bad_variable_settings_are_refused() {
    sheepdog()
        .args(["scan", "app", "--var", "no-equals-sign"])
        .assert()
        .code(2);
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sheepdog-tf-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn hcl_comments_accept_a_risk_on_their_line() {
    let dir = tempdir("ignore");
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_lambda_function\" \"a\" {\n  function_name = \"a\"\n  # sheepdog:ignore[RUN001] migrating in Q1, ticket OPS-12\n  runtime = \"python3.8\"\n}\n\nresource \"aws_lambda_function\" \"b\" {\n  function_name = \"b\"\n  runtime = \"python3.8\" // sheepdog:ignore[RUN001] same ticket\n}\n\nresource \"aws_lambda_function\" \"c\" {\n  function_name = \"c\"\n  runtime = \"python3.8\"\n}\n",
    )
    .expect("write");
    let out = Command::cargo_bin("sheepdog")
        .expect("binary")
        .current_dir(&dir)
        .args([
            "scan",
            ".",
            "--format",
            "json",
            "--rule",
            "RUN001",
            "--today",
            "2026-11-29",
        ])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["resource_id"].as_str())
        .collect();
    assert_eq!(ids, ["aws_lambda_function.c"]);
    let _ = std::fs::remove_dir_all(dir);
}
