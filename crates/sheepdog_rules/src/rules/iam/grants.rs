//! What the roles and standalone policies of a template grant, grouped by the statement
//! that grants it, for the rules that report broad grants (IAM002, IAM003, IAM009, IAM011).
//!
//! Each role is evaluated whole ([`RolePolicies`]: inline, AWS managed and standalone
//! policies, an unconditional `Deny` anywhere subtracting); each grant is then put back
//! where it is written. A standalone policy attached to several roles is one group (what
//! any of them keeps); one attached to none of the template's roles is evaluated alone.

use std::collections::{HashMap, HashSet};

use sheepdog_iam::{
    AccessLevel, Action, Grant, PolicyDocument, Reach, Statement, covers_every_resource,
};
use sheepdog_iam::{action_matches, catalog, effective, is_any, managed_policies};
use sheepdog_model::{Model, Resource, Span};

use crate::context::describe;
use crate::role_policies::{RolePolicies, statement_label};

/// Which documents a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Documents {
    /// Those written in the template: inline policies, SAM policy templates and inline
    /// statements, standalone policies. What an AWS managed policy grants is IAM006's.
    Written,
    /// Those, and the AWS managed policies attached by ARN (or SAM name).
    WithManaged,
}

/// What a rule asks of [`for_each_group`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Query {
    pub documents: Documents,
    pub bounded: Bounded,
    /// The `Allow` statements the rule can report on; the others are not evaluated
    /// (`Deny` statements always are).
    pub relevant: Relevant,
}

