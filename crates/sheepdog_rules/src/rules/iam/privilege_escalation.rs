use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use sheepdog_diagnostics::Related;
use sheepdog_iam::{
    Effective, Grant, PolicyDocument, Reach, Statement, action_matches, catalog,
    covers_every_resource, effective, is_any, managed_policies, risk,
};
use sheepdog_model::{Model, Origin, Role, Span, Value};

use crate::context::{describe, join};
use crate::role_policies::RolePolicies;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A role that can give itself (or take) more permissions than it has: every known
    /// privilege-escalation method whose actions the role's policies all allow on every
    /// resource, such as `iam:PutRolePolicy` (write an admin policy into itself), `iam:PassRole`
    /// with `lambda:CreateFunction` and `lambda:InvokeFunction` (run code as any role), or
    /// `lambda:UpdateFunctionCode` (run code as another function's role). The 59 methods
    /// are Cloudsplaining's list (Rhino Security Labs' research and pathfinding.cloud).
    ///
    /// Every policy of the role counts: inline policies, SAM policy templates with their
    /// parameters, AWS managed policies and standalone policies attached to it; wildcards
    /// (`iam:*`, `lambda:Update*`) and `NotAction` are expanded against the IAM action
    /// catalog, and an unconditional `Deny` on every resource takes actions away. "Every
    /// resource" is `Resource: "*"`, `NotResource`, or a pattern that covers every resource
    /// of the action's type (`arn:aws:iam::*:role/*`, `arn:aws:lambda:*:*:function:*`, a
    /// SAM policy template given `"*"` for its name parameter); a resource sheepdog cannot
    /// resolve (`!GetAtt Role.Arn`) is not taken for `*`. A permissions boundary (of the
    /// template, or AWS managed) that does not allow one of the actions stops the method;
    /// one sheepdog cannot read, or that allows an action only on some resources, is named
    /// in the message. A method that needs the actions of another one the role has is
    /// not repeated (`iam:CreateAccessKey` covers `iam:CreateAccessKey` with
    /// `iam:DeleteAccessKey`). Methods made by the same statements are one finding, at the
    /// `Action` entry (or attached managed policy) of the first one's first action, with
    /// the other statements as related locations. A statement limited by a `Condition` is
    /// reported with the condition named ("only when its condition on ... holds"), except
    /// that `iam:PassRole` limited by `iam:PassedToService` counts only for the methods that
    /// pass the role to a service it names (`AmazonDynamoDBFullAccess` passes roles to DAX
    /// and Application Auto Scaling only: no Lambda or Data Pipeline method). A `Deny` with
    /// a condition takes nothing away (it may not apply). `Action: "*"` on `Resource: "*"`
    /// is IAM001's and is not repeated here.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege) and 14 (regular IAM review): a role that can rewrite
    /// its own permissions, or borrow another role's, is as powerful as the most powerful
    /// role in the account. One bug in the function (an injection, a compromised
    /// dependency) is then enough to take over the account, whatever the rest of its
    /// policy says.
    ///
    /// ## How to fix
    /// Remove the actions the function does not call. Scope those it needs to the exact
    /// resources: `iam:PassRole` to the one role it passes (with an `iam:PassedToService`
    /// condition), `lambda:UpdateFunctionCode` to the functions it deploys. IAM actions that
    /// change policies (`iam:Put*Policy`, `iam:Attach*Policy`, `iam:CreatePolicyVersion`)
    /// belong in a deployment role, not in a function's execution role. A permissions
    /// boundary that excludes them also stops the escalation.
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
    ///         - PolicyName: tagging
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: [iam:TagRole, iam:PutRolePolicy]
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
    ///         - PolicyName: tagging
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: iam:TagRole
    ///                 Resource: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-*
    /// ```
    pub struct PrivilegeEscalation {
        id: "IAM004",
        name: "privilege-escalation",
        severity: High,
        practices: [1, 14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// Every method of `data/iam-risk.json`, in the order findings list them, with what it
/// lets the role do (facts, for the message).
const METHODS: [(&str, &str); 59] = [
    (
        "PutRolePolicy",
        "write an inline policy granting anything into any role, itself included",
    ),
    (
        "AttachRolePolicy",
        "attach any managed policy, such as `AdministratorAccess`, to any role, itself included",
    ),
    (
        "CreateNewPolicyVersion",
        "write a new default version, granting anything, of any customer managed policy, such as one attached to itself",
    ),
    (
        "SetExistingDefaultPolicyVersion",
        "make another saved version of any customer managed policy the default one, which may grant more",
    ),
    (
        "UpdateRolePolicyToAssumeIt",
        "rewrite the trust policy of any role so that it can assume that role",
    ),
    (
        "EditExistingLambdaFunctionWithRole",
        "replace the code of any Lambda function, which then runs with that function's role",
    ),
    (
        "PassExistingRoleToNewLambdaThenInvoke",
        "pass any role to a new Lambda function and invoke it: its code runs with that role",
    ),
    (
        "PassExistingRoleToNewLambdaThenAddPermission",
        "pass any role to a new Lambda function and give itself the permission to invoke it",
    ),
    (
        "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        "pass any role to a new Lambda function and have an existing DynamoDB stream trigger it",
    ),
    (
        "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
        "pass any role to a new Lambda function and have the stream of a table it creates trigger it",
    ),
    (
        "UpdateAndInvokeLambdaFunction",
        "replace the code of any Lambda function and invoke it: the code runs with that function's role",
    ),
    (
        "UpdateLambdaFunctionAndAddPermission",
        "replace the code of any Lambda function and give itself the permission to invoke it",
    ),
    (
        "CreateAccessKey",
        "create access keys for any IAM user, an administrator included, and act as that user",
    ),
    (
        "CreateLoginProfile",
        "give a console password to any IAM user without one, and sign in as that user",
    ),
    (
        "UpdateLoginProfile",
        "change the console password of any IAM user and sign in as that user",
    ),
    (
        "AddUserToGroup",
        "add any IAM user to any group, such as an administrators' group",
    ),
    (
        "AttachUserPolicy",
        "attach any managed policy, such as `AdministratorAccess`, to any IAM user",
    ),
    (
        "AttachGroupPolicy",
        "attach any managed policy, such as `AdministratorAccess`, to any IAM group",
    ),
    (
        "PutUserPolicy",
        "write an inline policy granting anything into any IAM user",
    ),
    (
        "PutGroupPolicy",
        "write an inline policy granting anything into any IAM group",
    ),
    (
        "CreateAndRotateAccessKey",
        "delete an access key of any IAM user and create a new one to act as that user",
    ),
    (
        "AttachUserPolicyThenCreateAccessKey",
        "attach any managed policy to an IAM user and create access keys to act as that user",
    ),
    (
        "PutUserPolicyThenCreateAccessKey",
        "write an inline policy into an IAM user and create access keys to act as that user",
    ),
    (
        "CreatePolicyVersionThenAssumeRole",
        "write a new version of a managed policy attached to another role, then assume that role",
    ),
    (
        "AttachRolePolicyThenUpdateAssumeRolePolicy",
        "attach any managed policy to another role and rewrite that role's trust policy to assume it",
    ),
    (
        "CreatePolicyVersionThenUpdateAssumeRolePolicy",
        "write a new version of another role's managed policy and rewrite that role's trust policy to assume it",
    ),
    (
        "PutRolePolicyThenUpdateAssumeRolePolicy",
        "write an inline policy into another role and rewrite that role's trust policy to assume it",
    ),
    (
        "CreateEC2WithExistingIP",
        "pass any role to a new EC2 instance and use that role's credentials from the instance",
    ),
    (
        "PassExistingRoleToNewEC2SpotInstance",
        "pass any role to a new EC2 Spot Instance and use that role's credentials from it",
    ),
    (
        "ModifyEC2InstanceUserDataThenRestart",
        "change an EC2 instance's user data and restart it: the new commands run with the instance's role",
    ),
    (
        "ModifyExistingEC2LaunchTemplate",
        "add a launch template version whose user data runs on new instances, with their role",
    ),
    (
        "EC2InstanceConnectSendSSHPublicKey",
        "push an SSH key to any EC2 instance, log in and use the instance's role",
    ),
    (
        "PassExistingRoleToCloudFormation",
        "pass any role to a new CloudFormation stack, which creates resources with that role's permissions",
    ),
    (
        "ExecuteCloudFormationChangeSet",
        "change an existing CloudFormation stack through a change set, acting with the stack's service role",
    ),
    (
        "PassExistingRoleToNewCloudFormationStackSet",
        "pass any role to a new CloudFormation stack set, which deploys with that role's permissions",
    ),
    (
        "PassRoleToUpdateCloudFormationStackSet",
        "pass any role to an existing CloudFormation stack set and change what it deploys",
    ),
    (
        "PassExistingRoleToNewDataPipeline",
        "pass any role to a new Data Pipeline, whose activities run with that role",
    ),
    (
        "PassExistingRoleToNewGlueDevEndpoint",
        "pass any role to a new Glue development endpoint and log in to it to use that role",
    ),
    (
        "UpdateExistingGlueDevEndpoint",
        "add an SSH key to an existing Glue development endpoint, log in and use the endpoint's role",
    ),
    (
        "PassExistingRoleToNewGlueJobThenRun",
        "pass any role to a new Glue job and run it",
    ),
    (
        "PassExistingRoleToNewGlueJobViaTrigger",
        "pass any role to a new Glue job and start it with a trigger",
    ),
    (
        "PassExistingRoleToUpdatedGlueJobThenRun",
        "pass any role to an existing Glue job, change its script and run it",
    ),
    (
        "PassExistingRoleToUpdatedGlueJobViaTrigger",
        "pass any role to an existing Glue job, change its script and start it with a trigger",
    ),
    (
        "PassExistingRoleToNewCodeBuildProjectThenBuild",
        "pass any role to a new CodeBuild project and run a build with that role",
    ),
    (
        "PassExistingRoleToNewCodeBuildProjectThenBuildBatch",
        "pass any role to a new CodeBuild project and run a batch build with that role",
    ),
    (
        "PassExistingRoleToNewECSClusterServiceTask",
        "pass any role to the task of a new ECS service in a new cluster",
    ),
    (
        "PassExistingRoleToNewECSClusterRunTask",
        "pass any role to a task it runs in a new ECS cluster",
    ),
    (
        "PassExistingRoleToNewECSService",
        "pass any role to the task of a new ECS service",
    ),
    (
        "PassExistingRoleToNewECSTaskViaRunTask",
        "pass any role to a new ECS task definition and run it",
    ),
    (
        "PassExistingRoleToNewECSTaskViaStartTask",
        "pass any role to a new ECS task definition and start it",
    ),
    (
        "ECSExecuteCommandOnRunningTask",
        "open a shell in any running ECS task and use the task's role",
    ),
    (
        "PassExistingRoleToNewAppRunnerService",
        "pass any role to a new App Runner service that runs its own code",
    ),
    (
        "PassExistingRoleToNewSageMakerNotebookInstance",
        "pass any role to a new SageMaker notebook instance and use that role from it",
    ),
    (
        "PassExistingRoleToNewSageMakerTrainingJob",
        "pass any role to a new SageMaker training job that runs its own code",
    ),
    (
        "PassExistingRoleToNewSageMakerProcessingJob",
        "pass any role to a new SageMaker processing job that runs its own code",
    ),
    (
        "CreatePresignedSageMakerNotebookUrl",
        "open any SageMaker notebook instance and use the notebook's role",
    ),
    (
        "UpdateSageMakerNotebookLifecycleConfig",
        "give a SageMaker notebook instance a lifecycle script and restart it: the script runs with the notebook's role",
    ),
    (
        "PassExistingRoleToNewBedrockCodeInterpreter",
        "pass any role to a new Bedrock AgentCore code interpreter and run code with that role",
    ),
    (
        "AccessExistingBedrockCodeInterpreterSession",
        "run code in an existing Bedrock AgentCore code interpreter session, with the interpreter's role",
    ),
];

const HELP: &str = "remove the actions the function does not call, and scope the others to the exact roles, functions and policies it uses";

/// How many other methods a message names before "and N more".
const SHOWN: usize = 3;

/// The service principals `iam:PassRole` hands a role to, for the services the methods
/// pass roles to: an `iam:PassedToService` condition that names none of them rules the
/// method out.
const PASSED_TO: [(&str, &[&str]); 10] = [
    (
        "apprunner",
        &[
            "build.apprunner.amazonaws.com",
            "tasks.apprunner.amazonaws.com",
        ],
    ),
    ("bedrock-agentcore", &["bedrock-agentcore.amazonaws.com"]),
    ("cloudformation", &["cloudformation.amazonaws.com"]),
    ("codebuild", &["codebuild.amazonaws.com"]),
    (
        "datapipeline",
        &[
            "datapipeline.amazonaws.com",
            "elasticmapreduce.amazonaws.com",
            "ec2.amazonaws.com",
        ],
    ),
    ("ec2", &["ec2.amazonaws.com"]),
    ("ecs", &["ecs-tasks.amazonaws.com", "ecs.amazonaws.com"]),
    ("glue", &["glue.amazonaws.com"]),
    ("lambda", &["lambda.amazonaws.com"]),
    ("sagemaker", &["sagemaker.amazonaws.com"]),
];

/// A method of the data, resolved against the catalog once.
struct Method {
    name: &'static str,
    explanation: &'static str,
    /// Position in [`METHODS`].
    order: usize,
    /// Catalog indexes of its actions.
    actions: Vec<usize>,
    /// Its actions as `(service, name)`, lower-case.
    names: Vec<(String, String)>,
    /// For a method with `iam:PassRole`: the service principals it passes the role to
    /// (empty when sheepdog does not know them).
    passed_to: &'static [&'static str],
}

/// The methods resolved against the catalog, built on first use.
struct Known {
    methods: Vec<Method>,
    /// The catalog index of `iam:PassRole`.
    pass_role: Option<usize>,
    /// By catalog index: whether a method needs the action (the others are skipped early).
    used: Vec<bool>,
}

fn known_methods() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let cat = catalog();
        let pass_role = cat.action("iam:PassRole").map(sheepdog_iam::Action::index);
        let methods = risk()
            .privilege_escalation
            .iter()
            .filter_map(|(name, actions)| {
                // Every method of the data is explained (a unit test checks it).
                let (order, &(name, explanation)) = METHODS
                    .iter()
                    .enumerate()
                    .find(|(_, (n, _))| *n == name.as_str())?;
                let indexes = actions
                    .iter()
                    .map(|a| cat.action(a).map(sheepdog_iam::Action::index))
                    .collect::<Option<Vec<usize>>>()?;
                let passed_to = if actions
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("iam:PassRole"))
                {
                    actions
                        .iter()
                        .filter_map(|a| a.split_once(':'))
                        .find(|(service, _)| *service != "iam")
                        .and_then(|(service, _)| {
                            PASSED_TO
                                .iter()
                                .find(|(s, _)| *s == service)
                                .map(|(_, p)| *p)
                        })
                        .unwrap_or(&[])
                } else {
                    &[]
                };
                let names = actions
                    .iter()
                    .filter_map(|a| a.split_once(':'))
                    .map(|(s, n)| (s.to_ascii_lowercase(), n.to_ascii_lowercase()))
                    .collect();
                Some(Method {
                    name,
                    explanation,
                    order,
                    actions: indexes,
                    names,
                    passed_to,
                })
            })
            .collect::<Vec<Method>>();
        let mut used = vec![false; cat.all().len()];
        for i in methods.iter().flat_map(|m| &m.actions) {
            if let Some(u) = used.get_mut(*i) {
                *u = true;
            }
        }
        Known {
            methods,
            pass_role,
            used,
        }
    })
}

