use std::collections::HashMap;
use std::sync::OnceLock;

use sheepdog_iam::{Action, Grant, catalog, risk};
use sheepdog_model::Model;

use super::grants::{self, Bounded, Documents, Query, Relevant, Targets};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A role or policy that can read stored data on every resource: secrets, parameters,
    /// objects, table items, or decrypt with any key. The actions are those that return the
    /// data itself: `secretsmanager:GetSecretValue`; `ssm:GetParameter`,
    /// `ssm:GetParameters`, `ssm:GetParametersByPath`, `ssm:GetParameterHistory`;
    /// `s3:GetObject`, `s3:GetObjectVersion`; `dynamodb:GetItem`, `dynamodb:BatchGetItem`,
    /// `dynamodb:Query`, `dynamodb:Scan`, `dynamodb:PartiQLSelect`; `kms:Decrypt` (and any
    /// other action of the data-exfiltration list sheepdog carries). They may be named or
    /// granted by a wildcard (`s3:Get*`, `ssm:*`) or `NotAction`. "Every resource" is
    /// `Resource: "*"`, a pattern that covers every resource of the action's type
    /// (`arn:aws:s3:::*/*`, `arn:aws:ssm:*:*:parameter/*`, what SAM writes for
    /// `S3ReadPolicy: {BucketName: "*"}`), or `NotResource`. Inline policies, SAM policy
    /// templates and statements, standalone policies and AWS managed policies (the finding
    /// points at the ARN that attaches them) are read; an unconditional `Deny` on every
    /// resource takes a grant away, and so does a permissions boundary that does not allow
    /// the action on every resource. One finding per statement (per managed policy), naming
    /// the actions. A statement with a `Condition` is still reported, saying so. A resource
    /// sheepdog cannot resolve (`!Ref Bucket`, `!Sub ...${Table}`) is not assumed to be
    /// `*`, and `*` on `*` is left to IAM001.
    ///
    /// ## Why it matters
    /// Practice 1 (least privilege) and Practice 3 (secrets in Secrets Manager and Parameter
    /// Store): keeping secrets there protects them only if each function can read its own.
    /// A function that can read every secret, parameter, object or table turns one bug in
    /// it — an injection, a server-side request forgery, a compromised dependency — into
    /// the theft of all the account's data and credentials.
    ///
    /// ## How to fix
    /// Scope `Resource` to what the function reads: the secret's ARN
    /// (`!Ref PaymentSecret`), the parameter path
    /// (`arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/*`), the
    /// bucket's objects (`${Bucket.Arn}/*`), the table's ARN, the key's ARN. In SAM, give
    /// policy templates the real name (`S3ReadPolicy: {BucketName: !Ref Bucket}`), not `"*"`.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Payments:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Policies:
    ///         - Statement:
    ///             - Effect: Allow
    ///               Action: secretsmanager:GetSecretValue
    ///               Resource: "*"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Payments:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Policies:
    ///         - AWSSecretsManagerGetSecretValuePolicy:
    ///             SecretArn: !Ref PaymentSecret
    ///   PaymentSecret:
    ///     Type: AWS::SecretsManager::Secret
    ///     Properties:
    ///       GenerateSecretString: {PasswordLength: 32}
    /// ```
    pub struct DataReadOnAnyResource {
        id: "IAM009",
        name: "data-read-on-any-resource",
        severity: Medium,
        practices: [1, 3],
        sources: [CloudFormation, Sam, Terraform],
    }
}

/// Actions that return stored data, with what they read (for the message). Any other
/// action of the data-exfiltration list counts too, as [`Kind::Data`].
const DATA_READS: [(&str, Kind); 13] = [
    ("secretsmanager:GetSecretValue", Kind::Secret),
    ("ssm:GetParameter", Kind::Parameter),
    ("ssm:GetParameters", Kind::Parameter),
    ("ssm:GetParametersByPath", Kind::Parameter),
    ("ssm:GetParameterHistory", Kind::Parameter),
    ("s3:GetObject", Kind::Object),
    ("s3:GetObjectVersion", Kind::Object),
    ("dynamodb:GetItem", Kind::Table),
    ("dynamodb:BatchGetItem", Kind::Table),
    ("dynamodb:Query", Kind::Table),
    ("dynamodb:Scan", Kind::Table),
    ("dynamodb:PartiQLSelect", Kind::Table),
    ("kms:Decrypt", Kind::Key),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Secret,
    Parameter,
    Object,
    Table,
    Data,
    Key,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Secret => "any secret",
            Kind::Parameter => "any SSM parameter",
            Kind::Object => "any S3 object",
            Kind::Table => "any DynamoDB table",
            Kind::Data => "other stored data",
            Kind::Key => "",
        }
    }
}