/// Which `Allow` statements a rule can report on.
#[derive(Debug, Clone, Copy)]
pub(super) enum Relevant {
    /// Those a test keeps: [`may_reach_any`], [`has_service_wide_entry`].
    Statements(fn(&Statement) -> bool),
    /// Those that may grant one of a few actions on every resource.
    Targets(&'static Targets),
}

/// Whether a statement may grant something on every resource: it has `NotResource`, or a
/// `Resource` with a wildcard (an ARN without one names a single resource). Unresolved
/// resources are not taken for `*`.
pub(super) fn may_reach_any(st: &Statement) -> bool {
    st.not_resource.is_some() || st.resources().any(|(r, _)| r.contains(['*', '?']))
}

/// The few actions a rule looks for (IAM009, IAM011): the statements that cannot grant
/// one of them on every resource are not evaluated, and the `Action` entries that cannot
/// grant one are left out (`ReadOnlyAccess` has hundreds).
#[derive(Debug)]
pub(super) struct Targets {
    actions: Vec<(&'static Action, String)>,
    /// Their services, lower-case, once each: most entries name another one.
    services: Vec<String>,
}

impl Targets {
    /// The actions named (`service:Name`), those the catalog has.
    pub(super) fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> Self {
        let actions: Vec<(&'static Action, String)> = names
            .into_iter()
            .filter_map(|n| catalog().action(n))
            .map(|a| (a, a.full_name()))
            .collect();
        let mut services: Vec<String> = actions
            .iter()
            .map(|(a, _)| a.service.to_ascii_lowercase())
            .collect();
        services.sort_unstable();
        services.dedup();
        Self { actions, services }
    }

    /// Whether action pattern `pattern` may grant one of the targets marked in `among`.
    fn may_grant(&self, pattern: &str, among: &[bool]) -> bool {
        if let Some((service, _)) = pattern.trim().split_once(':')
            && !service.contains(['*', '?'])
            && !self
                .services
                .iter()
                .any(|s| s.eq_ignore_ascii_case(service))
        {
            return false;
        }
        self.actions
            .iter()
            .zip(among)
            .any(|((_, name), wanted)| *wanted && may_grant(pattern, name))
    }

    /// What to evaluate of `st`, an `Allow`; `None` when it cannot grant a target on every
    /// resource.
    fn select(&self, st: &Statement) -> Option<Selected> {
        // The targets some `Resource` reaches entirely (or `NotResource`).
        let reached: Vec<bool> = self
            .actions
            .iter()
            .map(|(action, _)| {
                st.not_resource.is_some()
                    || st
                        .resources()
                        .any(|(r, _)| covers_every_resource(r, action))
            })
            .collect();
        if !reached.contains(&true) {
            return None;
        }
        let Some(list) = &st.action else {
            return Some(Selected::Whole); // NotAction
        };
        let keep: Vec<bool> = list
            .value
            .iter()
            .map(|e| {
                e.value
                    .as_str()
                    .is_some_and(|p| self.may_grant(p, &reached))
            })
            .collect();
        if !keep.contains(&true) {
            return None;
        }
        if !keep.contains(&false) {
            return Some(Selected::Whole);
        }
        let mut copy = st.clone();
        if let Some(actions) = &mut copy.action {
            let mut kept = keep.iter();
            actions
                .value
                .retain(|_| kept.next().copied().unwrap_or(false));
        }
        Some(Selected::Copy(Box::new(copy)))
    }
}

/// What is evaluated of a statement a rule with targets can report on.
enum Selected {
    Whole,
    /// A copy with only the `Action` entries that may grant a target.
    Copy(Box<Statement>),
}

impl Selected {
    fn copy(&self) -> Option<&Statement> {
        match self {
            Selected::Whole => None,
            Selected::Copy(st) => Some(st),
        }
    }
}

/// Whether a statement has a service-wide `Action` entry (IAM002's).
pub(super) fn has_service_wide_entry(st: &Statement) -> bool {
    st.actions().any(|(a, _)| service_wide(a))
}

/// What a role's permissions boundary must let through for a grant to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bounded {
    /// The action on every resource: a boundary that allows it only on some resources
    /// makes the grant scoped (IAM003, IAM009, IAM011).
    OnAnyResource,
    /// The action on some resource (IAM002, which is about actions).
    Action,
}

/// Where a group's statements are written.
#[derive(Debug, Clone, Copy)]
pub(super) enum Origin<'a> {
    /// A statement of an inline or standalone policy (`template`: the SAM policy template
    /// it comes from).
    Statement {
        statement: &'a Statement,
        index: usize,
        policy: Option<&'a str>,
        template: Option<&'a str>,
    },
    /// Every statement of an AWS managed policy, at the ARN that attaches it.
    Managed(&'static str),
}

/// How a grant reaches any resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AnyVia<'a> {
    /// `Resource: "*"`.
    Star,
    /// A pattern that reaches every resource of the action's type (`arn:aws:s3:::*`).
    Pattern(&'a str),
    /// `NotResource`: everything but what it names.
    NotResource,
}

impl AnyVia<'_> {
    /// `any resource (`*`)`, for messages; `noun` is what the resources are (`role`).
    pub(super) fn describe(self, noun: &str) -> String {
        match self {
            AnyVia::Star => format!("any {noun} (`*`)"),
            AnyVia::Pattern(p) => format!("any {noun} (`{p}`)"),
            AnyVia::NotResource => format!("any {noun} but those its `NotResource` names"),
        }
    }
}

/// How a set of grants reaches any resource: `*` when one is on `*`, else `NotResource`,
/// else the patterns, each once.
pub(super) fn describe_reach(vias: &[AnyVia<'_>], noun: &str) -> String {
    if vias.contains(&AnyVia::Star) {
        return AnyVia::Star.describe(noun);
    }
    if vias.contains(&AnyVia::NotResource) {
        return AnyVia::NotResource.describe(noun);
    }
    let mut patterns: Vec<&str> = Vec::new();
    for v in vias {
        if let AnyVia::Pattern(p) = v
            && !patterns.contains(p)
        {
            patterns.push(p);
        }
    }
    format!("any {noun} (`{}`)", patterns.join("`, `"))
}

/// The grants of one statement (or one AWS managed policy) of one role or policy.
pub(super) struct Group<'a> {
    /// The role (inline statements, AWS managed policies) or standalone policy.
    pub resource: &'a Resource,
    /// Whether `resource` is a role rather than a standalone policy (whatever the format
    /// calls its type).
    pub of_role: bool,
    pub origin: Origin<'a>,
    pub grants: Vec<Grant<'a>>,
}

impl<'a> Group<'a> {
    /// `Role `X``, `Policy `P``, for messages, with where in it the grant is written.
    pub(super) fn who(&self) -> String {
        let kind = if self.of_role { "Role" } else { "Policy" };
        let whose = format!("{kind} {}", describe(self.resource));
        match self.origin {
            Origin::Managed(name) => format!("{whose}, through the AWS managed policy `{name}`,"),
            Origin::Statement {
                template: Some(t), ..
            } => format!("{whose}, through the SAM policy template `{t}`,"),
            Origin::Statement { statement, .. } => {
                format!("{whose}{}", statement_label(statement))
            }
        }
    }

