//! Each Terraform resource type sheepdog reads, as the CloudFormation type with the same
//! meaning and its properties. The CloudFormation mappers (`cfn::resources`) then build the
//! model from them, so a rule sees a Terraform function exactly as a CloudFormation one.
//!
//! Where Terraform's defaults differ from CloudFormation's, the difference is written out
//! here (`reserved_concurrent_executions = -1` is "not reserved"; `retention_in_days = 0`
//! keeps logs forever; a security group without `egress` blocks has no egress rule at all,
//! as Terraform removes AWS's default one).

use sheepdog_diagnostics::Span;

use super::shape::{Props, at, block, block_list, text};
use crate::node::{Kind, Node};

/// The CloudFormation type and properties of a Terraform resource, when sheepdog reads it.
pub fn translate(kind: &str, tf: &Node, span: &Span) -> Option<(&'static str, Node)> {
    let mut p = Props::new(span.clone());
    let cfn = match kind {
        "aws_lambda_function" => {
            lambda_function(&mut p, tf);
            "AWS::Lambda::Function"
        }
        "aws_lambda_permission" => {
            p.put("FunctionName", qualified(tf, "function_name").as_ref())
                .put("Action", tf.get("action"))
                .put("Principal", tf.get("principal"))
                .put("SourceArn", tf.get("source_arn"))
                .put("SourceAccount", tf.get("source_account"))
                .put("PrincipalOrgID", tf.get("principal_org_id"))
                .put("EventSourceToken", tf.get("event_source_token"))
                .put("FunctionUrlAuthType", tf.get("function_url_auth_type"));
            "AWS::Lambda::Permission"
        }
        "aws_lambda_function_url" => {
            p.put("TargetFunctionArn", tf.get("function_name"))
                .put("Qualifier", tf.get("qualifier"))
                .put("AuthType", tf.get("authorization_type"))
                .put("InvokeMode", tf.get("invoke_mode"));
            if let Some(cors) = block(tf, "cors") {
                p.nested("Cors", cors.span.clone())
                    .put("AllowOrigins", cors.get("allow_origins"))
                    .put("AllowCredentials", cors.get("allow_credentials"));
            }
            "AWS::Lambda::Url"
        }
        "aws_lambda_alias" => {
            p.put("FunctionName", tf.get("function_name"))
                .put("Name", tf.get("name"))
                .put("FunctionVersion", tf.get("function_version"));
            // Weights shift part of the traffic; a `routing_config` without them (or with
            // an empty map) shifts none.
            if let Some(w) = at_or_unknown(tf, &["routing_config", "additional_version_weights"])
                .filter(|w| !w.as_map().is_some_and(<[_]>::is_empty))
            {
                p.nested("RoutingConfig", w.span.clone())
                    .put("AdditionalVersionWeights", Some(w));
            }
            "AWS::Lambda::Alias"
        }
        "aws_lambda_event_source_mapping" => {
            p.put("FunctionName", tf.get("function_name"))
                .put("EventSourceArn", tf.get("event_source_arn"))
                .put("Enabled", tf.get("enabled"));
            if let Some(d) = at(tf, &["destination_config", "on_failure", "destination_arn"]) {
                p.nested("DestinationConfig", d.span.clone())
                    .nested("OnFailure", d.span.clone())
                    .put("Destination", Some(d));
            }
            "AWS::Lambda::EventSourceMapping"
        }
        "aws_lambda_function_event_invoke_config" => {
            p.put("FunctionName", tf.get("function_name"))
                .put("Qualifier", tf.get("qualifier"))
                .put("MaximumRetryAttempts", tf.get("maximum_retry_attempts"));
            for (tf_key, cfn_key) in [("on_failure", "OnFailure"), ("on_success", "OnSuccess")] {
                if let Some(d) = at(tf, &["destination_config", tf_key, "destination"]) {
                    p.nested("DestinationConfig", d.span.clone())
                        .nested(cfn_key, d.span.clone())
                        .put("Destination", Some(d));
                }
            }
            "AWS::Lambda::EventInvokeConfig"
        }
        "aws_lambda_layer_version" => {
            p.put("LayerName", tf.get("layer_name"))
                .put("CompatibleRuntimes", tf.get("compatible_runtimes"));
            "AWS::Lambda::LayerVersion"
        }
        "aws_lambda_layer_version_permission" => {
            p.put("LayerVersionArn", tf.get("layer_name"))
                .put("Action", tf.get("action"))
                .put("Principal", tf.get("principal"))
                .put("OrganizationId", tf.get("organization_id"));
            "AWS::Lambda::LayerVersionPermission"
        }
        "aws_lambda_code_signing_config" => {
            if let Some(arns) = at(tf, &["allowed_publishers", "signing_profile_version_arns"]) {
                p.nested("AllowedPublishers", arns.span.clone())
                    .put("SigningProfileVersionArns", Some(arns));
            }
            if let Some(u) = at(tf, &["policies", "untrusted_artifact_on_deployment"]) {
                p.nested("CodeSigningPolicies", u.span.clone())
                    .put("UntrustedArtifactOnDeployment", Some(u));
            }
            "AWS::Lambda::CodeSigningConfig"
        }
        "aws_iam_role" => {
            p.put("RoleName", tf.get("name"))
                .put("AssumeRolePolicyDocument", tf.get("assume_role_policy"))
                .put("ManagedPolicyArns", tf.get("managed_policy_arns"))
                .put("PermissionsBoundary", tf.get("permissions_boundary"));
            let inline: Vec<Node> = block_list(tf, "inline_policy")
                .iter()
                .filter(|b| b.get("policy").is_some())
                .map(|b| {
                    let mut pol = Props::new(b.span.clone());
                    pol.put("PolicyName", b.get("name"))
                        .put("PolicyDocument", b.get("policy"));
                    pol.finish()
                })
                .collect();
            if !inline.is_empty() {
                p.put_node("Policies", Some(Node::new(Kind::Seq(inline), span.clone())));
            }
            "AWS::IAM::Role"
        }
        "aws_iam_role_policy" => {
            p.put("PolicyName", tf.get("name"))
                .put("RoleName", tf.get("role"))
                .put("PolicyDocument", tf.get("policy"));
            "AWS::IAM::RolePolicy"
        }
        "aws_iam_policy" => {
            p.put("ManagedPolicyName", tf.get("name"))
                .put("PolicyDocument", tf.get("policy"));
            "AWS::IAM::ManagedPolicy"
        }
        // Resources with a generated secret attribute (named as Terraform does in `links`).
        "aws_iam_access_key" => "AWS::IAM::AccessKey",
        "aws_cognito_user_pool_client" => "AWS::Cognito::UserPoolClient",
        "aws_appsync_api_key" => "AWS::AppSync::ApiKey",
        "aws_api_gateway_rest_api" => {
            p.put("Name", tf.get("name"))
                .put("Policy", tf.get("policy"))
                .put(
                    "DisableExecuteApiEndpoint",
                    tf.get("disable_execute_api_endpoint"),
                );
            if let Some(types) = at(tf, &["endpoint_configuration", "types"]) {
                p.nested("EndpointConfiguration", types.span.clone())
                    .put("Types", Some(types));
            }
            "AWS::ApiGateway::RestApi"
        }
        "aws_api_gateway_stage" => {
            p.put("RestApiId", tf.get("rest_api_id"))
                .put("StageName", tf.get("stage_name"))
                .put("DeploymentId", tf.get("deployment_id"))
                .put("TracingEnabled", tf.get("xray_tracing_enabled"))
                .put("CacheClusterEnabled", tf.get("cache_cluster_enabled"))
                .put("Variables", tf.get("variables"))
                .put("ClientCertificateId", tf.get("client_certificate_id"));
            access_logs(&mut p, tf, "AccessLogSetting");
            "AWS::ApiGateway::Stage"
        }
        "aws_api_gateway_method" => {
            p.put("RestApiId", tf.get("rest_api_id"))
                .put("HttpMethod", tf.get("http_method"))
                .put("AuthorizationType", tf.get("authorization"))
                .put("AuthorizerId", tf.get("authorizer_id"))
                .put("ApiKeyRequired", tf.get("api_key_required"))
                .put("RequestValidatorId", tf.get("request_validator_id"))
                .put("RequestModels", tf.get("request_models"))
                .put("RequestParameters", tf.get("request_parameters"));
            "AWS::ApiGateway::Method"
        }
        "aws_api_gateway_request_validator" => {
            p.put("RestApiId", tf.get("rest_api_id"))
                .put("ValidateRequestBody", tf.get("validate_request_body"))
                .put(
                    "ValidateRequestParameters",
                    tf.get("validate_request_parameters"),
                );
            "AWS::ApiGateway::RequestValidator"
        }
        "aws_api_gateway_deployment" => {
            p.put("RestApiId", tf.get("rest_api_id"))
                .put("StageName", tf.get("stage_name"));
            // Provider v5: `variables` are set on the stage `stage_name` creates.
            if let (Some(vars), Some(_)) = (tf.get("variables"), tf.get("stage_name")) {
                p.nested("StageDescription", vars.span.clone())
                    .put("Variables", Some(vars));
            }
            "AWS::ApiGateway::Deployment"
        }
        "aws_api_gateway_usage_plan" => {
            let stages: Vec<Node> = block_list(tf, "api_stages")
                .iter()
                .map(|s| {
                    let mut st = Props::new(s.span.clone());
                    st.put("ApiId", s.get("api_id"))
                        .put("Stage", s.get("stage"));
                    st.finish()
                })
                .collect();
            if !stages.is_empty() {
                p.put_node(
                    "ApiStages",
                    Some(Node::new(Kind::Seq(stages), span.clone())),
                );
            }
            if let Some(t) = block(tf, "throttle_settings") {
                p.nested("Throttle", t.span.clone())
                    .put("BurstLimit", t.get("burst_limit"))
                    .put("RateLimit", t.get("rate_limit"));
            }
            "AWS::ApiGateway::UsagePlan"
        }
        "aws_api_gateway_domain_name" => {
            p.put("DomainName", tf.get("domain_name"))
                .put("SecurityPolicy", tf.get("security_policy"));
            "AWS::ApiGateway::DomainName"
        }
        "aws_apigatewayv2_domain_name" => {
            p.put("DomainName", tf.get("domain_name"));
            if let Some(c) = block(tf, "domain_name_configuration") {
                let mut conf = Props::new(c.span.clone());
                conf.put("SecurityPolicy", c.get("security_policy"));
                p.put_node(
                    "DomainNameConfigurations",
                    Some(Node::new(Kind::Seq(vec![conf.finish()]), c.span.clone())),
                );
            }
            "AWS::ApiGatewayV2::DomainName"
        }
        "aws_apigatewayv2_api" => {
            p.put("Name", tf.get("name"))
                .put("ProtocolType", tf.get("protocol_type"))
                .put(
                    "DisableExecuteApiEndpoint",
                    tf.get("disable_execute_api_endpoint"),
                );
            "AWS::ApiGatewayV2::Api"
        }
        "aws_apigatewayv2_stage" => {
            http_stage(&mut p, tf);
            "AWS::ApiGatewayV2::Stage"
        }
        "aws_apigatewayv2_route" => {
            p.put("ApiId", tf.get("api_id"))
                .put("RouteKey", tf.get("route_key"))
                .put("AuthorizationType", tf.get("authorization_type"))
                .put("AuthorizerId", tf.get("authorizer_id"))
                // `integrations/<id>`: replaced by the integration's function in `links`.
                .put("Target", tf.get("target"));
            "AWS::ApiGatewayV2::Route"
        }
        "aws_wafv2_web_acl" => {
            web_acl(&mut p, tf, span);
            "AWS::WAFv2::WebACL"
        }
        "aws_wafv2_web_acl_association" => {
            p.put("ResourceArn", tf.get("resource_arn"))
                .put("WebACLArn", tf.get("web_acl_arn"));
            "AWS::WAFv2::WebACLAssociation"
        }
        "aws_security_group" => {
            p.put("GroupName", tf.get("name"))
                .put("VpcId", tf.get("vpc_id"));
            let ingress = sg_blocks(block_list(tf, "ingress"), false);
            p.put_node(
                "SecurityGroupIngress",
                Some(Node::new(Kind::Seq(ingress), span.clone())),
            );
            // Terraform removes AWS's default allow-all egress rule: no `egress` block is
            // no egress (see the module doc). The model reads a written list as the rules;
            // `links` marks the group (`default_egress: false`) so that an empty list is not
            // read as CloudFormation's, which keeps the default rule.
            let egress = sg_blocks(block_list(tf, "egress"), true);
            p.put_node(
                "SecurityGroupEgress",
                Some(Node::new(Kind::Seq(egress), span.clone())),
            );
            "AWS::EC2::SecurityGroup"
        }
        "aws_security_group_rule" => {
            let egress = tf.get("type").and_then(Node::as_str) == Some("egress");
            p.put("GroupId", tf.get("security_group_id"));
            let rules = sg_blocks(std::slice::from_ref(tf), egress);
            // One rule resource may list several CIDRs: the first stands for the resource
            // here, the others are added by `links` as rules of their own.
            if let Some(Kind::Map(entries)) = rules.into_iter().next().map(|r| r.kind) {
                for e in entries {
                    p.put_node(&e.key, Some(e.value));
                }
            }
            if egress {
                "AWS::EC2::SecurityGroupEgress"
            } else {
                "AWS::EC2::SecurityGroupIngress"
            }
        }
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            let egress = kind.ends_with("egress_rule");
            p.put("GroupId", tf.get("security_group_id"))
                .put("IpProtocol", tf.get("ip_protocol"))
                .put("FromPort", tf.get("from_port"))
                .put("ToPort", tf.get("to_port"))
                .put("CidrIp", tf.get("cidr_ipv4"))
                .put("CidrIpv6", tf.get("cidr_ipv6"))
                .put(
                    if egress {
                        "DestinationSecurityGroupId"
                    } else {
                        "SourceSecurityGroupId"
                    },
                    tf.get("referenced_security_group_id"),
                )
                .put(
                    if egress {
                        "DestinationPrefixListId"
                    } else {
                        "SourcePrefixListId"
                    },
                    tf.get("prefix_list_id"),
                );
            if egress {
                "AWS::EC2::SecurityGroupEgress"
            } else {
                "AWS::EC2::SecurityGroupIngress"
            }
        }
        "aws_cloudwatch_log_group" => {
            p.put("LogGroupName", tf.get("name"))
                .put("RetentionInDays", retention(tf.get("retention_in_days")))
                .put("KmsKeyId", tf.get("kms_key_id"));
            "AWS::Logs::LogGroup"
        }
        "aws_cloudwatch_metric_alarm" => {
            alarm(&mut p, tf, span);
            "AWS::CloudWatch::Alarm"
        }
        "aws_secretsmanager_secret" => {
            p.put("Name", tf.get("name"))
                .put("KmsKeyId", tf.get("kms_key_id"));
            "AWS::SecretsManager::Secret"
        }
        "aws_secretsmanager_secret_rotation" => {
            p.put("SecretId", tf.get("secret_id"))
                .put("RotationLambdaARN", tf.get("rotation_lambda_arn"));
            "AWS::SecretsManager::RotationSchedule"
        }
        "aws_kms_key" => {
            p.put("EnableKeyRotation", tf.get("enable_key_rotation"))
                .put("KeyPolicy", tf.get("policy"));
            "AWS::KMS::Key"
        }
        _ => return None,
    };
    Some((cfn, p.finish()))
}

