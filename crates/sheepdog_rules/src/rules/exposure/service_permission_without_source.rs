use sheepdog_model::{Model, Permission};

use super::principals::{action, condition_note, service_of, split_field, target};
use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A resource-based permission on a function (`AWS::Lambda::Permission`, and those SAM
    /// creates for events) whose principal is an AWS service (`s3.amazonaws.com`,
    /// `sns.amazonaws.com`, `events.amazonaws.com`, `apigateway.amazonaws.com`, any
    /// `*.amazonaws.com`) and that sets neither `SourceArn` nor `SourceAccount`, or only a
    /// `SourceArn` whose account is a wildcard (`*`, `arn:aws:sns:*:*:alerts`).
    ///
    /// Amazon S3 is stricter: a bucket ARN (`arn:aws:s3:::uploads`) names no account, and
    /// bucket names are global, so a permission for `s3.amazonaws.com` with a `SourceArn`
    /// but no `SourceAccount` is reported too, as AWS recommends (and as AWS Security Hub's
    /// Lambda.1 control does). A `SourceAccount` alone is enough: it is what SAM writes for
    /// `S3` events.
    ///
    /// The permissions SAM creates for `Api`, `HttpApi`, `S3`, `SNS`, `Schedule`,
    /// `EventBridgeRule`, `CloudWatchLogs`, `Cognito` and `IoTRule` events carry the
    /// `SourceArn`/`SourceAccount` SAM sets, and are not reported. Not reported either: a
    /// principal, `SourceArn` or `SourceAccount` that is a parameter without a default or
    /// another unresolved expression (it may well name one resource or account), and a
    /// permission with `PrincipalOrgID` (a service is in no organisation, so that permission
    /// does not let the service in). Principals that are not `*.amazonaws.com` (Alexa's
    /// `alexa-appkit.amazon.com`, protected by `EventSourceToken`) are out of scope. A
    /// permission created only under a template condition sheepdog cannot decide is
    /// reported, and the message says so.
    ///
    /// ## Why it matters
    /// Practice 14 (regular review of IAM and resource policies): a permission for a service
    /// principal without a source lets that service invoke the function on behalf of any
    /// AWS account — the confused deputy. Anyone who learns the function's ARN can point
    /// their own bucket notification, SNS subscription, EventBridge rule or API Gateway
    /// integration at it, and feed it events they write: object keys, messages and request
    /// bodies that reach the handler as trusted input, run it with its execution role, and
    /// run up its cost and concurrency.
    ///
    /// ## How to fix
    /// Set `SourceArn` to the ARN of the one resource that invokes the function (the
    /// topic, the rule, `arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*`),
    /// and `SourceAccount` to the account that owns it (`!Ref AWS::AccountId` for a
    /// resource of the same stack). For Amazon S3 always set `SourceAccount`. In SAM,
    /// prefer an `Events` entry on the function: SAM writes both for you.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///   FromAlerts:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:InvokeFunction
    ///       Principal: sns.amazonaws.com
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: arn:aws:iam::123456789012:role/fn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    ///   Alerts:
    ///     Type: AWS::SNS::Topic
    ///   FromAlerts:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn
    ///       Action: lambda:InvokeFunction
    ///       Principal: sns.amazonaws.com
    ///       SourceArn: !Ref Alerts
    ///       SourceAccount: !Ref AWS::AccountId
    /// ```
    pub struct ServicePermissionWithoutSource {
        id: "PUB004",
        name: "service-permission-without-source",
        severity: High,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// Why a service permission does not name its source.
enum Gap<'a> {
    /// Neither `SourceArn` nor `SourceAccount`.
    NoSource,
    /// Only a `SourceArn` whose account is a wildcard.
    AnyAccountArn(&'a str),
    /// S3 with a `SourceArn` (which names no account) and no `SourceAccount`.
    BucketWithoutAccount,
}

fn gap<'p>(service: &str, p: &'p Permission) -> Option<Gap<'p>> {
    if p.source_account.is_some() {
        return None;
    }
    let Some(arn) = &p.source_arn else {
        return Some(Gap::NoSource);
    };
    let known = arn.value.as_str().map(str::trim);
    if let Some(a) = known.filter(|a| arn_any_account(a)) {
        return Some(Gap::AnyAccountArn(a));
    }
    // A bucket ARN never names an account, whatever expression builds it.
    service
        .eq_ignore_ascii_case("s3")
        .then_some(Gap::BucketWithoutAccount)
}

