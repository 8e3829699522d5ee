//! Policy classification per statement: `effective()` (wildcards expanded against the
//! catalog, `NotAction` turned into what it leaves, `Deny` subtracted) on the shapes that
//! cost the most differently, and on two broad AWS managed policies. The catalog and the
//! managed policies are parsed once, before measuring (as in a scan after the first use).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use sheepdog_diagnostics::{Pos, Span};
use sheepdog_iam::{PolicyDocument, catalog, document_from_json, effective, managed_policies};

fn span() -> Span {
    Span::point(Arc::from("bench.json"), Pos::new(1, 1))
}

fn statement(action: &serde_json::Value, resource: &str) -> PolicyDocument {
    document_from_json(
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}),
        &span(),
    )
}

fn bench(c: &mut Criterion) {
    // First use parses the embedded data: keep it out of the measurements.
    let _ = catalog().all().len();
    let managed = |name: &str| {
        managed_policies().by_name(name).map_or_else(
            || panic!("{name} is in the managed-policy data"),
            |p| p.document(&span()),
        )
    };
    let cases = [
        (
            "scoped statement",
            statement(
                &json!(["s3:GetObject", "s3:PutObject"]),
                "arn:aws:s3:::bucket/*",
            ),
        ),
        ("s3:Get*", statement(&json!("s3:Get*"), "*")),
        ("*:List*", statement(&json!("*:List*"), "*")),
        ("*", statement(&json!("*"), "*")),
        (
            "NotAction",
            document_from_json(
                &json!({"Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}]}),
                &span(),
            ),
        ),
        ("AdministratorAccess", managed("AdministratorAccess")),
        ("PowerUserAccess", managed("PowerUserAccess")),
    ];
    let mut group = c.benchmark_group("effective");
    for (name, doc) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(effective(black_box(&doc.statements)).grants.len()));
        });
    }
    group.finish();
    // What a rule does next with the grants of the broadest case.
    let admin = &cases[5].1;
    c.bench_function("effective + by_action/AdministratorAccess", |b| {
        b.iter(|| black_box(effective(black_box(&admin.statements)).by_action().len()));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
