use std::collections::{BTreeSet, HashSet};

use sheepdog_iam::{Action, EntryList, Statement, catalog, is_any};
use sheepdog_model::Model;

use super::grants::{self, Group, Origin};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An `Allow` statement with `NotAction` (it allows every action except those listed)
    /// or `NotResource` (every resource except those listed), reported at that element; a
    /// statement with both gets a finding at each. For `NotAction` the message says how
    /// many actions of how many services it allows today and names the most dangerous of
    /// them. A statement with a `Condition` is still reported, saying so. `Deny` with
    /// `NotAction` or `NotResource` is a common and sound way to restrict, and is not
    /// reported, and neither is a policy used only as a permissions boundary (an exception
    /// list is a common way to write a boundary, which grants nothing). Policies written in
    /// the template are read (inline, SAM inline statements, standalone); AWS managed
    /// policies (`PowerUserAccess` is the usual one) are IAM006's.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege) and Practice 14 (regular IAM review): an allow-list
    /// written as an exception list grants everything nobody thought of, including every
    /// action and every resource AWS or the account adds later. `NotAction: iam:*` still
    /// allows `sts:AssumeRole`, `lambda:UpdateFunctionCode` and reading every secret; a
    /// reviewer reading the statement sees what is excluded, not what is allowed.
    ///
    /// ## How to fix
    /// Turn the statement around: `Action` listing what the function calls, `Resource`
    /// listing what it touches. To keep a guard rail, add a separate `Deny` with the
    /// `NotAction` or `NotResource` next to the allow-list.
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
    ///         - PolicyName: all-but-iam
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 NotAction: iam:*
    ///                 Resource: "*"
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
    ///       Policies:
    ///         - PolicyName: orders
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: [dynamodb:GetItem, dynamodb:PutItem]
    ///                 Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders
    ///               - Effect: Deny
    ///                 NotAction: dynamodb:*
    ///                 Resource: "*"
    /// ```
    pub struct AllowNotAction {
        id: "IAM005",
        name: "allow-not-action-or-resource",
        severity: Medium,
        practices: [1, 14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for AllowNotAction {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for group in grants::written_statements(model) {
            let Origin::Statement { statement: st, .. } = group.origin else {
                continue;
            };
            if !st.is_allow() {
                continue;
            }
            if let Some(not_action) = &st.not_action {
                not_action_finding(cx, &group, st, not_action);
            }
            if let Some(not_resource) = &st.not_resource {
                not_resource_finding(cx, &group, st, not_resource);
            }
        }
    }
}

/// The known entries of a list, or `None` when one is unresolved.
fn known(list: &EntryList) -> Option<Vec<&str>> {
    list.value.iter().map(|e| e.value.as_str()).collect()
}

/// `` `a`, `b` and `c` `` (entries as written).
fn quoted(entries: &[&str]) -> String {
    let q: Vec<String> = entries.iter().map(|e| format!("`{e}`")).collect();
    crate::context::join(&q, "and")
}

fn not_action_finding(cx: &mut Context<'_>, group: &Group<'_>, st: &Statement, list: &EntryList) {
    let reach = if st.not_resource.is_some() {
        " on any resource but those its `NotResource` names"
    } else if st.resources().any(|(r, _)| is_any(r)) {
        " on any resource (`*`)"
    } else {
        ""
    };
    let condition = grants::statement_condition_note(st);
    let message = match known(list) {
        Some(patterns) => {
            let excluded: HashSet<usize> = patterns
                .iter()
                .flat_map(|p| catalog().expand(p))
                .map(Action::index)
                .collect();
            let allowed: Vec<&Action> = catalog()
                .all()
                .iter()
                .filter(|a| !excluded.contains(&a.index()))
                .collect();
            let services: BTreeSet<&str> = allowed.iter().map(|a| a.service.as_str()).collect();
            let notable = grants::headline(&allowed, 2);
            let including = if notable.is_empty() {
                String::new()
            } else {
                format!(", including {}", grants::list_actions(&notable, 2))
            };
            format!(
                "{} allows every action except {} (`Allow` with `NotAction`){reach}{condition}: {} actions of {} services today{including}, and every action AWS adds later",
                group.who(),
                quoted(&patterns),
                grants::count(allowed.len()),
                grants::count(services.len()),
            )
        }
        None => format!(
            "{} allows every action except those its `NotAction` names (`Allow` with `NotAction`){reach}{condition}, and every action AWS adds later",
            group.who(),
        ),
    };
    cx.report(
        group.resource,
        &list.span,
        format!("{}/NotAction", group.key()),
        message,
        "list the actions the function calls in `Action`; keep exclusions in a separate `Deny`",
    );
}

fn not_resource_finding(cx: &mut Context<'_>, group: &Group<'_>, st: &Statement, list: &EntryList) {
    let actions = match (&st.action, &st.not_action) {
        (Some(actions), _) => match known(actions) {
            Some(a) if a.len() <= 3 => quoted(&a),
            Some(a) => format!("{} and {} more", quoted(&a[..2]), a.len() - 2),
            None => "its actions".to_owned(),
        },
        (None, Some(_)) => "every action but those its `NotAction` names".to_owned(),
        (None, None) => "its actions".to_owned(),
    };
    let except = match known(list) {
        Some(resources) => format!("every resource except {}", quoted(&resources)),
        None => "every resource except those its `NotResource` names".to_owned(),
    };
    cx.report(
        group.resource,
        &list.span,
        format!("{}/NotResource", group.key()),
        format!(
            "{} allows {actions} on {except} (`Allow` with `NotResource`){}, resources created later included",
            group.who(),
            grants::statement_condition_note(st),
        ),
        "list the resources the function uses in `Resource`; keep exclusions in a separate `Deny`",
    );
}
