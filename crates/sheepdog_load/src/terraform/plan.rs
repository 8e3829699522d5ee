//! Terraform plans (`terraform show -json plan.out > plan.json`) into the model.
//!
//! A plan holds every resource instance with its values fully evaluated (variables,
//! modules, `count`/`for_each` applied by Terraform itself), so nothing is guessed: its
//! `planned_values` go through the same translation as HCL (`translate`), each value at its
//! position in the plan file. Values Terraform knows only after apply (an ARN) are in the
//! resource change's `after_unknown`; they become unknown values naming what the
//! configuration section says they reference (`aws_iam_role.exec.arn`), which is how the
//! model links a function to its role.
//!
//! What a real plan holds that HCL does not, read here so that a plan and its configuration
//! are judged alike:
//!
//! - `null` for every argument not written (`"image_uri": null`): left out, as Terraform
//!   treats `null` as not written.
//! - Arguments the provider fills in when they are not written (a function's
//!   `tracing_config`, `logging_config`, `layers`; a role's `inline_policy`) are unknown at
//!   plan time: when the configuration section does not write them, they are left out, as
//!   in HCL (the provider's default is what an unwritten argument means there).
//! - Unknown values inside blocks (`vpc_config[0].security_group_ids`), named by the
//!   block's expressions in the configuration section.
//! - References through module inputs: an unknown argument of a module's resource written
//!   as `var.x` names what the module call passes as `x`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, Span, Unknown, UnknownReason};
use sheepdog_model::{Format, Model, Resource};

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
    let mut config = Config::default();
    if let Some(module) = root.get("configuration").and_then(|c| c.get("root_module")) {
        config.read(module, "", 0);
    }
    let mut resources = Vec::new();
    if let Some(module) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        planned_resources(module, &mut resources, 0);
    }
    config.present = resources
        .iter()
        .filter_map(|r| r.get("address").and_then(Node::as_str))
        .chain(unknowns.keys().copied())
        .map(str::to_owned)
        .collect();
    config.counted = config
        .present
        .iter()
        .filter(|a| a.ends_with(']'))
        .filter_map(|a| a.rfind('[').map(|i| a[..i].to_owned()))
        .collect();
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
        strip_nulls(&mut values);
        if let Some(unknown) = unknowns.get(address) {
            let written = match config.resources.get(&config_address(address)) {
                Some(expressions) => Written::Block(*expressions),
                None => Written::Unsaid,
            };
            let module = module_path(address);
            mark_unknown(
                &mut values,
                unknown,
                written,
                &Cx {
                    config: &config,
                    module: &module,
                },
                0,
            );
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
                    declared_at: declared.get(&config_address(address)).cloned(),
                    ..Resource::declared(address, kind, header)
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
        let decls = super::config::Declarations::of(&module, &mut ignored);
        for r in decls.resources.iter().filter(|r| !r.data) {
            let span = super::header_span(&module.files[r.file], r.block);
            if out
                .insert(format!("{prefix}{}", r.address()), span)
                .is_some()
            {
                return HashMap::new();
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

/// `module.a.module.b.aws_x.y[0]` → `module.a.module.b` (without instance keys).
fn module_path(address: &str) -> String {
    let address = config_address(address);
    let parts: Vec<&str> = address.split('.').collect();
    let modules = parts
        .chunks(2)
        .take_while(|c| c.len() == 2 && c[0] == "module")
        .count();
    parts[..modules * 2].join(".")
}

/// `module.a.module.b` → `module.a`; `module.a` → the root module (an empty path).
fn parent_module(module: &str) -> &str {
    module.rfind(".module.").map_or("", |i| &module[..i])
}

/// The configuration section: the expressions of each configured resource and the inputs
/// of each module call, by absolute address (`module.a.aws_x.y`, `module.a`).
#[derive(Default)]
struct Config<'n> {
    /// `None`: configured, no argument written.
    resources: HashMap<String, Option<&'n Node>>,
    calls: HashMap<String, Option<&'n Node>>,
    /// Addresses of the plan's resource instances and changes (data sources read during
    /// apply included): what an unknown value can come from.
    present: HashSet<String>,
    /// The resources of `present` that have instance keys (`aws_x.y` for `aws_x.y[0]`).
    counted: HashSet<String>,
}

impl<'n> Config<'n> {
    fn read(&mut self, module: &'n Node, prefix: &str, depth: usize) {
        for r in module
            .get("resources")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            if let Some(address) = r.get("address").and_then(Node::as_str) {
                self.resources
                    .insert(format!("{prefix}{address}"), r.get("expressions"));
            }
        }
        if depth > 32 {
            return;
        }
        for call in module
            .get("module_calls")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            let path = format!("{prefix}module.{}", call.key);
            self.calls
                .insert(path.clone(), call.value.get("expressions"));
            if let Some(child) = call.value.get("module") {
                self.read(child, &format!("{path}."), depth + 1);
            }
        }
    }

    /// The references of expression `expr` of module `module`, absolute, with `var.x`
    /// followed to what the module call passes as `x` (a root variable is known in a plan,
    /// as are `count`/`each`). `opaque` is set when a reference hides its origin (a
    /// `local`, a module output).
    fn origins(
        &self,
        expr: &Node,
        module: &str,
        out: &mut Vec<(String, Span)>,
        opaque: &mut bool,
        depth: usize,
    ) {
        for (r, span) in expr
            .get("references")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| Some((r.as_str()?, &r.span)))
        {
            let mut parts = r.split('.');
            match parts.next() {
                Some("var") => {
                    let name = parts.next().unwrap_or_default();
                    let name = name.split('[').next().unwrap_or(name);
                    if module.is_empty() || depth > 32 {
                        continue;
                    }
                    let input = self
                        .calls
                        .get(module)
                        .copied()
                        .flatten()
                        .and_then(|inputs| inputs.get(name));
                    if let Some(input) = input {
                        self.origins(input, parent_module(module), out, opaque, depth + 1);
                    }
                }
                Some("local") => *opaque = true,
                Some("count" | "each" | "path" | "terraform" | "self") => {}
                _ if module.is_empty() => out.push((r.to_owned(), span.clone())),
                _ => out.push((format!("{module}.{r}"), span.clone())),
            }
        }
    }

    /// The unknown value an expression gives in a plan; `None` when it names no resource
    /// (only variables, known in a plan): the unknown is then the provider's default. A
    /// value from one resource is at its reference in the configuration section (where the
    /// plan says what it is, as HCL's reference does); any other at `span`, its
    /// `after_unknown` entry.
    fn unknown(&self, written: Written<'_>, module: &str, span: &Span) -> Option<Node> {
        let unsupported = || {
            Node::new(
                Kind::Unknown(Unknown::new(
                    "(known after apply)",
                    UnknownReason::Unsupported,
                )),
                span.clone(),
            )
        };
        let Written::Expr(expr) = written else {
            return Some(unsupported());
        };
        let mut refs = Vec::new();
        let mut opaque = false;
        self.origins(expr, module, &mut refs, &mut opaque, 0);
        // Terraform lists `aws_x.y[0].arn`, `aws_x.y[0]`, `aws_x.y` for one reference.
        let mut seen: Vec<(String, Option<String>, String, &Span)> = Vec::new();
        for (r, at) in &refs {
            let Some((id, attr)) = resource_of(r) else {
                opaque = true;
                continue;
            };
            if seen
                .iter()
                .any(|(s, ..)| *s == id || s.starts_with(&format!("{id}[")))
            {
                continue;
            }
            if self.present.contains(&id) {
                seen.push((id, attr, r.clone(), at));
            } else if self.counted.contains(&id) {
                // Every instance of a counted resource (a splat): not one of them.
                opaque = true;
            } else if !id.ends_with(']') && !id.starts_with("data.") && !id.contains(".data.") {
                // A resource the plan does not list (a plan cut down by hand): still it.
                seen.push((id, attr, r.clone(), at));
            }
            // Otherwise an instance this plan does not create (`count = 0`), or a data
            // source read while planning: known, not where the unknown comes from.
        }
        match seen.as_slice() {
            // A plan does not tell `aws_lambda_function.f.arn` from `"${...arn}:live"`;
            // the bare reference is by far the common one, and is how this reads it.
            [(id, attr, text, at)] => Some(Node::new(
                Kind::Unknown(Unknown::new(
                    text.clone(),
                    UnknownReason::Resource {
                        id: id.clone(),
                        attr: attr.clone(),
                    },
                )),
                (*at).clone(),
            )),
            [] if opaque => Some(unsupported()),
            [] => None,
            many => Some(Node::new(
                Kind::Unknown(Unknown::new(
                    many.iter()
                        .map(|(_, _, t, _)| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    UnknownReason::Composite {
                        refs: many.iter().map(|(id, ..)| id.clone()).collect(),
                    },
                )),
                span.clone(),
            )),
        }
    }
}