impl Rule for PrivilegeEscalation {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        let functions = model.function_ids_by_role();
        for role in &model.roles {
            let policies = RolePolicies::of(model, role);
            if !may_escalate(&policies) {
                continue;
            }
            // `*` on `*` is IAM001's, and a `Deny` with a condition or on some resources
            // takes nothing away: leaving those statements out changes no grant, and spares
            // expanding them to every action of the catalog.
            let granted = effective(
                policies
                    .statements()
                    .filter(|st| !st.is_full_admin() && !partial_deny(st)),
            );
            let reaching = Reaching::grants(&granted);
            if reaching.best.is_empty() {
                continue;
            }
            let boundary = Boundary::of(model, role);
            let hits = methods(&reaching, &boundary);
            if hits.is_empty() {
                continue;
            }
            let runs_as = functions
                .get(role.resource.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let who = who(role, runs_as);
            for group in groups(hits) {
                report(cx, model, role, &who, &policies, &group);
            }
        }
    }
}

/// Whether the role's `Allow` statements may grant every action of some method: a cheap
/// test (no expansion against the catalog) before the statements are evaluated. An entry
/// counts for every action of its service when its name has a wildcard (`lambda:Update*`);
/// a `NotAction`, a wildcard service (`*:Put*`), an unresolved entry or effect answers
/// yes. Never false when the role has a method.
fn may_escalate(policies: &RolePolicies<'_>) -> bool {
    // (service, exact name, or `None` for a wildcard name), lower-case.
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for st in policies.statements().filter(|st| !st.is_full_admin()) {
        match st.effect.value.known() {
            Some(sheepdog_iam::Effect::Deny) => continue,
            Some(sheepdog_iam::Effect::Allow) => {}
            None => return true,
        }
        if st.not_action.is_some() {
            return true;
        }
        for entry in st.action.iter().flat_map(|a| &a.value) {
            let Some((service, name)) = entry.value.as_str().and_then(|p| p.split_once(':')) else {
                return true;
            };
            if service.contains(['*', '?']) {
                return true;
            }
            let name = name.trim();
            let name = (!name.contains(['*', '?'])).then(|| name.to_ascii_lowercase());
            entries.push((service.trim().to_ascii_lowercase(), name));
        }
    }
    let granted = |service: &str, action: &str| {
        entries
            .iter()
            .any(|(s, n)| s == service && n.as_deref().is_none_or(|n| n == action))
    };
    known_methods()
        .methods
        .iter()
        .any(|m| m.names.iter().all(|(s, n)| granted(s, n)))
}

