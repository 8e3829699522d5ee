//! Terraform: a root module with variables, tfvars, locals, a local module, the Lambda
//! registry module and policy documents (`tests/terraform/app`), and a plan
//! (`tests/terraform/plan/plan.json`), loaded into the model. The snapshot is the review of
//! the loader; the assertions pin the facts rules rely on. Hostile Terraform is in
//! `hostile.rs`.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::snapshot_json;
use sheepdog_diagnostics::DiagnosticLevel;
use sheepdog_load::terraform::{Inputs, load_module};
use sheepdog_load::{Loaded, Mode, load_file};
use sheepdog_model::{Function, Model, UnknownReason, Value};

const APP: &str = "tests/terraform/app";

fn app(inputs: &Inputs) -> (Model, Loaded) {
    let mut loaded = load_module(Path::new(APP), inputs);
    let model = loaded.model.take().expect("a module always gives a model");
    (model, loaded)
}

fn function<'m>(m: &'m Model, id: &str) -> &'m Function {
    m.functions
        .iter()
        .find(|f| f.resource.id == id)
        .unwrap_or_else(|| panic!("no function {id}"))
}

fn known(v: Option<&sheepdog_model::Sourced<String>>) -> Option<&str> {
    v.and_then(|s| s.value.as_str())
}

#[test]
fn app_model() {
    let (model, loaded) = app(&Inputs::default());
    insta::assert_json_snapshot!("app", snapshot_json(&loaded, &model));
}

#[test]
fn values_follow_terraform_precedence() {
    // terraform.tfvars overrides the default...
    let (model, _) = app(&Inputs::default());
    let api = function(&model, "aws_lambda_function.api");
    assert_eq!(known(api.runtime.as_ref()), Some("python3.9"));
    assert_eq!(known(api.name.as_ref()), Some("orders-prod"));
    // ...and the command line overrides terraform.tfvars.
    let inputs = Inputs {
        var_files: Vec::new(),
        vars: vec![("runtime".to_owned(), "python3.13".to_owned())],
    };
    let (model, _) = app(&inputs);
    let api = function(&model, "aws_lambda_function.api");
    assert_eq!(known(api.runtime.as_ref()), Some("python3.13"));
    // The runtime is pointed at where it is used, not where its value was written.
    let runtime = api.runtime.as_ref().expect("runtime");
    assert!(runtime.span.file.ends_with("app/main.tf"));
}

#[test]
fn undecidable_values_stay_unknown() {
    let (model, _) = app(&Inputs::default());
    let group = &model.security_groups[0];
    let vpc = group.vpc.as_ref().expect("vpc_id is written");
    assert!(matches!(
        &vpc.value,
        Value::Unknown(u) if u.reason == UnknownReason::Parameter { name: "vpc_id".to_owned() }
    ));
}

#[test]
fn references_link_functions_roles_and_policies() {
    let (model, _) = app(&Inputs::default());
    let api = function(&model, "aws_lambda_function.api");
    let role = model
        .role_of(api)
        .expect("the function's role is in the model");
    assert_eq!(role.resource.id, "aws_iam_role.api");
    // Attached through aws_iam_role_policy_attachment: the policy from file().
    let attached: Vec<&str> = model
        .policies_of(role)
        .map(|p| p.resource.id.as_str())
        .collect();
    assert!(
        attached.contains(&"aws_iam_policy.from_file"),
        "{attached:?}"
    );
    assert!(
        attached.contains(&"aws_iam_role_policy.queues"),
        "{attached:?}"
    );
    // The policy file's statement is located in the file itself.
    let from_file = model
        .policies
        .iter()
        .find(|p| p.resource.id == "aws_iam_policy.from_file")
        .and_then(|p| p.document.as_ref())
        .expect("document");
    assert!(
        from_file.statements[0]
            .span
            .file
            .ends_with("policies/read.json")
    );
    // A dynamic block gives one statement per element of its for_each.
    let queues = model
        .policies
        .iter()
        .find(|p| p.resource.id == "aws_iam_role_policy.queues")
        .and_then(|p| p.document.as_ref())
        .expect("document");
    assert_eq!(queues.statements.len(), 2);
    // Permissions (for_each) target the alias of the function.
    assert_eq!(model.permissions_of(api).count(), 2);
    // The routes invoke it through the alias and an integration: they are part of it.
    let parts: Vec<&str> = model
        .resources_of(api)
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        parts.contains(&"aws_apigatewayv2_route.orders[1]"),
        "{parts:?}"
    );
}

