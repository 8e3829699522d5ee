//! SAM function `Events`: the permissions, event source mappings, API methods and routes
//! SAM creates for each, with the `SourceArn`/`SourceAccount` SAM really sets.

use sheepdog_diagnostics::{Located, Sourced, Span, Unknown, UnknownReason, Value};
use sheepdog_model::{
    EventSourceMapping, HttpRoute, Model, Permission, RequestParameter, RequestValidator, Resource,
    RestMethod,
};

use super::{ApiAuth, derived, known, reference};
use crate::cfn::props::{get_path, opt_bool, string};
use crate::node::Node;

pub struct EventContext<'m> {
    pub model: &'m mut Model,
    pub function: &'m Resource,
    pub auth: &'m ApiAuth,
    /// The logical ID of the alias SAM creates for `AutoPublishAlias`: SAM then connects
    /// every event source to the alias, not to the function.
    pub alias: Option<String>,
}

impl EventContext<'_> {
    /// What an event's resources invoke: the function's alias when it has one, else the
    /// function (as SAM writes it).
    fn invoked(&self, span: &Span) -> Sourced<String> {
        let id = self.alias.as_deref().unwrap_or(&self.function.id);
        reference(id, None, span)
    }
}

/// The managed policy SAM attaches to the implicit role for a polling event source.
pub fn managed_policy_for(event: &Node) -> Option<&'static str> {
    match event.get("Type").and_then(Node::as_str)? {
        "SQS" => Some("AWSLambdaSQSQueueExecutionRole"),
        "Kinesis" => Some("AWSLambdaKinesisExecutionRole"),
        "DynamoDB" => Some("AWSLambdaDynamoDBExecutionRole"),
        "MSK" => Some("AWSLambdaMSKExecutionRole"),
        _ => None,
    }
}