/// A `Deny` that the evaluation does not subtract: limited by a condition, or to some
/// resources (`NotResource`, ARNs, unresolved).
fn partial_deny(st: &Statement) -> bool {
    st.effect.value.known() == Some(&sheepdog_iam::Effect::Deny)
        && (st.has_condition()
            || st.not_resource.is_some()
            || !st.resources().any(|(r, _)| is_any(r)))
}

/// A grant that reaches every resource, and the resource entry that says so (`*`, or an
/// ARN such as `arn:aws:iam::${AWS::AccountId}:role/*`; `NotResource` for a `NotResource`
/// statement).
#[derive(Clone, Copy)]
struct Via<'g> {
    grant: &'g Grant<'g>,
    on: &'g str,
}

/// The grants of a role that reach every resource.
struct Reaching<'g> {
    /// The grant of each action, unconditional ones first.
    best: HashMap<usize, Via<'g>>,
    /// Every grant of `iam:PassRole`, unconditional ones first: which one a method can use
    /// depends on the service it passes the role to.
    pass_role: Vec<Via<'g>>,
}

impl<'g> Reaching<'g> {
    fn grants(granted: &'g Effective<'g>) -> Self {
        let known = known_methods();
        let mut best: HashMap<usize, Via<'g>> = HashMap::new();
        let mut pass_role = Vec::new();
        for g in &granted.grants {
            if !known.used.get(g.action.index()).copied().unwrap_or(false) {
                continue;
            }
            let Some(on) = reaches_every(g) else {
                continue;
            };
            let key = g.action.index();
            let r = Via { grant: g, on };
            if Some(key) == known.pass_role {
                pass_role.push(r);
            }
            match best.get(&key) {
                Some(b) if !b.grant.conditional || g.conditional => {}
                _ => {
                    best.insert(key, r);
                }
            }
        }
        pass_role.sort_by_key(|r| r.grant.conditional);
        Self { best, pass_role }
    }

