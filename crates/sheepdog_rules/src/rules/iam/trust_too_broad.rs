use sheepdog_iam::{Principal, PrincipalEntry, Statement, action_matches};
use sheepdog_model::{Model, Span, UnknownReason, Value};

use super::execution_roles::{execution_role_of, execution_roles};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function's execution role whose trust policy (`AssumeRolePolicyDocument`) lets
    /// principals other than the Lambda service assume it: everyone (`"*"`, `{AWS: "*"}`, or
    /// `Allow` with `NotPrincipal`), an AWS account (its own or another) or an IAM user or
    /// role, federated identities (web identity, SAML), and other AWS services. The finding
    /// points at the principal. `lambda.amazonaws.com` is what an execution role needs, and
    /// `edgelambda.amazonaws.com` is what Lambda@Edge needs: neither is reported. The role
    /// SAM creates for a function is checked too: it trusts only Lambda unless the function
    /// sets `AssumeRolePolicyDocument`.
    ///
    /// Another service is reported when its statement has no `aws:SourceArn` or
    /// `aws:SourceAccount` condition (the confused-deputy gap); a service limited to your own
    /// resources by one of them is a deliberate shared role and is not reported. A statement
    /// with a `Condition` is reported with the condition named ("only when its condition on
    /// ... holds"). Principals sheepdog cannot resolve (`!Ref TrustedAccount`) are not
    /// reported, nor are statements whose `Action` cannot be resolved or allows no
    /// `sts:AssumeRole*` action, nor roles no function of the template uses.
    ///
    /// ## Why it matters
    /// Practice 14 (regular IAM review) and 1 (least privilege): whoever can assume the
    /// execution role gets every permission of the function, without going through the
    /// function. `"*"` or another account opens those permissions to outsiders (high risk);
    /// a principal of your own account, or another service, is broader than the function
    /// needs, and a service principal without `aws:SourceArn`/`aws:SourceAccount` can be
    /// used by that service on behalf of someone else (the cross-service confused deputy).
    /// The default severity is high, for the first case; each message says which case it is.
    ///
    /// ## How to fix
    /// Trust only the Lambda service in an execution role:
    /// `Principal: {Service: lambda.amazonaws.com}`, `Action: sts:AssumeRole`. Give people,
    /// pipelines and other services their own roles. If another service really must share
    /// the role, add `Condition: {StringEquals: {aws:SourceAccount: !Ref AWS::AccountId}}`
    /// (or `ArnLike` on `aws:SourceArn`) to its statement.
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
    ///             Principal:
    ///               Service: lambda.amazonaws.com
    ///               AWS: arn:aws:iam::111122223333:root
    ///             Action: sts:AssumeRole
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
    ///             Principal:
    ///               Service: lambda.amazonaws.com
    ///             Action: sts:AssumeRole
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       Role: !GetAtt FnRole.Arn
    ///       Code: {ZipFile: "def handler(e, c): pass"}
    /// ```
    pub struct TrustTooBroad {
        id: "IAM008",
        name: "execution-role-trust-too-broad",
        severity: High,
        practices: [14, 1],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// The actions that make a trust statement let its principal in.
const ASSUME: [&str; 3] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
];

/// The service principals an execution role is for.
const LAMBDA_SERVICES: [&str; 2] = ["lambda.amazonaws.com", "edgelambda.amazonaws.com"];

/// The conditions that close the confused-deputy gap for a service principal.
const SOURCE_KEYS: [&str; 2] = ["aws:SourceArn", "aws:SourceAccount"];

const HELP: &str =
    "trust only `lambda.amazonaws.com` in an execution role; give other principals their own role";
const HELP_SERVICE: &str = "give that service its own role, or limit its statement with an `aws:SourceAccount` or `aws:SourceArn` condition";

