//! Names: variables, locals, module outputs, resources and data sources, and what follows
//! them (`.attr`, `[index]`, splats).

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use sheepdog_diagnostics::{Diagnostic, Span, Unknown, UnknownReason};

use super::values::{collect_refs, element, for_each_pairs, respan, scalar, unknown_reason};
use super::{Evaluator, MAX_ITEMS, Scope, VarSource};
use crate::node::{Entry, Kind, Node};
use crate::terraform::config::ResourceDecl;

impl<'m> Evaluator<'m> {
    pub(super) fn traversal(&mut self, t: &Traversal, e: &Expression, sc: &Scope) -> Node {
        let span = self.span(sc, e);
        let ops: Vec<&TraversalOperator> =
            t.operators.iter().map(hcl_edit::Decorated::value).collect();
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
            _ => None,
        };
        let Expression::Variable(root) = &t.expr else {
            let base = self.eval(&t.expr, sc);
            return self.apply(base, &ops, e, sc);
        };
        let unit = sc.unit;
        let local_name = Self::name(sc, root.as_str());
        let mut caller_written = false;
        let (base, rest) = match root.as_str() {
            _ if local_name.is_some() => (local_name, 0),
            "var" => match attr(0) {
                Some(name) => {
                    // A module's input keeps the place the caller wrote it: that is the
                    // line to change, the module being shared code.
                    caller_written = matches!(
                        self.units[unit].vars.get(name),
                        Some(VarSource::Input { .. })
                    );
                    (Some(self.var(unit, name, e, sc)), 1)
                }
                None => (None, 0),
            },
            "local" => match attr(0) {
                Some(name) => (Some(self.local(unit, name, e, sc)), 1),
                None => (None, 0),
            },
            "each" => match (&sc.each, attr(0)) {
                (Some((k, _)), Some("key")) => (Some(k.clone()), 1),
                (Some((_, v)), Some("value")) => (Some(v.clone()), 1),
                _ => (None, 0),
            },
            "count" => match (&sc.count, attr(0)) {
                (Some(i), Some("index")) => (Some(i.clone()), 1),
                _ => (None, 0),
            },
            // As Terraform: paths are relative to the root module's directory (where
            // `terraform` runs); `path.module` is the module's directory from there.
            "path" => {
                let root = &self.module(0).dir;
                let dir = match attr(0) {
                    Some("module") => {
                        let dir = &self.module(unit).dir;
                        match dir.strip_prefix(root) {
                            Ok(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
                            Ok(rel) => rel.to_string_lossy().into_owned(),
                            Err(_) => dir.to_string_lossy().into_owned(),
                        }
                    }
                    Some("cwd") => root.to_string_lossy().into_owned(),
                    _ => ".".to_owned(),
                };
                (Some(Node::new(Kind::Str(dir), span.clone())), 1)
            }
            "terraform" => (
                Some(self.unknown(
                    sc,
                    e,
                    UnknownReason::Pseudo {
                        name: "terraform.workspace".to_owned(),
                    },
                )),
                ops.len(),
            ),
            "module" => match attr(0) {
                Some(call) => {
                    // `module.x[0].out`, `module.x["k"].out`: that instance's output.
                    let instance = match ops.get(1) {
                        Some(TraversalOperator::Index(i)) => {
                            let i = self.eval(i, sc);
                            Some(instance_suffix(Some(&i)))
                        }
                        _ => None,
                    };
                    let skip = usize::from(instance.is_some());
                    match attr(1 + skip) {
                        Some(output) => (
                            self.output(unit, call, instance.as_deref(), output, e, sc),
                            2 + skip,
                        ),
                        None => (None, ops.len()),
                    }
                }
                None => (None, 0),
            },
            "data" => match (attr(0), attr(1)) {
                (Some(kind), Some(name)) => (
                    Some(self.resource_ref(true, kind, name, &ops[2..], e, sc)),
                    ops.len(),
                ),
                _ => (None, 0),
            },
            kind => match attr(0) {
                // Resource types are `<provider>_<type>`; `resource_ref` reports one that
                // is not declared.
                Some(name)
                    if kind.contains('_')
                        || self.units[unit].decls.resource(false, kind, name).is_some() =>
                {
                    (
                        Some(self.resource_ref(false, kind, name, &ops[1..], e, sc)),
                        ops.len(),
                    )
                }
                _ => (None, 0),
            },
        };
        match base {
            Some(base) if caller_written && rest == ops.len() => base,
            Some(base) => {
                let value = self.apply(respan(base, span.clone()), &ops[rest..], e, sc);
                respan(value, span)
            }
            None => self.unknown(sc, e, UnknownReason::Unsupported),
        }
    }