#[test]
fn local_modules_take_their_inputs() {
    let (model, _) = app(&Inputs::default());
    let worker = function(&model, "module.worker.aws_lambda_function.this");
    assert_eq!(known(worker.name.as_ref()), Some("orders-prod-worker"));
    assert_eq!(known(worker.runtime.as_ref()), Some("nodejs20.x"));
    let role = model.role_of(worker).expect("the module's role");
    assert_eq!(role.resource.id, "module.worker.aws_iam_role.this");
    // `count = length(var.queue_arns)`: two mappings, indexed.
    let ids: Vec<&str> = model
        .event_source_mappings
        .iter()
        .map(|m| m.resource.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "module.worker.aws_lambda_event_source_mapping.queues[0]",
            "module.worker.aws_lambda_event_source_mapping.queues[1]"
        ]
    );
}

#[test]
fn the_lambda_registry_module_is_modelled_from_its_inputs() {
    let (model, loaded) = app(&Inputs::default());
    let notifier = function(&model, "module.notifier.aws_lambda_function.this[0]");
    assert_eq!(known(notifier.runtime.as_ref()), Some("nodejs16.x"));
    let role = model.role_of(notifier).expect("the module's role");
    // `policy_statements` are a policy of their own, attached, as the module writes them.
    let attached: Vec<&str> = model
        .policies_of(role)
        .map(|p| p.resource.id.as_str())
        .collect();
    assert_eq!(
        attached,
        ["module.notifier.aws_iam_policy.additional_inline[0]"]
    );
    assert_eq!(model.function_urls.len(), 1);
    assert_eq!(
        model.function_urls[0].auth_type.value.as_str(),
        Some("NONE"),
        "the module's default authorization_type"
    );
    // Other registry modules are named, not fetched.
    let skipped: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "SD012")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].contains("terraform-aws-modules/vpc/aws"));
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.level == DiagnosticLevel::Warning)
    );
}

#[test]
fn plan_values_map_into_the_same_model() {
    let loaded = load_file(Path::new("tests/terraform/plan/plan.json"), Mode::Explicit)
        .expect("a plan is loaded");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.as_ref().expect("model");
    insta::assert_json_snapshot!("plan", snapshot_json(&loaded, model));
    let api = function(model, "aws_lambda_function.api");
    assert_eq!(known(api.runtime.as_ref()), Some("python3.8"));
    // `-1` is the provider's "not reserved".
    assert!(api.reserved_concurrency.is_none());
    // The role is known after apply only; the configuration names it.
    let role = model
        .role_of(api)
        .expect("role from the configuration's references");
    assert_eq!(role.resource.id, "aws_iam_role.exec");
    // The configuration next to the plan says where each resource is declared.
    let declared = api
        .resource
        .declared_at
        .as_ref()
        .expect("declared in main.tf");
    assert!(declared.file.ends_with("plan/main.tf"));
    assert_eq!(declared.start.line, 20);
    let worker = function(model, "module.worker.aws_lambda_function.this[0]");
    let declared = worker
        .resource
        .declared_at
        .as_ref()
        .expect("declared in the module");
    assert!(declared.file.ends_with("plan/modules/worker/main.tf"));
    assert!(matches!(
        &worker.role.as_ref().expect("role").value,
        Value::Unknown(u) if u.reason == UnknownReason::Resource {
            id: "module.worker.aws_iam_role.this".to_owned(),
            attr: Some("arn".to_owned()),
        }
    ));
}

#[test]
fn discovery_finds_root_modules_not_the_modules_they_call() {
    let found = sheepdog_load::discover(&[Path::new(APP).to_path_buf()]);
    let dirs: Vec<String> = found
        .files
        .iter()
        .filter(|(p, _)| p.is_dir())
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(dirs, [APP]);
}

