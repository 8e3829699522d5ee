use sheepdog_model::{
    HttpStage, MethodSetting, Model, Resource, RouteSettings, Sourced, Span, Value,
};

use super::stages::{self, Protocol};
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An API stage that logs full request and response data (`DataTraceEnabled: true`), or
    /// whose execution logging is off. Each `DataTraceEnabled: true` is reported where it is
    /// written: in a REST stage's `MethodSettings` (SAM: `MethodSettings` of an
    /// `AWS::Serverless::Api` or `Globals: Api:`; for the stage an `AWS::ApiGateway::Deployment`
    /// creates with `StageName`, its `StageDescription`), or in the `DefaultRouteSettings` or
    /// `RouteSettings` of a WebSocket API stage. Execution logging is off when no method
    /// setting of a REST stage (no route setting of a WebSocket stage) sets `LoggingLevel`
    /// to `ERROR` or `INFO`.
    ///
    /// To stay quiet where peers are noisy, execution logging counts as on as soon as one
    /// method setting enables it (a stage-wide `/*/*` entry with `ERROR` and a health check
    /// turned `OFF` is a deliberate choice), logging off is reported once per stage, and a
    /// `LoggingLevel` or a `MethodSettings` list sheepdog cannot resolve is taken as enabling
    /// it. HTTP API stages are not checked for execution logging, which API Gateway only
    /// offers for REST and WebSocket APIs (`LoggingLevel` and `DataTraceEnabled` in an HTTP
    /// API's route settings have no effect); a stage whose API is outside the template is
    /// checked for `DataTraceEnabled: true` only.
    ///
    /// One rule covers both because they are the two ways to get execution logging wrong;
    /// its severity is set by the serious one, data trace.
    ///
    /// ## Why it matters
    /// Practice 4 (monitoring and logging), and practice 3: data trace copies every request
    /// and response — `Authorization` headers, API keys, session tokens, passwords posted to
    /// a login route, personal data — into CloudWatch Logs, in clear text, for anyone who can
    /// read the log group, for as long as it is kept. AWS recommends against it in
    /// production. Without execution logs at all, authorizer failures, integration errors
    /// and throttling decisions of API Gateway leave no trace.
    ///
    /// ## How to fix
    /// Remove `DataTraceEnabled: true` (or set it to `false`); rely on access logs (LOG005)
    /// for who called what. For execution logs, add a stage-wide method setting
    /// (`ResourcePath: /*`, `HttpMethod: "*"`) with `LoggingLevel: ERROR` — `INFO` when you
    /// need more. SAM: the same `MethodSettings` on the `AWS::Serverless::Api` or under
    /// `Globals: Api:`. WebSocket APIs: `DefaultRouteSettings.LoggingLevel` on the stage.
    /// Execution logs need the account's API Gateway CloudWatch role (`AWS::ApiGateway::Account`).
    /// Terraform: an `aws_api_gateway_method_settings` for the stage with `method_path =
    /// "*/*"` and `settings { logging_level = "ERROR" }`; WebSocket APIs:
    /// `default_route_settings { logging_level = "ERROR" }` on the `aws_apigatewayv2_stage`.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///       MethodSettings:
    ///         - ResourcePath: /*
    ///           HttpMethod: "*"
    ///           LoggingLevel: INFO
    ///           DataTraceEnabled: true
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///       MethodSettings:
    ///         - ResourcePath: /*
    ///           HttpMethod: "*"
    ///           LoggingLevel: ERROR
    /// ```
    pub struct ApiExecutionLogging {
        id: "LOG008",
        name: "api-execution-logging-off-or-data-trace",
        severity: Medium,
        practices: [4, 3],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const DATA_TRACE_HELP: &str = "remove `DataTraceEnabled: true`; keep access logs, and `LoggingLevel: ERROR` for execution logs";

impl Rule for ApiExecutionLogging {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for stage in &model.rest_stages {
            let rest = RestSettings {
                resource: &stage.resource,
                method_settings: &stage.method_settings,
                logging_level: None,
                data_trace_enabled: None,
            };
            check_rest(cx, &stages::rest_stage(model, stage), &rest);
        }
        // The stage a deployment creates with `StageName`, configured by `StageDescription`.
        for d in model
            .rest_deployments
            .iter()
            .filter(|d| d.stage_name.is_some())
        {
            let rest = RestSettings {
                resource: &d.resource,
                method_settings: &d.stage_method_settings,
                logging_level: d.stage_logging_level.as_ref(),
                data_trace_enabled: d.stage_data_trace_enabled.as_ref(),
            };
            check_rest(cx, &stages::deployment_stage(d), &rest);
        }
        for stage in &model.http_stages {
            let who = stages::http_stage(model, stage);
            match stages::protocol(model, stage) {
                // HTTP APIs have no execution logging: their route settings do nothing.
                Protocol::Http => {}
                Protocol::WebSocket => check_websocket(cx, &who, stage, true),
                // An API outside the template, or a protocol sheepdog cannot resolve: data
                // trace is reported (it only exists for WebSocket APIs), logging is not.
                Protocol::Unknown => check_websocket(cx, &who, stage, false),
            }
        }
    }
}

/// The execution-logging settings of a REST stage: its `MethodSettings`, and for the stage
/// of a deployment, the `StageDescription` settings that apply to every method.
struct RestSettings<'a> {
    resource: &'a Resource,
    method_settings: &'a [MethodSetting],
    logging_level: Option<&'a Sourced<String>>,
    data_trace_enabled: Option<&'a Sourced<bool>>,
}

