//! Terraform resources that change another resource rather than being one in the model:
//! policy attachments (the role's managed policies), method settings (the stage's),
//! REST API policies, integrations (the function a method or route invokes), secret
//! versions (a literal secret value), extra CIDRs of a rule resource, `publish = true`
//! (a version of the function), the Terraform names of generated secrets' attributes
//! (`aws_iam_access_key.k.secret`), the `CodeDeploy` deployment group that shifts an alias.
//! They are applied once every resource is mapped, with
//! what Terraform does differently from CloudFormation to a mapped resource (a security
//! group keeps no default egress rule).

use sheepdog_diagnostics::Value;
use sheepdog_model::{GeneratedSecret, ManagedPolicy, Model, Resource, SecurityGroupRule, Version};

use super::shape::{Props, block, reference, text};
use crate::cfn::policy::document;
use crate::cfn::props::string;
use crate::cfn::resources::{method_settings, sg_rule};
use crate::node::{Kind, Node};

/// The key `build` adds to an alias whose `lifecycle.ignore_changes` leaves its version to
/// something outside Terraform (`CodeDeploy`).
pub const LEAVES_VERSION: &str = "sheepdog:leaves-function-version";

/// Resources kept for the pass after mapping, by address.
#[derive(Default)]
pub struct Pending {
    items: Vec<(String, String, Node)>,
}

impl Pending {
    pub fn remember(&mut self, id: &str, kind: &str, tf: &Node) {
        if LINKING.contains(&kind)
            || GENERATED_SECRETS.iter().any(|(k, _)| *k == kind)
            || (kind == "aws_lambda_function" && tf.get("publish").is_some())
            || (kind == "aws_lambda_alias" && tf.get(LEAVES_VERSION).is_some())
        {
            self.items
                .push((id.to_owned(), kind.to_owned(), tf.clone()));
        }
    }

    pub fn apply(self, model: &mut Model) {
        // Terraform removes AWS's default allow-all egress rule when it creates a group
        // (see `translate`): no `egress` block is no egress.
        for g in &mut model.security_groups {
            g.default_egress = false;
        }
        for (id, kind, tf) in &self.items {
            match kind.as_str() {
                "aws_iam_role_policy_attachment" => {
                    if let (Some(role), Some(arn)) = (tf.get("role"), tf.get("policy_arn")) {
                        attach(model, (id, kind, tf), std::slice::from_ref(role), arn);
                    }
                }
                "aws_iam_policy_attachment" => {
                    if let (Some(roles), Some(arn)) = (tf.get("roles"), tf.get("policy_arn")) {
                        let roles = roles.as_seq().unwrap_or(std::slice::from_ref(roles));
                        attach(model, (id, kind, tf), roles, arn);
                    }
                }
                "aws_api_gateway_method_settings" => stage_settings(model, tf),
                "aws_api_gateway_rest_api_policy" => {
                    if let (Some(api), Some(policy)) = (tf.get("rest_api_id"), tf.get("policy"))
                        && let Some(rest) = model
                            .rest_apis
                            .iter_mut()
                            .find(|a| designates(api, &a.resource.id, None))
                    {
                        rest.policy = Some(document(policy));
                    }
                }
                "aws_api_gateway_integration" => rest_integration(model, &self.items, tf),
                "aws_apigatewayv2_integration" => http_integration(model, id, tf),
                "aws_secretsmanager_secret_version" => {
                    if let (Some(secret), Some(_)) = (tf.get("secret_id"), tf.get("secret_string"))
                        && let Some(s) = model
                            .secrets
                            .iter_mut()
                            .find(|s| designates(secret, &s.resource.id, None))
                    {
                        s.has_literal_value = true;
                    }
                }
                "aws_security_group_rule" => extra_cidrs(model, id, tf),
                "aws_lambda_function" => published_version(model, id, tf),
                "aws_lambda_alias" => code_deploy(model, id, &self.items),
                _ => {
                    if let Some((_, attribute)) = GENERATED_SECRETS.iter().find(|(k, _)| k == kind)
                    {
                        generated_secret(model, id, kind, attribute, tf);
                    }
                }
            }
        }
    }
}

