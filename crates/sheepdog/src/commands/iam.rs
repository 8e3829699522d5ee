//! `sheepdog iam explain`: what an IAM policy document allows, for people reviewing a policy
//! before they attach it. The document is a file (JSON or YAML, read with the loader's
//! positioned parsers, so every statement and entry has its line and column) or an AWS
//! managed policy from the embedded data. The output names each statement, expands each
//! wildcard against the action catalog (grouped by access level), lists the risky grants by
//! category, the escalation methods whose actions are all allowed, `NotAction`/`NotResource`
//! statements, unknown actions and the validation problems (`SD009`). `--format json` gives
//! the same facts in the shape documented in docs/iam-explain.md.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, anyhow, bail};
use serde::Serialize;
use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Pos, Sourced, Span, Value};
use sheepdog_iam::{
    AccessLevel, Action, Effect, Grant, PolicyDocument, Principal, Reach, Statement,
    action_message, catalog, effective, managed_policies, risk, validate,
};
use sheepdog_load::node::Node;

use crate::cli::{ExplainArgs, Format};
use crate::output;

/// The version of the JSON shape (docs/iam-explain.md): a new field bumps the minor
/// version, a removed or renamed one the major.
pub const SCHEMA_VERSION: &str = "1.0.0";

/// Actions shown per group in the terminal, unless `--all`.
const HANDFUL: usize = 5;

/// Access levels from the most to the least dangerous: the order groups are shown in.
const LEVELS: [AccessLevel; 5] = [
    AccessLevel::PermissionsManagement,
    AccessLevel::Write,
    AccessLevel::Tagging,
    AccessLevel::Read,
    AccessLevel::List,
];

/// `sheepdog iam explain`: exit 0, or an error (exit 2) when the input cannot be read or
/// parsed or is not a policy document.
pub fn explain(args: &ExplainArgs) -> anyhow::Result<u8> {
    let input = match (&args.file, &args.managed) {
        (_, Some(name)) => managed(name)?,
        (Some(path), None) => file(path)?,
        (None, None) => {
            bail!("name a policy file (or `-` for standard input), or `--managed NAME`")
        }
    };
    check_size(&input.document)?;
    let explanation = Explanation::of(&input);
    let mut out = output::open(None)?;
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &explanation)?;
            writeln!(out)?;
        }
        Format::Terminal => out.write_all(render(&explanation, args.all).as_bytes())?,
    }
    out.flush()?;
    Ok(0)
}

/// Most action grants (entry × action it matches) a document may expand to: AWS's broadest
/// policies expand to about 25,000; a document far beyond that (a file of thousands of
/// `"*"` entries, which IAM would refuse) is refused rather than explained at any cost.
const MAX_GRANTS: usize = 2_000_000;

fn check_size(doc: &PolicyDocument) -> anyhow::Result<()> {
    let all = catalog().all().len();
    let mut total = 0usize;
    for st in &doc.statements {
        let entries = st
            .action
            .iter()
            .chain(&st.not_action)
            .flat_map(|l| &l.value);
        for entry in entries {
            total += entry.value.as_str().map_or(0, |p| {
                if st.action.is_some() {
                    catalog().expand(p).len()
                } else {
                    all
                }
            });
            if total > MAX_GRANTS {
                bail!(
                    "the policy is too large to explain: its entries expand to more than {MAX_GRANTS} action grants (IAM accepts policies of at most a few thousand characters)"
                );
            }
        }
    }
    Ok(())
}

