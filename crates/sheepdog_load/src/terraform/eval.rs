//! Terraform expressions into resolved [`Node`]s: variables, locals, references between
//! resources, module outputs, string templates, conditionals, `for` expressions and the
//! functions in `functions.rs`. What cannot be decided is [`Kind::Unknown`] with the
//! expression as written (DESIGN.md invariant 3); nothing here fails.

use std::collections::HashMap;
use std::sync::Arc;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, Traversal, TraversalOperator, UnaryOperator,
};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, Template};
use sheepdog_diagnostics::{Diagnostic, Span, Unknown, UnknownReason};

use super::config::{Declarations, Module, ResourceDecl};
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
    locals: HashMap<String, Node>,
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
    active: Vec<String>,
    depth: usize,
    /// The `for_each` collection of each resource, by unit and address: every reference to
    /// an instance (`aws_iam_role.fn[each.key]`) looks its `each.value` up here.
    for_each: HashMap<(usize, String), Node>,
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

    /// A heredoc holding a JSON document (a policy), parsed with each element at its own
    /// line of the `.tf` file; any other heredoc is the string it is. Parts that cannot be
    /// decided make only the JSON strings they are in unknown (`"Resource":
    /// "arn:aws:s3:::${var.bucket}/*"`), not the whole document.
    fn heredoc(
        &mut self,
        h: &hcl_edit::template::HeredocTemplate,
        e: &Expression,
        sc: &Scope,
    ) -> Node {
        let span = self.span(sc, e);
        let r = self.render(&h.template, sc);
        let trimmed = r.text.trim_start();
        let json = trimmed.starts_with('{') || trimmed.starts_with('[');
        let file = self.source(sc).path.clone();
        let parsed = if json && !r.directive {
            crate::json::parse(&file, &r.text).ok().and_then(|p| p.root)
        } else {
            None
        };
        let Some(mut root) = parsed else {
            return r.finish(span);
        };
        // The content starts on the line after `<<EOT`; `<<-` strips `indent` columns.
        let columns = u32::try_from(h.indent().unwrap_or(0)).unwrap_or(0);
        shift(&mut root, span.start.line, columns);
        if !r.unknowns.is_empty() {
            mark_unknowns(&mut root, &r);
        }
        root.span = span;
        root
    }

    /// A template's parts: its text, with a marker for each part that cannot be decided.
    fn render(&mut self, t: &Template, sc: &Scope) -> Rendered {
        let mut r = Rendered::default();
        for element in t {
            match element {
                Element::Literal(s) => {
                    r.text.push_str(s.value());
                    r.shown.push_str(s.value());
                }
                Element::Interpolation(i) => {
                    let value = self.eval(&i.expr, sc);
                    // A resource named here is one the value depends on, even when the
                    // attribute used is known (`${aws_api_gateway_stage.prod.stage_name}`).
                    if let Some(id) = self.mentioned_resource(&i.expr, sc)
                        && !r.refs.contains(&id)
                    {
                        r.refs.push(id);
                    }
                    match (&value.kind, scalar(&value)) {
                        (_, Some(s)) => {
                            r.text.push_str(&s);
                            r.shown.push_str(&s);
                        }
                        // Deploy-time values stay symbolic, as CloudFormation's `!Sub` keeps
                        // `${AWS::AccountId}`: an ARN built with one is still read.
                        (
                            Kind::Unknown(Unknown {
                                reason: UnknownReason::Pseudo { name },
                                ..
                            }),
                            None,
                        ) => {
                            let symbol = format!("${{{name}}}");
                            r.text.push_str(&symbol);
                            r.shown.push_str(&symbol);
                        }
                        (kind, _) => {
                            collect_refs(&value, &mut r.refs);
                            // A resource attribute is shown by its full address (inside a
                            // module too), which is how the model recognises
                            // `${aws_iam_access_key.k.secret}` in a string.
                            let written = match kind {
                                Kind::Unknown(Unknown {
                                    reason:
                                        UnknownReason::Resource {
                                            id,
                                            attr: Some(attr),
                                        },
                                    ..
                                }) => format!("${{{id}.{attr}}}"),
                                _ => format!(
                                    "${{{}}}",
                                    self.source(sc).snippet(hcl_edit::Span::span(&i.expr))
                                ),
                            };
                            let marker = r.marker();
                            r.text.push_str(&marker);
                            r.shown.push_str(&written);
                            r.unknowns.push((marker, written));
                        }
                    }
                }
                Element::Directive(_) => {
                    r.directive = true;
                    r.shown.push_str("%{...}");
                }
            }
        }
        r
    }

    /// A name alone (`each`, a `for` variable).
    fn name(sc: &Scope, name: &str) -> Option<Node> {
        sc.names
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn template(&mut self, t: &Template, e: &Expression, sc: &Scope) -> Node {
        let span = self.span(sc, e);
        // `"${x}"` is `x` itself, whatever its type.
        if let [Element::Interpolation(only)] = t.iter().collect::<Vec<_>>().as_slice() {
            let value = self.eval(&only.expr, sc);
            return respan(value, span);
        }
        self.render(t, sc).finish(span)
    }

    /// The resource instance a reference expression names (`aws_x.y[0].attr` →
    /// `aws_x.y[0]`), if it is one of this unit.
    fn mentioned_resource(&mut self, e: &Expression, sc: &Scope) -> Option<String> {
        let Expression::Traversal(t) = e else {
            return None;
        };
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let mut ops = t.operators.iter().map(hcl_edit::Decorated::value);
        let (data, kind, name) = match (root.as_str(), ops.next()?) {
            ("data", TraversalOperator::GetAttr(kind)) => match ops.next()? {
                TraversalOperator::GetAttr(name) => (true, kind.as_str(), name.as_str()),
                _ => return None,
            },
            (kind, TraversalOperator::GetAttr(name)) => (false, kind, name.as_str()),
            _ => return None,
        };
        let decl = *self.units[sc.unit].decls.resource(data, kind, name)?;
        let index = match ops.next() {
            Some(TraversalOperator::Index(i)) => Some(self.eval(i, sc)),
            _ => None,
        };
        Some(format!(
            "{}{}{}",
            self.units[sc.unit].prefix,
            decl.address(),
            instance_suffix(index.as_ref())
        ))
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

    fn traversal(&mut self, t: &Traversal, e: &Expression, sc: &Scope) -> Node {
        let span = self.span(sc, e);
        let ops: Vec<&TraversalOperator> =
            t.operators.iter().map(hcl_edit::Decorated::value).collect();
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
            _ => None,
        };
        let Expression::Variable(root) = &t.expr else {
            let base = self.eval(&t.expr, sc);
            return self.apply(base, &ops, e, sc);
        };
        let unit = sc.unit;
        let local_name = Self::name(sc, root.as_str());
        let mut caller_written = false;
        let (base, rest) = match root.as_str() {
            _ if local_name.is_some() => (local_name, 0),
            "var" => match attr(0) {
                Some(name) => {
                    // A module's input keeps the place the caller wrote it: that is the
                    // line to change, the module being shared code.
                    caller_written = matches!(
                        self.units[unit].vars.get(name),
                        Some(VarSource::Input { .. })
                    );
                    (Some(self.var(unit, name, e, sc)), 1)
                }
                None => (None, 0),
            },
            "local" => match attr(0) {
                Some(name) => (Some(self.local(unit, name, e, sc)), 1),
                None => (None, 0),
            },
            "each" => match (&sc.each, attr(0)) {
                (Some((k, _)), Some("key")) => (Some(k.clone()), 1),
                (Some((_, v)), Some("value")) => (Some(v.clone()), 1),
                _ => (None, 0),
            },
            "count" => match (&sc.count, attr(0)) {
                (Some(i), Some("index")) => (Some(i.clone()), 1),
                _ => (None, 0),
            },
            // As Terraform: paths are relative to the root module's directory (where
            // `terraform` runs); `path.module` is the module's directory from there.
            "path" => {
                let root = &self.module(0).dir;
                let dir = match attr(0) {
                    Some("module") => {
                        let dir = &self.module(unit).dir;
                        match dir.strip_prefix(root) {
                            Ok(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
                            Ok(rel) => rel.to_string_lossy().into_owned(),
                            Err(_) => dir.to_string_lossy().into_owned(),
                        }
                    }
                    Some("cwd") => root.to_string_lossy().into_owned(),
                    _ => ".".to_owned(),
                };
                (Some(Node::new(Kind::Str(dir), span.clone())), 1)
            }
            "terraform" => (
                Some(self.unknown(
                    sc,
                    e,
                    UnknownReason::Pseudo {
                        name: "terraform.workspace".to_owned(),
                    },
                )),
                ops.len(),
            ),
            "module" => match attr(0) {
                Some(call) => {
                    // `module.x[0].out`, `module.x["k"].out`: that instance's output.
                    let instance = match ops.get(1) {
                        Some(TraversalOperator::Index(i)) => {
                            let i = self.eval(i, sc);
                            Some(instance_suffix(Some(&i)))
                        }
                        _ => None,
                    };
                    let skip = usize::from(instance.is_some());
                    match attr(1 + skip) {
                        Some(output) => (
                            self.output(unit, call, instance.as_deref(), output, e, sc),
                            2 + skip,
                        ),
                        None => (None, ops.len()),
                    }
                }
                None => (None, 0),
            },
            "data" => match (attr(0), attr(1)) {
                (Some(kind), Some(name)) => (
                    Some(self.resource_ref(true, kind, name, &ops[2..], e, sc)),
                    ops.len(),
                ),
                _ => (None, 0),
            },
            kind => match attr(0) {
                // Resource types are `<provider>_<type>`; `resource_ref` reports one that
                // is not declared.
                Some(name)
                    if kind.contains('_')
                        || self.units[unit].decls.resource(false, kind, name).is_some() =>
                {
                    (
                        Some(self.resource_ref(false, kind, name, &ops[1..], e, sc)),
                        ops.len(),
                    )
                }
                _ => (None, 0),
            },
        };
        match base {
            Some(base) if caller_written && rest == ops.len() => base,
            Some(base) => {
                let value = self.apply(respan(base, span.clone()), &ops[rest..], e, sc);
                respan(value, span)
            }
            None => self.unknown(sc, e, UnknownReason::Unsupported),
        }
    }

    /// Apply the rest of a traversal (`.attr`, `[index]`, splats) to a value.
    fn apply(
        &mut self,
        mut value: Node,
        ops: &[&TraversalOperator],
        e: &Expression,
        sc: &Scope,
    ) -> Node {
        for (i, op) in ops.iter().enumerate() {
            if let Kind::Unknown(_) = value.kind {
                return self.unknown(sc, e, unknown_reason(&[&value]));
            }
            let next = match op {
                TraversalOperator::GetAttr(id) => value.get(id.as_str()).cloned(),
                TraversalOperator::Index(index) => {
                    let index = self.eval(index, sc);
                    if let Kind::Unknown(_) = index.kind {
                        return self.unknown(sc, e, unknown_reason(&[&index]));
                    }
                    element(&value, &index)
                }
                TraversalOperator::LegacyIndex(n) => {
                    let n = *n.value();
                    value
                        .as_seq()
                        .and_then(|items| items.get(usize::try_from(n).ok()?))
                        .cloned()
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let Some(items) = value.as_seq() else {
                        return self.unknown(sc, e, UnknownReason::Unsupported);
                    };
                    let items = items.to_vec();
                    let span = value.span.clone();
                    let mapped = items
                        .into_iter()
                        .map(|item| self.apply(item, &ops[i + 1..], e, sc))
                        .collect();
                    return Node::new(Kind::Seq(mapped), span);
                }
            };
            match next {
                Some(n) => value = n,
                None => return self.unknown(sc, e, UnknownReason::Unsupported),
            }
        }
        value
    }

    /// `var.name` in `unit`.
    fn var(&mut self, unit: usize, name: &str, e: &Expression, sc: &Scope) -> Node {
        let key = format!("{unit}/var.{name}");
        match self.units[unit].vars.get(name) {
            Some(VarSource::Value(v)) => return v.clone(),
            Some(VarSource::Input { expr, scope }) => {
                let (expr, scope) = (*expr, (**scope).clone());
                if self.active.contains(&key) {
                    return self.cycle(sc, e, &format!("var.{name}"));
                }
                self.active.push(key);
                let value = self.eval(expr, &scope);
                self.active.pop();
                self.units[unit]
                    .vars
                    .insert(name.to_owned(), VarSource::Value(value.clone()));
                return value;
            }
            None => {}
        }
        if !self.units[unit].decls.variables.contains_key(name) {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!("reference to undeclared input variable `{name}`"),
                self.span(sc, e),
            ));
        }
        self.unknown(
            sc,
            e,
            UnknownReason::Parameter {
                name: name.to_owned(),
            },
        )
    }

    /// `local.name` in `unit`, evaluated once.
    fn local(&mut self, unit: usize, name: &str, e: &Expression, sc: &Scope) -> Node {
        if let Some(v) = self.units[unit].locals.get(name) {
            return v.clone();
        }
        let Some(at) = self.units[unit].decls.locals.get(name).copied() else {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!("reference to undeclared local value `{name}`"),
                self.span(sc, e),
            ));
            return self.unknown(sc, e, UnknownReason::Unsupported);
        };
        let key = format!("{unit}/local.{name}");
        if self.active.contains(&key) {
            return self.cycle(sc, e, &format!("local.{name}"));
        }
        self.active.push(key);
        let value = self.eval(at.item, &Scope::new(unit, at.file));
        self.active.pop();
        self.units[unit]
            .locals
            .insert(name.to_owned(), value.clone());
        value
    }

    fn cycle(&mut self, sc: &Scope, e: &Expression, what: &str) -> Node {
        self.diagnostics.push(Diagnostic::error(
            "SD005",
            format!("`{what}` refers to itself (a cycle Terraform rejects); its value is unknown"),
            self.span(sc, e),
        ));
        self.unknown(sc, e, UnknownReason::Unsupported)
    }

    /// `module.call.output`.
    fn output(
        &mut self,
        unit: usize,
        call: &str,
        instance: Option<&str>,
        output: &str,
        e: &Expression,
        sc: &Scope,
    ) -> Option<Node> {
        if let Some(suffix) = instance {
            let child = self.units[unit]
                .instances
                .get(&(call.to_owned(), suffix.to_owned()))
                .copied();
            return Some(match child {
                Some(child) => self.output_of(child, call, output, e, sc),
                None => self.unknown(sc, e, UnknownReason::Unsupported),
            });
        }
        let Some(child) = self.units[unit].calls.get(call).copied() else {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!("reference to undeclared module `{call}`"),
                self.span(sc, e),
            ));
            return None;
        };
        // A call with `count`/`for_each` is a collection of instances, not one.
        let counted = self.units[unit]
            .instances
            .keys()
            .any(|(name, suffix)| name == call && !suffix.is_empty());
        match child {
            Some(child) if !counted => Some(self.output_of(child, call, output, e, sc)),
            _ => Some(self.unknown(sc, e, UnknownReason::Unsupported)),
        }
    }

    /// Output `output` of the module instance `child` (of call `call`).
    fn output_of(
        &mut self,
        child: usize,
        call: &str,
        output: &str,
        e: &Expression,
        sc: &Scope,
    ) -> Node {
        let Some(at) = self.units[child].decls.outputs.get(output).copied() else {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!("module `{call}` has no output `{output}`"),
                self.span(sc, e),
            ));
            return self.unknown(sc, e, UnknownReason::Unsupported);
        };
        let key = format!("{child}/output.{output}");
        if self.active.contains(&key) {
            return self.cycle(sc, e, &format!("module.{call}.{output}"));
        }
        self.active.push(key);
        let value = self.eval(at.item, &Scope::new(child, at.file));
        self.active.pop();
        value
    }

    /// A reference to a resource or data source (`aws_iam_role.r.arn`,
    /// `data.aws_iam_policy_document.p.json`), with what follows its name.
    fn resource_ref(
        &mut self,
        data: bool,
        kind: &str,
        name: &str,
        ops: &[&TraversalOperator],
        e: &Expression,
        sc: &Scope,
    ) -> Node {
        let unit = sc.unit;
        let Some(decl) = self.units[unit].decls.resource(data, kind, name).copied() else {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!(
                    "reference to undeclared {} `{}{kind}.{name}`",
                    if data { "data source" } else { "resource" },
                    if data { "data." } else { "" }
                ),
                self.span(sc, e),
            ));
            return self.unknown(sc, e, UnknownReason::Unsupported);
        };
        let (index, ops) = match ops.first() {
            Some(TraversalOperator::Index(i)) => (Some(self.eval(i, sc)), &ops[1..]),
            Some(TraversalOperator::LegacyIndex(n)) => (
                Some(Node::new(
                    Kind::Number(n.value().to_string()),
                    self.span(sc, e),
                )),
                &ops[1..],
            ),
            Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
                let id = format!("{}{}", self.units[unit].prefix, decl.address());
                return self.unknown(sc, e, UnknownReason::Composite { refs: vec![id] });
            }
            _ => (None, ops),
        };
        let suffix = instance_suffix(index.as_ref());
        let id = format!("{}{}{suffix}", self.units[unit].prefix, decl.address());
        let attr = match ops.first() {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        if let Some(value) = self.data_value(&decl, attr, index.as_ref(), e, sc) {
            return self.apply(value, &ops[1..], e, sc);
        }
        // An argument written on the resource is also its attribute, with the same value.
        if let Some(a) = attr
            && !COMPUTED.contains(&a)
            && let Some(written) = decl.block.body.get_attribute(a)
            && !suffix.contains('*')
        {
            let key = format!("{id}.{a}");
            if self.active.contains(&key) {
                return self.cycle(sc, e, &key);
            }
            let mut scope = Scope::new(unit, decl.file);
            scope.count.clone_from(&index);
            if let Some(i) = &index {
                scope.each = Some((i.clone(), self.for_each_value(&decl, i, unit)));
            }
            self.active.push(key);
            let value = self.eval(&written.value, &scope);
            self.active.pop();
            // A value that cannot be decided and names no resource is better known as the
            // resource's attribute: that is what links a policy to `aws_iam_role.r.name`
            // when the name is unknown. One that names resources keeps them (a secret
            // version's `secret_string` that is a generated password).
            let mut named = Vec::new();
            collect_refs(&value, &mut named);
            if matches!(value.kind, Kind::Unknown(_)) && named.is_empty() {
                let reason = UnknownReason::Resource {
                    id,
                    attr: Some(a.to_owned()),
                };
                let whole = self.unknown(sc, e, reason);
                return self.apply(whole, &ops[1..], e, sc);
            }
            return self.apply(value, &ops[1..], e, sc);
        }
        if attr.is_none() && !data {
            // The resource itself (`for_each = aws_api_gateway_method.items`): its
            // instances as objects of their arguments.
            let value = self.resource_value(&decl, index, sc, e);
            return self.apply(value, ops, e, sc);
        }
        let reason = UnknownReason::Resource {
            id,
            attr: attr.map(str::to_owned),
        };
        self.unknown(sc, e, reason)
    }

    /// A resource as a value: one instance's object, or its instances by key (`for_each`)
    /// or index (`count`).
    fn resource_value(
        &mut self,
        decl: &ResourceDecl<'m>,
        index: Option<Node>,
        sc: &Scope,
        e: &Expression,
    ) -> Node {
        let unit = sc.unit;
        let span = self.span(sc, e);
        let body = &decl.block.body;
        let key = format!("{unit}/{}", decl.address());
        if self.active.contains(&key) {
            return self.cycle(sc, e, &decl.address());
        }
        self.active.push(key);
        let value = if let Some(i) = index {
            self.instance_object(unit, decl, Some(&i), &span)
        } else if let Some(for_each) = body.get_attribute("for_each") {
            let collection = self.eval(&for_each.value, &Scope::new(unit, decl.file));
            match pairs(&collection) {
                Some(items) => {
                    let mut entries = Vec::new();
                    for (k, v) in items.into_iter().take(MAX_ITEMS) {
                        let k = if matches!(collection.kind, Kind::Seq(_)) {
                            v
                        } else {
                            k
                        };
                        let Some(name) = scalar(&k) else { continue };
                        let object = self.instance_object(unit, decl, Some(&k), &span);
                        entries.push(Entry {
                            key: name,
                            key_span: k.span,
                            value: object,
                        });
                    }
                    Node::new(Kind::Map(entries), span)
                }
                None => self.unknown(sc, e, unknown_reason(&[&collection])),
            }
        } else if let Some(count) = body.get_attribute("count") {
            let n = self.eval(&count.value, &Scope::new(unit, decl.file));
            match scalar(&n).and_then(|s| s.parse::<usize>().ok()) {
                Some(n) => {
                    let items = (0..n.min(MAX_ITEMS))
                        .map(|i| {
                            let index = Node::new(Kind::Number(i.to_string()), span.clone());
                            self.instance_object(unit, decl, Some(&index), &span)
                        })
                        .collect();
                    Node::new(Kind::Seq(items), span)
                }
                None => self.unknown(sc, e, unknown_reason(&[&n])),
            }
        } else {
            self.instance_object(unit, decl, None, &span)
        };
        self.active.pop();
        value
    }

    /// One instance as an object: its arguments evaluated, and the attributes the provider
    /// computes as unknowns naming the instance.
    fn instance_object(
        &mut self,
        unit: usize,
        decl: &ResourceDecl<'m>,
        index: Option<&Node>,
        span: &Span,
    ) -> Node {
        let id = format!(
            "{}{}{}",
            self.units[unit].prefix,
            decl.address(),
            instance_suffix(index)
        );
        let mut scope = Scope::new(unit, decl.file);
        scope.count = index.cloned();
        if let Some(i) = index {
            scope.each = Some((i.clone(), self.for_each_value(decl, i, unit)));
        }
        let mut object = self.body(&decl.block.body, span.clone(), &scope);
        if let Kind::Map(entries) = &mut object.kind {
            for attr in COMPUTED {
                if entries.iter().any(|e| e.key == attr) {
                    continue;
                }
                entries.push(Entry {
                    key: attr.to_owned(),
                    key_span: span.clone(),
                    value: Node::new(
                        Kind::Unknown(Unknown::new(
                            format!("{id}.{attr}"),
                            UnknownReason::Resource {
                                id: id.clone(),
                                attr: Some(attr.to_owned()),
                            },
                        )),
                        span.clone(),
                    ),
                });
            }
        }
        object
    }

    /// The `each.value` of one instance of a `for_each` resource (unknown when it cannot be
    /// told).
    fn for_each_value(&mut self, decl: &ResourceDecl<'m>, key: &Node, unit: usize) -> Node {
        let Some(for_each) = decl.block.body.get_attribute("for_each") else {
            return key.clone();
        };
        let cache_key = (unit, decl.address());
        if !self.for_each.contains_key(&cache_key) {
            let collection = self.eval(&for_each.value, &Scope::new(unit, decl.file));
            self.for_each.insert(cache_key.clone(), collection);
        }
        let found = self.for_each.get(&cache_key).and_then(|collection| {
            let k = scalar(key)?;
            match &collection.kind {
                Kind::Map(entries) => entries.iter().find(|e| e.key == k).map(|e| e.value.clone()),
                _ => Some(key.clone()),
            }
        });
        found.unwrap_or_else(|| {
            Node::new(
                Kind::Unknown(Unknown::new("each.value", UnknownReason::Unsupported)),
                key.span.clone(),
            )
        })
    }

    /// Values of the data sources sheepdog evaluates: policy documents, and the account,
    /// region and partition (deploy-time values, unknown but named).
    fn data_value(
        &mut self,
        decl: &ResourceDecl<'m>,
        attr: Option<&str>,
        index: Option<&Node>,
        e: &Expression,
        sc: &Scope,
    ) -> Option<Node> {
        if !decl.data {
            return None;
        }
        let pseudo = |name: &str| UnknownReason::Pseudo {
            name: name.to_owned(),
        };
        match (decl.kind, attr) {
            ("aws_iam_policy_document", Some("json" | "minified_json")) => {
                let mut scope = Scope::new(sc.unit, decl.file);
                scope.count = index.cloned();
                Some(super::policy_document::build(self, decl.block, &scope))
            }
            // What `{{resolve:secretsmanager:...}}` is to CloudFormation: a secret's value,
            // read at deploy time.
            ("aws_secretsmanager_secret_version", Some("secret_string" | "secret_binary")) => {
                Some(self.unknown(
                    sc,
                    e,
                    UnknownReason::DynamicReference {
                        service: "secretsmanager".to_owned(),
                    },
                ))
            }
            // A parameter's value: a `SecureString` or not, sheepdog cannot tell.
            ("aws_ssm_parameter", Some("value" | "insecure_value")) => Some(self.unknown(
                sc,
                e,
                UnknownReason::DynamicReference {
                    service: "ssm".to_owned(),
                },
            )),
            ("aws_caller_identity", Some("account_id")) => {
                Some(self.unknown(sc, e, pseudo("AWS::AccountId")))
            }
            ("aws_region", Some("name" | "region" | "id")) => {
                Some(self.unknown(sc, e, pseudo("AWS::Region")))
            }
            ("aws_partition", Some("partition")) => {
                Some(self.unknown(sc, e, pseudo("AWS::Partition")))
            }
            _ => None,
        }
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

/// How an instance is addressed: `[0]`, `["key"]`, nothing for a single resource, `[*]`
/// when the index is unknown.
fn instance_suffix(index: Option<&Node>) -> String {
    match index.map(|i| &i.kind) {
        None => String::new(),
        Some(Kind::Number(n)) => format!("[{n}]"),
        Some(Kind::Str(s)) => format!("[\"{s}\"]"),
        Some(_) => "[*]".to_owned(),
    }
}

/// Attributes the provider computes (never the argument of the same name).
const COMPUTED: [&str; 8] = [
    "arn",
    "id",
    "invoke_arn",
    "qualified_arn",
    "qualified_invoke_arn",
    "version",
    "execution_arn",
    "unique_id",
];

/// Arguments of every resource that are not the resource's own settings.
const META_ARGUMENTS: [&str; 4] = ["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: [&str; 3] = ["lifecycle", "provisioner", "connection"];

/// A rendered template (see [`Evaluator::render`]; also `templatefile`'s).
#[derive(Default)]
pub(super) struct Rendered {
    /// The text, each undecidable part replaced by a marker.
    pub(super) text: String,
    /// The text as messages show it: undecidable parts as written (`${var.x}`).
    pub(super) shown: String,
    pub(super) refs: Vec<String>,
    /// Each marker and the part it stands for.
    pub(super) unknowns: Vec<(String, String)>,
    /// A `%{if}`/`%{for}` directive (not evaluated).
    pub(super) directive: bool,
}

impl Rendered {
    /// The marker that stands for the next undecidable part in `text`.
    pub(super) fn marker(&self) -> String {
        format!("\u{e000}{}\u{e001}", self.unknowns.len())
    }

    pub(super) fn finish(self, span: Span) -> Node {
        if self.unknowns.is_empty() && !self.directive {
            Node::new(Kind::Str(self.text), span)
        } else {
            Node::new(
                Kind::Unknown(Unknown::new(
                    self.shown,
                    UnknownReason::Composite { refs: self.refs },
                )),
                span,
            )
        }
    }
}

/// Strings of a parsed heredoc that hold a marker become unknown, showing what was written.
pub(super) fn mark_unknowns(node: &mut Node, r: &Rendered) {
    match &mut node.kind {
        Kind::Str(text) if text.contains('\u{e000}') => {
            let mut shown = text.clone();
            for (marker, written) in &r.unknowns {
                shown = shown.replace(marker.as_str(), written);
            }
            node.kind = Kind::Unknown(Unknown::new(
                shown,
                UnknownReason::Composite {
                    refs: r.refs.clone(),
                },
            ));
        }
        Kind::Seq(items) => items.iter_mut().for_each(|i| mark_unknowns(i, r)),
        Kind::Map(entries) => entries
            .iter_mut()
            .for_each(|e| mark_unknowns(&mut e.value, r)),
        _ => {}
    }
}

/// Move every position of a parsed document down `lines` lines and right `columns`.
fn shift(node: &mut Node, lines: u32, columns: u32) {
    let mv = |span: &mut Span| {
        span.start.line += lines;
        span.end.line += lines;
        span.start.column += columns;
        span.end.column += columns;
    };
    mv(&mut node.span);
    match &mut node.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|i| shift(i, lines, columns)),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| {
            mv(&mut e.key_span);
            shift(&mut e.value, lines, columns);
        }),
        _ => {}
    }
}

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

fn element(collection: &Node, index: &Node) -> Option<Node> {
    match &collection.kind {
        Kind::Seq(items) => {
            let i: usize = scalar(index)?.parse().ok()?;
            items.get(i).cloned()
        }
        Kind::Map(_) => collection.get(&scalar(index)?).cloned(),
        _ => None,
    }
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