    /// The grant a method uses for `action`.
    fn for_method(&self, action: usize, method: &Method) -> Option<Via<'g>> {
        if Some(action) == known_methods().pass_role && !method.passed_to.is_empty() {
            return self
                .pass_role
                .iter()
                .find(|r| passes_to(r.grant.statement, method.passed_to))
                .copied();
        }
        self.best.get(&action).copied()
    }
}

/// Whether a statement's `iam:PassedToService` condition (if any) lets a role be passed to
/// one of `services`. Unresolved values may: they count as yes.
fn passes_to(st: &Statement, services: &[&str]) -> bool {
    let Some(conditions) = &st.condition else {
        return true;
    };
    for c in &conditions.value {
        if !c.key.eq_ignore_ascii_case("iam:PassedToService") {
            continue;
        }
        let Some(values) = c
            .values
            .iter()
            .map(|v| v.value.as_str())
            .collect::<Option<Vec<&str>>>()
        else {
            continue;
        };
        let named = |service: &str| values.iter().any(|v| action_matches(v, service));
        let operator = c
            .operator
            .trim_start_matches("ForAnyValue:")
            .trim_start_matches("ForAllValues:")
            .trim_end_matches("IfExists");
        match operator {
            "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
                if !services.iter().any(|s| named(s)) =>
            {
                return false;
            }
            "StringNotEquals" | "StringNotEqualsIgnoreCase" | "StringNotLike"
                if services.iter().all(|s| named(s)) =>
            {
                return false;
            }
            _ => {}
        }
    }
    true
}

