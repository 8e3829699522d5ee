//! Plain CloudFormation resources into the model, one function per resource type.
//! Properties arrive resolved; each function only picks the fields the model carries.

use sheepdog_diagnostics::{Located, Value};
use sheepdog_model::{
    Alarm, AlarmDimension, AlarmMetric, Alias, ApiDomain, CodeSigningConfig, Cors, EnvVar,
    Environment, EventInvokeConfig, EventSourceMapping, Function, FunctionUrl, GeneratedSecret,
    HttpApi, HttpRoute, HttpStage, ImageBuild, KmsKey, LayerPermission, LayerVersion, LogGroup,
    ManagedPolicy, MethodSetting, Model, NamedPolicy, Permission, RequestParameter,
    RequestValidator, Resource, RestApi, RestDeployment, RestMethod, RestStage, Role,
    RotationSchedule, RouteSettings, Secret, SecurityGroup, SecurityGroupRule, SgRule, UsagePlan,
    UsagePlanStage, Version, VpcConfig, WebAcl, WebAclAssociation, WebAclRule,
};

use crate::cfn::policy::document;
use crate::cfn::props::{
    get_path, get_path_or_unknown, list, opt_bool, opt_float, opt_int, opt_list, opt_string,
    required_string, string, strings,
};
use crate::node::{Kind, Node};

/// What every mapper gets: the resource's identity, its resolved properties and its
/// declaration node (for spans when a property is missing).
pub struct Decl<'a> {
    pub meta: Resource,
    pub props: Option<&'a Node>,
    pub node: &'a Node,
}

