//! IAM policy documents from template nodes, and their validation (`SD009`).

use std::collections::HashSet;

use sheepdog_diagnostics::{Diagnostic, Located, Span, Value};
use sheepdog_iam::{
    Condition, Effect, PolicyDocument, Principal, PrincipalEntry, Statement, validate,
};
use sheepdog_model::{Model, NamedPolicy, Role};

use crate::cfn::props::{list, string};
use crate::node::{Entry, Kind, Node};

/// The elements of a policy document and of a statement, as IAM spells them.
const DOCUMENT_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Read a policy document. Documents written as JSON strings (allowed by some properties)
/// are parsed too; anything unresolvable yields an `incomplete` document.
pub fn document(node: &Node) -> PolicyDocument {
    if let Kind::Str(text) = &node.kind
        && let Ok(parsed) = crate::json::parse(&node.span.file, text)
        && let Some(mut root) = parsed.root
    {
        // Positions inside an embedded string are relative to it: point at the string.
        root.relocate(&node.span);
        return document(&root);
    }
    let statements_node = node.get("Statement");
    let mut incomplete = !matches!(node.kind, Kind::Map(_)) || is_intrinsic(node);
    let mut problems = Vec::new();
    if !incomplete {
        unknown_elements(node, &DOCUMENT_ELEMENTS, "a policy document", &mut problems);
        incomplete |= !problems.is_empty();
    }
    let statements = match statements_node.map(|s| &s.kind) {
        Some(Kind::Seq(items)) => items
            .iter()
            .filter_map(|s| statement(s, &mut incomplete, &mut problems))
            .collect(),
        Some(Kind::Map(_)) => statements_node
            .and_then(|s| statement(s, &mut incomplete, &mut problems))
            .into_iter()
            .collect(),
        Some(_) => {
            incomplete = true;
            Vec::new()
        }
        None => Vec::new(),
    };
    PolicyDocument {
        span: node.span.clone(),
        version: node.get("Version").map(string),
        statements,
        incomplete,
        problems,
    }
}

/// An unresolved intrinsic function standing for the whole node (`{"Fn::If": ...}` in a
/// file nothing resolved, such as an `iam explain` input).
fn is_intrinsic(node: &Node) -> bool {
    matches!(node.as_map(), Some([only]) if only.key == "Ref" || only.key.starts_with("Fn::"))
}

/// Record the keys of `node` that are not among `known`: IAM rejects a policy with an
/// unknown element, and what the author meant by it (`Actions`) is lost to sheepdog.
fn unknown_elements(node: &Node, known: &[&str], what: &str, problems: &mut Vec<Located<String>>) {
    for Entry { key, key_span, .. } in node.as_map().unwrap_or_default() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let guess = known.iter().find(|k| {
            k.eq_ignore_ascii_case(key)
                || key
                    .strip_suffix(['s', 'S'])
                    .is_some_and(|stem| k.eq_ignore_ascii_case(stem))
        });
        let hint = guess.map_or_else(String::new, |g| format!(" (did you mean `{g}`?)"));
        problems.push(Located::new(
            format!(
                "`{key}` is not an element of {what}{hint}: IAM rejects the policy, and sheepdog cannot tell what it was meant to say"
            ),
            key_span.clone(),
        ));
    }
}

