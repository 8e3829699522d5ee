//! Policy documents from JSON values (managed policies, `iam explain` input parsed by the
//! binary's loader uses the located path instead).

use serde_json::Value as Json;
use sheepdog_diagnostics::{Located, Sourced, Span, Unknown, UnknownReason, Value};

use crate::{Condition, Effect, PolicyDocument, Principal, PrincipalEntry, Statement};

/// Convert a policy document; every element is located at `span`.
pub fn document_from_json(doc: &Json, span: &Span) -> PolicyDocument {
    let statements = match doc.get("Statement") {
        Some(Json::Array(items)) => items.iter().filter_map(|s| statement(s, span)).collect(),
        Some(s @ Json::Object(_)) => statement(s, span).into_iter().collect(),
        _ => Vec::new(),
    };
    PolicyDocument {
        span: span.clone(),
        version: doc.get("Version").map(|v| text(v, span)),
        statements,
        incomplete: !doc.is_object(),
        problems: Vec::new(),
    }
}

fn text(v: &Json, span: &Span) -> Sourced<String> {
    let value = match v {
        Json::String(s) => Value::Known(s.clone()),
        Json::Number(n) => Value::Known(n.to_string()),
        Json::Bool(b) => Value::Known(b.to_string()),
        other => Value::Unknown(Unknown::new(other.to_string(), UnknownReason::Unsupported)),
    };
    Located::new(value, span.clone())
}

fn list(v: &Json, span: &Span) -> Located<Vec<Sourced<String>>> {
    let items = match v {
        Json::Array(items) => items.iter().map(|i| text(i, span)).collect(),
        other => vec![text(other, span)],
    };
    Located::new(items, span.clone())
}

fn statement(s: &Json, span: &Span) -> Option<Statement> {
    let obj = s.as_object()?;
    let effect = match obj.get("Effect").and_then(Json::as_str) {
        Some("Deny") => Value::Known(Effect::Deny),
        Some("Allow") | None => Value::Known(Effect::Allow),
        Some(other) => Value::Unknown(Unknown::new(other, UnknownReason::Unsupported)),
    };
    let principal = |key: &str| {
        obj.get(key).map(|p| {
            let p = match p {
                Json::String(s) if s == "*" => Principal::Any,
                Json::Object(map) => Principal::Typed(
                    map.iter()
                        .flat_map(|(kind, v)| {
                            list(v, span).value.into_iter().map(|value| PrincipalEntry {
                                kind: kind.clone(),
                                value,
                            })
                        })
                        .collect(),
                ),
                other => Principal::Typed(vec![PrincipalEntry {
                    kind: "AWS".into(),
                    value: text(other, span),
                }]),
            };
            Located::new(p, span.clone())
        })
    };
    let condition = obj.get("Condition").and_then(Json::as_object).map(|ops| {
        let mut out = Vec::new();
        for (op, keys) in ops {
            for (key, values) in keys.as_object().into_iter().flatten() {
                out.push(Condition {
                    operator: op.clone(),
                    key: key.clone(),
                    values: list(values, span).value,
                    span: span.clone(),
                });
            }
        }
        Located::new(out, span.clone())
    });
    Some(Statement {
        span: span.clone(),
        sid: obj.get("Sid").map(|v| text(v, span)),
        effect: Located::new(effect, span.clone()),
        action: obj.get("Action").map(|v| list(v, span)),
        not_action: obj.get("NotAction").map(|v| list(v, span)),
        resource: obj.get("Resource").map(|v| list(v, span)),
        not_resource: obj.get("NotResource").map(|v| list(v, span)),
        principal: principal("Principal"),
        not_principal: principal("NotPrincipal"),
        condition,
    })
}