/// Map one declared resource by its type. Unknown types are skipped: the model only holds
/// what rules look at.
pub fn map(model: &mut Model, kind: &str, d: &Decl<'_>) {
    match kind {
        "AWS::Lambda::Function" => model.functions.push(function(d)),
        "AWS::Lambda::Permission" => model.permissions.push(permission(d)),
        "AWS::Lambda::Url" => model.function_urls.push(url(d)),
        "AWS::Lambda::Alias" => model.aliases.push(alias(d)),
        "AWS::Lambda::Version" => model.versions.push(Version {
            resource: d.meta.clone(),
            function: required_string(d.props, "FunctionName", d.node),
        }),
        "AWS::Lambda::EventSourceMapping" => model.event_source_mappings.push(esm(d)),
        "AWS::Lambda::EventInvokeConfig" => model.event_invoke_configs.push(invoke_config(d)),
        "AWS::Lambda::LayerVersion" | "AWS::Serverless::LayerVersion" => {
            model.layers.push(LayerVersion {
                resource: d.meta.clone(),
                name: opt_string(d.props, "LayerName"),
                compatible_runtimes: strings(d.props, "CompatibleRuntimes"),
            });
        }
        "AWS::Lambda::LayerVersionPermission" => model.layer_permissions.push(LayerPermission {
            resource: d.meta.clone(),
            layer: required_string(d.props, "LayerVersionArn", d.node),
            action: required_string(d.props, "Action", d.node),
            principal: required_string(d.props, "Principal", d.node),
            organization_id: opt_string(d.props, "OrganizationId"),
        }),
        "AWS::Lambda::CodeSigningConfig" => model.code_signing_configs.push(CodeSigningConfig {
            resource: d.meta.clone(),
            signing_profile_arns: get_path(
                d.props,
                &["AllowedPublishers", "SigningProfileVersionArns"],
            )
            .map(|n| list(n).value)
            .unwrap_or_default(),
            untrusted_artifact_on_deployment: get_path(
                d.props,
                &["CodeSigningPolicies", "UntrustedArtifactOnDeployment"],
            )
            .map(string),
        }),
        "AWS::IAM::Role" => model.roles.push(role(d)),
        // An inline policy of one role, declared on its own.
        "AWS::IAM::RolePolicy" => model.policies.push(ManagedPolicy {
            resource: d.meta.clone(),
            name: opt_string(d.props, "PolicyName"),
            document: d.props.and_then(|p| p.get("PolicyDocument")).map(document),
            roles: opt_string(d.props, "RoleName").into_iter().collect(),
        }),
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => model.policies.push(ManagedPolicy {
            resource: d.meta.clone(),
            name: opt_string(d.props, "PolicyName")
                .or_else(|| opt_string(d.props, "ManagedPolicyName")),
            document: d.props.and_then(|p| p.get("PolicyDocument")).map(document),
            roles: strings(d.props, "Roles"),
        }),
        "AWS::ApiGateway::RestApi" => model.rest_apis.push(RestApi {
            resource: d.meta.clone(),
            name: opt_string(d.props, "Name"),
            endpoint_types: get_path(d.props, &["EndpointConfiguration", "Types"])
                .map(|n| list(n).value)
                .unwrap_or_default(),
            policy: d.props.and_then(|p| p.get("Policy")).map(document),
            disable_execute_api_endpoint: opt_bool(d.props, "DisableExecuteApiEndpoint"),
        }),
        "AWS::ApiGateway::Stage" => model.rest_stages.push(RestStage {
            resource: d.meta.clone(),
            api: required_string(d.props, "RestApiId", d.node),
            name: opt_string(d.props, "StageName"),
            deployment: opt_string(d.props, "DeploymentId"),
            access_log_destination: get_path_or_unknown(
                d.props,
                &["AccessLogSetting", "DestinationArn"],
            )
            .map(string),
            access_log_format: get_path(d.props, &["AccessLogSetting", "Format"]).map(string),
            tracing_enabled: opt_bool(d.props, "TracingEnabled"),
            cache_cluster_enabled: opt_bool(d.props, "CacheClusterEnabled"),
            method_settings: method_settings(d.props.and_then(|p| p.get("MethodSettings"))),
            variables: string_map(d.props.and_then(|p| p.get("Variables"))),
            client_certificate: opt_string(d.props, "ClientCertificateId"),
        }),
        "AWS::ApiGateway::Method" => model.rest_methods.push(RestMethod {
            resource: d.meta.clone(),
            api: required_string(d.props, "RestApiId", d.node),
            path: None,
            http_method: required_string(d.props, "HttpMethod", d.node),
            authorization_type: opt_string(d.props, "AuthorizationType"),
            authorizer: opt_string(d.props, "AuthorizerId"),
            api_key_required: opt_bool(d.props, "ApiKeyRequired"),
            request_validator: opt_string(d.props, "RequestValidatorId"),
            request_models: request_models(d.props.and_then(|p| p.get("RequestModels"))),
            request_parameters: request_parameters(
                d.props.and_then(|p| p.get("RequestParameters")),
            ),
            integration_function: get_path(d.props, &["Integration", "Uri"]).map(string),
        }),
        "AWS::ApiGateway::RequestValidator" => {
            model.request_validators.push(RequestValidator {
                resource: d.meta.clone(),
                api: required_string(d.props, "RestApiId", d.node),
                validate_body: opt_bool(d.props, "ValidateRequestBody"),
                validate_parameters: opt_bool(d.props, "ValidateRequestParameters"),
            });
        }
        "AWS::ApiGateway::Deployment" => model.rest_deployments.push(RestDeployment {
            resource: d.meta.clone(),
            api: required_string(d.props, "RestApiId", d.node),
            stage_name: opt_string(d.props, "StageName"),
            stage_throttling_burst_limit: get_path(
                d.props,
                &["StageDescription", "ThrottlingBurstLimit"],
            )
            .map(crate::cfn::props::integer),
            stage_throttling_rate_limit: get_path(
                d.props,
                &["StageDescription", "ThrottlingRateLimit"],
            )
            .map(crate::cfn::props::float),
            stage_method_settings: method_settings(get_path(
                d.props,
                &["StageDescription", "MethodSettings"],
            )),
            stage_cache_cluster_enabled: get_path(
                d.props,
                &["StageDescription", "CacheClusterEnabled"],
            )
            .map(crate::cfn::props::boolean),
            stage_caching_enabled: get_path(d.props, &["StageDescription", "CachingEnabled"])
                .map(crate::cfn::props::boolean),
            stage_cache_data_encrypted: get_path(
                d.props,
                &["StageDescription", "CacheDataEncrypted"],
            )
            .map(crate::cfn::props::boolean),
            stage_variables: string_map(get_path(d.props, &["StageDescription", "Variables"])),
            stage_access_log_destination: get_path_or_unknown(
                d.props,
                &["StageDescription", "AccessLogSetting", "DestinationArn"],
            )
            .map(string),
            stage_tracing_enabled: get_path_or_unknown(
                d.props,
                &["StageDescription", "TracingEnabled"],
            )
            .map(crate::cfn::props::boolean),
            stage_logging_level: get_path_or_unknown(
                d.props,
                &["StageDescription", "LoggingLevel"],
            )
            .map(string),
            stage_data_trace_enabled: get_path_or_unknown(
                d.props,
                &["StageDescription", "DataTraceEnabled"],
            )
            .map(crate::cfn::props::boolean),
        }),
        "AWS::ApiGateway::UsagePlan" => model.usage_plans.push(UsagePlan {
            resource: d.meta.clone(),
            stages: d
                .props
                .and_then(|p| p.get("ApiStages"))
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .map(|s| UsagePlanStage {
                    api: required_string(Some(s), "ApiId", s),
                    stage: opt_string(Some(s), "Stage"),
                })
                .collect(),
            throttle_burst_limit: get_path(d.props, &["Throttle", "BurstLimit"])
                .map(crate::cfn::props::integer),
            throttle_rate_limit: get_path(d.props, &["Throttle", "RateLimit"])
                .map(crate::cfn::props::float),
        }),
        "AWS::ApiGateway::DomainName" | "AWS::ApiGatewayV2::DomainName" => {
            let security_policy = opt_string(d.props, "SecurityPolicy").or_else(|| {
                d.props
                    .and_then(|p| p.get("DomainNameConfigurations"))
                    .and_then(Node::as_seq)
                    .and_then(|c| c.first())
                    .and_then(|c| c.get("SecurityPolicy"))
                    .map(string)
            });
            model.api_domains.push(ApiDomain {
                resource: d.meta.clone(),
                name: opt_string(d.props, "DomainName"),
                security_policy,
                v2: kind == "AWS::ApiGatewayV2::DomainName",
            });
        }
        "AWS::ApiGatewayV2::Api" => model.http_apis.push(HttpApi {
            resource: d.meta.clone(),
            name: opt_string(d.props, "Name"),
            protocol_type: opt_string(d.props, "ProtocolType"),
            disable_execute_api_endpoint: opt_bool(d.props, "DisableExecuteApiEndpoint"),
        }),
        "AWS::ApiGatewayV2::Stage" => model.http_stages.push(HttpStage {
            resource: d.meta.clone(),
            api: required_string(d.props, "ApiId", d.node),
            name: opt_string(d.props, "StageName"),
            access_log_destination: get_path_or_unknown(
                d.props,
                &["AccessLogSettings", "DestinationArn"],
            )
            .map(string),
            access_log_format: get_path(d.props, &["AccessLogSettings", "Format"]).map(string),
            default_route_settings: d
                .props
                .and_then(|p| p.get("DefaultRouteSettings"))
                .map(route_settings),
            route_settings: route_settings_map(d.props.and_then(|p| p.get("RouteSettings"))),
            variables: string_map(d.props.and_then(|p| p.get("StageVariables"))),
        }),
        "AWS::ApiGatewayV2::Route" => model.http_routes.push(HttpRoute {
            resource: d.meta.clone(),
            api: required_string(d.props, "ApiId", d.node),
            route_key: required_string(d.props, "RouteKey", d.node),
            authorization_type: opt_string(d.props, "AuthorizationType"),
            authorizer: opt_string(d.props, "AuthorizerId"),
            target_function: opt_string(d.props, "Target"),
        }),
        "AWS::WAFv2::WebACL" => model.web_acls.push(web_acl(d)),
        "AWS::WAFv2::WebACLAssociation" => model.web_acl_associations.push(WebAclAssociation {
            resource: d.meta.clone(),
            resource_arn: required_string(d.props, "ResourceArn", d.node),
            web_acl_arn: required_string(d.props, "WebACLArn", d.node),
        }),
        "AWS::EC2::SecurityGroup" => model.security_groups.push(SecurityGroup {
            resource: d.meta.clone(),
            name: opt_string(d.props, "GroupName"),
            vpc: opt_string(d.props, "VpcId"),
            ingress: sg_rules(d.props.and_then(|p| p.get("SecurityGroupIngress")), false),
            egress: d
                .props
                .and_then(|p| p.get("SecurityGroupEgress"))
                .map(|e| sg_rules(Some(e), true)),
            egress_complete: d
                .props
                .and_then(|p| p.get("SecurityGroupEgress"))
                .is_none_or(|e| e.as_seq().is_some()),
            default_egress: true,
        }),
        "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
            let egress = kind.ends_with("Egress");
            model.security_group_rules.push(SecurityGroupRule {
                resource: d.meta.clone(),
                group: opt_string(d.props, "GroupId")
                    .or_else(|| opt_string(d.props, "GroupName"))
                    .unwrap_or_else(|| required_string(d.props, "GroupId", d.node)),
                egress,
                rule: sg_rule(d.props.unwrap_or(d.node), egress),
            });
        }
        "AWS::Logs::LogGroup" => model.log_groups.push(LogGroup {
            resource: d.meta.clone(),
            name: opt_string(d.props, "LogGroupName"),
            retention_in_days: opt_int(d.props, "RetentionInDays"),
            kms_key: opt_string(d.props, "KmsKeyId"),
        }),
        "AWS::CloudWatch::Alarm" => model.alarms.push(alarm(d)),
        "AWS::SecretsManager::Secret" => model.secrets.push(Secret {
            resource: d.meta.clone(),
            name: opt_string(d.props, "Name"),
            kms_key: opt_string(d.props, "KmsKeyId"),
            has_literal_value: d.props.and_then(|p| p.get("SecretString")).is_some(),
        }),
        "AWS::IAM::AccessKey" | "AWS::Cognito::UserPoolClient" | "AWS::AppSync::ApiKey" => {
            let attribute = match kind {
                "AWS::IAM::AccessKey" => "SecretAccessKey",
                "AWS::Cognito::UserPoolClient" => "ClientSecret",
                _ => "ApiKey",
            };
            model.generated_secrets.push(GeneratedSecret {
                resource: d.meta.clone(),
                attribute: attribute.to_owned(),
            });
        }
        "AWS::SecretsManager::RotationSchedule" => {
            model.rotation_schedules.push(RotationSchedule {
                resource: d.meta.clone(),
                secret: required_string(d.props, "SecretId", d.node),
                rotation_function: opt_string(d.props, "RotationLambdaARN"),
                hosted_rotation: d
                    .props
                    .and_then(|p| p.get("HostedRotationLambda"))
                    .is_some(),
            });
        }
        "AWS::KMS::Key" => model.kms_keys.push(KmsKey {
            resource: d.meta.clone(),
            enable_key_rotation: opt_bool(d.props, "EnableKeyRotation"),
            key_policy: d.props.and_then(|p| p.get("KeyPolicy")).map(document),
        }),
        _ => {}
    }
}