/// The resource entry through which `g` reaches every resource of its action, if it does.
/// A pattern without `*` names one resource: only those with one are matched against the
/// action's ARN formats.
fn reaches_every<'g>(g: &'g Grant<'g>) -> Option<&'g str> {
    match g.reach {
        Reach::AnyResource if g.statement.not_resource.is_some() => Some("NotResource"),
        Reach::AnyResource => Some("*"),
        Reach::Scoped => g
            .statement
            .resources()
            .map(|(r, _)| r)
            .find(|r| r.contains('*') && covers_every_resource(r, g.action)),
        Reach::Unknown => None,
    }
}

/// What the role's permissions boundary lets through.
enum Boundary {
    /// No boundary.
    None,
    /// A boundary sheepdog cannot read (outside the template, unresolved).
    Unreadable,
    /// A boundary sheepdog can read: its verdict on each action it names, and on the others.
    Known {
        verdicts: HashMap<usize, Verdict>,
        otherwise: Verdict,
    },
}

/// Whether the boundary lets an action through on every resource.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Allows,
    /// Only when a condition of the boundary holds.
    AllowsConditionally,
    /// Sheepdog cannot tell.
    Perhaps,
    Blocks,
}

impl Boundary {
    fn of(model: &Model, role: &Role) -> Self {
        let Some(b) = &role.permissions_boundary else {
            return Self::None;
        };
        if let Some(p) = model.policy_by_arn(&b.value) {
            return p.document.as_ref().map_or(Self::Unreadable, Self::known);
        }
        match &b.value {
            Value::Known(arn) => managed_policies()
                .by_arn(arn)
                .map_or(Self::Unreadable, |p| Self::known(&p.document(&b.span))),
            Value::Unknown(_) => Self::Unreadable,
        }
    }