/// The data reads, to skip the statements that cannot grant one.
fn targets() -> &'static Targets {
    static TARGETS: OnceLock<Targets> = OnceLock::new();
    TARGETS.get_or_init(|| {
        Targets::new(
            DATA_READS
                .iter()
                .map(|(name, _)| *name)
                .chain(risk().data_exfiltration.iter().map(String::as_str)),
        )
    })
}

/// What `action` reads, when it is a data read: looked up by catalog index in a table
/// built once.
fn kind(action: &Action) -> Option<Kind> {
    static KINDS: OnceLock<HashMap<usize, Kind>> = OnceLock::new();
    KINDS
        .get_or_init(|| {
            let cat = catalog();
            let mut kinds: HashMap<usize, Kind> = risk()
                .data_exfiltration
                .iter()
                .filter_map(|a| cat.action(a))
                .map(|a| (a.index(), Kind::Data))
                .collect();
            for (name, k) in DATA_READS {
                if let Some(a) = cat.action(name) {
                    kinds.insert(a.index(), k);
                }
            }
            kinds
        })
        .get(&action.index())
        .copied()
}

const HELP: &str =
    "scope `Resource` to the secrets, parameters, objects, tables and keys the function reads";

impl Rule for DataReadOnAnyResource {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        grants::for_each_group(
            model,
            &Query {
                documents: Documents::WithManaged,
                bounded: Bounded::OnAnyResource,
                relevant: Relevant::Targets(targets()),
            },
            |group| {
                let mut reads: Vec<(&Grant<'_>, Kind)> = Vec::new();
                let mut vias = Vec::new();
                for g in &group.grants {
                    let Some(k) = kind(g.action) else {
                        continue;
                    };
                    let Some(v) = grants::any_resource(g) else {
                        continue;
                    };
                    vias.push(v);
                    reads.push((g, k));
                }
                if vias.is_empty() {
                    return;
                }
                let chosen: Vec<&Grant<'_>> = reads.iter().map(|(g, _)| *g).collect();
                let mut actions: Vec<(Kind, &Action)> = Vec::new();
                for (g, k) in &reads {
                    if !actions.iter().any(|(_, a)| a.index() == g.action.index()) {
                        actions.push((*k, g.action));
                    }
                }
                // Secrets first, then parameters, objects, tables, keys.
                actions.sort_by_key(|(k, a)| (*k, a.index()));
                let actions: Vec<&Action> = actions.into_iter().map(|(_, a)| a).collect();
                let mut kinds: Vec<Kind> = reads.iter().map(|(_, k)| *k).collect();
                kinds.sort();
                kinds.dedup();
                cx.report(
                    group.resource,
                    group.anchor(&chosen),
                    group.key(),
                    format!(
                        "{} can {}: it grants {} on {}{}",
                        group.who(),
                        what(&kinds),
                        grants::list_actions(&actions, 4),
                        grants::describe_reach(&vias, "resource"),
                        grants::condition_note(&chosen),
                    ),
                    HELP,
                );
            },
        );
    }
}

/// `read any secret and any S3 object, and decrypt with any KMS key`.
fn what(kinds: &[Kind]) -> String {
    let nouns: Vec<&str> = kinds
        .iter()
        .filter(|k| **k != Kind::Key)
        .map(|k| k.noun())
        .collect();
    let read = match nouns.as_slice() {
        [] => String::new(),
        [one] => format!("read {one}"),
        [init @ .., last] => format!("read {} and {last}", init.join(", ")),
    };
    match (read.is_empty(), kinds.contains(&Kind::Key)) {
        (_, false) => read,
        (true, true) => "decrypt with any KMS key".to_owned(),
        (false, true) => format!("{read}, and decrypt with any KMS key"),
    }
}
