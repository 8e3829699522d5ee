//! Per-template cost of the hot path: parse + resolve + model (`load_bytes`), and all rules
//! (`check`), on the insecure example and on a synthetic 20-function SAM template.
//! The whole-corpus figures (many files, parallel) come from `bench/run.sh`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sheepdog_load::{Mode, load_bytes};
use sheepdog_rules::{Date, Options, check};

const EXAMPLE: &str = include_str!("../../../examples/insecure-app/template.yaml");

/// A SAM template with `n` functions, each with a policy template, an event, env vars.
fn synthetic(n: usize) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n\
         Parameters:\n  Stage: {Type: String, Default: prod}\n\
         Globals:\n  Function:\n    Runtime: python3.12\n    Tracing: Active\n\
         Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n  Queue:\n    Type: AWS::SQS::Queue\n",
    );
    for i in 0..n {
        let _ = write!(
            t,
            "  Fn{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      \
             Handler: app.h{i}\n      Environment:\n        Variables:\n          STAGE: !Ref Stage\n          \
             TABLE: !Ref Table\n      Policies:\n        - DynamoDBCrudPolicy: {{TableName: !Ref Table}}\n        \
             - SQSPollerPolicy: {{QueueName: !GetAtt Queue.QueueName}}\n      Events:\n        Get:\n          \
             Type: Api\n          Properties: {{Path: /items/{i}, Method: get}}\n        Poll:\n          \
             Type: SQS\n          Properties: {{Queue: !GetAtt Queue.Arn}}\n  Fn{i}Logs:\n    \
             Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub /aws/lambda/${{Fn{i}}}\n      \
             RetentionInDays: 30\n"
        );
    }
    t
}

fn bench(c: &mut Criterion) {
    let options = Options {
        today: Date::parse("2026-11-29").unwrap_or_else(Date::today),
        ..Options::default()
    };
    let file: Arc<str> = Arc::from("bench.yaml");
    let twenty = synthetic(20);
    for (name, text) in [("example", EXAMPLE), ("sam-20-functions", twenty.as_str())] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("parse", |b| {
            b.iter(|| sheepdog_load::yaml::parse(&file, black_box(text)));
        });
        group.bench_function("load", |b| {
            b.iter(|| load_bytes(&file, black_box(text.as_bytes()), Mode::Explicit));
        });
        let model = load_bytes(&file, text.as_bytes(), Mode::Explicit)
            .and_then(|l| l.model)
            .expect("the benchmark template loads");
        group.bench_function("check", |b| b.iter(|| check(black_box(&model), &options)));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
