//! The sections of a CloudFormation template, found in the parsed tree.

use crate::node::{Kind, Node};

/// One entry of `Resources`.
pub struct RawResource<'a> {
    pub id: &'a str,
    pub node: &'a Node,
    pub key_span: &'a sheepdog_diagnostics::Span,
    pub kind: Option<&'a str>,
    pub properties: Option<&'a Node>,
    pub condition: Option<&'a str>,
}

/// A template's top-level sections, borrowed from the parsed tree.
pub struct Template<'a> {
    pub root: &'a Node,
    pub parameters: Option<&'a Node>,
    pub mappings: Option<&'a Node>,
    pub conditions: Option<&'a Node>,
    pub globals: Option<&'a Node>,
    pub resources: Vec<RawResource<'a>>,
    pub is_sam: bool,
}

impl<'a> Template<'a> {
    pub fn new(root: &'a Node) -> Self {
        let resources = root
            .get("Resources")
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .map(|e| RawResource {
                id: &e.key,
                node: &e.value,
                key_span: &e.key_span,
                kind: e.value.get("Type").and_then(Node::as_str),
                properties: e.value.get("Properties"),
                condition: e.value.get("Condition").and_then(Node::as_str),
            })
            .collect();
        Self {
            root,
            parameters: root.get("Parameters"),
            mappings: root.get("Mappings"),
            conditions: root.get("Conditions"),
            globals: root.get("Globals"),
            resources,
            is_sam: is_sam(root),
        }
    }

    pub fn resource(&self, id: &str) -> Option<&RawResource<'a>> {
        self.resources.iter().find(|r| r.id == id)
    }
}

/// Whether the template uses the SAM transform (`Transform` names it, alone or in a list).
pub fn is_sam(root: &Node) -> bool {
    let Some(t) = root.get("Transform") else {
        return false;
    };
    let is_sam_name = |n: &Node| n.as_str().is_some_and(|s| s.starts_with("AWS::Serverless"));
    match &t.kind {
        Kind::Seq(items) => items.iter().any(is_sam_name),
        _ => is_sam_name(t),
    }
}

/// Whether a parsed document is a CloudFormation/SAM template: it has
/// `AWSTemplateFormatVersion`, the SAM transform, or a `Resources` map whose entries have
/// `AWS::`/`Custom::` types.
pub fn looks_like_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() || is_sam(root) {
        return true;
    }
    root.get("Resources")
        .and_then(Node::as_map)
        .is_some_and(|rs| {
            !rs.is_empty()
                && rs.iter().any(|r| {
                    r.value
                        .get("Type")
                        .and_then(Node::as_str)
                        .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
                })
        })
}
