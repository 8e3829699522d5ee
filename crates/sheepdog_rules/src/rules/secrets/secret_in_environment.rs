use sheepdog_model::Model;

use crate::secret_shapes::{detect, redact};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An environment variable whose value, written in the template, is a secret: an AWS
    /// access key, a private key, a JWT, a Slack, GitHub, Stripe, Google or SendGrid token, a
    /// connection string with a password, or a literal value in a variable whose name says
    /// it holds a password, token or key. References stay quiet: ARNs, parameter paths,
    /// `{{resolve:...}}`, `!Ref` to a parameter without a default, placeholders.
    ///
    /// ## Why it matters
    /// Practice 3 (secrets in Secrets Manager or Parameter Store): a secret in a template is
    /// in version control, in every copy of the repository, in the CloudFormation console
    /// and in `GetFunctionConfiguration` output, readable by anyone with read access to any
    /// of them. It cannot be rotated without a deployment.
    ///
    /// ## How to fix
    /// Rotate the secret first: it is in your history. Store it in Secrets Manager or
    /// Parameter Store (SecureString), pass its name or ARN in the variable, grant the role
    /// `secretsmanager:GetSecretValue` on that secret only, and read it at run time (the
    /// Parameters and Secrets Lambda extension caches it).
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
    ///           DB_PASSWORD: correct-horse-battery-staple
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
    ///           DB_PASSWORD_SECRET_ARN: !Ref DbSecret
    ///   DbSecret:
    ///     Type: AWS::SecretsManager::Secret
    ///     Properties:
    ///       GenerateSecretString: {PasswordLength: 32}
    /// ```
    pub struct SecretInEnvironment {
        id: "SEC001",
        name: "secret-in-environment",
        severity: High,
        practices: [3],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for SecretInEnvironment {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            for var in f.env_vars() {
                // Unknown values (parameters, references, dynamic references) are not literals.
                let Some(value) = var.value.value.as_str() else {
                    continue;
                };
                let Some(what) = detect(&var.name.value, value) else {
                    continue;
                };
                cx.report(
                    &f.resource,
                    &var.value.span,
                    var.name.value.clone(),
                    format!(
                        "Environment variable `{}` of `{}` holds {what} (`{}`, redacted)",
                        var.name.value,
                        f.resource.id,
                        redact(value)
                    ),
                    "rotate it, store it in Secrets Manager or Parameter Store, and pass its name or ARN instead",
                );
            }
        }
    }
}