/// A plan as Terraform writes it (`tests/terraform/plan_unknowns/plan.json`): `null` for
/// every argument not written, blocks the provider fills in known only after apply, unknown
/// values inside blocks, and a registry module whose arguments come from its inputs.
#[test]
fn plan_unknowns_are_read_as_the_configuration_writes_them() {
    let loaded = load_file(
        Path::new("tests/terraform/plan_unknowns/plan.json"),
        Mode::Explicit,
    )
    .expect("a plan is loaded");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.as_ref().expect("model");
    let api = function(model, "aws_lambda_function.api");
    // `"image_uri": null` is not an image: the package is the file.
    assert_eq!(
        api.code_uri.as_ref().and_then(|c| c.value.as_str()),
        Some("app.zip")
    );
    // `tracing_config`, `logging_config`, `layers` are known after apply only because the
    // provider fills them in; the configuration does not write them: not there, as in HCL.
    assert!(api.tracing.is_none());
    assert!(api.log_group.is_none());
    assert!(api.layers.is_empty());
    // `vpc_config[0].security_group_ids` is unknown in the plan; the configuration names
    // the group (`var.stage` next to it is known in a plan).
    let groups = &api
        .vpc
        .as_ref()
        .and_then(|v| v.security_group_ids.as_ref())
        .expect("security groups")
        .value;
    assert_eq!(groups.len(), 1);
    assert_eq!(
        groups[0].value.resource_ref(),
        Some("aws_security_group.fn")
    );
    // In the module: `role = var.create_role ? aws_iam_role.lambda[0].arn : var.lambda_role`
    // is the module's role, and `permissions_boundary = var.role_permissions_boundary` is
    // what the module call passes, `aws_iam_policy.boundary.arn`.
    let worker = function(model, "module.worker.aws_lambda_function.this[0]");
    let role = model.role_of(worker).expect("the module's role");
    assert_eq!(role.resource.id, "module.worker.aws_iam_role.lambda[0]");
    let boundary = role.permissions_boundary.as_ref().expect("a boundary");
    assert_eq!(
        boundary.value.resource_ref(),
        Some("aws_iam_policy.boundary")
    );
    // Unwritten arguments the module passes no input for (`architectures = var.architectures`)
    // are the provider's defaults too.
    assert!(worker.architectures.is_empty());
}

#[test]
fn json_syntax_is_read_at_its_own_positions() {
    // CDK for Terraform writes `cdk.tf.json`.
    let mut loaded = load_module(Path::new("tests/terraform/cdktf"), &Inputs::default());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.take().expect("model");
    let api = function(&model, "aws_lambda_function.api");
    let runtime = api.runtime.as_ref().expect("runtime");
    assert_eq!(runtime.value.as_str(), Some("python3.8"));
    assert!(runtime.span.file.ends_with("cdktf/cdk.tf.json"));
    assert_eq!(
        (runtime.span.start.line, runtime.span.start.column),
        (33, 20)
    );
    assert_eq!(known(api.name.as_ref()), Some("orders-prod"));
    let role = model.role_of(api).expect("the role, by reference");
    assert_eq!(role.resource.id, "aws_iam_role.exec");
    // The policy document's statement blocks, written as a JSON list.
    let admin = model
        .policies
        .iter()
        .find(|p| p.resource.id == "aws_iam_role_policy.admin")
        .and_then(|p| p.document.as_ref())
        .expect("document");
    assert_eq!(admin.statements.len(), 1);
    assert_eq!(admin.statements[0].span.start.line, 10);
    // Frames are drawn from the JSON itself.
    let (_, text) = loaded
        .sources
        .iter()
        .find(|(f, _)| f.ends_with("cdk.tf.json"))
        .expect("the file's text");
    assert!(text.starts_with("{\n  \"//\""));
}