/// `AWS::Lambda::Function` (SAM functions reuse it after their own properties are mapped).
pub fn function(d: &Decl<'_>) -> Function {
    let p = d.props;
    Function {
        resource: d.meta.clone(),
        name: opt_string(p, "FunctionName"),
        runtime: opt_string(p, "Runtime"),
        handler: opt_string(p, "Handler"),
        package_type: opt_string(p, "PackageType"),
        image_uri: get_path(p, &["Code", "ImageUri"])
            .or_else(|| p.and_then(|p| p.get("ImageUri")))
            .map(string),
        image_build: d.node.get("Metadata").and_then(image_build),
        code_uri: p
            .and_then(|p| p.get("CodeUri").or_else(|| p.get("Code")))
            .map(code_location),
        architectures: strings(p, "Architectures"),
        environment: p.and_then(|p| p.get("Environment")).map(environment),
        kms_key_arn: opt_string(p, "KmsKeyArn"),
        role: opt_string(p, "Role"),
        tracing: get_path(p, &["TracingConfig", "Mode"])
            .or_else(|| p.and_then(|p| p.get("Tracing")))
            .map(string),
        reserved_concurrency: opt_int(p, "ReservedConcurrentExecutions"),
        timeout: opt_int(p, "Timeout"),
        memory_size: opt_int(p, "MemorySize"),
        dead_letter_target: get_path(p, &["DeadLetterConfig", "TargetArn"]).map(string),
        layers: strings(p, "Layers"),
        vpc: p.and_then(|p| p.get("VpcConfig")).map(vpc_config),
        code_signing_config: opt_string(p, "CodeSigningConfigArn"),
        log_group: get_path(p, &["LoggingConfig", "LogGroup"]).map(string),
    }
}