impl Rule for TrustTooBroad {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for (role, functions) in execution_roles(model) {
            let Some(trust) = &role.trust_policy else {
                continue;
            };
            let who = execution_role_of(role, &functions);
            for (i, st) in trust.statements.iter().enumerate() {
                if !st.is_allow() || !may_assume(st) {
                    continue;
                }
                for problem in problems(st) {
                    let condition = if problem.service {
                        String::new()
                    } else {
                        condition_note(st)
                    };
                    // A condition decides who gets in: not "any account" any more.
                    let why = if condition.is_empty() || problem.why != ANYONE_ACTS {
                        problem.why
                    } else {
                        "whoever the condition lets in acts with the function's permissions"
                    };
                    cx.report(
                        &role.resource,
                        problem.span,
                        format!("{i}/{}", problem.key),
                        format!("{who} {}{condition}: {why}", problem.who),
                        if problem.service { HELP_SERVICE } else { HELP },
                    );
                }
            }
        }
    }
}

/// Whether a trust statement allows assuming the role: its `Action` names (or matches) an
/// `sts:AssumeRole*` action, or its `NotAction` leaves one. Unresolved entries that could
/// be the one count as no: sheepdog says nothing it cannot tell.
fn may_assume(st: &Statement) -> bool {
    let matches_assume = |p: &str| ASSUME.iter().any(|a| action_matches(p, a));
    if let Some(actions) = &st.action {
        return actions
            .value
            .iter()
            .any(|e| e.value.as_str().is_some_and(matches_assume));
    }
    if let Some(not_actions) = &st.not_action {
        let patterns: Option<Vec<&str>> =
            not_actions.value.iter().map(|e| e.value.as_str()).collect();
        return patterns.is_some_and(|ps| {
            ASSUME
                .iter()
                .any(|a| !ps.iter().any(|p| action_matches(p, a)))
        });
    }
    false
}

/// One principal of a trust statement that is broader than Lambda.
struct Problem<'a> {
    span: &'a Span,
    /// What tells it apart from the statement's other principals (for the fingerprint).
    key: String,
    /// Who can assume the role: `can be assumed by ...`.
    who: String,
    /// What that means, after the condition.
    why: &'static str,
    /// A service principal (its message says the condition it lacks).
    service: bool,
}

const ACTS: &str = "it acts with the function's permissions, outside the function";
const ANYONE_ACTS: &str =
    "whoever assumes it acts with the function's permissions, from any AWS account";

fn problems(st: &Statement) -> Vec<Problem<'_>> {
    let mut out = Vec::new();
    if let Some(np) = &st.not_principal {
        out.push(Problem {
            span: &np.span,
            key: "NotPrincipal".into(),
            who: "trusts every principal but those its `NotPrincipal` names (`Allow` with `NotPrincipal`)".into(),
            why: ANYONE_ACTS,
            service: false,
        });
    }
    let Some(principal) = &st.principal else {
        return out;
    };
    match &principal.value {
        Principal::Any => out.push(Problem {
            span: &principal.span,
            key: "*".into(),
            who: ANYONE.into(),
            why: ANYONE_ACTS,
            service: false,
        }),
        Principal::Typed(entries) => {
            out.extend(entries.iter().filter_map(|e| entry_problem(st, e)));
        }
        // Unresolved: it may be Lambda or anyone; say nothing.
        Principal::Unknown(_) => {}
    }
    out
}

const ANYONE: &str = "can be assumed by any AWS principal (`*`)";

