use sheepdog_model::Model;

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An alias that moves all traffic to each new version at once.
    /// In SAM: a function with `AutoPublishAlias` and no `DeploymentPreference`, or one
    /// whose `Type` is `AllAtOnce` or which is `Enabled: false`. In CloudFormation: an
    /// `AWS::Lambda::Alias` with neither an `UpdatePolicy` with
    /// `CodeDeployLambdaAliasUpdate` (`CodeDeploy` shifts traffic as its deployment group
    /// says) nor a `RoutingConfig` (weighted traffic to a second version). In Terraform: an
    /// `aws_lambda_alias` with no `routing_config`, unless it leaves `function_version` to
    /// `CodeDeploy` (`lifecycle { ignore_changes = [function_version] }`) in a configuration
    /// with a Lambda deployment group. A preference
    /// given by an expression sheepdog cannot resolve is not reported; a `CodeDeploy`
    /// deployment group is trusted to shift gradually (its `DeploymentConfigName` is not
    /// checked).
    ///
    /// ## Why it matters
    /// Practice 10 (versioning and aliases, safe deployment): shifting an alias all at once
    /// exposes every caller to a faulty or malicious version immediately, with no canary
    /// period during which alarms can stop it and no automatic rollback. A gradual
    /// deployment (canary or linear) limits the blast radius and rolls back on its own when
    /// an alarm fires. This is informational: it is a deployment-safety practice, not an
    /// exposure.
    ///
    /// ## How to fix
    /// In SAM, add `DeploymentPreference` with a gradual `Type` (`Canary10Percent5Minutes`,
    /// `Linear10PercentEvery1Minute`, ...) and the `Alarms` that should stop it. In
    /// CloudFormation, give the alias an `UpdatePolicy` with `CodeDeployLambdaAliasUpdate`
    /// naming a `CodeDeploy` application and a deployment group whose
    /// `DeploymentConfigName` is a canary or linear configuration. In Terraform, declare an
    /// `aws_codedeploy_app` (`compute_platform = "Lambda"`) and an
    /// `aws_codedeploy_deployment_group` with a canary or linear `deployment_config_name`,
    /// and let the alias's `function_version` be shifted by it (`lifecycle {
    /// ignore_changes = [function_version, routing_config] }`), or weight the alias
    /// (`routing_config`).
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
    ///       AutoPublishAlias: live
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
    ///       AutoPublishAlias: live
    ///       DeploymentPreference:
    ///         Type: Canary10Percent5Minutes
    /// ```
    pub struct NoGradualDeployment {
        id: "VER004",
        name: "no-gradual-deployment",
        severity: Info,
        practices: [10],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for NoGradualDeployment {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for a in &model.aliases {
            if a.code_deploy_group.is_some() || a.routing_config.is_some() {
                continue;
            }
            let name = a.name.value.as_str().unwrap_or(&a.resource.id);
            let (span, why) = match (&a.deployment_preference_enabled, &a.deployment_preference) {
                // `Enabled` given by an expression: it may be on.
                (Some(e), _) if e.value.is_unknown() => continue,
                (Some(e), _) if e.value.known() == Some(&false) => {
                    (&e.span, "its deployment preference is disabled")
                }
                (_, Some(t)) if t.value.is("AllAtOnce") => {
                    (&t.span, "its deployment preference is `AllAtOnce`")
                }
                // A gradual type, or one sheepdog cannot resolve.
                (_, Some(_)) => continue,
                (_, None) => (&a.resource.span, "it has no gradual deployment preference"),
            };
            let function = model.function_of(&a.function.value).map_or_else(
                || describe(&a.resource),
                |(f, _)| format!("`{}`", f.resource.id),
            );
            cx.report(
                &a.resource,
                span,
                "",
                format!(
                    "Alias `{name}` of {function} shifts all traffic to each new version at once: {why}"
                ),
                "deploy gradually: shift traffic with CodeDeploy (SAM: `DeploymentPreference: {Type: Canary10Percent5Minutes}`; CloudFormation: an `UpdatePolicy`), or weight the alias's routing (`RoutingConfig`)",
            );
        }
    }
}