    /// Tells this group's findings apart from the resource's others (no line numbers).
    pub(super) fn key(&self) -> String {
        match self.origin {
            Origin::Managed(name) => name.to_owned(),
            Origin::Statement { policy, index, .. } => {
                format!("{}/{index}", policy.unwrap_or_default())
            }
        }
    }

    /// Where a finding about `grants` (some of this group's) points: the one entry that
    /// grants them all, or the `Action` element that lists those entries.
    pub(super) fn anchor(&self, grants: &[&Grant<'a>]) -> &'a Span {
        let Some(first) = grants.first() else {
            return &self.resource.span;
        };
        if grants.iter().all(|g| std::ptr::eq(g.span, first.span)) {
            return first.span;
        }
        match (self.origin, &first.statement.action) {
            (Origin::Statement { .. }, Some(list)) => &list.span,
            _ => first.span,
        }
    }
}

/// How `grant` reaches any resource, if it does: `Resource: "*"`, `NotResource`, or a
/// pattern that covers every resource of the action's type (`arn:aws:s3:::*/*` for
/// `s3:GetObject`, which SAM writes for `S3ReadPolicy: {BucketName: "*"}`). `None` for
/// scoped grants and for those whose resources sheepdog cannot resolve.
pub(super) fn any_resource<'a>(grant: &Grant<'a>) -> Option<AnyVia<'a>> {
    let st = grant.statement;
    if st.not_resource.is_some() {
        return Some(AnyVia::NotResource);
    }
    if grant.reach == Reach::AnyResource {
        return Some(AnyVia::Star);
    }
    st.resources()
        .map(|(r, _)| r)
        .find(|r| !is_any(r) && covers_every_resource(r, grant.action))
        .map(AnyVia::Pattern)
}

/// Whether an action pattern names whole services (IAM002's): `*`, or an action part
/// that is only `*` (`s3:*`, `s3*:*`, `*:*`).
pub(super) fn service_wide(pattern: &str) -> bool {
    let pattern = pattern.trim();
    if pattern == "*" {
        return true;
    }
    pattern.split_once(':').is_some_and(|(service, action)| {
        !service.is_empty() && !action.is_empty() && action.chars().all(|c| c == '*')
    })
}

/// Whether `grant` comes from a service-wide wildcard on every resource (`s3:*` on `*`),
/// which IAM002 reports as such.
pub(super) fn service_wide_on_any(grant: &Grant<'_>) -> bool {
    grant.statement.action.is_some()
        && service_wide(grant.pattern)
        && (grant.reach == Reach::AnyResource || grant.statement.not_resource.is_some())
}

/// Whether a managed policy is `AdministratorAccess`, which IAM001 reports.
fn full_admin_policy(name: &str) -> bool {
    name == "AdministratorAccess"
}

/// The condition a finding about `grants` depends on: ` (only when its condition on `k`
/// holds)` when every one of them is conditional, nothing when one is not.
pub(super) fn condition_note(grants: &[&Grant<'_>]) -> String {
    if grants.is_empty() || grants.iter().any(|g| !g.conditional) {
        return String::new();
    }
    note(&condition_keys(grants.iter().map(|g| g.statement)))
}

/// ` (only when its condition on `k` holds)` for a statement with a `Condition`.
pub(super) fn statement_condition_note(statement: &Statement) -> String {
    if !statement.has_condition() {
        return String::new();
    }
    note(&condition_keys([statement]))
}

fn note(keys: &[&str]) -> String {
    format!(
        " (only when its condition on `{}` holds)",
        keys.join("`, `")
    )
}

/// The condition keys of `statements`, in order, once each.
pub(super) fn condition_keys<'a>(
    statements: impl IntoIterator<Item = &'a Statement>,
) -> Vec<&'a str> {
    let mut keys: Vec<&str> = Vec::new();
    for c in statements
        .into_iter()
        .flat_map(|st| st.condition.iter().flat_map(|c| &c.value))
    {
        if !keys.contains(&c.key.as_str()) {
            keys.push(&c.key);
        }
    }
    keys
}

