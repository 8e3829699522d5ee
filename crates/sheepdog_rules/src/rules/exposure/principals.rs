//! What the principal of a resource-based permission is, and whose account it is: shared by
//! the rules on `AWS::Lambda::Permission` and `AWS::Lambda::LayerVersionPermission`.

use sheepdog_model::{LayerPermission, Model, Permission, Resource};

/// How a template writes its own account: `!Sub ${AWS::AccountId}` keeps it symbolic.
pub const SELF: &str = "${AWS::AccountId}";

/// The service prefix of an AWS service principal (`s3` for `s3.amazonaws.com`, also in the
/// China partition's `.amazonaws.com.cn`), or `None` for anything else (`*`, an account, an
/// Alexa principal such as `alexa-appkit.amazon.com`).
pub fn service_of(principal: &str) -> Option<&str> {
    let p = principal.trim();
    let lower = p.to_ascii_lowercase();
    let prefix_len = [".amazonaws.com", ".amazonaws.com.cn"]
        .iter()
        .find(|suffix| lower.ends_with(*suffix))
        .map(|suffix| p.len() - suffix.len())?;
    let service = &p[..prefix_len];
    (!service.is_empty() && !service.contains(['*', '?', ':', '/'])).then_some(service)
}

/// The account a principal designates: a 12-digit account ID, `${AWS::AccountId}`, or the
/// account of an IAM or STS ARN (`arn:aws:iam::111122223333:root`, `...:role/name`,
/// `...:user/name`, `arn:aws:sts::111122223333:assumed-role/...`), whose partition may be
/// `${AWS::Partition}`. `None` for anything else (`*`, a service principal).
pub fn account_of(principal: &str) -> Option<&str> {
    let p = principal.trim();
    if p == SELF || is_account_id(p) {
        return Some(p);
    }
    let rest = p.strip_prefix("arn:")?;
    let (_partition, rest) = split_field(rest)?;
    let (service, rest) = split_field(rest)?;
    if !matches!(service, "iam" | "sts") {
        return None;
    }
    let (region, rest) = split_field(rest)?;
    let (account, resource) = split_field(rest)?;
    (region.is_empty() && (account == SELF || is_account_id(account)) && !resource.is_empty())
        .then_some(account)
}

/// Twelve digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The first `:`-separated field of `s` and the rest after it, where a field may be a
/// `${...}` placeholder (which contains colons itself).
pub fn split_field(s: &str) -> Option<(&str, &str)> {
    let end = if s.starts_with("${") {
        s.find('}')? + 1
    } else {
        s.find(':')?
    };
    let rest = s[end..].strip_prefix(':')?;
    Some((&s[..end], rest))
}

/// Accounts the template deploys into, as far as it says: `${AWS::AccountId}`, and those of
/// execution roles written as literal ARNs (Lambda only accepts a role of the function's own
/// account).
pub fn own_accounts(model: &Model) -> Vec<&str> {
    let mut own = vec![SELF];
    for f in &model.functions {
        let Some(role) = f.role.as_ref().and_then(|r| r.value.as_str()) else {
            continue;
        };
        let role = role.trim();
        let is_role = role
            .rsplit_once(':')
            .is_some_and(|(_, resource)| resource.starts_with("role/"));
        if let (true, Some(account)) = (is_role, account_of(role))
            && !own.contains(&account)
        {
            own.push(account);
        }
    }
    own
}

/// How a permission's function is named in messages: the function of the model it targets,
/// or what `FunctionName` says.
pub fn target(model: &Model, p: &Permission) -> String {
    if let Some((f, _)) = model.function_of(&p.function.value) {
        return format!("`{}`", f.resource.id);
    }
    p.function
        .value
        .resource_ref()
        .or_else(|| p.function.value.as_str())
        .map_or_else(|| "the function".to_owned(), |t| format!("`{}`", t.trim()))
}

/// The layer a layer permission shares, for messages: ``layer `L` `` (its logical ID or
/// ARN), or "its layer" when it is unknown.
pub fn layer(lp: &LayerPermission) -> String {
    lp.layer
        .value
        .resource_ref()
        .or_else(|| lp.layer.value.as_str())
        .map_or_else(
            || "its layer".to_owned(),
            |l| format!("layer `{}`", l.trim()),
        )
}

/// What a permission grants, for messages: its action in backticks, or "its action" when it
/// is unknown.
pub fn action(p: &Permission) -> String {
    p.action
        .value
        .as_str()
        .map_or_else(|| "its action".to_owned(), |a| format!("`{}`", a.trim()))
}

/// A message suffix for a resource created only under a template condition sheepdog could
/// not decide: the finding holds only when it does.
pub fn condition_note(resource: &Resource) -> String {
    resource
        .condition
        .as_ref()
        .map(|c| format!(" (only when the template condition `{c}` holds)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_principals() {
        for (p, s) in [
            ("s3.amazonaws.com", Some("s3")),
            (" sns.amazonaws.com ", Some("sns")),
            ("Events.AmazonAWS.com", Some("Events")),
            ("s3.amazonaws.com.cn", Some("s3")),
            (
                "elasticloadbalancing.amazonaws.com",
                Some("elasticloadbalancing"),
            ),
            ("alexa-appkit.amazon.com", None),
            ("*", None),
            ("*.amazonaws.com", None),
            (".amazonaws.com", None),
            ("111122223333", None),
            ("arn:aws:iam::111122223333:root", None),
        ] {
            assert_eq!(service_of(p), s, "{p}");
        }
    }

    #[test]
    fn account_principals() {
        for (p, a) in [
            ("111122223333", Some("111122223333")),
            (" 111122223333 ", Some("111122223333")),
            ("${AWS::AccountId}", Some(SELF)),
            ("arn:aws:iam::111122223333:root", Some("111122223333")),
            (
                "arn:aws:iam::111122223333:role/ops/deployer",
                Some("111122223333"),
            ),
            ("arn:aws-cn:iam::111122223333:user/ci", Some("111122223333")),
            (
                "arn:aws:sts::111122223333:assumed-role/r/session",
                Some("111122223333"),
            ),
            (
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
                Some(SELF),
            ),
            ("arn:aws:iam::111122223333:", None),
            ("arn:aws:iam:eu-west-1:111122223333:root", None),
            ("arn:aws:lambda:eu-west-1:111122223333:function:f", None),
            ("arn:aws:iam::aws:policy/AdministratorAccess", None),
            ("11112222333", None),
            ("*", None),
            ("s3.amazonaws.com", None),
        ] {
            assert_eq!(account_of(p), a, "{p}");
        }
    }
}
