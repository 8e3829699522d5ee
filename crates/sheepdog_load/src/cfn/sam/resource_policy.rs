//! SAM `AWS::Serverless::Api` `Auth.ResourcePolicy`: the resource policy SAM writes for the
//! API, statement for statement (samtranslator's `SwaggerEditor.add_resource_policy`).
//!
//! `CustomStatements` are statements as written. Each allow- or block-list becomes what SAM
//! generates for it: an account list is an `Allow` (or `Deny`) for those accounts; an IP or
//! VPC list is an `Allow` for everyone together with a `Deny` for the other sources
//! (`NotIpAddress`/`StringNotEquals` for an allow-list) or for the listed ones
//! (`IpAddress`/`StringEquals` for a block-list). Generated statements point at the list's
//! key; their resource is the whole API (`execute-api:/*`).

use sheepdog_diagnostics::{Located, Sourced, Span, Value};
use sheepdog_iam::{Condition, Effect, PolicyDocument, Principal, PrincipalEntry, Statement};

use crate::cfn::policy::document;
use crate::cfn::props::{get_path, list};
use crate::node::{Entry, Kind, Node};

/// The resource policy of a serverless API from its (resolved, Globals merged) properties.
pub fn resource_policy(props: Option<&Node>) -> Option<PolicyDocument> {
    let rp = get_path(props, &["Auth", "ResourcePolicy"])?;
    let mut doc = PolicyDocument {
        span: rp.span.clone(),
        version: None,
        statements: Vec::new(),
        incomplete: rp.as_map().is_none(),
        problems: Vec::new(),
    };
    if let Some(custom) = rp.entry("CustomStatements") {
        let wrapper = Node::new(
            Kind::Map(vec![Entry {
                key: "Statement".to_owned(),
                key_span: custom.key_span.clone(),
                value: custom.value.clone(),
            }]),
            custom.value.span.clone(),
        );
        let custom = document(&wrapper);
        doc.incomplete |= custom.incomplete;
        doc.statements.extend(custom.statements);
        doc.problems.extend(custom.problems);
    }
    for (key, effect) in [
        ("AwsAccountWhitelist", Effect::Allow),
        ("AwsAccountBlacklist", Effect::Deny),
    ] {
        if let Some(e) = rp.entry(key) {
            let accounts = list(&e.value).value;
            let principal = Principal::Typed(
                accounts
                    .into_iter()
                    .map(|value| PrincipalEntry {
                        kind: "AWS".to_owned(),
                        value,
                    })
                    .collect(),
            );
            doc.statements
                .push(statement(effect, principal, None, &e.key_span));
        }
    }
    for (key, operator) in [
        ("IpRangeWhitelist", "NotIpAddress"),
        ("IpRangeBlacklist", "IpAddress"),
    ] {
        if let Some(e) = rp.entry(key) {
            let ips = list(&e.value).value;
            push_pair(&mut doc, operator, vec![("aws:SourceIp", ips)], &e.key_span);
        }
    }
    for (suffix, operator) in [
        ("Whitelist", "StringNotEquals"),
        ("Blacklist", "StringEquals"),
    ] {
        let mut vpcs: Vec<Sourced<String>> = Vec::new();
        let mut vpces: Vec<Sourced<String>> = Vec::new();
        let mut at: Option<&Span> = None;
        if let Some(e) = rp.entry(&format!("SourceVpc{suffix}")) {
            at.get_or_insert(&e.key_span);
            for v in list(&e.value).value {
                match v.value.as_str() {
                    Some(s) if s.starts_with("vpce-") => vpces.push(v),
                    Some(s) if s.starts_with("vpc-") => vpcs.push(v),
                    Some(_) => {}
                    None => vpcs.push(v),
                }
            }
        }
        if let Some(e) = rp.entry(&format!("IntrinsicVpc{suffix}")) {
            at.get_or_insert(&e.key_span);
            vpcs.extend(list(&e.value).value);
        }
        if let Some(e) = rp.entry(&format!("IntrinsicVpce{suffix}")) {
            at.get_or_insert(&e.key_span);
            vpces.extend(list(&e.value).value);
        }
        let mut keys = Vec::new();
        if !vpcs.is_empty() {
            keys.push(("aws:SourceVpc", vpcs));
        }
        if !vpces.is_empty() {
            keys.push(("aws:SourceVpce", vpces));
        }
        if let Some(at) = at {
            push_pair(&mut doc, operator, keys, at);
        }
    }
    Some(doc)
}