/// `a`, `b`, `c` and 12 more: at most `max` actions named.
pub(super) fn list_actions(actions: &[&Action], max: usize) -> String {
    let named: Vec<String> = actions
        .iter()
        .take(max)
        .map(|a| format!("`{}`", a.full_name()))
        .collect();
    let rest = actions.len().saturating_sub(max);
    match (named.as_slice(), rest) {
        ([], _) => String::new(),
        ([one], 0) => one.clone(),
        (_, 0) => {
            let (last, init) = named
                .split_last()
                .map_or((String::new(), &[][..]), |(l, i)| (l.clone(), i));
            format!("{} and {last}", init.join(", "))
        }
        (_, n) => format!("{} and {n} more", named.join(", ")),
    }
}

/// Actions people know to be dangerous, most alarming first: what a message names when a
/// wildcard grants many actions.
const HEADLINES: [&str; 30] = [
    "iam:PassRole",
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:CreateAccessKey",
    "sts:AssumeRole",
    "lambda:UpdateFunctionCode",
    "lambda:AddPermission",
    "s3:PutBucketPolicy",
    "s3:DeleteBucket",
    "s3:GetObject",
    "dynamodb:DeleteTable",
    "dynamodb:Scan",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutResourcePolicy",
    "ssm:GetParameter",
    "ssm:SendCommand",
    "kms:Decrypt",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "sqs:DeleteQueue",
    "sqs:SetQueueAttributes",
    "sns:SetTopicAttributes",
    "sns:DeleteTopic",
    "logs:DeleteLogGroup",
    "ec2:RunInstances",
    "ec2:AuthorizeSecurityGroupIngress",
    "cloudformation:CreateStack",
    "events:PutRule",
    "states:StartExecution",
    "apigateway:DELETE",
];

/// Where `action` stands among the best known dangerous actions (lower is worse);
/// `usize::MAX` when it is not one of them.
pub(super) fn headline_rank(action: &Action) -> usize {
    let name = action.full_name();
    HEADLINES
        .iter()
        .position(|h| h.eq_ignore_ascii_case(&name))
        .unwrap_or(usize::MAX)
}

/// At most `max` of `actions` worth naming: the best known dangerous ones, then
/// permissions-management actions, then deletions, in that order.
pub(super) fn headline<'c>(actions: &[&'c Action], max: usize) -> Vec<&'c Action> {
    let rank = |a: &Action| -> (usize, usize) {
        let known = headline_rank(a);
        if known != usize::MAX {
            return (0, known);
        }
        match a.level {
            AccessLevel::PermissionsManagement => (1, a.index()),
            AccessLevel::Write if a.name.starts_with("Delete") => (2, a.index()),
            _ => (3, a.index()),
        }
    };
    let mut ranked: Vec<(usize, usize, &Action)> = actions
        .iter()
        .map(|a| {
            let (tier, order) = rank(a);
            (tier, order, *a)
        })
        .filter(|(tier, _, _)| *tier < 3)
        .collect();
    ranked.sort_by_key(|(tier, order, _)| (*tier, *order));
    ranked.dedup_by_key(|(_, _, a)| a.index());
    ranked.into_iter().take(max).map(|(_, _, a)| a).collect()
}

/// `n` with thousands separated (`22,091`).
pub(super) fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Where each statement of a role's documents is written.
#[derive(Clone, Copy)]
enum Place<'a> {
    Inline {
        index: usize,
        policy: Option<&'a str>,
        template: Option<&'a str>,
    },
    /// An AWS managed policy, and which attachment (its document).
    Managed(&'static str, usize),
    Standalone {
        resource: &'a Resource,
        index: usize,
        policy: Option<&'a str>,
    },
}

