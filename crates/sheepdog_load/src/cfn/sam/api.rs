//! `AWS::Serverless::Api` and `AWS::Serverless::HttpApi`, and the implicit APIs SAM creates
//! for `Api`/`HttpApi` events that name no API.

use std::collections::HashMap;

use sheepdog_diagnostics::{Located, Sourced, Span, Unknown, UnknownReason, Value};
use sheepdog_model::{
    ApiDomain, HttpApi, HttpStage, Model, Resource, RestApi, RestStage, UsagePlan, UsagePlanStage,
};

use super::{derived, known, reference};
use crate::cfn::props::{get_path, get_path_or_unknown, opt_bool, opt_string, string};
use crate::cfn::resources::{method_settings, route_settings, route_settings_map, string_map};
use crate::node::{Kind, Node};

/// The authorization of a REST method: its type, its authorizer, whether it needs an API key.
pub type MethodAuth = (
    Option<Sourced<String>>,
    Option<Sourced<String>>,
    Option<Sourced<bool>>,
);

/// What events need to know about the APIs of the template: each API's default
/// authorizer, API-key requirement and authorizer types, and the resolved `Globals` of the
/// implicit APIs.
#[derive(Default)]
pub struct ApiAuth {
    apis: HashMap<String, ApiDefaults>,
    globals_api: Option<Node>,
    globals_http_api: Option<Node>,
}

#[derive(Default)]
struct ApiDefaults {
    default_authorizer: Option<Sourced<String>>,
    api_key_required: Option<Sourced<bool>>,
    /// Authorizer name → its kind (`COGNITO_USER_POOLS`, `CUSTOM`, `JWT`).
    authorizers: HashMap<String, &'static str>,
    /// Auth lives in an OpenAPI definition sheepdog does not read: methods' auth is unknown.
    external_definition: Option<Span>,
    /// What SAM appends to the logical ID of an `Api` event's permission for this API.
    permission_suffix: String,
}

impl ApiAuth {
    pub fn new(globals_api: Option<Node>, globals_http_api: Option<Node>) -> Self {
        let mut auth = Self {
            apis: HashMap::new(),
            globals_api,
            globals_http_api,
        };
        let mut implicit_rest = defaults(auth.globals_api.as_ref(), false);
        "Prod".clone_into(&mut implicit_rest.permission_suffix);
        let implicit_http = defaults(auth.globals_http_api.as_ref(), true);
        auth.apis.insert("ServerlessRestApi".into(), implicit_rest);
        auth.apis.insert("ServerlessHttpApi".into(), implicit_http);
        auth
    }

    /// The suffix SAM gives the permission of an `Api` event on REST API `api`.
    pub fn permission_suffix(&self, api: &str) -> &str {
        self.apis
            .get(api)
            .map_or("AllStages", |d| d.permission_suffix.as_str())
    }

    /// Record a declared `AWS::Serverless::Api`/`HttpApi` (properties resolved, Globals merged).
    pub fn add(&mut self, id: &str, props: Option<&Node>, http: bool) {
        self.apis.insert(id.to_owned(), defaults(props, http));
    }

    /// Where API `api` takes its definition from an OpenAPI document sheepdog does not read
    /// (`DefinitionBody`/`DefinitionUri`), if it does.
    pub fn external_definition(&self, api: &str) -> Option<&Span> {
        self.apis.get(api)?.external_definition.as_ref()
    }

    pub fn rest_method_auth(&self, api: &str, event: Option<&Node>, span: &Span) -> MethodAuth {
        let d = self.apis.get(api);
        if let Some(ext) = d.and_then(|d| d.external_definition.as_ref()) {
            let u = Located::new(
                Value::Unknown(Unknown::new("DefinitionBody", UnknownReason::Unsupported)),
                ext.clone(),
            );
            return (Some(u.clone()), None, None);
        }
        let authorizer = get_path(event, &["Auth", "Authorizer"])
            .map(string)
            .or_else(|| d.and_then(|d| d.default_authorizer.clone()));
        let api_key = get_path(event, &["Auth", "ApiKeyRequired"])
            .map(crate::cfn::props::boolean)
            .or_else(|| d.and_then(|d| d.api_key_required.clone()));
        let (ty, name) = classify(authorizer, d, false, span);
        (Some(ty), name, api_key)
    }