/// `VpcConfig`. One that cannot be resolved (an `Fn::If` on an undecidable condition) has
/// both lists written but unknown, each one `Unknown` entry standing for all of it.
fn vpc_config(v: &Node) -> VpcConfig {
    let lists = |key: &str| match &v.kind {
        Kind::Map(_) => opt_list(Some(v), key),
        _ => Some(list(v)),
    };
    VpcConfig {
        span: v.span.clone(),
        security_group_ids: lists("SecurityGroupIds"),
        subnet_ids: lists("SubnetIds"),
        subnet_ids_listed: v.get("SubnetIds").is_some_and(|s| s.as_seq().is_some()),
    }
}

/// The SAM CLI image build of a function, from its (unresolved) `Metadata`: present when
/// `Metadata` names a `Dockerfile` or a `DockerContext`, which `sam build` builds from.
fn image_build(metadata: &Node) -> Option<ImageBuild> {
    let m = Some(metadata);
    let dockerfile = opt_string(m, "Dockerfile");
    let context = opt_string(m, "DockerContext");
    if dockerfile.is_none() && context.is_none() {
        return None;
    }
    Some(ImageBuild {
        span: metadata.span.clone(),
        dockerfile,
        context,
        tag: opt_string(m, "DockerTag"),
    })
}

