use sheepdog_iam::{Effect, PolicyDocument, Statement, action_matches, is_any};
use sheepdog_model::{
    Located, ManagedPolicy, Model, Origin, Role, Sourced, Span, UnknownReason, Value,
};

use super::execution_roles::execution_roles;
use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function's execution role that cannot write the function's logs. Either nothing it
    /// has allows both `logs:CreateLogStream` and `logs:PutLogEvents` (by name or by a
    /// wildcard such as `logs:*`, `logs:Put*` or `*`), or a `Deny` on every resource takes
    /// one of them away, or its permissions boundary does not allow them. The role's inline policies,
    /// its managed policies and the standalone policies attached to it
    /// (`AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, `AWS::IAM::RolePolicy`) are read;
    /// of the AWS managed policies, those known to grant log writing are recognised
    /// (`AWSLambdaBasicExecutionRole` and the other Lambda execution-role policies,
    /// `AWSLambdaExecute`, `CloudWatchLogsFullAccess`, `PowerUserAccess`,
    /// `AdministratorAccess`). Any other managed policy, an unresolved policy or statement,
    /// or a role outside the template means sheepdog cannot tell, and the rule says nothing.
    /// A SAM function without `Role` gets `AWSLambdaBasicExecutionRole` from SAM.
    ///
    /// ## Why it matters
    /// Practice 4 (monitoring and logging): without these permissions Lambda silently drops
    /// everything the function writes — errors, stack traces, audit lines. Failures go
    /// unnoticed, and after an incident there is nothing to investigate. Practice 1 (least
    /// privilege) trims a role to what the function needs, and these two actions are part of
    /// it.
    ///
    /// ## How to fix
    /// Grant `logs:CreateLogStream` and `logs:PutLogEvents` on the function's log group
    /// (`arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/<name>:*`),
    /// or attach `AWSLambdaBasicExecutionRole`. If a `Deny` or a permissions boundary takes
    /// them away, scope it so the function's own log group stays writable.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Service: lambda.amazonaws.com}
    ///             Action: sts:AssumeRole
    ///       Policies:
    ///         - PolicyName: orders
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: dynamodb:GetItem
    ///                 Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: !GetAtt FnRole.Arn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   FnRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Service: lambda.amazonaws.com}
    ///             Action: sts:AssumeRole
    ///       ManagedPolicyArns:
    ///         - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
    ///       Policies:
    ///         - PolicyName: orders
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: dynamodb:GetItem
    ///                 Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: !GetAtt FnRole.Arn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    /// ```
    pub struct CannotWriteLogs {
        id: "IAM013",
        name: "execution-role-cannot-write-logs",
        severity: Low,
        practices: [4, 1],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// What writing a function's logs takes.
const ACTIONS: [&str; 2] = ["logs:CreateLogStream", "logs:PutLogEvents"];

/// AWS managed policies that allow both actions on every log group (path and name after
/// `arn:<partition>:iam::aws:policy/`). Any other managed policy may or may not.
const LOG_WRITING_POLICIES: [&str; 12] = [
    "service-role/AWSLambdaBasicExecutionRole",
    "service-role/AWSLambdaBasicDurableExecutionRolePolicy",
    "service-role/AWSLambdaVPCAccessExecutionRole",
    "service-role/AWSLambdaSQSQueueExecutionRole",
    "service-role/AWSLambdaKinesisExecutionRole",
    "service-role/AWSLambdaDynamoDBExecutionRole",
    "service-role/AWSLambdaMSKExecutionRole",
    "service-role/AmazonS3ObjectLambdaExecutionRolePolicy",
    "AWSLambdaExecute",
    "CloudWatchLogsFullAccess",
    "PowerUserAccess",
    "AdministratorAccess",
];

impl Rule for CannotWriteLogs {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for (role, functions) in execution_roles(model) {
            let Some(problem) = evaluate(model, role) else {
                continue;
            };
            let (span, why, help) = match &problem {
                Problem::Denied { actions, at } => (
                    *at,
                    format!("a `Deny` statement removes {}", list(actions, "and")),
                    "scope the `Deny` so the function's own log group stays writable",
                ),
                Problem::Boundary { actions, at } => (
                    *at,
                    format!(
                        "its permissions boundary does not allow {}",
                        list(actions, "or")
                    ),
                    "allow `logs:CreateLogStream` and `logs:PutLogEvents` in the permissions boundary",
                ),
                Problem::Missing { actions } => (
                    &role.resource.span,
                    format!("nothing grants it {}", list(actions, "or")),
                    "grant `logs:CreateLogStream` and `logs:PutLogEvents` on the function's log group, or attach `AWSLambdaBasicExecutionRole`",
                ),
            };
            let whose = if functions.len() == 1 {
                "the function's"
            } else {
                "the functions'"
            };
            // A role SAM created for the function already says whose it is.
            let of = match &role.resource.origin {
                Origin::Derived { from, .. } if functions == [from.as_str()] => String::new(),
                _ => {
                    let quoted: Vec<String> = functions.iter().map(|f| format!("`{f}`")).collect();
                    format!(" of {}", crate::context::join(&quoted, "and"))
                }
            };
            cx.report(
                &role.resource,
                span,
                "",
                format!(
                    "Execution role {}{of} cannot write {whose} logs: {why}",
                    describe(&role.resource),
                ),
                help,
            );
        }
    }
}