    /// Apply the rest of a traversal (`.attr`, `[index]`, splats) to a value.
    pub(super) fn apply(
        &mut self,
        mut value: Node,
        ops: &[&TraversalOperator],
        e: &Expression,
        sc: &Scope,
    ) -> Node {
        for (i, op) in ops.iter().enumerate() {
            if let Kind::Unknown(_) = value.kind {
                return self.unknown(sc, e, unknown_reason(&[&value]));
            }
            let next = match op {
                TraversalOperator::GetAttr(id) => value.get(id.as_str()).cloned(),
                TraversalOperator::Index(index) => {
                    let index = self.eval(index, sc);
                    if let Kind::Unknown(_) = index.kind {
                        return self.unknown(sc, e, unknown_reason(&[&index]));
                    }
                    element(&value, &index)
                }
                TraversalOperator::LegacyIndex(n) => {
                    let n = *n.value();
                    value
                        .as_seq()
                        .and_then(|items| items.get(usize::try_from(n).ok()?))
                        .cloned()
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let Some(items) = value.as_seq() else {
                        return self.unknown(sc, e, UnknownReason::Unsupported);
                    };
                    let items = items.to_vec();
                    let span = value.span.clone();
                    let mapped = items
                        .into_iter()
                        .map(|item| self.apply(item, &ops[i + 1..], e, sc))
                        .collect();
                    return Node::new(Kind::Seq(mapped), span);
                }
            };
            match next {
                Some(n) => value = n,
                None => return self.unknown(sc, e, UnknownReason::Unsupported),
            }
        }
        value
    }