/// What the configuration writes at a place of a resource's values.
#[derive(Clone, Copy)]
enum Written<'n> {
    /// Nothing to tell by: no configuration section, or a `dynamic` block (the
    /// configuration section leaves those out).
    Unsaid,
    /// A block: its arguments' expressions (`None`: no argument written).
    Block(Option<&'n Node>),
    /// One expression that gives everything under it.
    Expr(&'n Node),
}

impl<'n> Written<'n> {
    /// What is written for argument `key`; `None` when the block does not write it.
    fn arg(self, key: &str) -> Option<Written<'n>> {
        match self {
            Written::Unsaid | Written::Expr(_) => Some(self),
            Written::Block(args) => args.and_then(|a| a.get(key)).map(Written::of),
        }
    }

    /// The `i`th of blocks written as a list.
    fn item(self, i: usize) -> Written<'n> {
        match self {
            Written::Block(Some(list)) => match list.as_seq() {
                Some(items) => items
                    .get(i)
                    .map_or(Written::Unsaid, |b| Written::Block(Some(b))),
                None => Written::Unsaid,
            },
            Written::Block(None) | Written::Unsaid => Written::Unsaid,
            Written::Expr(_) => self,
        }
    }

    fn of(node: &'n Node) -> Written<'n> {
        let is_expr = node.as_map().is_some_and(|m| {
            m.is_empty()
                || m.iter()
                    .any(|e| e.key == "references" || e.key == "constant_value")
        });
        if is_expr {
            Written::Expr(node)
        } else {
            Written::Block(Some(node))
        }
    }
}

