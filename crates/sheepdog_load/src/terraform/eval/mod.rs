//! Terraform expressions into resolved [`Node`]s: variables, locals, references between
//! resources, module outputs, string templates, conditionals, `for` expressions and the
//! functions in `functions.rs`. What cannot be decided is [`Kind::Unknown`] with the
//! expression as written (DESIGN.md invariant 3); nothing here fails.
//!
//! `references.rs` follows names (`var.`, `local.`, `module.`, resources, data sources),
//! `templates.rs` renders strings and heredocs, `values.rs` holds what is asked of a value.

mod references;
mod templates;
mod values;

pub(in crate::terraform) use templates::{Rendered, mark_unknowns};
pub use values::{
    collect_refs, for_each_pairs, number, pairs, respan, same, scalar, unknown_reason,
};

use std::collections::HashMap;
use std::sync::Arc;

use hcl_edit::expr::{BinaryOperator, Expression, ForExpr, ObjectKey, UnaryOperator};
use hcl_edit::structure::{Block, Body};
use sheepdog_diagnostics::{Diagnostic, Span, Unknown, UnknownReason};

use super::config::{Declarations, Module};
use super::functions;
use super::source::SourceFile;
use crate::node::{Entry, Kind, Node};

/// Deepest evaluation (nested expressions, references followed) before giving up: a bound
/// on recursion whatever the input.
const MAX_DEPTH: usize = 128;

/// Most elements a `for` expression, `count` or `for_each` may produce.
pub const MAX_ITEMS: usize = 10_000;

/// Largest value (in nodes) an expression may evaluate to: values are copied where they are
/// used, so locals that double each other would otherwise grow exponentially.
const MAX_NODES: usize = 100_000;

/// Where a module's input variable gets its value from.
pub enum VarSource<'m> {
    Value(Node),
    /// A module call's argument, evaluated in the caller on first use.
    Input {
        expr: &'m Expression,
        scope: Box<Scope>,
    },
}

/// One instance of a module: the root, or a local module call.
pub struct Unit<'m> {
    /// `""` for the root module, `module.x.` for a call.
    pub prefix: String,
    pub module: &'m Module,
    pub decls: Declarations<'m>,
    pub vars: HashMap<String, VarSource<'m>>,
    /// Module calls of this unit, by name, to the unit they instantiate (`None`: a module
    /// sheepdog does not read, such as one from a registry, or a call with no instance);
    /// with `count`/`for_each`, the first instance.
    pub calls: HashMap<String, Option<usize>>,
    /// Each instance of a call, by name and index (`[0]`, `["k"]`; empty without
    /// `count`/`for_each`).
    pub instances: HashMap<(String, String), usize>,
    pub(super) locals: HashMap<String, Node>,
}

impl<'m> Unit<'m> {
    pub fn new(prefix: String, module: &'m Module, decls: Declarations<'m>) -> Self {
        Self {
            prefix,
            module,
            decls,
            vars: HashMap::new(),
            calls: HashMap::new(),
            instances: HashMap::new(),
            locals: HashMap::new(),
        }
    }
}

/// Where an expression is evaluated: its unit and file, and the names in scope.
#[derive(Clone)]
pub struct Scope {
    pub unit: usize,
    pub file: usize,
    pub count: Option<Node>,
    /// `each.key` and `each.value`.
    pub each: Option<(Node, Node)>,
    /// `for` expression variables and `dynamic` block iterators.
    pub names: Vec<(String, Node)>,
}

impl Scope {
    pub fn new(unit: usize, file: usize) -> Self {
        Self {
            unit,
            file,
            count: None,
            each: None,
            names: Vec::new(),
        }
    }
}

pub struct Evaluator<'m> {
    pub units: Vec<Unit<'m>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files read by `file()`/`templatefile()`, for code frames.
    pub extra_sources: Vec<(Arc<str>, Arc<str>)>,
    /// References being evaluated (cycle guard).
    pub(super) active: Vec<String>,
    pub(super) depth: usize,
    /// The `for_each` collection of each resource, by unit and address: every reference to
    /// an instance (`aws_iam_role.fn[each.key]`) looks its `each.value` up here.
    pub(super) for_each: HashMap<(usize, String), Node>,
}

