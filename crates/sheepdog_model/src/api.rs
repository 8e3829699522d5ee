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
    pub request_validator: Option<Sourced<String>>,
    /// The Lambda function the integration invokes, when it is one.
    pub integration_function: Option<Sourced<String>>,
}

/// `AWS::ApiGateway::Deployment`.
#[derive(Debug, Clone, Serialize)]
pub struct RestDeployment {
    pub resource: Resource,
    pub api: Sourced<String>,
    pub stage_name: Option<Sourced<String>>,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct WebAclRule {
    pub span: Span,
    pub name: Option<Sourced<String>>,
    /// `Statement.ManagedRuleGroupStatement` vendor and name, when the rule is one.
    pub managed_vendor: Option<Sourced<String>>,
    pub managed_name: Option<Sourced<String>>,
}

/// `AWS::WAFv2::WebACLAssociation`.
#[derive(Debug, Clone, Serialize)]
pub struct WebAclAssociation {
    pub resource: Resource,
    pub resource_arn: Sourced<String>,
    pub web_acl_arn: Sourced<String>,
}
