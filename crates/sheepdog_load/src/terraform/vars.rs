//! Values of the root module's input variables, in Terraform's order of precedence (later
//! wins): `terraform.tfvars`, `*.auto.tfvars` in name order, `-var-file` files, `-var`
//! flags. Values are literals (Terraform allows no references there).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use sheepdog_diagnostics::{Diagnostic, Pos, Span, Unknown, UnknownReason};

use super::source::{SourceFile, parse_file, parse_text};
use crate::node::{Entry, Kind, Node};

/// Variable values given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `-var-file` paths.
    pub var_files: Vec<PathBuf>,
    /// `-var name=value` pairs.
    pub vars: Vec<(String, String)>,
}

impl Inputs {
    /// The values for the root module in `dir`; the files read are added to `sources`.
    pub fn values(
        &self,
        dir: &Path,
        sources: &mut Vec<(Arc<str>, Arc<str>)>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<(String, Node)> {
        let mut files: Vec<PathBuf> = Vec::new();
        let tfvars = dir.join("terraform.tfvars");
        if tfvars.is_file() {
            files.push(tfvars);
        }
        let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().ends_with(".auto.tfvars"))
                    .collect()
            })
            .unwrap_or_default();
        auto.sort();
        files.extend(auto);
        files.extend(self.var_files.iter().cloned());
        let mut values: Vec<(String, Node)> = Vec::new();
        let mut set = |name: String, value: Node| {
            values.retain(|(n, _)| *n != name);
            values.push((name, value));
        };
        for path in files {
            match parse_file(&path) {
                Ok(file) => {
                    for attr in file.body.attributes() {
                        set(attr.key.as_str().to_owned(), literal(&attr.value, &file));
                    }
                    sources.push((file.path.clone(), file.text.clone()));
                }
                Err(d) => diagnostics.push(d),
            }
        }
        let flag: Arc<str> = Arc::from("-var");
        for (name, raw) in &self.vars {
            // A list or map is written in HCL syntax; anything else is a string.
            let parsed = parse_text(&flag, format!("v = {raw}").as_bytes())
                .ok()
                .and_then(|f| {
                    let attr = f.body.attributes().next()?;
                    matches!(attr.value, Expression::Array(_) | Expression::Object(_))
                        .then(|| literal(&attr.value, &f))
                });
            let value = parsed.unwrap_or_else(|| {
                Node::new(
                    Kind::Str(raw.clone()),
                    Span::point(flag.clone(), Pos::new(1, 1)),
                )
            });
            set(name.clone(), value);
        }
        values
    }
}

/// A literal expression of a `.tfvars` file.
fn literal(e: &Expression, file: &SourceFile) -> Node {
    let span = file.span(e.span());
    let kind = match e {
        Expression::Null(_) => Kind::Null,
        Expression::Bool(b) => Kind::Bool(*b.value()),
        Expression::Number(n) => Kind::Number(n.value().to_string()),
        Expression::String(s) => Kind::Str(s.value().clone()),
        Expression::Parenthesis(p) => return literal(p.inner(), file),
        Expression::Array(items) => Kind::Seq(items.iter().map(|i| literal(i, file)).collect()),
        Expression::Object(object) => Kind::Map(
            object
                .iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_owned(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                        ObjectKey::Expression(_) => return None,
                    };
                    Some(Entry {
                        key,
                        key_span: file.span(k.span()),
                        value: literal(v.expr(), file),
                    })
                })
                .collect(),
        ),
        _ => Kind::Unknown(Unknown::new(
            file.snippet(e.span()),
            UnknownReason::Unsupported,
        )),
    };
    Node::new(kind, span)
}
