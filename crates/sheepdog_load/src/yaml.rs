//! YAML (CloudFormation/SAM dialect) into [`Node`]s, with positions on every node.
//!
//! Built on saphyr-parser's event stream rather than a tree loader so that sheepdog owns
//! the three defences a scanner of untrusted input needs: a nesting limit, an alias
//! expansion budget, and duplicate keys reported as diagnostics instead of aborting.

use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span as YSpan, Tag};
use sheepdog_diagnostics::{Diagnostic, Pos, Span};

use crate::node::{Entry, Kind, Node, long_form};
use crate::parse_error::{ALIAS_BUDGET, MAX_DEPTH, ParseError, duplicate_key, to_u32};

/// Mappings with at least this many keys get a hash index for duplicate detection.
const INDEX_KEYS_FROM: usize = 16;

pub struct Parsed {
    pub root: Option<Node>,
    /// Problems that leave the document usable (duplicate keys, unknown tags).
    pub diagnostics: Vec<Diagnostic>,
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Marker,
        anchor: usize,
        tag: Option<String>,
    },
    Map {
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
        start: Marker,
        anchor: usize,
        tag: Option<String>,
        /// Key → line, built once the map is big enough to need it.
        seen: Option<HashMap<String, u32>>,
    },
}

struct Builder<'t> {
    file: Arc<str>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    root: Option<Node>,
    diagnostics: Vec<Diagnostic>,
    documents: usize,
    /// The source and where its lines start (bytes), to find a quoted scalar's end.
    text: &'t str,
    line_starts: Vec<usize>,
    ascii: bool,
}

fn pos(m: &Marker) -> Pos {
    Pos::new(to_u32(m.line()), to_u32(m.col() + 1))
}