/// Map one (resolved) entry of `Events`.
pub fn event(cx: &mut EventContext<'_>, name: &str, key_span: &Span, resolved: &Node) {
    let kind = resolved
        .get("Type")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_owned();
    let props = resolved.get("Properties");
    let via = format!("Events.{name}");
    let fid = cx.function.id.clone();
    match kind.as_str() {
        "Api" => {
            let (api, api_key, implicit) =
                event_api(props, "RestApiId", "ServerlessRestApi", key_span);
            if implicit {
                cx.auth
                    .ensure_implicit_rest_api(cx.model, cx.function, key_span);
            }
            let method = props
                .and_then(|p| p.get("Method"))
                .map_or_else(|| known("ANY", key_span), string);
            let path = props.and_then(|p| p.get("Path")).map(string);
            let (authorization_type, authorizer, api_key_required) =
                cx.auth.rest_method_auth(&api_key, props, key_span);
            let request_validator = request_validator(cx, &api, &api_key, name, props);
            cx.model.rest_methods.push(RestMethod {
                resource: derived(
                    format!("{fid}{name}Method"),
                    "AWS::ApiGateway::Method",
                    cx.function,
                    via.clone(),
                    key_span,
                ),
                api: api.clone(),
                path: path.clone(),
                http_method: method.clone(),
                authorization_type,
                authorizer,
                api_key_required,
                request_validator,
                request_models: get_path(props, &["RequestModel", "Model"])
                    .map(|m| {
                        let model = string(m);
                        (
                            Located::new("application/json".to_owned(), model.span.clone()),
                            model,
                        )
                    })
                    .into_iter()
                    .collect(),
                request_parameters: request_parameters(
                    props.and_then(|p| p.get("RequestParameters")),
                ),
                integration_function: Some(cx.invoked(key_span)),
            });
            let arn = execute_api_arn(
                &api_key,
                method.value.as_str(),
                path.as_ref().and_then(|p| p.value.as_str()),
                key_span,
            );
            push_permission(
                cx,
                name,
                key_span,
                &via,
                "apigateway.amazonaws.com",
                Some(arn),
                None,
            );
            // SAM names it after the stage it was made for: `...PermissionProd` for the
            // implicit API, the explicit API's `StageName` otherwise.
            let suffix = match (implicit, api.value.resource_ref()) {
                (true, _) => "Prod",
                (false, Some(id)) => cx.auth.permission_suffix(id),
                (false, None) => "AllStages",
            };
            if let Some(p) = cx.model.permissions.last_mut() {
                p.resource.id.push_str(suffix);
            }
        }
        "HttpApi" => {
            let (api, api_key, implicit) = event_api(props, "ApiId", "ServerlessHttpApi", key_span);
            if implicit {
                cx.auth
                    .ensure_implicit_http_api(cx.model, cx.function, key_span);
            }
            let method = props
                .and_then(|p| p.get("Method"))
                .and_then(Node::as_scalar);
            let path = props.and_then(|p| p.get("Path")).and_then(Node::as_scalar);
            let route_key = match (&method, &path) {
                (Some(m), Some(p)) => format!("{} {p}", m.to_ascii_uppercase()),
                _ => "$default".to_owned(),
            };
            let (authorization_type, authorizer) =
                cx.auth.http_route_auth(&api_key, props, key_span);
            cx.model.http_routes.push(HttpRoute {
                resource: derived(
                    format!("{fid}{name}Route"),
                    "AWS::ApiGatewayV2::Route",
                    cx.function,
                    via.clone(),
                    key_span,
                ),
                api,
                route_key: known(route_key, key_span),
                authorization_type,
                authorizer,
                target_function: Some(cx.invoked(key_span)),
            });
            // The `$default` route's permission covers every path: `${Api}/*/*`.
            let arn_path = match path.as_deref() {
                None | Some("$default" | "/$default") => Some(""),
                p => p,
            };
            let arn = execute_api_arn(&api_key, method.as_deref(), arn_path, key_span);
            push_permission(
                cx,
                name,
                key_span,
                &via,
                "apigateway.amazonaws.com",
                Some(arn),
                None,
            );
        }
        "S3" => {
            // SAM sets SourceAccount (not SourceArn, which would be a circular dependency)
            // to `!Ref AWS::AccountId`: the same unknown that expression resolves to.
            let account = Located::new(
                Value::Unknown(Unknown::new(
                    "!Ref AWS::AccountId",
                    UnknownReason::Pseudo {
                        name: "AWS::AccountId".to_owned(),
                    },
                )),
                key_span.clone(),
            );
            push_permission(
                cx,
                name,
                key_span,
                &via,
                "s3.amazonaws.com",
                None,
                Some(account),
            );
        }
        "SNS" => {
            let topic = props.and_then(|p| p.get("Topic")).map(string);
            push_permission(cx, name, key_span, &via, "sns.amazonaws.com", topic, None);
        }
        "Schedule" | "EventBridgeRule" | "CloudWatchEvent" => {
            let rule = reference(&format!("{fid}{name}"), Some("Arn"), key_span);
            push_permission(
                cx,
                name,
                key_span,
                &via,
                "events.amazonaws.com",
                Some(rule),
                None,
            );
        }
        "CloudWatchLogs" => {
            let arn = props.and_then(|p| p.get("LogGroupName")).map(|g| {
                let group = string(g);
                let text = format!(
                    "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{}:*",
                    group.value.as_str().unwrap_or("${LogGroupName}")
                );
                let value = match &group.value {
                    Value::Known(_) => Value::Known(text),
                    Value::Unknown(u) => Value::Unknown(Unknown::new(text, u.reason.clone())),
                };
                Located::new(value, group.span)
            });
            push_permission(cx, name, key_span, &via, "logs.amazonaws.com", arn, None);
        }
        "SQS" | "Kinesis" | "DynamoDB" | "MSK" | "MQ" | "DocumentDB" => {
            let source = props
                .and_then(|p| {
                    p.get("Queue")
                        .or_else(|| p.get("Stream"))
                        .or_else(|| p.get("Broker"))
                        .or_else(|| p.get("Cluster"))
                })
                .map(string);
            cx.model.event_source_mappings.push(EventSourceMapping {
                resource: derived(
                    format!("{fid}{name}"),
                    "AWS::Lambda::EventSourceMapping",
                    cx.function,
                    via,
                    key_span,
                ),
                function: cx.invoked(key_span),
                event_source_arn: source,
                enabled: opt_bool(props, "Enabled"),
                on_failure_destination: get_path(
                    props,
                    &["DestinationConfig", "OnFailure", "Destination"],
                )
                .map(string),
            });
        }
        "Cognito" => {
            let pool = props.and_then(|p| p.get("UserPool")).map(string);
            push_permission(
                cx,
                name,
                key_span,
                &via,
                "cognito-idp.amazonaws.com",
                pool,
                None,
            );
        }
        "IoTRule" => {
            let rule = reference(&format!("{fid}{name}"), Some("Arn"), key_span);
            push_permission(
                cx,
                name,
                key_span,
                &via,
                "iot.amazonaws.com",
                Some(rule),
                // SAM writes `!Sub ${AWS::AccountId}`, which sheepdog keeps symbolic.
                Some(known("${AWS::AccountId}", key_span)),
            );
        }
        "AlexaSkill" => {
            // SAM passes `SkillId` as the permission's `EventSourceToken`.
            push_permission(
                cx,
                name,
                key_span,
                &via,
                "alexa-appkit.amazon.com",
                None,
                None,
            );
            if let Some(p) = cx.model.permissions.last_mut() {
                p.event_source_token = props.and_then(|p| p.get("SkillId")).map(string);
            }
        }
        // Other event types (ScheduleV2 with its own role, ...) create no resource-based
        // permission that rules look at yet.
        _ => {}
    }
}