    fn known(doc: &PolicyDocument) -> Self {
        let allowed = effective(&doc.statements);
        let otherwise = if allowed.incomplete || doc.incomplete {
            Verdict::Perhaps
        } else {
            Verdict::Blocks
        };
        let mut verdicts: HashMap<usize, Verdict> = HashMap::new();
        for g in &allowed.grants {
            let v = match (reaches_every(g), g.conditional) {
                (Some(_), false) => Verdict::Allows,
                (Some(_), true) => Verdict::AllowsConditionally,
                (None, _) => Verdict::Perhaps,
            };
            let entry = verdicts.entry(g.action.index()).or_insert(otherwise);
            *entry = stronger(*entry, v);
        }
        Self::Known {
            verdicts,
            otherwise,
        }
    }

    /// What the boundary says about each action of `actions` (catalog indexes).
    fn verdicts(&self, actions: &[usize]) -> Vec<Verdict> {
        match self {
            Self::None => vec![Verdict::Allows; actions.len()],
            Self::Unreadable => vec![Verdict::Perhaps; actions.len()],
            Self::Known {
                verdicts,
                otherwise,
            } => actions
                .iter()
                .map(|a| verdicts.get(a).copied().unwrap_or(*otherwise))
                .collect(),
        }
    }
}

/// The more permissive of two verdicts.
fn stronger(a: Verdict, b: Verdict) -> Verdict {
    let rank = |v: Verdict| match v {
        Verdict::Blocks => 0,
        Verdict::Perhaps => 1,
        Verdict::AllowsConditionally => 2,
        Verdict::Allows => 3,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// One escalation method the role has.
struct Hit<'g> {
    name: &'static str,
    explanation: &'static str,
    /// The method's actions, each with the grant that allows it on every resource.
    actions: Vec<(usize, Via<'g>)>,
    /// Some grant (or the boundary's) holds only under a condition.
    conditional: bool,
    /// The permissions boundary cannot be read: it may stop the method.
    boundary_unknown: bool,
    /// Position in [`METHODS`].
    order: usize,
}

/// The methods the role has, minus those that need the actions of another one it has too.
fn methods<'g>(reaching: &Reaching<'g>, boundary: &Boundary) -> Vec<Hit<'g>> {
    let mut hits: Vec<Hit<'g>> = Vec::new();
    for method in &known_methods().methods {
        let Some(grants) = method
            .actions
            .iter()
            .map(|&i| reaching.for_method(i, method).map(|r| (i, r)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let verdicts = boundary.verdicts(&method.actions);
        if verdicts.contains(&Verdict::Blocks) {
            continue;
        }
        hits.push(Hit {
            name: method.name,
            explanation: method.explanation,
            conditional: grants.iter().any(|(_, r)| r.grant.conditional)
                || verdicts.contains(&Verdict::AllowsConditionally),
            boundary_unknown: verdicts.contains(&Verdict::Perhaps),
            actions: grants,
            order: method.order,
        });
    }
    let sets: Vec<Vec<usize>> = hits
        .iter()
        .map(|h| h.actions.iter().map(|(i, _)| *i).collect())
        .collect();
    let redundant = |i: usize| {
        sets.iter().enumerate().any(|(j, other)| {
            j != i && other.len() < sets[i].len() && other.iter().all(|a| sets[i].contains(a))
        })
    };
    let keep: Vec<bool> = (0..hits.len()).map(|i| !redundant(i)).collect();
    let mut kept: Vec<Hit<'g>> = hits
        .into_iter()
        .zip(keep)
        .filter_map(|(h, k)| k.then_some(h))
        .collect();
    kept.sort_by_key(|h| (h.actions.len(), h.order));
    kept
}

/// Methods made by the same statements: one finding each. A statement is told by its span (the statements of an AWS managed policy all point at
/// the ARN that attaches it, so they count as one).
struct Group<'g> {
    statements: Vec<&'g Span>,
    hits: Vec<Hit<'g>>,
}

fn groups(hits: Vec<Hit<'_>>) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    for h in hits {
        let mut spans: Vec<&Span> = h
            .actions
            .iter()
            .map(|(_, r)| &r.grant.statement.span)
            .collect();
        spans.sort();
        spans.dedup();
        match out.iter_mut().find(|g| g.statements == spans) {
            Some(g) => g.hits.push(h),
            None => out.push(Group {
                statements: spans,
                hits: vec![h],
            }),
        }
    }
    // Each finding leads with its surest method: unconditional, boundary known.
    for g in &mut out {
        g.hits
            .sort_by_key(|h| (h.conditional, h.boundary_unknown, h.actions.len(), h.order));
    }
    out
}

