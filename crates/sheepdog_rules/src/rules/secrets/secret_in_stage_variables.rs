use sheepdog_model::{Located, Model, Resource, Sourced};

use crate::context::describe;
use crate::secret_shapes::{detect, redact};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An API stage variable whose value, written in the template, is a secret. Secrets are
    /// recognised as in SEC001 (an AWS access key, a private key, a JWT, a Slack, GitHub or
    /// Stripe token, a connection string with a password, a literal in a variable named like
    /// a password, token or key; `dbPasswordArn` names a pointer). Covers REST stages
    /// (`AWS::ApiGateway::Stage` `Variables`, a deployment's `StageDescription.Variables`,
    /// SAM `Api` `Variables`) and HTTP API stages (`StageVariables`). References and
    /// placeholders stay quiet.
    ///
    /// ## Why it matters
    /// Practice 3 (secrets in Secrets Manager or Parameter Store): stage variables are
    /// configuration, not a vault. The value is in version control and every copy of the
    /// template, in the stage's configuration for anyone allowed `apigateway:GET`, and
    /// often in access logs and mapping templates that echo `$stageVariables`. It cannot be
    /// rotated without a deployment.
    ///
    /// ## How to fix
    /// Rotate the secret first: it is in your history. Keep it in Secrets Manager and have
    /// the integration fetch it (a Lambda integration reads it with its execution role), or
    /// pass only its name or ARN in the stage variable.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///       Variables:
    ///         backendApiKey: 7hT2kQ9xLm4pWv8z
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///       Variables:
    ///         backendApiKeySecretArn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/backend-AbCdEf
    /// ```
    pub struct SecretInStageVariables {
        id: "SEC008",
        name: "secret-in-stage-variables",
        severity: High,
        practices: [3],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for SecretInStageVariables {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for s in &model.rest_stages {
            let who = format!("stage {}", describe(&s.resource));
            report(cx, &s.resource, &who, &s.variables);
        }
        for d in &model.rest_deployments {
            let who = format!("the stage of deployment {}", describe(&d.resource));
            report(cx, &d.resource, &who, &d.stage_variables);
        }
        for s in &model.http_stages {
            let who = format!("stage {}", describe(&s.resource));
            report(cx, &s.resource, &who, &s.variables);
        }
    }
}

fn report(
    cx: &mut Context<'_>,
    resource: &Resource,
    who: &str,
    variables: &[(Located<String>, Sourced<String>)],
) {
    for (name, value) in variables {
        // Unknown values (parameters, references, dynamic references) are not literals.
        let Some(text) = value.value.as_str() else {
            continue;
        };
        let Some(what) = detect(&name.value, text) else {
            continue;
        };
        cx.report(
            resource,
            &value.span,
            name.value.clone(),
            format!(
                "Stage variable `{}` of {who} holds {what} (`{}`, redacted)",
                name.value,
                redact(text)
            ),
            "rotate it, keep it in Secrets Manager, and pass only its name or ARN",
        );
    }
}
