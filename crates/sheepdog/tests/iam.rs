//! `sheepdog iam explain`, the IAM data in `--version`, and the staleness warnings of the
//! embedded IAM data. Policies live in `tests/data/iam/`; the binary runs from `tests/data`
//! so reported paths are short and stable.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn sheepdog() -> Command {
    let mut cmd = Command::cargo_bin("sheepdog").expect("the sheepdog binary is built");
    cmd.current_dir(data_dir()).env_remove("NO_COLOR");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = sheepdog().args(args).output().expect("sheepdog runs");
    Run {
        code: out.status.code().expect("sheepdog exited"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn explain_json(args: &[&str]) -> Value {
    let mut all = vec!["iam", "explain", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

#[test]
fn hand_written_policy_terminal() {
    let r = run(&["iam", "explain", "iam/policy.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    insta::assert_snapshot!("explain_hand_written", r.stdout);
}

#[test]
fn managed_policy_terminal() {
    let r = run(&["iam", "explain", "--managed", "AdministratorAccess"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("explain_administrator_access", r.stdout);
}

#[test]
fn managed_policies_by_arn_in_any_partition_and_case() {
    for name in [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "awslambdabasicexecutionrole",
    ] {
        let r = run(&["iam", "explain", "--managed", name]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(
            r.stdout.starts_with(
                "AWS managed policy AWSLambdaBasicExecutionRole (arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole)"
            ),
            "{name}: {}",
            r.stdout
        );
        assert!(r.stdout.contains("Action `logs:PutLogEvents`: Write"));
    }
    // Deprecated policies old roles may still have are there too.
    let r = run(&["iam", "explain", "--managed", "AWSLambdaFullAccess"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("deprecated"), "{}", r.stdout);
}

#[test]
fn json_shape() {
    let v = explain_json(&["iam/policy.json"]);
    assert_eq!(v["schema_version"], "1.0.0");
    assert_eq!(v["policy"]["kind"], "file");
    assert_eq!(v["policy"]["path"], "iam/policy.json");
    assert_eq!(v["version"], "2012-10-17");
    assert_eq!(v["incomplete"], false);
    let statements = v["statements"].as_array().expect("statements");
    assert_eq!(statements.len(), 5);

    // A wildcard with its expansion, grouped by access level, at its exact place.
    let orders = &statements[1];
    assert_eq!(orders["sid"], "Orders");
    assert_eq!(orders["reach"], "scoped");
    let item = &orders["actions"][0];
    assert_eq!(item["pattern"], "dynamodb:*Item");
    assert_eq!(item["wildcard"], true);
    assert_eq!(item["location"]["line"], 14);
    assert_eq!(item["location"]["column"], 18);
    assert_eq!(item["matches"]["count"], 7);
    assert_eq!(item["matches"]["levels"][0]["level"], "Write");
    assert!(
        item["matches"]["levels"][0]["actions"]
            .as_array()
            .expect("actions")
            .contains(&Value::from("dynamodb:PutItem"))
    );

    // NotAction: what the statement applies to is everything it does not name.
    let not = &statements[3];
    assert_eq!(not["not_action"], true);
    assert_eq!(not["conditions"][0]["key"], "aws:MultiFactorAuthPresent");
    let applies = not["applies_to"]["count"].as_u64().expect("count");
    assert!(applies > 20_000, "{applies}");

    // The Deny subtracts (unconditional, on `*`), and its typo is reported as a hole.
    assert_eq!(statements[4]["subtracts"], true);
    let unknown = v["unknown_actions"].as_array().expect("unknown actions");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["pattern"], "s3:DeleteBuckett");
    assert_eq!(unknown[0]["effect"], "Deny");
    assert_eq!(unknown[0]["statement"], 5);
    assert_eq!(unknown[0]["location"]["line"], 33);
    assert!(
        unknown[0]["message"]
            .as_str()
            .expect("message")
            .contains("this `Deny` does not deny it")
    );
    assert_eq!(v["problems"][0]["code"], "SD009");

    // Risks by category, with the statement and how far each grant reaches.
    let risks = &v["risks"];
    let escalation = risks["privilege_escalation"]
        .as_array()
        .expect("escalation");
    let lambda = escalation
        .iter()
        .find(|m| m["method"] == "PassExistingRoleToNewLambdaThenInvoke")
        .expect("PassRole + CreateFunction + InvokeFunction on `*`");
    assert_eq!(lambda["unconditional_on_any_resource"], true);
    assert_eq!(lambda["actions"][0]["statement"], 3);
    let data = risks["data_exfiltration"].as_array().expect("data");
    let ssm = data
        .iter()
        .find(|g| g["action"] == "ssm:GetParameter")
        .expect("ssm:GetParameter");
    assert_eq!(
        (&ssm["reach"], &ssm["conditional"], &ssm["statement"]),
        (&Value::from("any"), &Value::from(false), &Value::from(3))
    );
    // `dynamodb:DeleteTable` is denied unconditionally: gone from every list.
    assert!(
        !risks["write_on_any_resource"]
            .as_array()
            .expect("write")
            .iter()
            .any(|g| g["action"] == "dynamodb:DeleteTable")
    );
    let names: Vec<&str> = v["data"]
        .as_array()
        .expect("data sets")
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "IAM action catalog",
            "AWS managed policies",
            "IAM risk facts"
        ]
    );
}

#[test]
fn managed_json_has_no_locations() {
    let v = explain_json(&["--managed", "AWSLambdaBasicExecutionRole"]);
    assert_eq!(v["policy"]["kind"], "managed");
    assert_eq!(
        v["policy"]["arn"],
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    );
    assert_eq!(v["statements"][0]["location"], Value::Null);
    assert_eq!(v["allows"]["actions"], 3);
}

#[test]
fn yaml_with_intrinsics_and_mistakes() {
    let r = run(&["iam", "explain", "iam/policy.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    for expected in [
        "Part of the document could not be read",
        "Action `!Ref ExtraAction` (8:9): not resolved",
        "Resource `!GetAtt Table.Arn`: not resolved (it may be `*`)",
        "12:5: warning[SD009]: `Actions` is not an element of a statement (did you mean `Action`?)",
        "16:20: warning[SD009]: policy variable `${aws:username}` needs `Version: \"2012-10-17\"`",
    ] {
        assert!(out.contains(expected), "{expected:?} not in:\n{out}");
    }
    let v = explain_json(&["iam/policy.yaml"]);
    assert_eq!(v["incomplete"], true);
}

#[test]
fn standard_input_and_wrappers() {
    let out = sheepdog()
        .args(["iam", "explain", "--format", "json", "-"])
        .write_stdin(
            r#"{"PolicyVersion": {"Document": {"Statement": {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}}}}"#,
        )
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["policy"]["path"], "<stdin>");
    assert_eq!(v["version"], Value::Null);
    assert_eq!(v["allows"]["actions"], 1);
}

#[test]
fn unreadable_input_exits_2() {
    let r = run(&["iam", "explain", "iam/broken.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("iam/broken.json:5:1: invalid JSON"),
        "{}",
        r.stderr
    );

    let r = run(&["iam", "explain", "iam/not_a_policy.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not an IAM policy document"),
        "{}",
        r.stderr
    );

    let r = run(&["iam", "explain", "iam/missing.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read iam/missing.json"),
        "{}",
        r.stderr
    );

    let r = run(&["iam", "explain", "--managed", "AdministratorAccesss"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("no AWS managed policy `AdministratorAccesss`")
    );

    let r = run(&["iam", "explain"]);
    assert_eq!(r.code, 2);

    // Thousands of `"*"` entries (which IAM would refuse) are refused, not expanded.
    let stars = vec!["*"; 500];
    let huge =
        serde_json::json!({"Statement": [{"Effect": "Allow", "Action": stars, "Resource": "*"}]});
    let out = sheepdog()
        .args(["iam", "explain", "-"])
        .write_stdin(huge.to_string())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("too large to explain"));
}

#[test]
fn version_lists_the_iam_data() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    for line in [
        "IAM action catalog: generated ",
        "AWS managed policies: generated ",
        "IAM risk facts: generated ",
    ] {
        assert!(r.stdout.contains(line), "{line:?} not in {}", r.stdout);
    }
}

#[test]
fn stale_iam_data_warns_once_per_data_set() {
    let r = run(&[
        "scan",
        "--today",
        "2031-01-01",
        "--format",
        "json",
        "clean.yaml",
    ]);
    let report: Value = serde_json::from_str(&r.stdout).expect("JSON report");
    let stale: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "SD008")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(stale.len(), 4, "{stale:#?}");
    for what in [
        "Lambda runtime calendar",
        "IAM action catalog",
        "AWS managed policies",
        "IAM risk facts",
    ] {
        assert!(
            stale
                .iter()
                .any(|m| m.starts_with(&format!("the embedded {what} is "))),
            "{what}: {stale:#?}"
        );
    }
    // Fresh data: no warning.
    let r = run(&[
        "scan",
        "--today",
        "2026-11-29",
        "--format",
        "json",
        "clean.yaml",
    ]);
    assert!(!r.stdout.contains("SD008"), "{}", r.stdout);
}
