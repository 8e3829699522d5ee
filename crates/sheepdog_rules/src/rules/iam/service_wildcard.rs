use std::collections::BTreeSet;

use sheepdog_iam::{Action, Grant, Reach, catalog};
use sheepdog_model::Model;

use super::grants::{self, Bounded, Documents, Group, Query, Relevant};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An `Allow` whose `Action` entry grants every action of a service: `s3:*`,
    /// `dynamodb:*`, a service pattern such as `s3*:*` (every action of each service it
    /// matches), or `*:*` and `*` (every action of every service) when the statement is not
    /// on `Resource: "*"` (that is IAM001's). Only whole-service wildcards count: a pattern
    /// that matches part of a service (`s3:Get*`, `s3:*Object*`) is judged by what it
    /// grants, in IAM003 and IAM009. One finding per entry, whatever the resource: a
    /// service-wide wildcard on one table still grants deleting the table and rewriting its
    /// policy. The message says how many actions the entry grants, names the most
    /// dangerous, and says "on any resource" only when the statement is on `*` or uses
    /// `NotResource`. A statement with a `Condition` is still reported, saying so. An
    /// unconditional `Deny` on every resource, or a permissions boundary, that takes
    /// actions away is counted; taking them all away silences the entry. Policies written
    /// in the template are read (inline, SAM inline statements, standalone; a policy used
    /// only as a permissions boundary grants nothing); AWS managed policies are IAM006's.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege): a function needs a handful of a service's actions; a
    /// wildcard grants all of them, including deletion, policy and configuration changes,
    /// and every action AWS adds to the service later. A bug or a compromised dependency
    /// in the function can then do anything that service allows.
    ///
    /// ## How to fix
    /// List the actions the function calls (`dynamodb:GetItem`, `dynamodb:PutItem`), or use
    /// a SAM policy template that grants a reviewed set (`DynamoDBCrudPolicy`,
    /// `S3ReadPolicy`).
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
    ///                 Action: dynamodb:*
    ///                 Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders
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
    ///                 Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query]
    ///                 Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders
    /// ```
    pub struct ServiceWildcard {
        id: "IAM002",
        name: "service-wide-wildcard",
        severity: Medium,
        practices: [1],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP: &str = "list the actions the function calls (SAM: or use a policy template)";

impl Rule for ServiceWildcard {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        grants::for_each_group(
            model,
            &Query {
                documents: Documents::Written,
                bounded: Bounded::Action,
                relevant: Relevant::Statements(grants::has_service_wide_entry),
            },
            |group| {
                // The group's entries, in order, with their grants.
                let mut entries: Vec<(&str, Vec<&Grant<'_>>)> = Vec::new();
                for g in &group.grants {
                    if g.statement.action.is_none() || !grants::service_wide(g.pattern) {
                        continue;
                    }
                    match entries
                        .iter_mut()
                        .find(|(_, gs)| gs.first().is_some_and(|f| std::ptr::eq(f.span, g.span)))
                    {
                        Some((_, gs)) => gs.push(g),
                        None => entries.push((g.pattern, vec![g])),
                    }
                }
                for (pattern, entry) in &entries {
                    report(cx, group, pattern, entry);
                }
            },
        );
    }
}

fn report(cx: &mut Context<'_>, group: &Group<'_>, pattern: &str, entry: &[&Grant<'_>]) {
    let Some(first) = entry.first() else {
        return;
    };
    let all = catalog().expand(pattern);
    let services: BTreeSet<&str> = all.iter().map(|a| a.service.as_str()).collect();
    let granted: Vec<&Action> = entry.iter().map(|g| g.action).collect();
    let whole = match services.iter().collect::<Vec<_>>().as_slice() {
        _ if services.len() == catalog().service_count() => {
            "every action of every service".to_owned()
        }
        [one] => format!("every `{one}` action"),
        [a, b] => format!("every action of `{a}` and `{b}`"),
        [a, b, rest @ ..] => format!(
            "every action of `{a}`, `{b}` and {} more services",
            rest.len()
        ),
        [] => return,
    };
    let every_service = services.len() == catalog().service_count();
    let on_any = first.statement.not_resource.is_some() || first.reach == Reach::AnyResource;
    if every_service && !on_any {
        // Only the actions that apply to those resources are granted: no count, no examples.
        cx.report(
            group.resource,
            first.span,
            format!("{}/{pattern}", group.key()),
            format!(
                "{} grants every action of every service (`{pattern}`) on the resources it names{}",
                group.who(),
                grants::condition_note(entry),
            ),
            HELP,
        );
        return;
    }
    let what = if granted.len() == all.len() {
        format!("{whole} (`{pattern}`: {} actions", grants::count(all.len()))
    } else {
        format!(
            "{whole} a `Deny` or its permissions boundary leaves (`{pattern}`: {} of its {} actions",
            grants::count(granted.len()),
            grants::count(all.len())
        )
    };
    let notable = grants::headline(&granted, 2);
    let among = if notable.is_empty() {
        ")".to_owned()
    } else {
        format!(", including {})", grants::list_actions(&notable, 2))
    };
    let reach = if first.statement.not_resource.is_some() {
        " on any resource but those its `NotResource` names"
    } else if first.reach == Reach::AnyResource {
        " on any resource (`*`)"
    } else {
        ""
    };
    cx.report(
        group.resource,
        first.span,
        format!("{}/{pattern}", group.key()),
        format!(
            "{} grants {what}{among}{reach}{}",
            group.who(),
            grants::condition_note(entry),
        ),
        HELP,
    );
}
