//! Typed reads of resolved property nodes into model values.
//!
//! The one place where "the template wrote something sheepdog cannot use" is decided:
//! a value of the wrong shape becomes `Unknown` (never a default), so rules stay quiet
//! on it rather than guessing.

use sheepdog_diagnostics::{Located, Sourced, Unknown, UnknownReason, Value};

use crate::cfn::resolve::render_expr;
use crate::node::{Kind, Node};

fn unsupported(node: &Node) -> Unknown {
    Unknown::new(render_expr(node), UnknownReason::Unsupported)
}

/// A scalar as a string.
pub fn string(node: &Node) -> Sourced<String> {
    let value = match &node.kind {
        Kind::Str(s) | Kind::Number(s) => Value::Known(s.clone()),
        Kind::Bool(b) => Value::Known(b.to_string()),
        Kind::Unknown(u) => Value::Unknown(u.clone()),
        _ => Value::Unknown(unsupported(node)),
    };
    Located::new(value, node.span.clone())
}

pub fn boolean(node: &Node) -> Sourced<bool> {
    let value = match &node.kind {
        Kind::Bool(b) => Value::Known(*b),
        Kind::Str(s) if s.eq_ignore_ascii_case("true") => Value::Known(true),
        Kind::Str(s) if s.eq_ignore_ascii_case("false") => Value::Known(false),
        Kind::Unknown(u) => Value::Unknown(u.clone()),
        _ => Value::Unknown(unsupported(node)),
    };
    Located::new(value, node.span.clone())
}

pub fn integer(node: &Node) -> Sourced<i64> {
    let value = match &node.kind {
        Kind::Number(s) | Kind::Str(s) => s
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Value::Unknown(unsupported(node)), Value::Known),
        Kind::Unknown(u) => Value::Unknown(u.clone()),
        _ => Value::Unknown(unsupported(node)),
    };
    Located::new(value, node.span.clone())
}

pub fn float(node: &Node) -> Sourced<f64> {
    let value = match &node.kind {
        Kind::Number(s) | Kind::Str(s) => s
            .trim()
            .parse::<f64>()
            .map_or_else(|_| Value::Unknown(unsupported(node)), Value::Known),
        Kind::Unknown(u) => Value::Unknown(u.clone()),
        _ => Value::Unknown(unsupported(node)),
    };
    Located::new(value, node.span.clone())
}

/// A list of scalars. A single scalar counts as a one-element list (as IAM and many
/// properties accept); an unresolvable list is one `Unknown` entry standing for all of it.
pub fn list(node: &Node) -> Located<Vec<Sourced<String>>> {
    let items = match &node.kind {
        Kind::Seq(items) => items.iter().map(string).collect(),
        _ => vec![string(node)],
    };
    Located::new(items, node.span.clone())
}

pub fn opt_string(props: Option<&Node>, key: &str) -> Option<Sourced<String>> {
    props?.get(key).map(string)
}

pub fn opt_bool(props: Option<&Node>, key: &str) -> Option<Sourced<bool>> {
    props?.get(key).map(boolean)
}

pub fn opt_int(props: Option<&Node>, key: &str) -> Option<Sourced<i64>> {
    props?.get(key).map(integer)
}

pub fn opt_float(props: Option<&Node>, key: &str) -> Option<Sourced<f64>> {
    props?.get(key).map(float)
}

pub fn opt_list(props: Option<&Node>, key: &str) -> Option<Located<Vec<Sourced<String>>>> {
    props?.get(key).map(list)
}

/// The entries of `list`, or nothing when absent.
pub fn strings(props: Option<&Node>, key: &str) -> Vec<Sourced<String>> {
    opt_list(props, key).map(|l| l.value).unwrap_or_default()
}

/// A nested property by path: `get_path(props, &["TracingConfig", "Mode"])`.
pub fn get_path<'n>(props: Option<&'n Node>, path: &[&str]) -> Option<&'n Node> {
    let mut node = props?;
    for key in path {
        node = node.get(key)?;
    }
    Some(node)
}

/// A nested property by path, like [`get_path`], except that a value on the way that could
/// not be resolved (an `!If` on an undecidable condition, a parameter) is returned itself:
/// the nested property is then written but unknown, not absent.
pub fn get_path_or_unknown<'n>(props: Option<&'n Node>, path: &[&str]) -> Option<&'n Node> {
    let mut node = props?;
    for key in path {
        if matches!(node.kind, Kind::Unknown(_)) {
            return Some(node);
        }
        node = node.get(key)?;
    }
    Some(node)
}

/// A required reference-like property: present, or `Unknown` pointing at `fallback`.
pub fn required_string(props: Option<&Node>, key: &str, fallback: &Node) -> Sourced<String> {
    opt_string(props, key).unwrap_or_else(|| {
        Located::new(
            Value::Unknown(Unknown::new(
                format!("<missing {key}>"),
                UnknownReason::Unsupported,
            )),
            fallback.span.clone(),
        )
    })
}