/// `Code`/`CodeUri`: a path string, or `{S3Bucket, S3Key}` / `{Bucket, Key}` / `{ZipFile}`.
fn code_location(node: &Node) -> sheepdog_diagnostics::Sourced<String> {
    match &node.kind {
        Kind::Map(_) => {
            if let Some(zip) = node.get("ZipFile") {
                return Located::new(
                    Value::Known("<inline ZipFile>".to_owned()),
                    zip.span.clone(),
                );
            }
            let bucket = node
                .get("S3Bucket")
                .or_else(|| node.get("Bucket"))
                .and_then(Node::as_scalar);
            let key = node
                .get("S3Key")
                .or_else(|| node.get("Key"))
                .and_then(Node::as_scalar);
            match (bucket, key) {
                (Some(b), Some(k)) => {
                    Located::new(Value::Known(format!("s3://{b}/{k}")), node.span.clone())
                }
                _ => string(node),
            }
        }
        _ => string(node),
    }
}

fn environment(node: &Node) -> Environment {
    let vars = node.get("Variables");
    let (variables, complete) = match vars.map(|v| &v.kind) {
        Some(Kind::Map(entries)) => (
            entries
                .iter()
                .map(|e| EnvVar {
                    name: Located::new(e.key.clone(), e.key_span.clone()),
                    value: string(&e.value),
                })
                .collect(),
            true,
        ),
        None => (Vec::new(), true),
        Some(_) => (Vec::new(), false),
    };
    Environment {
        span: node
            .entry("Variables")
            .map_or_else(|| node.span.clone(), |e| e.key_span.clone()),
        variables,
        complete,
    }
}

fn permission(d: &Decl<'_>) -> Permission {
    let p = d.props;
    Permission {
        resource: d.meta.clone(),
        function: required_string(p, "FunctionName", d.node),
        action: required_string(p, "Action", d.node),
        principal: required_string(p, "Principal", d.node),
        source_arn: opt_string(p, "SourceArn"),
        source_account: opt_string(p, "SourceAccount"),
        principal_org_id: opt_string(p, "PrincipalOrgID"),
        event_source_token: opt_string(p, "EventSourceToken"),
        function_url_auth_type: opt_string(p, "FunctionUrlAuthType"),
    }
}

fn url(d: &Decl<'_>) -> FunctionUrl {
    let p = d.props;
    FunctionUrl {
        resource: d.meta.clone(),
        function: required_string(p, "TargetFunctionArn", d.node),
        qualifier: opt_string(p, "Qualifier"),
        auth_type: required_string(p, "AuthType", d.node),
        invoke_mode: opt_string(p, "InvokeMode"),
        cors: p.and_then(|p| p.get("Cors")).map(cors),
    }
}

pub fn cors(node: &Node) -> Cors {
    Cors {
        span: node.span.clone(),
        allow_origins: strings(Some(node), "AllowOrigins"),
        allow_credentials: opt_bool(Some(node), "AllowCredentials"),
    }
}

fn alias(d: &Decl<'_>) -> Alias {
    Alias {
        resource: d.meta.clone(),
        function: required_string(d.props, "FunctionName", d.node),
        name: required_string(d.props, "Name", d.node),
        function_version: opt_string(d.props, "FunctionVersion"),
        deployment_preference: None,
        deployment_preference_enabled: None,
        code_deploy_group: code_deploy_group(d.node),
        routing_config: d
            .props
            .and_then(|p| p.get("RoutingConfig"))
            .map(|r| r.span.clone()),
    }
}

/// `UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName` of a resource node. The
/// attribute is outside `Properties` and not resolved: a reference stays unknown, and an
/// `UpdatePolicy` sheepdog cannot read (an `Fn::If`) is an unknown value, not an absent one.
fn code_deploy_group(node: &Node) -> Option<sheepdog_diagnostics::Sourced<String>> {
    let policy = node.get("UpdatePolicy")?;
    if policy.intrinsic().is_some() {
        return Some(string(policy));
    }
    let update = policy.get("CodeDeployLambdaAliasUpdate")?;
    Some(
        update
            .get("DeploymentGroupName")
            .map_or_else(|| string(update), string),
    )
}

