//! Terraform root modules (a directory of `.tf` files, with its local modules) into the
//! model.
//!
//! Files are parsed with hcl-edit (byte spans on every node), evaluated by `eval` into the
//! loader's resolved `Node` trees, and each resource sheepdog reads is translated into the
//! CloudFormation type of the same meaning (`translate`), so the CloudFormation mappers build
//! the model and every rule works unchanged (DESIGN.md invariant 1). Resource IDs are
//! Terraform addresses (`module.api.aws_lambda_function.this["a"]`), kinds the Terraform
//! types.

mod config;
mod eval;
mod functions;
mod json_syntax;
mod lambda_module;
mod links;
pub mod plan;
mod policy_document;
mod shape;
pub mod source;
mod translate;
mod vars;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use sheepdog_diagnostics::{Diagnostic, Span, UnknownReason};
use sheepdog_model::{Format, Model, Resource};

use crate::Loaded;
use crate::cfn::resources::{Decl, map};
use crate::node::{Kind, Node};
use config::{Declarations, Module, ResourceDecl};
use eval::{Evaluator, MAX_ITEMS, Scope, Unit, VarSource, for_each_pairs, scalar};
pub use vars::Inputs;

/// Deepest chain of local module calls followed.
const MAX_MODULE_DEPTH: usize = 16;

/// Load the root module in `dir`.
pub fn load_module(dir: &Path, inputs: &Inputs) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut arena = Vec::new();
    read_tree(dir, &mut arena, &mut Vec::new(), &mut diagnostics);
    finish(dir, &arena, inputs, diagnostics)
}

/// Load one `.tf` file as a root module of its own (tests, fixtures, fuzzing): the other
/// files of its directory are not read; local modules it calls are.
pub fn load_single(file: &Path, inputs: &Inputs) -> Loaded {
    let mut diagnostics = Vec::new();
    let dir = file.parent().unwrap_or(Path::new("."));
    let files = match source::parse_file(file) {
        Ok(f) => vec![f],
        Err(d) => {
            diagnostics.push(d);
            Vec::new()
        }
    };
    let module = Module::new(dir, files);
    let children: Vec<PathBuf> = module_calls(&module, dir);
    let mut stack = vec![module.key.clone()];
    let mut arena = vec![module];
    for child in children {
        read_tree(&child, &mut arena, &mut stack, &mut diagnostics);
    }
    let mut loaded = finish(dir, &arena, inputs, diagnostics);
    loaded.file = Arc::from(file.to_string_lossy().as_ref());
    loaded
}

/// Load a file's text from memory as a root module of one file (fuzzing): HCL, or JSON
/// syntax when `name` ends with `.tf.json`. No other file is read but those its `file()`
/// calls and local modules name.
pub fn load_text(name: &Arc<str>, bytes: &[u8], inputs: &Inputs) -> Loaded {
    let mut diagnostics = Vec::new();
    let dir = Path::new(".");
    let parsed = if source::is_tf_json(Path::new(&**name)) {
        source::parse_json(name, bytes)
    } else {
        source::parse_text(name, bytes)
    };
    let files = match parsed {
        Ok(f) => vec![f],
        Err(d) => {
            diagnostics.push(d);
            Vec::new()
        }
    };
    let arena = vec![Module::new(dir, files)];
    let mut loaded = finish(dir, &arena, inputs, diagnostics);
    loaded.file = name.clone();
    loaded
}

fn finish(
    dir: &Path,
    arena: &[Module],
    inputs: &Inputs,
    mut diagnostics: Vec<Diagnostic>,
) -> Loaded {
    let name: Arc<str> = Arc::from(dir.to_string_lossy().as_ref());
    let mut var_files = Vec::new();
    let root_values = inputs.values(dir, &mut var_files, &mut diagnostics);

    let mut ev = Evaluator::new();
    let mut model = Model::new(name.clone(), Format::Terraform);
    if let Some(root) = arena.first() {
        let inputs = Instance {
            prefix: String::new(),
            caller: None,
            values: root_values,
        };
        instantiate(&mut ev, arena, root, inputs, &mut diagnostics, 0);
        let mut pending = links::Pending::default();
        build(&mut ev, &mut model, &mut pending);
        pending.apply(&mut model);
    }
    diagnostics.append(&mut ev.diagnostics);
    crate::cfn::policy::diagnose(&model, &mut diagnostics);

    let mut sources: Vec<(Arc<str>, Arc<str>)> = Vec::new();
    for module in arena {
        for f in &module.files {
            // JSON has no comments.
            if f.json.is_none() {
                model.line_suppressions.extend(crate::comment_suppressions(
                    &f.path,
                    &f.text,
                    &mut diagnostics,
                ));
            }
            sources.push((f.path.clone(), f.written()));
        }
    }
    sources.extend(var_files);
    sources.append(&mut ev.extra_sources);
    sources.sort();
    sources.dedup_by(|a, b| a.0 == b.0);
    Loaded {
        file: name,
        model: Some(model),
        diagnostics,
        sources,
    }
}

