use sheepdog_diagnostics::{Sourced, Span, Value};
use sheepdog_model::{Model, Origin, Resource};

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An API method or route that anyone can call: a REST API method
    /// (`AWS::ApiGateway::Method`, SAM `Api` events) with `AuthorizationType: NONE` (the
    /// default) and no `ApiKeyRequired: true`, and an HTTP API route
    /// (`AWS::ApiGatewayV2::Route`, SAM `HttpApi` events) without an `AuthorizationType` or
    /// with `NONE`. In SAM, an event is open when neither it nor its API's
    /// `Auth.DefaultAuthorizer` names an authorizer (or it says `Authorizer: NONE`).
    ///
    /// Not reported: `OPTIONS` methods and routes (CORS preflight requests carry no
    /// credentials, so they cannot be authorized); methods of a `PRIVATE` REST API (reachable
    /// only through VPC endpoints its resource policy admits, see PUB008); WebSocket routes
    /// other than `$connect` (the only route API Gateway can authorize); and anything whose
    /// authorization is unknown — a parameter without a default, or a SAM API whose
    /// `DefinitionBody`/`DefinitionUri` (which sheepdog does not read) decides it.
    ///
    /// ## Why it matters
    /// Practice 14 (review who can invoke your functions): an unauthenticated route runs the
    /// function behind it for anyone on the internet who finds the URL — with the function's
    /// permissions, as often as throttling allows, and on your bill. Some routes are public
    /// by design (a webhook, a public read API); those deserve a conscious suppression, the
    /// rest an authorizer.
    ///
    /// ## How to fix
    /// CloudFormation: set `AuthorizationType` to `AWS_IAM`, `COGNITO_USER_POOLS` or
    /// `CUSTOM` with an `AuthorizerId` (REST), or `AWS_IAM`/`JWT`/`CUSTOM` (HTTP API). SAM:
    /// declare the API (`AWS::Serverless::Api`/`HttpApi`) with `Auth.Authorizers` and
    /// `Auth.DefaultAuthorizer`, or set `Auth.Authorizer` on the event. An API key
    /// (`ApiKeyRequired: true`) is accepted for REST methods, but it identifies a client; it
    /// does not authenticate a user.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Events:
    ///         GetOrders:
    ///           Type: Api
    ///           Properties:
    ///             Path: /orders
    ///             Method: get
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///       Auth:
    ///         DefaultAuthorizer: AWS_IAM
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Events:
    ///         GetOrders:
    ///           Type: Api
    ///           Properties:
    ///             RestApiId: !Ref Api
    ///             Path: /orders
    ///             Method: get
    /// ```
    pub struct ApiRouteWithoutAuth {
        id: "PUB006",
        name: "api-route-without-auth",
        severity: Medium,
        practices: [14],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP_REST: &str = "add an authorizer (`AWS_IAM`, Cognito or Lambda), or require an API key";
const HELP_HTTP: &str = "add an authorizer (`AWS_IAM`, `JWT` or Lambda) to the route";

/// Where a method's or route's missing authorization shows, when it is known to be open:
/// the `NONE` value, or the resource itself when `AuthorizationType` is not written.
fn open_at<'a>(auth: Option<&'a Sourced<String>>, resource: &'a Resource) -> Option<&'a Span> {
    match auth {
        None => Some(&resource.span),
        Some(a) => match &a.value {
            Value::Known(t) if t.eq_ignore_ascii_case("NONE") => Some(&a.span),
            // Authorized, or unknown (a parameter, an OpenAPI definition): not known to be open.
            _ => None,
        },
    }
}

/// A method or route in messages: its logical ID and what it serves, or for one SAM
/// derived from an event, what it serves and the event.
fn named(resource: &Resource, what: &str) -> String {
    match &resource.origin {
        Origin::Derived { from, via } => format!("`{what}` (`{via}` of `{from}`)"),
        Origin::Declared => format!("`{}` (`{what}`)", resource.id),
    }
}

/// The logical ID (or literal ID) an API reference names, for messages.
fn api_name(api: &Value<String>) -> String {
    api.resource_ref().or_else(|| api.as_str()).map_or_else(
        || "an API outside the template".to_owned(),
        |a| format!("`{a}`"),
    )
}

impl Rule for ApiRouteWithoutAuth {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for m in &model.rest_methods {
            let Some(verb) = m.http_method.value.as_str() else {
                continue;
            };
            if verb.eq_ignore_ascii_case("OPTIONS") {
                continue;
            }
            let Some(span) = open_at(m.authorization_type.as_ref(), &m.resource) else {
                continue;
            };
            // `ApiKeyRequired: true` closes it; an unknown flag might.
            if m.api_key_required
                .as_ref()
                .is_some_and(|k| k.value.known() != Some(&false))
            {
                continue;
            }
            let api = m
                .api
                .value
                .resource_ref()
                .and_then(|id| model.rest_apis.iter().find(|a| a.resource.id == id));
            // Private (or possibly private) APIs are reachable only through VPC endpoints.
            if api.is_some_and(|a| {
                a.endpoint_types
                    .iter()
                    .any(|t| t.value.is("PRIVATE") || t.value.is_unknown())
            }) {
                continue;
            }
            let what = match m.path.as_ref().and_then(|p| p.value.as_str()) {
                Some(path) => format!("{} {path}", verb.to_ascii_uppercase()),
                None => verb.to_ascii_uppercase(),
            };
            cx.report(
                &m.resource,
                span,
                "",
                format!(
                    "Method {} of REST API {} accepts requests without authorization or an API key",
                    named(&m.resource, &what),
                    api_name(&m.api.value)
                ),
                HELP_REST,
            );
        }

        for r in &model.http_routes {
            let Some(key) = r.route_key.value.as_str() else {
                continue;
            };
            let key = key.trim();
            if key
                .split_whitespace()
                .next()
                .is_some_and(|verb| verb.eq_ignore_ascii_case("OPTIONS"))
            {
                continue;
            }
            let protocol = r
                .api
                .value
                .resource_ref()
                .and_then(|id| model.http_apis.iter().find(|a| a.resource.id == id))
                .and_then(|a| a.protocol_type.as_ref());
            let websocket = match protocol.map(|p| &p.value) {
                Some(Value::Known(p)) => p.eq_ignore_ascii_case("WEBSOCKET"),
                // An API sheepdog cannot see: an HTTP route key (`GET /x`) or `$connect`
                // tells; `$default` and action names could be either.
                Some(Value::Unknown(_)) | None => {
                    if key == "$connect" || key.contains(' ') {
                        key == "$connect"
                    } else {
                        continue;
                    }
                }
            };
            // Only `$connect` of a WebSocket API can have an authorizer.
            if websocket && key != "$connect" {
                continue;
            }
            let Some(span) = open_at(r.authorization_type.as_ref(), &r.resource) else {
                continue;
            };
            let kind = if websocket { "WebSocket" } else { "HTTP" };
            cx.report(
                &r.resource,
                span,
                "",
                format!(
                    "Route {} of {kind} API {} accepts requests without authorization",
                    named(&r.resource, key),
                    api_name(&r.api.value)
                ),
                HELP_HTTP,
            );
        }
    }
}
