//! Terraform's JSON syntax (`.tf.json`, what CDK for Terraform writes) as native syntax:
//! the document is rewritten into the HCL it stands for, with a table from each written
//! token back to its position in the JSON file, so the rest of the loader reads one syntax
//! and findings still point into the `.tf.json` file.
//!
//! Without the provider's schema a key cannot be told to be an argument or a nested block;
//! objects and arrays of objects are written as argument values (`environment = {...}`),
//! which the translation reads as blocks as well (`shape::block`, `shape::block_list`).
//! Strings are templates, as in JSON syntax (`"${var.x}"`). `"//"` keys are comments.

use std::fmt::Write as _;
use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, Pos, Span};

use crate::node::{Kind, Node};

/// The native-syntax text of a JSON-syntax file, and where each written token comes from.
pub struct Converted {
    pub text: String,
    /// `(byte offset in text, position in the JSON file)`, by offset.
    pub origins: Vec<(usize, Pos)>,
}

/// Rewrite `json` (the file `file`) into native syntax.
pub fn convert(file: &Arc<str>, json: &str) -> Result<Converted, Diagnostic> {
    let parsed = crate::json::parse(file, json).map_err(|e| {
        Diagnostic::error(
            "SD001",
            format!("invalid JSON: {}", e.message),
            Span::point(file.clone(), e.pos),
        )
    })?;
    let root = parsed.root.unwrap_or_else(|| {
        Node::new(
            Kind::Map(Vec::new()),
            Span::point(file.clone(), Pos::new(1, 1)),
        )
    });
    let mut w = Writer {
        text: String::new(),
        origins: Vec::new(),
    };
    for top in root.as_map().unwrap_or_default() {
        match top.key.as_str() {
            "resource" | "data" => {
                for kind in entries(&top.value) {
                    for name in entries(&kind.value) {
                        w.block(
                            &top.key,
                            &[&kind.key, &name.key],
                            &name.key_span,
                            &name.value,
                        );
                    }
                }
            }
            "variable" | "module" | "output" => {
                for name in entries(&top.value) {
                    w.block(&top.key, &[&name.key], &name.key_span, &name.value);
                }
            }
            "locals" => {
                // One object, or a list of them.
                for locals in objects(&top.value) {
                    w.block("locals", &[], &top.key_span, locals);
                }
            }
            _ => {}
        }
    }
    Ok(Converted {
        text: w.text,
        origins: w.origins,
    })
}

/// The entries of an object (or of each object of a list of them), `"//"` comments left out.
fn entries(node: &Node) -> Vec<&crate::node::Entry> {
    objects(node)
        .into_iter()
        .flat_map(|o| o.as_map().unwrap_or_default())
        .filter(|e| e.key != "//")
        .collect()
}

fn objects(node: &Node) -> Vec<&Node> {
    match &node.kind {
        Kind::Map(_) => vec![node],
        Kind::Seq(items) => items.iter().filter(|i| i.as_map().is_some()).collect(),
        _ => Vec::new(),
    }
}

struct Writer {
    text: String,
    origins: Vec<(usize, Pos)>,
}

impl Writer {
    fn mark(&mut self, at: Pos) {
        self.origins.push((self.text.len(), at));
    }

    fn block(&mut self, ident: &str, labels: &[&str], at: &Span, body: &Node) {
        self.mark(at.start);
        self.text.push_str(ident);
        for label in labels {
            self.text.push(' ');
            self.string(label);
        }
        self.text.push_str(" {\n");
        for body in objects(body) {
            for e in body.as_map().unwrap_or_default() {
                if e.key == "//" || !is_identifier(&e.key) {
                    continue;
                }
                self.mark(e.key_span.start);
                self.text.push_str(&e.key);
                self.text.push_str(" = ");
                self.value(&e.value);
                self.text.push('\n');
            }
        }
        self.text.push_str("}\n");
    }

    fn value(&mut self, node: &Node) {
        self.mark(node.span.start);
        match &node.kind {
            Kind::Null | Kind::Unknown(_) => self.text.push_str("null"),
            Kind::Bool(b) => self.text.push_str(if *b { "true" } else { "false" }),
            Kind::Number(n) => self.text.push_str(n),
            Kind::Str(s) => self.string(s),
            Kind::Seq(items) => {
                self.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.text.push_str(", ");
                    }
                    self.value(item);
                }
                self.text.push(']');
            }
            Kind::Map(entries) => {
                self.text.push_str("{\n");
                for e in entries.iter().filter(|e| e.key != "//") {
                    self.mark(e.key_span.start);
                    self.string(&e.key);
                    self.text.push_str(" = ");
                    self.value(&e.value);
                    self.text.push('\n');
                }
                self.text.push('}');
            }
        }
    }

    /// A quoted string; `${`/`%{` stay templates, as in JSON syntax.
    fn string(&mut self, s: &str) {
        self.text.push('"');
        for c in s.chars() {
            match c {
                '"' => self.text.push_str("\\\""),
                '\\' => self.text.push_str("\\\\"),
                '\n' => self.text.push_str("\\n"),
                '\r' => self.text.push_str("\\r"),
                '\t' => self.text.push_str("\\t"),
                c if c.is_control() => {
                    let _ = write!(self.text, "\\u{:04x}", u32::from(c));
                }
                c => self.text.push(c),
            }
        }
        self.text.push('"');
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The position in the JSON file of byte `offset` of the converted text: the token written
/// there, and as many columns further as the offset is past its start.
pub fn position(origins: &[(usize, Pos)], offset: usize) -> Pos {
    let i = origins.partition_point(|(o, _)| *o <= offset);
    match i.checked_sub(1).and_then(|i| origins.get(i)) {
        Some((start, pos)) => {
            let shift = crate::parse_error::to_u32(offset - start);
            Pos::new(pos.line, pos.column.saturating_add(shift))
        }
        None => Pos::new(1, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::{convert, position};

    #[test]
    fn json_syntax_becomes_native_syntax_with_its_positions() {
        let file: std::sync::Arc<str> = std::sync::Arc::from("main.tf.json");
        let json = "{\n  \"resource\": {\n    \"aws_lambda_function\": {\n      \"api\": {\n        \"runtime\": \"python3.8\",\n        \"environment\": {\"variables\": {\"STAGE\": \"${var.stage}\"}}\n      }\n    }\n  }\n}\n";
        let c = convert(&file, json).expect("converts");
        assert!(
            c.text
                .starts_with("resource \"aws_lambda_function\" \"api\" {\n"),
            "{}",
            c.text
        );
        assert!(c.text.contains("runtime = \"python3.8\""), "{}", c.text);
        assert!(
            c.text.contains("\"STAGE\" = \"${var.stage}\""),
            "{}",
            c.text
        );
        let at = c.text.find("\"python3.8\"").expect("value");
        let pos = position(&c.origins, at);
        assert_eq!((pos.line, pos.column), (5, 20));
        let body = hcl_edit::parser::parse_body(&c.text).expect("valid HCL");
        assert_eq!(body.blocks().count(), 1);
    }
}