/// A document to explain, with where it came from.
struct Input {
    source: Source,
    document: PolicyDocument,
    /// Whether spans are real positions (a file), or all one placeholder (managed policies).
    located: bool,
    /// Parser diagnostics (duplicate keys, unknown tags).
    parse_problems: Vec<Diagnostic>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Source {
    File {
        path: String,
    },
    Managed {
        name: String,
        arn: Option<String>,
        deprecated: bool,
        updated: Option<String>,
    },
}

fn managed(name: &str) -> anyhow::Result<Input> {
    let policies = managed_policies();
    let found = if name.starts_with("arn:") {
        policies.by_arn(name)
    } else {
        policies.by_name(name).or_else(|| {
            policies
                .names()
                .find(|n| n.eq_ignore_ascii_case(name))
                .and_then(|n| policies.by_name(n))
        })
    };
    let Some(policy) = found else {
        bail!(
            "no AWS managed policy `{name}` in sheepdog's data ({} policies, newest update {}); give its name (`AdministratorAccess`) or ARN",
            policies.len(),
            policies.data_date
        );
    };
    let span = Span::point(Arc::from(policy.name.as_str()), Pos::default());
    Ok(Input {
        source: Source::Managed {
            name: policy.name.clone(),
            arn: policy.arn.clone(),
            deprecated: policy.deprecated,
            updated: policy.updated.clone(),
        },
        document: policy.document(&span),
        located: false,
        parse_problems: Vec::new(),
    })
}

fn file(path: &Path) -> anyhow::Result<Input> {
    let stdin = path == Path::new("-");
    let name: Arc<str> = if stdin {
        Arc::from("<stdin>")
    } else {
        Arc::from(path.to_string_lossy().as_ref())
    };
    let limit = sheepdog_load::MAX_FILE_SIZE;
    let mut bytes = Vec::new();
    if stdin {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        let len = std::fs::metadata(path)
            .with_context(|| format!("cannot read {name}"))?
            .len();
        if len > limit {
            bail!(
                "{name}: file is larger than the {} MB sheepdog reads",
                limit / (1024 * 1024)
            );
        }
        bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    }
    if bytes.len() as u64 > limit {
        bail!(
            "{name}: input is larger than the {} MB sheepdog reads",
            limit / (1024 * 1024)
        );
    }
    let text = sheepdog_load::parse_error::decode_utf8(&bytes)
        .map_err(|e| anyhow!("{name}:{}:{}: {}", e.pos.line, e.pos.column, e.message))?;
    let is_json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '"']);
    let parsed = if is_json {
        sheepdog_load::json::parse(&name, text)
    } else {
        sheepdog_load::yaml::parse(&name, text)
    }
    .map_err(|e| anyhow!("{name}:{}:{}: {}", e.pos.line, e.pos.column, e.message))?;
    let Some(root) = parsed.root else {
        bail!("{name}: empty file, not an IAM policy document");
    };
    let Some(node) = policy_node(&root) else {
        bail!(
            "{name}: not an IAM policy document (no `Statement`; `PolicyDocument` and `PolicyVersion.Document` wrappers are read too)"
        );
    };
    Ok(Input {
        source: Source::File {
            path: name.to_string(),
        },
        document: sheepdog_load::cfn::policy::document(node),
        located: true,
        parse_problems: parsed.diagnostics,
    })
}

/// The policy document in a parsed file: the root itself (a document, or one encoded as a
/// JSON string), or the document inside a CloudFormation `PolicyDocument` property or the
/// output of `aws iam get-policy-version`.
fn policy_node(root: &Node) -> Option<&Node> {
    let is_document = |n: &Node| {
        n.as_str().is_some()
            || n.as_map().is_some_and(|entries| {
                entries.iter().any(|e| {
                    let k = e.key.to_ascii_lowercase();
                    k.starts_with("statement") || k == "version" || k == "id"
                })
            })
    };
    if is_document(root) {
        return Some(root);
    }
    [
        root.get("PolicyDocument"),
        root.get("PolicyVersion").and_then(|v| v.get("Document")),
        root.get("Document"),
    ]
    .into_iter()
    .flatten()
    .find(|n| is_document(n))
}

// ---------------------------------------------------------------------------------------
// The explanation: plain data, serialized as the JSON output and rendered for the terminal.