fn statement(
    node: &Node,
    incomplete: &mut bool,
    problems: &mut Vec<Located<String>>,
) -> Option<Statement> {
    if !matches!(node.kind, Kind::Map(_)) || is_intrinsic(node) {
        *incomplete = true;
        return None;
    }
    let before = problems.len();
    unknown_elements(node, &STATEMENT_ELEMENTS, "a statement", problems);
    *incomplete |= problems.len() > before;
    if node.get("Effect").is_none() {
        problems.push(Located::new(
            "statement has no `Effect`: IAM rejects the policy (sheepdog reads it as `Allow`)"
                .to_owned(),
            node.span.clone(),
        ));
    }
    let effect = node.get("Effect").map_or_else(
        || Located::new(Value::Known(Effect::Allow), node.span.clone()),
        |e| {
            string(e).map(|v| match v {
                Value::Known(s) if s == "Allow" => Value::Known(Effect::Allow),
                Value::Known(s) if s == "Deny" => Value::Known(Effect::Deny),
                Value::Known(s) => Value::Unknown(sheepdog_diagnostics::Unknown::new(
                    s,
                    sheepdog_diagnostics::UnknownReason::Unsupported,
                )),
                Value::Unknown(u) => Value::Unknown(u),
            })
        },
    );
    Some(Statement {
        span: node.span.clone(),
        sid: node.get("Sid").map(string),
        effect,
        action: node.get("Action").map(list),
        not_action: node.get("NotAction").map(list),
        resource: node.get("Resource").map(list),
        not_resource: node.get("NotResource").map(list),
        principal: node.get("Principal").map(principal),
        not_principal: node.get("NotPrincipal").map(principal),
        condition: node.get("Condition").map(conditions),
    })
}

pub fn principal(node: &Node) -> Located<Principal> {
    let p = match &node.kind {
        Kind::Str(s) if s == "*" => Principal::Any,
        Kind::Map(entries) => Principal::Typed(
            entries
                .iter()
                .flat_map(|e| {
                    list(&e.value)
                        .value
                        .into_iter()
                        .map(|value| PrincipalEntry {
                            kind: e.key.clone(),
                            value,
                        })
                })
                .collect(),
        ),
        Kind::Unknown(u) => Principal::Unknown(u.clone()),
        _ => Principal::Typed(vec![PrincipalEntry {
            kind: "AWS".into(),
            value: string(node),
        }]),
    };
    Located::new(p, node.span.clone())
}

fn conditions(node: &Node) -> Located<Vec<Condition>> {
    let mut out = Vec::new();
    for op in node.as_map().unwrap_or_default() {
        for key in op.value.as_map().unwrap_or_default() {
            out.push(Condition {
                operator: op.key.clone(),
                key: key.key.clone(),
                values: list(&key.value).value,
                span: key.key_span.clone(),
            });
        }
    }
    Located::new(out, node.span.clone())
}

/// Report the problems of every policy document of `model` as `SD009` warnings: role
/// trust and inline policies, standalone policies, API resource policies, KMS key
/// policies. The statements SAM policy templates expand to are SAM's own (two of them name
/// SQS batch APIs that are not IAM actions): they are not checked.
pub fn diagnose(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let mut docs: Vec<&PolicyDocument> = Vec::new();
    for role in &model.roles {
        docs.extend(role.trust_policy.as_ref());
        docs.extend(
            role.inline_policies
                .iter()
                .filter(|p| !from_policy_template(role, p))
                .map(|p| &p.document),
        );
    }
    docs.extend(model.policies.iter().filter_map(|p| p.document.as_ref()));
    docs.extend(model.rest_apis.iter().filter_map(|a| a.policy.as_ref()));
    docs.extend(model.kms_keys.iter().filter_map(|k| k.key_policy.as_ref()));
    let mut seen: HashSet<(Span, String)> = HashSet::new();
    for doc in docs {
        for (message, span) in validate(doc) {
            if seen.insert((span.clone(), message.clone())) {
                diagnostics.push(Diagnostic::warning("SD009", message, span));
            }
        }
    }
}

/// Whether an inline policy of `role` is the expansion of one of its SAM policy templates
/// (it is named after the template, at the template's key).
fn from_policy_template(role: &Role, policy: &NamedPolicy) -> bool {
    let Some(name) = &policy.name else {
        return false;
    };
    role.policy_templates
        .iter()
        .any(|t| t.name.span == name.span && name.value.as_str() == Some(t.name.value.as_str()))
}
