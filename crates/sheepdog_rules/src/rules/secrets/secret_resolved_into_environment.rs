use sheepdog_model::{Model, UnknownReason, Value};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An environment variable that CloudFormation sets to a secret's plaintext at deploy
    /// time. That is a dynamic reference to Secrets Manager or to a Parameter Store
    /// `SecureString` (`{{resolve:secretsmanager:...}}`, `{{resolve:ssm-secure:...}}`), alone
    /// or inside a `!Sub`, or a reference to a secret CloudFormation generates (`!GetAtt
    /// AccessKey.SecretAccessKey`, `!GetAtt UserPoolClient.ClientSecret`, `!GetAtt
    /// AppSyncKey.ApiKey`). What yields a name or an ARN stays quiet (`!Ref Secret` is the
    /// secret's ARN), and so do plain `String` parameters (`{{resolve:ssm:...}}`) and
    /// parameters sheepdog cannot see into.
    ///
    /// ## Why it matters
    /// Practice 3 (secrets in Secrets Manager or Parameter Store): the secret stays out of
    /// the template, but CloudFormation writes its plaintext into the function's
    /// configuration, where anyone allowed `lambda:GetFunctionConfiguration` — read-only
    /// auditors, CI roles, the console — reads it. Rotating the secret does not reach the
    /// function until the next deployment, so rotation either breaks it or is not done.
    ///
    /// ## How to fix
    /// Pass the secret's ARN or name in the variable (`!Ref Secret`, a parameter path), grant
    /// the execution role `secretsmanager:GetSecretValue` (or `ssm:GetParameter` with
    /// `kms:Decrypt`) on that secret only, and read it at run time, cached (the AWS
    /// Parameters and Secrets Lambda extension, Powertools' parameters utility). An access
    /// key generated in the template is better replaced by the execution role itself.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Environment:
    ///         Variables:
    ///           DB_PASSWORD: "{{resolve:secretsmanager:prod/db:SecretString:password}}"
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Environment:
    ///         Variables:
    ///           DB_SECRET_ARN: !Ref DbSecret
    ///       Policies:
    ///         - AWSSecretsManagerGetSecretValuePolicy:
    ///             SecretArn: !Ref DbSecret
    ///   DbSecret:
    ///     Type: AWS::SecretsManager::Secret
    ///     Properties:
    ///       GenerateSecretString: {PasswordLength: 32}
    /// ```
    pub struct SecretResolvedIntoEnvironment {
        id: "SEC004",
        name: "secret-resolved-into-environment",
        severity: Medium,
        practices: [3],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for SecretResolvedIntoEnvironment {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            for var in f.env_vars() {
                let Some(what) = secret_source(model, &var.value.value) else {
                    continue;
                };
                cx.report(
                    &f.resource,
                    &var.value.span,
                    var.name.value.clone(),
                    format!(
                        "Environment variable `{}` of {} holds the plaintext of {what}, resolved at deploy time",
                        var.name.value,
                        describe(&f.resource)
                    ),
                    "pass the secret's ARN or name instead, and read the secret at run time",
                );
            }
        }
    }
}

/// What secret a value resolves to, described for the message.
fn secret_source(model: &Model, value: &Value<String>) -> Option<String> {
    if let Some(generated) = model.generated_secret_in(value) {
        return Some(format!(
            "`{}.{}`",
            generated.resource.id, generated.attribute
        ));
    }
    match &value.unknown()?.reason {
        UnknownReason::DynamicReference { service } => match service.as_str() {
            "secretsmanager" => Some("a Secrets Manager secret".to_owned()),
            "ssm-secure" => Some("a Parameter Store `SecureString`".to_owned()),
            _ => None,
        },
        _ => None,
    }
}