fn lambda_function(p: &mut Props, tf: &Node) {
    function_settings(p, tf);
    p.put("Role", tf.get("role"));
    match (
        tf.get("s3_bucket"),
        tf.get("s3_key"),
        tf.get("image_uri"),
        tf.get("filename"),
    ) {
        (_, _, Some(image), _) => {
            p.nested("Code", image.span.clone())
                .put("ImageUri", Some(image));
        }
        (Some(bucket), Some(key), _, _) => {
            p.nested("Code", bucket.span.clone())
                .put("S3Bucket", Some(bucket))
                .put("S3Key", Some(key));
        }
        (_, _, _, Some(file)) => {
            p.put("Code", Some(file));
        }
        _ => {}
    }
    if let Some(env) = block(tf, "environment") {
        let vars = env.get("variables");
        p.nested(
            "Environment",
            vars.map_or(env.span.clone(), |v| v.span.clone()),
        )
        .put("Variables", vars);
    }
    if let Some(mode) = at_or_unknown(tf, &["tracing_config", "mode"]) {
        p.nested("TracingConfig", mode.span.clone())
            .put("Mode", Some(mode));
    }
    if let Some(target) = at_or_unknown(tf, &["dead_letter_config", "target_arn"]) {
        p.nested("DeadLetterConfig", target.span.clone())
            .put("TargetArn", Some(target));
    }
    match block(tf, "vpc_config") {
        // A `dynamic` block on an unknown collection: the whole setting is unknown.
        Some(
            vpc @ Node {
                kind: Kind::Unknown(_),
                ..
            },
        ) => {
            p.put("VpcConfig", Some(vpc));
        }
        Some(vpc) => {
            p.nested("VpcConfig", vpc.span.clone())
                .put("SubnetIds", vpc.get("subnet_ids"))
                .put("SecurityGroupIds", vpc.get("security_group_ids"));
        }
        None => {}
    }
    if let Some(group) = at_or_unknown(tf, &["logging_config", "log_group"]) {
        p.nested("LoggingConfig", group.span.clone())
            .put("LogGroup", Some(group));
    }
}

