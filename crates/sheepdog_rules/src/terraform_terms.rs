//! Messages and fixes in Terraform's words. Rules write them once, naming CloudFormation
//! properties (`ReservedConcurrentExecutions`); for a model loaded from Terraform the
//! engine rewrites the names a Terraform user writes differently
//! (`reserved_concurrent_executions`) and drops SAM-only hints. Words only: what a rule
//! decides never depends on the format (DESIGN.md invariant 1).

/// CloudFormation spelling → Terraform spelling, as they appear between backticks.
const TERMS: &[(&str, &str)] = &[
    (
        "!Ref AWS::AccountId",
        "data.aws_caller_identity.current.account_id",
    ),
    ("!Ref FnAlias", "aws_lambda_alias.<name>.arn"),
    ("AWS::ApiGateway::Stage", "aws_api_gateway_stage"),
    ("AWS::CloudWatch::Alarm", "aws_cloudwatch_metric_alarm"),
    (
        "AWS::Lambda::EventInvokeConfig",
        "aws_lambda_function_event_invoke_config",
    ),
    ("AWS::Lambda::Permission", "aws_lambda_permission"),
    ("AWS::Lambda::Url", "aws_lambda_function_url"),
    ("AWS::Logs::LogGroup", "aws_cloudwatch_log_group"),
    (
        "AWS::SecretsManager::RotationSchedule",
        "aws_secretsmanager_secret_rotation",
    ),
    ("AWS::WAFv2::WebACL", "aws_wafv2_web_acl"),
    (
        "AWS::WAFv2::WebACLAssociation",
        "aws_wafv2_web_acl_association",
    ),
    ("AccessLogSetting", "access_log_settings"),
    (
        "AccessLogSetting.DestinationArn",
        "access_log_settings.destination_arn",
    ),
    ("AccessLogSettings", "access_log_settings"),
    (
        "AccessLogSettings.DestinationArn",
        "access_log_settings.destination_arn",
    ),
    ("AllowCredentials: false", "allow_credentials = false"),
    ("AllowCredentials: true", "allow_credentials = true"),
    ("AllowOrigins", "allow_origins"),
    ("AuthType", "authorization_type"),
    ("AuthType: AWS_IAM", "authorization_type = \"AWS_IAM\""),
    ("AuthType: NONE", "authorization_type = \"NONE\""),
    ("CacheDataEncrypted: true", "cache_data_encrypted = true"),
    ("CodeSigningConfigArn", "code_signing_config_arn"),
    ("CodeSigningPolicies", "policies"),
    (
        "CodeSigningPolicies: {UntrustedArtifactOnDeployment: Enforce}",
        "policies { untrusted_artifact_on_deployment = \"Enforce\" }",
    ),
    ("DataTraceEnabled: true", "data_trace_enabled = true"),
    ("DeadLetterConfig", "dead_letter_config"),
    ("DefaultRouteSettings", "default_route_settings"),
    (
        "DefaultRouteSettings.LoggingLevel",
        "default_route_settings.logging_level",
    ),
    ("DestinationArn", "destination_arn"),
    (
        "DestinationConfig.OnFailure",
        "destination_config.on_failure",
    ),
    (
        "Dimensions: [{Name: FunctionName, Value: !Ref Fn}]",
        "dimensions = { FunctionName = aws_lambda_function.fn.function_name }",
    ),
    (
        "EventInvokeConfig",
        "aws_lambda_function_event_invoke_config",
    ),
    ("EventSourceToken", "event_source_token"),
    ("Format", "format"),
    ("FunctionName", "function_name"),
    ("KmsKeyArn", "kms_key_arn"),
    ("KmsKeyId", "kms_key_id"),
    ("LoggingLevel", "logging_level"),
    ("LoggingLevel: ERROR", "logging_level = \"ERROR\""),
    ("LoggingLevel: OFF", "logging_level = \"OFF\""),
    ("ManagedRuleGroupStatement", "managed_rule_group_statement"),
    ("MethodSettings", "aws_api_gateway_method_settings"),
    ("NoEcho", "sensitive"),
    ("OrganizationId", "organization_id"),
    ("OverrideAction", "override_action"),
    ("PrincipalOrgID", "principal_org_id"),
    ("Qualifier", "qualifier"),
    (
        "ReservedConcurrentExecutions",
        "reserved_concurrent_executions",
    ),
    ("ResourcePath: /*", "method_path = \"*/*\""),
    (
        "ResourcePath: /*, HttpMethod: \"*\"",
        "method_path = \"*/*\"",
    ),
    ("RetentionInDays", "retention_in_days"),
    ("RoutingConfig", "routing_config"),
    ("RuleActionOverrides", "rule_action_override"),
    ("SecretId", "secret_id"),
    ("SecurityGroupEgress", "egress"),
    ("SecurityPolicy", "security_policy"),
    ("SecurityPolicy: TLS_1_0", "security_policy = \"TLS_1_0\""),
    ("SecurityPolicy: TLS_1_2", "security_policy = \"TLS_1_2\""),
    ("SourceAccount", "source_account"),
    ("SourceArn", "source_arn"),
    ("Throttle", "throttle_settings"),
    ("ThrottlingBurstLimit", "throttling_burst_limit"),
    ("ThrottlingRateLimit", "throttling_rate_limit"),
    ("TracingEnabled", "xray_tracing_enabled"),
    ("TracingEnabled: true", "xray_tracing_enabled = true"),
    (
        "UntrustedArtifactOnDeployment: Warn",
        "untrusted_artifact_on_deployment = \"Warn\"",
    ),
    ("ValidateRequestBody: true", "validate_request_body = true"),
    (
        "ValidateRequestParameters: true",
        "validate_request_parameters = true",
    ),
    ("VpcConfig", "vpc_config"),
    ("VpcConfig.SubnetIds", "vpc_config.subnet_ids"),
    ("{None: {}}", "none {}"),
];

/// `text` with CloudFormation names in backticks replaced by Terraform's, and SAM-only
/// hints in parentheses (`(SAM: ...)`) removed.
pub fn for_terraform(text: &str) -> String {
    let text = without_sam_hints(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else {
            break;
        };
        let inner = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..open]);
        out.push('`');
        match TERMS.binary_search_by(|(cfn, _)| (*cfn).cmp(inner)) {
            Ok(i) => out.push_str(TERMS[i].1),
            Err(_) => out.push_str(inner),
        }
        out.push('`');
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Remove ` (SAM: ...)` and `(SAM ...)`-style parentheticals.
fn without_sam_hints(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(start) = out.find(" (SAM") {
        let Some(len) = out[start..].find(')') else {
            break;
        };
        out.replace_range(start..=start + len, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{TERMS, for_terraform};

    #[test]
    fn terms_are_sorted_for_binary_search() {
        assert!(TERMS.windows(2).all(|w| w[0].0 < w[1].0), "sort TERMS");
    }

    #[test]
    fn names_are_rewritten_and_sam_hints_dropped() {
        assert_eq!(
            for_terraform(
                "set `ReservedConcurrentExecutions` to the peak (SAM: `Globals: Function:`)"
            ),
            "set `reserved_concurrent_executions` to the peak"
        );
        assert_eq!(
            for_terraform("set `AuthType: AWS_IAM`, or `Unrelated`"),
            "set `authorization_type = \"AWS_IAM\"`, or `Unrelated`"
        );
        assert_eq!(for_terraform("an odd ` backtick"), "an odd ` backtick");
    }
}