fn entry_problem<'a>(st: &Statement, e: &'a PrincipalEntry) -> Option<Problem<'a>> {
    let span = &e.value.span;
    let problem = |key: String, who: String, why: &'static str| Problem {
        span,
        key,
        who,
        why,
        service: false,
    };
    let own_account = |shown: &str| {
        format!(
            "can be assumed from its own AWS account (`{shown}`) by any user or role allowed `sts:AssumeRole` there, not only by Lambda"
        )
    };
    match (e.kind.as_str(), &e.value.value) {
        ("AWS", Value::Known(v)) => {
            let key = format!("AWS:{v}");
            Some(match aws_principal(v) {
                AwsPrincipal::Anyone => problem(key, ANYONE.into(), ANYONE_ACTS),
                AwsPrincipal::OwnAccount => problem(key, own_account(v), ACTS),
                AwsPrincipal::Account(account) => problem(
                    key,
                    format!(
                        "can be assumed from AWS account `{account}` (`{v}`) by any user or role that account allows to call `sts:AssumeRole`"
                    ),
                    ACTS,
                ),
                AwsPrincipal::Principal { own: true } => problem(
                    key,
                    format!("can be assumed by `{v}`, of its own account, not only by Lambda"),
                    ACTS,
                ),
                AwsPrincipal::Principal { own: false } => problem(
                    key,
                    format!("can be assumed by `{v}`, not only by Lambda"),
                    ACTS,
                ),
            })
        }
        // `Principal: {AWS: !Ref AWS::AccountId}`: the stack's own account.
        ("AWS", Value::Unknown(u)) => match &u.reason {
            UnknownReason::Pseudo { name } if name == "AWS::AccountId" => {
                Some(problem("AWS:AccountId".into(), own_account(&u.expr), ACTS))
            }
            _ => None,
        },
        ("Service", Value::Known(v)) => {
            if LAMBDA_SERVICES.iter().any(|s| v.eq_ignore_ascii_case(s)) || has_source_condition(st)
            {
                return None;
            }
            Some(Problem {
                span,
                key: format!("Service:{v}"),
                who: format!(
                    "can also be assumed by the service `{v}`, with no `aws:SourceArn` or `aws:SourceAccount` condition"
                ),
                why: "the role is broader than Lambda, and that service can be made to use it on someone else's behalf (confused deputy)",
                service: true,
            })
        }
        ("Federated", Value::Known(v)) => Some(problem(
            format!("Federated:{v}"),
            format!("can be assumed by identities federated through `{v}` (web identity or SAML)"),
            "they act with the function's permissions, outside the function",
        )),
        ("CanonicalUser", Value::Known(v)) => Some(problem(
            format!("CanonicalUser:{v}"),
            "can be assumed by a canonical user".into(),
            ACTS,
        )),
        // An unresolved principal, or an element sheepdog does not know: say nothing.
        _ => None,
    }
}

/// What an `AWS` principal value designates.
enum AwsPrincipal {
    Anyone,
    /// The stack's own account (`${AWS::AccountId}`), as a whole.
    OwnAccount,
    /// A whole account: a 12-digit ID or its `:root` ARN.
    Account(String),
    /// One user or role (or assumed-role session); `own` when in the stack's own account.
    Principal {
        own: bool,
    },
}

/// Stands for `${AWS::AccountId}` while an ARN is split on its colons.
const OWN: &str = "\u{0}own";

fn aws_principal(v: &str) -> AwsPrincipal {
    let v = v.trim();
    if v == "*" {
        return AwsPrincipal::Anyone;
    }
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return AwsPrincipal::Account(v.to_owned());
    }
    // Pseudo parameters have colons of their own.
    let flat = v
        .replace("${AWS::AccountId}", OWN)
        .replace("${AWS::Partition}", "aws");
    let parts: Vec<&str> = flat.splitn(6, ':').collect();
    let (account, resource) = match parts.as_slice() {
        ["arn", _, _, _, account, resource] => (*account, *resource),
        _ => return AwsPrincipal::Principal { own: false },
    };
    let own = account == OWN;
    if resource == "root" {
        if own {
            AwsPrincipal::OwnAccount
        } else if account == "*" {
            AwsPrincipal::Anyone
        } else {
            AwsPrincipal::Account(account.to_owned())
        }
    } else {
        AwsPrincipal::Principal { own }
    }
}

/// Whether a statement has an `aws:SourceArn` or `aws:SourceAccount` condition.
fn has_source_condition(st: &Statement) -> bool {
    st.condition.as_ref().is_some_and(|c| {
        c.value
            .iter()
            .any(|k| SOURCE_KEYS.iter().any(|s| k.key.eq_ignore_ascii_case(s)))
    })
}

/// `, only when its condition on `k` holds`, when the statement has a condition.
fn condition_note(st: &Statement) -> String {
    let Some(c) = st.condition.as_ref().filter(|c| !c.value.is_empty()) else {
        return String::new();
    };
    let mut keys: Vec<&str> = Vec::new();
    for k in &c.value {
        if !keys.contains(&k.key.as_str()) {
            keys.push(&k.key);
        }
    }
    format!(", only when its condition on `{}` holds", keys.join("`, `"))
}