/// Whether a `SourceArn` matches resources of any account: `*`, or an ARN whose account
/// field (or, in a shortened ARN, its last field) has a wildcard.
fn arn_any_account(arn: &str) -> bool {
    if arn == "*" {
        return true;
    }
    let Some(mut rest) = arn.strip_prefix("arn:") else {
        return false;
    };
    // partition, service, region, then the account.
    for _ in 0..3 {
        match split_field(rest) {
            Some((_, r)) => rest = r,
            None => return rest.contains(['*', '?']),
        }
    }
    let account = split_field(rest).map_or(rest, |(account, _)| account);
    account.contains(['*', '?'])
}

/// What a service invokes a function for, for messages.
fn source_noun(service: &str) -> &'static str {
    match service.to_ascii_lowercase().as_str() {
        "s3" => "bucket",
        "sns" => "topic",
        "events" => "EventBridge rule",
        "apigateway" => "API",
        "logs" => "log group",
        "cognito-idp" => "user pool",
        "iot" => "IoT rule",
        "elasticloadbalancing" => "target group",
        "ses" => "receipt rule",
        "config" => "Config rule",
        "lex" => "bot",
        "secretsmanager" => "secret",
        "monitoring" => "alarm",
        _ => "resource",
    }
}

impl Rule for ServicePermissionWithoutSource {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for p in &model.permissions {
            // An unknown principal may be anything: quiet.
            let Some(principal) = p.principal.value.as_str().map(str::trim) else {
                continue;
            };
            let Some(service) = service_of(principal) else {
                continue;
            };
            if p.principal_org_id.is_some() {
                continue;
            }
            let Some(gap) = gap(service, p) else {
                continue;
            };
            let noun = source_noun(service);
            let lead = format!(
                "Permission {} lets `{principal}` call {} on {}",
                describe(&p.resource),
                action(p),
                target(model, p)
            );
            let cond = condition_note(&p.resource);
            let (span, message, help) = match gap {
                Gap::NoSource => (
                    &p.principal.span,
                    format!(
                        "{lead} for any account's {noun}: it sets neither `SourceArn` nor `SourceAccount`{cond}"
                    ),
                    format!(
                        "set `SourceArn` to the {noun} that invokes the function, and `SourceAccount` to the account that owns it"
                    ),
                ),
                Gap::AnyAccountArn(arn) => (
                    p.source_arn.as_ref().map_or(&p.principal.span, |a| &a.span),
                    format!(
                        "{lead} for any account's {noun}: its `SourceArn` `{arn}` matches every account, and it sets no `SourceAccount`{cond}"
                    ),
                    "name the account in `SourceArn`, and set `SourceAccount` to the account that owns the source".to_owned(),
                ),
                Gap::BucketWithoutAccount => (
                    &p.principal.span,
                    format!(
                        "{lead} with a `SourceArn` but no `SourceAccount`: a bucket ARN names no account, so a bucket of that name in another account (re-created once yours is deleted) can invoke it{cond}"
                    ),
                    "add `SourceAccount` with the bucket owner's account (`!Ref AWS::AccountId` when the bucket is in the deploying account)".to_owned(),
                ),
            };
            cx.report(&p.resource, span, "", message, help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::arn_any_account;

    #[test]
    fn wildcard_accounts_in_source_arns() {
        for arn in [
            "*",
            "arn:aws:sns:*:*:alerts",
            "arn:aws:execute-api:eu-west-1:*:abc123/*",
            "arn:aws:events:eu-west-1:12345678901?:rule/r",
            "arn:aws:*",
            "arn:aws:sns:eu-west-1:*",
        ] {
            assert!(arn_any_account(arn), "{arn}");
        }
        for arn in [
            "arn:aws:sns:eu-west-1:111122223333:alerts",
            "arn:aws:sns:*:111122223333:alerts",
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:abc/*/GET/items",
            "arn:aws:events:eu-west-1:111122223333:rule/*",
            "arn:aws:s3:::uploads",
            "arn:aws:s3:::*",
            "not an arn",
        ] {
            assert!(!arn_any_account(arn), "{arn}");
        }
    }
}