const LINKING: [&str; 11] = [
    "aws_codedeploy_app",
    "aws_codedeploy_deployment_group",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_api_gateway_method_settings",
    "aws_api_gateway_rest_api_policy",
    "aws_api_gateway_integration",
    "aws_api_gateway_method",
    "aws_apigatewayv2_integration",
    "aws_secretsmanager_secret_version",
    "aws_security_group_rule",
];

/// Resources with an attribute whose value is a secret the provider generates, and that
/// attribute as Terraform references name it (the CloudFormation mappers record
/// CloudFormation's: `SecretAccessKey`, `ClientSecret`, `ApiKey`). `random_password` (the
/// `random` provider) has no CloudFormation type.
const GENERATED_SECRETS: [(&str, &str); 4] = [
    ("aws_iam_access_key", "secret"),
    ("aws_cognito_user_pool_client", "client_secret"),
    ("aws_appsync_api_key", "key"),
    ("random_password", "result"),
];

/// Name the generated secret of resource `id` by its Terraform attribute.
fn generated_secret(model: &mut Model, id: &str, kind: &str, attribute: &str, tf: &Node) {
    if let Some(s) = model
        .generated_secrets
        .iter_mut()
        .find(|s| s.resource.id == id)
    {
        attribute.clone_into(&mut s.attribute);
        return;
    }
    model.generated_secrets.push(GeneratedSecret {
        resource: Resource::declared(id.to_owned(), kind.to_owned(), tf.span.clone()),
        attribute: attribute.to_owned(),
    });
}

/// An alias that leaves its version to something outside Terraform, in a configuration with
/// a Lambda deployment group: `CodeDeploy` shifts its traffic (the Terraform form of
/// CloudFormation's `UpdatePolicy.CodeDeployLambdaAliasUpdate`).
fn code_deploy(model: &mut Model, id: &str, items: &[(String, String, Node)]) {
    let lambda_apps: Vec<&str> = items
        .iter()
        .filter(|(_, kind, tf)| {
            kind == "aws_codedeploy_app"
                && tf.get("compute_platform").and_then(Node::as_str) == Some("Lambda")
        })
        .map(|(app, ..)| app.as_str())
        .collect();
    let group = items.iter().find(|(_, kind, tf)| {
        kind == "aws_codedeploy_deployment_group"
            && (tf
                .get("deployment_config_name")
                .and_then(Node::as_str)
                .is_some_and(|c| c.starts_with("CodeDeployDefault.Lambda"))
                || tf
                    .get("app_name")
                    .is_some_and(|a| lambda_apps.iter().any(|app| designates(a, app, None))))
    });
    let Some((_, _, group)) = group else {
        return;
    };
    let name = group
        .get("deployment_group_name")
        .map_or_else(|| string(group), string);
    if let Some(alias) = model.aliases.iter_mut().find(|a| a.resource.id == id) {
        alias.code_deploy_group = Some(name);
    }
}

/// Whether a reference or name (`aws_iam_role.r.name`, `"my-role"`, an ARN) designates the
/// resource with address `id` and physical name `name`.
fn designates(value: &Node, id: &str, name: Option<&str>) -> bool {
    match &value.kind {
        Kind::Unknown(u) => match &u.reason {
            sheepdog_diagnostics::UnknownReason::Resource { id: target, .. } => target == id,
            sheepdog_diagnostics::UnknownReason::Composite { refs } => {
                refs.len() == 1 && refs[0] == id
            }
            _ => false,
        },
        Kind::Str(s) => name.is_some_and(|n| s == n || s.ends_with(&format!("/{n}"))),
        _ => false,
    }
}