/// `retention_in_days`, unless `0`: the provider's default, logs kept forever.
pub fn retention(days: Option<&Node>) -> Option<&Node> {
    days.filter(|d| d.as_scalar().as_deref() != Some("0"))
}

/// Like `at`, but a `dynamic` block whose `for_each` is unknown (it may or may not be
/// written) is returned itself, so the argument under it is unknown rather than absent.
fn at_or_unknown<'n>(tf: &'n Node, path: &[&str]) -> Option<&'n Node> {
    let (last, blocks) = path.split_last()?;
    let mut node = tf;
    for b in blocks {
        node = block(node, b)?;
        if let Kind::Unknown(_) = node.kind {
            return Some(node);
        }
    }
    node.get(last)
}

/// The settings `aws_lambda_function` and the Lambda registry module's inputs name alike.
pub fn function_settings(p: &mut Props, tf: &Node) {
    p.put("FunctionName", tf.get("function_name"))
        .put("Runtime", tf.get("runtime"))
        .put("Handler", tf.get("handler"))
        .put("PackageType", tf.get("package_type"))
        .put("Architectures", tf.get("architectures"))
        .put("KmsKeyArn", tf.get("kms_key_arn"))
        .put("Timeout", tf.get("timeout"))
        .put("MemorySize", tf.get("memory_size"))
        .put("Layers", tf.get("layers"))
        .put("CodeSigningConfigArn", tf.get("code_signing_config_arn"));
    // `-1` (the provider's default, and the module's) means no reserved concurrency.
    if let Some(r) = tf.get("reserved_concurrent_executions")
        && r.as_scalar().as_deref() != Some("-1")
    {
        p.put("ReservedConcurrentExecutions", Some(r));
    }
}

