use std::sync::OnceLock;

use sheepdog_iam::{AccessLevel, Action, Grant, catalog};
use sheepdog_model::Model;

use super::grants::{self, Bounded, Documents, Query, Relevant};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A statement that allows actions of the Write or Permissions management access level
    /// on every resource, when those actions can be limited to specific resources. The
    /// actions may be named or granted by a wildcard (`s3:Put*`, `dynamodb:*`); "every
    /// resource" is `Resource: "*"`, a pattern that covers every resource of the action's
    /// type (`arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:table/*`, what SAM writes for
    /// `S3CrudPolicy: {BucketName: "*"}`), or `NotResource`. One finding per statement,
    /// naming its actions, permissions management first. An unconditional `Deny` on every
    /// resource takes a grant away, and so does a permissions boundary that does not allow
    /// the action on every resource (a policy used only as a boundary grants nothing).
    /// Actions without resource types (`xray:PutTraceSegments`) can only be granted on `*`
    /// and are not reported; neither are the ones every function's role gets on `*` from
    /// AWS (`logs:CreateLogGroup`, `logs:CreateLogStream`, `logs:PutLogEvents` of
    /// `AWSLambdaBasicExecutionRole`, the network-interface actions of
    /// `AWSLambdaVPCAccessExecutionRole` and SAM's `VPCAccessPolicy`, and
    /// `cloudwatch:PutMetricData`, whose only resource type is an optional dataset) unless
    /// the `include-baseline` option is set. A statement with a `Condition` is still
    /// reported, saying so. Left to other rules: `*` on `*` (IAM001), a service-wide
    /// wildcard on every resource (`s3:*` on `*`, IAM002), `NotAction` statements (IAM005),
    /// AWS managed policies (IAM006) and `iam:PassRole` (IAM011). A resource sheepdog
    /// cannot resolve (`!Ref Bucket`) is not assumed to be `*`.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege): a function that may write, delete or change the
    /// policies of every bucket, table, queue or key of the account can, when its code is
    /// abused, destroy or expose data it never touches, or open resources to the world
    /// through their resource policies. Limiting `Resource` to what the function writes
    /// keeps the damage to that.
    ///
    /// ## How to fix
    /// Scope `Resource` to the ARNs the function writes: `!GetAtt Table.Arn`,
    /// `!Sub "${Bucket.Arn}/*"`, `!Ref Queue`. In SAM, prefer policy templates with the
    /// real resource (`DynamoDBCrudPolicy: {TableName: !Ref Table}`).
    ///
    /// ## Options
    /// - `include-baseline` (`--rule-option IAM003.include-baseline=true`): also report the
    ///   log-writing, metrics and network-interface actions every function's role gets on
    ///   `*` from `AWSLambdaBasicExecutionRole` and `AWSLambdaVPCAccessExecutionRole`, for
    ///   teams that scope them to the function's log group, namespace and subnets.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Importer:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Policies:
    ///         - Statement:
    ///             - Effect: Allow
    ///               Action: [dynamodb:PutItem, dynamodb:DeleteItem]
    ///               Resource: "*"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Importer:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Policies:
    ///         - Statement:
    ///             - Effect: Allow
    ///               Action: [dynamodb:PutItem, dynamodb:DeleteItem]
    ///               Resource: !GetAtt Imports.Arn
    ///   Imports:
    ///     Type: AWS::DynamoDB::Table
    ///     Properties:
    ///       BillingMode: PAY_PER_REQUEST
    ///       KeySchema: [{AttributeName: id, KeyType: HASH}]
    ///       AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
    /// ```
    pub struct WriteOnAnyResource {
        id: "IAM003",
        name: "write-on-any-resource",
        severity: Medium,
        practices: [1],
        sources: [CloudFormation, Sam, Terraform],
        options: [("include-baseline", "also report the log-writing, metrics and network-interface actions every function's role gets on `*`")],
    }
}

/// What every function's role is granted on `*` by AWS's own execution-role policies
/// (`AWSLambdaBasicExecutionRole`, `AWSLambdaVPCAccessExecutionRole`) and SAM's
/// `VPCAccessPolicy` template, and metrics.
const BASELINE: [&str; 9] = [
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    // Its only resource type is an optional dataset: metrics are put on `*`.
    "cloudwatch:PutMetricData",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "ec2:DetachNetworkInterface",
];

const HELP: &str = "scope `Resource` to the ARNs the function writes";

impl Rule for WriteOnAnyResource {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        let baseline = cx.option_enabled("include-baseline");
        // IAM011's.
        let pass_role = catalog()
            .action("iam:PassRole")
            .map_or(usize::MAX, Action::index);
        grants::for_each_group(
            model,
            &Query {
                documents: Documents::Written,
                bounded: Bounded::OnAnyResource,
                relevant: Relevant::Statements(grants::may_reach_any),
            },
            |group| {
                let mut chosen: Vec<&Grant<'_>> = Vec::new();
                let mut vias = Vec::new();
                for g in &group.grants {
                    let a = g.action;
                    if !matches!(
                        a.level,
                        AccessLevel::Write | AccessLevel::PermissionsManagement
                    ) || !a.supports_resource_scoping()
                        || g.statement.action.is_none()
                        || a.index() == pass_role
                        || grants::service_wide_on_any(g)
                        || (!baseline && is_baseline(a))
                    {
                        continue;
                    }
                    let Some(v) = grants::any_resource(g) else {
                        continue;
                    };
                    vias.push(v);
                    chosen.push(g);
                }
                if vias.is_empty() {
                    return;
                }
                let mut actions: Vec<&Action> = Vec::new();
                for g in &chosen {
                    if !actions.iter().any(|a| a.index() == g.action.index()) {
                        actions.push(g.action);
                    }
                }
                // Permissions management first, then the best known, then the statement's order.
                actions.sort_by_key(|a| {
                    (
                        a.level != AccessLevel::PermissionsManagement,
                        grants::headline_rank(a),
                    )
                });
                let permissions = actions
                    .iter()
                    .filter(|a| a.level == AccessLevel::PermissionsManagement)
                    .count();
                cx.report(
                    group.resource,
                    group.anchor(&chosen),
                    group.key(),
                    format!(
                        "{} grants {} on {}{}: {}",
                        group.who(),
                        levels(permissions, actions.len() - permissions),
                        grants::describe_reach(&vias, "resource"),
                        grants::condition_note(&chosen),
                        grants::list_actions(&actions, 4),
                    ),
                    HELP,
                );
            },
        );
    }
}

fn is_baseline(action: &Action) -> bool {
    static INDEXES: OnceLock<Vec<usize>> = OnceLock::new();
    INDEXES
        .get_or_init(|| {
            BASELINE
                .iter()
                .filter_map(|b| catalog().action(b).map(Action::index))
                .collect()
        })
        .contains(&action.index())
}

/// `2 permissions-management and 12 write actions`.
fn levels(permissions: usize, writes: usize) -> String {
    let n = |k: usize| grants::count(k);
    let plural = |k: usize| if k == 1 { "action" } else { "actions" };
    match (permissions, writes) {
        (0, w) => format!("{} write {}", n(w), plural(w)),
        (p, 0) => format!("{} permissions-management {}", n(p), plural(p)),
        (p, w) => format!(
            "{} permissions-management and {} write {}",
            n(p),
            n(w),
            plural(w)
        ),
    }
}