/// Why a role cannot write logs, with the actions concerned.
enum Problem<'a> {
    Denied {
        actions: Vec<&'static str>,
        at: &'a Span,
    },
    Boundary {
        actions: Vec<&'static str>,
        at: &'a Span,
    },
    Missing {
        actions: Vec<&'static str>,
    },
}

fn list(actions: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = actions.iter().map(|a| format!("`{a}`")).collect();
    quoted.join(&format!(" {conjunction} "))
}

/// Whether something is allowed (or denied): surely not, perhaps, surely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tri {
    No,
    Maybe,
    Yes,
}

/// What a set of policies says about each of [`ACTIONS`].
#[derive(Clone, Copy)]
struct Verdict<'a> {
    allow: [Tri; 2],
    deny: [Tri; 2],
    /// Where a sure `Deny` of the action is written.
    deny_at: [Option<&'a Span>; 2],
}

impl<'a> Verdict<'a> {
    const NOTHING: Self = Self {
        allow: [Tri::No; 2],
        deny: [Tri::No; 2],
        deny_at: [None; 2],
    };
    const EVERYTHING: Self = Self {
        allow: [Tri::Yes; 2],
        deny: [Tri::No; 2],
        deny_at: [None; 2],
    };
    /// A policy sheepdog cannot read: it may allow or deny anything.
    const UNKNOWN: Self = Self {
        allow: [Tri::Maybe; 2],
        deny: [Tri::Maybe; 2],
        deny_at: [None; 2],
    };

    /// What a policy that may or may not apply says: nothing for sure.
    fn at_most_maybe(&self) -> Self {
        Self {
            allow: self.allow.map(|t| t.min(Tri::Maybe)),
            deny: self.deny.map(|t| t.min(Tri::Maybe)),
            deny_at: [None; 2],
        }
    }

    /// Both policies together (identity policies add up).
    fn join(&mut self, other: &Verdict<'a>) {
        for i in 0..2 {
            self.allow[i] = self.allow[i].max(other.allow[i]);
            if self.deny_at[i].is_none() {
                self.deny_at[i] = other.deny_at[i];
            }
            self.deny[i] = self.deny[i].max(other.deny[i]);
        }
    }
}

/// The problem with `role`, when sheepdog can tell there is one.
fn evaluate<'a>(model: &'a Model, role: &'a Role) -> Option<Problem<'a>> {
    let mut identity = Verdict::NOTHING;
    for p in &role.inline_policies {
        identity.join(&document(&p.document));
    }
    for arn in &role.managed_policy_arns {
        if model.policy_by_arn(&arn.value).is_some() {
            continue; // read below, with the other standalone policies
        }
        identity.join(&managed(&arn.value));
    }
    let attached: Vec<&ManagedPolicy> = model.policies_of(role).collect();
    for p in &attached {
        identity.join(&p.document.as_ref().map_or(Verdict::UNKNOWN, document));
    }
    // A policy whose roles cannot all be told may be attached to this one too.
    for p in &model.policies {
        if !attached.iter().any(|a| a.resource.id == p.resource.id) && may_attach(p, role) {
            let v = p.document.as_ref().map_or(Verdict::UNKNOWN, document);
            identity.join(&v.at_most_maybe());
        }
    }
    let boundary = role.permissions_boundary.as_ref().map(|b| {
        let verdict = match model.policy_by_arn(&b.value) {
            Some(p) => p.document.as_ref().map_or(Verdict::UNKNOWN, document),
            None => managed(&b.value),
        };
        (verdict, &b.span)
    });

    let mut denied = Vec::new();
    let mut deny_at = None;
    let mut bounded = Vec::new();
    let mut missing = Vec::new();
    for (i, action) in ACTIONS.iter().enumerate() {
        let mut deny = identity.deny[i];
        let mut at = identity.deny_at[i];
        let mut allowed_by_boundary = Tri::Yes;
        if let Some((b, _)) = &boundary {
            deny = deny.max(b.deny[i]);
            at = at.or(b.deny_at[i]);
            allowed_by_boundary = b.allow[i];
        }
        if deny == Tri::Yes {
            denied.push(*action);
            deny_at = deny_at.or(at);
        } else if identity.allow[i] == Tri::No {
            missing.push(*action);
        } else if allowed_by_boundary == Tri::No {
            bounded.push(*action);
        }
        // Anything else is allowed, or may be: nothing to say.
    }
    if let (false, Some(at)) = (denied.is_empty(), deny_at) {
        return Some(Problem::Denied {
            actions: denied,
            at,
        });
    }
    if !missing.is_empty() {
        return Some(Problem::Missing { actions: missing });
    }
    if let (false, Some((_, at))) = (bounded.is_empty(), boundary) {
        return Some(Problem::Boundary {
            actions: bounded,
            at,
        });
    }
    None
}