impl<'m> Evaluator<'m> {
    pub fn new() -> Self {
        Self {
            units: Vec::new(),
            diagnostics: Vec::new(),
            extra_sources: Vec::new(),
            active: Vec::new(),
            depth: 0,
            for_each: HashMap::new(),
        }
    }

    pub fn source(&self, sc: &Scope) -> &'m SourceFile {
        let module: &'m Module = self.units[sc.unit].module;
        &module.files[sc.file]
    }

    pub fn module(&self, unit: usize) -> &'m Module {
        self.units[unit].module
    }

    pub fn span(&self, sc: &Scope, e: &impl hcl_edit::Span) -> Span {
        self.source(sc).span(e.span())
    }

    /// An unknown value standing for expression `e`.
    pub fn unknown(&self, sc: &Scope, e: &impl hcl_edit::Span, reason: UnknownReason) -> Node {
        let source = self.source(sc);
        Node::new(
            Kind::Unknown(Unknown::new(source.snippet(e.span()), reason)),
            source.span(e.span()),
        )
    }

    /// Evaluate an expression.
    pub fn eval(&mut self, e: &Expression, sc: &Scope) -> Node {
        if self.depth >= MAX_DEPTH {
            return self.unknown(sc, e, UnknownReason::Unsupported);
        }
        self.depth += 1;
        let node = self.eval_inner(e, sc);
        self.depth -= 1;
        if matches!(node.kind, Kind::Seq(_) | Kind::Map(_)) && node.size() > MAX_NODES {
            self.diagnostics.push(Diagnostic::warning(
                "SD006",
                format!(
                    "this value has more than {MAX_NODES} elements; sheepdog does not evaluate it"
                ),
                node.span.clone(),
            ));
            return self.unknown(sc, e, UnknownReason::Unsupported);
        }
        node
    }

    fn eval_inner(&mut self, e: &Expression, sc: &Scope) -> Node {
        let span = self.span(sc, e);
        let kind = match e {
            Expression::Null(_) => Kind::Null,
            Expression::Bool(b) => Kind::Bool(*b.value()),
            Expression::Number(n) => Kind::Number(n.value().to_string()),
            Expression::String(s) => Kind::Str(s.value().clone()),
            Expression::Array(items) => {
                Kind::Seq(items.iter().map(|item| self.eval(item, sc)).collect())
            }
            Expression::Object(object) => {
                let mut entries = Vec::new();
                for (key, value) in object {
                    let (name, key_span) = match key {
                        ObjectKey::Ident(id) => (id.as_str().to_owned(), self.span(sc, id)),
                        ObjectKey::Expression(k) => {
                            let key = self.eval(k, sc);
                            match scalar(&key) {
                                Some(s) => (s, key.span),
                                None => return self.unknown(sc, e, UnknownReason::Unsupported),
                            }
                        }
                    };
                    let value = self.eval(value.expr(), sc);
                    entries.push(Entry {
                        key: name,
                        key_span,
                        value,
                    });
                }
                Kind::Map(entries)
            }
            Expression::StringTemplate(t) => return self.template(t, e, sc),
            Expression::HeredocTemplate(h) => return self.heredoc(h, e, sc),
            Expression::Parenthesis(p) => return self.eval(p.inner(), sc),
            Expression::Variable(v) => match Self::name(sc, v.as_str()) {
                Some(value) => return respan(value, span),
                None => return self.unknown(sc, e, UnknownReason::Unsupported),
            },
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, sc);
                return match cond.kind {
                    Kind::Bool(true) => self.eval(&c.true_expr, sc),
                    Kind::Bool(false) => self.eval(&c.false_expr, sc),
                    _ => {
                        let a = self.eval(&c.true_expr, sc);
                        let b = self.eval(&c.false_expr, sc);
                        if same(&a, &b) == Some(true) {
                            respan(a, span)
                        } else {
                            self.unknown(sc, e, UnknownReason::Condition)
                        }
                    }
                };
            }
            Expression::FuncCall(call) => {
                return functions::call(self, call, e, sc);
            }
            Expression::Traversal(t) => return self.traversal(t, e, sc),
            Expression::UnaryOp(op) => {
                let value = self.eval(&op.expr, sc);
                match (op.operator.value(), &value.kind) {
                    (UnaryOperator::Not, Kind::Bool(b)) => Kind::Bool(!b),
                    (UnaryOperator::Neg, Kind::Number(n)) => match n.parse::<f64>() {
                        Ok(n) => Kind::Number(number(-n)),
                        Err(_) => return self.unknown(sc, e, UnknownReason::Unsupported),
                    },
                    _ => return self.unknown(sc, e, unknown_reason(&[&value])),
                }
            }
            Expression::BinaryOp(op) => return self.binary(op, e, sc),
            Expression::ForExpr(f) => return self.for_expr(f, e, sc),
        };
        Node::new(kind, span)
    }

    /// A name alone (`each`, a `for` variable).
    fn name(sc: &Scope, name: &str) -> Option<Node> {
        sc.names
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    #[allow(clippy::many_single_char_names)] // `a op b`, as the grammar writes it.
    fn binary(&mut self, op: &hcl_edit::expr::BinaryOp, e: &Expression, sc: &Scope) -> Node {
        let span = self.span(sc, e);
        let a = self.eval(&op.lhs_expr, sc);
        let operator = *op.operator.value();
        // `false && x` and `true || x` are decided whatever `x` is.
        match (operator, &a.kind) {
            (BinaryOperator::And, Kind::Bool(false)) => return Node::new(Kind::Bool(false), span),
            (BinaryOperator::Or, Kind::Bool(true)) => return Node::new(Kind::Bool(true), span),
            _ => {}
        }
        let b = self.eval(&op.rhs_expr, sc);
        let num = |n: &Node| match &n.kind {
            Kind::Number(s) => s.parse::<f64>().ok(),
            _ => None,
        };
        let kind = match operator {
            BinaryOperator::Eq => same(&a, &b).map(Kind::Bool),
            BinaryOperator::NotEq => same(&a, &b).map(|s| Kind::Bool(!s)),
            BinaryOperator::And | BinaryOperator::Or => match (&a.kind, &b.kind) {
                (Kind::Bool(x), Kind::Bool(y)) => {
                    Some(Kind::Bool(if operator == BinaryOperator::And {
                        *x && *y
                    } else {
                        *x || *y
                    }))
                }
                (_, Kind::Bool(false)) if operator == BinaryOperator::And => {
                    Some(Kind::Bool(false))
                }
                (_, Kind::Bool(true)) if operator == BinaryOperator::Or => Some(Kind::Bool(true)),
                _ => None,
            },
            _ => match (num(&a), num(&b)) {
                (Some(x), Some(y)) => match operator {
                    BinaryOperator::Less => Some(Kind::Bool(x < y)),
                    BinaryOperator::LessEq => Some(Kind::Bool(x <= y)),
                    BinaryOperator::Greater => Some(Kind::Bool(x > y)),
                    BinaryOperator::GreaterEq => Some(Kind::Bool(x >= y)),
                    BinaryOperator::Plus => Some(Kind::Number(number(x + y))),
                    BinaryOperator::Minus => Some(Kind::Number(number(x - y))),
                    BinaryOperator::Mul => Some(Kind::Number(number(x * y))),
                    BinaryOperator::Div if y != 0.0 => Some(Kind::Number(number(x / y))),
                    BinaryOperator::Mod if y != 0.0 => Some(Kind::Number(number(x % y))),
                    _ => None,
                },
                _ => None,
            },
        };
        match kind {
            Some(k) => Node::new(k, span),
            None => self.unknown(sc, e, unknown_reason(&[&a, &b])),
        }
    }

    fn for_expr(&mut self, f: &ForExpr, e: &Expression, sc: &Scope) -> Node {
        let span = self.span(sc, e);
        let collection = self.eval(&f.intro.collection_expr, sc);
        let Some(items) = pairs(&collection) else {
            return self.unknown(sc, e, unknown_reason(&[&collection]));
        };
        if items.len() > MAX_ITEMS || f.grouping {
            return self.unknown(sc, e, UnknownReason::Unsupported);
        }
        let mut seq = Vec::new();
        let mut map = Vec::new();
        for (key, value) in items {
            let mut inner = sc.clone();
            if let Some(k) = &f.intro.key_var {
                inner.names.push((k.as_str().to_owned(), key));
            }
            inner
                .names
                .push((f.intro.value_var.as_str().to_owned(), value));
            if let Some(cond) = &f.cond {
                match self.eval(&cond.expr, &inner).kind {
                    Kind::Bool(true) => {}
                    Kind::Bool(false) => continue,
                    _ => return self.unknown(sc, e, UnknownReason::Condition),
                }
            }
            let value = self.eval(&f.value_expr, &inner);
            match &f.key_expr {
                Some(k) => {
                    let key = self.eval(k, &inner);
                    let Some(name) = scalar(&key) else {
                        return self.unknown(sc, e, unknown_reason(&[&key]));
                    };
                    map.push(Entry {
                        key: name,
                        key_span: key.span,
                        value,
                    });
                }
                None => seq.push(value),
            }
        }
        Node::new(
            if f.key_expr.is_some() {
                Kind::Map(map)
            } else {
                Kind::Seq(seq)
            },
            span,
        )
    }

    /// A block body as a mapping: attributes evaluated, nested blocks under their type as a
    /// list (blocks repeat), `dynamic` blocks expanded when their `for_each` is known.
    pub fn body(&mut self, body: &Body, span: Span, sc: &Scope) -> Node {
        let mut entries: Vec<Entry> = Vec::new();
        for attr in body.attributes() {
            let key = attr.key.as_str();
            if META_ARGUMENTS.contains(&key) {
                continue;
            }
            let value = self.eval(&attr.value, sc);
            entries.push(Entry {
                key: key.to_owned(),
                key_span: self.span(sc, &attr.key),
                value,
            });
        }
        for block in body.blocks() {
            let ident = block.ident.as_str();
            if META_BLOCKS.contains(&ident) {
                continue;
            }
            let (name, nodes) = if ident == "dynamic" {
                let Some(label) = block.labels.first() else {
                    continue;
                };
                (
                    label.as_str().to_owned(),
                    self.dynamic(block, label.as_str(), sc),
                )
            } else {
                let span = self.span(sc, &block.ident);
                (ident.to_owned(), vec![self.body(&block.body, span, sc)])
            };
            let key_span = self.span(sc, &block.ident);
            match entries.iter_mut().find(|e| e.key == name) {
                Some(Entry {
                    value:
                        Node {
                            kind: Kind::Seq(items),
                            ..
                        },
                    ..
                }) => items.extend(nodes),
                _ => entries.push(Entry {
                    key: name,
                    key_span: key_span.clone(),
                    value: Node::new(Kind::Seq(nodes), key_span),
                }),
            }
        }
        Node::new(Kind::Map(entries), span)
    }

    fn dynamic(&mut self, block: &Block, label: &str, sc: &Scope) -> Vec<Node> {
        let span = self.span(sc, &block.ident);
        let Some(content) = block.body.blocks().find(|b| b.ident.as_str() == "content") else {
            return Vec::new();
        };
        let iterator = block
            .body
            .get_attribute("iterator")
            .and_then(|a| match &a.value {
                Expression::Variable(v) => Some(v.as_str().to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| label.to_owned());
        let Some(for_each) = block.body.get_attribute("for_each") else {
            return Vec::new();
        };
        let collection = self.eval(&for_each.value, sc);
        let Some(items) = pairs(&collection).filter(|i| i.len() <= MAX_ITEMS) else {
            return vec![self.unknown(sc, &for_each.value, unknown_reason(&[&collection]))];
        };
        items
            .into_iter()
            .map(|(key, value)| {
                let mut inner = sc.clone();
                let object = Node::new(
                    Kind::Map(vec![
                        Entry {
                            key: "key".to_owned(),
                            key_span: key.span.clone(),
                            value: key,
                        },
                        Entry {
                            key: "value".to_owned(),
                            key_span: value.span.clone(),
                            value,
                        },
                    ]),
                    span.clone(),
                );
                inner.names.push((iterator.clone(), object));
                self.body(&content.body, span.clone(), &inner)
            })
            .collect()
    }
}

/// Arguments of every resource that are not the resource's own settings.
const META_ARGUMENTS: [&str; 4] = ["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: [&str; 3] = ["lifecycle", "provisioner", "connection"];