#[derive(Debug, Serialize)]
struct Explanation<'i> {
    schema_version: &'static str,
    policy: &'i Source,
    /// `Version` as written; `null` when absent or unresolved.
    version: Option<String>,
    /// Part of the document could not be read: it may allow more than shown.
    incomplete: bool,
    allows: Allows,
    statements: Vec<StatementOut>,
    risks: Risks,
    unknown_actions: Vec<UnknownAction>,
    problems: Vec<Problem>,
    data: Vec<DataSet>,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Location {
    line: u32,
    column: u32,
}

#[derive(Debug, Serialize)]
struct Allows {
    /// Distinct actions allowed, after unconditional `Deny` statements.
    actions: usize,
    /// Actions in the catalog.
    catalog: usize,
    on_any_resource: usize,
    /// Allowed only under a condition (no unconditional grant of them).
    conditional: usize,
}

#[derive(Debug, Serialize)]
struct StatementOut {
    number: usize,
    sid: Option<String>,
    /// `Allow`, `Deny`, or `null` when unresolved or invalid.
    effect: Option<&'static str>,
    location: Option<Location>,
    principals: Vec<String>,
    not_principal: bool,
    /// The `Action` entries, or the `NotAction` entries when `not_action`.
    actions: Vec<EntryOut>,
    not_action: bool,
    /// With `NotAction`: every action it does not name, which the statement applies to
    /// (`null` when an entry is unresolved).
    applies_to: Option<Expansion>,
    resources: Vec<String>,
    not_resource: bool,
    /// `any`, `scoped`, `unknown` or `none`.
    reach: &'static str,
    conditions: Vec<ConditionOut>,
    /// A `Deny` that takes its actions away from the grants (unconditional, on `*`).
    subtracts: bool,
}

#[derive(Debug, Serialize)]
struct EntryOut {
    pattern: String,
    resolved: bool,
    wildcard: bool,
    location: Option<Location>,
    matches: Expansion,
}

#[derive(Debug, Serialize)]
struct Expansion {
    count: usize,
    levels: Vec<LevelGroup>,
}