/// SAM's pair for an IP or VPC list: `Allow` everyone, `Deny` under `operator` on `keys`.
/// An empty list generates nothing.
fn push_pair(
    doc: &mut PolicyDocument,
    operator: &str,
    keys: Vec<(&str, Vec<Sourced<String>>)>,
    at: &Span,
) {
    let keys: Vec<_> = keys.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    if keys.is_empty() {
        return;
    }
    let conditions = keys
        .into_iter()
        .map(|(key, values)| Condition {
            operator: operator.to_owned(),
            key: key.to_owned(),
            values,
            span: at.clone(),
        })
        .collect();
    doc.statements
        .push(statement(Effect::Allow, Principal::Any, None, at));
    doc.statements.push(statement(
        Effect::Deny,
        Principal::Any,
        Some(Located::new(conditions, at.clone())),
        at,
    ));
}

/// A statement SAM generates on `execute-api:Invoke` over the whole API.
fn statement(
    effect: Effect,
    principal: Principal,
    condition: Option<Located<Vec<Condition>>>,
    at: &Span,
) -> Statement {
    let known = |s: &str| Located::new(Value::Known(s.to_owned()), at.clone());
    Statement {
        span: at.clone(),
        sid: None,
        effect: Located::new(Value::Known(effect), at.clone()),
        action: Some(Located::new(vec![known("execute-api:Invoke")], at.clone())),
        not_action: None,
        resource: Some(Located::new(vec![known("execute-api:/*")], at.clone())),
        not_resource: None,
        principal: Some(Located::new(principal, at.clone())),
        not_principal: None,
        condition,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sheepdog_iam::{Effect, Principal};

    use super::resource_policy;
    use crate::node::Node;

    fn yaml(text: &str) -> Node {
        crate::yaml::parse(&Arc::from("t.yaml"), text)
            .ok()
            .and_then(|p| p.root)
            .expect("yaml")
    }

    fn effect(s: &sheepdog_iam::Statement) -> Option<Effect> {
        s.effect.value.known().copied()
    }

    #[test]
    fn lists_become_the_statements_sam_writes() {
        let props = yaml(
            "Auth:\n  ResourcePolicy:\n    IpRangeWhitelist: [192.0.2.0/24]\n    SourceVpcWhitelist: [vpc-1, vpce-2]\n    AwsAccountWhitelist: ['111122223333']\n    CustomStatements:\n      - {Effect: Allow, Principal: '*', Action: execute-api:Invoke, Resource: execute-api:/*}\n",
        );
        let doc = resource_policy(Some(&props)).expect("a policy");
        assert!(!doc.incomplete);
        // Custom (1), accounts (1), IP pair (2), VPC pair (2).
        assert_eq!(doc.statements.len(), 6);
        let ip_deny = &doc.statements[3];
        assert_eq!(effect(ip_deny), Some(Effect::Deny));
        let conditions = &ip_deny.condition.as_ref().expect("condition").value;
        assert_eq!(conditions[0].operator, "NotIpAddress");
        assert_eq!(conditions[0].key, "aws:SourceIp");
        let vpc_deny = &doc.statements[5];
        let keys: Vec<&str> = vpc_deny
            .condition
            .as_ref()
            .expect("condition")
            .value
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(keys, ["aws:SourceVpc", "aws:SourceVpce"]);
        assert!(matches!(
            doc.statements[4].principal.as_ref().map(|p| &p.value),
            Some(Principal::Any)
        ));
    }

    #[test]
    fn no_resource_policy_is_none() {
        assert!(resource_policy(Some(&yaml("Auth:\n  DefaultAuthorizer: AWS_IAM\n"))).is_none());
        assert!(resource_policy(None).is_none());
    }
}
