//! Model snapshots: each fixture template under `tests/templates/`, loaded the way the CLI
//! loads a file named on the command line, with its model and diagnostics snapshotted
//! (spans rendered `line:col-line:col`, see `common::snapshot_json`). The snapshots are the
//! review of the loader; the explicit assertions below pin the facts rules rely on.

mod common;

use common::{at, known, model, snapshot_json, strip_locations, unknown};
use sheepdog_diagnostics::DiagnosticLevel;
use sheepdog_model::{Function, Model, Origin, Permission, Resource, Sourced, UnknownReason};

fn snapshot(name: &str) {
    let (model, loaded) = model(name);
    insta::assert_json_snapshot!(name, snapshot_json(&loaded, &model));
}

/// 1-based line of the first line of fixture `name` that contains `needle`.
fn line_of(name: &str, needle: &str) -> u32 {
    let text = std::fs::read_to_string(format!("tests/templates/{name}")).expect("fixture");
    let index = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in {name}"));
    u32::try_from(index + 1).expect("line number")
}

/// (line, column) where `needle` first starts in fixture `name`, 1-based.
fn pos_of(name: &str, needle: &str) -> (u32, u32) {
    pos_in(name, needle, needle)
}

/// (line, column) of `needle` on the first line of fixture `name` that contains `line`.
fn pos_in(name: &str, line: &str, needle: &str) -> (u32, u32) {
    let text = std::fs::read_to_string(format!("tests/templates/{name}")).expect("fixture");
    for (i, l) in text.lines().enumerate() {
        if l.contains(line)
            && let Some(c) = l.find(needle)
        {
            let col = l[..c].chars().count() + 1;
            return (
                u32::try_from(i + 1).expect("line"),
                u32::try_from(col).expect("column"),
            );
        }
    }
    panic!("`{needle}` on a line with `{line}` is not in {name}");
}

fn function<'m>(m: &'m Model, id: &str) -> &'m Function {
    m.functions
        .iter()
        .find(|f| f.resource.id == id)
        .unwrap_or_else(|| panic!("no function {id}"))
}

fn permission<'m>(m: &'m Model, id: &str) -> &'m Permission {
    m.permissions
        .iter()
        .find(|p| p.resource.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<_> = m.permissions.iter().map(|p| &p.resource.id).collect();
            panic!("no permission {id} among {ids:?}")
        })
}

fn env<'f>(f: &'f Function, name: &str) -> Option<&'f Sourced<String>> {
    f.env_vars()
        .iter()
        .find(|v| v.name.value == name)
        .map(|v| &v.value)
}

fn env_var<'f>(f: &'f Function, name: &str) -> &'f Sourced<String> {
    env(f, name).unwrap_or_else(|| panic!("no env var {name}"))
}

fn assert_derived(r: &Resource, from: &str, via: &str) {
    match &r.origin {
        Origin::Derived { from: f, via: v } => {
            assert_eq!((f.as_str(), v.as_str()), (from, via), "{}", r.id);
        }
        Origin::Declared => panic!("{} should be derived from {from} via {via}", r.id),
    }
}

fn knowns(values: &[Sourced<String>]) -> Vec<&str> {
    values.iter().filter_map(|v| v.value.as_str()).collect()
}

#[test]
fn sam_globals_snapshot() {
    snapshot("sam_globals.yaml");
}

#[test]
fn sam_implicit_snapshot() {
    snapshot("sam_implicit.yaml");
}

#[test]
fn cfn_all_snapshot() {
    snapshot("cfn_all.yaml");
}

#[test]
fn resolution_snapshot() {
    snapshot("resolution.yaml");
}

