//! The execution role SAM creates for a function without `Role`.

use std::collections::HashMap;

use sheepdog_diagnostics::{Diagnostic, Located, Value};
use sheepdog_iam::{PolicyDocument, managed_policies};
use sheepdog_model::{NamedPolicy, Resource, Role, SamPolicyTemplate};

use super::{derived, known, policy_templates};
use crate::cfn::policy::document;
use crate::cfn::props::string;
use crate::cfn::resolve::Resolver;
use crate::node::{Kind, Node};

/// The ARN SAM writes for a `Policies` entry that names an AWS managed policy (and for the
/// policies SAM adds itself), from the embedded managed-policy data: its path included
/// (`service-role/AWSLambdaBasicExecutionRole`), in the `aws` partition as before. An ARN
/// stays as written. `None` for a name sheepdog does not know: SAM then uses the name
/// as-is ("if it matches no ARN, the name is used as-is", samtranslator), so the caller
/// keeps it unchanged.
fn managed_policy_arn(name: &str) -> Option<String> {
    if name.starts_with("arn:") {
        return Some(name.to_owned());
    }
    managed_policies().arn_of(name).map(str::to_owned)
}

/// Build `<Function>Role` from the function's resolved properties and raw `Policies`.
/// `extra_managed` are the policies SAM adds for event sources, tracing and VPC access.
pub fn implicit_role(
    function: &Resource,
    props: Option<&Node>,
    raw_policies: Option<&Node>,
    extra_managed: &[&str],
    resolver: &mut Resolver<'_>,
) -> Role {
    let span = raw_policies.map_or_else(|| function.span.clone(), |p| p.span.clone());
    let mut role = Role {
        resource: derived(
            format!("{}Role", function.id),
            "AWS::IAM::Role",
            function,
            "Policies".into(),
            &span,
        ),
        name: None,
        // SAM's `AssumeRolePolicyDocument` replaces the Lambda-only trust it writes.
        trust_policy: Some(
            props
                .and_then(|p| p.get("AssumeRolePolicyDocument"))
                .map_or_else(|| lambda_trust(&function.span), document),
        ),
        inline_policies: Vec::new(),
        managed_policy_arns: ["AWSLambdaBasicExecutionRole"]
            .iter()
            .chain(extra_managed)
            .map(|n| {
                known(
                    managed_policy_arn(n).unwrap_or_else(|| (*n).to_owned()),
                    &function.span,
                )
            })
            .collect(),
        policy_templates: Vec::new(),
        permissions_boundary: props.and_then(|p| p.get("PermissionsBoundary")).map(string),
    };
    let entries: Vec<&Node> = match raw_policies.map(|p| &p.kind) {
        Some(Kind::Seq(items)) => items.iter().collect(),
        Some(_) => raw_policies.into_iter().collect(),
        None => Vec::new(),
    };
    for entry in entries {
        add_policy_entry(&mut role, entry, resolver);
    }
    role
}

fn add_policy_entry(role: &mut Role, entry: &Node, resolver: &mut Resolver<'_>) {
    // A policy template: a one-key map whose key names a template.
    if let Some([only]) = entry.as_map()
        && let Some(template) = policy_templates::get(&only.key)
    {
        let mut args = HashMap::new();
        let mut parameters = Vec::new();
        for e in only.value.as_map().unwrap_or_default() {
            parameters.push((e.key.clone(), string(&e.value)));
            args.insert(e.key.clone(), e.value.clone());
        }
        role.policy_templates.push(SamPolicyTemplate {
            name: Located::new(only.key.clone(), only.key_span.clone()),
            parameters,
        });
        let doc = template.instantiate(&args, &only.key_span);
        if let Some(resolved) = resolver.resolve(&doc) {
            role.inline_policies.push(NamedPolicy {
                name: Some(known(only.key.clone(), &only.key_span)),
                document: document(&resolved),
            });
        }
        return;
    }
    let resolved = entry;
    match &resolved.kind {
        // A policy document, or what was meant as one (`Statements:`, or several keys where
        // a template has one): read as a document, whose validation names the mistake.
        Kind::Map(entries)
            if resolved.get("Statement").is_some()
                || entries.len() > 1
                || entries
                    .iter()
                    .any(|e| matches!(e.key.as_str(), "Version" | "Id" | "Statements")) =>
        {
            role.inline_policies.push(NamedPolicy {
                name: None,
                document: document(resolved),
            });
        }
        Kind::Map(entries) => {
            let name = entries.first().map_or("", |e| e.key.as_str());
            resolver.diagnostics.push(Diagnostic::warning(
                "SD006",
                format!("`{name}` is not a SAM policy template known to sheepdog; the entry is not evaluated"),
                entry.span.clone(),
            ));
        }
        _ => {
            let arn = string(resolved);
            let arn = match arn.value {
                Value::Known(name) => {
                    let resolved = managed_policy_arn(&name);
                    if resolved.is_none() {
                        resolver
                            .diagnostics
                            .push(unknown_managed_policy(&name, &arn.span));
                    }
                    known(resolved.unwrap_or(name), &arn.span)
                }
                Value::Unknown(_) => arn,
            };
            // SAM lists each managed policy once (`AWSLambdaBasicExecutionRole` named in
            // `Policies` is already there).
            if !role
                .managed_policy_arns
                .iter()
                .any(|a| a.value == arn.value)
            {
                role.managed_policy_arns.push(arn);
            }
        }
    }
}

/// `SD006` for a `Policies` name that is no AWS managed policy sheepdog knows.
fn unknown_managed_policy(name: &str, span: &sheepdog_diagnostics::Span) -> Diagnostic {
    let policies = managed_policies();
    let guess = policies
        .names()
        .find(|n| n.eq_ignore_ascii_case(name))
        .map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"));
    Diagnostic::warning(
        "SD006",
        format!(
            "`{name}` is not an AWS managed policy known to sheepdog{guess}: SAM passes an unknown name on unchanged, which CloudFormation rejects unless AWS has such a policy (sheepdog's list is of {}); its permissions are not evaluated",
            policies.data_date
        ),
        span.clone(),
    )
}

/// The trust policy SAM writes when the function sets no `AssumeRolePolicyDocument`:
/// `lambda.amazonaws.com` may assume the role.
fn lambda_trust(span: &sheepdog_diagnostics::Span) -> PolicyDocument {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    let node = Node::new(Kind::Str(text.to_owned()), span.clone());
    document(&node)
}