#[test]
fn module_calls_with_count_and_for_each_are_instances() {
    let mut loaded = load_module(
        Path::new("tests/terraform/module_instances"),
        &Inputs::default(),
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.take().expect("model");
    let runtimes: Vec<(&str, Option<&str>)> = model
        .functions
        .iter()
        .map(|f| (f.resource.id.as_str(), known(f.runtime.as_ref())))
        .collect();
    assert_eq!(
        runtimes,
        [
            (
                "module.fn[\"orders\"].aws_lambda_function.this",
                Some("python3.8")
            ),
            (
                "module.fn[\"billing\"].aws_lambda_function.this",
                Some("python3.13")
            ),
            (
                "module.worker[0].aws_lambda_function.this",
                Some("nodejs22.x")
            ),
            (
                "module.worker[1].aws_lambda_function.this",
                Some("nodejs22.x")
            ),
        ]
    );
    // An instance's output, by key.
    let orders = function(&model, "module.fn[\"orders\"].aws_lambda_function.this");
    assert_eq!(model.permissions_of(orders).count(), 1);
}

#[test]
fn templatefile_policies_are_rendered_with_their_variables() {
    let mut loaded = load_module(Path::new("tests/terraform/templates"), &Inputs::default());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.take().expect("model");
    let doc = model.policies[0].document.as_ref().expect("document");
    assert_eq!(doc.statements.len(), 2);
    let resource = |i: usize| {
        let r = doc.statements[i].resource.as_ref().expect("Resource");
        r.value[0].clone()
    };
    // Rendered with `bucket`, at its line in the template file.
    let bucket = resource(0);
    assert_eq!(bucket.value.as_str(), Some("arn:aws:s3:::orders-archive/*"));
    assert!(bucket.span.file.ends_with("templates/policy.json.tpl"));
    assert_eq!(bucket.span.start.line, 7);
    // `table_arn` has no value: that string alone is unknown.
    assert!(resource(1).value.is_unknown());
}

#[test]
fn templatefile_directives_and_jsonencode_are_rendered() {
    let mut loaded = load_module(Path::new("tests/terraform/templates"), &Inputs::default());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.take().expect("model");
    let doc = model
        .policies
        .iter()
        .find(|p| p.resource.id == "aws_iam_policy.buckets")
        .and_then(|p| p.document.as_ref())
        .expect("document");
    // One statement per bucket (`%{for}`), the table list (`jsonencode`), and the admin
    // statement (`%{if}`).
    assert_eq!(doc.statements.len(), 4, "{doc:#?}");
    let resources: Vec<Option<&str>> = doc
        .statements
        .iter()
        .map(|s| s.resource.as_ref().and_then(|r| r.value[0].value.as_str()))
        .collect();
    assert_eq!(
        resources,
        [
            Some("arn:aws:s3:::orders/*"),
            Some("arn:aws:s3:::invoices/*"),
            Some("arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
            Some("*"),
        ]
    );
}

#[test]
fn functions_evaluate_as_terraform_does() {
    // Each case: (expression, what it evaluates to), read back as an environment variable.
    let cases = [
        ("format(\"%s-%d\", \"a\", 7)", "a-7"),
        ("join(\",\", concat([\"a\"], [\"b\", \"c\"]))", "a,b,c"),
        ("join(\",\", split(\"/\", \"x/y\"))", "x,y"),
        ("lookup({ a = \"1\" }, \"b\", \"dflt\")", "dflt"),
        ("element([\"a\", \"b\"], 3)", "b"),
        ("length([1, 2, 3])", "3"),
        ("upper(trimspace(\"  x \"))", "X"),
        ("replace(\"a-b-c\", \"-\", \"_\")", "a_b_c"),
        ("title(\"send emails\")", "Send Emails"),
        ("coalesce(\"\", \"b\")", "b"),
        ("join(\",\", compact([\"a\", \"\", \"b\"]))", "a,b"),
        ("join(\",\", distinct([\"a\", \"a\", \"b\"]))", "a,b"),
        ("join(\",\", keys(merge({ a = 1 }, { b = 2 })))", "a,b"),
        ("join(\",\", flatten([[\"a\"], [[\"b\"]]]))", "a,b"),
        ("max(1, 5, 3)", "5"),
        ("join(\",\", range(3))", "0,1,2"),
        ("try(local.missing.x, \"fallback\")", "fallback"),
        ("one([\"only\"])", "only"),
        ("alltrue([true, true])", "true"),
        ("anytrue([false, true])", "true"),
        ("join(\",\", sort([\"b\", \"a\"]))", "a,b"),
        ("join(\",\", reverse([\"a\", \"b\"]))", "b,a"),
        ("join(\",\", setunion([\"a\"], [\"a\", \"b\"]))", "a,b"),
        ("substr(\"hello\", 1, 3)", "ell"),
        ("sum([1, 2, 3.5])", "6.5"),
        ("startswith(\"arn:aws\", \"arn:\")", "true"),
        ("trimsuffix(\"name.zip\", \".zip\")", "name"),
        ("jsondecode(\"{\\\"a\\\": \\\"b\\\"}\").a", "b"),
        ("zipmap([\"k\"], [\"v\"]).k", "v"),
        ("contains([\"a\"], \"a\")", "true"),
        ("\"%{for x in [\"a\", \"b\"]}${x}%{endfor}\"", "ab"),
        ("\"%{if 1 > 2}yes%{else}no%{endif}\"", "no"),
        ("\"[${jsonencode([\"a\"])}]\"", "[[\"a\"]]"),
    ];
    let mut text = String::from(
        "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n  environment {\n    variables = {\n",
    );
    for (i, (expr, _)) in cases.iter().enumerate() {
        writeln!(text, "      V{i} = {expr}").expect("writing to a String");
    }
    text.push_str("    }\n  }\n}\n");
    let name: std::sync::Arc<str> = std::sync::Arc::from("functions.tf");
    let mut loaded =
        sheepdog_load::terraform::load_text(&name, text.as_bytes(), &Inputs::default());
    let model = loaded.model.take().expect("model");
    let vars = model.functions[0].env_vars();
    for (i, (expr, want)) in cases.iter().enumerate() {
        let got = vars
            .iter()
            .find(|v| v.name.value == format!("V{i}"))
            .and_then(|v| v.value.value.as_str());
        assert_eq!(got, Some(*want), "{expr}");
    }
}