/// `function_name` with `qualifier` appended, as the permission's target. A reference is
/// written as Terraform interpolates it (`${aws_lambda_function.f.arn}:live`), where the
/// model reads the qualifier after the function; a qualifier sheepdog cannot resolve keeps
/// the target unknown (not the unqualified function).
fn qualified(tf: &Node, key: &str) -> Option<Node> {
    let f = tf.get(key)?;
    let Some(q) = tf
        .get("qualifier")
        .filter(|q| !matches!(q.kind, Kind::Null))
    else {
        return Some(f.clone());
    };
    if let (Kind::Str(name), Some(q)) = (&f.kind, q.as_scalar()) {
        return Some(text(&format!("{name}:{q}"), &f.span));
    }
    let written = |n: &Node| match &n.kind {
        Kind::Unknown(u) => format!("${{{}}}", u.expr),
        _ => n.as_scalar().unwrap_or_default(),
    };
    let mut refs = Vec::new();
    super::eval::collect_refs(f, &mut refs);
    super::eval::collect_refs(q, &mut refs);
    Some(Node::new(
        Kind::Unknown(sheepdog_diagnostics::Unknown::new(
            format!("{}:{}", written(f), written(q)),
            sheepdog_diagnostics::UnknownReason::Composite { refs },
        )),
        f.span.clone(),
    ))
}

