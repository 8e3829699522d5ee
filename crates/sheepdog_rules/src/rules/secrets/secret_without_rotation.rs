use sheepdog_model::{Model, RotationSchedule, Secret, UnknownReason, Value};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Secrets Manager secret (`AWS::SecretsManager::Secret`) that no rotation schedule
    /// (`AWS::SecretsManager::RotationSchedule`) of the template rotates. A schedule's
    /// `SecretId` designates the secret by reference (`!Ref Secret`), by the secret's name
    /// or by its ARN. When a schedule's `SecretId` cannot be resolved (a parameter, an
    /// import, a reference sheepdog cannot follow) it may be rotating any secret, and the
    /// rule says nothing.
    ///
    /// ## Why it matters
    /// Practice 3 (secrets in Secrets Manager, rotated): a secret that never changes stays
    /// valid for as long as anyone who ever saw it — a former colleague, a leaked log line,
    /// a backup — keeps it. Automatic rotation bounds that window and proves the application
    /// can take a new secret without a deployment.
    ///
    /// ## How to fix
    /// Add an `AWS::SecretsManager::RotationSchedule` with `SecretId: !Ref Secret`,
    /// `RotationRules` (`AutomaticallyAfterDays` or `ScheduleExpression`) and either
    /// `HostedRotationLambda` (databases Secrets Manager knows how to rotate) or your own
    /// `RotationLambdaARN`. A secret that cannot be rotated automatically (a third party's
    /// API key) deserves a suppression that says how it is rotated by hand.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   DbSecret:
    ///     Type: AWS::SecretsManager::Secret
    ///     Properties:
    ///       GenerateSecretString:
    ///         SecretStringTemplate: '{"username": "app"}'
    ///         GenerateStringKey: password
    /// ```
    /// Fixed:
    /// ```yaml
    /// Resources:
    ///   DbSecret:
    ///     Type: AWS::SecretsManager::Secret
    ///     Properties:
    ///       GenerateSecretString:
    ///         SecretStringTemplate: '{"username": "app"}'
    ///         GenerateStringKey: password
    ///   DbSecretRotation:
    ///     Type: AWS::SecretsManager::RotationSchedule
    ///     Properties:
    ///       SecretId: !Ref DbSecret
    ///       HostedRotationLambda:
    ///         RotationType: PostgreSQLSingleUser
    ///       RotationRules:
    ///         AutomaticallyAfterDays: 30
    /// ```
    pub struct SecretWithoutRotation {
        id: "SEC006",
        name: "secret-without-rotation",
        severity: Medium,
        practices: [3],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for SecretWithoutRotation {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        // A schedule whose secret cannot be told may rotate any of them.
        if model
            .rotation_schedules
            .iter()
            .any(|s| designates_any(model, s))
        {
            return;
        }
        for secret in &model.secrets {
            if model
                .rotation_schedules
                .iter()
                .any(|s| may_rotate(s, secret))
            {
                continue;
            }
            cx.report(
                &secret.resource,
                &secret.resource.span,
                "",
                format!(
                    "Secret {} is never rotated (no rotation schedule)",
                    describe(&secret.resource)
                ),
                format!(
                    "add an `AWS::SecretsManager::RotationSchedule` with `SecretId` referencing `{}`",
                    secret.resource.id
                ),
            );
        }
    }
}

/// Whether a schedule's `SecretId` is unresolved in a way that could designate any secret:
/// a parameter, an import, a string built from unknown parts that names no secret of the
/// template, or a reference to a resource that is not one (a `SecretTargetAttachment`'s
/// `!Ref` is its secret's ARN).
fn designates_any(model: &Model, schedule: &RotationSchedule) -> bool {
    let Value::Unknown(u) = &schedule.secret.value else {
        return false;
    };
    let is_secret = |id: &String| model.secrets.iter().any(|s| &s.resource.id == id);
    match &u.reason {
        UnknownReason::Resource { id, .. } => !is_secret(id),
        UnknownReason::Composite { refs } => !refs.iter().any(is_secret),
        _ => true,
    }
}

/// Whether `schedule` rotates `secret`, or may (its name is unknown).
fn may_rotate(schedule: &RotationSchedule, secret: &Secret) -> bool {
    match &schedule.secret.value {
        Value::Unknown(u) => match &u.reason {
            UnknownReason::Resource { id, .. } => id == &secret.resource.id,
            UnknownReason::Composite { refs } => refs.contains(&secret.resource.id),
            _ => true,
        },
        Value::Known(id) => match secret.name.as_ref().map(|n| &n.value) {
            // A name generated at deployment cannot be written in the template.
            None => false,
            Some(Value::Unknown(_)) => true,
            Some(Value::Known(name)) => id == name || arn_names(id, name),
        },
    }
}

/// `arn:...:secretsmanager:...:secret:<name>-<6 random characters>` (or without the suffix).
fn arn_names(arn: &str, name: &str) -> bool {
    let Some((_, rest)) = arn.split_once(":secret:") else {
        return false;
    };
    rest == name
        || rest
            .strip_prefix(name)
            .and_then(|s| s.strip_prefix('-'))
            .is_some_and(|suffix| suffix.len() == 6 && suffix.chars().all(char::is_alphanumeric))
}
