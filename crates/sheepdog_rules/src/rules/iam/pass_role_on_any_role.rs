use std::sync::OnceLock;

use sheepdog_iam::{Grant, catalog};
use sheepdog_model::Model;

use super::grants::{self, AnyVia, Bounded, Documents, Group, Query, Relevant, Targets};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A role or policy that allows `iam:PassRole` on every role. The action may be named,
    /// or granted by a wildcard (`iam:*`, `iam:Pass*`, `*` on a resource other than `*`) or
    /// by `NotAction`; "every role" is `Resource: "*"`, a pattern that covers every role
    /// such as `arn:aws:iam::*:role/*` or
    /// `arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*`, or `NotResource`. Inline
    /// policies, SAM policy templates and statements, standalone policies and AWS managed
    /// policies (the finding points at the ARN that attaches them) are read; a `Deny` of
    /// `iam:PassRole` on every resource without a condition takes the grant away, and so
    /// does a permissions boundary that does not allow it on every role. A statement with a
    /// `Condition` is still reported, saying so: an `iam:PassedToService` condition limits
    /// which services the roles can go to, not which roles. A resource sheepdog cannot
    /// resolve (`!Ref RoleArn`) is not assumed to be `*`, and `*` on `*` is left to IAM001.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege) and Practice 14 (regular IAM review): passing a role is
    /// how a principal gives a role to a service it controls — a new function, an
    /// instance, a task, a stack. With `iam:PassRole` on every role, whoever controls this
    /// function's code can create such a resource with the most powerful role of the
    /// account and act with its permissions: a privilege escalation whatever the role's
    /// own policies say.
    ///
    /// ## How to fix
    /// Name the roles the function really passes in `Resource`
    /// (`!GetAtt WorkerRole.Arn`, `arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-worker`),
    /// and add an `iam:PassedToService` condition naming the one service that receives them.
    /// If an AWS managed policy grants it, replace it with a policy of your own.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Launcher:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Policies:
    ///         - Statement:
    ///             - Effect: Allow
    ///               Action: [states:StartExecution, iam:PassRole]
    ///               Resource: "*"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Launcher:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Policies:
    ///         - Statement:
    ///             - Effect: Allow
    ///               Action: states:StartExecution
    ///               Resource: !Ref Workflow
    ///             - Effect: Allow
    ///               Action: iam:PassRole
    ///               Resource: !GetAtt WorkflowRole.Arn
    ///               Condition:
    ///                 StringEquals: {iam:PassedToService: states.amazonaws.com}
    ///   Workflow:
    ///     Type: AWS::StepFunctions::StateMachine
    ///     Properties:
    ///       RoleArn: !GetAtt WorkflowRole.Arn
    ///       DefinitionString: '{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}'
    ///   WorkflowRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Service: states.amazonaws.com}
    ///             Action: sts:AssumeRole
    /// ```
    pub struct PassRoleOnAnyRole {
        id: "IAM011",
        name: "pass-role-on-any-role",
        severity: High,
        practices: [1, 14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// `iam:PassRole`, to skip the statements that cannot grant it.
fn targets() -> &'static Targets {
    static TARGETS: OnceLock<Targets> = OnceLock::new();
    TARGETS.get_or_init(|| Targets::new(["iam:PassRole"]))
}

const HELP: &str = "name the roles it passes in `Resource`, and the service that receives them in an `iam:PassedToService` condition";

impl Rule for PassRoleOnAnyRole {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        let Some(pass_role) = catalog().action("iam:PassRole") else {
            return;
        };
        grants::for_each_group(
            model,
            &Query {
                documents: Documents::WithManaged,
                bounded: Bounded::OnAnyResource,
                relevant: Relevant::Targets(targets()),
            },
            |group| {
                let passes: Vec<(&Grant<'_>, AnyVia<'_>)> = group
                    .grants
                    .iter()
                    .filter(|g| g.action.index() == pass_role.index())
                    .filter_map(|g| grants::any_resource(g).map(|via| (g, via)))
                    .collect();
                // The unconditional grants when there are some: they are what matters.
                let unconditional = passes.iter().any(|(g, _)| !g.conditional);
                let chosen: Vec<&(&Grant<'_>, AnyVia<'_>)> = passes
                    .iter()
                    .filter(|(g, _)| !unconditional || !g.conditional)
                    .collect();
                if chosen.is_empty() {
                    return;
                }
                let vias: Vec<AnyVia<'_>> = chosen.iter().map(|(_, v)| *v).collect();
                let chosen: Vec<&Grant<'_>> = chosen.iter().map(|(g, _)| *g).collect();
                report(cx, group, &chosen, &vias);
            },
        );
    }
}

fn report(cx: &mut Context<'_>, group: &Group<'_>, passes: &[&Grant<'_>], vias: &[AnyVia<'_>]) {
    // The wildcards that grant it, unless the statement names it.
    let named = passes
        .iter()
        .any(|g| g.pattern.trim().eq_ignore_ascii_case("iam:PassRole"));
    let mut patterns: Vec<&str> = Vec::new();
    for g in passes {
        if !patterns.contains(&g.pattern) {
            patterns.push(g.pattern);
        }
    }
    let by = if named || patterns.is_empty() {
        String::new()
    } else {
        format!(" (by `{}`)", patterns.join("`, `"))
    };
    let condition = passed_to_service(passes).unwrap_or_else(|| grants::condition_note(passes));
    cx.report(
        group.resource,
        group.anchor(passes),
        group.key(),
        format!(
            "{} grants `iam:PassRole`{by} on {}{condition}: it can give any role of the account, with all that role's permissions, to a service it controls",
            group.who(),
            grants::describe_reach(vias, "role"),
        ),
        HELP,
    );
}

/// ` (only when passed to `lambda.amazonaws.com`, its `iam:PassedToService` condition)`
/// when that is the only condition of every grant and its values are known.
fn passed_to_service(passes: &[&Grant<'_>]) -> Option<String> {
    if passes.iter().any(|g| !g.conditional) {
        return None;
    }
    let keys = grants::condition_keys(passes.iter().map(|g| g.statement));
    if keys.len() != 1 || !keys[0].eq_ignore_ascii_case("iam:PassedToService") {
        return None;
    }
    let mut services: Vec<&str> = Vec::new();
    for g in passes {
        for c in g.statement.condition.iter().flat_map(|c| &c.value) {
            if !c.operator.starts_with("String") || c.operator.contains("Not") {
                return None;
            }
            for v in &c.values {
                let s = v.value.as_str()?;
                if !services.contains(&s) {
                    services.push(s);
                }
            }
        }
    }
    if services.is_empty() {
        return None;
    }
    Some(format!(
        " (only when passed to `{}`, by its `iam:PassedToService` condition)",
        services.join("`, `")
    ))
}
