use sheepdog_diagnostics::Sourced;
use sheepdog_model::{Model, Origin, RestMethod};

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A REST API method (`AWS::ApiGateway::Method`, SAM `Api` events) that hands its
    /// integration input API Gateway was never asked to check. Two cases:
    ///
    /// - a method that takes a body (`POST`, `PUT`, `PATCH`, `ANY`) whose body is not
    ///   validated: no request model, a model that no validator enforces (a
    ///   `RequestValidatorId` with `ValidateRequestBody: true`; SAM `RequestModel` without
    ///   `ValidateBody: true`), or a validator with no model to check against;
    /// - a method that declares a required query-string or header parameter
    ///   (`RequestParameters`, SAM `RequestParameters` with `Required: true`) that no
    ///   validator enforces (`ValidateRequestParameters: true`; SAM
    ///   `RequestModel.ValidateParameters: true`).
    ///
    /// Not reported: methods without an integration URI (`MOCK`), path parameters (routing
    /// already guarantees them), and anything sheepdog cannot see — a validator given by a
    /// parameter or defined outside the template, flags it cannot resolve, or a SAM API
    /// whose `DefinitionBody`/`DefinitionUri` may set a default validator.
    ///
    /// ## Why it matters
    /// Practice 8 (input validation): a validator rejects malformed requests at the edge —
    /// wrong types, missing fields, oversized or unexpected properties, absent required
    /// parameters — before they reach the function, so handler code written for the happy
    /// path never sees them and invalid calls cost no invocation. It is defence in depth,
    /// not a replacement for validating in the handler, which is why this rule is low
    /// severity.
    ///
    /// ## How to fix
    /// CloudFormation: declare an `AWS::ApiGateway::Model` with a JSON schema, reference it
    /// in the method's `RequestModels`, and point `RequestValidatorId` at an
    /// `AWS::ApiGateway::RequestValidator` with `ValidateRequestBody: true` (and
    /// `ValidateRequestParameters: true` for required parameters). SAM: define `Models` on
    /// the `AWS::Serverless::Api` and give the event a `RequestModel` with `Model`,
    /// `ValidateBody: true` (and `ValidateParameters: true`).
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
    ///       Models:
    ///         Order:
    ///           type: object
    ///           required: [item]
    ///           properties:
    ///             item: {type: string}
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Events:
    ///         CreateOrder:
    ///           Type: Api
    ///           Properties:
    ///             RestApiId: !Ref Api
    ///             Path: /orders
    ///             Method: post
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Api:
    ///     Type: AWS::Serverless::Api
    ///     Properties:
    ///       StageName: prod
    ///       Models:
    ///         Order:
    ///           type: object
    ///           required: [item]
    ///           properties:
    ///             item: {type: string}
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Events:
    ///         CreateOrder:
    ///           Type: Api
    ///           Properties:
    ///             RestApiId: !Ref Api
    ///             Path: /orders
    ///             Method: post
    ///             RequestModel:
    ///               Model: Order
    ///               Required: true
    ///               ValidateBody: true
    /// ```
    pub struct ApiWithoutRequestValidation {
        id: "INJ009",
        name: "api-without-request-validation",
        severity: Low,
        practices: [8],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP_BODY: &str = "add a request model and a validator with `ValidateRequestBody: true` (SAM: `RequestModel` with `ValidateBody: true`)";
const HELP_PARAMETERS: &str = "use a validator with `ValidateRequestParameters: true` (SAM: `RequestModel.ValidateParameters: true`)";

/// What the method's validator checks: `None` when sheepdog cannot tell.
struct Validation {
    body: Option<bool>,
    parameters: Option<bool>,
}

fn validation(model: &Model, m: &RestMethod) -> Validation {
    if m.request_validator.is_none() {
        return Validation {
            body: Some(false),
            parameters: Some(false),
        };
    }
    let Some(v) = model.request_validator_of(m) else {
        // A validator outside the template, by parameter, or in an OpenAPI definition.
        return Validation {
            body: None,
            parameters: None,
        };
    };
    // Not written means `false`; unknown stays unknown.
    let flag =
        |f: &Option<Sourced<bool>>| f.as_ref().map_or(Some(false), |f| f.value.known().copied());
    Validation {
        body: flag(&v.validate_body),
        parameters: flag(&v.validate_parameters),
    }
}

fn takes_body(verb: &str) -> bool {
    ["POST", "PUT", "PATCH", "ANY"]
        .iter()
        .any(|v| v.eq_ignore_ascii_case(verb))
}

impl Rule for ApiWithoutRequestValidation {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for m in &model.rest_methods {
            let Some(verb) = m.http_method.value.as_str() else {
                continue;
            };
            // Nothing behind the method (a `MOCK` integration) receives the input.
            if m.integration_function.is_none() {
                continue;
            }
            let what = match m.path.as_ref().and_then(|p| p.value.as_str()) {
                Some(path) => format!("{} {path}", verb.to_ascii_uppercase()),
                None => verb.to_ascii_uppercase(),
            };
            let who = match &m.resource.origin {
                Origin::Derived { from, via } => format!("Method `{what}` (`{via}` of `{from}`)"),
                Origin::Declared => format!("Method `{}` (`{what}`)", m.resource.id),
            };
            let v = validation(model, m);

            if takes_body(verb)
                && let Some(body_validated) = v.body
            {
                match (m.request_models.first(), body_validated) {
                    (None, false) => {
                        cx.report(
                            &m.resource,
                            &m.resource.span,
                            "body",
                            format!("{who} passes request bodies to its integration unvalidated (no request model or validator)"),
                            HELP_BODY,
                        );
                    }
                    (Some((_, first)), false) => {
                        let name = first
                            .value
                            .resource_ref()
                            .or_else(|| first.value.as_str())
                            .map_or_else(
                                || "a request model".to_owned(),
                                |n| format!("request model `{n}`"),
                            );
                        cx.report(
                            &m.resource,
                            &first.span,
                            "body",
                            format!("{who} declares {name}, but no request validator checks the body against it"),
                            HELP_BODY,
                        );
                    }
                    (None, true) => {
                        let at = m
                            .request_validator
                            .as_ref()
                            .map_or(&m.resource.span, |r| &r.span);
                        cx.report(
                            &m.resource,
                            at,
                            "body",
                            format!("{who} validates the body without a request model, so any body passes"),
                            HELP_BODY,
                        );
                    }
                    (Some(_), true) => {}
                }
            }

            // Required query-string and header parameters; an unresolvable list might
            // declare anything, so it stays quiet.
            if m.request_parameters
                .iter()
                .any(|p| p.required.as_ref().is_some_and(|r| r.value.is_unknown()))
            {
                continue;
            }
            let Some(required) = m.request_parameters.iter().find(|p| {
                !p.name.value.starts_with("method.request.path.")
                    && p.required
                        .as_ref()
                        .is_some_and(|r| r.value.known() == Some(&true))
            }) else {
                continue;
            };
            if v.parameters == Some(false) {
                cx.report(
                    &m.resource,
                    &required.name.span,
                    "parameters",
                    format!(
                        "{who} requires `{}`, but no request validator checks parameters",
                        required.name.value
                    ),
                    HELP_PARAMETERS,
                );
            }
        }
    }
}