#[derive(Debug, Serialize)]
struct LevelGroup {
    level: &'static str,
    count: usize,
    actions: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ConditionOut {
    operator: String,
    key: String,
    values: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Risks {
    permissions_management: Vec<RiskyGrant>,
    /// Write actions allowed on `*` that could be scoped to resources.
    write_on_any_resource: Vec<RiskyGrant>,
    /// Write actions allowed on `*` that take only `*` (not a scoping mistake).
    write_on_any_resource_unscopable: usize,
    credentials_exposure: Vec<RiskyGrant>,
    data_exfiltration: Vec<RiskyGrant>,
    privilege_escalation: Vec<Escalation>,
}

#[derive(Debug, Serialize)]
struct RiskyGrant {
    action: String,
    level: &'static str,
    /// `any`, `scoped` or `unknown`.
    reach: &'static str,
    conditional: bool,
    statement: usize,
}

#[derive(Debug, Serialize)]
struct Escalation {
    method: String,
    actions: Vec<RiskyGrant>,
    /// Every action of the method is allowed on `*` without a condition.
    unconditional_on_any_resource: bool,
}

#[derive(Debug, Serialize)]
struct UnknownAction {
    pattern: String,
    effect: Option<&'static str>,
    not_action: bool,
    statement: usize,
    location: Option<Location>,
    message: String,
}

#[derive(Debug, Serialize)]
struct Problem {
    code: &'static str,
    level: &'static str,
    message: String,
    location: Option<Location>,
}

#[derive(Debug, Serialize)]
struct DataSet {
    name: &'static str,
    generated: &'static str,
}

impl<'i> Explanation<'i> {
    fn of(input: &'i Input) -> Self {
        let doc = &input.document;
        let at = |span: &Span| {
            input.located.then_some(Location {
                line: span.start.line,
                column: span.start.column,
            })
        };
        let number = |st: &Statement| {
            doc.statements
                .iter()
                .position(|s| std::ptr::eq(s, st))
                .map_or(0, |i| i + 1)
        };

        let eff = effective(doc.statements.iter());
        let mut best = eff.by_action();
        best.sort_by_key(|g| g.action.index());
        let allows = Allows {
            actions: best.len(),
            catalog: catalog().all().len(),
            on_any_resource: best
                .iter()
                .filter(|g| g.reach == Reach::AnyResource)
                .count(),
            conditional: best.iter().filter(|g| g.conditional).count(),
        };
        let risky = |g: &Grant<'_>| RiskyGrant {
            action: g.action.full_name(),
            level: g.action.level.as_str(),
            reach: reach_name(g.reach),
            conditional: g.conditional,
            statement: number(g.statement),
        };
        let by_index: HashMap<usize, &Grant<'_>> =
            best.iter().map(|g| (g.action.index(), *g)).collect();
        let named = |names: &[String]| -> Vec<RiskyGrant> {
            let mut grants: Vec<&Grant<'_>> = names
                .iter()
                .filter_map(|n| catalog().action(n))
                .filter_map(|a| by_index.get(&a.index()).copied())
                .collect();
            grants.sort_by_key(|g| g.action.index());
            grants.dedup_by_key(|g| g.action.index());
            grants.into_iter().map(risky).collect()
        };
        let write_any: Vec<&Grant<'_>> = best
            .iter()
            .copied()
            .filter(|g| g.action.level == AccessLevel::Write && g.reach == Reach::AnyResource)
            .collect();
        // Methods that hold unconditionally on `*` first, then by name.
        let mut escalation: Vec<Escalation> = risk()
            .privilege_escalation
            .iter()
            .filter_map(|(method, actions)| {
                let grants: Option<Vec<&Grant<'_>>> = actions
                    .iter()
                    .map(|a| {
                        catalog()
                            .action(a)
                            .and_then(|a| by_index.get(&a.index()).copied())
                    })
                    .collect();
                let grants = grants?;
                Some(Escalation {
                    method: method.clone(),
                    unconditional_on_any_resource: grants
                        .iter()
                        .all(|g| g.reach == Reach::AnyResource && !g.conditional),
                    actions: grants.into_iter().map(risky).collect(),
                })
            })
            .collect();
        escalation.sort_by_key(|m| !m.unconditional_on_any_resource);
        let risks = Risks {
            permissions_management: best
                .iter()
                .filter(|g| g.action.level == AccessLevel::PermissionsManagement)
                .map(|g| risky(g))
                .collect(),
            write_on_any_resource: write_any
                .iter()
                .filter(|g| g.action.supports_resource_scoping())
                .map(|g| risky(g))
                .collect(),
            write_on_any_resource_unscopable: write_any
                .iter()
                .filter(|g| !g.action.supports_resource_scoping())
                .count(),
            credentials_exposure: named(&risk().credentials_exposure),
            data_exfiltration: named(&risk().data_exfiltration),
            privilege_escalation: escalation,
        };

        let statements: Vec<StatementOut> = doc
            .statements
            .iter()
            .enumerate()
            .map(|(i, st)| statement_out(i + 1, st, &at))
            .collect();

        let mut unknown_actions = Vec::new();
        for (i, st) in doc.statements.iter().enumerate() {
            let effect = st.effect.value.known().copied();
            for (list, not) in [(&st.action, false), (&st.not_action, true)] {
                for entry in list.iter().flat_map(|l| &l.value) {
                    if let Some(pattern) = entry.value.as_str()
                        && let Some(message) = action_message(pattern, effect, not)
                    {
                        unknown_actions.push(UnknownAction {
                            pattern: pattern.to_owned(),
                            effect: effect.map(effect_name),
                            not_action: not,
                            statement: i + 1,
                            location: at(&entry.span),
                            message,
                        });
                    }
                }
            }
        }

        let mut problems: Vec<Problem> = input
            .parse_problems
            .iter()
            .map(|d| Problem {
                code: d.code,
                level: match d.level {
                    DiagnosticLevel::Error => "error",
                    DiagnosticLevel::Warning => "warning",
                },
                message: d.message.clone(),
                location: d.span.as_ref().and_then(&at),
            })
            .collect();
        problems.extend(validate(doc).into_iter().map(|(message, span)| Problem {
            code: "SD009",
            level: "warning",
            message,
            location: at(&span),
        }));
        problems.sort_by_key(|p| p.location.map(|l| (l.line, l.column)));

        Explanation {
            schema_version: SCHEMA_VERSION,
            policy: &input.source,
            version: doc
                .version
                .as_ref()
                .and_then(|v| v.value.as_str().map(str::to_owned)),
            incomplete: doc.incomplete || eff.incomplete,
            allows,
            statements,
            risks,
            unknown_actions,
            problems,
            data: sheepdog_iam::data_dates()
                .into_iter()
                .map(|(name, generated)| DataSet { name, generated })
                .collect(),
        }
    }
}

fn statement_out(
    number: usize,
    st: &Statement,
    at: &impl Fn(&Span) -> Option<Location>,
) -> StatementOut {
    let cat = catalog();
    let not_action = st.action.is_none() && st.not_action.is_some();
    let list = if not_action {
        &st.not_action
    } else {
        &st.action
    };
    let actions: Vec<EntryOut> = list
        .iter()
        .flat_map(|l| &l.value)
        .map(|entry| {
            let pattern = entry.value.as_str();
            EntryOut {
                pattern: text(entry),
                resolved: pattern.is_some(),
                wildcard: pattern.is_some_and(|p| p.contains(['*', '?'])),
                location: at(&entry.span),
                matches: expansion(&pattern.map(|p| cat.expand(p)).unwrap_or_default()),
            }
        })
        .collect();
    let applies_to = if not_action {
        let patterns: Option<Vec<&str>> = st
            .not_action
            .iter()
            .flat_map(|l| &l.value)
            .map(|e| e.value.as_str())
            .collect();
        patterns.map(|patterns| {
            let named: std::collections::HashSet<usize> = patterns
                .iter()
                .flat_map(|p| cat.expand(p))
                .map(Action::index)
                .collect();
            let rest: Vec<&Action> = cat
                .all()
                .iter()
                .filter(|a| !named.contains(&a.index()))
                .collect();
            expansion(&rest)
        })
    } else {
        None
    };
    let resource_list = st.resource.as_ref().or(st.not_resource.as_ref());
    let reach = if st.not_resource.is_some() {
        "any"
    } else {
        match &st.resource {
            None => "none",
            Some(r) if r.value.iter().any(|e| e.value.as_str() == Some("*")) => "any",
            Some(r) if r.value.iter().any(|e| e.value.is_unknown()) => "unknown",
            Some(_) => "scoped",
        }
    };
    let effect = st.effect.value.known().copied();
    let principal = st.principal.as_ref().or(st.not_principal.as_ref());
    StatementOut {
        number,
        sid: st.sid.as_ref().map(text),
        effect: effect.map(effect_name),
        location: at(&st.span),
        principals: principal.map(|p| principals(&p.value)).unwrap_or_default(),
        not_principal: st.principal.is_none() && st.not_principal.is_some(),
        actions,
        not_action,
        applies_to,
        resources: resource_list
            .iter()
            .flat_map(|l| &l.value)
            .map(text)
            .collect(),
        not_resource: st.resource.is_none() && st.not_resource.is_some(),
        reach,
        conditions: st
            .condition
            .iter()
            .flat_map(|c| &c.value)
            .map(|c| ConditionOut {
                operator: c.operator.clone(),
                key: c.key.clone(),
                values: c.values.iter().map(text).collect(),
            })
            .collect(),
        subtracts: effect == Some(Effect::Deny)
            && !st.has_condition()
            && st.not_resource.is_none()
            && reach == "any",
    }
}

/// Actions grouped by access level, most dangerous first, each group in catalog order.
fn expansion(actions: &[&'static Action]) -> Expansion {
    let count = actions.len();
    let levels = LEVELS
        .iter()
        .filter_map(|&level| {
            let names: Vec<String> = actions
                .iter()
                .filter(|a| a.level == level)
                .map(|a| a.full_name())
                .collect();
            (!names.is_empty()).then(|| LevelGroup {
                level: level.as_str(),
                count: names.len(),
                actions: names,
            })
        })
        .collect();
    Expansion { count, levels }
}

fn principals(p: &Principal) -> Vec<String> {
    match p {
        Principal::Any => vec!["*".to_owned()],
        Principal::Typed(entries) => entries
            .iter()
            .map(|e| format!("{}:{}", e.kind, text(&e.value)))
            .collect(),
        Principal::Unknown(u) => vec![u.expr.clone()],
    }
}

/// A value as written: the known text, or the expression it could not be resolved from.
fn text(v: &Sourced<String>) -> String {
    match &v.value {
        Value::Known(s) => s.clone(),
        Value::Unknown(u) => u.expr.clone(),
    }
}

fn effect_name(e: Effect) -> &'static str {
    match e {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    }
}

fn reach_name(r: Reach) -> &'static str {
    match r {
        Reach::AnyResource => "any",
        Reach::Scoped => "scoped",
        Reach::Unknown => "unknown",
    }
}