/// How messages name the role: Execution role `R` of `F`, or Role `R` when no function
/// of the template runs as it.
fn who(role: &Role, functions: &[&str]) -> String {
    if functions.is_empty() {
        return format!("Role {}", describe(&role.resource));
    }
    let of = match &role.resource.origin {
        Origin::Derived { from, .. } if functions == [from.as_str()] => String::new(),
        _ => {
            let quoted: Vec<String> = functions.iter().map(|f| format!("`{f}`")).collect();
            format!(" of {}", join(&quoted, "and"))
        }
    };
    format!("Execution role {}{of}", describe(&role.resource))
}

fn report(
    cx: &mut Context<'_>,
    model: &Model,
    role: &Role,
    who: &str,
    policies: &RolePolicies<'_>,
    group: &Group<'_>,
) {
    let Some(first) = group.hits.first() else {
        return;
    };
    let Some((_, lead)) = first.actions.first() else {
        return;
    };
    // Where a statement comes from, when not from the role itself.
    let managed = |st: &Statement| -> Option<String> {
        if let Some(m) = policies.managed_name(st) {
            return Some(format!("the AWS managed policy `{m}`"));
        }
        model
            .policies_of(role)
            .find(|p| {
                p.document
                    .as_ref()
                    .is_some_and(|d| d.statements.iter().any(|s| std::ptr::eq(s, st)))
            })
            .map(|p| format!("the policy `{}`", p.resource.id))
    };
    // The first method's actions, with the wildcard that grants each and where.
    let ons: Vec<&str> = first.actions.iter().map(|(_, r)| r.on).collect();
    let same_on = ons.windows(2).all(|w| w[0] == w[1]);
    let sources: Vec<Option<String>> = first
        .actions
        .iter()
        .map(|(_, r)| managed(r.grant.statement))
        .collect();
    let same_source = sources.windows(2).all(|w| w[0] == w[1]);
    let items: Vec<String> = first
        .actions
        .iter()
        .map(|(_, r)| {
            let g = r.grant;
            let name = g.action.full_name();
            let mut item = format!("`{name}`");
            let mut by = Vec::new();
            if !g.pattern.eq_ignore_ascii_case(&name) {
                by.push(format!("through `{}`", g.pattern));
            }
            if !same_source && let Some(m) = managed(g.statement) {
                by.push(format!("in {m}"));
            }
            if !by.is_empty() {
                item = format!("{item} ({})", by.join(" "));
            }
            if !same_on {
                item = format!("{item} on `{}`", r.on);
            }
            item
        })
        .collect();
    let mut message = format!("{who} grants {}", join(&items, "and"));
    if same_on {
        let _ = write!(message, " on `{}`", lead.on);
    }
    if same_source && let Some(Some(m)) = sources.first() {
        let _ = write!(message, " through {m}");
    }
    if first.conditional {
        message.push_str(&condition_note(first));
    }
    if first.boundary_unknown {
        let at = role
            .permissions_boundary
            .as_ref()
            .map(|b| match &b.value {
                Value::Known(v) => format!(" `{v}`"),
                Value::Unknown(u) => format!(" `{}`", u.expr),
            })
            .unwrap_or_default();
        let _ = write!(
            message,
            ", unless its permissions boundary{at}, which sheepdog cannot evaluate, stops it"
        );
    }
    let _ = write!(
        message,
        " (privilege escalation, method {}: {})",
        first.name, first.explanation
    );
    let others: Vec<String> = group.hits[1..].iter().map(|h| h.name.to_owned()).collect();
    if !others.is_empty() {
        let statements = if group.statements.len() == 1 {
            "statement"
        } else {
            "statements"
        };
        let shown = if others.len() > SHOWN {
            format!(
                "{} and {} more",
                others[..SHOWN].join(", "),
                others.len() - SHOWN
            )
        } else {
            join(&others, "and")
        };
        let n = others.len();
        let methods = if n == 1 { "method" } else { "methods" };
        let rest = &group.hits[1..];
        let unsure = if !first.conditional && rest.iter().any(|h| h.conditional) {
            if n == 1 {
                ", only when a condition holds"
            } else {
                ", some only when a condition holds"
            }
        } else if !first.boundary_unknown && rest.iter().any(|h| h.boundary_unknown) {
            ", unless the permissions boundary stops them"
        } else {
            ""
        };
        let _ = write!(
            message,
            "; {n} more {methods} through the same {statements}{unsure}: {shown}"
        );
    }
    let finding = cx.report(&role.resource, lead.grant.span, first.name, message, HELP);
    // The other statements that make these methods possible, at their first entry.
    let lead_statement = &lead.grant.statement.span;
    for statement in &group.statements {
        if *statement == lead_statement {
            continue;
        }
        let mut names: Vec<String> = Vec::new();
        let mut at: Option<&Span> = None;
        let mut source = None;
        for h in &group.hits {
            for (_, r) in &h.actions {
                if &r.grant.statement.span == *statement {
                    let n = format!("`{}`", r.grant.action.full_name());
                    if !names.contains(&n) {
                        names.push(n);
                    }
                    at = Some(at.map_or(r.grant.span, |a| a.min(r.grant.span)));
                    source = source.or(managed(r.grant.statement));
                }
            }
        }
        let shown = if names.len() > SHOWN {
            format!(
                "{} and {} more",
                names[..SHOWN].join(", "),
                names.len() - SHOWN
            )
        } else {
            join(&names, "and")
        };
        let message = match source {
            Some(m) => format!("{shown} granted here, by {m}"),
            None => format!("{shown} granted here"),
        };
        finding.related.push(Related {
            message,
            span: at.unwrap_or(statement).clone(),
        });
    }
}