#[test]
fn sam_globals_merge_like_sam() {
    const F: &str = "sam_globals.yaml";
    let (m, loaded) = model(F);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);

    // Resource values win; maps merge; lists concatenate, Globals first.
    let over = function(&m, "Override");
    assert_eq!(
        known(over.runtime.as_ref().expect("runtime"), "runtime"),
        "python3.13"
    );
    let inherit = function(&m, "Inherit");
    assert_eq!(
        known(inherit.runtime.as_ref().expect("runtime"), "runtime"),
        "python3.12"
    );
    assert_eq!(
        at(&inherit.runtime.as_ref().expect("runtime").span),
        pos_of(F, "python3.12"),
        "an inherited value points into Globals"
    );
    for f in [over, inherit] {
        assert!(f.tracing.as_ref().expect("tracing").value.is("Active"));
        assert_eq!(f.timeout.as_ref().and_then(|t| t.value.known()), Some(&10));
        assert_eq!(known(env_var(f, "LOG_LEVEL"), "LOG_LEVEL"), "info");
    }
    assert_eq!(known(env_var(over, "TABLE"), "TABLE"), "local-table");
    assert_eq!(known(env_var(over, "EXTRA"), "EXTRA"), "1");
    assert_eq!(known(env_var(inherit, "TABLE"), "TABLE"), "global-table");
    assert!(env(inherit, "EXTRA").is_none());
    assert_eq!(
        knowns(&over.layers),
        [
            "arn:aws:lambda:eu-west-1:123456789012:layer:common:3",
            "arn:aws:lambda:eu-west-1:123456789012:layer:local:1"
        ]
    );
    assert_eq!(
        knowns(&inherit.layers),
        ["arn:aws:lambda:eu-west-1:123456789012:layer:common:3"]
    );

    // Tracing: Active from Globals gives the implicit roles the X-Ray policy.
    for role in &m.roles {
        assert!(
            knowns(&role.managed_policy_arns)
                .contains(&"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"),
            "{}",
            role.resource.id
        );
    }

    // Globals Api reach the implicit API and the explicit one (which overrides tracing).
    let stage = |id: &str| {
        m.rest_stages
            .iter()
            .find(|s| s.resource.id == id)
            .unwrap_or_else(|| panic!("no stage {id}"))
    };
    let implicit = stage("ServerlessRestApiProdStage");
    let explicit = stage("ExplicitApiv1Stage");
    assert_eq!(
        implicit
            .tracing_enabled
            .as_ref()
            .and_then(|t| t.value.known()),
        Some(&true)
    );
    assert_eq!(
        explicit
            .tracing_enabled
            .as_ref()
            .and_then(|t| t.value.known()),
        Some(&false)
    );
    for s in [implicit, explicit] {
        assert!(s.access_log_destination.is_some(), "{}", s.resource.id);
        assert_eq!(s.method_settings.len(), 1, "{}", s.resource.id);
    }
    // `Auth.ApiKeyRequired` from Globals applies to the methods of both.
    assert_eq!(m.rest_methods.len(), 2);
    for method in &m.rest_methods {
        let required = method.api_key_required.as_ref().expect("api key");
        assert_eq!(
            required.value.known(),
            Some(&true),
            "{}",
            method.resource.id
        );
        assert_eq!(at(&required.span).0, line_of(F, "ApiKeyRequired: true"));
    }

    // Globals HttpApi reach both HTTP stages; the explicit one merges DefaultRouteSettings.
    let http_stage = |id: &str| {
        m.http_stages
            .iter()
            .find(|s| s.resource.id == id)
            .unwrap_or_else(|| panic!("no stage {id}"))
    };
    let implicit = http_stage("ServerlessHttpApiApiGatewayDefaultStage");
    let explicit = http_stage("ExplicitHttpApiv2Stage");
    let burst = |s: &sheepdog_model::HttpStage| {
        s.default_route_settings
            .as_ref()
            .and_then(|r| r.throttling_burst_limit.as_ref())
            .and_then(|b| b.value.known().copied())
    };
    assert_eq!(burst(implicit), Some(50));
    assert_eq!(burst(explicit), Some(5));
    let rate = explicit
        .default_route_settings
        .as_ref()
        .and_then(|r| r.throttling_rate_limit.as_ref())
        .and_then(|r| r.value.known().copied());
    assert_eq!(rate, Some(100.0));
    for s in [implicit, explicit] {
        assert!(s.access_log_destination.is_some(), "{}", s.resource.id);
    }
}

