use std::sync::Arc;

use serde::Serialize;
use sheepdog_diagnostics::{UnknownReason, Value};

use crate::{
    Alarm, Alias, ApiDomain, CodeSigningConfig, EventInvokeConfig, EventSourceMapping, Function,
    FunctionUrl, HttpApi, HttpRoute, HttpStage, KmsKey, LayerPermission, LayerVersion, LogGroup,
    ManagedPolicy, Permission, RestApi, RestDeployment, RestMethod, RestStage, Role,
    RotationSchedule, Secret, SecurityGroup, SecurityGroupRule, UsagePlan, Version, WebAcl,
    WebAclAssociation,
};

/// The input format a model was loaded from. For messages and reports only: rules must not
/// branch on it (DESIGN.md invariant 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    CloudFormation,
    Sam,
}

/// One deployment unit, normalized. Rules are pure functions of this.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub file: Arc<str>,
    pub format: Format,
    pub functions: Vec<Function>,
    pub roles: Vec<Role>,
    pub policies: Vec<ManagedPolicy>,
    pub permissions: Vec<Permission>,
    pub function_urls: Vec<FunctionUrl>,
    pub aliases: Vec<Alias>,
    pub versions: Vec<Version>,
    pub event_source_mappings: Vec<EventSourceMapping>,
    pub event_invoke_configs: Vec<EventInvokeConfig>,
    pub layers: Vec<LayerVersion>,
    pub layer_permissions: Vec<LayerPermission>,
    pub code_signing_configs: Vec<CodeSigningConfig>,
    pub rest_apis: Vec<RestApi>,
    pub rest_stages: Vec<RestStage>,
    pub rest_methods: Vec<RestMethod>,
    pub rest_deployments: Vec<RestDeployment>,
    pub usage_plans: Vec<UsagePlan>,
    pub api_domains: Vec<ApiDomain>,
    pub http_apis: Vec<HttpApi>,
    pub http_stages: Vec<HttpStage>,
    pub http_routes: Vec<HttpRoute>,
    pub web_acls: Vec<WebAcl>,
    pub web_acl_associations: Vec<WebAclAssociation>,
    pub security_groups: Vec<SecurityGroup>,
    pub security_group_rules: Vec<SecurityGroupRule>,
    pub log_groups: Vec<LogGroup>,
    pub alarms: Vec<Alarm>,
    pub secrets: Vec<Secret>,
    pub rotation_schedules: Vec<RotationSchedule>,
    pub kms_keys: Vec<KmsKey>,
}

impl Model {
    pub fn new(file: Arc<str>, format: Format) -> Self {
        Self {
            file,
            format,
            functions: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
            permissions: Vec::new(),
            function_urls: Vec::new(),
            aliases: Vec::new(),
            versions: Vec::new(),
            event_source_mappings: Vec::new(),
            event_invoke_configs: Vec::new(),
            layers: Vec::new(),
            layer_permissions: Vec::new(),
            code_signing_configs: Vec::new(),
            rest_apis: Vec::new(),
            rest_stages: Vec::new(),
            rest_methods: Vec::new(),
            rest_deployments: Vec::new(),
            usage_plans: Vec::new(),
            api_domains: Vec::new(),
            http_apis: Vec::new(),
            http_stages: Vec::new(),
            http_routes: Vec::new(),
            web_acls: Vec::new(),
            web_acl_associations: Vec::new(),
            security_groups: Vec::new(),
            security_group_rules: Vec::new(),
            log_groups: Vec::new(),
            alarms: Vec::new(),
            secrets: Vec::new(),
            rotation_schedules: Vec::new(),
            kms_keys: Vec::new(),
        }
    }

    /// The role a function runs as, when it is a role of this model.
    pub fn role_of(&self, function: &Function) -> Option<&Role> {
        let role = &function.role.as_ref()?.value;
        self.roles.iter().find(|r| {
            names_resource(
                role,
                &r.resource.id,
                r.name.as_ref().and_then(|n| n.value.as_str()),
                ":role/",
            )
        })
    }

