//! How the API rules of this family name a stage in their messages.

use sheepdog_model::{
    HttpStage, Model, Origin, Resource, RestDeployment, RestStage, Sourced, Value,
};

/// What an HTTP API stage's API is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Protocol {
    Http,
    WebSocket,
    /// The API is outside the template, or its protocol cannot be resolved.
    Unknown,
}

/// The protocol of the API an `AWS::ApiGatewayV2::Stage` belongs to.
pub(super) fn protocol(model: &Model, stage: &HttpStage) -> Protocol {
    let api = stage
        .api
        .value
        .resource_ref()
        .and_then(|id| model.http_apis.iter().find(|a| a.resource.id == id));
    match api.and_then(|a| a.protocol_type.as_ref()).map(|p| &p.value) {
        Some(Value::Known(p)) if p.eq_ignore_ascii_case("WEBSOCKET") => Protocol::WebSocket,
        Some(Value::Known(_)) => Protocol::Http,
        _ => Protocol::Unknown,
    }
}

/// How a REST stage is named: by its logical ID, or for a stage SAM creates, by its stage
/// name and its API (the function, for the implicit API of `Api` events).
pub(super) fn rest_stage(model: &Model, stage: &RestStage) -> String {
    format!(
        "REST API stage {}",
        label(model, &stage.resource, stage.name.as_ref())
    )
}

/// How the stage an `AWS::ApiGateway::Deployment` creates with `StageName` is named: by its
/// name and the deployment's logical ID.
pub(super) fn deployment_stage(d: &RestDeployment) -> String {
    match d.stage_name.as_ref().and_then(|n| n.value.as_str()) {
        Some(name) => format!("REST API stage `{name}` of deployment `{}`", d.resource.id),
        None => format!("The REST API stage of deployment `{}`", d.resource.id),
    }
}

/// How an HTTP or WebSocket stage is named, like [`rest_stage`].
pub(super) fn http_stage(model: &Model, stage: &HttpStage) -> String {
    let kind = match protocol(model, stage) {
        Protocol::Http => "HTTP API stage",
        Protocol::WebSocket => "WebSocket API stage",
        Protocol::Unknown => "API stage",
    };
    format!(
        "{kind} {}",
        label(model, &stage.resource, stage.name.as_ref())
    )
}

fn label(model: &Model, stage: &Resource, name: Option<&Sourced<String>>) -> String {
    let Origin::Derived { from: api, .. } = &stage.origin else {
        return format!("`{}`", stage.id);
    };
    let name = name
        .and_then(|n| n.value.as_str())
        .map_or_else(|| format!("`{}`", stage.id), |n| format!("`{n}`"));
    let api_origin = model
        .rest_apis
        .iter()
        .map(|a| &a.resource)
        .chain(model.http_apis.iter().map(|a| &a.resource))
        .find(|r| &r.id == api)
        .map(|r| &r.origin);
    match api_origin {
        Some(Origin::Derived { from: function, .. }) => {
            format!("{name} of the implicit API SAM creates for `{function}`")
        }
        _ => format!("{name} of `{api}`"),
    }
}