/// `, only when its condition on `k` holds`, naming the keys of the conditional statements.
fn condition_note(hit: &Hit<'_>) -> String {
    let mut keys: Vec<&str> = Vec::new();
    for (_, r) in &hit.actions {
        if !r.grant.conditional {
            continue;
        }
        for c in r.grant.statement.condition.iter().flat_map(|c| &c.value) {
            if !keys.contains(&c.key.as_str()) {
                keys.push(&c.key);
            }
        }
    }
    if keys.is_empty() {
        ", only when its permissions boundary's condition holds".to_owned()
    } else {
        format!(", only when its condition on `{}` holds", keys.join("`, `"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(condition: &str) -> Statement {
        let json = format!(
            r#"{{"Statement": [{{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {condition}}}]}}"#
        );
        let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let span =
            sheepdog_model::Span::point("t.json".into(), sheepdog_diagnostics::Pos::new(1, 1));
        let doc = sheepdog_iam::document_from_json(&value, &span);
        doc.statements.into_iter().next().expect("a statement")
    }

    #[test]
    fn passed_to_service_conditions() {
        let lambda = &["lambda.amazonaws.com"][..];
        let cases = [
            ("{}", true),
            (
                r#"{"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}"#,
                true,
            ),
            (
                r#"{"StringEquals": {"iam:PassedToService": ["ecs-tasks.amazonaws.com"]}}"#,
                false,
            ),
            (
                r#"{"StringLike": {"iam:PassedToService": "*.amazonaws.com"}}"#,
                true,
            ),
            (
                r#"{"ForAnyValue:StringEquals": {"iam:PassedToService": "dax.amazonaws.com"}}"#,
                false,
            ),
            (
                r#"{"StringNotEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}"#,
                false,
            ),
            (
                r#"{"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#,
                true,
            ),
            (
                r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#,
                true,
            ),
        ];
        for (condition, expected) in cases {
            assert_eq!(
                passes_to(&statement(condition), lambda),
                expected,
                "{condition}"
            );
        }
    }

    #[test]
    fn every_method_is_explained() {
        for name in risk().privilege_escalation.keys() {
            assert!(
                METHODS.iter().any(|(n, e)| n == name && !e.is_empty()),
                "no explanation for {name}"
            );
        }
        for (name, _) in METHODS {
            assert!(
                risk().privilege_escalation.contains_key(name),
                "{name} is not a method of the data"
            );
        }
    }
}