/// Run `f` over the groups of grants of every role and standalone policy of `model`: each
/// role's inline and AWS managed groups as soon as the role is evaluated (memory stays
/// bounded by one role), then the standalone policies'. Within a group, grants keep the
/// engine's order (statement entries, then catalog order). Statements of `*` on `*` and
/// `AdministratorAccess` (IAM001's) are left out.
pub(super) fn for_each_group(model: &Model, query: &Query, mut f: impl FnMut(&Group<'_>)) {
    let Query {
        documents,
        bounded,
        relevant,
    } = *query;
    let roles: Vec<(&sheepdog_model::Role, RolePolicies<'_>)> = model
        .roles
        .iter()
        .map(|r| (r, RolePolicies::of(model, r)))
        .collect();
    // For a rule with targets: the relevant `Allow` statements (by address), with the
    // copy to evaluate instead when entries are left out; the way back from a copy.
    let selected: HashMap<*const Statement, Selected> = match relevant {
        Relevant::Statements(_) => HashMap::new(),
        Relevant::Targets(t) => roles
            .iter()
            .flat_map(|(_, p)| p.statements())
            .chain(
                model
                    .policies
                    .iter()
                    .flat_map(|p| p.document.iter())
                    .flat_map(|d| &d.statements),
            )
            .filter(|st| st.is_allow() && !st.is_full_admin())
            .filter_map(|st| Some((std::ptr::from_ref(st), t.select(st)?)))
            .collect(),
    };
    let back: HashMap<*const Statement, *const Statement> = selected
        .iter()
        .filter_map(|(original, selected)| Some((std::ptr::from_ref(selected.copy()?), *original)))
        .collect();
    // IAM001's statements are left out (an `Allow` only adds, and expanding `*` costs
    // 22,000 grants each), and so are the `Allow` statements the rule cannot report on.
    let wanted = |st: &&Statement| -> bool {
        !st.is_full_admin()
            && (!st.is_allow()
                || match relevant {
                    Relevant::Statements(keep) => keep(st),
                    Relevant::Targets(_) => selected.contains_key(&std::ptr::from_ref(*st)),
                })
    };
    // What is evaluated for a statement, and the statement a grant's really comes from.
    let evaluated = |st: &'_ Statement| {
        selected
            .get(&std::ptr::from_ref(st))
            .and_then(Selected::copy)
    };
    let original = |st: &Statement| -> *const Statement {
        let at = std::ptr::from_ref(st);
        back.get(&at).copied().unwrap_or(at)
    };
    // Standalone policies' groups, gathered across the roles that have them: keyed by
    // statement, each action of each entry once.
    let mut shared: Vec<Group<'_>> = Vec::new();
    let mut shared_index: HashMap<usize, usize> = HashMap::new();
    let mut shared_seen: HashSet<(usize, usize, *const Span)> = HashSet::new();
    let mut attached: HashSet<*const PolicyDocument> = HashSet::new();
    let mut boundaries = Boundaries::default();

    for (role, policies) in &roles {
        attached.extend(policies.standalone.iter().map(|d| std::ptr::from_ref(*d)));
        // The `Allow` statements of AWS managed policies, for a rule that does not read
        // them (their `Deny` statements still take away).
        let unread: HashSet<*const Statement> = match documents {
            Documents::Written => policies
                .managed
                .iter()
                .flat_map(|(_, d)| &d.statements)
                .filter(|st| st.is_allow())
                .map(std::ptr::from_ref)
                .collect(),
            Documents::WithManaged => HashSet::new(),
        };
        let statements: Vec<&Statement> = policies
            .statements()
            .filter(|st| !unread.contains(&std::ptr::from_ref(*st)))
            .filter(wanted)
            .map(|st| evaluated(st).unwrap_or(st))
            .collect();
        if !statements.iter().any(|st| st.is_allow()) {
            continue; // nothing the rule can report on
        }
        let places = places(model, role, policies);
        let boundary = boundaries.of(model, role);
        let mut own: Vec<Group<'_>> = Vec::new();
        let mut own_index: HashMap<usize, usize> = HashMap::new();
        let mut managed_seen: HashSet<(usize, usize)> = HashSet::new();
        // Grants come entry by entry: where the current entry's go, or `None` to skip.
        let mut current: Option<(*const Span, Option<Target>)> = None;
        for grant in effective(statements).grants {
            let entry = std::ptr::from_ref(grant.span);
            let target = match current {
                Some((at, target)) if at == entry => target,
                _ => {
                    let target = places.get(&original(grant.statement)).and_then(|place| {
                        let (group, anchor) = group_of(&grant, role, *place, documents)?;
                        Some(if matches!(place, Place::Standalone { .. }) {
                            Target::Shared(*shared_index.entry(anchor).or_insert_with(|| {
                                shared.push(group);
                                shared.len() - 1
                            }))
                        } else {
                            Target::Own(*own_index.entry(anchor).or_insert_with(|| {
                                own.push(group);
                                own.len() - 1
                            }))
                        })
                    });
                    current = Some((entry, target));
                    target
                }
            };
            let Some(target) = target else {
                continue;
            };
            if !boundary.lets_through(&grant, bounded) {
                continue;
            }
            match target {
                // A standalone policy comes once per role that has it.
                Target::Shared(g) => {
                    if shared_seen.insert((g, grant.action.index(), entry)) {
                        shared[g].grants.push(grant);
                    }
                }
                // A managed policy's statements all point at the ARN: each action once.
                Target::Own(g) => {
                    let managed = matches!(own[g].origin, Origin::Managed(_));
                    if !managed || managed_seen.insert((g, grant.action.index())) {
                        own[g].grants.push(grant);
                    }
                }
            }
        }
        for group in &own {
            f(group);
        }
    }
    for group in &shared {
        f(group);
    }

    // Standalone policies no role of the template has: what they grant on their own.
    for policy in &model.policies {
        let Some(doc) = &policy.document else {
            continue;
        };
        if attached.contains(&std::ptr::from_ref(doc)) || is_boundary(model, policy) {
            continue;
        }
        let name = policy.name.as_ref().and_then(|n| n.value.as_str());
        let mut by_statement: Vec<Group<'_>> = doc
            .statements
            .iter()
            .enumerate()
            .map(|(index, statement)| Group {
                resource: &policy.resource,
                of_role: false,
                origin: Origin::Statement {
                    statement,
                    index,
                    policy: name,
                    template: None,
                },
                grants: Vec::new(),
            })
            .collect();
        let statements = doc
            .statements
            .iter()
            .filter(wanted)
            .map(|st| evaluated(st).unwrap_or(st));
        for grant in effective(statements).grants {
            let at = original(grant.statement);
            if let Some(i) = doc.statements.iter().position(|s| std::ptr::eq(s, at)) {
                by_statement[i].grants.push(grant);
            }
        }
        for group in by_statement.iter().filter(|g| !g.grants.is_empty()) {
            f(group);
        }
    }
}

/// Whether action pattern `pattern` matches `name` (`service:Name`), with the cheap
/// tests first: most patterns name another service, or no wildcard.
fn may_grant(pattern: &str, name: &str) -> bool {
    let pattern = pattern.trim();
    let wild = |s: &str| s.contains(['*', '?']);
    if let (Some((service, _)), Some((named, _))) = (pattern.split_once(':'), name.split_once(':'))
        && !wild(service)
        && !service.eq_ignore_ascii_case(named)
    {
        return false;
    }
    if wild(pattern) {
        action_matches(pattern, name)
    } else {
        pattern.eq_ignore_ascii_case(name)
    }
}

/// Where an entry's grants go: a group of the role's own, or of a standalone policy.
#[derive(Clone, Copy)]
enum Target {
    Own(usize),
    Shared(usize),
}

/// A role's permissions boundary, as far as it limits what its policies grant on every
/// resource: the grant stands only when the boundary also allows the action on every
/// resource, or when sheepdog cannot tell.
enum Boundary {
    None,
    /// Outside the template, or unresolved: it may or may not stop a grant.
    Unreadable,
    /// By catalog index, what the boundary allows of each action: [`NOT_ALLOWED`],
    /// [`ALLOWED_ON_SOME`], or [`ALLOWED_ON_ANY`] (every resource, or perhaps: unresolved
    /// resources). `complete` is false when something of the boundary could not be
    /// evaluated, so an action it does not allow may still pass.
    Known {
        allowed: Vec<u8>,
        complete: bool,
    },
}

const NOT_ALLOWED: u8 = 0;
const ALLOWED_ON_SOME: u8 = 1;
const ALLOWED_ON_ANY: u8 = 2;

impl Boundary {
    /// The boundary document of `role`, and what identifies it (several roles often share
    /// one, through SAM `Globals`).
    fn document(model: &Model, role: &sheepdog_model::Role) -> Option<(usize, PolicyDocument)> {
        let b = role.permissions_boundary.as_ref()?;
        if let Some(p) = model.policy_by_arn(&b.value) {
            let doc = p.document.as_ref()?;
            return Some((std::ptr::from_ref(doc) as usize, doc.clone()));
        }
        let p = managed_policies().by_arn(b.value.as_str()?)?;
        Some((std::ptr::from_ref(p) as usize, p.document(&b.span)))
    }

    fn known(doc: &PolicyDocument) -> Self {
        let e = effective(&doc.statements);
        let mut allowed = vec![NOT_ALLOWED; catalog().all().len()];
        for g in &e.grants {
            let reach = if g.reach == Reach::Unknown || any_resource(g).is_some() {
                ALLOWED_ON_ANY
            } else {
                ALLOWED_ON_SOME
            };
            if let Some(a) = allowed.get_mut(g.action.index()) {
                *a = (*a).max(reach);
            }
        }
        Self::Known {
            allowed,
            complete: !e.incomplete && !doc.incomplete,
        }
    }

    /// Whether `grant` may hold despite the boundary, as `bounded` asks.
    fn lets_through(&self, grant: &Grant<'_>, bounded: Bounded) -> bool {
        match self {
            Self::None | Self::Unreadable => true,
            Self::Known { allowed, complete } => match allowed.get(grant.action.index()).copied() {
                Some(ALLOWED_ON_ANY) => true,
                Some(ALLOWED_ON_SOME) => bounded == Bounded::Action,
                _ => !complete,
            },
        }
    }
}

/// The boundaries of a template's roles, each evaluated once.
#[derive(Default)]
struct Boundaries(HashMap<usize, std::rc::Rc<Boundary>>);

impl Boundaries {
    fn of(&mut self, model: &Model, role: &sheepdog_model::Role) -> std::rc::Rc<Boundary> {
        if role.permissions_boundary.is_none() {
            return std::rc::Rc::new(Boundary::None);
        }
        let Some((key, doc)) = Boundary::document(model, role) else {
            return std::rc::Rc::new(Boundary::Unreadable);
        };
        self.0
            .entry(key)
            .or_insert_with(|| std::rc::Rc::new(Boundary::known(&doc)))
            .clone()
    }
}

/// Whether a standalone policy serves only as a permissions boundary (of a role of the
/// template, attached to none as a policy): it grants nothing.
fn is_boundary(model: &Model, policy: &sheepdog_model::ManagedPolicy) -> bool {
    let is = |p: &sheepdog_model::ManagedPolicy| std::ptr::eq(p, policy);
    model.roles.iter().any(|r| {
        r.permissions_boundary
            .as_ref()
            .is_some_and(|b| model.policy_by_arn(&b.value).is_some_and(is))
    }) && !model.roles.iter().any(|r| model.policies_of(r).any(is))
}

/// The (new, empty) group the grants of `grant`'s entry belong to, and what identifies it
/// within its resource (the statement, or the managed policy's document); `None` when they
/// are left out (a document the rule does not read, `AdministratorAccess`).
fn group_of<'a>(
    grant: &Grant<'a>,
    role: &'a sheepdog_model::Role,
    place: Place<'a>,
    documents: Documents,
) -> Option<(Group<'a>, usize)> {
    let statement = std::ptr::from_ref(grant.statement) as usize;
    let (resource, origin, anchor) = match place {
        Place::Inline {
            index,
            policy,
            template,
        } => (
            &role.resource,
            Origin::Statement {
                statement: grant.statement,
                index,
                policy,
                template,
            },
            statement,
        ),
        Place::Standalone {
            resource,
            index,
            policy,
        } => (
            resource,
            Origin::Statement {
                statement: grant.statement,
                index,
                policy,
                template: None,
            },
            statement,
        ),
        Place::Managed(name, document) => {
            if documents == Documents::Written || full_admin_policy(name) {
                return None;
            }
            // Every statement of one attachment: one group.
            (&role.resource, Origin::Managed(name), document)
        }
    };
    let group = Group {
        resource,
        of_role: !matches!(place, Place::Standalone { .. }),
        origin,
        grants: Vec::new(),
    };
    Some((group, anchor))
}