/// Attach policy `arn` to the roles an attachment names. A role sheepdog cannot tell (its
/// name unknown until apply) keeps the attachment, as a policy it cannot read attached to
/// that role (as CloudFormation's `Roles: [!Ref Param]`): rules know a role may have it.
fn attach(model: &mut Model, (id, kind, tf): (&str, &str, &Node), roles: &[Node], arn: &Node) {
    let mut unresolved = Vec::new();
    for role in roles {
        match model.roles.iter_mut().find(|r| {
            let name = r.name.as_ref().and_then(|n| n.value.as_str());
            designates(role, &r.resource.id, name)
        }) {
            Some(r) => r.managed_policy_arns.push(string(arn)),
            None if matches!(role.kind, Kind::Unknown(_)) => unresolved.push(string(role)),
            None => {}
        }
    }
    if !unresolved.is_empty() {
        model.policies.push(ManagedPolicy {
            resource: Resource::declared(id.to_owned(), kind.to_owned(), tf.span.clone()),
            name: None,
            document: None,
            roles: unresolved,
        });
    }
}

/// `aws_api_gateway_method_settings`: `method_path` `*/*` is every method of the stage.
/// The stage is an `aws_api_gateway_stage`, or the one a deployment creates with
/// `stage_name` (provider v5).
fn stage_settings(model: &mut Model, tf: &Node) {
    let (Some(api), Some(stage_name)) = (tf.get("rest_api_id"), tf.get("stage_name")) else {
        return;
    };
    let same_api = |a: &Value<String>| match (a, &api.kind) {
        (Value::Unknown(u), Kind::Unknown(v)) => u.reason == v.reason,
        (Value::Known(a), Kind::Str(b)) => a == b,
        _ => false,
    };
    let target = if let Some(stage) = model.rest_stages.iter_mut().find(|s| {
        let name = s.name.as_ref().and_then(|n| n.value.as_str());
        same_api(&s.api.value) && designates(stage_name, &s.resource.id, name)
    }) {
        &mut stage.method_settings
    } else if let Some(d) = model.rest_deployments.iter_mut().find(|d| {
        let name = d.stage_name.as_ref().and_then(|n| n.value.as_str());
        d.stage_name.is_some()
            && same_api(&d.api.value)
            && designates(stage_name, &d.resource.id, name)
    }) {
        &mut d.stage_method_settings
    } else {
        return;
    };
    let Some(settings) = block(tf, "settings") else {
        return;
    };
    // A `dynamic` block on an unknown collection: settings that may be anything.
    if let Kind::Unknown(_) = settings.kind {
        let list = Node::new(Kind::Seq(vec![settings.clone()]), settings.span.clone());
        target.extend(method_settings(Some(&list)));
        return;
    }
    let mut entry = Props::new(settings.span.clone());
    let path = tf.get("method_path");
    if let Some(path) = path {
        match path.as_str().and_then(|p| p.rsplit_once('/')) {
            Some((resource, method)) => {
                let resource = if resource == "*" {
                    "/*".to_owned()
                } else {
                    format!("/{}", resource.trim_start_matches('/'))
                };
                entry
                    .put_node("ResourcePath", Some(text(&resource, &path.span)))
                    .put_node("HttpMethod", Some(text(method, &path.span)));
            }
            None => {
                entry
                    .put("ResourcePath", Some(path))
                    .put("HttpMethod", Some(path));
            }
        }
    }
    // `-1`, the provider's default, is "throttling disabled".
    let limit = |key: &str| {
        settings
            .get(key)
            .filter(|l| l.as_scalar().as_deref() != Some("-1"))
    };
    entry
        .put("LoggingLevel", settings.get("logging_level"))
        .put("DataTraceEnabled", settings.get("data_trace_enabled"))
        .put("MetricsEnabled", settings.get("metrics_enabled"))
        .put("ThrottlingBurstLimit", limit("throttling_burst_limit"))
        .put("ThrottlingRateLimit", limit("throttling_rate_limit"))
        .put("CachingEnabled", settings.get("caching_enabled"))
        .put("CacheDataEncrypted", settings.get("cache_data_encrypted"));
    let list = Node::new(Kind::Seq(vec![entry.finish()]), settings.span.clone());
    target.extend(method_settings(Some(&list)));
}

