//! CloudFormation and SAM templates (YAML or JSON, CDK output included) into the model.

pub mod policy;
pub mod props;
pub mod resolve;
pub mod resources;
pub mod sam;
pub mod template;

use std::borrow::Cow;
use std::sync::Arc;

use sheepdog_diagnostics::Diagnostic;
use sheepdog_model::{Format, Model, Origin, Resource};

use crate::node::Node;
use resolve::Resolver;
use resources::Decl;
use template::Template;

/// Build the model of one parsed template.
pub fn build(file: &Arc<str>, root: &Node, diagnostics: &mut Vec<Diagnostic>) -> Model {
    let t = Template::new(root);
    let mut resolver = Resolver::new(&t);
    let mut model = Model::new(
        file.clone(),
        if t.is_sam {
            Format::Sam
        } else {
            Format::CloudFormation
        },
    );
    if let Some(resources) = root.get("Resources")
        && resources.as_map().is_none()
    {
        diagnostics.push(Diagnostic::error(
            "SD006",
            "`Resources` must be a mapping of logical IDs to resources",
            resources.span.clone(),
        ));
    }

    let globals = |section: &str| t.globals.and_then(|g| g.get(section));
    let resolved_globals =
        |r: &mut Resolver<'_>, section: &str| globals(section).and_then(|g| r.resolve(g));
    let g_api = resolved_globals(&mut resolver, "Api");
    let g_http = resolved_globals(&mut resolver, "HttpApi");
    let mut auth = sam::ApiAuth::new(g_api, g_http);

    // Declared serverless APIs first, so function events see their auth defaults.
    let mut pending = Vec::new();
    for r in &t.resources {
        let Some(kind) = r.kind else {
            diagnostics.push(Diagnostic::error(
                "SD006",
                format!("resource `{}` has no `Type`", r.id),
                r.key_span.clone(),
            ));
            continue;
        };
        let condition = match r.condition {
            Some(c) => match resolver.condition(c) {
                Some(false) => continue,
                Some(true) => None,
                None => Some(c.to_owned()),
            },
            None => None,
        };
        let meta = Resource {
            id: r.id.to_owned(),
            kind: kind.to_owned(),
            span: r.key_span.clone(),
            origin: Origin::Declared,
            condition,
            suppressions: suppressions(r.node, diagnostics),
            declared_at: None,
        };
        match kind {
            "AWS::Serverless::Api" | "AWS::Serverless::HttpApi" => {
                let section = if kind.ends_with("HttpApi") {
                    "HttpApi"
                } else {
                    "Api"
                };
                let merged = sam::globals::merge(globals(section), r.properties);
                let props = merged.as_ref().and_then(|m| resolver.resolve(m));
                auth.add(r.id, props.as_ref(), section == "HttpApi");
                if section == "HttpApi" {
                    sam::http_api(&mut model, meta, props.as_ref());
                } else {
                    sam::rest_api(&mut model, meta, props.as_ref());
                }
            }
            _ => pending.push((r, kind, meta)),
        }
    }
    for (r, kind, meta) in pending {
        // SAM resources take their `Globals` section first; plain resources have none.
        let merged: Option<Cow<'_, Node>> = match kind {
            "AWS::Serverless::Function" => {
                sam::globals::merge(globals("Function"), r.properties).map(Cow::Owned)
            }
            "AWS::Serverless::LayerVersion" => {
                sam::globals::merge(globals("LayerVersion"), r.properties).map(Cow::Owned)
            }
            _ => r.properties.map(Cow::Borrowed),
        };
        if kind == "AWS::Serverless::Function" {
            sam::function(
                &mut model,
                &meta,
                merged.as_deref(),
                r.node,
                &mut resolver,
                &auth,
            );
        } else {
            let props = merged.as_deref().and_then(|m| resolver.resolve(m));
            let decl = Decl {
                meta,
                props: props.as_ref(),
                node: r.node,
            };
            resources::map(&mut model, kind, &decl);
        }
    }
    diagnostics.append(&mut resolver.diagnostics);
    // Once, over every policy document of the finished model (SD009).
    policy::diagnose(&model, diagnostics);
    model
}

/// A calendar date written `YYYY-MM-DD` (month 01–12, day 01–31).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// `Metadata: {sheepdog: {ignore: [{rule: IAM004, reason: "...", expires: 2027-01-31}]}}`.
/// An entry without a reason is refused (a suppression must say why) with a warning.
fn suppressions(
    resource: &Node,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<sheepdog_model::Suppression> {
    let Some(list) = resource
        .get("Metadata")
        .and_then(|m| m.get("sheepdog"))
        .and_then(|s| s.get("ignore"))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in list.as_seq().unwrap_or_default() {
        let text = |key: &str| entry.get(key).and_then(Node::as_scalar);
        let expires = text("expires");
        if let Some(date) = expires.as_deref().filter(|d| !is_date(d)) {
            diagnostics.push(Diagnostic::warning(
                "SD010",
                format!("`expires: {date}` is not a date (YYYY-MM-DD): this suppression is ignored, as one that never expired would accept the risk for ever"),
                entry.span.clone(),
            ));
            continue;
        }
        if text("rule").is_some_and(|r| {
            r.eq_ignore_ascii_case("SUP001") || r.eq_ignore_ascii_case("expired-suppression")
        }) {
            diagnostics.push(Diagnostic::warning(
                "SD010",
                "SUP001 cannot be suppressed: renew the expired suppression with a new `expires`, or ignore SUP001 in sheepdog.toml for everyone to see",
                entry.span.clone(),
            ));
            continue;
        }
        match (text("rule"), text("reason")) {
            (Some(rule), Some(reason)) if !reason.trim().is_empty() => {
                out.push(sheepdog_model::Suppression {
                    rule,
                    reason,
                    expires,
                    span: entry.span.clone(),
                });
            }
            _ => diagnostics.push(Diagnostic::warning(
                "SD010",
                "a sheepdog suppression needs `rule` and a non-empty `reason`; this one is ignored",
                entry.span.clone(),
            )),
        }
    }
    out
}
