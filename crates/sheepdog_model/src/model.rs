use std::sync::Arc;

use serde::Serialize;
use sheepdog_diagnostics::{UnknownReason, Value};

use crate::{
    Alarm, Alias, ApiDomain, CodeSigningConfig, EventInvokeConfig, EventSourceMapping, Function,
    FunctionUrl, GeneratedSecret, HttpApi, HttpRoute, HttpStage, KmsKey, LayerPermission,
    LayerVersion, LogGroup, ManagedPolicy, Permission, RequestValidator, RestApi, RestDeployment,
    RestMethod, RestStage, Role, RotationSchedule, Secret, SecurityGroup, SecurityGroupRule,
    UsagePlan, Version, WebAcl, WebAclAssociation,
};

/// The input format a model was loaded from. For messages and reports only: rules must not
/// branch on it (DESIGN.md invariant 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    CloudFormation,
    Sam,
    Terraform,
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
    pub request_validators: Vec<RequestValidator>,
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
    /// Resources with an attribute that is a generated secret (access keys, client secrets).
    pub generated_secrets: Vec<GeneratedSecret>,
    /// `# sheepdog:ignore[ID] reason` comments of the file.
    pub line_suppressions: Vec<crate::LineSuppression>,
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
            request_validators: Vec::new(),
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
            generated_secrets: Vec::new(),
            line_suppressions: Vec::new(),
        }
    }

    /// Every resource of the model, declared and derived.
    pub fn resources(&self) -> impl Iterator<Item = &crate::Resource> {
        std::iter::empty()
            .chain(self.functions.iter().map(|r| &r.resource))
            .chain(self.roles.iter().map(|r| &r.resource))
            .chain(self.policies.iter().map(|r| &r.resource))
            .chain(self.permissions.iter().map(|r| &r.resource))
            .chain(self.function_urls.iter().map(|r| &r.resource))
            .chain(self.aliases.iter().map(|r| &r.resource))
            .chain(self.versions.iter().map(|r| &r.resource))
            .chain(self.event_source_mappings.iter().map(|r| &r.resource))
            .chain(self.event_invoke_configs.iter().map(|r| &r.resource))
            .chain(self.layers.iter().map(|r| &r.resource))
            .chain(self.layer_permissions.iter().map(|r| &r.resource))
            .chain(self.code_signing_configs.iter().map(|r| &r.resource))
            .chain(self.rest_apis.iter().map(|r| &r.resource))
            .chain(self.rest_stages.iter().map(|r| &r.resource))
            .chain(self.rest_methods.iter().map(|r| &r.resource))
            .chain(self.request_validators.iter().map(|r| &r.resource))
            .chain(self.rest_deployments.iter().map(|r| &r.resource))
            .chain(self.usage_plans.iter().map(|r| &r.resource))
            .chain(self.api_domains.iter().map(|r| &r.resource))
            .chain(self.http_apis.iter().map(|r| &r.resource))
            .chain(self.http_stages.iter().map(|r| &r.resource))
            .chain(self.http_routes.iter().map(|r| &r.resource))
            .chain(self.web_acls.iter().map(|r| &r.resource))
            .chain(self.web_acl_associations.iter().map(|r| &r.resource))
            .chain(self.security_groups.iter().map(|r| &r.resource))
            .chain(self.security_group_rules.iter().map(|r| &r.resource))
            .chain(self.log_groups.iter().map(|r| &r.resource))
            .chain(self.alarms.iter().map(|r| &r.resource))
            .chain(self.secrets.iter().map(|r| &r.resource))
            .chain(self.rotation_schedules.iter().map(|r| &r.resource))
            .chain(self.kms_keys.iter().map(|r| &r.resource))
            .chain(self.generated_secrets.iter().map(|r| &r.resource))
    }

    /// The resources that are part of `function`: itself, its execution role and the
    /// policies attached to that role, its URLs, permissions, aliases, versions, event source
    /// mappings, event invoke configs, log group, the API methods and routes that invoke it,
    /// and whatever SAM derived from it. What a
    /// finding on one of them says is about the function too (the HTML report's posture).
    /// A role shared by several functions is part of each.
    pub fn resources_of<'a>(&'a self, function: &'a Function) -> Vec<&'a crate::Resource> {
        let mine = |target: &Value<String>| {
            self.function_of(target)
                .is_some_and(|(f, _)| f.resource.id == function.resource.id)
        };
        let role = self.role_of(function);
        let mut out: Vec<&crate::Resource> = std::iter::once(&function.resource)
            .chain(role.map(|r| &r.resource))
            .chain(role.into_iter().flat_map(|r| self.policies_of(r).map(|p| &p.resource)))
            .chain(self.function_urls.iter().filter(|u| mine(&u.function.value)).map(|u| &u.resource))
            .chain(self.permissions_of(function).map(|p| &p.resource))
            .chain(self.aliases_of(function).map(|a| &a.resource))
            .chain(self.versions_of(function).map(|v| &v.resource))
            .chain(
                self.event_source_mappings
                    .iter()
                    .filter(|m| mine(&m.function.value))
                    .map(|m| &m.resource),
            )
            .chain(
                self.event_invoke_configs
                    .iter()
                    .filter(|c| mine(&c.function.value))
                    .map(|c| &c.resource),
            )
            .chain(self.log_group_of(function).map(|g| &g.resource))
            // The API methods and routes that invoke it (a SAM event's derive from it too).
            .chain(
                self.rest_methods
                    .iter()
                    .filter(|m| m.integration_function.as_ref().is_some_and(|t| mine(&t.value)))
                    .map(|m| &m.resource),
            )
            .chain(
                self.http_routes
                    .iter()
                    .filter(|r| r.target_function.as_ref().is_some_and(|t| mine(&t.value)))
                    .map(|r| &r.resource),
            )
            .chain(self.resources().filter(|r| {
                matches!(&r.origin, crate::Origin::Derived { from, .. } if *from == function.resource.id)
            }))
            .collect();
        let mut seen = std::collections::HashSet::new();
        out.retain(|r| seen.insert(r.id.as_str()));
        out
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

    /// The functions each role of the model is the execution role of, by the role's
    /// logical ID (roles no function uses are absent).
    pub fn functions_by_role(&self) -> std::collections::HashMap<&str, Vec<&Function>> {
        let mut runs_as: std::collections::HashMap<&str, Vec<&Function>> =
            std::collections::HashMap::new();
        for f in &self.functions {
            if let Some(r) = self.role_of(f) {
                runs_as.entry(r.resource.id.as_str()).or_default().push(f);
            }
        }
        runs_as
    }

    /// [`Model::functions_by_role`], with the functions' logical IDs (for messages).
    pub fn function_ids_by_role(&self) -> std::collections::HashMap<&str, Vec<&str>> {
        self.functions_by_role()
            .into_iter()
            .map(|(role, fs)| (role, fs.iter().map(|f| f.resource.id.as_str()).collect()))
            .collect()
    }

    /// The standalone policies attached to `role`: those whose `Roles` name it, and those
    /// the role lists in `ManagedPolicyArns` (by reference, or by an ARN ending in their name).
    pub fn policies_of<'a>(&'a self, role: &'a Role) -> impl Iterator<Item = &'a ManagedPolicy> {
        let name = role.name.as_ref().and_then(|n| n.value.as_str());
        self.policies.iter().filter(move |p| {
            p.roles
                .iter()
                .any(|r| names_resource(&r.value, &role.resource.id, name, ":role/"))
                || role
                    .managed_policy_arns
                    .iter()
                    .any(|arn| designates_policy(&arn.value, p))
        })
    }

    /// The standalone policy of this model that a policy ARN (a `ManagedPolicyArns` entry, a
    /// permissions boundary) designates: by reference, or by an ARN ending in its name.
    pub fn policy_by_arn(&self, arn: &Value<String>) -> Option<&ManagedPolicy> {
        self.policies.iter().find(|p| designates_policy(arn, p))
    }

    /// The generated secret whose plaintext `value` is: a reference to the secret attribute
    /// (`!GetAtt Key.SecretAccessKey`), alone or inside a `!Sub`/`!Join`. `!Ref` and the
    /// other attributes of the same resources are not secrets.
    pub fn generated_secret_in(&self, value: &Value<String>) -> Option<&GeneratedSecret> {
        let Value::Unknown(u) = value else {
            return None;
        };
        match &u.reason {
            UnknownReason::Resource {
                id,
                attr: Some(attr),
            } => self
                .generated_secrets
                .iter()
                .find(|s| &s.resource.id == id && &s.attribute == attr),
            UnknownReason::Composite { refs } => self.generated_secrets.iter().find(|s| {
                let (id, attr) = (&s.resource.id, &s.attribute);
                refs.contains(id)
                    && (u.expr.contains(&format!("${{{id}.{attr}}}"))
                        || u.expr.contains(&format!("!GetAtt {id}.{attr}")))
            }),
            _ => None,
        }
    }

    /// Whether `target` (a `FunctionName`/`TargetFunctionArn`-style value) designates `function`:
    /// by reference to its logical ID, by its name, or by an ARN ending in its name
    /// (with or without a qualifier).
    pub fn targets_function(target: &Value<String>, function: &Function) -> bool {
        let name = function.name.as_ref().and_then(|n| n.value.as_str());
        names_resource(target, &function.resource.id, name, ":function:")
    }

    /// Permissions (resource-based policy statements) on `function`, on the function itself
    /// or on one of its aliases or versions.
    pub fn permissions_of<'a>(
        &'a self,
        function: &'a Function,
    ) -> impl Iterator<Item = &'a Permission> {
        self.permissions.iter().filter(move |p| {
            self.function_of(&p.function.value)
                .is_some_and(|(f, _)| f.resource.id == function.resource.id)
        })
    }

    /// The function of this model that `target` designates (a `FunctionName`, a
    /// `TargetFunctionArn`, an API integration URI), and whether it designates the function
    /// itself (`$LATEST`) or an alias or version of it. Follows references to the function
    /// (`!Ref`, `!GetAtt .Arn`, `!Sub ${Fn.Arn}:live`, Terraform's `.arn`, `.invoke_arn`,
    /// `"${aws_lambda_function.f.arn}:live"`), to its aliases and versions
    /// (`!Ref FnAlias`, SAM's `!Ref Fn.Alias`), and names and ARNs (`name`, `name:live`,
    /// `arn:...:function:name:live`, `arn:...:lambda:path/.../functions/<arn>/invocations`).
    pub fn function_of(&self, target: &Value<String>) -> Option<(&Function, Qualifier)> {
        match target {
            Value::Unknown(u) => match &u.reason {
                UnknownReason::Resource { id, attr } => self.resource_target(id, attr.as_deref()),
                UnknownReason::Composite { refs } => refs.iter().find_map(|id| {
                    let (f, q) = self.resource_target(id, None)?;
                    if q == Qualifier::Unqualified {
                        Some((f, qualifier_after(&u.expr, id)))
                    } else {
                        Some((f, q))
                    }
                }),
                _ => None,
            },
            Value::Known(v) => {
                let (name, qualifier) = split_function_ref(v)?;
                let f = self.functions.iter().find(|f| {
                    f.name
                        .as_ref()
                        .and_then(|n| n.value.as_str())
                        .is_some_and(|n| n == name)
                })?;
                Some((f, qualifier_of(qualifier)))
            }
        }
    }

    /// The function a template resource is or belongs to: the function (`attr` tells how it
    /// is referenced), or one of its aliases or versions.
    fn resource_target(&self, id: &str, attr: Option<&str>) -> Option<(&Function, Qualifier)> {
        if let Some(f) = self.functions.iter().find(|f| f.resource.id == id) {
            let q = match attr {
                // `!GetAtt Fn.Arn`; Terraform's `.arn`, `.invoke_arn` and `.function_name`.
                None | Some("Arn" | "arn" | "invoke_arn" | "function_name") => {
                    Qualifier::Unqualified
                }
                // SAM's `!Ref Function.Alias` / `!Ref Function.Version`.
                Some("Alias" | "Version") => Qualifier::Qualified,
                Some(_) => Qualifier::Unknown,
            };
            return Some((f, q));
        }
        let of = |target: &Value<String>| {
            self.functions
                .iter()
                .find(|f| Self::targets_function(target, f))
                .map(|f| (f, Qualifier::Qualified))
        };
        if let Some(a) = self.aliases.iter().find(|a| a.resource.id == id) {
            return of(&a.function.value);
        }
        let v = self.versions.iter().find(|v| v.resource.id == id)?;
        of(&v.function.value)
    }

    /// How messages name the function a URL invokes: the function of this model it
    /// designates (its logical ID or address), else the target as written.
    pub fn url_target<'a>(&'a self, url: &'a crate::FunctionUrl) -> Option<&'a str> {
        self.function_of(&url.function.value)
            .map(|(f, _)| f.resource.id.as_str())
            .or_else(|| url.target())
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

    /// The request validator `method`'s `RequestValidatorId` refers to, when it is one of
    /// this model.
    pub fn request_validator_of(&self, method: &RestMethod) -> Option<&RequestValidator> {
        let id = method.request_validator.as_ref()?.value.resource_ref()?;
        self.request_validators.iter().find(|v| v.resource.id == id)
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

/// How a function reference designates the code it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// The function itself (its name, ARN, `!Ref`, `!GetAtt .Arn`) or `$LATEST` by name:
    /// whatever code was deployed last.
    Unqualified,
    /// An alias or a published version.
    Qualified,
    /// Cannot tell (an attribute or expression sheepdog does not follow).
    Unknown,
}

/// What follows the placeholder of function `id` in a `!Sub`/`!Join` expression or a
/// Terraform string template (`"${aws_lambda_function.f.arn}:live"`): a `:qualifier` (an
/// alias or version, unless `$LATEST`), or nothing (the bare function).
fn qualifier_after(expr: &str, id: &str) -> Qualifier {
    let placeholders = [
        format!("${{{id}}}"),
        format!("${{{id}.Arn}}"),
        format!("${{!Ref {id}}}"),
        format!("${{!GetAtt {id}.Arn}}"),
        format!("${{{id}.arn}}"),
        format!("${{{id}.function_name}}"),
    ];
    let rest = placeholders
        .iter()
        .find_map(|p| expr.find(p.as_str()).map(|at| &expr[at + p.len()..]));
    match rest {
        Some(rest) => qualifier_of(
            rest.strip_prefix(':')
                .map(|q| q.split(['/', '"']).next().unwrap_or(q)),
        ),
        None => Qualifier::Unknown,
    }
}

fn qualifier_of(qualifier: Option<&str>) -> Qualifier {
    match qualifier {
        None | Some("$LATEST") => Qualifier::Unqualified,
        Some(_) => Qualifier::Qualified,
    }
}

/// The function name and qualifier in a known function reference: a name (`fn`,
/// `fn:live`), a full or partial ARN (`arn:aws:lambda:r:a:function:fn:live`,
/// `a:function:fn`), or an API Gateway integration URI wrapping such an ARN.
fn split_function_ref(value: &str) -> Option<(&str, Option<&str>)> {
    let value = match value.split_once(":lambda:path/") {
        Some((_, path)) => {
            let (_, arn) = path.split_once("/functions/")?;
            arn.strip_suffix("/invocations").unwrap_or(arn)
        }
        None => value,
    };
    let name_part = match value.split_once(":function:") {
        Some((_, rest)) => rest,
        None if value.starts_with("arn:") => return None,
        None => value,
    };
    let mut parts = name_part.splitn(2, ':');
    let name = parts.next().filter(|n| !n.is_empty())?;
    Some((name, parts.next()))
}

/// Whether a policy ARN designates standalone policy `p` of the model. AWS managed policy
/// ARNs (`arn:aws:iam::aws:policy/...`) never do, whatever `p` is called.
fn designates_policy(arn: &Value<String>, p: &ManagedPolicy) -> bool {
    if arn
        .as_str()
        .is_some_and(|a| a.contains(":iam::aws:policy/"))
    {
        return false;
    }
    let name = p.name.as_ref().and_then(|n| n.value.as_str());
    names_resource(arn, &p.resource.id, name, ":policy/")
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

#[cfg(test)]
mod tests {
    use super::{Qualifier, qualifier_after, split_function_ref};

    #[test]
    fn function_references_split_into_name_and_qualifier() {
        assert_eq!(split_function_ref("orders"), Some(("orders", None)));
        assert_eq!(
            split_function_ref("orders:live"),
            Some(("orders", Some("live")))
        );
        assert_eq!(
            split_function_ref("arn:aws:lambda:eu-west-1:123456789012:function:orders:7"),
            Some(("orders", Some("7")))
        );
        assert_eq!(
            split_function_ref("123456789012:function:orders"),
            Some(("orders", None))
        );
        assert_eq!(
            split_function_ref(
                "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders:live/invocations"
            ),
            Some(("orders", Some("live")))
        );
        assert_eq!(
            split_function_ref("arn:aws:sqs:eu-west-1:123456789012:q"),
            None
        );
    }

    #[test]
    fn qualifiers_follow_the_function_placeholder() {
        let q = |expr: &str| qualifier_after(expr, "Fn");
        assert_eq!(q("${Fn.Arn}"), Qualifier::Unqualified);
        assert_eq!(q("${Fn.Arn}:live"), Qualifier::Qualified);
        assert_eq!(q("${Fn.Arn}:$LATEST"), Qualifier::Unqualified);
        assert_eq!(q("${!GetAtt Fn.Arn}:live"), Qualifier::Qualified);
        assert_eq!(
            q(
                "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"
            ),
            Qualifier::Unqualified
        );
        assert_eq!(
            q(
                "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}:${Alias}/invocations"
            ),
            Qualifier::Qualified
        );
        assert_eq!(q("${Fn.SnapStartResponse}"), Qualifier::Unknown);
        // Terraform string templates, quotes included.
        assert_eq!(q("\"${Fn.arn}:live\""), Qualifier::Qualified);
        assert_eq!(q("\"${Fn.arn}:$LATEST\""), Qualifier::Unqualified);
        assert_eq!(q("\"${Fn.arn}\""), Qualifier::Unqualified);
    }
}
