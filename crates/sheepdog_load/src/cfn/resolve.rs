//! Intrinsic-function resolution: what sheepdog can know about a value before deployment.
//!
//! Decided: parameter defaults, `Mappings` through `Fn::FindInMap`, conditions over known
//! values, `Fn::Sub`/`Fn::Join`/`Fn::Select`/`Fn::Split` over known parts, `AWS::NoValue`.
//! Kept symbolic: pseudo parameters (`${AWS::AccountId}` stays in a string built by `Sub`).
//! Everything else becomes [`Kind::Unknown`] carrying its expression and a reason;
//! `!Ref`/`!GetAtt` to a template resource becomes an unknown that names the resource, which
//! is how the model links resources together.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use sheepdog_diagnostics::{Diagnostic, Unknown, UnknownReason};

use crate::cfn::template::Template;
use crate::node::{Entry, Kind, Node};

const PSEUDO: [&str; 8] = [
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
    "AWS::NoValue",
];

/// The properties of SAM resources a template may `Ref` as `<LogicalId>.<Property>`: the
/// resources SAM creates for them.
const SAM_REFERABLE: [&str; 10] = [
    "Alias",
    "Version",
    "DestinationTopic",
    "DestinationQueue",
    "Stage",
    "Deployment",
    "DomainName",
    "UsagePlan",
    "UsagePlanKey",
    "ApiKey",
];