fn esm(d: &Decl<'_>) -> EventSourceMapping {
    EventSourceMapping {
        resource: d.meta.clone(),
        function: required_string(d.props, "FunctionName", d.node),
        event_source_arn: opt_string(d.props, "EventSourceArn"),
        enabled: opt_bool(d.props, "Enabled"),
        on_failure_destination: get_path(
            d.props,
            &["DestinationConfig", "OnFailure", "Destination"],
        )
        .map(string),
    }
}

fn invoke_config(d: &Decl<'_>) -> EventInvokeConfig {
    EventInvokeConfig {
        resource: d.meta.clone(),
        function: required_string(d.props, "FunctionName", d.node),
        qualifier: opt_string(d.props, "Qualifier"),
        on_failure_destination: get_path(
            d.props,
            &["DestinationConfig", "OnFailure", "Destination"],
        )
        .map(string),
        on_success_destination: get_path(
            d.props,
            &["DestinationConfig", "OnSuccess", "Destination"],
        )
        .map(string),
        maximum_retry_attempts: opt_int(d.props, "MaximumRetryAttempts"),
    }
}

fn role(d: &Decl<'_>) -> Role {
    let p = d.props;
    Role {
        resource: d.meta.clone(),
        name: opt_string(p, "RoleName"),
        trust_policy: p
            .and_then(|p| p.get("AssumeRolePolicyDocument"))
            .map(document),
        // A `Policies` list that cannot be resolved is one policy standing for all of it,
        // with an incomplete document (not no policies at all).
        inline_policies: p
            .and_then(|p| p.get("Policies"))
            .map(|n| match &n.kind {
                Kind::Seq(items) => items.as_slice(),
                _ => std::slice::from_ref(n),
            })
            .unwrap_or_default()
            .iter()
            .map(|pol| NamedPolicy {
                name: opt_string(Some(pol), "PolicyName"),
                document: pol
                    .get("PolicyDocument")
                    .map_or_else(|| document(pol), document),
            })
            .collect(),
        managed_policy_arns: strings(p, "ManagedPolicyArns"),
        policy_templates: Vec::new(),
        permissions_boundary: opt_string(p, "PermissionsBoundary"),
    }
}

/// `MethodSettings`. A list that cannot be resolved is one entry standing for all of it, and
/// an entry that cannot be resolved has every setting `Unknown` (not absent).
pub fn method_settings(node: Option<&Node>) -> Vec<MethodSetting> {
    let Some(node) = node else {
        return Vec::new();
    };
    let items = match &node.kind {
        Kind::Seq(items) => items.as_slice(),
        Kind::Unknown(_) => std::slice::from_ref(node),
        _ => &[],
    };
    items
        .iter()
        .map(|n| {
            let s = Some(n);
            MethodSetting {
                span: n.span.clone(),
                resource_path: opt_string(s, "ResourcePath")
                    .or_else(|| unknown_node(n).map(string)),
                http_method: opt_string(s, "HttpMethod").or_else(|| unknown_node(n).map(string)),
                logging_level: opt_string(s, "LoggingLevel")
                    .or_else(|| unknown_node(n).map(string)),
                data_trace_enabled: opt_bool(s, "DataTraceEnabled")
                    .or_else(|| unknown_node(n).map(crate::cfn::props::boolean)),
                metrics_enabled: opt_bool(s, "MetricsEnabled")
                    .or_else(|| unknown_node(n).map(crate::cfn::props::boolean)),
                throttling_burst_limit: opt_int(s, "ThrottlingBurstLimit")
                    .or_else(|| unknown_node(n).map(crate::cfn::props::integer)),
                throttling_rate_limit: opt_float(s, "ThrottlingRateLimit")
                    .or_else(|| unknown_node(n).map(crate::cfn::props::float)),
                caching_enabled: opt_bool(s, "CachingEnabled")
                    .or_else(|| unknown_node(n).map(crate::cfn::props::boolean)),
                cache_data_encrypted: opt_bool(s, "CacheDataEncrypted")
                    .or_else(|| unknown_node(n).map(crate::cfn::props::boolean)),
            }
        })
        .collect()
}

/// `node` itself when it could not be resolved (its fields are then unknown, not absent).
fn unknown_node(node: &Node) -> Option<&Node> {
    matches!(node.kind, Kind::Unknown(_)).then_some(node)
}