    /// Whether `target` (a `FunctionName`/`TargetFunctionArn`-style value) designates `function`:
    /// by reference to its logical ID, by its name, or by an ARN ending in its name
    /// (with or without a qualifier).
    pub fn targets_function(target: &Value<String>, function: &Function) -> bool {
        let name = function.name.as_ref().and_then(|n| n.value.as_str());
        names_resource(target, &function.resource.id, name, ":function:")
    }

    /// Permissions (resource-based policy statements) on `function`.
    pub fn permissions_of<'a>(
        &'a self,
        function: &'a Function,
    ) -> impl Iterator<Item = &'a Permission> {
        self.permissions
            .iter()
            .filter(move |p| Self::targets_function(&p.function.value, function))
    }

    /// Aliases of `function`.
    pub fn aliases_of<'a>(&'a self, function: &'a Function) -> impl Iterator<Item = &'a Alias> {
        self.aliases
            .iter()
            .filter(move |a| Self::targets_function(&a.function.value, function))
    }

    /// Versions of `function`.
    pub fn versions_of<'a>(&'a self, function: &'a Function) -> impl Iterator<Item = &'a Version> {
        self.versions
            .iter()
            .filter(move |v| Self::targets_function(&v.function.value, function))
    }

    /// The log group that receives `function`'s logs, when the model declares it: the one
    /// named in `LoggingConfig.LogGroup`, else `/aws/lambda/<name>` by name or by a `!Sub`
    /// of the function's logical ID.
    pub fn log_group_of(&self, function: &Function) -> Option<&crate::LogGroup> {
        if let Some(custom) = &function.log_group {
            return self.log_groups.iter().find(|g| {
                custom.value.resource_ref() == Some(g.resource.id.as_str())
                    || g.name
                        .as_ref()
                        .is_some_and(|n| n.value.known().is_some() && n.value == custom.value)
            });
        }
        self.log_groups.iter().find(|g| {
            let Some(name) = &g.name else { return false };
            match &name.value {
                Value::Known(n) => {
                    let fname = function.name.as_ref().and_then(|f| f.value.as_str());
                    fname.is_some_and(|f| n == &format!("/aws/lambda/{f}"))
                }
                Value::Unknown(u) => {
                    let by_ref = match &u.reason {
                        UnknownReason::Composite { refs } => {
                            refs.iter().any(|r| r == &function.resource.id)
                        }
                        _ => false,
                    };
                    // The same unresolved name on both sides: `!Ref Name` and
                    // `!Sub /aws/lambda/${Name}`, or `!Sub ${Env}-orders` and
                    // `!Sub /aws/lambda/${Env}-orders`.
                    let in_sub = function
                        .name
                        .as_ref()
                        .and_then(|f| f.value.unknown())
                        .and_then(|f| match &f.reason {
                            UnknownReason::Parameter { name } => Some(format!("${{{name}}}")),
                            UnknownReason::Composite { .. } => Some(f.expr.clone()),
                            _ => None,
                        });
                    let by_expr = in_sub.is_some_and(|n| u.expr == format!("/aws/lambda/{n}"));
                    (by_ref && u.expr.contains("/aws/lambda/")) || by_expr
                }
            }
        })
    }
}

/// Whether `value` designates the resource with logical ID `id` and physical name `name`.
fn names_resource(value: &Value<String>, id: &str, name: Option<&str>, arn_marker: &str) -> bool {
    match value {
        Value::Unknown(u) => match &u.reason {
            UnknownReason::Resource { id: target, .. } => target == id,
            UnknownReason::Composite { refs } => refs.len() == 1 && refs[0] == id,
            _ => false,
        },
        Value::Known(v) => {
            let Some(name) = name else { return false };
            if v == name {
                return true;
            }
            // arn:aws:lambda:region:acct:function:NAME[:QUALIFIER] / arn:aws:iam::acct:role/path/NAME
            v.split_once(arn_marker).is_some_and(|(_, rest)| {
                let rest = rest.rsplit('/').next().unwrap_or(rest);
                rest.split(':').next() == Some(name)
            })
        }
    }
}