/// A stage's `access_log_settings` block, under the CloudFormation key of its stage type
/// (`AccessLogSetting` for REST, `AccessLogSettings` for HTTP). A `dynamic` block on an
/// unknown collection makes the setting unknown.
fn access_logs(p: &mut Props, tf: &Node, cfn_key: &str) {
    match block(tf, "access_log_settings") {
        Some(
            logs @ Node {
                kind: Kind::Unknown(_),
                ..
            },
        ) => {
            p.put(cfn_key, Some(logs));
        }
        Some(logs) => {
            p.nested(cfn_key, logs.span.clone())
                .put("DestinationArn", logs.get("destination_arn"))
                .put("Format", logs.get("format"));
        }
        None => {}
    }
}

fn http_stage(p: &mut Props, tf: &Node) {
    p.put("ApiId", tf.get("api_id"))
        .put("StageName", tf.get("name"))
        .put("StageVariables", tf.get("stage_variables"));
    // `dynamic` blocks on an unknown collection are unknown settings (the mappers read an
    // unknown node as settings that may be anything).
    access_logs(p, tf, "AccessLogSettings");
    if let Some(d) = block(tf, "default_route_settings") {
        let settings = match d.kind {
            Kind::Unknown(_) => d.clone(),
            _ => route_settings(d),
        };
        p.put_node("DefaultRouteSettings", Some(settings));
    }
    let routes = block_list(tf, "route_settings");
    if let Some(unknown) = routes.iter().find(|r| matches!(r.kind, Kind::Unknown(_))) {
        p.put("RouteSettings", Some(unknown));
    } else if let Some(first) = routes.first() {
        let mut map = Props::new(first.span.clone());
        for r in routes {
            if let Some(key) = r.get("route_key").and_then(Node::as_str) {
                map.put_node(key, Some(route_settings(r)));
            }
        }
        p.put_node("RouteSettings", Some(map.finish()));
    }
}