    pub fn http_route_auth(
        &self,
        api: &str,
        event: Option<&Node>,
        span: &Span,
    ) -> (Option<Sourced<String>>, Option<Sourced<String>>) {
        let d = self.apis.get(api);
        if let Some(ext) = d.and_then(|d| d.external_definition.as_ref()) {
            let u = Located::new(
                Value::Unknown(Unknown::new("DefinitionBody", UnknownReason::Unsupported)),
                ext.clone(),
            );
            return (Some(u), None);
        }
        let authorizer = get_path(event, &["Auth", "Authorizer"])
            .map(string)
            .or_else(|| d.and_then(|d| d.default_authorizer.clone()));
        let (ty, name) = classify(authorizer, d, true, span);
        (Some(ty), name)
    }

    pub fn ensure_implicit_rest_api(&self, model: &mut Model, function: &Resource, span: &Span) {
        if model
            .rest_apis
            .iter()
            .any(|a| a.resource.id == "ServerlessRestApi")
        {
            return;
        }
        let api = derived(
            "ServerlessRestApi".into(),
            "AWS::ApiGateway::RestApi",
            function,
            "Events (implicit API)".into(),
            span,
        );
        let g = self.globals_api.as_ref();
        push_rest(model, api, g, known("Prod", span));
    }

    pub fn ensure_implicit_http_api(&self, model: &mut Model, function: &Resource, span: &Span) {
        if model
            .http_apis
            .iter()
            .any(|a| a.resource.id == "ServerlessHttpApi")
        {
            return;
        }
        let api = derived(
            "ServerlessHttpApi".into(),
            "AWS::ApiGatewayV2::Api",
            function,
            "Events (implicit API)".into(),
            span,
        );
        let g = self.globals_http_api.as_ref();
        push_http(model, api, g, span);
    }
}

fn defaults(props: Option<&Node>, http: bool) -> ApiDefaults {
    let auth = props.and_then(|p| p.get("Auth"));
    let authorizers = auth
        .and_then(|a| a.get("Authorizers"))
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let kind = if http {
                if e.value.get("JwtConfiguration").is_some() {
                    "JWT"
                } else {
                    "CUSTOM"
                }
            } else if e.value.get("UserPoolArn").is_some() {
                "COGNITO_USER_POOLS"
            } else {
                "CUSTOM"
            };
            (e.key.clone(), kind)
        })
        .collect();
    let external_definition = props
        .and_then(|p| {
            p.entry("DefinitionBody")
                .or_else(|| p.entry("DefinitionUri"))
        })
        .map(|e| e.key_span.clone());
    ApiDefaults {
        default_authorizer: auth.and_then(|a| a.get("DefaultAuthorizer")).map(string),
        api_key_required: auth
            .and_then(|a| a.get("ApiKeyRequired"))
            .map(crate::cfn::props::boolean),
        authorizers,
        external_definition,
        permission_suffix: permission_suffix(props.and_then(|p| p.get("StageName"))),
    }
}

/// SAM names an `Api` event's permission `<Function><Event>Permission<Suffix>`: the API's
/// `StageName` when it is alphanumeric, `Stage` when it is an expression, `AllStages` when
/// absent. (Any other stage name gets a hash SAM computes; sheepdog leaves the suffix out.)
fn permission_suffix(stage: Option<&Node>) -> String {
    match stage {
        None => "AllStages".to_owned(),
        Some(n) => match n.as_scalar() {
            Some(s) if !s.is_empty() && s.chars().all(char::is_alphanumeric) => s,
            Some(_) => String::new(),
            None => "Stage".to_owned(),
        },
    }
}

