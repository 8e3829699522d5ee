use sheepdog_iam::{PolicyDocument, is_any, is_any_action};
use sheepdog_model::{Model, Resource};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A role or policy that allows every action on every resource: an `Allow` statement
    /// with `Action: "*"` (or `"*:*"`) and `Resource: "*"`, or the `AdministratorAccess` managed policy.
    /// Statements limited by a `Condition` are reported too, with the condition named.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege) and 14 (IAM review): a function running with full
    /// administrator rights turns any bug in it — an injection, a dependency with a
    /// backdoor, a leaked event — into the takeover of the whole AWS account.
    ///
    /// ## How to fix
    /// Grant only the actions the function calls, on the resources it uses. In SAM, use
    /// policy templates (`DynamoDBReadPolicy: {TableName: !Ref Table}`); in CloudFormation,
    /// list the actions and scope `Resource` to ARNs.
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
    ///         - PolicyName: everything
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: "*"
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
    ///         - PolicyName: read-orders
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: dynamodb:GetItem
    ///                 Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders
    /// ```
    pub struct FullAdmin {
        id: "IAM001",
        name: "full-admin",
        severity: Critical,
        practices: [1, 14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for FullAdmin {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for role in &model.roles {
            let who = format!("Role {}", describe(&role.resource));
            for arn in &role.managed_policy_arns {
                if arn.value.as_str().is_some_and(is_administrator_access) {
                    cx.report(
                        &role.resource,
                        &arn.span,
                        "AdministratorAccess",
                        format!("{who} has the `AdministratorAccess` managed policy: every action on every resource"),
                        HELP,
                    );
                }
            }
            for (i, policy) in role.inline_policies.iter().enumerate() {
                let name = policy
                    .name
                    .as_ref()
                    .and_then(|n| n.value.as_str())
                    .map_or_else(|| format!("#{i}"), str::to_owned);
                check_document(cx, &role.resource, &who, &name, &policy.document);
            }
        }
        for policy in &model.policies {
            if let Some(doc) = &policy.document {
                let who = format!("Policy {}", describe(&policy.resource));
                check_document(cx, &policy.resource, &who, "", doc);
            }
        }
    }
}

const HELP: &str = "grant only the actions the function calls, on the resources it uses";

fn check_document(
    cx: &mut Context<'_>,
    resource: &Resource,
    who: &str,
    policy: &str,
    doc: &PolicyDocument,
) {
    for (i, st) in doc.statements.iter().enumerate() {
        if !st.is_allow() {
            continue;
        }
        let Some((pattern, action_span)) = st.actions().find(|(a, _)| is_any_action(a)) else {
            continue;
        };
        if !st.resources().any(|(r, _)| is_any(r)) {
            continue;
        }
        let condition = st
            .condition
            .as_ref()
            .filter(|c| !c.value.is_empty())
            .map(|c| {
                let keys: Vec<&str> = c.value.iter().map(|k| k.key.as_str()).collect();
                format!(
                    " (only when the condition on `{}` holds)",
                    keys.join("`, `")
                )
            })
            .unwrap_or_default();
        cx.report(
            resource,
            action_span,
            format!("{policy}/{i}"),
            format!(
                "{who} allows every action (`{}`) on every resource (`*`){condition}",
                pattern.trim()
            ),
            HELP,
        );
    }
}

/// `arn:<partition>:iam::aws:policy/AdministratorAccess`.
fn is_administrator_access(arn: &str) -> bool {
    arn.starts_with("arn:") && arn.ends_with(":iam::aws:policy/AdministratorAccess")
}