/// Read `dir` and, depth first, the local modules it calls (each directory once).
fn read_tree(
    dir: &Path,
    arena: &mut Vec<Module>,
    stack: &mut Vec<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let key = canonical(dir);
    if arena.iter().any(|m| m.key == key) || stack.len() > MAX_MODULE_DEPTH {
        return;
    }
    stack.push(key);
    let module = Module::read(dir, diagnostics);
    let children = module_calls(&module, dir);
    arena.push(module);
    for child in children {
        if stack.contains(&canonical(&child)) {
            continue;
        }
        read_tree(&child, arena, stack, diagnostics);
    }
    stack.pop();
}

/// The directories of the local modules `module` calls.
fn module_calls(module: &Module, dir: &Path) -> Vec<PathBuf> {
    module
        .files
        .iter()
        .flat_map(|f| f.body.blocks())
        .filter(|b| b.ident.as_str() == "module")
        .filter_map(|b| local_source(&b.body.get_attribute("source")?.value))
        .map(|s| join(dir, &s))
        .collect()
}

/// `dir` joined with a relative path, `.` and `..` folded (so paths in reports read
/// `app/modules/fn/main.tf`, not `app/./modules/fn/main.tf`).
pub fn join(dir: &Path, relative: &str) -> PathBuf {
    let mut out = dir.to_path_buf();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." if out.file_name().is_some() && !out.ends_with("..") => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A directory with links and `..` resolved (as written when it does not exist).
pub(crate) fn canonical(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// A module `source` on the local file system (`./x`, `../x`).
pub fn local_source(e: &Expression) -> Option<String> {
    let Expression::String(s) = e else {
        return None;
    };
    let s = s.value();
    (s.starts_with("./") || s.starts_with("../")).then(|| s.clone())
}

/// What a unit is created with: its address prefix, and its inputs (a module call's
/// arguments, evaluated in the caller; or the root module's values).
struct Instance<'m> {
    prefix: String,
    caller: Option<(Scope, &'m hcl_edit::structure::Block)>,
    values: Vec<(String, Node)>,
}

/// Create the unit for `module` and, recursively, for the local modules it calls: one unit
/// per instance of a call with `count`/`for_each` (`module.x[0]`, `module.x["k"]`).
fn instantiate<'m>(
    ev: &mut Evaluator<'m>,
    arena: &'m [Module],
    module: &'m Module,
    instance: Instance<'m>,
    diagnostics: &mut Vec<Diagnostic>,
    depth: usize,
) -> usize {
    let decls = Declarations::of(module, diagnostics);
    let calls: Vec<_> = decls.modules.clone();
    let index = ev.units.len();
    let prefix = instance.prefix;
    ev.units.push(Unit::new(prefix.clone(), module, decls));
    if let Some((scope, block)) = instance.caller {
        for attr in block.body.attributes() {
            let key = attr.key.as_str();
            if MODULE_META.contains(&key) {
                continue;
            }
            ev.units[index].vars.insert(
                key.to_owned(),
                VarSource::Input {
                    expr: &attr.value,
                    scope: Box::new(scope.clone()),
                },
            );
        }
    }
    for (var, value) in instance.values {
        ev.units[index].vars.insert(var, VarSource::Value(value));
    }
    defaults(ev, index);
    for call in calls {
        let Some(name) = call.item.labels.first().map(|l| l.as_str().to_owned()) else {
            continue;
        };
        let source = call.item.body.get_attribute("source");
        let child = source
            .and_then(|s| local_source(&s.value))
            .map(|s| canonical(&join(&module.dir, &s)))
            .and_then(|dir| arena.iter().find(|m| m.key == dir));
        match child {
            Some(child) if depth < MAX_MODULE_DEPTH => {
                let base = Scope::new(index, call.file);
                for (suffix, scope, _) in expand(ev, &base, &call.item.body) {
                    let instance = Instance {
                        prefix: format!("{prefix}module.{name}{suffix}."),
                        caller: Some((scope, call.item)),
                        values: Vec::new(),
                    };
                    let unit = instantiate(ev, arena, child, instance, diagnostics, depth + 1);
                    let calls = &mut ev.units[index];
                    calls.calls.entry(name.clone()).or_insert(Some(unit));
                    calls.instances.insert((name.clone(), suffix), unit);
                }
            }
            _ => {
                let file = &module.files[call.file];
                let written = source.map(|s| file.snippet(s.value.span()));
                if !source.is_some_and(|s| lambda_module::is_source(&s.value)) {
                    diagnostics.push(Diagnostic::warning(
                        "SD012",
                        format!(
                            "module `{name}` comes from {}, which sheepdog does not fetch: its resources are not scanned and its outputs are unknown",
                            written.unwrap_or_else(|| "no `source`".to_owned())
                        ),
                        file.span(call.item.ident.span()),
                    ));
                }
            }
        }
        // A call with no instance (`count = 0`), or not read: its outputs are unknown.
        ev.units[index].calls.entry(name).or_insert(None);
    }
    index
}

/// Arguments of a `module` block that are not inputs of the module.
const MODULE_META: [&str; 6] = [
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Variables without a value from the caller, the command line or a `.tfvars` file take
/// their `default`; without one they stay unknown.
fn defaults(ev: &mut Evaluator<'_>, unit: usize) {
    let vars: Vec<(String, usize, &hcl_edit::structure::Block)> = ev.units[unit]
        .decls
        .variables
        .iter()
        .map(|(name, at)| ((*name).to_owned(), at.file, at.item))
        .collect();
    for (name, file, block) in vars {
        if ev.units[unit].vars.contains_key(&name) {
            continue;
        }
        if let Some(default) = block.body.get_attribute("default") {
            let value = ev.eval(&default.value, &Scope::new(unit, file));
            ev.units[unit].vars.insert(name, VarSource::Value(value));
        }
    }
}

/// Every resource instance of every unit, translated and mapped into the model.
fn build(ev: &mut Evaluator<'_>, model: &mut Model, pending: &mut links::Pending) {
    for unit in 0..ev.units.len() {
        let resources: Vec<ResourceDecl<'_>> = ev.units[unit]
            .decls
            .resources
            .iter()
            .filter(|r| !r.data)
            .copied()
            .collect();
        for decl in resources {
            let base = Scope::new(unit, decl.file);
            for (suffix, scope, condition) in expand(ev, &base, &decl.block.body) {
                let source = ev.source(&scope);
                let header = header_span(source, decl.block);
                let mut tf = ev.body(&decl.block.body, header.clone(), &scope);
                if let Some(ignored) = ignores_function_version(&decl.block.body)
                    && let Kind::Map(entries) = &mut tf.kind
                {
                    entries.push(crate::node::Entry {
                        key: links::LEAVES_VERSION.to_owned(),
                        key_span: ev.source(&scope).span(Some(ignored)),
                        value: Node::new(Kind::Bool(true), header.clone()),
                    });
                }
                let id = format!("{}{}{suffix}", ev.units[unit].prefix, decl.address());
                pending.remember(&id, decl.kind, &tf);
                let Some((cfn_kind, props)) = translate::translate(decl.kind, &tf, &header) else {
                    continue;
                };
                let meta = Resource {
                    condition: condition.clone(),
                    ..Resource::declared(id, decl.kind, header.clone())
                };
                let node = Node::new(Kind::Map(Vec::new()), header);
                map(
                    model,
                    cfn_kind,
                    &Decl {
                        meta,
                        props: Some(&props),
                        node: &node,
                    },
                );
            }
        }
        module_lambda_calls(ev, unit, model);
    }
}

/// The instances of a resource or module call: one, or one per `count` index or `for_each`
/// key when they can be told (`count.index`/`each` set in their scope); an undecidable
/// `count`/`for_each` is one instance whose index or key is unknown, marked with its
/// condition.
fn expand(
    ev: &mut Evaluator<'_>,
    base: &Scope,
    body: &hcl_edit::structure::Body,
) -> Vec<(String, Scope, Option<String>)> {
    if let Some(count) = body.get_attribute("count") {
        let value = ev.eval(&count.value, base);
        return if let Some(n) = scalar(&value).and_then(|s| s.parse::<usize>().ok()) {
            (0..n.min(MAX_ITEMS))
                .map(|i| {
                    let mut sc = base.clone();
                    let index = Node::new(Kind::Number(i.to_string()), value.span.clone());
                    sc.count = Some(index);
                    (format!("[{i}]"), sc, None)
                })
                .collect()
        } else {
            let mut sc = base.clone();
            sc.count = Some(ev.unknown(base, &count.value, UnknownReason::Unsupported));
            let written = ev.source(base).snippet(count.value.span());
            vec![(String::new(), sc, Some(format!("count = {written}")))]
        };
    }
    if let Some(for_each) = body.get_attribute("for_each") {
        let collection = ev.eval(&for_each.value, base);
        return if let Some(items) = for_each_pairs(&collection) {
            items
                .into_iter()
                .take(MAX_ITEMS)
                .map(|(key, v)| {
                    let mut sc = base.clone();
                    let label = scalar(&key).unwrap_or_default();
                    sc.each = Some((key, v));
                    (format!("[\"{label}\"]"), sc, None)
                })
                .collect()
        } else {
            let mut sc = base.clone();
            let unknown = ev.unknown(base, &for_each.value, UnknownReason::Unsupported);
            sc.each = Some((unknown.clone(), unknown));
            let written = ev.source(base).snippet(for_each.value.span());
            vec![(String::new(), sc, Some(format!("for_each = {written}")))]
        };
    }
    vec![(String::new(), base.clone(), None)]
}

/// Where a resource's `lifecycle { ignore_changes = [...] }` leaves `function_version` (or
/// everything) to something outside Terraform: for an alias, the sign that `CodeDeploy`
/// shifts its traffic.
fn ignores_function_version(body: &hcl_edit::structure::Body) -> Option<std::ops::Range<usize>> {
    let lifecycle = body.blocks().find(|b| b.ident.as_str() == "lifecycle")?;
    let ignored = lifecycle.body.get_attribute("ignore_changes")?;
    let text = |e: &Expression| match e {
        Expression::Variable(v) => Some(v.as_str().to_owned()),
        Expression::String(s) => Some(s.value().clone()),
        _ => None,
    };
    let names: Vec<String> = match &ignored.value {
        Expression::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    };
    names
        .iter()
        .any(|n| n == "function_version" || n == "all")
        .then(|| ignored.span())
        .flatten()
}

/// A resource's header: `resource "type" "name"`, from the keyword to the last label.
fn header_span(source: &source::SourceFile, block: &hcl_edit::structure::Block) -> Span {
    let start = block.ident.span().map_or(0, |r| r.start);
    let end = block
        .labels
        .last()
        .and_then(hcl_edit::Span::span)
        .map_or(start, |r| r.end);
    source.span(Some(start..end))
}

/// Calls of the `terraform-aws-modules/lambda/aws` module, modelled from their inputs.
fn module_lambda_calls(ev: &mut Evaluator<'_>, unit: usize, model: &mut Model) {
    let calls: Vec<_> = ev.units[unit].decls.modules.clone();
    for call in calls {
        let Some(source) = call.item.body.get_attribute("source") else {
            continue;
        };
        if !lambda_module::is_source(&source.value) {
            continue;
        }
        let scope = Scope::new(unit, call.file);
        let src = ev.source(&scope);
        let header = header_span(src, call.item);
        let inputs = ev.body(&call.item.body, header.clone(), &scope);
        let Some(name) = call.item.labels.first().map(|l| l.as_str().to_owned()) else {
            continue;
        };
        let prefix = format!("{}module.{name}", ev.units[unit].prefix);
        lambda_module::model(model, &prefix, &inputs, &header);
    }
}
