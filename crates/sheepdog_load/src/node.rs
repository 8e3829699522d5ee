//! The format-independent document tree both the YAML and the JSON parser produce.
//!
//! CloudFormation's short-form tags are normalized into their long form while parsing
//! (`!GetAtt A.B` becomes `{"Fn::GetAtt": ["A", "B"]}`), so everything after parsing sees
//! one spelling. After resolution (`cfn::resolve`) a node may be [`Kind::Unknown`].

use sheepdog_diagnostics::{Span, Unknown};

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Null,
    Bool(bool),
    /// A number, kept as written so `0.10` and `010` survive.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// A value resolution could not decide (only after `cfn::resolve`).
    Unknown(Unknown),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn new(kind: Kind, span: Span) -> Self {
        Self { kind, span }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The string value of a scalar (numbers and booleans as written), if it is one.
    pub fn as_scalar(&self) -> Option<String> {
        match &self.kind {
            Kind::Str(s) | Kind::Number(s) => Some(s.clone()),
            Kind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// If this is a one-key mapping whose key is an intrinsic function (`Ref`, `Fn::*`,
    /// `Condition`), that key and its argument.
    pub fn intrinsic(&self) -> Option<(&str, &Node)> {
        match self.as_map()? {
            [only] if is_intrinsic_name(&only.key) => Some((only.key.as_str(), &only.value)),
            _ => None,
        }
    }

    /// Put this subtree at `span`: a document parsed out of a string (a JSON policy written
    /// as a string, `jsondecode`) is where that string is, since positions inside the string
    /// would be relative to it.
    pub fn relocate(&mut self, span: &Span) {
        self.span = span.clone();
        match &mut self.kind {
            Kind::Seq(items) => items.iter_mut().for_each(|i| i.relocate(span)),
            Kind::Map(entries) => entries.iter_mut().for_each(|e| {
                e.key_span = span.clone();
                e.value.relocate(span);
            }),
            _ => {}
        }
    }

    /// Counts nodes in this subtree (for the alias-expansion budget).
    pub fn size(&self) -> usize {
        let mut count = 0;
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            count += 1;
            match &n.kind {
                Kind::Seq(items) => stack.extend(items.iter()),
                Kind::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
                _ => {}
            }
        }
        count
    }
}

pub fn is_intrinsic_name(key: &str) -> bool {
    key == "Ref" || key == "Condition" || key.starts_with("Fn::")
}

/// Map a short-form tag suffix (`GetAtt` of `!GetAtt`) to its long-form key.
pub fn long_form(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "GetAtt" => "Fn::GetAtt",
        "Join" => "Fn::Join",
        "If" => "Fn::If",
        "Select" => "Fn::Select",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Split" => "Fn::Split",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "Equals" => "Fn::Equals",
        "Transform" => "Fn::Transform",
        "Length" => "Fn::Length",
        "ToJsonString" => "Fn::ToJsonString",
        "ForEach" => "Fn::ForEach",
        _ => return None,
    })
}
