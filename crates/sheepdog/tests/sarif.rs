//! `--format sarif` must produce valid SARIF 2.1.0: validated against the official schema
//! (vendored in tests/schemas, see its README), with the fields code scanning relies on.

use std::path::Path;
use std::process::Command;

fn sarif(args: &[&str]) -> (i32, serde_json::Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(&root)
        .args(["scan", "--format", "sarif", "--today", "2026-11-29"])
        .args(args)
        .output()
        .expect("sheepdog runs");
    let report = serde_json::from_slice(&out.stdout).expect("the report is JSON");
    (out.status.code().unwrap_or(-1), report)
}

fn fix_language_pattern(v: &mut serde_json::Value) -> usize {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match v {
        serde_json::Value::Object(map) => {
            let mut n = 0;
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value == BROKEN {
                    *value = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                    n += 1;
                } else {
                    n += fix_language_pattern(value);
                }
            }
            n
        }
        serde_json::Value::Array(items) => items.iter_mut().map(fix_language_pattern).sum(),
        _ => 0,
    }
}

fn assert_valid(report: &serde_json::Value) {
    assert!(
        errors(report).is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors(report).join("\n")
    );
}

fn errors(report: &serde_json::Value) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0-rtm.5.json");
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema JSON");
    // The official schema's pattern for `language` (of runs and tool components) ends in a
    // stray `]` (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), which Rust's regex engine
    // rejects when the schema is checked; use the pattern it means. sheepdog never writes
    // `language`.
    let fixed = fix_language_pattern(&mut schema);
    assert!(fixed >= 1, "the vendored schema changed");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_schema_check_can_fail() {
    let (_, mut report) = sarif(&["examples/insecure-app"]);
    report["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(
        !errors(&report).is_empty(),
        "an invalid level must not validate"
    );
}

#[test]
fn findings_are_valid_sarif_with_rules_levels_and_fingerprints() {
    let (code, report) = sarif(&["examples/insecure-app"]);
    assert_eq!(code, 1);
    assert_valid(&report);
    let run = &report["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), sheepdog_rules::ALL_RULES.len());
    for rule in rules {
        assert!(
            rule["properties"]["security-severity"].is_string(),
            "{rule}"
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .is_some_and(|m| m.contains("## How to fix"))
        );
        assert!(
            !rule["fullDescription"]["text"]
                .as_str()
                .unwrap_or("")
                .contains("## ")
        );
    }
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex");
        let index = usize::try_from(index).expect("index fits");
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(r["partialFingerprints"]["sheepdog/v1"].is_string());
        assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() > Some(0));
    }
    let iam001 = results
        .iter()
        .find(|r| r["ruleId"] == "IAM001")
        .expect("IAM001");
    assert_eq!(iam001["level"], "error");
    assert!(
        iam001["relatedLocations"].is_array(),
        "the SAM node that caused the role"
    );
}

#[test]
fn a_finding_with_a_path_has_a_code_flow() {
    let (_, report) = sarif(&["examples/insecure-app"]);
    assert_valid(&report);
    let results = report["runs"][0]["results"].as_array().expect("results");
    let pub002 = results
        .iter()
        .find(|r| r["ruleId"] == "PUB002")
        .expect("PUB002");
    let steps = pub002["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .expect("a code flow of one thread");
    let lines: Vec<u64> = steps
        .iter()
        .filter_map(|s| s["location"]["physicalLocation"]["region"]["startLine"].as_u64())
        .collect();
    // The open URL, the function it invokes, the role SAM creates for it (from `Policies`).
    assert_eq!(lines, [63, 54, 60], "{steps:#?}");
    assert!(
        steps[1]["location"]["message"]["text"]
            .as_str()
            .is_some_and(|m| m.contains("`ReportFunction`")),
        "{steps:#?}"
    );
    // A flow without a location is invalid: the schema check sees code flows.
    let mut broken = report.clone();
    broken["runs"][0]["results"]
        .as_array_mut()
        .and_then(|r| r.iter_mut().find(|r| r["ruleId"] == "PUB002"))
        .expect("PUB002")["codeFlows"][0]["threadFlows"][0]["locations"] =
        serde_json::json!("none");
    assert!(!errors(&broken).is_empty());
    // Findings without a path have no code flow.
    assert!(
        results
            .iter()
            .filter(|r| r["ruleId"] != "PUB002")
            .all(|r| r.get("codeFlows").is_none())
    );
}

#[test]
fn broken_files_are_tool_notifications() {
    let (code, report) = sarif(&["crates/sheepdog/tests/data/mixed"]);
    assert_eq!(code, 2);
    assert_valid(&report);
    let invocation = &report["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(
        notes
            .iter()
            .any(|n| n["descriptor"]["id"] == "SD001" && n["level"] == "error")
    );
}

#[test]
fn a_clean_scan_is_valid_sarif_too() {
    let (code, report) = sarif(&["examples/secure-app"]);
    assert_eq!(code, 0);
    assert_valid(&report);
    assert_eq!(report["runs"][0]["results"], serde_json::json!([]));
}
