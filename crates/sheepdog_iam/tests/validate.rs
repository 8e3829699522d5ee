//! `validate`, table-style: each document (as JSON; every element located at one span, so
//! only the messages are compared) with the problems IAM would have with it.

use std::sync::Arc;

use serde_json::json;
use sheepdog_diagnostics::{Pos, Span};
use sheepdog_iam::{action_problem, document_from_json, validate};

fn problems(doc: &serde_json::Value) -> Vec<String> {
    let span = Span::point(Arc::from("t.json"), Pos::new(1, 1));
    validate(&document_from_json(doc, &span))
        .into_iter()
        .map(|(message, _)| message)
        .collect()
}

fn allow(action: &str) -> serde_json::Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})
}

#[test]
fn valid_documents_have_no_problems() {
    let cases = [
        allow("s3:GetObject"),
        allow("S3:GETOBJECT"),
        allow("s3:Get*"),
        allow("*:List*"),
        allow("*"),
        allow("iam:*Policy"),
        allow("lambda:Invoke?unction"),
        // No Version is fine without policy variables.
        json!({"Statement": {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "NotResource": "arn:aws:s3:::b/*"}}),
        // CloudFormation references kept symbolic are not policy variables.
        json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:${AWS::Partition}:s3:::${Bucket}/*"}]}),
        json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
            "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}}]}),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}),
    ];
    for doc in cases {
        assert_eq!(problems(&doc), Vec::<String>::new(), "{doc}");
    }
}

#[test]
fn problems_and_what_they_mean_where_they_are() {
    let cases: [(serde_json::Value, &[&str]); 13] = [
        (
            json!({"Version": "2012-10-18", "Statement": []}),
            &[
                "`Version` is `2012-10-18`: IAM knows only `2012-10-17` (current) and `2008-10-17`, and rejects the policy",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::home/${aws:username}"}]}),
            &[
                "policy variable `${aws:username}` needs `Version: \"2012-10-17\"`: the document has no `Version`, so IAM reads it as `2008-10-17` and matches the literal text `${aws:username}` instead",
            ],
        ),
        (
            json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${*}"}]}),
            &[
                "policy variable `${*}` needs `Version: \"2012-10-17\"`: the document says `Version: 2008-10-17` and matches the literal text `${*}` instead",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}),
            &[
                "`Effect` is `allow`: IAM accepts only `Allow` or `Deny` (case-sensitive), and rejects the policy",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}),
            &[
                "action `s3:GetObjekt` matches no `s3` action (did you mean `s3:GetObject`?): it allows nothing",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Deny", "Action": "s3:DeleteBuckt", "Resource": "*"}]}),
            &[
                "action `s3:DeleteBuckt` matches no `s3` action (did you mean `s3:DeleteBucket`?): this `Deny` does not deny it, so whatever it was meant to block stays allowed",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*Polcy", "Resource": "*"}]}),
            &[
                "action pattern `iam:*Polcy` matches no `iam` action (sheepdog's IAM catalog is of 2026-09-26): the `NotAction` exception excludes nothing, so this `Allow` grants what it was meant to leave out",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Deny", "NotAction": "s3:GetObjekt", "Resource": "*"}]}),
            &[
                "action `s3:GetObjekt` matches no `s3` action (did you mean `s3:GetObject`?): the `NotAction` exception spares nothing, so this `Deny` also blocks what it was meant to spare",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}),
            &[
                "action `GetObject` has no service prefix (IAM expects `service:GetObject`, e.g. `mediapackagev2:GetObject`, `mediastore:GetObject`, `s3:GetObject`, ...): it allows nothing",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "PassRole", "Resource": "*"}]}),
            &[
                "action `PassRole` has no service prefix (IAM expects `service:PassRole`: did you mean `iam:PassRole`?): it allows nothing",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": ["lamda:InvokeFunction", "nosuchservice:Get*"], "Resource": "*"}]}),
            &[
                "action `lamda:InvokeFunction`: `lamda` is not an AWS service prefix (did you mean `lambda:InvokeFunction`?): it allows nothing",
                "action `nosuchservice:Get*`: `nosuchservice` is not an AWS service prefix: it allows nothing",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": ["*:Frobnicate*", ""], "Resource": "*"}]}),
            &[
                "action pattern `*:Frobnicate*` matches no action (sheepdog's IAM catalog is of 2026-09-26): it allows nothing",
                "empty action: it allows nothing",
            ],
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject",
                "Resource": "*", "NotResource": "arn:aws:s3:::b", "Principal": "*", "NotPrincipal": {"AWS": "*"}}]}),
            &[
                "statement has both `Action` and `NotAction`: IAM rejects it",
                "statement has both `Principal` and `NotPrincipal`: IAM rejects it",
                "statement has both `Resource` and `NotResource`: IAM rejects it",
            ],
        ),
    ];
    for (doc, expected) in cases {
        assert_eq!(problems(&doc), expected, "{doc}");
    }
}

#[test]
fn action_problems_alone() {
    assert_eq!(action_problem("s3:GetObject"), None);
    assert_eq!(action_problem("*"), None);
    assert_eq!(
        action_problem("dynamodb:GetItems").as_deref(),
        Some(
            "action `dynamodb:GetItems` matches no `dynamodb` action (did you mean `dynamodb:GetItem`?)"
        )
    );
    // SAM's SQSPollerPolicy names these; they are not IAM actions (the batch APIs are
    // authorised by the single-message actions).
    assert!(action_problem("sqs:DeleteMessageBatch").is_some());
    assert!(action_problem("sqs:ChangeMessageVisibilityBatch").is_some());
}

#[test]
fn problems_are_capped_per_document() {
    let typos: Vec<String> = (0..500).map(|i| format!("s3:GetObjekt{i}")).collect();
    let found =
        problems(&json!({"Statement": [{"Effect": "Deny", "Action": typos, "Resource": "*"}]}));
    assert_eq!(found.len(), sheepdog_iam::MAX_PROBLEMS + 1);
    assert_eq!(
        found.last().map(String::as_str),
        Some("this policy document has more than 100 problems; only the first 100 are listed")
    );
}