/// Where each statement of `role`'s documents is written.
fn places<'a>(
    model: &'a Model,
    role: &'a sheepdog_model::Role,
    policies: &'a RolePolicies<'a>,
) -> HashMap<*const Statement, Place<'a>> {
    let mut places = HashMap::new();
    for policy in &role.inline_policies {
        let name = policy.name.as_ref();
        let template = name
            .filter(|n| role.policy_templates.iter().any(|t| t.name.span == n.span))
            .and_then(|n| n.value.as_str());
        for (index, st) in policy.document.statements.iter().enumerate() {
            places.insert(
                std::ptr::from_ref(st),
                Place::Inline {
                    index,
                    policy: name.and_then(|n| n.value.as_str()),
                    template,
                },
            );
        }
    }
    for (name, doc) in &policies.managed {
        let document = std::ptr::from_ref(doc) as usize;
        for st in &doc.statements {
            places.insert(std::ptr::from_ref(st), Place::Managed(name, document));
        }
    }
    for policy in model.policies_of(role) {
        let Some(doc) = &policy.document else {
            continue;
        };
        for (index, st) in doc.statements.iter().enumerate() {
            places.insert(
                std::ptr::from_ref(st),
                Place::Standalone {
                    resource: &policy.resource,
                    index,
                    policy: policy.name.as_ref().and_then(|n| n.value.as_str()),
                },
            );
        }
    }
    places
}

