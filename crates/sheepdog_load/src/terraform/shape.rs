//! Building CloudFormation-shaped property trees from evaluated Terraform blocks, so the
//! CloudFormation resource mappers read Terraform too (one mapping per resource type, not
//! two). Values keep their `.tf` spans.

use sheepdog_diagnostics::Span;

use crate::node::{Entry, Kind, Node};

/// A mapping under construction.
pub struct Props {
    span: Span,
    entries: Vec<(String, Span, Slot)>,
}

enum Slot {
    Value(Node),
    Map(Props),
}

impl Props {
    pub fn new(span: Span) -> Self {
        Self {
            span,
            entries: Vec::new(),
        }
    }

    /// `key: value` when the value is written (and not `null`, which Terraform treats as
    /// not written).
    pub fn put(&mut self, key: &str, value: Option<&Node>) -> &mut Self {
        if let Some(v) = value.filter(|v| !matches!(v.kind, Kind::Null)) {
            self.entries
                .push((key.to_owned(), v.span.clone(), Slot::Value(v.clone())));
        }
        self
    }

    pub fn put_node(&mut self, key: &str, value: Option<Node>) -> &mut Self {
        if let Some(v) = value.filter(|v| !matches!(v.kind, Kind::Null)) {
            self.entries
                .push((key.to_owned(), v.span.clone(), Slot::Value(v)));
        }
        self
    }

    pub fn put_or(&mut self, key: &str, value: Option<&Node>, default: Node) -> &mut Self {
        match value.filter(|v| !matches!(v.kind, Kind::Null)) {
            Some(v) => self.put(key, Some(v)),
            None => self.put_node(key, Some(default)),
        }
    }

    /// Add `items` (a list or one value) to the list under `key`.
    pub fn append(&mut self, key: &str, items: &Node) -> &mut Self {
        let more: Vec<Node> = match &items.kind {
            Kind::Seq(i) => i.clone(),
            _ => vec![items.clone()],
        };
        if let Some((
            _,
            _,
            Slot::Value(Node {
                kind: Kind::Seq(list),
                ..
            }),
        )) = self.entries.iter_mut().find(|(k, _, _)| k == key)
        {
            list.extend(more);
        } else {
            self.entries.push((
                key.to_owned(),
                items.span.clone(),
                Slot::Value(Node::new(Kind::Seq(more), items.span.clone())),
            ));
        }
        self
    }

    /// The mapping under `key`, created at `span` if it is not there yet.
    pub fn nested(&mut self, key: &str, span: Span) -> &mut Props {
        let at = if let Some(i) = self
            .entries
            .iter()
            .position(|(k, _, s)| k == key && matches!(s, Slot::Map(_)))
        {
            i
        } else {
            self.entries
                .push((key.to_owned(), span.clone(), Slot::Map(Props::new(span))));
            self.entries.len() - 1
        };
        match &mut self.entries[at].2 {
            Slot::Map(p) => p,
            Slot::Value(_) => unreachable!("position() found a map"),
        }
    }

    pub fn finish(self) -> Node {
        let entries = self
            .entries
            .into_iter()
            .map(|(key, key_span, slot)| Entry {
                key,
                key_span,
                value: match slot {
                    Slot::Value(v) => v,
                    Slot::Map(p) => p.finish(),
                },
            })
            .collect();
        Node::new(Kind::Map(entries), self.span)
    }
}

/// The blocks of one type in an evaluated body (blocks are always lists there).
pub fn block_list<'n>(tf: &'n Node, name: &str) -> &'n [Node] {
    tf.get(name).and_then(Node::as_seq).unwrap_or_default()
}

/// The first block of one type (for blocks Terraform allows once).
pub fn block<'n>(tf: &'n Node, name: &str) -> Option<&'n Node> {
    match tf.get(name).map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items.first(),
        // An object written as an attribute (`environment = {...}` in JSON syntax).
        Some(Kind::Map(_) | Kind::Unknown(_)) => tf.get(name),
        _ => None,
    }
}

/// A value at a path of blocks and attributes (`["tracing_config", "mode"]`).
pub fn at<'n>(tf: &'n Node, path: &[&str]) -> Option<&'n Node> {
    let (last, blocks) = path.split_last()?;
    let mut node = tf;
    for b in blocks {
        node = block(node, b)?;
    }
    node.get(last)
}

/// A value of another type put where a string is expected, for properties whose
/// CloudFormation form is a string made of Terraform parts.
pub fn text(value: &str, span: &Span) -> Node {
    Node::new(Kind::Str(value.to_owned()), span.clone())
}

/// A reference to resource `id` as a whole (what a function's role or a trigger's target
/// is when sheepdog writes the link itself), at `at`.
pub fn reference(id: &str, at: &Span) -> Node {
    Node::new(
        Kind::Unknown(sheepdog_diagnostics::Unknown::new(
            id,
            sheepdog_diagnostics::UnknownReason::Resource {
                id: id.to_owned(),
                attr: None,
            },
        )),
        at.clone(),
    )
}
