//! What is asked of an evaluated value: its text, equality, its elements, why it is
//! unknown.

use sheepdog_diagnostics::{Span, UnknownReason};

use crate::node::{Kind, Node};

/// The same value moved to a new place (a variable's value where it is used).
pub fn respan(mut node: Node, span: Span) -> Node {
    node.span = span;
    node
}

/// A known scalar as a string (`true`, `1`, `x`).
pub fn scalar(node: &Node) -> Option<String> {
    match &node.kind {
        Kind::Null | Kind::Seq(_) | Kind::Map(_) | Kind::Unknown(_) => None,
        _ => node.as_scalar(),
    }
}

/// Whether two values are equal; `None` when either is (or holds) something unknown.
#[allow(clippy::many_single_char_names)] // two values and their parts, compared pairwise.
pub fn same(a: &Node, b: &Node) -> Option<bool> {
    match (&a.kind, &b.kind) {
        (Kind::Unknown(_), _) | (_, Kind::Unknown(_)) => None,
        (Kind::Null, Kind::Null) => Some(true),
        (Kind::Seq(x), Kind::Seq(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for (p, q) in x.iter().zip(y) {
                all &= same(p, q)?;
            }
            Some(all)
        }
        (Kind::Map(x), Kind::Map(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = true;
            for p in x {
                let q = y.iter().find(|q| q.key == p.key)?;
                all &= same(&p.value, &q.value)?;
            }
            Some(all)
        }
        (Kind::Number(x), Kind::Number(y)) => Some(
            x == y
                || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if (p - q).abs() < f64::EPSILON),
        ),
        _ => match (scalar(a), scalar(b)) {
            (Some(x), Some(y)) => Some(x == y),
            _ => Some(false),
        },
    }
}

/// The key/value pairs of a known collection (a list's keys are its indexes, a set's
/// are its values); `None` when it is unknown.
pub fn pairs(node: &Node) -> Option<Vec<(Node, Node)>> {
    match &node.kind {
        Kind::Seq(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    (
                        Node::new(Kind::Number(i.to_string()), v.span.clone()),
                        v.clone(),
                    )
                })
                .collect(),
        ),
        Kind::Map(entries) => Some(
            entries
                .iter()
                .map(|e| {
                    (
                        Node::new(Kind::Str(e.key.clone()), e.key_span.clone()),
                        e.value.clone(),
                    )
                })
                .collect(),
        ),
        _ => None,
    }
}

pub(super) fn element(collection: &Node, index: &Node) -> Option<Node> {
    match &collection.kind {
        Kind::Seq(items) => {
            let i: usize = scalar(index)?.parse().ok()?;
            items.get(i).cloned()
        }
        Kind::Map(_) => collection.get(&scalar(index)?).cloned(),
        _ => None,
    }
}

/// The instances a `for_each` makes of a known collection, as `(each.key, each.value)`: a
/// map's entries, or a set's elements (each its own key); `None` when it is unknown.
pub fn for_each_pairs(collection: &Node) -> Option<Vec<(Node, Node)>> {
    let items = pairs(collection)?;
    Some(if matches!(collection.kind, Kind::Seq(_)) {
        items.into_iter().map(|(_, v)| (v.clone(), v)).collect()
    } else {
        items
    })
}

/// A number as Terraform prints it: integers without a fraction.
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// The resources a value mentions (in it, or in its elements), for `Composite` unknowns.
pub fn collect_refs(node: &Node, refs: &mut Vec<String>) {
    match &node.kind {
        Kind::Unknown(u) => match &u.reason {
            UnknownReason::Resource { id, .. } => push_unique(refs, id),
            UnknownReason::Composite { refs: inner } => {
                for r in inner {
                    push_unique(refs, r);
                }
            }
            _ => {}
        },
        Kind::Seq(items) => items.iter().for_each(|i| collect_refs(i, refs)),
        Kind::Map(entries) => entries.iter().for_each(|e| collect_refs(&e.value, refs)),
        _ => {}
    }
}

fn push_unique(refs: &mut Vec<String>, id: &str) {
    if !refs.iter().any(|r| r == id) {
        refs.push(id.to_owned());
    }
}

/// Why a value computed from `inputs` is unknown: the resources they mention, if any.
pub fn unknown_reason(inputs: &[&Node]) -> UnknownReason {
    let mut refs = Vec::new();
    for input in inputs {
        collect_refs(input, &mut refs);
    }
    if refs.is_empty() {
        if let Some(Kind::Unknown(u)) = inputs.first().map(|n| &n.kind)
            && inputs.len() == 1
        {
            return u.reason.clone();
        }
        UnknownReason::Unsupported
    } else {
        UnknownReason::Composite { refs }
    }
}

/// A known value as JSON text (what `jsonencode` gives inside a string); `None` when it
/// holds something unknown.
pub fn to_json(node: &Node) -> Option<String> {
    Some(match &node.kind {
        Kind::Null => "null".to_owned(),
        Kind::Bool(b) => b.to_string(),
        Kind::Number(n) => n.clone(),
        Kind::Str(s) => serde_json::to_string(s).ok()?,
        Kind::Seq(items) => format!(
            "[{}]",
            items
                .iter()
                .map(to_json)
                .collect::<Option<Vec<_>>>()?
                .join(",")
        ),
        Kind::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|e| Some(format!(
                    "{}:{}",
                    serde_json::to_string(&e.key).ok()?,
                    to_json(&e.value)?
                )))
                .collect::<Option<Vec<_>>>()?
                .join(",")
        ),
        Kind::Unknown(_) => return None,
    })
}
