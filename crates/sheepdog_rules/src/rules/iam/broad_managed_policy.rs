use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use sheepdog_diagnostics::{Pos, Span};
use sheepdog_iam::{
    AccessLevel, Action, Grant, ManagedPolicy, PolicyDocument, Reach, catalog,
    covers_every_resource, effective, is_any, managed_policies,
};
use sheepdog_model::Model;

use super::execution_roles::{execution_role_of, execution_roles};
use crate::context::join;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function's execution role with a broad AWS managed policy attached: one that grants
    /// every write action of a whole service on every resource (`AmazonS3FullAccess`:
    /// `s3:*` on `*`; `CloudWatchLogsFullAccess`; `AWSLambdaExecute`, whose `logs:*` is on
    /// `arn:aws:logs:*:*:*`; `PowerUserAccess`, `NotAction` on `*`), or a `*FullAccess`
    /// policy that grants write or permissions-management actions on every resource
    /// (`AmazonVPCFullAccess`). Only actions that can be scoped to resources count: a service
    /// whose write actions all require `Resource: "*"` is not a scoping mistake. The
    /// finding points at the ARN (or SAM policy name) that attaches the policy and says what
    /// it grants; deprecated policies (`AWSLambdaFullAccess`) are named as such.
    /// `AdministratorAccess` is IAM001's. The policy is judged on its own document, from
    /// the embedded copy of AWS's managed policies (a `Deny` elsewhere in the role does not
    /// narrow it); narrow ones such as `AWSLambdaBasicExecutionRole` or
    /// `AWSXRayDaemonWriteAccess` are not reported, nor are roles no function of the
    /// template runs as, customer managed policies, or ARNs sheepdog cannot resolve.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege) and 14 (regular IAM review): AWS managed policies are
    /// written for every customer, so the broad ones grant a whole service on every
    /// resource of the account — `AmazonS3FullAccess` lets the function read, overwrite and
    /// delete every bucket, change bucket policies and make them public. AWS also changes
    /// them over time, so what the role can do changes without a deployment. A function
    /// needs a few actions on a few resources.
    ///
    /// ## How to fix
    /// Replace the managed policy with a policy of the actions the function calls, on its
    /// resources. In SAM, use a policy template (`S3CrudPolicy: {BucketName: !Ref Bucket}`,
    /// `DynamoDBCrudPolicy: {TableName: !Ref Table}`); in CloudFormation, an inline policy
    /// whose `Resource` names the bucket, table or queue.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Policies:
    ///         - AmazonS3FullAccess
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Policies:
    ///         - S3CrudPolicy:
    ///             BucketName: !Ref Bucket
    /// ```
    pub struct BroadManagedPolicy {
        id: "IAM006",
        name: "broad-managed-policy",
        severity: Medium,
        practices: [1, 14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP: &str = "replace it with a policy of the actions the function calls, on its resources (SAM: a policy template such as `S3CrudPolicy: {BucketName: !Ref Bucket}`)";

/// How many actions a message names before "and N more".
const SHOWN: usize = 4;

/// How many services a message names before it counts them instead.
const SERVICES_SHOWN: usize = 6;

impl Rule for BroadManagedPolicy {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for (role, functions) in execution_roles(model) {
            // The AWS managed policies attached by ARN (or SAM name); others (customer
            // managed, unresolved) are not this rule's.
            for arn in &role.managed_policy_arns {
                let Some(policy) = arn
                    .value
                    .as_str()
                    .and_then(|a| managed_policies().by_arn(a))
                else {
                    continue;
                };
                let name = policy.name.as_str();
                // IAM001 reports it.
                if name == "AdministratorAccess" {
                    continue;
                }
                let Some(what) = breadth_of(policy) else {
                    continue;
                };
                let attached = if policy.deprecated {
                    format!(
                        "the deprecated AWS managed policy `{name}` (AWS keeps it only on the roles that already had it: it can no longer be attached to new ones)"
                    )
                } else {
                    format!("the AWS managed policy `{name}`")
                };
                cx.report(
                    &role.resource,
                    &arn.span,
                    name,
                    format!(
                        "{} has {attached}, which {what}",
                        execution_role_of(role, &functions)
                    ),
                    HELP,
                );
            }
        }
    }
}

/// What makes an AWS managed policy broad, or `None`: computed once per policy (the
/// documents are embedded data), read without a lock afterwards.
fn breadth_of(policy: &'static ManagedPolicy) -> Option<&'static str> {
    static CACHE: OnceLock<HashMap<&'static str, OnceLock<Option<String>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        managed_policies()
            .names()
            .map(|n| (n, OnceLock::new()))
            .collect()
    });
    let describe = || {
        let doc = policy.document(&Span::point("".into(), Pos::new(0, 0)));
        Breadth::of(&doc).describe(&doc, &policy.name)
    };
    // Every policy is in the cache (its name comes from the data).
    cache
        .get(policy.name.as_str())
        .and_then(|cell| cell.get_or_init(describe).as_deref())
}

