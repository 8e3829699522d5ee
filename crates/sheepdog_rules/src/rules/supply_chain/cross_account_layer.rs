use sheepdog_model::Model;

use super::aws_layers::aws_publisher;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function layer (`Layers` of the function, or of SAM `Globals.Function`) that is a
    /// layer version ARN published by another AWS account than the template's own. The
    /// template's account is the one in `${AWS::AccountId}` (a layer ARN built with it, or
    /// a `!Ref` to a layer of the template, is your own) and the account of any execution
    /// role written as a literal ARN (a function's role is always in its own account). A
    /// layer ARN that is a parameter without a default, an import or a `!FindInMap` keyed
    /// by region is not reported.
    ///
    /// Layers AWS publishes from its own accounts are not reported: CloudWatch Lambda
    /// Insights, the AWS Parameters and Secrets Lambda Extension, the AWS AppConfig
    /// extension, Powertools for AWS Lambda (Python and TypeScript) and AWS Distro for
    /// OpenTelemetry. You already trust AWS with the runtime that runs your code, and
    /// reporting them would bury the layers that do need a decision. The accounts are
    /// listed in the rule's source; a region where AWS publishes from an account missing
    /// there gives a finding you can suppress.
    ///
    /// ## Why it matters
    /// Practice 5 (dependencies and third-party code): a layer's code runs inside your
    /// function, with its execution role's permissions, its environment variables and
    /// every event it receives. A layer from someone else's account is code you did not
    /// build or review, chosen by whoever owns that account; if that account is
    /// compromised or turns malicious, its next layer version is a backdoor you deploy on
    /// your next upgrade; and if the owner deletes the version you use, you can no longer
    /// create or update a function with it.
    ///
    /// ## How to fix
    /// Prefer the vendor's package in your own deployment artifact, or publish the layer
    /// from your own account (`AWS::Lambda::LayerVersion` / `AWS::Serverless::LayerVersion`
    /// referenced with `!Ref`) after reviewing it. If you keep the third-party layer,
    /// confirm the account belongs to the vendor (its documentation lists it), pin a
    /// version you have reviewed, and suppress this finding with that reason.
    ///
    /// ## Options
    /// - `trusted-accounts` (`--rule-option DEP003.trusted-accounts=111122223333`, or
    ///   `[rules.options.DEP003]` in `sheepdog.toml`): layer publishers you have vetted
    ///   (a vendor's account, your organisation's shared-layers account); their layers are
    ///   not reported.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Layers:
    ///         - arn:aws:lambda:eu-west-1:111122223333:layer:requests-helper:7
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Layers:
    ///         - !Ref RequestsHelper
    ///   RequestsHelper:
    ///     Type: AWS::Serverless::LayerVersion
    ///     Properties:
    ///       ContentUri: layers/requests-helper/
    ///       CompatibleRuntimes: [python3.12]
    /// ```
    pub struct CrossAccountLayer {
        id: "DEP003",
        name: "cross-account-layer",
        severity: Medium,
        practices: [5],
        sources: [CloudFormation, Sam, Terraform],
        options: [("trusted-accounts", "accounts whose layers you trust (comma-separated IDs)")],
    }
}

impl Rule for CrossAccountLayer {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        let own = own_accounts(model);
        let trusted = cx.option_list("trusted-accounts");
        for f in &model.functions {
            for layer in &f.layers {
                let Some(arn) = layer.value.as_str() else {
                    continue;
                };
                let Some(parsed) = LayerArn::parse(arn) else {
                    continue;
                };
                if publisher(parsed.account, &own, &trusted) != Publisher::ThirdParty {
                    continue;
                }
                cx.report(
                    &f.resource,
                    &layer.span,
                    arn.trim(),
                    format!(
                        "Layer `{}` of `{}` is published by account `{}`, not by the account the function runs in",
                        parsed.name, f.resource.id, parsed.account
                    ),
                    format!(
                        "publish the layer from your own account; if you trust account {} and this version, suppress this finding with that reason",
                        parsed.account
                    ),
                );
            }
        }
    }
}

