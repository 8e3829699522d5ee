//! Accounts from which AWS itself publishes Lambda layers, with what they publish.
//!
//! Sources: the regional layer ARNs AWS documents for each product — the CloudWatch Lambda
//! Insights extension (awslabs/serverless-plugin-lambda-insights `layerVersions.json`), the
//! AWS Parameters and Secrets Lambda Extension (the per-region table of the Systems Manager
//! user guide, as collected in fedonev/lambda-params-secrets `data/aws-layer-arns.json`), the
//! AWS AppConfig Lambda extension (aws-cdk `region-info` fact tables), Powertools for AWS
//! Lambda (its installation pages) and AWS Distro for OpenTelemetry (aws-otel pages and the
//! aws-observability release notes). A region missing here only costs a finding that the user can
//! suppress; an account here that AWS does not own would hide a third party, so only
//! accounts those sources give are listed.

const APPCONFIG: &str = "AWS AppConfig extension";
const INSIGHTS: &str = "CloudWatch Lambda Insights";
const PARAMS_AND_SECRETS: &str = "AWS Parameters and Secrets Lambda Extension";
const POWERTOOLS_PYTHON: &str = "Powertools for AWS Lambda (Python)";
const POWERTOOLS_TYPESCRIPT: &str = "Powertools for AWS Lambda (TypeScript)";
const ADOT: &str = "AWS Distro for OpenTelemetry";

/// `(account, publisher)`, sorted by account.
const AWS_LAYER_ACCOUNTS: &[(&str, &str)] = &[
    ("000010852771", APPCONFIG),
    ("012438385374", INSIGHTS),
    ("015030872274", PARAMS_AND_SECRETS),
    ("017000801446", POWERTOOLS_PYTHON),
    ("027255383542", APPCONFIG),
    ("033019950311", INSIGHTS),
    ("039592058896", APPCONFIG),
    ("044395824272", PARAMS_AND_SECRETS),
    ("066940009817", APPCONFIG),
    ("080788657173", APPCONFIG),
    ("094274105915", POWERTOOLS_TYPESCRIPT),
    ("127562683043", PARAMS_AND_SECRETS),
    ("129776340158", PARAMS_AND_SECRETS),
    ("133256977650", PARAMS_AND_SECRETS),
    ("133490724326", PARAMS_AND_SECRETS),
    ("176022468876", PARAMS_AND_SECRETS),
    ("177933569100", PARAMS_AND_SECRETS),
    ("187925254637", PARAMS_AND_SECRETS),
    ("194566237122", INSIGHTS),
    ("200266452380", PARAMS_AND_SECRETS),
    ("203683718741", APPCONFIG),
    ("282860088358", APPCONFIG),
    ("285320876703", INSIGHTS),
    ("287114880934", PARAMS_AND_SECRETS),
    ("287310001119", PARAMS_AND_SECRETS),
    ("317013901791", PARAMS_AND_SECRETS),
    ("325218067255", PARAMS_AND_SECRETS),
    ("339249233099", INSIGHTS),
    ("345057560386", PARAMS_AND_SECRETS),
    ("352183217350", INSIGHTS),
    ("359756378197", APPCONFIG),
    ("418787028745", APPCONFIG),
    ("421114256042", APPCONFIG),
    ("427196147048", PARAMS_AND_SECRETS),
    ("434848589818", APPCONFIG),
    ("439286490199", INSIGHTS),
    ("488211338238", INSIGHTS),
    ("489524808438", APPCONFIG),
    ("490737872127", PARAMS_AND_SECRETS),
    ("493207061005", APPCONFIG),
    ("519774774795", INSIGHTS),
    ("554480029851", APPCONFIG),
    ("559955524753", APPCONFIG),
    ("574348263942", APPCONFIG),
    ("576959938190", PARAMS_AND_SECRETS),
    ("580247275435", INSIGHTS),
    ("586093569114", APPCONFIG),
    ("590474943231", PARAMS_AND_SECRETS),
    ("615057806174", APPCONFIG),
    ("615084187847", APPCONFIG),
    ("615299751070", ADOT),
    ("630222743974", APPCONFIG),
    ("646970417810", APPCONFIG),
    ("662846165436", APPCONFIG),
    ("665172237481", PARAMS_AND_SECRETS),
    ("706869817123", APPCONFIG),
    ("728743619870", APPCONFIG),
    ("732604637566", INSIGHTS),
    ("738900069198", PARAMS_AND_SECRETS),
    ("758369105281", APPCONFIG),
    ("768336418462", PARAMS_AND_SECRETS),
    ("780235371811", PARAMS_AND_SECRETS),
    ("826293736237", APPCONFIG),
    ("832021897121", PARAMS_AND_SECRETS),
    ("858974508948", PARAMS_AND_SECRETS),
    ("891564319516", INSIGHTS),
    ("901920570463", ADOT),
    ("933737806257", PARAMS_AND_SECRETS),
    ("946561847325", APPCONFIG),
    ("946746059096", APPCONFIG),
    ("958113053741", APPCONFIG),
    ("980059726660", APPCONFIG),
    ("997803712105", PARAMS_AND_SECRETS),
];

/// What AWS publishes from `account`, when it is one of AWS's layer-publishing accounts.
pub(super) fn aws_publisher(account: &str) -> Option<&'static str> {
    AWS_LAYER_ACCOUNTS
        .binary_search_by(|(a, _)| (*a).cmp(account))
        .ok()
        .map(|i| AWS_LAYER_ACCOUNTS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_well_formed() {
        for pair in AWS_LAYER_ACCOUNTS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (account, _) in AWS_LAYER_ACCOUNTS {
            assert!(
                account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()),
                "{account}"
            );
        }
        assert_eq!(
            aws_publisher("580247275435"),
            Some("CloudWatch Lambda Insights")
        );
        assert_eq!(aws_publisher("111122223333"), None);
    }
}