/// Parse YAML text. The first document is the template; later ones are ignored with a warning.
pub fn parse(file: &Arc<str>, text: &str) -> Result<Parsed, ParseError> {
    let mut b = Builder {
        file: file.clone(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
        diagnostics: Vec::new(),
        documents: 0,
        text,
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        ascii: text.is_ascii(),
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event
            .map_err(|e| ParseError::new(format!("invalid YAML: {}", e.info()), pos(e.marker())))?;
        if matches!(event, Event::StreamEnd) {
            break;
        }
        b.on_event(event, span)?;
    }
    Ok(Parsed {
        root: b.root,
        diagnostics: b.diagnostics,
    })
}

impl Builder<'_> {
    fn span(&self, s: &YSpan) -> Span {
        Span::new(self.file.clone(), pos(&s.start), pos(&s.end))
    }

    fn on_event(&mut self, event: Event<'_>, span: YSpan) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents == 2 {
                    self.diagnostics.push(Diagnostic::warning(
                        "SD006",
                        "more than one YAML document: only the first is scanned",
                        self.span(&span),
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = self.scalar(&value, style, tag.as_deref(), &span);
                self.finish(node, anchor, &span)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.push_frame(&span)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    start: span.start,
                    anchor,
                    tag: tag.map(|t| tag_name(&t)),
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.push_frame(&span)?;
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    start: span.start,
                    anchor,
                    tag: tag.map(|t| tag_name(&t)),
                    seen: None,
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    items,
                    start,
                    anchor,
                    tag,
                }) = self.stack.pop()
                {
                    let s = Span::new(self.file.clone(), pos(&start), self.collection_end(&span));
                    let node = self.apply_tag(Node::new(Kind::Seq(items), s), tag.as_deref());
                    self.finish(node, anchor, &span)?;
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    entries,
                    start,
                    anchor,
                    tag,
                    ..
                }) = self.stack.pop()
                {
                    let s = Span::new(self.file.clone(), pos(&start), self.collection_end(&span));
                    let node = self.apply_tag(Node::new(Kind::Map(entries), s), tag.as_deref());
                    self.finish(node, anchor, &span)?;
                }
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(ParseError::new(
                        "alias to an unknown anchor",
                        pos(&span.start),
                    ));
                };
                self.alias_nodes += size;
                if self.alias_nodes > ALIAS_BUDGET {
                    return Err(ParseError::new(
                        format!(
                            "YAML aliases expand to more than {ALIAS_BUDGET} nodes (possible alias bomb); refusing to expand"
                        ),
                        pos(&span.start),
                    ));
                }
                let node = node.clone();
                self.finish(node, 0, &span)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn push_frame(&self, span: &YSpan) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ParseError::new(
                format!("document nested deeper than {MAX_DEPTH} levels"),
                pos(&span.start),
            ));
        }
        Ok(())
    }

    /// Just past the closing quote of the quoted scalar whose event starts at `start` (at
    /// its opening quote, or at a tag or anchor before it), scanning the source; `None`
    /// when the source does not show it where expected.
    /// Where a collection ends: just after its closing `]`/`}` for a flow collection (the
    /// parser's end marker lies past trailing blanks and comments), the parser's end
    /// marker for a block collection.
    fn collection_end(&self, end_event: &YSpan) -> Pos {
        let at = &end_event.start;
        let closing = self
            .line_starts
            .get(at.line().saturating_sub(1))
            .and_then(|&from| self.text.get(from..))
            .and_then(|line| line.chars().nth(at.col()));
        match closing {
            Some(']' | '}') => Pos::new(to_u32(at.line()), to_u32(at.col() + 2)),
            _ => pos(&end_event.end),
        }
    }

    fn closing_quote(&self, start: &Marker, last_line: usize, double: bool) -> Option<Pos> {
        // Bounds the character scan to a column on a non-ASCII line (quadratic otherwise).
        const MAX_SCAN_COLUMN: usize = 4096;
        let line = self
            .text
            .get(*self.line_starts.get(start.line().checked_sub(1)?)?..)?;
        let from = if self.ascii {
            start.col()
        } else if start.col() <= MAX_SCAN_COLUMN {
            line.char_indices().nth(start.col())?.0
        } else {
            return None;
        };
        let rest = line.get(from..)?;
        let quote = if double { '"' } else { '\'' };
        // The opening quote is on the marker's line (after a tag or anchor, if any).
        let open = rest.find([quote, '\n'])?;
        if !rest[open..].starts_with(quote) {
            return None;
        }
        let mut line_no = start.line();
        let mut next = start.col() + rest[..open].chars().count() + 1;
        let mut chars = rest[open + 1..].chars();
        while let Some(c) = chars.next() {
            let here = next;
            next += 1;
            match c {
                // Never past the parser's end: each scalar costs its own length.
                '\n' if line_no >= last_line => return None,
                '\n' => {
                    line_no += 1;
                    next = 0;
                }
                '\\' if double => {
                    if chars.next()? == '\n' {
                        if line_no >= last_line {
                            return None;
                        }
                        line_no += 1;
                        next = 0;
                    } else {
                        next += 1;
                    }
                }
                '\'' if !double && chars.clone().next() == Some('\'') => {
                    chars.next();
                    next += 1;
                }
                c if c == quote => return Some(Pos::new(to_u32(line_no), to_u32(here + 2))),
                _ => {}
            }
        }
        None
    }

    fn scalar(&mut self, value: &str, style: ScalarStyle, tag: Option<&Tag>, span: &YSpan) -> Node {
        let mut s = self.span(span);
        // The parser's end marker for a plain scalar is exact, but for a quoted one it lies
        // past trailing blanks and comments: end it at the closing quote so frames underline
        // the value. (The start marker is at the tag or anchor when there is one, so the
        // end cannot be computed from the value's length.)
        if matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
            && let Some(end) = self.closing_quote(
                &span.start,
                span.end.line(),
                style == ScalarStyle::DoubleQuoted,
            )
            && end <= s.end
        {
            s.end = end;
        }
        let tag = tag.map(tag_name);
        let kind = match (style, tag.as_deref()) {
            (_, Some("!!str")) => Kind::Str(value.to_owned()),
            (ScalarStyle::Plain, _) => plain_scalar(value),
            _ => Kind::Str(value.to_owned()),
        };
        let node = Node::new(kind, s);
        self.apply_tag(node, tag.as_deref())
    }

    /// Turn a short-form CloudFormation tag into its long form.
    fn apply_tag(&mut self, node: Node, tag: Option<&str>) -> Node {
        let Some(tag) = tag else { return node };
        if tag.starts_with("!!") {
            return node;
        }
        let suffix = tag.trim_start_matches('!');
        let Some(key) = long_form(suffix) else {
            self.diagnostics.push(Diagnostic::warning(
                "SD007",
                format!("unknown tag `{tag}` (not a CloudFormation intrinsic function); its value is used as is"),
                node.span.clone(),
            ));
            return node;
        };
        let span = node.span.clone();
        let arg = if key == "Fn::GetAtt" {
            match &node.kind {
                // `!GetAtt Resource.Attribute.With.Dots`: split at the first dot only.
                Kind::Str(s) => match s.split_once('.') {
                    Some((res, attr)) => Node::new(
                        Kind::Seq(vec![
                            Node::new(Kind::Str(res.to_owned()), span.clone()),
                            Node::new(Kind::Str(attr.to_owned()), span.clone()),
                        ]),
                        span.clone(),
                    ),
                    None => node,
                },
                _ => node,
            }
        } else {
            node
        };
        Node::new(
            Kind::Map(vec![Entry {
                key: key.to_owned(),
                key_span: span.clone(),
                value: arg,
            }]),
            span,
        )
    }

    fn finish(&mut self, node: Node, anchor: usize, span: &YSpan) -> Result<(), ParseError> {
        if anchor != 0 {
            let size = node.size();
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                None => {
                    let Node {
                        kind,
                        span: key_span,
                    } = node;
                    let name = match kind {
                        Kind::Str(s) | Kind::Number(s) => s,
                        Kind::Bool(b) => b.to_string(),
                        Kind::Null => String::new(),
                        _ => {
                            return Err(ParseError::new(
                                "mapping keys must be plain scalars",
                                pos(&span.start),
                            ));
                        }
                    };
                    // Small maps (nearly all of a template) are scanned; big ones get an index.
                    let first = match seen {
                        Some(index) => index.get(&name).copied(),
                        None => entries
                            .iter()
                            .find(|e| e.key == name)
                            .map(|e| e.key_span.start.line),
                    };
                    if let Some(first) = first {
                        self.diagnostics
                            .push(duplicate_key(&name, first, key_span.clone()));
                        entries.retain(|e| e.key != name);
                    }
                    *key = Some((name, key_span));
                }
                Some((name, key_span)) => {
                    if let Some(index) = seen {
                        index.insert(name.clone(), key_span.start.line);
                    }
                    entries.push(Entry {
                        key: name,
                        key_span,
                        value: node,
                    });
                    if seen.is_none() && entries.len() >= INDEX_KEYS_FROM {
                        *seen = Some(
                            entries
                                .iter()
                                .map(|e| (e.key.clone(), e.key_span.start.line))
                                .collect(),
                        );
                    }
                }
            },
        }
        Ok(())
    }
}

