//! IAM policy documents from template nodes.

use sheepdog_diagnostics::{Located, Value};
use sheepdog_iam::{Condition, Effect, PolicyDocument, Principal, PrincipalEntry, Statement};

use crate::cfn::props::{list, string};
use crate::node::{Kind, Node};

/// Read a policy document. Documents written as JSON strings (allowed by some properties)
/// are parsed too; anything unresolvable yields an `incomplete` document.
pub fn document(node: &Node) -> PolicyDocument {
    if let Kind::Str(text) = &node.kind
        && let Ok(parsed) = crate::json::parse(&node.span.file, text)
        && let Some(mut root) = parsed.root
    {
        // Positions inside an embedded string are relative to it: point at the string.
        relocate(&mut root, &node.span);
        return document(&root);
    }
    let statements_node = node.get("Statement");
    let mut incomplete = !matches!(node.kind, Kind::Map(_));
    let statements = match statements_node.map(|s| &s.kind) {
        Some(Kind::Seq(items)) => items
            .iter()
            .filter_map(|s| statement(s, &mut incomplete))
            .collect(),
        Some(Kind::Map(_)) => statements_node
            .and_then(|s| statement(s, &mut incomplete))
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
    }
}

fn relocate(node: &mut Node, span: &sheepdog_diagnostics::Span) {
    node.span = span.clone();
    match &mut node.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|i| relocate(i, span)),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = span.clone();
            relocate(&mut e.value, span);
        }),
        _ => {}
    }
}

fn statement(node: &Node, incomplete: &mut bool) -> Option<Statement> {
    if !matches!(node.kind, Kind::Map(_)) {
        *incomplete = true;
        return None;
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