fn route_settings(r: &Node) -> Node {
    let mut s = Props::new(r.span.clone());
    s.put("ThrottlingBurstLimit", r.get("throttling_burst_limit"))
        .put("ThrottlingRateLimit", r.get("throttling_rate_limit"))
        .put("DetailedMetricsEnabled", r.get("detailed_metrics_enabled"))
        .put("LoggingLevel", r.get("logging_level"))
        .put("DataTraceEnabled", r.get("data_trace_enabled"));
    s.finish()
}

fn web_acl(p: &mut Props, tf: &Node, span: &Span) {
    p.put("Name", tf.get("name")).put("Scope", tf.get("scope"));
    let rules: Vec<Node> = block_list(tf, "rule")
        .iter()
        .map(|r| {
            if let Kind::Unknown(_) = r.kind {
                return r.clone();
            }
            let mut rule = Props::new(r.span.clone());
            rule.put("Name", r.get("name"));
            if let Some(m) =
                block(r, "statement").and_then(|s| block(s, "managed_rule_group_statement"))
            {
                rule.nested("Statement", m.span.clone())
                    .nested("ManagedRuleGroupStatement", m.span.clone())
                    .put("VendorName", m.get("vendor_name"))
                    .put("Name", m.get("name"));
            }
            if let Some(o) = block(r, "override_action") {
                // `override_action { count {} }` / `{ none {} }`; a `dynamic` block whose
                // `for_each` is empty writes no block.
                let action = o
                    .as_map()
                    .and_then(|e| {
                        e.iter().find(
                            |e| !matches!(&e.value.kind, Kind::Seq(items) if items.is_empty()),
                        )
                    })
                    .map(|e| match e.key.as_str() {
                        "count" => "Count",
                        "none" => "None",
                        other => other,
                    });
                if let Some(action) = action {
                    rule.nested("OverrideAction", o.span.clone()).put_node(
                        action,
                        Some(Node::new(Kind::Map(Vec::new()), o.span.clone())),
                    );
                }
            }
            rule.finish()
        })
        .collect();
    if !rules.is_empty() {
        p.put_node("Rules", Some(Node::new(Kind::Seq(rules), span.clone())));
    }
}