fn tag_name(tag: &Tag) -> String {
    if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn plain_scalar(value: &str) -> Kind {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        v if is_number(v) => Kind::Number(v.to_owned()),
        v => Kind::Str(v.to_owned()),
    }
}

fn is_number(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    if digits.is_empty() {
        return false;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    if let Some(hex) = digits.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut seen_exp = false;
    let bytes = digits.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => seen_digit = true,
            b'.' if !seen_dot && !seen_exp => seen_dot = true,
            b'e' | b'E' if seen_digit && !seen_exp => {
                seen_exp = true;
                seen_digit = false;
                if matches!(bytes.get(i + 1), Some(b'+' | b'-')) {
                    i += 1;
                }
            }
            _ => return false,
        }
        i += 1;
    }
    seen_digit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Parsed {
        match parse(&Arc::from("t.yaml"), text) {
            Ok(p) => p,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn short_forms_become_long_forms() {
        let p = parse_ok("A: !GetAtt Role.Arn\nB: !Ref X\nC: !Sub 'x-${Y}'\n");
        let root = p.root.expect("root");
        let (name, arg) = root.get("A").and_then(Node::intrinsic).expect("A");
        assert_eq!(name, "Fn::GetAtt");
        assert_eq!(arg.as_seq().map(<[Node]>::len), Some(2));
        assert_eq!(
            root.get("B").and_then(Node::intrinsic).map(|i| i.0),
            Some("Ref")
        );
        assert_eq!(
            root.get("C").and_then(Node::intrinsic).map(|i| i.0),
            Some("Fn::Sub")
        );
    }

    #[test]
    fn positions_are_one_based() {
        let p = parse_ok("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n");
        let root = p.root.expect("root");
        let ty = root
            .get("Resources")
            .and_then(|r| r.get("Fn"))
            .and_then(|f| f.get("Type"))
            .expect("type");
        assert_eq!((ty.span.start.line, ty.span.start.column), (3, 11));
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let p = parse_ok("a: 1\nb: 2\na: 3\n");
        assert_eq!(p.diagnostics.len(), 1);
        assert!(p.diagnostics[0].message.contains("duplicate key `a`"));
        assert_eq!(
            p.root
                .expect("root")
                .get("a")
                .and_then(Node::as_scalar)
                .as_deref(),
            Some("3")
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut lines = vec!["a0: &a0 [x, x, x, x, x, x, x, x, x, x]".to_owned()];
        for i in 1..12 {
            let prev = i - 1;
            let refs = vec![format!("*a{prev}"); 10].join(", ");
            lines.push(format!("a{i}: &a{i} [{refs}]"));
        }
        let text = lines.join("\n");
        let err = parse(&Arc::from("t.yaml"), &text).err().expect("error");
        assert!(err.message.contains("alias"), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&Arc::from("t.yaml"), &text).err().expect("error");
        // saphyr-parser's own recursion limit (or ours) stops it, with a position.
        assert!(
            err.message.contains("nested deeper") || err.message.contains("recursion limit"),
            "{err:?}"
        );
        assert_eq!(err.pos.line, 1);
    }

    #[test]
    fn scalars_resolve_like_yaml_core() {
        let p = parse_ok("a: true\nb: '5'\nc: 5\nd: ~\ne: 1.5e3\nf: python3.12\n");
        let root = p.root.expect("root");
        assert!(matches!(
            root.get("a").map(|n| &n.kind),
            Some(Kind::Bool(true))
        ));
        assert!(matches!(root.get("b").map(|n| &n.kind), Some(Kind::Str(_))));
        assert!(matches!(
            root.get("c").map(|n| &n.kind),
            Some(Kind::Number(_))
        ));
        assert!(matches!(root.get("d").map(|n| &n.kind), Some(Kind::Null)));
        assert!(matches!(
            root.get("e").map(|n| &n.kind),
            Some(Kind::Number(_))
        ));
        assert!(matches!(root.get("f").map(|n| &n.kind), Some(Kind::Str(_))));
    }
}