// ---------------------------------------------------------------------------------------
// Terminal rendering.

fn render(e: &Explanation<'_>, all: bool) -> String {
    let mut o = String::new();
    let located = matches!(e.policy, Source::File { .. });
    let loc =
        |l: Option<Location>| l.map_or_else(String::new, |l| format!("{}:{}", l.line, l.column));
    match e.policy {
        Source::File { path } => {
            let _ = writeln!(o, "Policy {path}");
        }
        Source::Managed {
            name,
            arn,
            deprecated,
            updated,
        } => {
            let _ = write!(o, "AWS managed policy {name}");
            if let Some(arn) = arn {
                let _ = write!(o, " ({arn})");
            }
            if let Some(updated) = updated {
                let _ = write!(o, ", updated {updated}");
            }
            if *deprecated {
                let _ = write!(
                    o,
                    ", deprecated (no longer attachable, but roles may still have it)"
                );
            }
            o.push('\n');
        }
    }
    let _ = writeln!(
        o,
        "Version {} · {}",
        e.version.as_deref().unwrap_or("not set"),
        count(e.statements.len(), "statement")
    );
    let allows = &e.allows;
    if allows.actions == allows.catalog {
        let _ = write!(
            o,
            "Allows all {} actions of the IAM catalog",
            allows.actions
        );
    } else {
        let _ = write!(
            o,
            "Allows {} of the catalog's {} actions",
            allows.actions, allows.catalog
        );
    }
    let _ = writeln!(
        o,
        ": {} on any resource, {} only when a condition holds.",
        allows.on_any_resource, allows.conditional
    );
    if e.incomplete {
        let _ = writeln!(
            o,
            "Part of the document could not be read (an unresolved value or an unknown element): it may allow more than shown."
        );
    }

    for st in &e.statements {
        o.push('\n');
        let _ = write!(o, "Statement {}", st.number);
        if let Some(sid) = &st.sid {
            let _ = write!(o, " `{sid}`");
        }
        let _ = write!(o, " — {}", st.effect.unwrap_or("effect not known"));
        if let Source::File { path } = e.policy {
            let _ = write!(o, " — {path}:{}", loc(st.location));
        }
        o.push('\n');
        if !st.principals.is_empty() {
            let list = ticks(&st.principals);
            if st.not_principal {
                let _ = writeln!(o, "  NotPrincipal {list}: everyone except these");
            } else if st.principals == ["*"] {
                let _ = writeln!(o, "  Principal `*`: anyone");
            } else {
                let _ = writeln!(o, "  Principal {list}");
            }
        }
        let verb = match st.effect {
            Some("Deny") => "denies",
            Some(_) => "allows",
            None => "applies to",
        };
        let element = if st.not_action { "NotAction" } else { "Action" };
        for entry in &st.actions {
            let at = if located {
                format!(" ({})", loc(entry.location))
            } else {
                String::new()
            };
            let head = format!("  {element} `{}`{at}", entry.pattern);
            if !entry.resolved {
                let _ = writeln!(o, "{head}: not resolved");
            } else if entry.matches.count == 0 {
                let _ = writeln!(o, "{head}: matches no action (see Unknown actions)");
            } else if !entry.wildcard && entry.matches.count == 1 {
                let level = entry.matches.levels.first().map_or("", |g| g.level);
                let _ = writeln!(o, "{head}: {level}");
            } else {
                let _ = writeln!(
                    o,
                    "{head} matches {}:",
                    count(entry.matches.count, "action")
                );
                groups(&mut o, &entry.matches, all);
            }
        }
        if st.not_action {
            match &st.applies_to {
                Some(x) => {
                    let _ = writeln!(
                        o,
                        "  so the statement {verb} every other action: {}",
                        count(x.count, "action")
                    );
                    groups(&mut o, x, all);
                }
                None => {
                    let _ = writeln!(
                        o,
                        "  so the statement {verb} every other action (how many is not known: an entry is not resolved)"
                    );
                }
            }
        }
        if st.actions.is_empty() && !st.not_action {
            let _ = writeln!(o, "  no `Action`");
        }
        let resources = ticks(&st.resources);
        let _ = match (st.not_resource, st.reach) {
            (true, _) => writeln!(o, "  NotResource {resources}: every resource except these"),
            (false, "any") => writeln!(o, "  Resource {resources}: any resource"),
            (false, "unknown") => {
                writeln!(o, "  Resource {resources}: not resolved (it may be `*`)")
            }
            (false, "none") => writeln!(o, "  no `Resource`"),
            _ => writeln!(o, "  Resource {resources}: only these resources"),
        };
        if !st.conditions.is_empty() {
            let conditions: Vec<String> = st
                .conditions
                .iter()
                .map(|c| format!("`{}` `{}` = {}", c.operator, c.key, ticks(&c.values)))
                .collect();
            let _ = writeln!(
                o,
                "  Condition {}: the statement applies only when it holds",
                conditions.join("; ")
            );
        }
        if st.effect == Some("Deny") {
            if st.subtracts {
                let _ = writeln!(
                    o,
                    "  This Deny takes its actions away from every grant above."
                );
            } else {
                let _ = writeln!(
                    o,
                    "  This Deny is conditional or limited to some resources: the grants above are shown without it."
                );
            }
        }
    }

    o.push_str("\nRisky grants (after unconditional Deny statements)\n");
    let r = &e.risks;
    let mut any = false;
    let mut category = |o: &mut String, title: &str, note: &str, grants: &[RiskyGrant]| {
        if grants.is_empty() {
            return;
        }
        any = true;
        let _ = writeln!(
            o,
            "  {title} ({}{note}){}",
            grants.len(),
            grant_list(grants, all)
        );
    };
    category(
        &mut o,
        "Permissions management",
        "",
        &r.permissions_management,
    );
    let unscopable = if r.write_on_any_resource_unscopable > 0 {
        format!(
            "; {} more take only `*`",
            r.write_on_any_resource_unscopable
        )
    } else {
        String::new()
    };
    category(
        &mut o,
        "Write on any resource",
        &unscopable,
        &r.write_on_any_resource,
    );
    category(&mut o, "Credentials exposure", "", &r.credentials_exposure);
    category(&mut o, "Data exfiltration", "", &r.data_exfiltration);
    if !r.privilege_escalation.is_empty() {
        any = true;
        let _ = writeln!(
            o,
            "  Privilege escalation ({} whose actions are all allowed):",
            count(r.privilege_escalation.len(), "method")
        );
        let shown = if all { usize::MAX } else { HANDFUL };
        for m in r.privilege_escalation.iter().take(shown) {
            let _ = writeln!(o, "    {}{}", m.method, grant_list(&m.actions, true));
        }
        if r.privilege_escalation.len() > shown {
            let _ = writeln!(
                o,
                "    and {} more (`--all` lists them)",
                r.privilege_escalation.len() - shown
            );
        }
    }
    if !any {
        o.push_str("  none\n");
    }

    let not_uses: Vec<&StatementOut> = e
        .statements
        .iter()
        .filter(|s| s.not_action || s.not_resource)
        .collect();
    if !not_uses.is_empty() {
        o.push_str("\nNotAction / NotResource\n");
        for st in not_uses {
            let effect = st.effect.unwrap_or("statement");
            if st.not_action {
                let what = st.applies_to.as_ref().map_or_else(
                    || "an unknown number of actions".to_owned(),
                    |x| count(x.count, "action"),
                );
                let verb = if st.effect == Some("Deny") {
                    "denies"
                } else {
                    "allows"
                };
                let _ = writeln!(
                    o,
                    "  statement {}: {effect} with NotAction {verb} every action it does not name ({what})",
                    st.number
                );
            }
            if st.not_resource {
                let _ = writeln!(
                    o,
                    "  statement {}: {effect} with NotResource applies to every resource it does not name",
                    st.number
                );
            }
        }
    }

    if !e.unknown_actions.is_empty() {
        o.push_str("\nUnknown actions\n");
        for u in &e.unknown_actions {
            let at = if located {
                format!("{} ", loc(u.location))
            } else {
                String::new()
            };
            let _ = writeln!(o, "  {at}statement {}: {}", u.statement, u.message);
        }
    }

    let shown: Vec<&Problem> = e
        .problems
        .iter()
        .filter(|p| !e.unknown_actions.iter().any(|u| u.message == p.message))
        .collect();
    if !shown.is_empty() {
        o.push_str("\nProblems\n");
        for p in shown {
            let at = if located {
                format!("{}: ", loc(p.location))
            } else {
                String::new()
            };
            let _ = writeln!(o, "  {at}{}[{}]: {}", p.level, p.code, p.message);
        }
    }
    o
}

