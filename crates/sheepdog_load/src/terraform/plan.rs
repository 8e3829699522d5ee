//! Terraform plans (`terraform show -json plan.out > plan.json`) into the model.
//!
//! A plan holds every resource instance with its values fully evaluated (variables,
//! modules, `count`/`for_each` applied by Terraform itself), so nothing is guessed: its
//! `planned_values` go through the same translation as HCL (`translate`), each value at its
//! position in the plan file. Values Terraform knows only after apply (an ARN) are in the
//! resource change's `after_unknown`; they become unknown values naming what the
//! configuration section says they reference (`aws_iam_role.exec.arn`), which is how the
//! model links a function to its role.

use std::collections::HashMap;
use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, Unknown, UnknownReason};
use sheepdog_model::{Format, Model, Origin, Resource};

use super::links::Pending;
use super::translate::translate;
use crate::cfn::resources::{Decl, map};
use crate::node::{Entry, Kind, Node};

/// Whether a parsed JSON document is a Terraform plan.
pub fn is_plan(root: &Node) -> bool {
    root.get("terraform_version").is_some()
        && (root.get("planned_values").is_some() || root.get("resource_changes").is_some())
}

/// The model of a plan.
pub fn build(file: &Arc<str>, root: &Node, diagnostics: &mut Vec<Diagnostic>) -> Model {
    let mut model = Model::new(file.clone(), Format::Terraform);
    let unknowns = after_unknown(root);
    let mut references = HashMap::new();
    if let Some(config) = root.get("configuration").and_then(|c| c.get("root_module")) {
        config_references(config, "", &mut references);
    }
    let mut resources = Vec::new();
    if let Some(module) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        planned_resources(module, &mut resources, 0);
    }
    let declared = declarations(file, root);
    let mut pending = Pending::default();
    for r in resources {
        let (Some(address), Some(kind)) = (
            r.get("address").and_then(Node::as_str),
            r.get("type").and_then(Node::as_str),
        ) else {
            continue;
        };
        if r.get("mode").and_then(Node::as_str) != Some("managed") {
            continue;
        }
        let header = r.get("address").map_or(r.span.clone(), |a| a.span.clone());
        let mut values = r
            .get("values")
            .cloned()
            .unwrap_or_else(|| Node::new(Kind::Map(Vec::new()), header.clone()));
        if let Some(unknown) = unknowns.get(address) {
            mark_unknown(&mut values, unknown, &config_address(address), &references);
        }
        pending.remember(address, kind, &values);
        let Some((cfn, props)) = translate(kind, &values, &header) else {
            continue;
        };
        let node = Node::new(Kind::Map(Vec::new()), header.clone());
        map(
            &mut model,
            cfn,
            &Decl {
                meta: Resource {
                    id: address.to_owned(),
                    kind: kind.to_owned(),
                    span: header,
                    origin: Origin::Declared,
                    condition: None,
                    suppressions: Vec::new(),
                    declared_at: declared.get(&config_address(address)).cloned(),
                },
                props: Some(&props),
                node: &node,
            },
        );
    }
    pending.apply(&mut model);
    crate::cfn::policy::diagnose(&model, diagnostics);
    model
}

/// Where the configuration next to the plan declares each resource, by configuration
/// address (`module.api.aws_lambda_function.this`): the `resource` blocks of the `.tf`
/// files in the plan's directory and in the local modules its configuration calls. Empty
/// when there are none, and for a directory Terraform would reject (a resource declared
/// twice): a plan is often written next to the configuration it comes from, but not always.
fn declarations(file: &Arc<str>, root: &Node) -> HashMap<String, sheepdog_diagnostics::Span> {
    let mut out = HashMap::new();
    let Some(dir) = std::path::Path::new(&**file).parent() else {
        return out;
    };
    let mut modules = vec![(String::new(), dir.to_path_buf())];
    if let Some(calls) = root
        .get("configuration")
        .and_then(|c| c.get("root_module"))
        .and_then(|m| m.get("module_calls"))
        .and_then(Node::as_map)
    {
        for call in calls {
            if let Some(source) = call.value.get("source").and_then(Node::as_str)
                && (source.starts_with("./") || source.starts_with("../"))
            {
                modules.push((format!("module.{}.", call.key), super::join(dir, source)));
            }
        }
    }
    let mut ignored = Vec::new();
    for (prefix, dir) in modules {
        let module = super::config::Module::read(&dir, &mut ignored);
        for f in &module.files {
            for block in f.body.blocks() {
                let labels: Vec<&str> = block
                    .labels
                    .iter()
                    .map(hcl_edit::structure::BlockLabel::as_str)
                    .collect();
                if let ("resource", [kind, name]) = (block.ident.as_str(), labels.as_slice()) {
                    let address = format!("{prefix}{kind}.{name}");
                    if out.insert(address, super::header_span(f, block)).is_some() {
                        return HashMap::new();
                    }
                }
            }
        }
    }
    out
}