/// `DefaultRouteSettings` or one value of `RouteSettings`; when it cannot be resolved, every
/// setting is `Unknown` (not absent).
pub fn route_settings(node: &Node) -> RouteSettings {
    let s = Some(node);
    let u = unknown_node(node);
    RouteSettings {
        span: node.span.clone(),
        throttling_burst_limit: opt_int(s, "ThrottlingBurstLimit")
            .or_else(|| u.map(crate::cfn::props::integer)),
        throttling_rate_limit: opt_float(s, "ThrottlingRateLimit")
            .or_else(|| u.map(crate::cfn::props::float)),
        detailed_metrics_enabled: opt_bool(s, "DetailedMetricsEnabled")
            .or_else(|| u.map(crate::cfn::props::boolean)),
        logging_level: opt_string(s, "LoggingLevel").or_else(|| u.map(string)),
        data_trace_enabled: opt_bool(s, "DataTraceEnabled")
            .or_else(|| u.map(crate::cfn::props::boolean)),
    }
}

/// `RouteSettings` of an HTTP/WebSocket stage: route key → settings. A map that cannot be
/// resolved is one entry with an empty key and unknown settings.
pub fn route_settings_map(node: Option<&Node>) -> Vec<(Located<String>, RouteSettings)> {
    let Some(node) = node else {
        return Vec::new();
    };
    match &node.kind {
        Kind::Map(entries) => entries
            .iter()
            .map(|e| {
                (
                    Located::new(e.key.clone(), e.key_span.clone()),
                    route_settings(&e.value),
                )
            })
            .collect(),
        Kind::Unknown(_) => vec![(
            Located::new(String::new(), node.span.clone()),
            route_settings(node),
        )],
        _ => Vec::new(),
    }
}

pub fn string_map(
    node: Option<&Node>,
) -> Vec<(Located<String>, sheepdog_diagnostics::Sourced<String>)> {
    node.and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                Located::new(e.key.clone(), e.key_span.clone()),
                string(&e.value),
            )
        })
        .collect()
}

fn sg_rules(node: Option<&Node>, egress: bool) -> Vec<SgRule> {
    node.and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|r| sg_rule(r, egress))
        .collect()
}

pub fn sg_rule(node: &Node, egress: bool) -> SgRule {
    let n = Some(node);
    SgRule {
        span: node.span.clone(),
        protocol: opt_string(n, "IpProtocol"),
        from_port: opt_int(n, "FromPort"),
        to_port: opt_int(n, "ToPort"),
        cidr_ipv4: opt_string(n, "CidrIp"),
        cidr_ipv6: opt_string(n, "CidrIpv6"),
        source_group: if egress {
            opt_string(n, "DestinationSecurityGroupId")
        } else {
            opt_string(n, "SourceSecurityGroupId")
                .or_else(|| opt_string(n, "SourceSecurityGroupName"))
        },
        prefix_list: if egress {
            opt_string(n, "DestinationPrefixListId")
        } else {
            opt_string(n, "SourcePrefixListId")
        },
    }
}

fn alarm(d: &Decl<'_>) -> Alarm {
    let p = d.props;
    let mut dimensions: Vec<AlarmDimension> = dims(p.and_then(|p| p.get("Dimensions")));
    let mut metric_names = Vec::new();
    for m in p
        .and_then(|p| p.get("Metrics"))
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        if let Some(stat) = get_path(Some(m), &["MetricStat", "Metric"]) {
            if let Some(name) = stat.get("MetricName") {
                metric_names.push(string(name));
            }
            dimensions.extend(dims(stat.get("Dimensions")));
        }
    }
    Alarm {
        resource: d.meta.clone(),
        namespace: opt_string(p, "Namespace"),
        metric_name: opt_string(p, "MetricName"),
        dimensions,
        metric_names,
        metrics: alarm_metrics(p),
    }
}

/// The metrics an alarm evaluates, each with its namespace and dimensions.
fn alarm_metrics(p: Option<&Node>) -> Vec<AlarmMetric> {
    let mut metrics = Vec::new();
    if let Some(p) = p
        && (p.get("MetricName").is_some() || p.get("Namespace").is_some())
    {
        metrics.push(AlarmMetric {
            span: p.span.clone(),
            namespace: opt_string(Some(p), "Namespace"),
            name: opt_string(Some(p), "MetricName"),
            dimensions: dims(p.get("Dimensions")),
        });
    }
    // What cannot be resolved is a metric whose namespace and name are unknown.
    let unknown = |n: &Node| AlarmMetric {
        span: n.span.clone(),
        namespace: Some(string(n)),
        name: Some(string(n)),
        dimensions: Vec::new(),
    };
    match p.and_then(|p| p.get("Metrics")).map(|m| (m, &m.kind)) {
        Some((_, Kind::Seq(items))) => {
            for m in items {
                // An entry with only an `Expression` computes over the others.
                match get_path_or_unknown(Some(m), &["MetricStat", "Metric"]) {
                    Some(stat) if unknown_node(stat).is_some() => metrics.push(unknown(stat)),
                    Some(stat) => metrics.push(AlarmMetric {
                        span: m.span.clone(),
                        namespace: opt_string(Some(stat), "Namespace"),
                        name: opt_string(Some(stat), "MetricName"),
                        dimensions: dims(stat.get("Dimensions")),
                    }),
                    None => {}
                }
            }
        }
        Some((m, Kind::Unknown(_))) => metrics.push(unknown(m)),
        _ => {}
    }
    metrics
}

