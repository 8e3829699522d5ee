use sheepdog_model::{LogGroup, Model};

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A log group (`AWS::Logs::LogGroup`) without `KmsKeyId`, so its logs are encrypted only
    /// with the key CloudWatch Logs manages. A key given by a parameter, an import or any
    /// expression sheepdog cannot resolve counts as set. Log groups Lambda creates on its
    /// own are not in the template: LOG002 reports those.
    ///
    /// Like its peers, this rule reports every log group without a key; it is `low` because
    /// CloudWatch Logs always encrypts at rest, and what a customer-managed key adds is
    /// control over who can read the logs, not encryption itself.
    ///
    /// ## Why it matters
    /// Practice 4 (monitoring and logging): function logs end up holding what the code
    /// printed — tokens, payloads, personal data. With a customer-managed key, reading them
    /// also needs `kms:Decrypt` on that key, every read is in CloudTrail, and disabling the
    /// key makes the logs unreadable at once; with the service key, `logs:GetLogEvents`
    /// alone is enough.
    ///
    /// ## How to fix
    /// Set `KmsKeyId` to the ARN of a customer-managed KMS key whose key policy allows the
    /// `logs.<region>.amazonaws.com` service principal to use it (with an
    /// `kms:EncryptionContext:aws:logs:arn` condition naming the log group). Terraform:
    /// `kms_key_id` on the `aws_cloudwatch_log_group` (the registry module:
    /// `cloudwatch_logs_kms_key_id`).
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   FnLogs:
    ///     Type: AWS::Logs::LogGroup
    ///     Properties:
    ///       LogGroupName: /aws/lambda/orders
    ///       RetentionInDays: 30
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   FnLogs:
    ///     Type: AWS::Logs::LogGroup
    ///     Properties:
    ///       LogGroupName: /aws/lambda/orders
    ///       RetentionInDays: 30
    ///       KmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    /// ```
    pub struct LogGroupWithoutKms {
        id: "LOG003",
        name: "log-group-without-kms",
        severity: Low,
        practices: [4],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for LogGroupWithoutKms {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for g in &model.log_groups {
            // Written, even as an expression sheepdog cannot resolve: the key is chosen.
            if g.kms_key.is_some() {
                continue;
            }
            cx.report(
                &g.resource,
                &g.resource.span,
                "",
                format!(
                    "Log group `{}` is not encrypted with a customer-managed KMS key (no `KmsKeyId`)",
                    display_name(g)
                ),
                "set `KmsKeyId` to a customer-managed KMS key whose policy lets CloudWatch Logs use it",
            );
        }
    }
}

/// The log group's name when it is known, else its logical ID.
fn display_name(g: &LogGroup) -> &str {
    g.name
        .as_ref()
        .and_then(|n| n.value.as_str())
        .unwrap_or(&g.resource.id)
}