fn groups(o: &mut String, x: &Expansion, all: bool) {
    for g in &x.levels {
        let _ = writeln!(
            o,
            "    {} ({}): {}",
            g.level,
            g.count,
            handful(g.actions.iter().map(|a| format!("`{a}`")), g.count, all)
        );
    }
}

/// The first few items, then how many more.
fn handful(items: impl Iterator<Item = String>, total: usize, all: bool) -> String {
    let shown: Vec<String> = items.take(if all { usize::MAX } else { HANDFUL }).collect();
    let more = total.saturating_sub(shown.len());
    if more == 0 {
        shown.join(", ")
    } else {
        format!("{} and {more} more", shown.join(", "))
    }
}

/// The grants (with their access level when it varies), grouped by where they come from,
/// each group said once: ``: `a`, `b` and 3 more — statement 2, on `*` ``.
fn grant_list(grants: &[RiskyGrant], all: bool) -> String {
    let levels_vary = grants
        .first()
        .is_some_and(|first| grants.iter().any(|g| g.level != first.level));
    let mut groups: std::collections::BTreeMap<(usize, &str, bool), Vec<&RiskyGrant>> =
        std::collections::BTreeMap::new();
    for g in grants {
        groups
            .entry((g.statement, g.reach, g.conditional))
            .or_default()
            .push(g);
    }
    let parts: Vec<String> = groups
        .values()
        .map(|members| {
            let items = members.iter().map(|g| {
                if levels_vary {
                    format!("`{}` ({})", g.action, g.level)
                } else {
                    format!("`{}`", g.action)
                }
            });
            format!(
                "{} — {}",
                handful(items, members.len(), all),
                where_from(members[0])
            )
        })
        .collect();
    format!(": {}", parts.join("; "))
}

/// Where a grant comes from: ``statement 2, on `*`, only when its condition holds``.
fn where_from(g: &RiskyGrant) -> String {
    let reach = match g.reach {
        "any" => "on `*`",
        "scoped" => "on the resources it names",
        _ => "on resources not resolved",
    };
    let condition = if g.conditional {
        ", only when its condition holds"
    } else {
        ""
    };
    format!("statement {}, {reach}{condition}", g.statement)
}

fn ticks(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
