//! Policy validation (`SD009`): every policy document of a template is checked, and each
//! problem is a warning at the exact place it is written. `tests/templates/policy_mistakes.yaml`
//! holds one document of each kind (trust, inline, standalone, JSON string, API resource
//! policy, KMS key policy, SAM inline and SAM API resource policy), each with mistakes.

mod common;

use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel};
use sheepdog_load::{Mode, load_bytes};

const MISTAKES: &str = include_str!("templates/policy_mistakes.yaml");

/// 1-based line and column (in characters) of the `nth` occurrence of `needle` in `text`;
/// when the needle has a `»`, of the text right after it (`" »Statements:"`).
fn position(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let skip = needle.find('»').unwrap_or(0);
    let plain = needle.replace('»', "");
    let (at, _) = text
        .match_indices(&plain)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} is in the template"));
    let at = at + skip;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (
        u32::try_from(line).expect("small"),
        u32::try_from(col).expect("small"),
    )
}

fn at(d: &Diagnostic) -> (u32, u32) {
    let s = d.span.as_ref().expect("policy diagnostics have a span");
    (s.start.line, s.start.column)
}

#[test]
fn every_mistake_is_a_located_warning() {
    let (_, loaded) = common::model("policy_mistakes.yaml");
    // (code, where: needle and occurrence, what the message starts with)
    let expected: [(&str, (&str, usize), &str); 18] = [
        (
            "SD009",
            ("Principals:", 0),
            "`Principals` is not an element of a statement (did you mean `Principal`?): IAM rejects the policy",
        ),
        (
            "SD009",
            ("\"2012-10-18\"", 0),
            "`Version` is `2012-10-18`: IAM knows only `2012-10-17` (current) and `2008-10-17`",
        ),
        (
            "SD009",
            ("allow", 0),
            "`Effect` is `allow`: IAM accepts only `Allow` or `Deny` (case-sensitive)",
        ),
        (
            "SD009",
            ("s3:GetObjekt", 0),
            "action `s3:GetObjekt` matches no `s3` action (did you mean `s3:GetObject`?)",
        ),
        (
            "SD009",
            ("s3:DeleteObjekt", 0),
            "action `s3:DeleteObjekt` matches no `s3` action (did you mean `s3:DeleteObject`?): this `Deny` does not deny it",
        ),
        (
            "SD009",
            ("GetObject\n", 0),
            "action `GetObject` has no service prefix (IAM expects `service:GetObject`, e.g. ",
        ),
        (
            "SD009",
            ("lamda:InvokeFunction", 0),
            "action `lamda:InvokeFunction`: `lamda` is not an AWS service prefix (did you mean `lambda:InvokeFunction`?): this `Deny` does not deny it",
        ),
        (
            "SD009",
            ("\"home/${aws:username}/*\"", 0),
            "policy variable `${aws:username}` needs `Version: \"2012-10-17\"`: the document has no `Version`",
        ),
        (
            "SD009",
            (" »Statements:", 0),
            "`Statements` is not an element of a policy document (did you mean `Statement`?)",
        ),
        (
            "SD009",
            ("iam:*Polcy", 0),
            "action pattern `iam:*Polcy` matches no `iam` action (sheepdog's IAM catalog is of 2026-09-26): the `NotAction` exception excludes nothing, so this `Allow` grants what it was meant to leave out",
        ),
        (
            "SD009",
            ("Action: sqs:SendMessage", 0),
            "statement has no `Effect`: IAM rejects the policy (sheepdog reads it as `Allow`)",
        ),
        // Inside a JSON string, positions are those of the string.
        (
            "SD009",
            ("'{\"Version\"", 0),
            "action `dynamodb:GetItems` matches no `dynamodb` action (did you mean `dynamodb:GetItem`?): it allows nothing",
        ),
        (
            "SD009",
            ("execute-api:Invok\n", 0),
            "action `execute-api:Invok` matches no `execute-api` action (did you mean `execute-api:Invoke`?)",
        ),
        (
            "SD009",
            ("Sid: Users", 0),
            "statement has both `Principal` and `NotPrincipal`: IAM rejects it",
        ),
        (
            "SD009",
            ("Resources: execute-api", 0),
            "`Resources` is not an element of a statement (did you mean `Resource`?)",
        ),
        (
            "SD006",
            ("AmazonS3ReadonlyAccess", 0),
            "`AmazonS3ReadonlyAccess` is not an AWS managed policy known to sheepdog (did you mean `AmazonS3ReadOnlyAccess`?)",
        ),
        (
            "SD009",
            (" »Statements:", 1),
            "`Statements` is not an element of a policy document (did you mean `Statement`?)",
        ),
        (
            "SD009",
            ("s4:PutObject", 0),
            "action `s4:PutObject`: `s4` is not an AWS service prefix (did you mean `s3:PutObject`?): it allows nothing",
        ),
    ];
    let mut unmatched: Vec<&Diagnostic> = loaded.diagnostics.iter().collect();
    for (code, (needle, nth), message) in expected {
        let want = position(MISTAKES, needle, nth);
        let found = unmatched
            .iter()
            .position(|d| d.code == code && at(d) == want && d.message.starts_with(message));
        let Some(i) = found else {
            panic!(
                "no {code} at {want:?} starting {message:?}; diagnostics:\n{:#?}",
                unmatched
                    .iter()
                    .map(|d| (d.code, at(d), &d.message))
                    .collect::<Vec<_>>()
            );
        };
        assert_eq!(unmatched[i].level, DiagnosticLevel::Warning);
        unmatched.remove(i);
    }
    assert!(
        unmatched.is_empty(),
        "unexpected diagnostics: {:#?}",
        unmatched
            .iter()
            .map(|d| (d.code, at(d), &d.message))
            .collect::<Vec<_>>()
    );
}

