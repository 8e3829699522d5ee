//! The Terraform functions sheepdog evaluates. A function it does not know, or called with
//! unknown arguments, gives an unknown value naming the call.
//!
//! `jsonencode` returns its argument's structure rather than a string: policies written
//! with it are read statement by statement, each element at its own line.
//! `file`/`templatefile` read files of the module (never outside it) and give a JSON file's
//! parsed content the same way.

use std::path::Path;
use std::sync::Arc;

use hcl_edit::expr::{Expression, FuncCall};
use sheepdog_diagnostics::UnknownReason;

use super::eval::{Evaluator, Scope, number, respan, scalar, unknown_reason};
use crate::node::{Entry, Kind, Node};

pub fn call(ev: &mut Evaluator<'_>, call: &FuncCall, e: &Expression, sc: &Scope) -> Node {
    let name = call.name.name.as_str();
    let span = ev.span(sc, e);
    // `try` and `can` look at their arguments one by one.
    if name == "try" || name == "can" {
        for arg in &call.args {
            let value = ev.eval(arg, sc);
            let failed =
                matches!(&value.kind, Kind::Unknown(u) if u.reason == UnknownReason::Unsupported);
            if name == "can" {
                return if failed {
                    ev.unknown(sc, e, UnknownReason::Unsupported)
                } else {
                    Node::new(Kind::Bool(true), span)
                };
            }
            if !failed {
                return respan(value, span);
            }
        }
        return ev.unknown(sc, e, UnknownReason::Unsupported);
    }
    let args: Vec<Node> = call.args.iter().map(|a| ev.eval(a, sc)).collect();
    let unknown_args = args.iter().any(|a| matches!(a.kind, Kind::Unknown(_)));
    let value = match name {
        // Structure-preserving: the argument itself (see the module doc).
        "jsonencode" | "yamlencode" => args.first().cloned().map(|a| a.kind),
        "tostring" | "tonumber" | "tobool" | "tolist" | "toset" | "tomap" | "sensitive"
        | "nonsensitive" => args.first().cloned().map(|a| a.kind),
        _ if unknown_args => None,
        "jsondecode" => args.first().and_then(|a| {
            let text = a.as_str()?;
            let mut parsed = crate::json::parse(&span.file, text).ok()?.root?;
            parsed.relocate(&span);
            Some(parsed.kind)
        }),
        "file" => args
            .first()
            .and_then(|a| read(ev, sc, a, As::File))
            .map(|n| n.kind),
        "templatefile" => args
            .first()
            .and_then(|a| read(ev, sc, a, As::Template(args.get(1))))
            .map(|n| n.kind),
        "format" => format(&args),
        "join" => match (
            args.first().and_then(scalar),
            args.get(1).and_then(Node::as_seq),
        ) {
            (Some(sep), Some(items)) => items
                .iter()
                .map(scalar)
                .collect::<Option<Vec<_>>>()
                .map(|parts| Kind::Str(parts.join(&sep))),
            _ => None,
        },
        "split" => match (args.first().and_then(scalar), args.get(1).and_then(scalar)) {
            (Some(sep), Some(s)) if !sep.is_empty() => Some(Kind::Seq(
                s.split(sep.as_str())
                    .map(|p| Node::new(Kind::Str(p.to_owned()), span.clone()))
                    .collect(),
            )),
            _ => None,
        },
        "concat" => args
            .iter()
            .map(|a| a.as_seq().map(<[Node]>::to_vec))
            .collect::<Option<Vec<_>>>()
            .map(|lists| Kind::Seq(lists.concat())),
        "flatten" => args.first().and_then(|a| {
            let mut out = Vec::new();
            flatten(a, &mut out).then_some(Kind::Seq(out))
        }),
        "compact" => args.first().and_then(Node::as_seq).map(|items| {
            Kind::Seq(
                items
                    .iter()
                    .filter(|i| {
                        !matches!(&i.kind, Kind::Null) && scalar(i).is_none_or(|s| !s.is_empty())
                    })
                    .cloned()
                    .collect(),
            )
        }),
        "distinct" => args.first().and_then(Node::as_seq).map(|items| {
            let mut out: Vec<Node> = Vec::new();
            for i in items {
                if !out.iter().any(|o| super::eval::same(o, i) == Some(true)) {
                    out.push(i.clone());
                }
            }
            Kind::Seq(out)
        }),
        "merge" => {
            let mut entries: Vec<Entry> = Vec::new();
            let mut ok = true;
            for a in &args {
                match &a.kind {
                    Kind::Map(more) => {
                        for m in more {
                            entries.retain(|e| e.key != m.key);
                            entries.push(m.clone());
                        }
                    }
                    Kind::Null => {}
                    _ => ok = false,
                }
            }
            ok.then_some(Kind::Map(entries))
        }
        "lookup" => match (args.first(), args.get(1).and_then(scalar)) {
            (Some(map), Some(key)) => map
                .get(&key)
                .cloned()
                .or_else(|| args.get(2).cloned())
                .map(|n| n.kind),
            _ => None,
        },
        "element" => match (
            args.first().and_then(Node::as_seq),
            args.get(1).and_then(scalar),
        ) {
            (Some(items), Some(i)) if !items.is_empty() => i
                .parse::<usize>()
                .ok()
                .map(|i| items[i % items.len()].kind.clone()),
            _ => None,
        },
        "length" => args
            .first()
            .and_then(|a| match &a.kind {
                Kind::Seq(i) => Some(i.len()),
                Kind::Map(e) => Some(e.len()),
                Kind::Str(s) => Some(s.chars().count()),
                _ => None,
            })
            .map(|n| Kind::Number(n.to_string())),
        "keys" => args.first().and_then(Node::as_map).map(|entries| {
            Kind::Seq(
                entries
                    .iter()
                    .map(|e| Node::new(Kind::Str(e.key.clone()), e.key_span.clone()))
                    .collect(),
            )
        }),
        "values" => args
            .first()
            .and_then(Node::as_map)
            .map(|entries| Kind::Seq(entries.iter().map(|e| e.value.clone()).collect())),
        "contains" => match (args.first().and_then(Node::as_seq), args.get(1)) {
            (Some(items), Some(v)) => Some(Kind::Bool(
                items.iter().any(|i| super::eval::same(i, v) == Some(true)),
            )),
            _ => None,
        },
        "coalesce" => args
            .iter()
            .find(|a| !matches!(a.kind, Kind::Null) && scalar(a).is_none_or(|s| !s.is_empty()))
            .map(|a| a.kind.clone()),
        "coalescelist" => args
            .iter()
            .find(|a| a.as_seq().is_some_and(|s| !s.is_empty()))
            .map(|a| a.kind.clone()),
        "zipmap" => match (
            args.first().and_then(Node::as_seq),
            args.get(1).and_then(Node::as_seq),
        ) {
            (Some(keys), Some(values)) => keys
                .iter()
                .zip(values)
                .map(|(k, v)| {
                    Some(Entry {
                        key: scalar(k)?,
                        key_span: k.span.clone(),
                        value: v.clone(),
                    })
                })
                .collect::<Option<Vec<_>>>()
                .map(Kind::Map),
            _ => None,
        },
        "lower" | "upper" | "trimspace" | "title" => args.first().and_then(scalar).map(|s| {
            Kind::Str(match name {
                "lower" => s.to_lowercase(),
                "upper" => s.to_uppercase(),
                "trimspace" => s.trim().to_owned(),
                _ => title(&s),
            })
        }),
        "replace" => match (
            args.first().and_then(scalar),
            args.get(1).and_then(scalar),
            args.get(2).and_then(scalar),
        ) {
            // A `/regex/` pattern is not evaluated.
            (Some(s), Some(from), Some(to)) if !(from.starts_with('/') && from.ends_with('/')) => {
                Some(Kind::Str(s.replace(&from, &to)))
            }
            _ => None,
        },
        "trimprefix" | "trimsuffix" => {
            match (args.first().and_then(scalar), args.get(1).and_then(scalar)) {
                (Some(s), Some(x)) => Some(Kind::Str(if name == "trimprefix" {
                    s.strip_prefix(x.as_str()).unwrap_or(&s).to_owned()
                } else {
                    s.strip_suffix(x.as_str()).unwrap_or(&s).to_owned()
                })),
                _ => None,
            }
        }
        "startswith" | "endswith" => {
            match (args.first().and_then(scalar), args.get(1).and_then(scalar)) {
                (Some(s), Some(x)) => Some(Kind::Bool(if name == "startswith" {
                    s.starts_with(&x)
                } else {
                    s.ends_with(&x)
                })),
                _ => None,
            }
        }
        "max" | "min" => args
            .iter()
            .map(|a| scalar(a)?.parse::<f64>().ok())
            .collect::<Option<Vec<f64>>>()
            .filter(|v| !v.is_empty())
            .map(|v| {
                let pick = if name == "max" {
                    v.iter().copied().fold(f64::MIN, f64::max)
                } else {
                    v.iter().copied().fold(f64::MAX, f64::min)
                };
                Kind::Number(number(pick))
            }),
        "abs" => args
            .first()
            .and_then(|a| scalar(a)?.parse::<f64>().ok())
            .map(|n| Kind::Number(number(n.abs()))),
        // `one(list)`: its only element, or null.
        "one" => args
            .first()
            .and_then(Node::as_seq)
            .and_then(|items| match items {
                [] => Some(Kind::Null),
                [only] => Some(only.kind.clone()),
                _ => None,
            }),
        "alltrue" | "anytrue" => args.first().and_then(Node::as_seq).and_then(|items| {
            let bools: Option<Vec<bool>> = items
                .iter()
                .map(|i| match &i.kind {
                    Kind::Bool(b) => Some(*b),
                    Kind::Str(s) => s.parse().ok(),
                    _ => None,
                })
                .collect();
            let bools = bools?;
            Some(Kind::Bool(if name == "alltrue" {
                bools.iter().all(|b| *b)
            } else {
                bools.iter().any(|b| *b)
            }))
        }),
        "reverse" => args
            .first()
            .and_then(Node::as_seq)
            .map(|items| Kind::Seq(items.iter().rev().cloned().collect())),
        "sort" => args.first().and_then(Node::as_seq).and_then(|items| {
            let mut texts: Vec<(String, &Node)> = items
                .iter()
                .map(|i| Some((scalar(i)?, i)))
                .collect::<Option<_>>()?;
            texts.sort_by(|a, b| a.0.cmp(&b.0));
            Some(Kind::Seq(
                texts.into_iter().map(|(_, n)| n.clone()).collect(),
            ))
        }),
        "setunion" => args
            .iter()
            .map(|a| a.as_seq().map(<[Node]>::to_vec))
            .collect::<Option<Vec<_>>>()
            .map(|lists| {
                let mut out: Vec<Node> = Vec::new();
                for item in lists.into_iter().flatten() {
                    if !out
                        .iter()
                        .any(|o| super::eval::same(o, &item) == Some(true))
                    {
                        out.push(item);
                    }
                }
                Kind::Seq(out)
            }),
        "substr" => match (
            args.first().and_then(scalar),
            args.get(1).and_then(|a| scalar(a)?.parse::<i64>().ok()),
            args.get(2).and_then(|a| scalar(a)?.parse::<i64>().ok()),
        ) {
            (Some(s), Some(offset), Some(length)) => usize::try_from(offset).ok().map(|offset| {
                let chars = s.chars().skip(offset);
                Kind::Str(match usize::try_from(length) {
                    Ok(n) => chars.take(n).collect(),
                    Err(_) => chars.collect(), // -1: to the end
                })
            }),
            _ => None,
        },
        "sum" => args.first().and_then(Node::as_seq).and_then(|items| {
            let total: f64 = items
                .iter()
                .map(|i| scalar(i)?.parse::<f64>().ok())
                .sum::<Option<f64>>()?;
            Some(Kind::Number(number(total)))
        }),
        "range" => range(&args).map(|items| {
            Kind::Seq(
                items
                    .into_iter()
                    .map(|n| Node::new(Kind::Number(number(n)), span.clone()))
                    .collect(),
            )
        }),
        _ => None,
    };
    if let Some(kind) = value {
        Node::new(kind, span)
    } else {
        let refs: Vec<&Node> = args.iter().collect();
        ev.unknown(sc, e, unknown_reason(&refs))
    }
}