/// `aws_api_gateway_integration`: the function the method with the same API, resource
/// and HTTP method invokes.
fn rest_integration(model: &mut Model, items: &[(String, String, Node)], tf: &Node) {
    let Some(uri) = tf.get("uri") else {
        return;
    };
    let key = |n: &Node| {
        ["rest_api_id", "resource_id", "http_method"]
            .map(|k| n.get(k).map(|v| format!("{:?}", v.kind)))
    };
    let wanted = key(tf);
    for (id, kind, method) in items {
        if kind == "aws_api_gateway_method"
            && key(method) == wanted
            && let Some(m) = model.rest_methods.iter_mut().find(|m| &m.resource.id == id)
        {
            m.integration_function = Some(string(uri));
        }
    }
}

/// `aws_apigatewayv2_integration`: routes whose `target` is `integrations/<its id>`.
fn http_integration(model: &mut Model, id: &str, tf: &Node) {
    let Some(uri) = tf.get("integration_uri") else {
        return;
    };
    for route in &mut model.http_routes {
        if route
            .target_function
            .as_ref()
            .is_some_and(|t| mentions(&t.value, id))
        {
            route.target_function = Some(string(uri));
        }
    }
}

/// Whether an unknown value is computed from resource `id`.
fn mentions(value: &Value<String>, id: &str) -> bool {
    match value.unknown().map(|u| &u.reason) {
        Some(sheepdog_diagnostics::UnknownReason::Resource { id: r, .. }) => r == id,
        Some(sheepdog_diagnostics::UnknownReason::Composite { refs }) => {
            refs.iter().any(|r| r == id)
        }
        _ => false,
    }
}

/// A rule resource with several CIDRs: the first is the mapped rule, the others are rules
/// of their own at the same resource.
fn extra_cidrs(model: &mut Model, id: &str, tf: &Node) {
    let Some(first) = model
        .security_group_rules
        .iter()
        .find(|r| r.resource.id == id)
        .cloned()
    else {
        return;
    };
    for (key, cfn) in [("cidr_blocks", "CidrIp"), ("ipv6_cidr_blocks", "CidrIpv6")] {
        let items = tf.get(key).and_then(Node::as_seq).unwrap_or_default();
        for cidr in items
            .iter()
            .skip(usize::from(key == "cidr_blocks" || first_is(&first, cfn)))
        {
            let mut p = Props::new(cidr.span.clone());
            p.put("IpProtocol", tf.get("protocol"))
                .put("FromPort", tf.get("from_port"))
                .put("ToPort", tf.get("to_port"))
                .put(cfn, Some(cidr));
            model.security_group_rules.push(SecurityGroupRule {
                rule: sg_rule(&p.finish(), first.egress),
                ..first.clone()
            });
        }
    }
}

fn first_is(rule: &SecurityGroupRule, cfn: &str) -> bool {
    cfn == "CidrIpv6" && rule.rule.cidr_ipv4.is_none() && rule.rule.cidr_ipv6.is_some()
}

/// `publish = true` publishes a version on every change; a `publish` sheepdog cannot
/// resolve may, and its version is conditional. Also used for the `publish` input of the
/// registry Lambda module (`tf` is then the module's inputs).
pub fn published_version(model: &mut Model, id: &str, tf: &Node) {
    let Some(publish) = tf.get("publish") else {
        return;
    };
    let condition = match &publish.kind {
        Kind::Bool(true) => None,
        Kind::Unknown(u) => Some(format!("publish = {}", u.expr)),
        _ => return,
    };
    model.versions.push(Version {
        resource: Resource {
            condition,
            ..Resource::declared(
                format!("{id}.version"),
                "aws_lambda_function",
                publish.span.clone(),
            )
        },
        function: string(&reference(id, &publish.span)),
    });
}
