use serde::Serialize;
use sheepdog_diagnostics::{Located, Sourced, Span};
use sheepdog_iam::PolicyDocument;

use crate::Resource;

/// A REST API (`AWS::ApiGateway::RestApi`, `AWS::Serverless::Api`, the implicit
/// `ServerlessRestApi` SAM creates for `Api` events).
#[derive(Debug, Clone, Serialize)]
pub struct RestApi {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    /// `EndpointConfiguration.Types` (`EDGE`, `REGIONAL`, `PRIVATE`).
    pub endpoint_types: Vec<Sourced<String>>,
    /// The resource policy.
    pub policy: Option<PolicyDocument>,
    /// `DisableExecuteApiEndpoint`.
    pub disable_execute_api_endpoint: Option<Sourced<bool>>,
}

/// `AWS::ApiGateway::Stage` (and the stage of a SAM Api).
#[derive(Debug, Clone, Serialize)]
pub struct RestStage {
    pub resource: Resource,
    pub api: Sourced<String>,
    pub name: Option<Sourced<String>>,
    pub deployment: Option<Sourced<String>>,
    /// `AccessLogSetting.DestinationArn`.
    pub access_log_destination: Option<Sourced<String>>,
    pub access_log_format: Option<Sourced<String>>,
    pub tracing_enabled: Option<Sourced<bool>>,
    pub cache_cluster_enabled: Option<Sourced<bool>>,
    pub method_settings: Vec<MethodSetting>,
    pub variables: Vec<(Located<String>, Sourced<String>)>,
    pub client_certificate: Option<Sourced<String>>,
}

/// One entry of a stage's `MethodSettings`.
#[derive(Debug, Clone, Serialize)]
pub struct MethodSetting {
    pub span: Span,
    pub resource_path: Option<Sourced<String>>,
    pub http_method: Option<Sourced<String>>,
    pub logging_level: Option<Sourced<String>>,
    pub data_trace_enabled: Option<Sourced<bool>>,
    pub metrics_enabled: Option<Sourced<bool>>,
    pub throttling_burst_limit: Option<Sourced<i64>>,
    pub throttling_rate_limit: Option<Sourced<f64>>,
    pub caching_enabled: Option<Sourced<bool>>,
    pub cache_data_encrypted: Option<Sourced<bool>>,
}

/// `AWS::ApiGateway::Method` (and the methods SAM creates for `Api` events).
#[derive(Debug, Clone, Serialize)]
pub struct RestMethod {
    pub resource: Resource,
    pub api: Sourced<String>,
    /// The path, when known (SAM events give it; plain methods point at a resource).
    pub path: Option<Sourced<String>>,
    pub http_method: Sourced<String>,
    pub authorization_type: Option<Sourced<String>>,
    pub authorizer: Option<Sourced<String>>,
    pub api_key_required: Option<Sourced<bool>>,
    /// `RequestValidatorId`: a reference to the [`RequestValidator`] that checks requests
    /// (SAM: the validator an `Api` event's `RequestModel.ValidateBody`/`ValidateParameters`
    /// creates). `Unknown` when validation is decided in an OpenAPI definition sheepdog does
    /// not read (SAM `DefinitionBody`/`DefinitionUri`).
    pub request_validator: Option<Sourced<String>>,
    /// `RequestModels`: content type → model name (SAM `RequestModel.Model`, as
    /// `application/json`). A map that cannot be resolved is one entry whose content type
    /// is empty and whose model is `Unknown`.
    pub request_models: Vec<(Located<String>, Sourced<String>)>,
    /// `RequestParameters` (`method.request.<querystring|header|path>.<name>`), with whether
    /// each is required (SAM `RequestParameters` and their `Required`). A list or map that
    /// cannot be resolved is one entry whose name is empty and whose `required` is `Unknown`.
    pub request_parameters: Vec<RequestParameter>,
    /// The Lambda function the integration invokes, when it is one.
    pub integration_function: Option<Sourced<String>>,
}

/// One request parameter a REST method declares.
#[derive(Debug, Clone, Serialize)]
pub struct RequestParameter {
    /// `method.request.querystring.id`, `method.request.header.X-Token`, ...
    pub name: Located<String>,
    /// Whether the parameter is required; `None` when not written (not required).
    pub required: Option<Sourced<bool>>,
}

/// `AWS::ApiGateway::RequestValidator` (and the validator SAM creates for an `Api` event's
/// `RequestModel` with `ValidateBody`/`ValidateParameters`).
#[derive(Debug, Clone, Serialize)]
pub struct RequestValidator {
    pub resource: Resource,
    pub api: Sourced<String>,
    /// `ValidateRequestBody` (SAM `ValidateBody`); not written means `false`.
    pub validate_body: Option<Sourced<bool>>,
    /// `ValidateRequestParameters` (SAM `ValidateParameters`); not written means `false`.
    pub validate_parameters: Option<Sourced<bool>>,
}