fn check_rest(cx: &mut Context<'_>, who: &str, stage: &RestSettings<'_>) {
    if let Some(dt) = data_trace_on(stage.data_trace_enabled) {
        cx.report(
            stage.resource,
            dt,
            "data-trace StageDescription",
            format!("{who} logs full request and response data (`DataTraceEnabled: true` for every method)"),
            DATA_TRACE_HELP,
        );
    }
    for (i, ms) in stage.method_settings.iter().enumerate() {
        let Some(dt) = data_trace_on(ms.data_trace_enabled.as_ref()) else {
            continue;
        };
        cx.report(
            stage.resource,
            dt,
            format!(
                "data-trace {}",
                method_scope(ms).unwrap_or_else(|| i.to_string())
            ),
            format!(
                "{who} logs full request and response data (`DataTraceEnabled: true`{})",
                scope_text(ms).map_or_else(String::new, |s| format!(" for {s}"))
            ),
            DATA_TRACE_HELP,
        );
    }
    let levels = stage
        .method_settings
        .iter()
        .map(|m| m.logging_level.as_ref())
        .chain(std::iter::once(stage.logging_level));
    if logging_may_be_on(levels) {
        return;
    }
    // The stage-wide explicit `OFF`, when there is one; else the stage itself.
    let explicit_off = stage
        .logging_level
        .into_iter()
        .chain(
            stage
                .method_settings
                .iter()
                .filter(|m| method_scope(m).as_deref() == Some("/*/*"))
                .filter_map(|m| m.logging_level.as_ref()),
        )
        .find(|l| l.value.is("OFF"));
    let (span, why) = match explicit_off {
        Some(l) => (&l.span, "`LoggingLevel: OFF`"),
        None => (
            &stage.resource.span,
            "no method setting sets `LoggingLevel` to `ERROR` or `INFO`",
        ),
    };
    cx.report(
        stage.resource,
        span,
        "logging",
        format!("{who} has execution logging off ({why})"),
        "set `LoggingLevel: ERROR` in `MethodSettings` for every method (`ResourcePath: /*, HttpMethod: \"*\"`)",
    );
}

fn check_websocket(cx: &mut Context<'_>, who: &str, stage: &HttpStage, websocket: bool) {
    // `None` is `DefaultRouteSettings`, `Some(key)` an entry of `RouteSettings`.
    let settings: Vec<(Option<&str>, &RouteSettings)> = stage
        .default_route_settings
        .iter()
        .map(|s| (None, s))
        .chain(
            stage
                .route_settings
                .iter()
                .map(|(k, s)| (Some(k.value.as_str()), s)),
        )
        .collect();
    for (route, s) in &settings {
        let Some(dt) = data_trace_on(s.data_trace_enabled.as_ref()) else {
            continue;
        };
        let scope = route.map_or_else(
            || "`DefaultRouteSettings`".to_owned(),
            |r| format!("the settings of route `{r}`"),
        );
        cx.report(
            &stage.resource,
            dt,
            format!("data-trace {}", route.unwrap_or("DefaultRouteSettings")),
            format!("{who} logs full message data (`DataTraceEnabled: true` in {scope})"),
            DATA_TRACE_HELP,
        );
    }
    if !websocket || logging_may_be_on(settings.iter().map(|(_, s)| s.logging_level.as_ref())) {
        return;
    }
    let explicit_off = stage
        .default_route_settings
        .as_ref()
        .and_then(|s| s.logging_level.as_ref())
        .filter(|l| l.value.is("OFF"));
    let (span, why) = match explicit_off {
        Some(l) => (&l.span, "`LoggingLevel: OFF`"),
        None => (
            &stage.resource.span,
            "no route setting sets `LoggingLevel` to `ERROR` or `INFO`",
        ),
    };
    cx.report(
        &stage.resource,
        span,
        "logging",
        format!("{who} has execution logging off ({why})"),
        "set `DefaultRouteSettings.LoggingLevel` to `ERROR` (or `INFO`)",
    );
}

/// The `DataTraceEnabled` node when it is known to be `true`.
fn data_trace_on(v: Option<&Sourced<bool>>) -> Option<&Span> {
    v.filter(|d| d.value == Value::Known(true)).map(|d| &d.span)
}

/// Whether any of these logging levels is, or may be, `ERROR` or `INFO`.
fn logging_may_be_on<'a>(levels: impl Iterator<Item = Option<&'a Sourced<String>>>) -> bool {
    levels.flatten().any(|l| match &l.value {
        Value::Known(v) => v.eq_ignore_ascii_case("ERROR") || v.eq_ignore_ascii_case("INFO"),
        Value::Unknown(_) => true,
    })
}

/// The methods a method setting applies to, in words: `every method`, `` `POST /login` ``.
fn scope_text(ms: &MethodSetting) -> Option<String> {
    let path = ms.resource_path.as_ref()?.value.as_str()?;
    let method = ms.http_method.as_ref()?.value.as_str()?;
    Some(match (path, method) {
        ("/*", "*") => "every method".to_owned(),
        (path, "*") => format!("every method of `{path}`"),
        (path, method) => format!("`{method} {path}`"),
    })
}

/// `/path/METHOD`, the way API Gateway names a method setting, when both are known.
fn method_scope(ms: &MethodSetting) -> Option<String> {
    let path = ms.resource_path.as_ref()?.value.as_str()?;
    let method = ms.http_method.as_ref()?.value.as_str()?;
    Some(format!("{}/{method}", path.trim_end_matches('/')))
}
