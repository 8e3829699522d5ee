//! `AWS::Serverless::Function`: the function itself plus everything SAM derives from it.

use sheepdog_model::{Alias, EventInvokeConfig, FunctionUrl, Model, Permission, Resource, Version};

use super::events::{self, EventContext};
use super::{ApiAuth, derived, known, policies, reference};
use crate::cfn::props::{get_path, opt_int, opt_string, string};
use crate::cfn::resolve::Resolver;
use crate::cfn::resources::{self, Decl};
use crate::node::Node;

/// Map a SAM function. `raw` is its `Properties` with Globals merged in, before resolution
/// (policy templates and events are resolved piecewise).
pub fn function(
    model: &mut Model,
    meta: &Resource,
    raw: Option<&Node>,
    decl: &Node,
    resolver: &mut Resolver<'_>,
    auth: &ApiAuth,
) {
    // Resolved once; events and policies below read the resolved tree.
    let props = raw.and_then(|r| resolver.resolve(r));
    let props = props.as_ref();
    let mut f = resources::function(&Decl {
        meta: meta.clone(),
        props,
        node: decl,
    });
    if let Some(dlq) = props.and_then(|p| p.get("DeadLetterQueue")) {
        f.dead_letter_target = dlq.get("TargetArn").map(string);
    }

    let event_nodes: Vec<(&str, &sheepdog_diagnostics::Span, &Node)> = props
        .and_then(|r| r.get("Events"))
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| (e.key.as_str(), &e.key_span, &e.value))
        .collect();

    if f.role.is_none() {
        let mut extra: Vec<&str> = Vec::new();
        if f.tracing.as_ref().is_some_and(|t| t.value.is("Active")) {
            extra.push("AWSXrayWriteOnlyAccess");
        }
        if f.vpc.is_some() {
            extra.push("AWSLambdaVPCAccessExecutionRole");
        }
        for (_, _, event) in &event_nodes {
            if let Some(policy) = events::managed_policy_for(event)
                && !extra.contains(&policy)
            {
                extra.push(policy);
            }
        }
        let role = policies::implicit_role(
            meta,
            props,
            props.and_then(|r| r.get("Policies")),
            &extra,
            resolver,
        );
        f.role = Some(reference(
            &role.resource.id,
            Some("Arn"),
            &role.resource.span,
        ));
        model.roles.push(role);
    }

    let alias_name = props.and_then(|p| p.get("AutoPublishAlias")).map(string);
    if let Some(alias) = &alias_name {
        let span = alias.span.clone();
        model.versions.push(Version {
            resource: derived(
                format!("{}Version", meta.id),
                "AWS::Lambda::Version",
                meta,
                "AutoPublishAlias".into(),
                &span,
            ),
            function: reference(&meta.id, None, &span),
        });
        let alias_id = format!("{}Alias{}", meta.id, alias.value.as_str().unwrap_or(""));
        model.aliases.push(Alias {
            resource: derived(
                alias_id,
                "AWS::Lambda::Alias",
                meta,
                "AutoPublishAlias".into(),
                &span,
            ),
            function: reference(&meta.id, None, &span),
            name: alias.clone(),
            function_version: Some(reference(
                &format!("{}Version", meta.id),
                Some("Version"),
                &span,
            )),
            deployment_preference: get_path(props, &["DeploymentPreference", "Type"]).map(string),
            deployment_preference_enabled: get_path(props, &["DeploymentPreference", "Enabled"])
                .map(crate::cfn::props::boolean),
            code_deploy_group: None,
            routing_config: None,
        });
    }
    // SAM connects event sources, the public URL's permission and the event invoke config
    // to the alias when there is one.
    let alias_id = alias_name
        .as_ref()
        .map(|a| format!("{}Alias{}", meta.id, a.value.as_str().unwrap_or("")));

    if let Some(url) = props.and_then(|p| p.get("FunctionUrlConfig")) {
        let auth_type = url
            .get("AuthType")
            .map_or_else(|| known("AWS_IAM", &url.span), string);
        let span = auth_type.span.clone();
        model.function_urls.push(FunctionUrl {
            resource: derived(
                format!("{}Url", meta.id),
                "AWS::Lambda::Url",
                meta,
                "FunctionUrlConfig".into(),
                &span,
            ),
            function: reference(&meta.id, None, &span),
            qualifier: alias_name.clone(),
            auth_type: auth_type.clone(),
            invoke_mode: opt_string(Some(url), "InvokeMode"),
            cors: url.get("Cors").map(resources::cors),
        });
        if auth_type.value.is("NONE") {
            model.permissions.push(Permission {
                resource: derived(
                    format!("{}UrlPublicPermissions", meta.id),
                    "AWS::Lambda::Permission",
                    meta,
                    "FunctionUrlConfig".into(),
                    &span,
                ),
                function: reference(alias_id.as_deref().unwrap_or(&meta.id), None, &span),
                action: known("lambda:InvokeFunctionUrl", &span),
                principal: known("*", &span),
                source_arn: None,
                source_account: None,
                principal_org_id: None,
                event_source_token: None,
                function_url_auth_type: Some(known("NONE", &span)),
            });
        }
    }

    if let Some(cfg) = props.and_then(|p| p.get("EventInvokeConfig")) {
        let span = cfg.span.clone();
        model.event_invoke_configs.push(EventInvokeConfig {
            resource: derived(
                format!("{}EventInvokeConfig", meta.id),
                "AWS::Lambda::EventInvokeConfig",
                meta,
                "EventInvokeConfig".into(),
                &span,
            ),
            function: reference(&meta.id, None, &span),
            qualifier: alias_name.clone(),
            on_failure_destination: destination(
                meta,
                get_path(Some(cfg), &["DestinationConfig", "OnFailure"]),
                "OnFailure",
            ),
            on_success_destination: destination(
                meta,
                get_path(Some(cfg), &["DestinationConfig", "OnSuccess"]),
                "OnSuccess",
            ),
            maximum_retry_attempts: opt_int(Some(cfg), "MaximumRetryAttempts"),
        });
    }

    let mut cx = EventContext {
        model,
        function: meta,
        auth,
        alias: alias_id,
    };
    for (name, span, event) in event_nodes {
        events::event(&mut cx, name, span, event);
    }
    model.functions.push(f);
}

/// The destination of `EventInvokeConfig.DestinationConfig.<which>`: its `Destination`, or,
/// for `Type: SQS`/`SNS` without one, the queue or topic SAM creates
/// (`<Function>EventInvokeConfig<which>Queue`/`Topic`).
fn destination(
    function: &Resource,
    config: Option<&Node>,
    which: &str,
) -> Option<sheepdog_diagnostics::Sourced<String>> {
    let config = config?;
    if let Some(d) = config.get("Destination") {
        return Some(string(d));
    }
    let ty = config.get("Type").map(string)?;
    let created = match ty.value.as_str() {
        Some("SQS") => "Queue",
        Some("SNS") => "Topic",
        _ => return None,
    };
    Some(reference(
        &format!("{}EventInvokeConfig{which}{created}", function.id),
        Some("Arn"),
        &ty.span,
    ))
}