#[test]
fn sam_implicit_resources_point_at_their_cause() {
    const F: &str = "sam_implicit.yaml";
    let (m, loaded) = model(F);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let worker = function(&m, "Worker");

    // The implicit role: derived from the function, pointing at `Policies`.
    let role = m.role_of(worker).expect("Worker's role is in the model");
    assert_eq!(role.resource.id, "WorkerRole");
    assert_derived(&role.resource, "Worker", "Policies");
    assert_eq!(
        at(&role.resource.span).0,
        line_of(F, "- AWSLambdaBasicExecutionRole")
    );
    let arns = knowns(&role.managed_policy_arns);
    for arn in [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
    ] {
        assert!(arns.contains(&arn), "{arn} missing from {arns:?}");
    }
    let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    assert_eq!(
        arns.iter().filter(|a| **a == basic).count(),
        1,
        "listed once, as SAM does"
    );
    // The managed policy named in `Policies` points at its entry.
    let s3 = role
        .managed_policy_arns
        .iter()
        .find(|a| a.value.is("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"))
        .expect("S3 read-only");
    assert_eq!(
        at(&s3.span),
        pos_in(F, "- AmazonS3ReadOnlyAccess", "AmazonS3ReadOnlyAccess")
    );

    // Policy templates keep their parameters: a reference stays a reference, "*" is known.
    let templates: Vec<&str> = role
        .policy_templates
        .iter()
        .map(|t| t.name.value.as_str())
        .collect();
    assert_eq!(templates, ["S3ReadPolicy", "DynamoDBCrudPolicy"]);
    let (_, bucket) = &role.policy_templates[0].parameters[0];
    assert_eq!(bucket.value.resource_ref(), Some("Bucket"));
    let (_, table) = &role.policy_templates[1].parameters[0];
    assert_eq!(known(table, "TableName"), "*");
    // ... and are expanded into inline policies, next to the inline statement.
    assert_eq!(role.inline_policies.len(), 3);
    let s3_read = &role.inline_policies[1].document.statements[0];
    let resources = &s3_read.resource.as_ref().expect("resources").value;
    let (expr, reason) = unknown(&resources[0], "S3ReadPolicy resource");
    assert!(expr.starts_with("arn:${AWS::Partition}:s3:::"), "{expr}");
    assert_eq!(
        reason,
        &UnknownReason::Composite {
            refs: vec!["Bucket".into()]
        }
    );
    let crud = &role.inline_policies[2].document.statements[0];
    let tables = knowns(&crud.resource.as_ref().expect("resources").value);
    assert!(tables[0].ends_with(":table/*"), "{tables:?}");

    // Each event's permission: derived via `Events.<name>`, pointing at the event's key,
    // with the SourceArn/SourceAccount SAM sets.
    let event_permission = |id: &str, event: &str, principal: &str| {
        let p = permission(&m, id);
        assert_derived(&p.resource, "Worker", &format!("Events.{event}"));
        assert_eq!(
            at(&p.resource.span),
            pos_of(F, &format!("{event}:")),
            "{id} points at its Events entry"
        );
        assert_eq!(known(&p.principal, "principal"), principal);
        assert_eq!(known(&p.action, "action"), "lambda:InvokeFunction");
        // `Worker` has `AutoPublishAlias: live`: SAM connects its event sources to the alias.
        assert_eq!(p.function.value.resource_ref(), Some("WorkerAliaslive"));
        p
    };
    let source_arn = |p: &Permission| p.source_arn.as_ref().expect("SourceArn").value.clone();

    let get = event_permission(
        "WorkerGetItemsPermissionprod",
        "GetItems",
        "apigateway.amazonaws.com",
    );
    let arn = source_arn(get);
    assert_eq!(
        arn.unknown().map(|u| u.expr.as_str()),
        Some(
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/items"
        )
    );
    let proxy = event_permission(
        "WorkerImplicitProxyPermissionProd",
        "ImplicitProxy",
        "apigateway.amazonaws.com",
    );
    assert!(
        source_arn(proxy)
            .unknown()
            .is_some_and(|u| u.expr.ends_with(":${ServerlessRestApi}/*/*/*")),
        "{:?}",
        proxy.source_arn
    );
    let http = event_permission("WorkerHttpPermission", "Http", "apigateway.amazonaws.com");
    assert!(
        source_arn(http)
            .unknown()
            .is_some_and(|u| u.expr.ends_with(":${HttpApi}/*/POST/orders"))
    );
    let upload = event_permission("WorkerUploadPermission", "Upload", "s3.amazonaws.com");
    assert!(upload.source_arn.is_none(), "SAM sets no SourceArn for S3");
    let (_, reason) = unknown(
        upload.source_account.as_ref().expect("SourceAccount"),
        "account",
    );
    assert_eq!(
        reason,
        &UnknownReason::Pseudo {
            name: "AWS::AccountId".into()
        }
    );
    let notify = event_permission("WorkerNotifyPermission", "Notify", "sns.amazonaws.com");
    assert_eq!(source_arn(notify).resource_ref(), Some("Topic"));
    let nightly = event_permission("WorkerNightlyPermission", "Nightly", "events.amazonaws.com");
    assert_eq!(source_arn(nightly).resource_ref(), Some("WorkerNightly"));
    let on_event = event_permission("WorkerOnEventPermission", "OnEvent", "events.amazonaws.com");
    assert_eq!(source_arn(on_event).resource_ref(), Some("WorkerOnEvent"));
    let logs = event_permission("WorkerLogsPermission", "Logs", "logs.amazonaws.com");
    assert_eq!(
        source_arn(logs).known().map(String::as_str),
        Some(
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/app/logs:*"
        )
    );
    // Polling sources make event source mappings, not permissions.
    for event in ["Jobs", "Clicks", "Changes"] {
        assert!(
            !m.permissions
                .iter()
                .any(|p| p.resource.id.starts_with(&format!("Worker{event}"))),
            "{event}"
        );
        let esm = m
            .event_source_mappings
            .iter()
            .find(|e| e.resource.id == format!("Worker{event}"))
            .unwrap_or_else(|| panic!("no mapping for {event}"));
        assert_derived(&esm.resource, "Worker", &format!("Events.{event}"));
        assert_eq!(at(&esm.resource.span), pos_of(F, &format!("{event}:")));
        assert!(
            esm.event_source_arn
                .as_ref()
                .expect("source")
                .value
                .resource_ref()
                .is_some()
        );
    }

    // The function URL points at `AuthType`, and NONE makes a public permission there.
    let url = m
        .function_urls
        .iter()
        .find(|u| u.resource.id == "WorkerUrl")
        .expect("url");
    assert_derived(&url.resource, "Worker", "FunctionUrlConfig");
    assert!(url.auth_type.value.is("NONE"));
    assert_eq!(at(&url.auth_type.span), pos_in(F, "AuthType: NONE", "NONE"));
    assert_eq!(url.resource.span, url.auth_type.span);
    let cors = url.cors.as_ref().expect("cors");
    assert_eq!(knowns(&cors.allow_origins), ["*"]);
    assert_eq!(
        cors.allow_credentials
            .as_ref()
            .and_then(|c| c.value.known()),
        Some(&true)
    );
    let public = permission(&m, "WorkerUrlPublicPermissions");
    assert_derived(&public.resource, "Worker", "FunctionUrlConfig");
    assert!(public.principal.value.is("*"));
    assert!(public.action.value.is("lambda:InvokeFunctionUrl"));
    assert!(
        public
            .function_url_auth_type
            .as_ref()
            .is_some_and(|t| t.value.is("NONE"))
    );
    assert_eq!(public.resource.span, url.auth_type.span);

    // AutoPublishAlias: a version and an alias pointing at the alias name.
    let alias = m
        .aliases
        .iter()
        .find(|a| a.resource.id == "WorkerAliaslive")
        .expect("alias");
    assert_derived(&alias.resource, "Worker", "AutoPublishAlias");
    assert_eq!(
        at(&alias.resource.span),
        pos_in(F, "AutoPublishAlias", "live")
    );
    assert_eq!(
        alias
            .deployment_preference
            .as_ref()
            .and_then(|d| d.value.as_str()),
        Some("Canary10Percent5Minutes")
    );
    assert_eq!(m.versions_of(worker).count(), 1);

    // EventInvokeConfig and DeadLetterQueue.
    let invoke = &m.event_invoke_configs[0];
    assert_derived(&invoke.resource, "Worker", "EventInvokeConfig");
    assert_eq!(
        invoke
            .on_failure_destination
            .as_ref()
            .and_then(|d| d.value.resource_ref()),
        Some("DeadLetters")
    );
    assert_eq!(
        invoke
            .maximum_retry_attempts
            .as_ref()
            .and_then(|r| r.value.known()),
        Some(&1)
    );
    assert_eq!(
        worker
            .dead_letter_target
            .as_ref()
            .and_then(|d| d.value.resource_ref()),
        Some("DeadLetters")
    );

    // API authorization: the default authorizer, its override to NONE, and the JWT route.
    let method = |id: &str| {
        m.rest_methods
            .iter()
            .find(|r| r.resource.id == id)
            .unwrap_or_else(|| panic!("no method {id}"))
    };
    let get_items = method("WorkerGetItemsMethod");
    assert!(
        get_items
            .authorization_type
            .as_ref()
            .is_some_and(|t| t.value.is("CUSTOM"))
    );
    assert!(
        get_items
            .authorizer
            .as_ref()
            .is_some_and(|a| a.value.is("TokenAuth"))
    );
    let ping = method("WorkerPublicPingMethod");
    let none = ping.authorization_type.as_ref().expect("auth");
    assert!(none.value.is("NONE"));
    assert_eq!(at(&none.span), pos_in(F, "Authorizer: NONE", "NONE"));
    let route = &m.http_routes[0];
    assert!(
        route
            .authorization_type
            .as_ref()
            .is_some_and(|t| t.value.is("JWT"))
    );
    assert!(route.route_key.value.is("POST /orders"));

    // The declared API's stage carries its settings; the implicit API is derived.
    let stage = m
        .rest_stages
        .iter()
        .find(|s| s.resource.id == "ApiprodStage")
        .expect("stage");
    assert_eq!(
        stage.tracing_enabled.as_ref().and_then(|t| t.value.known()),
        Some(&true)
    );
    assert_eq!(
        stage.method_settings[0]
            .throttling_rate_limit
            .as_ref()
            .and_then(|r| r.value.known()),
        Some(&50.5)
    );
    assert!(stage.access_log_destination.is_some());
    let implicit = m
        .rest_apis
        .iter()
        .find(|a| a.resource.id == "ServerlessRestApi")
        .expect("implicit API");
    assert_derived(&implicit.resource, "Worker", "Events (implicit API)");
    assert_eq!(at(&implicit.resource.span), pos_of(F, "ImplicitProxy:"));
}