/// Who publishes the layers of an account, from the template's point of view.
#[derive(Debug, PartialEq, Eq)]
enum Publisher {
    /// The template's own account.
    Own,
    /// An account the configuration trusts.
    Trusted,
    /// An account AWS publishes its own layers from.
    Aws(&'static str),
    ThirdParty,
}

/// The one place the account decision is made. `account` is the account of a layer ARN,
/// `${AWS::AccountId}` when the ARN was built with it; `own` are the accounts the template
/// is known to deploy into; `trusted` the `trusted-accounts` option.
fn publisher(account: &str, own: &[&str], trusted: &[String]) -> Publisher {
    if account == SELF || own.contains(&account) {
        return Publisher::Own;
    }
    if trusted.iter().any(|t| t == account) {
        return Publisher::Trusted;
    }
    aws_publisher(account).map_or(Publisher::ThirdParty, Publisher::Aws)
}

const SELF: &str = "${AWS::AccountId}";

/// Accounts the template deploys into, as far as it says: those of execution roles written
/// as literal ARNs (Lambda only accepts a role of the function's own account).
fn own_accounts(model: &Model) -> Vec<&str> {
    let mut own = Vec::new();
    for f in &model.functions {
        let Some(role) = f.role.as_ref().and_then(|r| r.value.as_str()) else {
            continue;
        };
        // arn:<partition>:iam::<account>:role/<path/name>
        let mut parts = role.trim().splitn(6, ':');
        let (Some("arn"), Some(_), Some("iam"), Some(""), Some(account), Some(rest)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            continue;
        };
        if rest.starts_with("role/") && is_account(account) && !own.contains(&account) {
            own.push(account);
        }
    }
    own
}

/// The parts of a layer version ARN sheepdog needs.
#[derive(Debug, PartialEq, Eq)]
struct LayerArn<'a> {
    /// Twelve digits, or `${AWS::AccountId}`.
    account: &'a str,
    /// `name:version`.
    name: &'a str,
}

impl<'a> LayerArn<'a> {
    /// `arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>`, where the
    /// partition, region and account may be `${AWS::...}` pseudo parameters (kept as text by
    /// `!Sub`). `None` when the value is not a layer ARN sheepdog can read.
    fn parse(arn: &'a str) -> Option<Self> {
        let arn = arn.trim();
        let rest = arn.strip_prefix("arn:")?;
        let (_partition, rest) = split_field(rest)?;
        let rest = rest.strip_prefix("lambda:")?;
        let (_region, rest) = split_field(rest)?;
        let (account, rest) = split_field(rest)?;
        let name = rest.strip_prefix("layer:")?;
        if name.is_empty() || !(account == SELF || is_account(account)) {
            return None;
        }
        Some(Self { account, name })
    }
}

/// The first `:`-separated field of `s` and the rest after it, where a field may be a
/// `${...}` placeholder (which contains colons itself).
fn split_field(s: &str) -> Option<(&str, &str)> {
    let end = if s.starts_with("${") {
        s.find('}')? + 1
    } else {
        s.find(':')?
    };
    let rest = s[end..].strip_prefix(':')?;
    Some((&s[..end], rest))
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_layer_arns() {
        assert_eq!(
            LayerArn::parse("arn:aws:lambda:eu-west-1:111122223333:layer:helper:7"),
            Some(LayerArn {
                account: "111122223333",
                name: "helper:7"
            })
        );
        assert_eq!(
            LayerArn::parse(
                "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:layer:shared:3"
            ),
            Some(LayerArn {
                account: SELF,
                name: "shared:3"
            })
        );
        assert_eq!(
            LayerArn::parse("arn:aws:lambda:${AWS::Region}:017000801446:layer:Powertools:3")
                .map(|l| l.account),
            Some("017000801446")
        );
        assert_eq!(
            LayerArn::parse("arn:aws:lambda:eu-west-1:111122223333:function:f"),
            None
        );
        assert_eq!(
            LayerArn::parse("arn:aws:lambda:eu-west-1:acme:layer:helper:7"),
            None
        );
        assert_eq!(LayerArn::parse("not an arn"), None);
    }

    #[test]
    fn decides_who_publishes() {
        assert_eq!(publisher(SELF, &[], &[]), Publisher::Own);
        assert_eq!(
            publisher("123456789012", &["123456789012"], &[]),
            Publisher::Own
        );
        assert!(matches!(
            publisher("580247275435", &[], &[]),
            Publisher::Aws(_)
        ));
        assert_eq!(publisher("111122223333", &[], &[]), Publisher::ThirdParty);
        assert_eq!(
            publisher("111122223333", &[], &["111122223333".to_owned()]),
            Publisher::Trusted
        );
    }
}