    /// `var.name` in `unit`.
    pub(super) fn var(&mut self, unit: usize, name: &str, e: &Expression, sc: &Scope) -> Node {
        let key = format!("{unit}/var.{name}");
        match self.units[unit].vars.get(name) {
            Some(VarSource::Value(v)) => return v.clone(),
            Some(VarSource::Input { expr, scope }) => {
                let (expr, scope) = (*expr, (**scope).clone());
                if self.active.contains(&key) {
                    return self.cycle(sc, e, &format!("var.{name}"));
                }
                self.active.push(key);
                let value = self.eval(expr, &scope);
                self.active.pop();
                self.units[unit]
                    .vars
                    .insert(name.to_owned(), VarSource::Value(value.clone()));
                return value;
            }
            None => {}
        }
        if !self.units[unit].decls.variables.contains_key(name) {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!("reference to undeclared input variable `{name}`"),
                self.span(sc, e),
            ));
        }
        self.unknown(
            sc,
            e,
            UnknownReason::Parameter {
                name: name.to_owned(),
            },
        )
    }

    /// `local.name` in `unit`, evaluated once.
    pub(super) fn local(&mut self, unit: usize, name: &str, e: &Expression, sc: &Scope) -> Node {
        if let Some(v) = self.units[unit].locals.get(name) {
            return v.clone();
        }
        let Some(at) = self.units[unit].decls.locals.get(name).copied() else {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!("reference to undeclared local value `{name}`"),
                self.span(sc, e),
            ));
            return self.unknown(sc, e, UnknownReason::Unsupported);
        };
        let key = format!("{unit}/local.{name}");
        if self.active.contains(&key) {
            return self.cycle(sc, e, &format!("local.{name}"));
        }
        self.active.push(key);
        let value = self.eval(at.item, &Scope::new(unit, at.file));
        self.active.pop();
        self.units[unit]
            .locals
            .insert(name.to_owned(), value.clone());
        value
    }

    pub(super) fn cycle(&mut self, sc: &Scope, e: &Expression, what: &str) -> Node {
        self.diagnostics.push(Diagnostic::error(
            "SD005",
            format!("`{what}` refers to itself (a cycle Terraform rejects); its value is unknown"),
            self.span(sc, e),
        ));
        self.unknown(sc, e, UnknownReason::Unsupported)
    }

    /// `module.call.output`.
    pub(super) fn output(
        &mut self,
        unit: usize,
        call: &str,
        instance: Option<&str>,
        output: &str,
        e: &Expression,
        sc: &Scope,
    ) -> Option<Node> {
        if let Some(suffix) = instance {
            let child = self.units[unit]
                .instances
                .get(&(call.to_owned(), suffix.to_owned()))
                .copied();
            return Some(match child {
                Some(child) => self.output_of(child, call, output, e, sc),
                None => self.unknown(sc, e, UnknownReason::Unsupported),
            });
        }
        let Some(child) = self.units[unit].calls.get(call).copied() else {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!("reference to undeclared module `{call}`"),
                self.span(sc, e),
            ));
            return None;
        };
        // A call with `count`/`for_each` is a collection of instances, not one.
        let counted = self.units[unit]
            .instances
            .keys()
            .any(|(name, suffix)| name == call && !suffix.is_empty());
        match child {
            Some(child) if !counted => Some(self.output_of(child, call, output, e, sc)),
            _ => Some(self.unknown(sc, e, UnknownReason::Unsupported)),
        }
    }

    /// Output `output` of the module instance `child` (of call `call`).
    pub(super) fn output_of(
        &mut self,
        child: usize,
        call: &str,
        output: &str,
        e: &Expression,
        sc: &Scope,
    ) -> Node {
        let Some(at) = self.units[child].decls.outputs.get(output).copied() else {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!("module `{call}` has no output `{output}`"),
                self.span(sc, e),
            ));
            return self.unknown(sc, e, UnknownReason::Unsupported);
        };
        let key = format!("{child}/output.{output}");
        if self.active.contains(&key) {
            return self.cycle(sc, e, &format!("module.{call}.{output}"));
        }
        self.active.push(key);
        let value = self.eval(at.item, &Scope::new(child, at.file));
        self.active.pop();
        value
    }

    /// A reference to a resource or data source (`aws_iam_role.r.arn`,
    /// `data.aws_iam_policy_document.p.json`), with what follows its name.
    pub(super) fn resource_ref(
        &mut self,
        data: bool,
        kind: &str,
        name: &str,
        ops: &[&TraversalOperator],
        e: &Expression,
        sc: &Scope,
    ) -> Node {
        let unit = sc.unit;
        let Some(decl) = self.units[unit].decls.resource(data, kind, name).copied() else {
            self.diagnostics.push(Diagnostic::error(
                "SD005",
                format!(
                    "reference to undeclared {} `{}{kind}.{name}`",
                    if data { "data source" } else { "resource" },
                    if data { "data." } else { "" }
                ),
                self.span(sc, e),
            ));
            return self.unknown(sc, e, UnknownReason::Unsupported);
        };
        let (index, ops) = match ops.first() {
            Some(TraversalOperator::Index(i)) => (Some(self.eval(i, sc)), &ops[1..]),
            Some(TraversalOperator::LegacyIndex(n)) => (
                Some(Node::new(
                    Kind::Number(n.value().to_string()),
                    self.span(sc, e),
                )),
                &ops[1..],
            ),
            Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
                let id = format!("{}{}", self.units[unit].prefix, decl.address());
                return self.unknown(sc, e, UnknownReason::Composite { refs: vec![id] });
            }
            _ => (None, ops),
        };
        let suffix = instance_suffix(index.as_ref());
        let id = format!("{}{}{suffix}", self.units[unit].prefix, decl.address());
        let attr = match ops.first() {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        if let Some(value) = self.data_value(&decl, attr, index.as_ref(), e, sc) {
            return self.apply(value, &ops[1..], e, sc);
        }
        // An argument written on the resource is also its attribute, with the same value.
        if let Some(a) = attr
            && !COMPUTED.contains(&a)
            && let Some(written) = decl.block.body.get_attribute(a)
            && !suffix.contains('*')
        {
            let key = format!("{id}.{a}");
            if self.active.contains(&key) {
                return self.cycle(sc, e, &key);
            }
            let mut scope = Scope::new(unit, decl.file);
            scope.count.clone_from(&index);
            if let Some(i) = &index {
                scope.each = Some((i.clone(), self.for_each_value(&decl, i, unit)));
            }
            self.active.push(key);
            let value = self.eval(&written.value, &scope);
            self.active.pop();
            // A value that cannot be decided and names no resource is better known as the
            // resource's attribute: that is what links a policy to `aws_iam_role.r.name`
            // when the name is unknown. One that names resources keeps them (a secret
            // version's `secret_string` that is a generated password).
            let mut named = Vec::new();
            collect_refs(&value, &mut named);
            if matches!(value.kind, Kind::Unknown(_)) && named.is_empty() {
                let reason = UnknownReason::Resource {
                    id,
                    attr: Some(a.to_owned()),
                };
                let whole = self.unknown(sc, e, reason);
                return self.apply(whole, &ops[1..], e, sc);
            }
            return self.apply(value, &ops[1..], e, sc);
        }
        if attr.is_none() && !data {
            // The resource itself (`for_each = aws_api_gateway_method.items`): its
            // instances as objects of their arguments.
            let value = self.resource_value(&decl, index, sc, e);
            return self.apply(value, ops, e, sc);
        }
        let reason = UnknownReason::Resource {
            id,
            attr: attr.map(str::to_owned),
        };
        self.unknown(sc, e, reason)
    }

    /// A resource as a value: one instance's object, or its instances by key (`for_each`)
    /// or index (`count`).
    pub(super) fn resource_value(
        &mut self,
        decl: &ResourceDecl<'m>,
        index: Option<Node>,
        sc: &Scope,
        e: &Expression,
    ) -> Node {
        let unit = sc.unit;
        let span = self.span(sc, e);
        let body = &decl.block.body;
        let key = format!("{unit}/{}", decl.address());
        if self.active.contains(&key) {
            return self.cycle(sc, e, &decl.address());
        }
        self.active.push(key);
        let value = if let Some(i) = index {
            self.instance_object(unit, decl, Some(&i), &span)
        } else if let Some(for_each) = body.get_attribute("for_each") {
            let collection = self.eval(&for_each.value, &Scope::new(unit, decl.file));
            match for_each_pairs(&collection) {
                Some(items) => {
                    let mut entries = Vec::new();
                    for (k, _) in items.into_iter().take(MAX_ITEMS) {
                        let Some(name) = scalar(&k) else { continue };
                        let object = self.instance_object(unit, decl, Some(&k), &span);
                        entries.push(Entry {
                            key: name,
                            key_span: k.span,
                            value: object,
                        });
                    }
                    Node::new(Kind::Map(entries), span)
                }
                None => self.unknown(sc, e, unknown_reason(&[&collection])),
            }
        } else if let Some(count) = body.get_attribute("count") {
            let n = self.eval(&count.value, &Scope::new(unit, decl.file));
            match scalar(&n).and_then(|s| s.parse::<usize>().ok()) {
                Some(n) => {
                    let items = (0..n.min(MAX_ITEMS))
                        .map(|i| {
                            let index = Node::new(Kind::Number(i.to_string()), span.clone());
                            self.instance_object(unit, decl, Some(&index), &span)
                        })
                        .collect();
                    Node::new(Kind::Seq(items), span)
                }
                None => self.unknown(sc, e, unknown_reason(&[&n])),
            }
        } else {
            self.instance_object(unit, decl, None, &span)
        };
        self.active.pop();
        value
    }

    /// One instance as an object: its arguments evaluated, and the attributes the provider
    /// computes as unknowns naming the instance.
    pub(super) fn instance_object(
        &mut self,
        unit: usize,
        decl: &ResourceDecl<'m>,
        index: Option<&Node>,
        span: &Span,
    ) -> Node {
        let id = format!(
            "{}{}{}",
            self.units[unit].prefix,
            decl.address(),
            instance_suffix(index)
        );
        let mut scope = Scope::new(unit, decl.file);
        scope.count = index.cloned();
        if let Some(i) = index {
            scope.each = Some((i.clone(), self.for_each_value(decl, i, unit)));
        }
        let mut object = self.body(&decl.block.body, span.clone(), &scope);
        if let Kind::Map(entries) = &mut object.kind {
            for attr in COMPUTED {
                if entries.iter().any(|e| e.key == attr) {
                    continue;
                }
                entries.push(Entry {
                    key: attr.to_owned(),
                    key_span: span.clone(),
                    value: Node::new(
                        Kind::Unknown(Unknown::new(
                            format!("{id}.{attr}"),
                            UnknownReason::Resource {
                                id: id.clone(),
                                attr: Some(attr.to_owned()),
                            },
                        )),
                        span.clone(),
                    ),
                });
            }
        }
        object
    }

    /// The `each.value` of one instance of a `for_each` resource (unknown when it cannot be
    /// told).
    pub(super) fn for_each_value(
        &mut self,
        decl: &ResourceDecl<'m>,
        key: &Node,
        unit: usize,
    ) -> Node {
        let Some(for_each) = decl.block.body.get_attribute("for_each") else {
            return key.clone();
        };
        let cache_key = (unit, decl.address());
        if !self.for_each.contains_key(&cache_key) {
            let collection = self.eval(&for_each.value, &Scope::new(unit, decl.file));
            self.for_each.insert(cache_key.clone(), collection);
        }
        let found = self.for_each.get(&cache_key).and_then(|collection| {
            let k = scalar(key)?;
            match &collection.kind {
                Kind::Map(entries) => entries.iter().find(|e| e.key == k).map(|e| e.value.clone()),
                _ => Some(key.clone()),
            }
        });
        found.unwrap_or_else(|| {
            Node::new(
                Kind::Unknown(Unknown::new("each.value", UnknownReason::Unsupported)),
                key.span.clone(),
            )
        })
    }

    /// Values of the data sources sheepdog evaluates: policy documents, and the account,
    /// region and partition (deploy-time values, unknown but named).
    pub(super) fn data_value(
        &mut self,
        decl: &ResourceDecl<'m>,
        attr: Option<&str>,
        index: Option<&Node>,
        e: &Expression,
        sc: &Scope,
    ) -> Option<Node> {
        if !decl.data {
            return None;
        }
        let pseudo = |name: &str| UnknownReason::Pseudo {
            name: name.to_owned(),
        };
        match (decl.kind, attr) {
            ("aws_iam_policy_document", Some("json" | "minified_json")) => {
                let mut scope = Scope::new(sc.unit, decl.file);
                scope.count = index.cloned();
                Some(crate::terraform::policy_document::build(
                    self, decl.block, &scope,
                ))
            }
            // What `{{resolve:secretsmanager:...}}` is to CloudFormation: a secret's value,
            // read at deploy time.
            ("aws_secretsmanager_secret_version", Some("secret_string" | "secret_binary")) => {
                Some(self.unknown(
                    sc,
                    e,
                    UnknownReason::DynamicReference {
                        service: "secretsmanager".to_owned(),
                    },
                ))
            }
            // A parameter's value: a `SecureString` or not, sheepdog cannot tell.
            ("aws_ssm_parameter", Some("value" | "insecure_value")) => Some(self.unknown(
                sc,
                e,
                UnknownReason::DynamicReference {
                    service: "ssm".to_owned(),
                },
            )),
            ("aws_caller_identity", Some("account_id")) => {
                Some(self.unknown(sc, e, pseudo("AWS::AccountId")))
            }
            ("aws_region", Some("name" | "region" | "id")) => {
                Some(self.unknown(sc, e, pseudo("AWS::Region")))
            }
            ("aws_partition", Some("partition")) => {
                Some(self.unknown(sc, e, pseudo("AWS::Partition")))
            }
            _ => None,
        }
    }
}

/// How an instance is addressed: `[0]`, `["key"]`, nothing for a single resource, `[*]`
/// when the index is unknown.
pub(super) fn instance_suffix(index: Option<&Node>) -> String {
    match index.map(|i| &i.kind) {
        None => String::new(),
        Some(Kind::Number(n)) => format!("[{n}]"),
        Some(Kind::Str(s)) => format!("[\"{s}\"]"),
        Some(_) => "[*]".to_owned(),
    }
}

/// Attributes the provider computes (never the argument of the same name).
const COMPUTED: [&str; 8] = [
    "arn",
    "id",
    "invoke_arn",
    "qualified_arn",
    "qualified_invoke_arn",
    "version",
    "execution_arn",
    "unique_id",
];