/// Every statement written in the template (inline policies, SAM policy templates and
/// statements, standalone policies), as a group without grants: for rules that read
/// statements as written (IAM005).
pub(super) fn written_statements(model: &Model) -> Vec<Group<'_>> {
    let mut out = Vec::new();
    for role in &model.roles {
        for policy in &role.inline_policies {
            let name = policy.name.as_ref();
            let template = name
                .filter(|n| role.policy_templates.iter().any(|t| t.name.span == n.span))
                .and_then(|n| n.value.as_str());
            for (index, statement) in policy.document.statements.iter().enumerate() {
                out.push(Group {
                    resource: &role.resource,
                    of_role: true,
                    origin: Origin::Statement {
                        statement,
                        index,
                        policy: name.and_then(|n| n.value.as_str()),
                        template,
                    },
                    grants: Vec::new(),
                });
            }
        }
    }
    for policy in model.policies.iter().filter(|p| !is_boundary(model, p)) {
        if let Some(doc) = &policy.document {
            for (index, statement) in doc.statements.iter().enumerate() {
                out.push(Group {
                    resource: &policy.resource,
                    of_role: false,
                    origin: Origin::Statement {
                        statement,
                        index,
                        policy: policy.name.as_ref().and_then(|n| n.value.as_str()),
                        template: None,
                    },
                    grants: Vec::new(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_that_may_grant_an_action() {
        let cases = [
            ("iam:PassRole", "iam:PassRole", true),
            ("IAM:passrole", "iam:PassRole", true),
            ("iam:Pass*", "iam:PassRole", true),
            ("*", "iam:PassRole", true),
            ("*:*", "iam:PassRole", true),
            ("i?m:*", "iam:PassRole", true),
            ("s3:*", "iam:PassRole", false),
            ("iam:PassRoles", "iam:PassRole", false),
            ("iam:Get*", "iam:PassRole", false),
        ];
        for (pattern, name, expected) in cases {
            assert_eq!(may_grant(pattern, name), expected, "{pattern} {name}");
        }
    }

    #[test]
    fn counts_and_lists() {
        assert_eq!(count(7), "7");
        assert_eq!(count(22_091), "22,091");
        assert_eq!(count(1_234_567), "1,234,567");
        let cat = sheepdog_iam::catalog();
        let actions: Vec<&Action> = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
            .iter()
            .filter_map(|a| cat.action(a))
            .collect();
        assert_eq!(list_actions(&actions[..1], 4), "`s3:GetObject`");
        assert_eq!(
            list_actions(&actions, 4),
            "`s3:GetObject`, `s3:PutObject` and `s3:DeleteObject`"
        );
        assert_eq!(
            list_actions(&actions, 2),
            "`s3:GetObject`, `s3:PutObject` and 1 more"
        );
    }
}