/// `AWS::ApiGateway::Deployment`.
#[derive(Debug, Clone, Serialize)]
pub struct RestDeployment {
    pub resource: Resource,
    pub api: Sourced<String>,
    pub stage_name: Option<Sourced<String>>,
    /// `StageDescription.ThrottlingBurstLimit`: stage-wide throttling of the stage the
    /// deployment creates (with `StageName`).
    pub stage_throttling_burst_limit: Option<Sourced<i64>>,
    /// `StageDescription.ThrottlingRateLimit`.
    pub stage_throttling_rate_limit: Option<Sourced<f64>>,
    /// `StageDescription.MethodSettings`.
    pub stage_method_settings: Vec<MethodSetting>,
    /// `StageDescription.CacheClusterEnabled`.
    pub stage_cache_cluster_enabled: Option<Sourced<bool>>,
    /// `StageDescription.CachingEnabled`: caching for every method of the stage.
    pub stage_caching_enabled: Option<Sourced<bool>>,
    /// `StageDescription.CacheDataEncrypted`: cache encryption for every method of the stage.
    pub stage_cache_data_encrypted: Option<Sourced<bool>>,
    /// `StageDescription.Variables`: the stage variables.
    pub stage_variables: Vec<(Located<String>, Sourced<String>)>,
    /// `StageDescription.AccessLogSetting.DestinationArn` (`Unknown` when the whole
    /// `AccessLogSetting` cannot be resolved).
    pub stage_access_log_destination: Option<Sourced<String>>,
    /// `StageDescription.TracingEnabled`: X-Ray tracing of the stage.
    pub stage_tracing_enabled: Option<Sourced<bool>>,
    /// `StageDescription.LoggingLevel`: execution logging of every method of the stage.
    pub stage_logging_level: Option<Sourced<String>>,
    /// `StageDescription.DataTraceEnabled`: full request/response logging of every method.
    pub stage_data_trace_enabled: Option<Sourced<bool>>,
}

/// `AWS::ApiGateway::UsagePlan`.
#[derive(Debug, Clone, Serialize)]
pub struct UsagePlan {
    pub resource: Resource,
    pub stages: Vec<UsagePlanStage>,
    pub throttle_burst_limit: Option<Sourced<i64>>,
    pub throttle_rate_limit: Option<Sourced<f64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UsagePlanStage {
    pub api: Sourced<String>,
    pub stage: Option<Sourced<String>>,
}

/// A custom domain (`AWS::ApiGateway::DomainName`, `AWS::ApiGatewayV2::DomainName`, SAM `Domain`).
#[derive(Debug, Clone, Serialize)]
pub struct ApiDomain {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    pub security_policy: Option<Sourced<String>>,
    /// True for an API Gateway v2 domain (`AWS::ApiGatewayV2::DomainName`, SAM `HttpApi`
    /// `Domain`: HTTP and WebSocket APIs), false for a REST API domain. Their defaults
    /// differ when `SecurityPolicy` is not written.
    pub v2: bool,
}

/// An HTTP or WebSocket API (`AWS::ApiGatewayV2::Api`, `AWS::Serverless::HttpApi`, the
/// implicit `ServerlessHttpApi`).
#[derive(Debug, Clone, Serialize)]
pub struct HttpApi {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    pub protocol_type: Option<Sourced<String>>,
    pub disable_execute_api_endpoint: Option<Sourced<bool>>,
}

/// `AWS::ApiGatewayV2::Stage` (and the stage of a SAM `HttpApi`).
#[derive(Debug, Clone, Serialize)]
pub struct HttpStage {
    pub resource: Resource,
    pub api: Sourced<String>,
    pub name: Option<Sourced<String>>,
    pub access_log_destination: Option<Sourced<String>>,
    pub access_log_format: Option<Sourced<String>>,
    pub default_route_settings: Option<RouteSettings>,
    /// `RouteSettings`: per-route overrides, by route key. A map that cannot be resolved is
    /// one entry whose key is empty and whose settings are all `Unknown`.
    pub route_settings: Vec<(Located<String>, RouteSettings)>,
    /// `StageVariables` (SAM `HttpApi` `StageVariables`).
    pub variables: Vec<(Located<String>, Sourced<String>)>,
}

/// `DefaultRouteSettings` / `RouteSettings` of an HTTP API stage.
#[derive(Debug, Clone, Serialize)]
pub struct RouteSettings {
    pub span: Span,
    pub throttling_burst_limit: Option<Sourced<i64>>,
    pub throttling_rate_limit: Option<Sourced<f64>>,
    pub detailed_metrics_enabled: Option<Sourced<bool>>,
    pub logging_level: Option<Sourced<String>>,
    pub data_trace_enabled: Option<Sourced<bool>>,
}

/// `AWS::ApiGatewayV2::Route` (and the routes SAM creates for `HttpApi` events).
#[derive(Debug, Clone, Serialize)]
pub struct HttpRoute {
    pub resource: Resource,
    pub api: Sourced<String>,
    pub route_key: Sourced<String>,
    pub authorization_type: Option<Sourced<String>>,
    pub authorizer: Option<Sourced<String>>,
    pub target_function: Option<Sourced<String>>,
}

/// `AWS::WAFv2::WebACL`.
#[derive(Debug, Clone, Serialize)]
pub struct WebAcl {
    pub resource: Resource,
    pub name: Option<Sourced<String>>,
    pub scope: Option<Sourced<String>>,
    pub rules: Vec<WebAclRule>,
    /// False when `Rules`, or one of its entries, is written but could not be resolved
    /// (a parameter, an `Fn::If` sheepdog cannot decide): `rules` is then incomplete.
    pub rules_complete: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WebAclRule {
    pub span: Span,
    pub name: Option<Sourced<String>>,
    /// `Statement.ManagedRuleGroupStatement` vendor and name, when the rule is one.
    pub managed_vendor: Option<Sourced<String>>,
    pub managed_name: Option<Sourced<String>>,
    /// `OverrideAction` of a rule-group rule: `None` (the group's own actions apply) or
    /// `Count` (matches are only counted, nothing is blocked).
    pub override_action: Option<Sourced<String>>,
}

/// `AWS::WAFv2::WebACLAssociation`.
#[derive(Debug, Clone, Serialize)]
pub struct WebAclAssociation {
    pub resource: Resource,
    pub resource_arn: Sourced<String>,
    pub web_acl_arn: Sourced<String>,
}