/// Whether standalone policy `p`, not known to be attached to `role`, may be: one of its
/// `Roles` cannot be resolved to another role, or names a role by a name `role` may have
/// (its own name is unresolved).
fn may_attach(p: &ManagedPolicy, role: &Role) -> bool {
    let role_name_unknown = role.name.as_ref().is_some_and(|n| n.value.is_unknown());
    p.roles.iter().any(|r| match &r.value {
        Value::Known(_) => role_name_unknown,
        Value::Unknown(u) => match &u.reason {
            UnknownReason::Resource { id, .. } => id == &role.resource.id,
            UnknownReason::Composite { refs } => {
                refs.is_empty() || refs.contains(&role.resource.id)
            }
            _ => true,
        },
    })
}

/// What an AWS managed policy ARN (or any policy ARN not in the model) grants.
fn managed(arn: &Value<String>) -> Verdict<'static> {
    let grants_logs = arn.as_str().is_some_and(|a| {
        a.starts_with("arn:")
            && a.split_once(":iam::aws:policy/")
                .is_some_and(|(_, name)| LOG_WRITING_POLICIES.contains(&name))
    });
    if grants_logs {
        Verdict::EVERYTHING
    } else {
        Verdict::UNKNOWN
    }
}

/// What a policy document allows and denies of [`ACTIONS`].
fn document(doc: &PolicyDocument) -> Verdict<'_> {
    let mut v = if doc.incomplete {
        Verdict::UNKNOWN
    } else {
        Verdict::NOTHING
    };
    for st in &doc.statements {
        let effect = match &st.effect.value {
            Value::Known(e) => Some(*e),
            Value::Unknown(_) => None,
        };
        for (i, action) in ACTIONS.iter().enumerate() {
            let (matched, at) = matches(st, action);
            match effect {
                None => {
                    v.allow[i] = v.allow[i].max(matched.min(Tri::Maybe));
                    v.deny[i] = v.deny[i].max(matched.min(Tri::Maybe));
                }
                // An `Allow` counts whatever its resources and conditions: the rule only
                // speaks when nothing could grant the action.
                Some(Effect::Allow) => v.allow[i] = v.allow[i].max(matched),
                Some(Effect::Deny) => {
                    let sure = matched.min(deny_scope(st, i));
                    if sure == Tri::Yes && v.deny_at[i].is_none() {
                        v.deny_at[i] = at;
                    }
                    v.deny[i] = v.deny[i].max(sure);
                }
            }
        }
    }
    v
}

/// Whether a statement's `Action`/`NotAction` covers `action`, and where it says so.
fn matches<'a>(st: &'a Statement, action: &str) -> (Tri, Option<&'a Span>) {
    if let Some(list) = &st.action {
        return covers(list, action);
    }
    if let Some(list) = &st.not_action {
        return match covers(list, action) {
            (Tri::Yes, _) => (Tri::No, None),
            (Tri::Maybe, _) => (Tri::Maybe, None),
            (Tri::No, _) => (Tri::Yes, Some(&list.span)),
        };
    }
    (Tri::No, None)
}

fn covers<'a>(list: &'a Located<Vec<Sourced<String>>>, action: &str) -> (Tri, Option<&'a Span>) {
    if let Some(e) = list
        .value
        .iter()
        .find(|e| e.value.as_str().is_some_and(|p| action_matches(p, action)))
    {
        return (Tri::Yes, Some(&e.span));
    }
    if list.value.iter().any(|e| e.value.is_unknown()) {
        return (Tri::Maybe, None);
    }
    (Tri::No, None)
}

/// Whether a `Deny` surely applies to the function's log group for action `i`: no
/// condition, and a resource that covers every log group (`*`, `arn:aws:logs:*:*:*`).
fn deny_scope(st: &Statement, i: usize) -> Tri {
    if st.has_condition() || st.not_resource.is_some() {
        return Tri::Maybe;
    }
    let universal = st.resources().any(|(r, _)| {
        // Pseudo parameters (`${AWS::Region}`) are the stack's own: any value will do.
        let pattern = without_placeholders(r);
        is_any(r)
            || SAMPLE_ARNS[i]
                .iter()
                .all(|arn| action_matches(&pattern, arn))
    });
    if universal { Tri::Yes } else { Tri::Maybe }
}

/// Log group (for `CreateLogStream`) and log stream (for `PutLogEvents`) ARNs in different
/// regions, accounts and groups: a resource pattern matching all of them covers any.
const SAMPLE_ARNS: [[&str; 2]; 2] = [
    [
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders",
        "arn:aws:logs:us-east-2:210987654321:log-group:custom-group",
    ],
    [
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders:log-stream:2026/01/01/[$LATEST]0a1b",
        "arn:aws:logs:us-east-2:210987654321:log-group:custom-group:log-stream:s",
    ],
];

/// `${...}` placeholders replaced by `*`.
fn without_placeholders(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            rest = &rest[start..];
            break;
        };
        out.push('*');
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}
