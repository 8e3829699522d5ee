//! The execution role SAM creates for a function without `Role`.

use std::collections::HashMap;

use sheepdog_diagnostics::{Diagnostic, Located, Value};
use sheepdog_iam::PolicyDocument;
use sheepdog_model::{NamedPolicy, Resource, Role, SamPolicyTemplate};

use super::{derived, known, policy_templates};
use crate::cfn::policy::document;
use crate::cfn::props::string;
use crate::cfn::resolve::Resolver;
use crate::node::{Kind, Node};

/// AWS managed policies that live under a path other than `/`. SAM resolves a bare name
/// to its ARN; the full name→ARN table arrives with the IAM engine's managed-policy data.
const SERVICE_ROLE_POLICIES: [&str; 8] = [
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaRole",
    "AWSLambdaENIManagementAccess",
    "AWSLambdaMSKExecutionRole",
];

pub fn managed_policy_arn(name: &str) -> String {
    if name.starts_with("arn:") {
        return name.to_owned();
    }
    if SERVICE_ROLE_POLICIES.contains(&name) {
        format!("arn:aws:iam::aws:policy/service-role/{name}")
    } else {
        format!("arn:aws:iam::aws:policy/{name}")
    }
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
        trust_policy: Some(lambda_trust(&function.span)),
        inline_policies: Vec::new(),
        managed_policy_arns: ["AWSLambdaBasicExecutionRole"]
            .iter()
            .chain(extra_managed)
            .map(|n| known(managed_policy_arn(n), &function.span))
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
        Kind::Map(_) if resolved.get("Statement").is_some() => {
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
                Value::Known(name) => known(managed_policy_arn(&name), &arn.span),
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

/// The trust policy SAM writes: `lambda.amazonaws.com` may assume the role.
fn lambda_trust(span: &sheepdog_diagnostics::Span) -> PolicyDocument {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    let node = Node::new(Kind::Str(text.to_owned()), span.clone());
    document(&node)
}