/// Each word's first letter in upper case (`title("send emails")` is `Send Emails`).
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

/// `format("%s-%d", a, b)`: the verbs sheepdog needs (`%s`, `%d`, `%v`, `%%`).
fn format(args: &[Node]) -> Option<Kind> {
    let spec = args.first().and_then(scalar)?;
    let mut values = args[1..].iter();
    let mut out = String::new();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => out.push_str(&scalar(values.next()?)?),
            _ => return None,
        }
    }
    Some(Kind::Str(out))
}

fn range(args: &[Node]) -> Option<Vec<f64>> {
    let n: Vec<f64> = args
        .iter()
        .map(|a| scalar(a)?.parse().ok())
        .collect::<Option<_>>()?;
    let (start, end, step) = match n.as_slice() {
        [end] => (0.0, *end, 1.0),
        [start, end] => (*start, *end, 1.0),
        [start, end, step] => (*start, *end, *step),
        _ => return None,
    };
    if step == 0.0 || ((end - start) / step) > 10_000.0 {
        return None;
    }
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0.0 && i < end) || (step < 0.0 && i > end) {
        out.push(i);
        i += step;
    }
    Some(out)
}

fn flatten(node: &Node, out: &mut Vec<Node>) -> bool {
    match &node.kind {
        Kind::Seq(items) => items.iter().all(|i| flatten(i, out)),
        Kind::Unknown(_) => false,
        _ => {
            out.push(node.clone());
            true
        }
    }
}

