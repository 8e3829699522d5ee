//! JSON into [`Node`]s with positions. CloudFormation JSON templates are common (CDK writes
//! them); a small hand-written parser gives exact positions, tolerates the tab indentation
//! YAML parsers reject, and bounds nesting.

use std::collections::HashMap;
use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, Pos, Span};

use crate::node::{Entry, Kind, Node};
use crate::parse_error::{MAX_DEPTH, ParseError, duplicate_key, to_u32};
use crate::yaml::Parsed;

struct Cursor<'a> {
    file: Arc<str>,
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    line: usize,
    /// Byte offset where the current line starts (columns are counted in characters).
    line_start: usize,
    diagnostics: Vec<Diagnostic>,
}

pub fn parse(file: &Arc<str>, text: &str) -> Result<Parsed, ParseError> {
    let mut c = Cursor {
        file: file.clone(),
        text,
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        diagnostics: Vec::new(),
    };
    c.skip_ws();
    if c.i < c.bytes.len() && c.bytes[c.i] == 0xEF {
        // UTF-8 byte-order mark.
        c.i += 3;
        c.skip_ws();
    }
    let root = c.value(0)?;
    c.skip_ws();
    if c.i < c.bytes.len() {
        return Err(c.error("unexpected text after the JSON document"));
    }
    Ok(Parsed {
        root: Some(root),
        diagnostics: c.diagnostics,
    })
}

impl Cursor<'_> {
    fn pos(&self) -> Pos {
        // An error may be found inside a character (`\` followed by a multi-byte one):
        // count up to the character's start.
        let mut end = self.i.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self
            .text
            .get(self.line_start..end)
            .map_or(0, |s| s.chars().count())
            + 1;
        Pos::new(to_u32(self.line), to_u32(col))
    }

    fn error(&self, message: &str) -> ParseError {
        ParseError::new(format!("invalid JSON: {message}"), self.pos())
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    fn span_from(&self, start: Pos) -> Span {
        Span::new(self.file.clone(), start, self.pos())
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(ParseError::new(
                format!("document nested deeper than {MAX_DEPTH} levels"),
                self.pos(),
            ));
        }
        self.skip_ws();
        let start = self.pos();
        match self.bytes.get(self.i) {
            None => Err(self.error("unexpected end of file")),
            Some(b'{') => self.object(depth, start),
            Some(b'[') => self.array(depth, start),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::new(Kind::Str(s), self.span_from(start)))
            }
            Some(b't') => self.literal("true", Kind::Bool(true), start),
            Some(b'f') => self.literal("false", Kind::Bool(false), start),
            Some(b'n') => self.literal("null", Kind::Null, start),
            Some(b'-' | b'0'..=b'9') => {
                let from = self.i;
                while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') =
                    self.bytes.get(self.i)
                {
                    self.i += 1;
                }
                let n = &self.text[from..self.i];
                if n.parse::<f64>().is_err() {
                    return Err(ParseError::new(
                        format!("invalid JSON: bad number `{n}`"),
                        start,
                    ));
                }
                Ok(Node::new(Kind::Number(n.to_owned()), self.span_from(start)))
            }
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn literal(&mut self, word: &str, kind: Kind, start: Pos) -> Result<Node, ParseError> {
        if self.text[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(Node::new(kind, self.span_from(start)))
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn object(&mut self, depth: usize, start: Pos) -> Result<Node, ParseError> {
        self.i += 1;
        let mut entries: Vec<Entry> = Vec::new();
        let mut seen: HashMap<String, u32> = HashMap::new();
        self.skip_ws();
        if self.bytes.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Node::new(Kind::Map(entries), self.span_from(start)));
        }
        loop {
            self.skip_ws();
            let key_start = self.pos();
            if self.bytes.get(self.i) != Some(&b'"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            let key_span = self.span_from(key_start);
            self.skip_ws();
            if self.bytes.get(self.i) != Some(&b':') {
                return Err(self.error("expected `:` after the key"));
            }
            self.i += 1;
            let value = self.value(depth + 1)?;
            if let Some(first) = seen.get(&key) {
                self.diagnostics
                    .push(duplicate_key(&key, *first, key_span.clone()));
                entries.retain(|e| e.key != key);
            } else {
                seen.insert(key.clone(), key_span.start.line);
            }
            entries.push(Entry {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.bytes.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Node::new(Kind::Map(entries), self.span_from(start)));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize, start: Pos) -> Result<Node, ParseError> {
        self.i += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Node::new(Kind::Seq(items), self.span_from(start)));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Node::new(Kind::Seq(items), self.span_from(start)));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(&b) = self.bytes.get(self.i) else {
                return Err(self.error("unterminated string"));
            };
            match b {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&esc) = self.bytes.get(self.i) else {
                        return Err(self.error("unterminated string"));
                    };
                    self.i += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(self.error("invalid escape in string")),
                    }
                }
                b'\n' => return Err(self.error("newline inside a string")),
                _ => {
                    // Copy one whole UTF-8 character.
                    let ch_len = self.text[self.i..].chars().next().map_or(1, char::len_utf8);
                    out.push_str(&self.text[self.i..self.i + ch_len]);
                    self.i += ch_len;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self
            .text
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.error("bad \\u escape"))?;
        let v = u32::from_str_radix(digits, 16).map_err(|_| self.error("bad \\u escape"))?;
        self.i += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) && self.text[self.i..].starts_with("\\u") {
            self.i += 2;
            let lo = self.hex4()?;
            0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
        } else {
            hi
        };
        Ok(char::from_u32(code).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_tabs() {
        let text =
            "{\n\t\"Resources\": {\n\t\t\"Fn\": {\"Type\": \"AWS::Lambda::Function\"}\n\t}\n}\n";
        let p = parse(&Arc::from("t.json"), text).expect("parse");
        let root = p.root.expect("root");
        let ty = root
            .get("Resources")
            .and_then(|r| r.get("Fn"))
            .and_then(|f| f.get("Type"))
            .expect("type");
        assert_eq!((ty.span.start.line, ty.span.start.column), (3, 18));
        assert_eq!(ty.as_str(), Some("AWS::Lambda::Function"));
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(&Arc::from("t.json"), "{\n  \"a\": [1, 2,,]\n}")
            .err()
            .expect("error");
        assert_eq!((err.pos.line, err.pos.column), (2, 14));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&Arc::from("t.json"), &text).err().expect("error");
        assert!(err.message.contains("nested deeper"));
    }

    #[test]
    fn escapes() {
        let p = parse(&Arc::from("t.json"), r#"{"a": "x\u00e9\"\n\ud83d\ude00"}"#).expect("parse");
        assert_eq!(
            p.root.expect("root").get("a").and_then(Node::as_str),
            Some("xé\"\n😀")
        );
    }
}