/// Every resource of `planned_values`, child modules included.
fn planned_resources<'n>(module: &'n Node, out: &mut Vec<&'n Node>, depth: usize) {
    out.extend(
        module
            .get("resources")
            .and_then(Node::as_seq)
            .unwrap_or_default(),
    );
    if depth > 32 {
        return;
    }
    for child in module
        .get("child_modules")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        planned_resources(child, out, depth + 1);
    }
}

/// `after_unknown` of each resource change, by address.
fn after_unknown(root: &Node) -> HashMap<&str, &Node> {
    root.get("resource_changes")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| {
            let address = c.get("address")?.as_str()?;
            let unknown = c.get("change")?.get("after_unknown")?;
            Some((address, unknown))
        })
        .collect()
}

/// `module.a.aws_x.y[0]` → `module.a.aws_x.y`: how the configuration section names it.
fn config_address(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The references of each argument of each configured resource: `(resource address,
/// argument)` → the first reference Terraform lists (the most specific, e.g.
/// `aws_iam_role.exec.arn` before `aws_iam_role.exec`), made absolute with the module path.
fn config_references(module: &Node, prefix: &str, out: &mut HashMap<(String, String), String>) {
    for r in module
        .get("resources")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let Some(address) = r.get("address").and_then(Node::as_str) else {
            continue;
        };
        for e in r
            .get("expressions")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            if let Some(first) = e
                .value
                .get("references")
                .and_then(Node::as_seq)
                .and_then(|refs| refs.first())
                .and_then(Node::as_str)
            {
                let absolute = if first.starts_with("var.") || first.starts_with("local.") {
                    first.to_owned()
                } else {
                    format!("{prefix}{first}")
                };
                out.insert((format!("{prefix}{address}"), e.key.clone()), absolute);
            }
        }
    }
    for call in module
        .get("module_calls")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        if let Some(child) = call.value.get("module") {
            config_references(child, &format!("{prefix}module.{}.", call.key), out);
        }
    }
}

/// Put an unknown value for each top-level argument Terraform knows only after apply.
fn mark_unknown(
    values: &mut Node,
    unknown: &Node,
    address: &str,
    references: &HashMap<(String, String), String>,
) {
    let Kind::Map(entries) = &mut values.kind else {
        return;
    };
    for u in unknown.as_map().unwrap_or_default() {
        if !matches!(u.value.kind, Kind::Bool(true)) {
            continue;
        }
        let reference = references.get(&(address.to_owned(), u.key.clone()));
        let reason = match reference.map(|r| resource_of(r)) {
            Some(Some((id, attr))) => UnknownReason::Resource { id, attr },
            _ => UnknownReason::Unsupported,
        };
        let expr = reference
            .cloned()
            .unwrap_or_else(|| "(known after apply)".to_owned());
        let node = Node::new(
            Kind::Unknown(Unknown::new(expr, reason)),
            u.key_span.clone(),
        );
        match entries.iter_mut().find(|e| e.key == u.key) {
            Some(e) => e.value = node,
            None => entries.push(Entry {
                key: u.key.clone(),
                key_span: u.key_span.clone(),
                value: node,
            }),
        }
    }
}

/// `module.m.aws_iam_role.exec.arn` → (`module.m.aws_iam_role.exec`, `arn`).
fn resource_of(reference: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = reference.split('.').collect();
    let modules = parts
        .chunks(2)
        .take_while(|c| c.first() == Some(&"module"))
        .count();
    let rest = &parts[(modules * 2).min(parts.len())..];
    let (head, attr) = match rest {
        ["data", kind, name, attr, ..] => (format!("data.{kind}.{name}"), Some(*attr)),
        ["data", kind, name] => (format!("data.{kind}.{name}"), None),
        ["var" | "local" | "each" | "count" | "path", ..] => return None,
        [kind, name, attr, ..] => (format!("{kind}.{name}"), Some(*attr)),
        [kind, name] => (format!("{kind}.{name}"), None),
        _ => return None,
    };
    let module = parts[..modules * 2].join(".");
    let id = if module.is_empty() {
        head
    } else {
        format!("{module}.{head}")
    };
    Some((id, attr.map(str::to_owned)))
}

#[cfg(test)]
mod tests {
    use super::{config_address, resource_of};

    #[test]
    fn references_name_the_resource_and_attribute() {
        assert_eq!(
            resource_of("aws_iam_role.exec.arn"),
            Some(("aws_iam_role.exec".to_owned(), Some("arn".to_owned())))
        );
        assert_eq!(
            resource_of("module.api.aws_iam_role.exec.arn"),
            Some((
                "module.api.aws_iam_role.exec".to_owned(),
                Some("arn".to_owned())
            ))
        );
        assert_eq!(resource_of("var.name"), None);
        assert_eq!(
            config_address("module.a[\"x\"].aws_x.y[0]"),
            "module.a.aws_x.y"
        );
    }
}