/// What one service's actions a policy grants on every resource.
#[derive(Default)]
struct Tally {
    actions: usize,
    granted: usize,
    /// Write (and permissions-management) actions that act on resources, and how many of
    /// them are granted: those that take only `Resource: "*"` are no scoping mistake.
    scopable_writes: usize,
    scopable_writes_granted: usize,
    /// Some of those grants hold only under a condition.
    conditional: bool,
}

/// What a managed policy grants on every resource, by service.
struct Breadth {
    /// Lower-case service prefix → its tally, for the services the policy touches.
    services: BTreeMap<String, Tally>,
    /// The scopable write actions granted on every resource, in catalog order.
    writes: Vec<&'static Action>,
}

fn is_write(a: &Action) -> bool {
    matches!(
        a.level,
        AccessLevel::Write | AccessLevel::PermissionsManagement
    )
}

/// Whether a grant reaches every resource of its action: `*`, `NotResource`, or a
/// pattern such as `arn:aws:logs:*:*:*`.
fn reaches_every(g: &Grant<'_>) -> bool {
    match g.reach {
        Reach::AnyResource => true,
        Reach::Scoped => g
            .statement
            .resources()
            .any(|(r, _)| covers_every_resource(r, g.action)),
        Reach::Unknown => false,
    }
}

impl Breadth {
    fn of(doc: &PolicyDocument) -> Self {
        let granted = effective(&doc.statements);
        // Action → whether every grant of it on every resource is conditional.
        let mut reaching: HashMap<usize, bool> = HashMap::new();
        for g in granted.grants.iter().filter(|g| reaches_every(g)) {
            let conditional = reaching.entry(g.action.index()).or_insert(true);
            *conditional &= g.conditional;
        }
        // The catalog keeps each service's actions together: visit only the services the
        // policy touches (a policy grants a few services; the catalog has hundreds).
        let all = catalog().all();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for &i in reaching.keys() {
            if ranges.iter().any(|&(start, end)| (start..end).contains(&i)) {
                continue;
            }
            let service = all[i].service.as_str();
            let start = all[..i]
                .iter()
                .rposition(|a| a.service != service)
                .map_or(0, |p| p + 1);
            let end = all[i..]
                .iter()
                .position(|a| a.service != service)
                .map_or(all.len(), |p| i + p);
            ranges.push((start, end));
        }
        ranges.sort_unstable();
        let mut services: BTreeMap<String, Tally> = BTreeMap::new();
        let mut writes = Vec::new();
        for (start, end) in ranges {
            let mut t = Tally::default();
            for a in &all[start..end] {
                let scopable_write = is_write(a) && a.supports_resource_scoping();
                t.actions += 1;
                t.scopable_writes += usize::from(scopable_write);
                let Some(&conditional) = reaching.get(&a.index()) else {
                    continue;
                };
                t.granted += 1;
                if scopable_write {
                    t.scopable_writes_granted += 1;
                    t.conditional |= conditional;
                    writes.push(a);
                }
            }
            services.insert(all[start].service.to_ascii_lowercase(), t);
        }
        Self { services, writes }
    }

