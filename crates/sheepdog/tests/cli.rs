//! End-to-end tests of the `sheepdog` binary: exit codes, report formats, rule selection,
//! colour, redaction, determinism and fingerprints. Fixtures live in `tests/data/`; every
//! `scan` passes the hidden `--today` so runtime-date findings never change with the date.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const TODAY: &str = "2026-11-29";

/// The full secrets written in `tests/data/secrets.yaml`; none may ever be printed whole.
const SECRETS: [&str; 3] = [
    "AKIAIOSFODNN7EXAMPLE",
    "hunter2-correct-horse-battery",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
];

/// Every rule ID of the catalog, opt-in rules included.
fn all_rule_ids() -> Vec<&'static str> {
    sheepdog_rules::ALL_RULES
        .iter()
        .map(|r| r.meta().id)
        .collect()
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// The binary, run from `tests/data` (so reported paths are short and stable), with no
/// colour preference inherited from the environment running the tests.
fn sheepdog() -> Command {
    let mut cmd = Command::cargo_bin("sheepdog").expect("the sheepdog binary is built");
    cmd.current_dir(data_dir()).env_remove("NO_COLOR");
    cmd
}

/// `sheepdog scan --today 2026-11-29 ARGS...`
fn scan(args: &[&str]) -> Command {
    let mut cmd = sheepdog();
    cmd.args(["scan", "--today", TODAY]).args(args);
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("sheepdog runs");
    Run {
        code: out
            .status
            .code()
            .expect("sheepdog exited, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// `scan --format json ARGS...`: exit code and the parsed report.
fn scan_json(args: &[&str]) -> (i32, Value) {
    let mut cmd = scan(&["--format", "json"]);
    cmd.args(args);
    let r = run(cmd);
    let report = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        )
    });
    (r.code, report)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"]
        .as_array()
        .expect("`findings` is an array")
}

fn rule_ids(report: &Value) -> BTreeSet<String> {
    findings(report)
        .iter()
        .map(|f| f["rule_id"].as_str().expect("rule_id").to_owned())
        .collect()
}

/// A fresh, empty directory for one test, under Cargo's scratch space for integration tests.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("sheepdog-cli-tests")
        .join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("clear scratch dir");
    }
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

// ---------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------

#[test]
fn clean_template_exits_0() {
    scan(&["clean.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No findings in 1 template."));
}

#[test]
fn clean_template_has_no_findings_in_json() {
    let (code, report) = scan_json(&["clean.yaml"]);
    assert_eq!(code, 0);
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(report["summary"]["templates"], 1);
    assert_eq!(report["summary"]["errors"], 0);
}

#[test]
fn findings_exit_1() {
    scan(&["insecure.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PUB002"))
        .stdout(predicate::str::is_match(r"\d+ findings in 1 template").expect("regex"));
}

