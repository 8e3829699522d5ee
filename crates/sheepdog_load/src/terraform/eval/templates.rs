//! Strings: templates, heredocs (a heredoc holding JSON is parsed, each element at its
//! line), and the markers that keep an undecidable part of a JSON string unknown.

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::{Directive, Element, HeredocTemplate, Template};
use sheepdog_diagnostics::{Span, Unknown, UnknownReason};

use super::references::instance_suffix;
use super::values::{collect_refs, pairs, respan, scalar, to_json};
use super::{Evaluator, MAX_ITEMS, Scope};
use crate::node::{Kind, Node};

/// Deepest nesting of `%{if}`/`%{for}` directives rendered.
const MAX_DIRECTIVE_DEPTH: usize = 32;

/// Most template elements one rendering goes through (nested `%{for}`s multiply).
const MAX_STEPS: usize = 100_000;

impl Evaluator<'_> {
    /// A heredoc holding a JSON document (a policy), parsed with each element at its own
    /// line of the `.tf` file; any other heredoc is the string it is. Parts that cannot be
    /// decided make only the JSON strings they are in unknown (`"Resource":
    /// "arn:aws:s3:::${var.bucket}/*"`), not the whole document.
    pub(super) fn heredoc(&mut self, h: &HeredocTemplate, e: &Expression, sc: &Scope) -> Node {
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
    pub(super) fn render(&mut self, t: &Template, sc: &Scope) -> Rendered {
        let source = self.source(sc);
        let mut r = Rendered::default();
        self.render_into(
            t,
            sc,
            &|e| source.snippet(hcl_edit::Span::span(e)),
            &mut r,
            0,
        );
        r
    }

    /// Render template `t` into `r`: literals, interpolations, and `%{if}`/`%{for}`
    /// directives when their condition or collection is known. `written` gives the text of
    /// an expression as written (of a `.tf` file, or of a template file).
    pub(in crate::terraform) fn render_into(
        &mut self,
        t: &Template,
        sc: &Scope,
        written: &dyn Fn(&Expression) -> String,
        r: &mut Rendered,
        depth: usize,
    ) {
        if depth > MAX_DIRECTIVE_DEPTH {
            r.directive = true;
            return;
        }
        for element in t {
            r.steps += 1;
            if r.steps > MAX_STEPS {
                r.directive = true;
                return;
            }
            match element {
                Element::Literal(s) => {
                    r.text.push_str(s.value());
                    r.shown.push_str(s.value());
                }
                Element::Interpolation(i) => self.interpolate(&i.expr, sc, written, r),
                Element::Directive(d) => match &**d {
                    Directive::If(d) => {
                        let cond = self.eval(&d.if_expr.cond_expr, sc);
                        match cond.kind {
                            Kind::Bool(true) => {
                                self.render_into(&d.if_expr.template, sc, written, r, depth + 1);
                            }
                            Kind::Bool(false) => {
                                if let Some(e) = &d.else_expr {
                                    self.render_into(&e.template, sc, written, r, depth + 1);
                                }
                            }
                            _ => {
                                r.directive = true;
                                r.shown.push_str("%{if ...}");
                            }
                        }
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let collection = self.eval(&f.collection_expr, sc);
                        let Some(items) = pairs(&collection).filter(|i| i.len() <= MAX_ITEMS)
                        else {
                            r.directive = true;
                            r.shown.push_str("%{for ...}");
                            continue;
                        };
                        for (key, value) in items {
                            let mut inner = sc.clone();
                            if let Some(k) = &f.key_var {
                                inner.names.push((k.as_str().to_owned(), key));
                            }
                            inner.names.push((f.value_var.as_str().to_owned(), value));
                            self.render_into(&f.template, &inner, written, r, depth + 1);
                        }
                    }
                },
            }
        }
    }

    /// One `${...}` of a template, into `r`.
    fn interpolate(
        &mut self,
        e: &Expression,
        sc: &Scope,
        written: &dyn Fn(&Expression) -> String,
        r: &mut Rendered,
    ) {
        let value = self.eval(e, sc);
        // A resource named here is one the value depends on, even when the attribute used
        // is known (`${aws_api_gateway_stage.prod.stage_name}`).
        if let Some(id) = self.mentioned_resource(e, sc)
            && !r.refs.contains(&id)
        {
            r.refs.push(id);
        }
        // A list or object in a string is `jsonencode`'s (anything else is an error to
        // Terraform): its JSON text.
        let text = scalar(&value).or_else(|| {
            matches!(value.kind, Kind::Seq(_) | Kind::Map(_))
                .then(|| to_json(&value))
                .flatten()
        });
        match (&value.kind, text) {
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
                // A resource attribute is shown by its full address (inside a module too),
                // which is how the model recognises `${aws_iam_access_key.k.secret}`.
                let shown = match kind {
                    Kind::Unknown(Unknown {
                        reason:
                            UnknownReason::Resource {
                                id,
                                attr: Some(attr),
                            },
                        ..
                    }) => format!("${{{id}.{attr}}}"),
                    _ => format!("${{{}}}", written(e).trim()),
                };
                let marker = r.marker();
                r.text.push_str(&marker);
                r.shown.push_str(&shown);
                r.unknowns.push((marker, shown));
            }
        }
    }

    pub(super) fn template(&mut self, t: &Template, e: &Expression, sc: &Scope) -> Node {
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
    pub(super) fn mentioned_resource(&mut self, e: &Expression, sc: &Scope) -> Option<String> {
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
}

/// A rendered template (see [`Evaluator::render`]; also `templatefile`'s).
#[derive(Default)]
pub(in crate::terraform) struct Rendered {
    /// The text, each undecidable part replaced by a marker.
    pub(in crate::terraform) text: String,
    /// The text as messages show it: undecidable parts as written (`${var.x}`).
    pub(in crate::terraform) shown: String,
    pub(in crate::terraform) refs: Vec<String>,
    /// Each marker and the part it stands for.
    pub(in crate::terraform) unknowns: Vec<(String, String)>,
    /// A `%{if}`/`%{for}` directive that could not be evaluated.
    pub(in crate::terraform) directive: bool,
    /// Template elements gone through (bounded by `MAX_STEPS`).
    pub(in crate::terraform) steps: usize,
}

impl Rendered {
    /// The marker that stands for the next undecidable part in `text`.
    pub(in crate::terraform) fn marker(&self) -> String {
        format!("\u{e000}{}\u{e001}", self.unknowns.len())
    }

    pub(in crate::terraform) fn finish(self, span: Span) -> Node {
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
pub(in crate::terraform) fn mark_unknowns(node: &mut Node, r: &Rendered) {
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