#[test]
fn sam_policy_templates_and_valid_documents_are_quiet() {
    let template = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: [sts:AssumeRole, sts:TagSession]
      Policies:
        - PolicyName: home
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [s3:Get*, "*:List*", s3:*Object]
                Resource: !Sub "arn:${AWS::Partition}:s3:::home/${!aws:username}/*"
              - Effect: Deny
                NotAction: [iam:*, sts:*]
                NotResource: !Sub "arn:${AWS::Partition}:s3:::home/*"
                Condition: { Bool: { aws:SecureTransport: "false" } }
  Function:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Queue:
          Type: SQS
          Properties: { Queue: !GetAtt Queue.Arn }
      Policies:
        - AWSLambdaBasicExecutionRole
        - AmazonS3ReadOnlyAccess
        - !Sub arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess
        - SQSPollerPolicy: { QueueName: !GetAtt Queue.QueueName }
        - SQSSendMessagePolicy: { QueueName: !GetAtt Queue.QueueName }
        - Statement:
            Effect: Allow
            Action: ["*"]
            Resource: !Sub "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"
"#;
    let loaded = load_bytes(
        &Arc::from("quiet.yaml"),
        template.as_bytes(),
        Mode::Explicit,
    )
    .expect("an explicit file answers");
    assert!(loaded.model.is_some());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
}

#[test]
fn json_templates_point_at_the_entry() {
    let template = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Policy": {
      "Type": "AWS::IAM::ManagedPolicy",
      "Properties": {
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Deny", "Action": ["s3:DeleteBucket", "s3:DeleteBuckt"], "Resource": "*"}
          ]
        }
      }
    }
  }
}"#;
    let loaded = load_bytes(&Arc::from("t.json"), template.as_bytes(), Mode::Explicit)
        .expect("an explicit file answers");
    let found: Vec<((u32, u32), &str)> = loaded
        .diagnostics
        .iter()
        .map(|d| (at(d), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            position(template, "\"s3:DeleteBuckt\"", 0),
            "action `s3:DeleteBuckt` matches no `s3` action (did you mean `s3:DeleteBucket`?): this `Deny` does not deny it, so whatever it was meant to block stays allowed"
        )]
    );
}

#[test]
fn unknown_managed_policy_names_stay_as_written() {
    let (model, _) = common::model("policy_mistakes.yaml");
    let role = model
        .roles
        .iter()
        .find(|r| r.resource.id == "FunctionRole")
        .expect("SAM's implicit role");
    let arns: Vec<&str> = role
        .managed_policy_arns
        .iter()
        .filter_map(|a| a.value.as_str())
        .collect();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "AmazonS3ReadonlyAccess",
        ]
    );
}