#[test]
fn cfn_all_covers_every_resource_type() {
    let (m, loaded) = model("cfn_all.yaml");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let counts = [
        ("functions", m.functions.len(), 2),
        ("roles", m.roles.len(), 1),
        ("policies", m.policies.len(), 2),
        ("permissions", m.permissions.len(), 2),
        ("function_urls", m.function_urls.len(), 1),
        ("aliases", m.aliases.len(), 1),
        ("versions", m.versions.len(), 1),
        ("event_source_mappings", m.event_source_mappings.len(), 1),
        ("event_invoke_configs", m.event_invoke_configs.len(), 1),
        ("layers", m.layers.len(), 1),
        ("layer_permissions", m.layer_permissions.len(), 1),
        ("code_signing_configs", m.code_signing_configs.len(), 1),
        ("rest_apis", m.rest_apis.len(), 1),
        ("rest_stages", m.rest_stages.len(), 1),
        ("rest_methods", m.rest_methods.len(), 1),
        ("rest_deployments", m.rest_deployments.len(), 1),
        ("usage_plans", m.usage_plans.len(), 1),
        ("api_domains", m.api_domains.len(), 2),
        ("http_apis", m.http_apis.len(), 1),
        ("http_stages", m.http_stages.len(), 1),
        ("http_routes", m.http_routes.len(), 1),
        ("web_acls", m.web_acls.len(), 1),
        ("web_acl_associations", m.web_acl_associations.len(), 1),
        ("security_groups", m.security_groups.len(), 2),
        ("security_group_rules", m.security_group_rules.len(), 3),
        ("log_groups", m.log_groups.len(), 1),
        ("alarms", m.alarms.len(), 2),
        ("secrets", m.secrets.len(), 2),
        ("rotation_schedules", m.rotation_schedules.len(), 2),
        ("kms_keys", m.kms_keys.len(), 1),
    ];
    for (what, got, want) in counts {
        assert_eq!(got, want, "{what}");
    }
    let all = m
        .functions
        .iter()
        .map(|f| &f.resource)
        .chain(m.roles.iter().map(|r| &r.resource))
        .chain(m.permissions.iter().map(|p| &p.resource))
        .chain(m.security_groups.iter().map(|g| &g.resource));
    for r in all {
        assert!(!r.is_derived(), "{} is declared", r.id);
    }

    // The links rules follow: role of a function, permissions and log group of a function.
    let f = function(&m, "Fn");
    assert_eq!(m.role_of(f).map(|r| r.resource.id.as_str()), Some("FnRole"));
    assert_eq!(m.permissions_of(f).count(), 2);
    assert_eq!(m.aliases_of(f).count(), 1);
    assert_eq!(
        m.log_group_of(f).map(|g| g.resource.id.as_str()),
        Some("Logs")
    );
    // A dynamic reference in an environment variable is unknown, not a literal.
    let (_, reason) = unknown(env_var(f, "DB_PASSWORD"), "DB_PASSWORD");
    assert_eq!(
        reason,
        &UnknownReason::DynamicReference {
            service: "secretsmanager".into()
        }
    );
    // `SecurityGroupEgress` not written is `None` (AWS allows all egress), not empty.
    let open = m
        .security_groups
        .iter()
        .find(|g| g.resource.id == "OpenSg")
        .expect("OpenSg");
    assert!(open.egress.is_none());
    // A policy written as a JSON string is parsed, its spans on the string.
    let managed = m
        .policies
        .iter()
        .find(|p| p.resource.id == "ManagedPolicy")
        .expect("policy");
    let doc = managed.document.as_ref().expect("document");
    assert_eq!(doc.statements.len(), 1);
    assert_eq!(at(&doc.span), pos_of("cfn_all.yaml", "'{\"Version\""));
}