#[test]
fn fail_on_none_exits_0_despite_findings() {
    scan(&["--fail-on", "none", "insecure.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("IAM001"));
}

#[test]
fn fail_on_critical_ignores_low_findings() {
    let (code, report) = scan_json(&["--fail-on", "critical", "low_only.yaml"]);
    assert_eq!(code, 0);
    assert!(!findings(&report).is_empty(), "the fixture has findings");
    assert!(
        findings(&report)
            .iter()
            .all(|f| f["severity"] == "low" || f["severity"] == "info"),
        "low_only.yaml should only have low and info findings: {report:#}"
    );
    // The default threshold (low) fails on the same file.
    scan(&["low_only.yaml"]).assert().code(1);
}

#[test]
fn fail_on_critical_still_fails_on_critical() {
    scan(&["--fail-on", "critical", "insecure.yaml"])
        .assert()
        .code(1);
}

#[test]
fn invalid_yaml_exits_2_and_other_files_are_still_reported() {
    let r = run(scan(&["mixed"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("error[SD001]"), "{}", r.stdout);
    assert!(r.stdout.contains("mixed/broken.yaml:"), "{}", r.stdout);
    assert!(
        r.stdout.contains("mixed/good.yaml (") && r.stdout.contains(" findings)\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("PUB002"), "{}", r.stdout);
    assert!(r.stdout.contains("1 file error"), "{}", r.stdout);

    let (code, report) = scan_json(&["mixed"]);
    assert_eq!(code, 2);
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diagnostics.iter().any(|d| d["code"] == "SD001"
            && d["level"] == "error"
            && d["file"] == "mixed/broken.yaml"
            && d["line"].is_u64()),
        "{report:#}"
    );
    assert!(
        findings(&report)
            .iter()
            .all(|f| f["file"] == "mixed/good.yaml"),
        "{report:#}"
    );
    let (_, direct) = scan_json(&["insecure.yaml"]);
    assert_eq!(findings(&report).len(), findings(&direct).len());
    assert_eq!(report["summary"]["templates"], 1);
    assert_eq!(report["summary"]["errors"], 1);
}

#[test]
fn invalid_yaml_exits_2_even_with_fail_on_none() {
    scan(&["--fail-on", "none", "mixed"]).assert().code(2);
}

#[test]
fn explicit_non_template_exits_2_with_sd004() {
    scan(&["not_a_template.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("error[SD004]"))
        .stdout(predicate::str::contains("not_a_template.yaml"));

    let (code, report) = scan_json(&["not_a_template.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(report["diagnostics"][0]["code"], "SD004");
    assert_eq!(report["diagnostics"][0]["level"], "error");
    assert_eq!(report["summary"]["templates"], 0);
}

#[test]
fn missing_path_exits_2() {
    scan(&["does-not-exist.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("SD003"));
}

#[test]
fn invalid_today_exits_2() {
    sheepdog()
        .args(["scan", "--today", "29/11/2026", "clean.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid --today"));
}

// ---------------------------------------------------------------------------------------
// JSON report and output file
// ---------------------------------------------------------------------------------------

#[test]
fn json_report_shape_and_summary() {
    let (code, report) = scan_json(&["multi"]);
    assert_eq!(code, 1);
    assert_eq!(report["schema_version"], "1.1.0");
    assert_eq!(report["tool"]["name"], "sheepdog");

    let all = findings(&report);
    assert!(!all.is_empty());
    for f in all {
        assert!(
            f["rule_id"]
                .as_str()
                .is_some_and(|id| all_rule_ids().contains(&id)),
            "{f:#}"
        );
        assert!(f["line"].as_u64().is_some_and(|l| l >= 1), "{f:#}");
        assert!(f["column"].as_u64().is_some_and(|c| c >= 1), "{f:#}");
        let fp = f["fingerprint"].as_str().expect("fingerprint");
        assert_eq!(fp.len(), 16, "{fp}");
        assert!(fp.chars().all(|c| c.is_ascii_hexdigit()), "{fp}");
    }

    let summary = &report["summary"];
    assert_eq!(summary["findings"].as_u64(), Some(all.len() as u64));
    let mut total = 0;
    for sev in ["critical", "high", "medium", "low", "info"] {
        let n = all.iter().filter(|f| f["severity"] == sev).count() as u64;
        assert_eq!(summary["by_severity"][sev].as_u64(), Some(n), "{sev}");
        total += n;
    }
    assert_eq!(total, all.len() as u64);
    // multi/ holds five templates; d-clean.yaml has no findings but is a template.
    assert_eq!(summary["templates"], 5);
    assert_eq!(summary["errors"], 0);
    let files: BTreeSet<&str> = all.iter().filter_map(|f| f["file"].as_str()).collect();
    assert!(files.contains("multi/e-plain.json"), "{files:?}");
    assert!(!files.contains("multi/d-clean.yaml"), "{files:?}");
}

#[test]
fn json_findings_are_sorted_by_file_line_column_rule() {
    let (_, report) = scan_json(&["multi"]);
    let keys: Vec<(String, u64, u64, String)> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["file"].as_str().expect("file").to_owned(),
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
                f["rule_id"].as_str().expect("rule").to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = scratch_dir("output-file");
    let json = dir.join("report.json");
    scan(&["--format", "json", "-o"])
        .arg(&json)
        .arg("insecure.yaml")
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let report: Value =
        serde_json::from_str(&fs::read_to_string(&json).expect("report written")).expect("JSON");
    assert_eq!(report["schema_version"], "1.1.0");
    let (_, direct) = scan_json(&["insecure.yaml"]);
    assert_eq!(findings(&report).len(), findings(&direct).len());

    let text = dir.join("report.txt");
    scan(&["--output"])
        .arg(&text)
        .arg("insecure.yaml")
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let written = fs::read_to_string(&text).expect("report written");
    assert!(written.contains("PUB002"), "{written}");
    assert!(!written.contains('\x1b'), "no colour in a file: {written}");
}

#[test]
fn unwritable_output_exits_2() {
    let dir = scratch_dir("unwritable-output");
    scan(&["-o"])
        .arg(dir.join("no-such-dir/report.txt"))
        .arg("clean.yaml")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot write"));
}

// ---------------------------------------------------------------------------------------
// Rule selection
// ---------------------------------------------------------------------------------------

#[test]
fn rule_flag_runs_only_that_rule() {
    let (code, report) = scan_json(&["--rule", "PUB002", "multi"]);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&report), BTreeSet::from(["PUB002".to_owned()]));
}

#[test]
fn rule_flag_accepts_names_and_repeats() {
    let (_, report) = scan_json(&[
        "--rule",
        "function-url-auth-none",
        "--rule",
        "iam001",
        "insecure.yaml",
    ]);
    assert_eq!(
        rule_ids(&report),
        BTreeSet::from(["IAM001".to_owned(), "PUB002".to_owned()])
    );
}

#[test]
fn ignore_rule_excludes_one() {
    let (_, all) = scan_json(&["insecure.yaml"]);
    assert!(rule_ids(&all).contains("LOG001"));
    let (code, report) = scan_json(&["--ignore-rule", "LOG001", "insecure.yaml"]);
    assert_eq!(code, 1);
    let mut expected = rule_ids(&all);
    expected.remove("LOG001");
    assert_eq!(rule_ids(&report), expected);
    assert_eq!(findings(&report).len(), findings(&all).len() - 1);
}

#[test]
fn min_severity_drops_less_severe_findings() {
    let (_, all) = scan_json(&["insecure.yaml"]);
    let (code, report) = scan_json(&["--min-severity", "high", "insecure.yaml"]);
    assert_eq!(code, 1);
    let severities: BTreeSet<&str> = findings(&report)
        .iter()
        .filter_map(|f| f["severity"].as_str())
        .collect();
    assert!(!severities.is_empty());
    assert!(
        severities.iter().all(|s| ["high", "critical"].contains(s)),
        "{severities:?}"
    );
    assert!(findings(&report).len() < findings(&all).len());
}

#[test]
fn opt_in_rules_run_only_when_enabled_or_named() {
    let opt_in: Vec<&str> = sheepdog_rules::ALL_RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.opt_in)
        .map(|m| m.id)
        .collect();
    let (_, default) = scan_json(&["insecure.yaml"]);
    for id in &opt_in {
        assert!(
            !rule_ids(&default).contains(*id),
            "{id} ran without being enabled"
        );
        let (_, enabled) = scan_json(&["--enable-rule", id, "insecure.yaml"]);
        let (_, named) = scan_json(&["--rule", id, "insecure.yaml"]);
        assert_eq!(
            rule_ids(&enabled).contains(*id),
            rule_ids(&named).contains(*id)
        );
    }
    let r = run(scan(&["--enable-rule", "NOPE999", "insecure.yaml"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no rule `NOPE999`"), "{}", r.stderr);
}

#[test]
fn rule_options_change_what_a_rule_reports_and_are_checked() {
    let (_, default) = scan_json(&["--rule", "WAF001", "http_api.yaml"]);
    assert!(findings(&default).is_empty(), "{default:#}");
    let (code, with) = scan_json(&[
        "--rule",
        "WAF001",
        "--rule-option",
        "WAF001.http-apis=true",
        "http_api.yaml",
    ]);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&with), BTreeSet::from(["WAF001".to_owned()]));
    for bad in ["WAF001.nope=true", "NOPE001.x=1", "WAF001"] {
        let r = run(scan(&["--rule-option", bad, "http_api.yaml"]));
        assert_eq!(r.code, 2, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("sheepdog: error:"), "{}", r.stderr);
    }
}

#[test]
fn trusted_layer_accounts_are_not_reported() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sheepdog_rules/tests/fixtures/DEP003/cfn_bad.yaml");
    let fixture = fixture.to_str().expect("utf-8 path");
    let (_, all) = scan_json(&["--rule", "DEP003", fixture]);
    let (_, trusted) = scan_json(&[
        "--rule",
        "DEP003",
        "--rule-option",
        "DEP003.trusted-accounts=111122223333,464622532012",
        fixture,
    ]);
    assert_eq!(findings(&all).len(), 3);
    let left: Vec<&str> = findings(&trusted)
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("444455556666"), "{left:?}");
}

#[test]
fn unknown_rule_id_exits_2_with_a_clear_message() {
    for flag in ["--rule", "--ignore-rule"] {
        scan(&[flag, "NOPE999", "insecure.yaml"])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("no rule `NOPE999`"))
            .stderr(predicate::str::contains("sheepdog rules"));
    }
}

// ---------------------------------------------------------------------------------------
// Colour
// ---------------------------------------------------------------------------------------

#[test]
fn no_color_flag_and_env_produce_no_escape_bytes() {
    let flag = run(scan(&["--no-color", "insecure.yaml"]));
    assert_eq!(flag.code, 1);
    assert!(flag.stdout.contains("PUB002"));
    assert!(!flag.stdout.contains('\x1b'), "{}", flag.stdout);
    assert!(!flag.stderr.contains('\x1b'), "{}", flag.stderr);

    let mut cmd = scan(&["insecure.yaml"]);
    cmd.env("NO_COLOR", "1");
    let env = run(cmd);
    assert_eq!(env.code, 1);
    assert!(!env.stdout.contains('\x1b'), "{}", env.stdout);

    // Not a terminal: no colour either, without being asked.
    let piped = run(scan(&["insecure.yaml"]));
    assert!(!piped.stdout.contains('\x1b'), "{}", piped.stdout);
    assert_eq!(piped.stdout, flag.stdout);
}

// ---------------------------------------------------------------------------------------
// rules, rule, debug
// ---------------------------------------------------------------------------------------

#[test]
fn rules_lists_the_whole_catalog() {
    let mut cmd = sheepdog();
    cmd.arg("rules");
    let r = run(cmd);
    assert_eq!(r.code, 0);
    for id in all_rule_ids() {
        assert!(r.stdout.contains(id), "{id} missing:\n{}", r.stdout);
    }
    // A header, then one line per rule: summaries never wrap onto extra lines.
    assert_eq!(
        r.stdout.lines().count(),
        1 + all_rule_ids().len(),
        "{}",
        r.stdout
    );
}

#[test]
fn rules_json_parses() {
    let out = sheepdog()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let rules: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules = rules.as_array().expect("an array of rules");
    let ids: BTreeSet<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, all_rule_ids().into_iter().collect::<BTreeSet<_>>());
    for r in rules {
        assert!(r["name"].as_str().is_some_and(|n| !n.is_empty()), "{r:#}");
        assert!(r["severity"].is_string(), "{r:#}");
        let summary = r["summary"].as_str().expect("summary");
        assert!(!summary.is_empty() && !summary.contains('\n'), "{r:#}");
    }
}

#[test]
fn rule_prints_docs_by_id_and_by_name() {
    for id in ["PUB002", "function-url-auth-none", "pub002"] {
        sheepdog()
            .args(["rule", id])
            .assert()
            .code(0)
            .stdout(predicate::str::contains(
                "# function-url-auth-none (PUB002)",
            ))
            .stdout(predicate::str::contains("## What it checks"))
            .stdout(predicate::str::contains("## How to fix"));
    }
}

#[test]
fn every_rule_has_docs() {
    for id in all_rule_ids() {
        sheepdog()
            .args(["rule", id])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("## What it checks"))
            .stdout(predicate::str::contains("## Why it matters"))
            .stdout(predicate::str::contains("## How to fix"))
            .stdout(predicate::str::contains("## Example"));
    }
}

#[test]
fn unknown_rule_doc_exits_2() {
    sheepdog()
        .args(["rule", "NOPE001"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("no rule `NOPE001`"));
}

#[test]
fn debug_model_prints_json_with_functions() {
    let out = sheepdog()
        .args(["debug", "model", "insecure.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let model: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let functions = model["functions"].as_array().expect("`functions` array");
    assert_eq!(functions.len(), 1);
    assert_eq!(functions[0]["resource"]["id"], "Report");
}

#[test]
fn debug_model_of_invalid_yaml_exits_2() {
    sheepdog()
        .args(["debug", "model", "mixed/broken.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SD001"));
}

// ---------------------------------------------------------------------------------------
// Redaction, determinism, fingerprints
// ---------------------------------------------------------------------------------------

#[test]
fn secrets_are_never_printed_whole() {
    let terminal = run(scan(&["secrets.yaml"]));
    assert_eq!(terminal.code, 1);
    let json = run(scan(&["--format", "json", "secrets.yaml"]));
    assert_eq!(json.code, 1);

    for out in [
        &terminal.stdout,
        &terminal.stderr,
        &json.stdout,
        &json.stderr,
    ] {
        for secret in SECRETS {
            // Not whole, and not even a fifth character of it.
            assert!(!out.contains(&secret[..5]), "`{secret}` printed:\n{out}");
        }
    }
    // Found, and shown by their first four characters only.
    let report: Value = serde_json::from_str(&json.stdout).expect("JSON");
    let secret_findings: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["rule_id"] == "SEC001")
        .collect();
    assert_eq!(secret_findings.len(), 3, "{report:#}");
    for prefix in ["AKIA", "hunt", "ghp_"] {
        assert!(
            secret_findings
                .iter()
                .any(|f| f["message"].as_str().is_some_and(|m| m.contains(prefix))),
            "{prefix}: {report:#}"
        );
    }
    assert!(terminal.stdout.contains("AKIA****"), "{}", terminal.stdout);
}

#[test]
fn secret_on_a_line_framed_by_another_finding_is_masked() {
    // In `Environment: {Variables: {GITHUB_TOKEN: ...}}` the SEC002 finding points at
    // `Variables` on the same line as the token: its frame must mask the token too.
    let r = run(scan(&[
        "--rule",
        "SEC002",
        "--rule",
        "SEC001",
        "secrets.yaml",
    ]));
    let sec002_frame = r
        .stdout
        .split("\n\n")
        .find(|block| block.contains("SEC002") && block.contains("`Flow`"))
        .expect("SEC002 on Flow");
    assert!(
        sec002_frame.contains("GITHUB_TOKEN: ghp_****"),
        "{sec002_frame}"
    );
}

#[test]
fn json_output_is_deterministic() {
    let first = scan(&["--format", "json", "multi"]).output().expect("runs");
    let second = scan(&["--format", "json", "multi"]).output().expect("runs");
    assert_eq!(first.status.code(), Some(1));
    assert!(!first.stdout.is_empty());
    assert!(first.stdout == second.stdout, "two runs differ");

    // Whatever the thread count.
    for threads in ["1", "4"] {
        let mut cmd = scan(&["--format", "json", "multi"]);
        cmd.env("RAYON_NUM_THREADS", threads);
        let out = cmd.output().expect("runs");
        assert!(
            out.stdout == first.stdout,
            "differs with {threads} thread(s)"
        );
    }
    let text1 = scan(&["multi"]).output().expect("runs");
    let text2 = scan(&["multi"]).output().expect("runs");
    assert!(text1.stdout == text2.stdout, "terminal output differs");
}

const FINGERPRINT_BASE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: 'def handler(event, context): pass'}
      Environment:
        Variables:
          DB_PASSWORD: correct-horse-battery-staple
";

/// `(line, fingerprint)` of the SEC001 finding on `Fn` in `template.yaml` written with `text`.
fn sec001_of(dir: &Path, text: &str) -> (u64, String) {
    fs::write(dir.join("template.yaml"), text).expect("write template");
    let mut cmd = Command::cargo_bin("sheepdog").expect("binary");
    cmd.current_dir(dir).args([
        "scan",
        "--today",
        TODAY,
        "--format",
        "json",
        "template.yaml",
    ]);
    let out = cmd.output().expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let hits: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["rule_id"] == "SEC001" && f["resource_id"] == "Fn")
        .collect();
    assert_eq!(hits.len(), 1, "{report:#}");
    (
        hits[0]["line"].as_u64().expect("line"),
        hits[0]["fingerprint"].as_str().expect("fp").to_owned(),
    )
}

#[test]
fn fingerprints_survive_unrelated_edits_and_follow_substance() {
    let dir = scratch_dir("fingerprints");
    let (line, fp) = sec001_of(&dir, FINGERPRINT_BASE);

    // Comments and another resource above the finding: it moves, its fingerprint does not.
    let moved = FINGERPRINT_BASE.replacen(
        "Resources:\n",
        "# A comment\n# and another\nResources:\n  Other:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q\n\n",
        1,
    );
    let (moved_line, moved_fp) = sec001_of(&dir, &moved);
    assert_eq!(moved_line, line + 7);
    assert_eq!(moved_fp, fp);

    // A different variable is a different finding.
    let renamed = FINGERPRINT_BASE.replace("DB_PASSWORD:", "ADMIN_PASSWORD:");
    let (renamed_line, renamed_fp) = sec001_of(&dir, &renamed);
    assert_eq!(renamed_line, line);
    assert_ne!(renamed_fp, fp);

    // A changed value is the same finding (the fingerprint never holds the secret).
    let rotated =
        FINGERPRINT_BASE.replace("correct-horse-battery-staple", "another-long-passphrase");
    assert_eq!(sec001_of(&dir, &rotated).1, fp);
}

#[test]
fn fingerprints_ignore_a_leading_dot_slash() {
    // `sheepdog scan` walks `.` and reports `./insecure.yaml`; naming the file does not.
    let fingerprint = |path: &str| {
        let (_, report) = scan_json(&["--rule", "PUB002", path]);
        findings(&report)[0]["fingerprint"]
            .as_str()
            .expect("fingerprint")
            .to_owned()
    };
    assert_eq!(fingerprint("insecure.yaml"), fingerprint("./insecure.yaml"));
}

// ---------------------------------------------------------------------------------------
// The terminal report, for review
// ---------------------------------------------------------------------------------------

#[test]
fn terminal_report_snapshot() {
    let r = run(scan(&["--no-color", "insecure.yaml"]));
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("insecure_terminal", r.stdout);
}