/// `ingress`/`egress` blocks (or a rule resource): one CloudFormation rule per CIDR, as a
/// Terraform rule with several `cidr_blocks` opens the port to each of them.
fn sg_blocks(blocks: &[Node], egress: bool) -> Vec<Node> {
    let mut out = Vec::new();
    for b in blocks {
        if let Kind::Unknown(_) = b.kind {
            out.push(b.clone());
            continue;
        }
        let base = |p: &mut Props| {
            p.put("IpProtocol", b.get("protocol"))
                .put("FromPort", b.get("from_port"))
                .put("ToPort", b.get("to_port"));
        };
        let mut targets: Vec<(&str, Node)> = Vec::new();
        for (tf_key, cfn_key) in [
            ("cidr_blocks", "CidrIp"),
            ("ipv6_cidr_blocks", "CidrIpv6"),
            (
                "security_groups",
                if egress {
                    "DestinationSecurityGroupId"
                } else {
                    "SourceSecurityGroupId"
                },
            ),
            (
                "source_security_group_id",
                if egress {
                    "DestinationSecurityGroupId"
                } else {
                    "SourceSecurityGroupId"
                },
            ),
            (
                "prefix_list_ids",
                if egress {
                    "DestinationPrefixListId"
                } else {
                    "SourcePrefixListId"
                },
            ),
        ] {
            match b.get(tf_key).map(|n| (n, &n.kind)) {
                Some((_, Kind::Seq(items))) => {
                    targets.extend(items.iter().map(|i| (cfn_key, i.clone())));
                }
                Some((n, kind)) if !matches!(kind, Kind::Null | Kind::Map(_)) => {
                    targets.push((cfn_key, n.clone()));
                }
                _ => {}
            }
        }
        if b.get("self")
            .is_some_and(|s| matches!(s.kind, Kind::Bool(true)))
        {
            targets.push((
                if egress {
                    "DestinationSecurityGroupId"
                } else {
                    "SourceSecurityGroupId"
                },
                text("self", &b.span),
            ));
        }
        if targets.is_empty() {
            let mut p = Props::new(b.span.clone());
            base(&mut p);
            out.push(p.finish());
        }
        for (key, target) in targets {
            let mut p = Props::new(target.span.clone());
            base(&mut p);
            p.put_node(key, Some(target));
            out.push(p.finish());
        }
    }
    out
}

fn alarm(p: &mut Props, tf: &Node, span: &Span) {
    p.put("Namespace", tf.get("namespace"))
        .put("MetricName", tf.get("metric_name"))
        .put_node("Dimensions", tf.get("dimensions").map(dimensions));
    let metrics: Vec<Node> = block_list(tf, "metric_query")
        .iter()
        .filter_map(|q| {
            // A `dynamic` block on an unknown collection: metrics that may be anything.
            if let Kind::Unknown(_) = q.kind {
                return Some(q.clone());
            }
            let m = block(q, "metric")?;
            let mut out = Props::new(q.span.clone());
            let stat = out.nested("MetricStat", m.span.clone());
            if let Kind::Unknown(_) = m.kind {
                stat.put("Metric", Some(m));
            } else {
                stat.nested("Metric", m.span.clone())
                    .put("Namespace", m.get("namespace"))
                    .put("MetricName", m.get("metric_name"))
                    .put_node("Dimensions", m.get("dimensions").map(dimensions));
            }
            Some(out.finish())
        })
        .collect();
    if !metrics.is_empty() {
        p.put_node("Metrics", Some(Node::new(Kind::Seq(metrics), span.clone())));
    }
}

/// `dimensions = { FunctionName = ... }` → `[{Name, Value}]`.
fn dimensions(map: &Node) -> Node {
    match &map.kind {
        Kind::Map(entries) => Node::new(
            Kind::Seq(
                entries
                    .iter()
                    .map(|e| {
                        let mut d = Props::new(e.key_span.clone());
                        d.put_node("Name", Some(text(&e.key, &e.key_span)))
                            .put("Value", Some(&e.value));
                        d.finish()
                    })
                    .collect(),
            ),
            map.span.clone(),
        ),
        _ => map.clone(),
    }
}