/// `file(path)` / `templatefile(path, vars)`: a file of the module, as text, or its parsed
/// content when it is JSON (a policy), with positions in that file. A template is rendered
/// first, with `vars`; a part that cannot be decided makes only the JSON string it is in
/// unknown. Paths leaving the module's directory tree are not read.
fn read(ev: &mut Evaluator<'_>, sc: &Scope, path: &Node, read_as: As<'_>) -> Option<Node> {
    let written = path.as_str()?;
    // Relative paths are relative to the root module's directory, as for Terraform.
    let root = ev.module(0).dir.clone();
    let full = if Path::new(written).is_absolute() {
        Path::new(written).to_path_buf()
    } else {
        super::join(&root, written)
    };
    // Only files of the scanned tree: the root module's or the calling module's.
    let canonical = |p: &Path| p.canonicalize().ok();
    let file = canonical(&full)?;
    let allowed = [root.as_path(), ev.module(sc.unit).dir.as_path()]
        .iter()
        .filter_map(|d| canonical(d))
        .any(|d| file.starts_with(d));
    if !allowed {
        return None;
    }
    let bytes = super::source::read_limited(&full).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let name: Arc<str> = Arc::from(full.to_string_lossy().as_ref());
    let rendered = match read_as {
        As::Template(vars) => Some(render_file(ev, sc, &text, vars)?),
        As::File => None,
    };
    let content = rendered.as_ref().map_or(text.as_str(), |r| r.text.as_str());
    let trimmed = content.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return Some(match rendered {
            Some(r) => r.finish(path.span.clone()),
            None => Node::new(Kind::Str(text), path.span.clone()),
        });
    }
    let mut parsed = crate::json::parse(&name, content).ok()?.root?;
    if let Some(r) = &rendered
        && !r.unknowns.is_empty()
    {
        super::eval::mark_unknowns(&mut parsed, r);
    }
    ev.extra_sources.push((name, Arc::from(text.as_str())));
    Some(parsed)
}

/// How `read` takes a file: as it is (`file`), or as a template with its variables
/// (`templatefile`).
#[derive(Clone, Copy)]
enum As<'a> {
    File,
    Template(Option<&'a Node>),
}

/// A `templatefile` template rendered with its variables (its positions stay those of the
/// file as long as no value spans several lines).
fn render_file(
    ev: &mut Evaluator<'_>,
    sc: &Scope,
    text: &str,
    vars: Option<&Node>,
) -> Option<super::eval::Rendered> {
    let template = hcl_edit::parser::parse_template(text).ok()?;
    let mut scope = sc.clone();
    for e in vars.and_then(Node::as_map).unwrap_or_default() {
        scope.names.push((e.key.clone(), e.value.clone()));
    }
    let written = |e: &Expression| {
        hcl_edit::Span::span(e)
            .and_then(|range| text.get(range))
            .unwrap_or("...")
            .to_owned()
    };
    let mut r = super::eval::Rendered::default();
    ev.render_into(&template, &scope, &written, &mut r, 0);
    Some(r)
}
