//! SAM `Globals`: merged into each serverless resource before anything else looks at it,
//! the way SAM does it — resource values win, maps merge, lists are concatenated
//! (globals first). Peers that skip this miss Globals-level settings or flag them twice.

use crate::node::{Entry, Kind, Node};

/// Merge `global` (a section of `Globals`) under `local` (a resource's `Properties`).
pub fn merge(global: Option<&Node>, local: Option<&Node>) -> Option<Node> {
    match (global, local) {
        (None, None) => None,
        (Some(g), None) => Some(g.clone()),
        (None, Some(l)) => Some(l.clone()),
        (Some(g), Some(l)) => Some(merge_nodes(g, l)),
    }
}

fn merge_nodes(global: &Node, local: &Node) -> Node {
    // An intrinsic on either side is a value, not a map to merge into.
    if global.intrinsic().is_some() || local.intrinsic().is_some() {
        return local.clone();
    }
    match (&global.kind, &local.kind) {
        (Kind::Map(g), Kind::Map(l)) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(g.len() + l.len());
            for ge in g {
                match l.iter().find(|le| le.key == ge.key) {
                    Some(le) => entries.push(Entry {
                        key: le.key.clone(),
                        key_span: le.key_span.clone(),
                        value: merge_nodes(&ge.value, &le.value),
                    }),
                    None => entries.push(ge.clone()),
                }
            }
            for le in l {
                if !g.iter().any(|ge| ge.key == le.key) {
                    entries.push(le.clone());
                }
            }
            Node::new(Kind::Map(entries), local.span.clone())
        }
        (Kind::Seq(g), Kind::Seq(l)) => {
            let items = g.iter().chain(l.iter()).cloned().collect();
            Node::new(Kind::Seq(items), local.span.clone())
        }
        _ => local.clone(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn yaml(text: &str) -> Node {
        crate::yaml::parse(&Arc::from("t.yaml"), text)
            .ok()
            .and_then(|p| p.root)
            .expect("yaml")
    }

    #[test]
    fn resource_wins_maps_merge_lists_concatenate() {
        let g = yaml(
            "Runtime: python3.8\nEnvironment:\n  Variables:\n    A: g\n    B: g\nLayers: [g1]\n",
        );
        let l = yaml("Runtime: python3.12\nEnvironment:\n  Variables:\n    B: l\nLayers: [l1]\n");
        let m = merge(Some(&g), Some(&l)).expect("merged");
        assert_eq!(m.get("Runtime").and_then(Node::as_str), Some("python3.12"));
        let vars = m
            .get("Environment")
            .and_then(|e| e.get("Variables"))
            .expect("vars");
        assert_eq!(vars.get("A").and_then(Node::as_str), Some("g"));
        assert_eq!(vars.get("B").and_then(Node::as_str), Some("l"));
        let layers: Vec<_> = m
            .get("Layers")
            .and_then(Node::as_seq)
            .expect("layers")
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(layers, ["g1", "l1"]);
    }
}