pub struct Resolver<'a> {
    parameters: HashMap<&'a str, Option<&'a Node>>,
    /// Parameters of a list type (`CommaDelimitedList`, `List<...>`): `Ref` gives a list.
    list_parameters: HashSet<&'a str>,
    mappings: Option<&'a Node>,
    conditions: HashMap<&'a str, &'a Node>,
    resources: HashSet<&'a str>,
    cond_cache: HashMap<String, Option<bool>>,
    cond_stack: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Resolver<'a> {
    pub fn new(t: &Template<'a>) -> Self {
        let parameters = t
            .parameters
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .map(|e| {
                // An SSM-typed parameter's default is the parameter's *name*, not its value.
                let from_ssm = e
                    .value
                    .get("Type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.starts_with("AWS::SSM::Parameter::Value"));
                let default = if from_ssm {
                    None
                } else {
                    e.value.get("Default")
                };
                (e.key.as_str(), default)
            })
            .collect();
        let list_parameters = t
            .parameters
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .filter(|e| {
                e.value
                    .get("Type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t == "CommaDelimitedList" || t.starts_with("List<"))
            })
            .map(|e| e.key.as_str())
            .collect();
        let conditions = t
            .conditions
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .map(|e| (e.key.as_str(), &e.value))
            .collect();
        let resources = t.resources.iter().map(|r| r.id).collect();
        Self {
            parameters,
            list_parameters,
            mappings: t.mappings,
            conditions,
            resources,
            cond_cache: HashMap::new(),
            cond_stack: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Resolve a node. `None` means the value is `AWS::NoValue`: the property is absent.
    pub fn resolve(&mut self, node: &Node) -> Option<Node> {
        match &node.kind {
            Kind::Map(entries) => {
                if let Some((name, arg)) = node.intrinsic() {
                    return self.intrinsic(node, name, arg);
                }
                let entries = entries
                    .iter()
                    .filter_map(|e| {
                        self.resolve(&e.value).map(|value| Entry {
                            key: e.key.clone(),
                            key_span: e.key_span.clone(),
                            value,
                        })
                    })
                    .collect();
                Some(Node::new(Kind::Map(entries), node.span.clone()))
            }
            Kind::Seq(items) => {
                let items = items.iter().filter_map(|i| self.resolve(i)).collect();
                Some(Node::new(Kind::Seq(items), node.span.clone()))
            }
            Kind::Str(s) => Some(match dynamic_reference(s) {
                Some(service) => unknown(node, UnknownReason::DynamicReference { service }),
                None => node.clone(),
            }),
            _ => Some(node.clone()),
        }
    }

    fn intrinsic(&mut self, node: &Node, name: &str, arg: &Node) -> Option<Node> {
        match name {
            "Ref" => self.reference(node, arg),
            "Fn::GetAtt" => Some(self.get_att(node, arg)),
            "Fn::Sub" => Some(self.sub(node, arg)),
            "Fn::Join" => Some(self.join(node, arg)),
            "Fn::If" => self.if_(node, arg),
            "Fn::Select" => Some(self.select(node, arg)),
            "Fn::Split" => Some(self.split(node, arg)),
            "Fn::FindInMap" => Some(self.find_in_map(node, arg)),
            "Fn::Base64" => self.resolve(arg),
            "Fn::ImportValue" => Some(unknown(node, UnknownReason::Import)),
            _ => Some(unknown(node, UnknownReason::Unsupported)),
        }
    }

    fn reference(&mut self, node: &Node, arg: &Node) -> Option<Node> {
        let Some(target) = arg.as_str() else {
            return Some(unknown(node, UnknownReason::Unsupported));
        };
        if target == "AWS::NoValue" {
            return None;
        }
        if PSEUDO.contains(&target) {
            return Some(unknown(
                node,
                UnknownReason::Pseudo {
                    name: target.to_owned(),
                },
            ));
        }
        if let Some(default) = self.parameters.get(target).copied() {
            let is_list = self.list_parameters.contains(target);
            return Some(match default {
                Some(d) => self.resolve(d).map_or_else(
                    || {
                        unknown(
                            node,
                            UnknownReason::Parameter {
                                name: target.to_owned(),
                            },
                        )
                    },
                    |mut v| {
                        v.span = node.span.clone();
                        // A list parameter's default is one string of comma-separated
                        // members, each trimmed of spaces.
                        if is_list && let Kind::Str(s) = &v.kind {
                            let items = s
                                .split(',')
                                .map(|m| Node::new(Kind::Str(m.trim().to_owned()), v.span.clone()))
                                .collect();
                            v.kind = Kind::Seq(items);
                        }
                        v
                    },
                ),
                None => unknown(
                    node,
                    UnknownReason::Parameter {
                        name: target.to_owned(),
                    },
                ),
            });
        }
        if self.resources.contains(target) {
            return Some(unknown(
                node,
                UnknownReason::Resource {
                    id: target.to_owned(),
                    attr: None,
                },
            ));
        }
        // SAM's referable properties: `!Ref Function.Alias`, `!Ref Api.Stage`, ...
        if let Some((id, property)) = target.split_once('.')
            && SAM_REFERABLE.contains(&property)
            && self.resources.contains(id)
        {
            return Some(unknown(
                node,
                UnknownReason::Resource {
                    id: id.to_owned(),
                    attr: Some(property.to_owned()),
                },
            ));
        }
        self.diagnostics.push(Diagnostic::warning(
            "SD005",
            format!(
                "`Ref` to `{target}`, which is neither a parameter nor a resource of this template"
            ),
            node.span.clone(),
        ));
        Some(unknown(node, UnknownReason::Unsupported))
    }

    fn get_att(&mut self, node: &Node, arg: &Node) -> Node {
        let parts: Vec<String> = match &arg.kind {
            Kind::Seq(items) => items.iter().filter_map(Node::as_scalar).collect(),
            Kind::Str(s) => s.splitn(2, '.').map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        match parts.as_slice() {
            [id, attr] if self.resources.contains(id.as_str()) => unknown(
                node,
                UnknownReason::Resource {
                    id: id.clone(),
                    attr: Some(attr.clone()),
                },
            ),
            [id, _] => {
                self.diagnostics.push(Diagnostic::warning(
                    "SD005",
                    format!("`Fn::GetAtt` of `{id}`, which is not a resource of this template"),
                    node.span.clone(),
                ));
                unknown(node, UnknownReason::Unsupported)
            }
            _ => unknown(node, UnknownReason::Unsupported),
        }
    }

    fn sub(&mut self, node: &Node, arg: &Node) -> Node {
        let (template, vars) = match &arg.kind {
            Kind::Str(s) => (s.as_str(), None),
            Kind::Seq(items) => match items.as_slice() {
                [t, v] if t.as_str().is_some() => (t.as_str().unwrap_or_default(), Some(v)),
                _ => return unknown(node, UnknownReason::Unsupported),
            },
            _ => return unknown(node, UnknownReason::Unsupported),
        };
        if let Some(service) = dynamic_reference(template) {
            return unknown(node, UnknownReason::DynamicReference { service });
        }
        let mut out = String::new();
        let mut refs: Vec<String> = Vec::new();
        let mut complete = true;
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let var = after[..end].trim();
            rest = &after[end + 1..];
            if let Some(literal) = var.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            match self.sub_var(var, vars) {
                Part::Text(t) => out.push_str(&t),
                Part::Unknown(t, r) => {
                    complete = false;
                    out.push_str(&t);
                    refs.extend(r);
                }
            }
        }
        out.push_str(rest);
        if complete {
            Node::new(Kind::Str(out), node.span.clone())
        } else {
            refs.dedup();
            Node::new(
                Kind::Unknown(Unknown::new(out, UnknownReason::Composite { refs })),
                node.span.clone(),
            )
        }
    }

    fn sub_var(&mut self, var: &str, vars: Option<&Node>) -> Part {
        let placeholder = format!("${{{var}}}");
        if let Some(v) = vars.and_then(|v| v.get(var)) {
            return match self.resolve(v) {
                Some(r) => Self::part_of(&r, placeholder),
                None => Part::Text(String::new()),
            };
        }
        if PSEUDO.contains(&var) {
            return Part::Text(placeholder);
        }
        if let Some(default) = self.parameters.get(var).copied() {
            return match default.and_then(|d| self.resolve(d)) {
                Some(r) => Self::part_of(&r, placeholder),
                None => Part::Unknown(placeholder, Vec::new()),
            };
        }
        let resource = var.split('.').next().unwrap_or(var);
        if self.resources.contains(resource) {
            return Part::Unknown(placeholder, vec![resource.to_owned()]);
        }
        Part::Unknown(placeholder, Vec::new())
    }

    /// How a resolved value contributes to a string being built.
    fn part_of(r: &Node, placeholder: String) -> Part {
        match &r.kind {
            Kind::Str(s) | Kind::Number(s) => Part::Text(s.clone()),
            Kind::Bool(b) => Part::Text(b.to_string()),
            Kind::Unknown(u) => match &u.reason {
                UnknownReason::Pseudo { name } => Part::Text(format!("${{{name}}}")),
                UnknownReason::Resource { id, .. } => Part::Unknown(placeholder, vec![id.clone()]),
                UnknownReason::Composite { refs } => Part::Unknown(u.expr.clone(), refs.clone()),
                _ => Part::Unknown(placeholder, Vec::new()),
            },
            _ => Part::Unknown(placeholder, Vec::new()),
        }
    }

    fn join(&mut self, node: &Node, arg: &Node) -> Node {
        let Some([delim, list]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok()) else {
            return unknown(node, UnknownReason::Unsupported);
        };
        let Some(delim) = delim.as_scalar() else {
            return unknown(node, UnknownReason::Unsupported);
        };
        let Some(list) = self.resolve(list) else {
            return unknown(node, UnknownReason::Unsupported);
        };
        let Some(items) = list.as_seq() else {
            return unknown(node, UnknownReason::Unsupported);
        };
        let mut parts = Vec::new();
        let mut refs = Vec::new();
        let mut complete = true;
        for item in items {
            match Self::part_of(item, format!("${{{}}}", render_expr(item))) {
                Part::Text(t) => parts.push(t),
                Part::Unknown(t, r) => {
                    complete = false;
                    parts.push(t);
                    refs.extend(r);
                }
            }
        }
        let joined = parts.join(&delim);
        if complete {
            Node::new(Kind::Str(joined), node.span.clone())
        } else {
            Node::new(
                Kind::Unknown(Unknown::new(joined, UnknownReason::Composite { refs })),
                node.span.clone(),
            )
        }
    }

    fn if_(&mut self, node: &Node, arg: &Node) -> Option<Node> {
        let Some([cond, yes, no]) = arg.as_seq().and_then(|s| <&[Node; 3]>::try_from(s).ok())
        else {
            return Some(unknown(node, UnknownReason::Unsupported));
        };
        let Some(name) = cond.as_str() else {
            return Some(unknown(node, UnknownReason::Unsupported));
        };
        match self.condition(name) {
            Some(true) => self.resolve(yes),
            Some(false) => self.resolve(no),
            None => {
                let (a, b) = (self.resolve(yes), self.resolve(no));
                match (
                    a.as_ref().and_then(Node::as_scalar),
                    b.as_ref().and_then(Node::as_scalar),
                ) {
                    (Some(x), Some(y)) if x == y => a,
                    _ => Some(unknown(node, UnknownReason::Condition)),
                }
            }
        }
    }

    fn select(&mut self, node: &Node, arg: &Node) -> Node {
        let Some([index, list]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok()) else {
            return unknown(node, UnknownReason::Unsupported);
        };
        let index = self
            .resolve(index)
            .and_then(|i| i.as_scalar())
            .and_then(|i| i.parse::<usize>().ok());
        let list = self.resolve(list);
        match (index, list.as_ref().and_then(Node::as_seq)) {
            (Some(i), Some(items)) if i < items.len() => items[i].clone(),
            _ => unknown(node, UnknownReason::Unsupported),
        }
    }

    fn split(&mut self, node: &Node, arg: &Node) -> Node {
        let Some([delim, source]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok())
        else {
            return unknown(node, UnknownReason::Unsupported);
        };
        let source = self.resolve(source);
        match (delim.as_scalar(), source.as_ref().and_then(|s| s.as_str())) {
            (Some(d), Some(s)) if !d.is_empty() => Node::new(
                Kind::Seq(
                    s.split(d.as_str())
                        .map(|p| Node::new(Kind::Str(p.to_owned()), node.span.clone()))
                        .collect(),
                ),
                node.span.clone(),
            ),
            _ => unknown(node, UnknownReason::Unsupported),
        }
    }

    fn find_in_map(&mut self, node: &Node, arg: &Node) -> Node {
        let Some(items) = arg.as_seq().filter(|s| s.len() >= 3) else {
            return unknown(node, UnknownReason::Unsupported);
        };
        let keys: Vec<Option<String>> = items[..3]
            .iter()
            .map(|k| self.resolve(k).and_then(|r| r.as_scalar()))
            .collect();
        let (Some(map), Some(top), Some(second)) = (&keys[0], &keys[1], &keys[2]) else {
            return unknown(node, UnknownReason::Unsupported);
        };
        let found = self
            .mappings
            .and_then(|m| m.get(map))
            .and_then(|m| m.get(top))
            .and_then(|m| m.get(second));
        if let Some(v) = found {
            // Like a parameter's default: the value points at its use, not into `Mappings`.
            self.resolve(v).map_or_else(
                || unknown(node, UnknownReason::Unsupported),
                |mut r| {
                    r.span = node.span.clone();
                    r
                },
            )
        } else {
            self.diagnostics.push(Diagnostic::warning(
                "SD005",
                format!("`Fn::FindInMap` finds no `{map}.{top}.{second}` in `Mappings`"),
                node.span.clone(),
            ));
            unknown(node, UnknownReason::Unsupported)
        }
    }

    /// Evaluate a named condition: `Some` when decidable from known values.
    pub fn condition(&mut self, name: &str) -> Option<bool> {
        if let Some(v) = self.cond_cache.get(name) {
            return *v;
        }
        if self.cond_stack.iter().any(|c| c == name) || self.cond_stack.len() > 64 {
            return None;
        }
        let node = self.conditions.get(name).copied()?;
        self.cond_stack.push(name.to_owned());
        let v = self.eval_condition(node);
        self.cond_stack.pop();
        self.cond_cache.insert(name.to_owned(), v);
        v
    }

    fn eval_condition(&mut self, node: &Node) -> Option<bool> {
        let (name, arg) = node.intrinsic()?;
        let args = arg.as_seq();
        match name {
            "Condition" => arg.as_str().and_then(|c| self.condition(c)),
            "Fn::Equals" => {
                let [a, b] = <&[Node; 2]>::try_from(args?).ok()?;
                let a = self.resolve(a)?.as_scalar()?;
                let b = self.resolve(b)?.as_scalar()?;
                Some(a == b)
            }
            "Fn::Not" => args?
                .first()
                .and_then(|c| self.eval_condition(c))
                .map(|v| !v),
            "Fn::And" | "Fn::Or" => {
                let is_and = name == "Fn::And";
                let mut undecided = false;
                for c in args? {
                    match self.eval_condition(c) {
                        Some(v) if v != is_and => return Some(v),
                        Some(_) => {}
                        None => undecided = true,
                    }
                }
                if undecided { None } else { Some(is_and) }
            }
            _ => None,
        }
    }
}

/// A piece of a string being built by `Sub`/`Join`: known text (pseudo parameters
/// included, kept as `${AWS::...}`), or an unknown part with the resources it names.
enum Part {
    Text(String),
    Unknown(String, Vec<String>),
}

fn unknown(node: &Node, reason: UnknownReason) -> Node {
    Node::new(
        Kind::Unknown(Unknown::new(render_expr(node), reason)),
        node.span.clone(),
    )
}

/// The service of a `{{resolve:service:...}}` dynamic reference in `s`, if it has one. With
/// several, a secret one (`secretsmanager`, `ssm-secure`) wins: the string then holds a secret.
pub fn dynamic_reference(s: &str) -> Option<String> {
    // Most strings have no brace at all: a byte scan rejects them before a substring search.
    if !s.as_bytes().contains(&b'{') {
        return None;
    }
    let mut services = s
        .split("{{resolve:")
        .skip(1)
        .filter_map(|rest| rest.split(':').next());
    let first = services.next()?;
    let secret = |service: &&str| matches!(*service, "secretsmanager" | "ssm-secure");
    if secret(&first) {
        return Some(first.to_owned());
    }
    Some(services.find(secret).unwrap_or(first).to_owned())
}

/// A compact rendering of an expression for messages (`!Ref X`, `!GetAtt X.Arn`).
pub fn render_expr(node: &Node) -> String {
    let mut out = String::new();
    render_into(node, &mut out, 0);
    if out.chars().count() > 120 {
        let cut: String = out.chars().take(117).collect();
        return format!("{cut}...");
    }
    out
}

fn render_into(node: &Node, out: &mut String, depth: usize) {
    if depth > 8 || out.len() > 200 {
        out.push_str("...");
        return;
    }
    if let Some((name, arg)) = node.intrinsic() {
        let short = name.trim_start_matches("Fn::");
        if short == "GetAtt"
            && let Some(parts) = arg.as_seq()
        {
            let parts: Vec<String> = parts.iter().filter_map(Node::as_scalar).collect();
            let _ = write!(out, "!GetAtt {}", parts.join("."));
            return;
        }
        out.push('!');
        out.push_str(short);
        out.push(' ');
        render_into(arg, out, depth + 1);
        return;
    }
    match &node.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(&b.to_string()),
        Kind::Number(n) => out.push_str(n),
        Kind::Str(s) => {
            if s.contains([' ', ',', '[', ']', '{', '}', ':']) || s.is_empty() {
                let _ = write!(out, "{s:?}");
            } else {
                out.push_str(s);
            }
        }
        Kind::Unknown(u) => out.push_str(&u.expr),
        Kind::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_into(item, out, depth + 1);
            }
            out.push(']');
        }
        Kind::Map(entries) => {
            out.push('{');
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&e.key);
                out.push_str(": ");
                render_into(&e.value, out, depth + 1);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::dynamic_reference;

    #[test]
    fn dynamic_reference_prefers_a_secret_service() {
        let cases = [
            ("plain text", None),
            ("{{resolve:ssm:/a/b}}", Some("ssm")),
            (
                "{{resolve:secretsmanager:db:SecretString:pw}}",
                Some("secretsmanager"),
            ),
            (
                "smtp://{{resolve:ssm:/user}}:{{resolve:ssm-secure:/pw}}@mail",
                Some("ssm-secure"),
            ),
            (
                "{{resolve:secretsmanager:a}}-{{resolve:ssm:/b}}",
                Some("secretsmanager"),
            ),
            ("{{resolve:ssm:/a}}{{resolve:ssm:/b}}", Some("ssm")),
        ];
        for (text, service) in cases {
            assert_eq!(dynamic_reference(text).as_deref(), service, "{text}");
        }
    }
}