#[test]
fn resolution_decides_what_it_can() {
    const F: &str = "resolution.yaml";
    let (m, loaded) = model(F);
    let f = function(&m, "Fn");
    let text = |name: &str| known(env_var(f, name), name).to_owned();
    let reason = |name: &str| unknown(env_var(f, name), name).1.clone();

    // Parameter defaults; no default or SSM-typed → unknown parameter.
    assert_eq!(text("STAGE"), "dev");
    assert_eq!(
        at(&env_var(f, "STAGE").span),
        pos_in(F, "STAGE:", "!Ref Stage"),
        "points at the use"
    );
    assert_eq!(
        reason("PASSWORD"),
        UnknownReason::Parameter {
            name: "Password".into()
        }
    );
    assert_eq!(
        reason("AMI"),
        UnknownReason::Parameter {
            name: "LatestAmi".into()
        }
    );
    assert_eq!(
        reason("REGION"),
        UnknownReason::Pseudo {
            name: "AWS::Region".into()
        }
    );
    assert_eq!(
        f.memory_size.as_ref().and_then(|s| s.value.known()),
        Some(&256)
    );

    // Mappings, pointing at the use.
    assert_eq!(text("FROM_MAP"), "python3.12");
    assert_eq!(
        at(&env_var(f, "FROM_MAP").span),
        pos_in(F, "FROM_MAP:", "!FindInMap")
    );
    assert_eq!(
        known(f.runtime.as_ref().expect("runtime"), "runtime"),
        "python3.12"
    );

    // Conditions: decided `!If`, undecidable `!If`, equal branches.
    assert_eq!(text("IF_DECIDED"), "small");
    assert_eq!(reason("IF_UNDECIDED"), UnknownReason::Condition);
    assert_eq!(text("IF_SAME"), "same");
    assert_eq!(f.timeout.as_ref().and_then(|t| t.value.known()), Some(&10));

    // `!Sub`: known variables substituted, pseudo parameters kept symbolic.
    assert_eq!(
        text("SUB_KNOWN"),
        "app-dev-${AWS::Region}-${AWS::AccountId}"
    );
    assert_eq!(text("SUB_VARS"), "dev-256");
    assert_eq!(text("SUB_LITERAL"), "${NotAVariable}-dev");
    let (expr, r) = unknown(env_var(f, "SUB_RESOURCE"), "SUB_RESOURCE");
    assert_eq!(expr, "arn:aws:s3:::${Bucket}/*");
    assert_eq!(
        r,
        &UnknownReason::Composite {
            refs: vec!["Bucket".into()]
        }
    );
    let (expr, r) = unknown(env_var(f, "SUB_ATTR"), "SUB_ATTR");
    assert_eq!(expr, "${Bucket.Arn}/dev");
    assert_eq!(
        r,
        &UnknownReason::Composite {
            refs: vec!["Bucket".into()]
        }
    );
    assert!(matches!(
        reason("SUB_PARAM"),
        UnknownReason::Composite { .. }
    ));

    // `!Join`, `!Select`, `!Split`, list parameters.
    assert_eq!(text("JOIN"), "a-dev-c");
    assert_eq!(
        reason("JOIN_UNKNOWN"),
        UnknownReason::Composite {
            refs: vec!["Bucket".into()]
        }
    );
    assert_eq!(text("SELECT"), "y");
    assert_eq!(text("SELECT_SPLIT"), "p");
    assert_eq!(text("SELECT_LIST_PARAM"), "subnet-b");
    assert_eq!(reason("SELECT_OUT_OF_RANGE"), UnknownReason::Unsupported);
    let vpc = f.vpc.as_ref().expect("vpc");
    let subnets = &vpc.subnet_ids.as_ref().expect("subnets").value;
    assert_eq!(knowns(subnets), ["subnet-a", "subnet-b"]);
    let groups = &vpc.security_group_ids.as_ref().expect("groups").value;
    assert_eq!(knowns(groups), ["sg-1", "sg-2"]);

    // `!GetAtt` in both spellings, `!ImportValue`, dynamic references.
    for (name, attr) in [
        ("GETATT_SHORT", "Arn"),
        ("GETATT_LONG", "DomainName"),
        ("GETATT_LONG_STRING", "RegionalDomainName"),
    ] {
        assert_eq!(
            reason(name),
            UnknownReason::Resource {
                id: "Bucket".into(),
                attr: Some(attr.into())
            },
            "{name}"
        );
    }
    assert_eq!(reason("IMPORT"), UnknownReason::Import);
    for (name, service) in [
        ("SECRET", "secretsmanager"),
        ("SECURE_SSM", "ssm-secure"),
        ("PLAIN_SSM", "ssm"),
        ("SUB_SECRET", "secretsmanager"),
    ] {
        assert_eq!(
            reason(name),
            UnknownReason::DynamicReference {
                service: service.into()
            },
            "{name}"
        );
    }

    // `AWS::NoValue` removes the property, directly or through `!If`.
    assert!(env(f, "REMOVED").is_none());
    assert!(env(f, "REMOVED_BY_IF").is_none());
    assert!(f.kms_key_arn.is_none());
    assert!(f.reserved_concurrency.is_none());
    assert_eq!(text("NUMBER"), "42");
    assert_eq!(text("BOOL"), "true");

    // Resource conditions: false removes, true keeps plainly, undecidable is recorded.
    let groups: Vec<(&str, Option<&str>)> = m
        .log_groups
        .iter()
        .map(|g| (g.resource.id.as_str(), g.resource.condition.as_deref()))
        .collect();
    assert_eq!(
        groups,
        [("DevOnly", None), ("MaybeLogs", Some("ProdOrPassword"))]
    );
    assert_eq!(
        m.log_groups[0]
            .retention_in_days
            .as_ref()
            .and_then(|r| r.value.known()),
        Some(&7)
    );

    // A dangling Ref (and GetAtt, and FindInMap) is a warning with its location.
    let warnings: Vec<(&str, (u32, u32), &str)> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.level, DiagnosticLevel::Warning);
            (
                d.code,
                at(d.span.as_ref().expect("span")),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(warnings.iter().all(|w| w.0 == "SD005"));
    let dangling = warnings
        .iter()
        .find(|w| w.2.contains("DoesNotExist"))
        .expect("dangling Ref");
    assert_eq!(dangling.1, pos_of(F, "!Ref DoesNotExist"));
    assert_eq!(reason("DANGLING"), UnknownReason::Unsupported);
    assert!(
        warnings
            .iter()
            .any(|w| w.1 == pos_of(F, "!GetAtt Missing.Arn"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.2.contains("Env.staging.Retention"))
    );
}

#[test]
fn short_and_long_forms_give_the_same_model() {
    let (short, short_loaded) = model("short.yaml");
    let (long, long_loaded) = model("long.json");
    assert!(
        short_loaded.diagnostics.is_empty(),
        "{:#?}",
        short_loaded.diagnostics
    );
    assert!(
        long_loaded.diagnostics.is_empty(),
        "{:#?}",
        long_loaded.diagnostics
    );
    let mut a = serde_json::to_value(&short).expect("json");
    let mut b = serde_json::to_value(&long).expect("json");
    strip_locations(&mut a);
    strip_locations(&mut b);
    assert_eq!(a, b);
    // The comparison is not vacuous: the model holds the function, its role, its events.
    assert_eq!(short.functions.len(), 1);
    assert_eq!(short.roles.len(), 1);
    assert_eq!(short.function_urls.len(), 1);
    assert_eq!(short.permissions.len(), 2);
}