struct Cx<'c, 'n> {
    config: &'c Config<'n>,
    /// The module of the resource (`module.a`; empty at the root).
    module: &'c str,
}

/// Remove `null` entries: Terraform treats a `null` argument as not written.
fn strip_nulls(node: &mut Node) {
    match &mut node.kind {
        Kind::Map(entries) => {
            entries.retain(|e| !matches!(e.value.kind, Kind::Null));
            for e in entries {
                strip_nulls(&mut e.value);
            }
        }
        Kind::Seq(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Put an unknown value for each argument Terraform knows only after apply (`after_unknown`
/// is `true`), in blocks too; leave out those the configuration does not write.
fn mark_unknown(
    values: &mut Node,
    unknown: &Node,
    written: Written<'_>,
    cx: &Cx<'_, '_>,
    depth: usize,
) {
    let Kind::Map(entries) = &mut values.kind else {
        return;
    };
    if depth > 32 {
        return;
    }
    for u in unknown.as_map().unwrap_or_default() {
        let here = written.arg(&u.key);
        match &u.value.kind {
            Kind::Bool(true) => {
                let node = here.and_then(|w| cx.config.unknown(w, cx.module, &u.key_span));
                match (entries.iter_mut().find(|e| e.key == u.key), node) {
                    (Some(e), Some(node)) => e.value = node,
                    (None, Some(node)) => entries.push(Entry {
                        key: u.key.clone(),
                        key_span: u.key_span.clone(),
                        value: node,
                    }),
                    (_, None) => entries.retain(|e| e.key != u.key),
                }
            }
            Kind::Seq(items) => {
                let Some(Kind::Seq(vals)) = entries
                    .iter_mut()
                    .find(|e| e.key == u.key)
                    .map(|e| &mut e.value.kind)
                else {
                    continue;
                };
                let here = here.unwrap_or(Written::Unsaid);
                for (i, (item, val)) in items.iter().zip(vals.iter_mut()).enumerate() {
                    match item.kind {
                        Kind::Bool(true) => {
                            let w = match here {
                                Written::Expr(_) => here,
                                _ => Written::Unsaid,
                            };
                            *val = cx
                                .config
                                .unknown(w, cx.module, &val.span)
                                .or_else(|| {
                                    cx.config.unknown(Written::Unsaid, cx.module, &val.span)
                                })
                                .unwrap_or_else(|| val.clone());
                        }
                        Kind::Map(_) => mark_unknown(val, item, here.item(i), cx, depth + 1),
                        _ => {}
                    }
                }
            }
            Kind::Map(_) => {
                if let Some(e) = entries.iter_mut().find(|e| e.key == u.key) {
                    mark_unknown(
                        &mut e.value,
                        &u.value,
                        here.unwrap_or(Written::Unsaid),
                        cx,
                        depth + 1,
                    );
                }
            }
            _ => {}
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
    use super::{config_address, module_path, parent_module, resource_of};

    #[test]
    fn module_paths_leave_out_instance_keys() {
        assert_eq!(module_path("aws_x.y[0]"), "");
        assert_eq!(
            module_path("module.a[\"k\"].module.b.aws_x.y"),
            "module.a.module.b"
        );
        assert_eq!(parent_module("module.a.module.b"), "module.a");
        assert_eq!(parent_module("module.a"), "");
    }

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