/// The authorization type and authorizer a method or route ends up with.
fn classify(
    authorizer: Option<Sourced<String>>,
    d: Option<&ApiDefaults>,
    http: bool,
    span: &Span,
) -> (Sourced<String>, Option<Sourced<String>>) {
    let Some(a) = authorizer else {
        // SAM's default when no authorizer applies: the route is open.
        return (known("NONE", span), None);
    };
    match a.value.as_str() {
        Some("NONE") => (known("NONE", &a.span), None),
        Some("AWS_IAM") => (known("AWS_IAM", &a.span), None),
        Some(name) => {
            let kind = d
                .and_then(|d| d.authorizers.get(name).copied())
                .unwrap_or(if http { "JWT" } else { "CUSTOM" });
            (known(kind, &a.span), Some(a))
        }
        None => (a.clone(), Some(a)),
    }
}

/// A declared `AWS::Serverless::Api`.
pub fn rest_api(model: &mut Model, meta: Resource, props: Option<&Node>) {
    let span = meta.span.clone();
    // `StageName` is required by SAM; one given by a parameter without default stays unknown.
    let stage = props
        .and_then(|p| p.get("StageName"))
        .map_or_else(|| known("Prod", &span), string);
    push_rest(model, meta, props, stage);
}

fn push_rest(model: &mut Model, api: Resource, props: Option<&Node>, stage: Sourced<String>) {
    let stage_span = stage.span.clone();
    let endpoint_types = match props.and_then(|p| p.get("EndpointConfiguration")) {
        Some(n) if matches!(n.kind, Kind::Map(_)) => {
            n.get("Type").map(|t| vec![string(t)]).unwrap_or_default()
        }
        Some(n) => vec![string(n)],
        None => Vec::new(),
    };
    let stage_res = derived(
        format!(
            "{}{}Stage",
            api.id,
            stage.value.as_str().unwrap_or_default()
        ),
        "AWS::ApiGateway::Stage",
        &api,
        "StageName".into(),
        &stage_span,
    );
    if let Some(entry) = props.and_then(|p| p.entry("Domain")) {
        let domain = &entry.value;
        model.api_domains.push(ApiDomain {
            resource: derived(
                format!("{}DomainName", api.id),
                "AWS::ApiGateway::DomainName",
                &api,
                "Domain".into(),
                &entry.key_span,
            ),
            name: opt_string(Some(domain), "DomainName"),
            security_policy: opt_string(Some(domain), "SecurityPolicy"),
            v2: false,
        });
    }
    usage_plan(model, &api, props, stage.clone());
    model.rest_stages.push(RestStage {
        resource: stage_res,
        api: reference(&api.id, None, &stage_span),
        name: Some(stage),
        deployment: None,
        access_log_destination: get_path_or_unknown(props, &["AccessLogSetting", "DestinationArn"])
            .map(string),
        access_log_format: get_path(props, &["AccessLogSetting", "Format"]).map(string),
        tracing_enabled: opt_bool(props, "TracingEnabled"),
        cache_cluster_enabled: opt_bool(props, "CacheClusterEnabled"),
        method_settings: method_settings(props.and_then(|p| p.get("MethodSettings"))),
        variables: string_map(props.and_then(|p| p.get("Variables"))),
        client_certificate: None,
    });
    model.rest_apis.push(RestApi {
        resource: api,
        name: opt_string(props, "Name"),
        endpoint_types,
        policy: super::resource_policy::resource_policy(props),
        disable_execute_api_endpoint: opt_bool(props, "DisableExecuteApiEndpoint"),
    });
}