fn dims(node: Option<&Node>) -> Vec<AlarmDimension> {
    node.and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|dim| {
            let name = dim.get("Name")?;
            Some(AlarmDimension {
                name: Located::new(name.as_scalar().unwrap_or_default(), name.span.clone()),
                value: dim.get("Value").map_or_else(|| string(dim), string),
            })
        })
        .collect()
}

fn web_acl(d: &Decl<'_>) -> WebAcl {
    let rules_node = d.props.and_then(|p| p.get("Rules"));
    let items = rules_node.and_then(Node::as_seq);
    let rules_complete = match (rules_node, items) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(_), Some(items)) => items.iter().all(|r| matches!(r.kind, Kind::Map(_))),
    };
    WebAcl {
        resource: d.meta.clone(),
        name: opt_string(d.props, "Name"),
        scope: opt_string(d.props, "Scope"),
        rules: items
            .unwrap_or_default()
            .iter()
            .filter(|r| matches!(r.kind, Kind::Map(_)))
            .map(|r| WebAclRule {
                span: r.span.clone(),
                name: opt_string(Some(r), "Name"),
                managed_vendor: get_path(
                    Some(r),
                    &["Statement", "ManagedRuleGroupStatement", "VendorName"],
                )
                .map(string),
                managed_name: get_path(
                    Some(r),
                    &["Statement", "ManagedRuleGroupStatement", "Name"],
                )
                .map(string),
                override_action: r.get("OverrideAction").map(override_action),
            })
            .collect(),
        rules_complete,
    }
}

/// `OverrideAction: {Count: {}}` is `Count`; an unresolvable one is `Unknown`.
fn override_action(node: &Node) -> sheepdog_diagnostics::Sourced<String> {
    match node.as_map() {
        Some([only]) => Located::new(Value::Known(only.key.clone()), only.key_span.clone()),
        _ => string(node),
    }
}

/// What a map or list that could not be resolved stands for: its expression.
fn unknown_of(node: &Node) -> sheepdog_diagnostics::Unknown {
    match &node.kind {
        Kind::Unknown(u) => u.clone(),
        _ => sheepdog_diagnostics::Unknown::new(
            crate::cfn::resolve::render_expr(node),
            sheepdog_diagnostics::UnknownReason::Unsupported,
        ),
    }
}

/// `RequestModels` of a REST method: content type → model. A map that cannot be resolved
/// is one entry with an empty content type and an `Unknown` model.
fn request_models(
    node: Option<&Node>,
) -> Vec<(Located<String>, sheepdog_diagnostics::Sourced<String>)> {
    match node {
        None => Vec::new(),
        Some(n) if n.as_map().is_some() => string_map(Some(n)),
        Some(n) => vec![(
            Located::new(String::new(), n.span.clone()),
            Located::new(Value::Unknown(unknown_of(n)), n.span.clone()),
        )],
    }
}

/// `RequestParameters` of a REST method: parameter → whether it is required.
fn request_parameters(node: Option<&Node>) -> Vec<RequestParameter> {
    match node {
        None => Vec::new(),
        Some(n) => match n.as_map() {
            Some(entries) => entries
                .iter()
                .map(|e| RequestParameter {
                    name: Located::new(e.key.clone(), e.key_span.clone()),
                    required: Some(crate::cfn::props::boolean(&e.value)),
                })
                .collect(),
            None => vec![unresolved_parameter(n)],
        },
    }
}

/// The parameter standing for a `RequestParameters` list or map (or entry) that could not
/// be resolved: no name, `required` unknown.
pub fn unresolved_parameter(node: &Node) -> RequestParameter {
    RequestParameter {
        name: Located::new(String::new(), node.span.clone()),
        required: Some(Located::new(
            Value::Unknown(unknown_of(node)),
            node.span.clone(),
        )),
    }
}
