//! PUB005's `trusted-accounts` option: the accounts it lists (by ID or account ARN,
//! comma-separated, spaces and empty entries ignored) are not reported; the others still are.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use sheepdog_load::{Mode, load_file};

/// The accounts PUB005 reports in its CloudFormation fixture, with `trusted-accounts` set
/// to `trusted` (unset when `None`).
fn reported(trusted: Option<&str>) -> Vec<String> {
    let loaded = load_file(
        Path::new("tests/fixtures/PUB005/cfn_bad.yaml"),
        Mode::Explicit,
    )
    .expect("the fixture loads");
    let model = loaded.model.expect("a model");
    let mut options = common::only("PUB005");
    if let Some(t) = trusted {
        options.rule_options.insert(
            "PUB005".to_owned(),
            BTreeMap::from([("trusted-accounts".to_owned(), t.to_owned())]),
        );
    }
    let mut accounts: Vec<String> = sheepdog_rules::check(&model, &options)
        .iter()
        .map(|f| {
            let (_, rest) = f.message.split_once("account `").expect("names an account");
            rest[..12].to_owned()
        })
        .collect();
    accounts.sort();
    accounts.dedup();
    accounts
}

#[test]
fn trusted_accounts_are_not_reported() {
    assert_eq!(
        reported(None),
        ["210987654321", "444455556666", "777788889999"]
    );
    assert_eq!(
        reported(Some("210987654321")),
        ["444455556666", "777788889999"]
    );
    assert_eq!(
        reported(Some(" 210987654321, ,arn:aws:iam::777788889999:root,")),
        ["444455556666"]
    );
    assert_eq!(
        reported(Some("210987654321,444455556666,777788889999")),
        Vec::<String>::new()
    );
    // Not an account: trusts nothing.
    assert_eq!(reported(Some("")).len(), 3);
}