    /// What makes the policy broad, for the message (`grants every `s3` action on every
    /// resource`), or `None` when it is not.
    fn describe(&self, doc: &PolicyDocument, name: &str) -> Option<String> {
        let broad =
            |t: &Tally| t.scopable_writes > 0 && t.scopable_writes_granted == t.scopable_writes;
        let whole: Vec<(&str, &Tally)> = self
            .services
            .iter()
            .filter(|(_, t)| broad(t) && t.granted == t.actions)
            .map(|(s, t)| (s.as_str(), t))
            .collect();
        let writes_only: Vec<(&str, &Tally)> = self
            .services
            .iter()
            .filter(|(_, t)| broad(t) && t.granted < t.actions)
            .map(|(s, t)| (s.as_str(), t))
            .collect();
        let full_access = name.to_ascii_lowercase().contains("fullaccess");
        let mut parts = Vec::new();
        if !whole.is_empty() {
            parts.push(match not_action(doc) {
                Some(excluded) if whole.len() > SERVICES_SHOWN => format!(
                    "every action on every resource but those its `NotAction` leaves out ({})",
                    list(&excluded, SERVICES_SHOWN)
                ),
                _ if whole.len() > SERVICES_SHOWN => format!(
                    "every action of {} services ({}) on every resource",
                    whole.len(),
                    list(&quoted(&whole), SHOWN)
                ),
                _ => format!(
                    "every {} action on every resource",
                    list(&quoted(&whole), SERVICES_SHOWN)
                ),
            });
        }
        if !writes_only.is_empty() {
            parts.push(format!(
                "every write action on every {} resource",
                list(&quoted(&writes_only), SERVICES_SHOWN)
            ));
        }
        let conditional = whole.iter().chain(&writes_only).any(|(_, t)| t.conditional);
        let what = if !parts.is_empty() {
            format!("grants {}", parts.join(" and "))
        } else if full_access && !self.writes.is_empty() {
            let names: Vec<String> = self
                .writes
                .iter()
                .map(|a| format!("`{}`", a.full_name()))
                .collect();
            let n = names.len();
            let actions = if n == 1 { "action" } else { "actions" };
            let conditional_writes = self.services.values().any(|t| t.conditional);
            return Some(format!(
                "grants {n} write {actions} on every resource ({}){}",
                list(&names, SHOWN),
                if conditional_writes {
                    ", some only when a condition holds"
                } else {
                    ""
                }
            ));
        } else {
            return None;
        };
        Some(if conditional {
            format!("{what}, some only when a condition holds")
        } else {
            what
        })
    }
}

/// The patterns of an unconditional `Allow` + `NotAction` on every resource, if the policy
/// has one: what it leaves out.
fn not_action(doc: &PolicyDocument) -> Option<Vec<String>> {
    doc.statements
        .iter()
        .find(|st| {
            st.is_allow()
                && !st.has_condition()
                && st.not_action.is_some()
                && (st.not_resource.is_some() || st.resources().any(|(r, _)| is_any(r)))
        })
        .and_then(|st| st.not_action.as_ref())
        .map(|na| {
            na.value
                .iter()
                .filter_map(|e| e.value.as_str())
                .map(|p| format!("`{p}`"))
                .collect()
        })
}

fn quoted(services: &[(&str, &Tally)]) -> Vec<String> {
    services.iter().map(|(s, _)| format!("`{s}`")).collect()
}

/// `a`, `a and b`, `a, b and c`; past `max` items, `a, b, c, d and 3 more`.
fn list(items: &[String], max: usize) -> String {
    if items.len() > max {
        return format!("{} and {} more", items[..max].join(", "), items.len() - max);
    }
    join(items, "and")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sheepdog_diagnostics::{Pos, Span};

    fn what(name: &str) -> Option<String> {
        let span = Span::point("t.yaml".into(), Pos::new(1, 1));
        let doc = managed_policies()
            .by_name(name)
            .expect("a known policy")
            .document(&span);
        Breadth::of(&doc).describe(&doc, name)
    }

    #[test]
    fn broad_and_narrow_policies() {
        for narrow in [
            "AWSLambdaBasicExecutionRole",
            "AWSLambdaVPCAccessExecutionRole",
            "AWSLambdaSQSQueueExecutionRole",
            "AWSLambdaKinesisExecutionRole",
            "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaMSKExecutionRole",
            "AWSLambdaENIManagementAccess",
            "AWSLambdaRole",
            "AWSXRayDaemonWriteAccess",
            "AWSXrayWriteOnlyAccess",
            "AmazonS3ReadOnlyAccess",
            "AmazonDynamoDBReadOnlyAccess",
            "ReadOnlyAccess",
            "AmazonSSMManagedInstanceCore",
        ] {
            assert_eq!(what(narrow), None, "{narrow}");
        }
        let cases = [
            (
                "AmazonS3FullAccess",
                "grants every `s3` and `s3-object-lambda` action on every resource",
            ),
            (
                "CloudWatchLogsFullAccess",
                "grants every `logs` action on every resource",
            ),
            (
                "IAMFullAccess",
                "grants every `iam` action on every resource",
            ),
            (
                "AWSLambdaExecute",
                "grants every write action on every `logs` resource",
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(what(name).as_deref(), Some(expected), "{name}");
        }
        for broad in [
            "PowerUserAccess",
            "AmazonDynamoDBFullAccess",
            "AWSLambda_FullAccess",
            "AWSLambdaFullAccess",
            "AmazonSQSFullAccess",
            "AmazonVPCFullAccess",
            "SecretsManagerReadWrite",
        ] {
            assert!(what(broad).is_some(), "{broad}");
        }
    }
}
