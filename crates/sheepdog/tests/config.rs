//! `sheepdog.toml`: found above the scanned path, merged under the command line, strict
//! about unknown keys; `sheepdog init`; the committed JSON schema is the generated one.

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
      Runtime: python3.13
  PartnerApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: v1
";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("sheepdog runs")
}

fn project(name: &str, config: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("config-{name}"));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(d.join("infra")).expect("dirs");
    fs::create_dir_all(d.join("tests")).expect("dirs");
    fs::write(d.join("infra/template.yaml"), TEMPLATE).expect("write");
    fs::write(d.join("tests/template.yaml"), TEMPLATE).expect("write");
    fs::write(d.join("sheepdog.toml"), config).expect("write");
    d
}

fn scan(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "scan",
        "infra",
        "tests",
        "--format",
        "json",
        "--today",
        "2026-11-29",
    ];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), report)
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["rule_id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_configuration_selects_rules_severities_options_and_paths() {
    let d = project(
        "full",
        r#"fail-on = "high"
exclude = ["tests/**"]
[rules]
ignore = ["VER003"]
[rules.severity]
LOG001 = "high"
[rules.options.WAF001]
http-apis = true
"#,
    );
    let (code, report) = scan(&d, &[]);
    let ids = ids(&report);
    assert!(!ids.contains(&"VER003".to_owned()), "{ids:?}");
    assert!(
        ids.contains(&"WAF001".to_owned()),
        "the option reached the rule: {ids:?}"
    );
    let files: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(
        files.iter().all(|f| f.starts_with("infra")),
        "tests/ is excluded: {files:?}"
    );
    let log001 = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "LOG001")
        .expect("LOG001");
    assert_eq!(log001["severity"], "high");
    // fail-on high: the overridden LOG001 is high, so the scan fails.
    assert_eq!(code, 1);
    // The command line wins over the file.
    let (code, _) = scan(&d, &["--fail-on", "none"]);
    assert_eq!(code, 0);
}

#[test]
fn config_suppressions_accept_findings_by_rule_resource_and_path() {
    let d = project(
        "suppress",
        r#"[[suppress]]
rule = "LOG001"
path = "infra/**"
reason = "traces are collected by our own agent"

[[suppress]]
rule = "no-code-signing"
resource = "Fn"
reason = "signing lands next quarter"
expires = "2026-01-01"
"#,
    );
    let (_, report) = scan(&d, &[]);
    let findings = report["findings"].as_array().expect("findings");
    let log001: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule_id"] == "LOG001")
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(
        log001.iter().all(|f| f.starts_with("tests")),
        "infra/ LOG001 is accepted: {log001:?}"
    );
    assert!(!log001.is_empty(), "tests/ is not covered by the path glob");
    let ver003 = findings
        .iter()
        .find(|f| f["rule_id"] == "VER003")
        .expect("expired: reported again");
    assert!(
        ver003["message"]
            .as_str()
            .is_some_and(|m| m.contains("expired on 2026-01-01"))
    );
    // The expired entry is itself a finding, at its `expires` in sheepdog.toml, once.
    let sup001: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["rule_id"] == "SUP001")
        .collect();
    assert_eq!(sup001.len(), 1, "{sup001:?}");
    assert_eq!(sup001[0]["file"], "sheepdog.toml");
    assert_eq!(
        (&sup001[0]["line"], &sup001[0]["column"]),
        (&10.into(), &11.into())
    );
    assert_eq!(sup001[0]["resource_id"], "Fn");
    // The configuration stays in force with --no-inline-ignores, its expiry checks too;
    // turning the rule off turns them off.
    let (_, refused) = scan(&d, &["--no-inline-ignores"]);
    assert!(ids(&refused).contains(&"SUP001".to_owned()));
    let (_, off) = scan(&d, &["--ignore-rule", "SUP001"]);
    assert!(!ids(&off).contains(&"SUP001".to_owned()));
    // Frames point into the configuration.
    let out = run_in(
        &d,
        &[
            "scan",
            "infra",
            "--today",
            "2026-11-29",
            "--no-color",
            "--rule",
            "SUP001",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--> sheepdog.toml:10:11") && text.contains("expires = \"2026-01-01\""),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_expired_suppression_cannot_be_suppressed() {
    let d = project(
        "suppress-sup001",
        "[[suppress]]\nrule = \"expired-suppression\"\nreason = \"never nag\"\n",
    );
    let out = run_in(&d, &["scan", "infra"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot accept SUP001") && err.contains("[rules] ignore"),
        "{err}"
    );
}

#[test]
fn unknown_keys_are_errors_with_their_location() {
    let d = project("typo", "[rules]\nignor = [\"VER003\"]\n");
    let out = run_in(&d, &["scan", "infra"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sheepdog.toml") && err.contains("line 2") && err.contains("ignor"),
        "{err}"
    );
}

#[test]
fn init_writes_a_default_once() {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("config-init");
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).expect("dir");
    assert_eq!(run_in(&d, &["init"]).status.code(), Some(0));
    assert!(
        fs::read_to_string(d.join("sheepdog.toml"))
            .expect("written")
            .contains("[rules]")
    );
    assert_eq!(
        run_in(&d, &["init"]).status.code(),
        Some(2),
        "never overwrites"
    );
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = run_in(&root, &["config", "schema"]);
    let committed =
        fs::read_to_string(root.join("docs/config.schema.json")).expect("docs/config.schema.json");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        committed,
        "docs/config.schema.json is stale: run `sheepdog config schema > docs/config.schema.json`"
    );
}