/// The usage plan SAM creates for `Auth.UsagePlan` with `CreateUsagePlan: PER_API`
/// (`<Api>UsagePlan`) or `SHARED` (one `ServerlessUsagePlan` for every such API).
fn usage_plan(model: &mut Model, api: &Resource, props: Option<&Node>, stage: Sourced<String>) {
    let Some(config) = get_path(props, &["Auth", "UsagePlan"]) else {
        return;
    };
    let id = match config.get("CreateUsagePlan").and_then(Node::as_str) {
        Some("PER_API") => format!("{}UsagePlan", api.id),
        Some("SHARED") => "ServerlessUsagePlan".to_owned(),
        _ => return,
    };
    let entry = UsagePlanStage {
        api: reference(&api.id, None, &stage.span),
        stage: Some(stage),
    };
    let burst = get_path(Some(config), &["Throttle", "BurstLimit"]).map(crate::cfn::props::integer);
    let rate = get_path(Some(config), &["Throttle", "RateLimit"]).map(crate::cfn::props::float);
    if let Some(shared) = model.usage_plans.iter_mut().find(|p| p.resource.id == id) {
        shared.stages.push(entry);
        shared.throttle_burst_limit = shared.throttle_burst_limit.take().or(burst);
        shared.throttle_rate_limit = shared.throttle_rate_limit.take().or(rate);
        return;
    }
    model.usage_plans.push(UsagePlan {
        resource: derived(
            id,
            "AWS::ApiGateway::UsagePlan",
            api,
            "Auth.UsagePlan".into(),
            &config.span,
        ),
        stages: vec![entry],
        throttle_burst_limit: burst,
        throttle_rate_limit: rate,
    });
}

/// A declared `AWS::Serverless::HttpApi`.
pub fn http_api(model: &mut Model, meta: Resource, props: Option<&Node>) {
    let span = meta.span.clone();
    push_http(model, meta, props, &span);
}

fn push_http(model: &mut Model, api: Resource, props: Option<&Node>, span: &Span) {
    let stage_entry = props.and_then(|p| p.entry("StageName"));
    let stage_span = stage_entry.map_or_else(|| span.clone(), |e| e.value.span.clone());
    let stage_name = stage_entry.map_or_else(|| known("$default", span), |e| string(&e.value));
    // SAM's stage logical ID: `<Api><StageName>Stage` for an alphanumeric name,
    // `<Api>ApiGatewayDefaultStage` for `$default`; any other name gets a hash SAM computes
    // (sheepdog writes `<Api>Stage`).
    let stage_id = match stage_name.value.as_str() {
        Some("$default") => format!("{}ApiGatewayDefaultStage", api.id),
        Some(s) if !s.is_empty() && s.chars().all(char::is_alphanumeric) => {
            format!("{}{s}Stage", api.id)
        }
        _ => format!("{}Stage", api.id),
    };
    if let Some(entry) = props.and_then(|p| p.entry("Domain")) {
        let domain = &entry.value;
        model.api_domains.push(ApiDomain {
            resource: derived(
                format!("{}DomainName", api.id),
                "AWS::ApiGatewayV2::DomainName",
                &api,
                "Domain".into(),
                &entry.key_span,
            ),
            name: opt_string(Some(domain), "DomainName"),
            security_policy: opt_string(Some(domain), "SecurityPolicy"),
            v2: true,
        });
    }
    model.http_stages.push(HttpStage {
        resource: derived(
            stage_id,
            "AWS::ApiGatewayV2::Stage",
            &api,
            "StageName".into(),
            &stage_span,
        ),
        api: reference(&api.id, None, &stage_span),
        name: Some(stage_name),
        access_log_destination: get_path_or_unknown(
            props,
            &["AccessLogSettings", "DestinationArn"],
        )
        .map(string),
        access_log_format: get_path(props, &["AccessLogSettings", "Format"]).map(string),
        default_route_settings: props
            .and_then(|p| p.get("DefaultRouteSettings"))
            .map(route_settings),
        route_settings: route_settings_map(props.and_then(|p| p.get("RouteSettings"))),
        variables: string_map(props.and_then(|p| p.get("StageVariables"))),
    });
    model.http_apis.push(HttpApi {
        resource: api,
        name: opt_string(props, "Name"),
        protocol_type: Some(known("HTTP", span)),
        disable_execute_api_endpoint: opt_bool(props, "DisableExecuteApiEndpoint"),
    });
}
