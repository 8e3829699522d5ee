//! `data "aws_iam_policy_document"` into the policy JSON shape the IAM reader takes, each
//! element at the `.tf` line that writes it.

use hcl_edit::Span as _;
use hcl_edit::structure::Block;

use super::eval::{Evaluator, Scope};
use super::shape::{Props, block_list};
use crate::node::{Kind, Node};

pub fn build(ev: &mut Evaluator<'_>, block: &Block, sc: &Scope) -> Node {
    let span = ev.source(sc).span(block.ident.span());
    let tf = ev.body(&block.body, span.clone(), sc);
    let mut statements: Vec<Node> = Vec::new();
    // `source_policy_documents` come first; `override_policy_documents` replace statements
    // with the same `Sid` (or are added).
    for doc in list(&tf, "source_policy_documents") {
        statements.extend(statements_of(doc));
    }
    for s in block_list(&tf, "statement") {
        statements.push(statement(s));
    }
    for doc in list(&tf, "override_policy_documents") {
        for s in statements_of(doc) {
            let sid = s.get("Sid").and_then(Node::as_str).map(str::to_owned);
            match statements
                .iter_mut()
                .find(|t| sid.is_some() && t.get("Sid").and_then(Node::as_str) == sid.as_deref())
            {
                Some(t) => *t = s,
                None => statements.push(s),
            }
        }
    }
    let mut doc = Props::new(span.clone());
    doc.put_or(
        "Version",
        tf.get("version"),
        Node::new(Kind::Str("2012-10-17".to_owned()), span.clone()),
    );
    doc.put("Statement", Some(&Node::new(Kind::Seq(statements), span)));
    doc.finish()
}

fn list<'n>(tf: &'n Node, key: &str) -> Vec<&'n Node> {
    match tf.get(key).map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items.iter().collect(),
        Some(_) => tf.get(key).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The statements of another document (a JSON policy or another policy document's
/// `json`): one unknown statement when it cannot be read.
fn statements_of(doc: &Node) -> Vec<Node> {
    match doc.get("Statement").map(|s| &s.kind) {
        Some(Kind::Seq(items)) => items.clone(),
        Some(Kind::Map(_)) => doc.get("Statement").cloned().into_iter().collect(),
        _ => vec![doc.clone()],
    }
}

fn statement(s: &Node) -> Node {
    let mut out = Props::new(s.span.clone());
    out.put("Sid", s.get("sid"));
    out.put_or(
        "Effect",
        s.get("effect"),
        Node::new(Kind::Str("Allow".to_owned()), s.span.clone()),
    );
    out.put("Action", s.get("actions"));
    out.put("NotAction", s.get("not_actions"));
    out.put("Resource", s.get("resources"));
    out.put("NotResource", s.get("not_resources"));
    out.put_node("Principal", principals(block_list(s, "principals")));
    out.put_node("NotPrincipal", principals(block_list(s, "not_principals")));
    out.put_node("Condition", conditions(block_list(s, "condition")));
    out.finish()
}

/// `principals { type = "AWS" identifiers = [...] }` blocks → `{"AWS": [...]}`; type `*`
/// is `"*"`.
pub(super) fn principals(blocks: &[Node]) -> Option<Node> {
    let first = blocks.first()?;
    let mut out = Props::new(first.span.clone());
    for b in blocks {
        let kind = b.get("type").and_then(Node::as_str);
        if kind == Some("*") {
            return Some(Node::new(Kind::Str("*".to_owned()), b.span.clone()));
        }
        match (kind, b.get("identifiers")) {
            (Some(kind), Some(ids)) => {
                out.append(kind, ids);
            }
            _ => return Some(unknown(b)),
        }
    }
    Some(out.finish())
}

/// `condition { test, variable, values }` blocks → `{test: {variable: values}}`.
pub(super) fn conditions(blocks: &[Node]) -> Option<Node> {
    let first = blocks.first()?;
    let mut out = Props::new(first.span.clone());
    for b in blocks {
        match (
            b.get("test").and_then(Node::as_str),
            b.get("variable").and_then(Node::as_str),
            b.get("values"),
        ) {
            (Some(test), Some(variable), Some(values)) => {
                out.nested(test, b.span.clone()).put(variable, Some(values));
            }
            _ => return Some(unknown(b)),
        }
    }
    Some(out.finish())
}

fn unknown(b: &Node) -> Node {
    Node::new(
        Kind::Unknown(sheepdog_diagnostics::Unknown::new(
            "a block sheepdog cannot evaluate",
            sheepdog_diagnostics::UnknownReason::Unsupported,
        )),
        b.span.clone(),
    )
}