/// The validator SAM creates for an `Api` event whose `RequestModel` sets `ValidateBody` or
/// `ValidateParameters` (each `false` when not written), as a derived resource the method
/// refers to. Without them, validation is only unknown when the API's OpenAPI definition
/// (which may name a default validator) is not read.
fn request_validator(
    cx: &mut EventContext<'_>,
    api: &Sourced<String>,
    api_id: &str,
    name: &str,
    props: Option<&Node>,
) -> Option<Sourced<String>> {
    let model = get_path(props, &["RequestModel"]);
    let body = get_path(model, &["ValidateBody"]).map(crate::cfn::props::boolean);
    let parameters = get_path(model, &["ValidateParameters"]).map(crate::cfn::props::boolean);
    if let (Some(model), true) = (model, body.is_some() || parameters.is_some()) {
        let id = format!("{}{name}RequestValidator", cx.function.id);
        cx.model.request_validators.push(RequestValidator {
            resource: derived(
                id.clone(),
                "AWS::ApiGateway::RequestValidator",
                cx.function,
                format!("Events.{name}.Properties.RequestModel"),
                &model.span,
            ),
            api: api.clone(),
            validate_body: body,
            validate_parameters: parameters,
        });
        return Some(reference(&id, None, &model.span));
    }
    cx.auth.external_definition(api_id).map(|span| {
        Located::new(
            Value::Unknown(Unknown::new("DefinitionBody", UnknownReason::Unsupported)),
            span.clone(),
        )
    })
}

/// SAM `RequestParameters`: a list of names, or of `{name: {Required, Caching}}` maps.
fn request_parameters(node: Option<&Node>) -> Vec<RequestParameter> {
    let Some(node) = node else {
        return Vec::new();
    };
    let Some(items) = node.as_seq() else {
        return vec![crate::cfn::resources::unresolved_parameter(node)];
    };
    items
        .iter()
        .map(|item| match (item.as_str(), item.as_map()) {
            (Some(name), _) => RequestParameter {
                name: Located::new(name.to_owned(), item.span.clone()),
                required: None,
            },
            (None, Some([entry])) => RequestParameter {
                name: Located::new(entry.key.clone(), entry.key_span.clone()),
                required: entry.value.get("Required").map(crate::cfn::props::boolean),
            },
            _ => crate::cfn::resources::unresolved_parameter(item),
        })
        .collect()
}

/// The API an `Api`/`HttpApi` event attaches to: the one its `id_key` property names, or
/// SAM's implicit API. Returns the reference, the API's logical ID, and whether it is the
/// implicit one (which SAM then creates).
fn event_api(
    props: Option<&Node>,
    id_key: &str,
    implicit: &str,
    span: &Span,
) -> (Sourced<String>, String, bool) {
    let named = props.and_then(|p| p.get(id_key)).map(string);
    let is_implicit = named.is_none();
    let api = named.unwrap_or_else(|| reference(implicit, None, span));
    let id = api.value.resource_ref().unwrap_or(implicit).to_owned();
    (api, id, is_implicit)
}

fn push_permission(
    cx: &mut EventContext<'_>,
    name: &str,
    span: &Span,
    via: &str,
    principal: &str,
    source_arn: Option<Sourced<String>>,
    source_account: Option<Sourced<String>>,
) {
    let fid = cx.function.id.clone();
    cx.model.permissions.push(Permission {
        resource: derived(
            format!("{fid}{name}Permission"),
            "AWS::Lambda::Permission",
            cx.function,
            via.to_owned(),
            span,
        ),
        function: cx.invoked(span),
        action: known("lambda:InvokeFunction", span),
        principal: known(principal, span),
        source_arn,
        source_account,
        principal_org_id: None,
        event_source_token: None,
        function_url_auth_type: None,
    });
}

/// `arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/METHOD/path`,
/// as SAM writes it (any stage). The API ID is a template resource, so the ARN is a
/// composite that names it.
fn execute_api_arn(
    api: &str,
    method: Option<&str>,
    path: Option<&str>,
    span: &Span,
) -> Sourced<String> {
    let method = match method {
        Some(m) if !m.eq_ignore_ascii_case("any") => m.to_ascii_uppercase(),
        _ => "*".to_owned(),
    };
    let path = sam_arn_path(path.unwrap_or("/*"));
    let text = format!(
        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*/{method}{path}"
    );
    Located::new(
        Value::Unknown(Unknown::new(
            text,
            UnknownReason::Composite {
                refs: vec![api.to_owned()],
            },
        )),
        span.clone(),
    )
}

/// The path as SAM writes it into the ARN: without a trailing slash, and with each path
/// parameter (`{id}`, `{proxy+}`) replaced by `*`.
fn sam_arn_path(path: &str) -> String {
    let path = match path.strip_suffix('/') {
        Some(p) if !p.is_empty() => p,
        _ => path,
    };
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after.find('}').map(|close| &after[..close]);
        let is_param = name.is_some_and(|n| {
            let n = n.strip_suffix('+').unwrap_or(n);
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        });
        match name {
            Some(n) if is_param => {
                out.push('*');
                rest = &after[n.len() + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
