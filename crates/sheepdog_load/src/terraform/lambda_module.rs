//! Calls of the registry module `terraform-aws-modules/lambda/aws`, the most used way to
//! deploy Lambda with Terraform, modelled from their inputs without fetching the module:
//! the function, the role the module creates with the policies its `attach_*` inputs ask
//! for, the log group, the function URL and `allowed_triggers` permissions. Defaults are
//! the module's (v7/v8): a role is created, a log group without retention, no function URL
//! unless `create_function_url`, and a URL's `authorization_type` is `NONE` unless set.
//!
//! Findings point at the module block's inputs (`runtime = "python3.8"`); resources carry
//! the addresses the module gives them (`module.api.aws_lambda_function.this[0]`).

use sheepdog_diagnostics::Span;
use sheepdog_model::{Model, Resource};

use super::policy_document::{conditions, principals};
use super::shape::{Props, reference, text};
use crate::cfn::resources::{Decl, map};
use crate::node::{Kind, Node};

/// Whether a module `source` is the Lambda module itself (from the registry or its
/// repository), not one of its submodules (`//modules/docker-build`).
pub fn is_source(source: &hcl_edit::expr::Expression) -> bool {
    let hcl_edit::expr::Expression::String(s) = source else {
        return false;
    };
    let s = s.value().as_str();
    let path = s.split_once("://").map_or(s, |(_, rest)| rest);
    if path.contains("//") {
        return false;
    }
    let path = path
        .split('?')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".git");
    let path = path.strip_prefix("registry.terraform.io/").unwrap_or(path);
    path == "terraform-aws-modules/lambda/aws"
        || path.ends_with("github.com/terraform-aws-modules/terraform-aws-lambda")
}

pub fn model(model: &mut Model, prefix: &str, inputs: &Node, header: &Span) {
    let off = |key: &str| {
        inputs
            .get(key)
            .is_some_and(|v| matches!(v.kind, Kind::Bool(false)))
    };
    let on = |key: &str| {
        inputs
            .get(key)
            .is_some_and(|v| matches!(v.kind, Kind::Bool(true)))
    };
    if off("create") || off("create_function") {
        return;
    }
    let address = |kind: &str, name: &str| format!("{prefix}.{kind}.{name}[0]");
    let function_id = address("aws_lambda_function", "this");
    let role_id = address("aws_iam_role", "lambda");
    let function_ref = reference(&function_id, header);

    // The function.
    let mut f = Props::new(header.clone());
    super::translate::function_settings(&mut f, inputs);
    if let Some(image) = inputs.get("image_uri") {
        f.nested("Code", image.span.clone())
            .put("ImageUri", Some(image));
    }
    if let Some(vars) = inputs.get("environment_variables") {
        f.nested("Environment", vars.span.clone())
            .put("Variables", Some(vars));
    }
    if let Some(mode) = inputs.get("tracing_mode") {
        f.nested("TracingConfig", mode.span.clone())
            .put("Mode", Some(mode));
    }
    if let Some(dlq) = inputs.get("dead_letter_target_arn") {
        f.nested("DeadLetterConfig", dlq.span.clone())
            .put("TargetArn", Some(dlq));
    }
    if let Some(subnets) = inputs.get("vpc_subnet_ids") {
        f.nested("VpcConfig", subnets.span.clone())
            .put("SubnetIds", Some(subnets))
            .put("SecurityGroupIds", inputs.get("vpc_security_group_ids"));
    }
    let creates_role = !off("create_role");
    match inputs.get("lambda_role") {
        Some(role) if !creates_role => {
            f.put("Role", Some(role));
        }
        _ if creates_role => {
            f.put_node("Role", Some(reference(&role_id, header)));
        }
        _ => {}
    }
    add(
        model,
        &function_id,
        "aws_lambda_function",
        "AWS::Lambda::Function",
        f,
        header,
    );
    // `publish = true`: a version of the function (`aws_lambda_function.this[0].version`).
    super::links::published_version(model, &function_id, inputs);

    if creates_role {
        role(model, &role_id, inputs, header, on);
    }

    // The log group the module creates, named after the function.
    if !on("use_existing_cloudwatch_log_group") {
        let mut g = Props::new(header.clone());
        if let Some(name) = inputs.get("function_name").and_then(Node::as_str) {
            g.put_node(
                "LogGroupName",
                Some(text(&format!("/aws/lambda/{name}"), header)),
            );
        }
        g.put(
            "RetentionInDays",
            super::translate::retention(inputs.get("cloudwatch_logs_retention_in_days")),
        )
        .put("KmsKeyId", inputs.get("cloudwatch_logs_kms_key_id"));
        add(
            model,
            &address("aws_cloudwatch_log_group", "lambda"),
            "aws_cloudwatch_log_group",
            "AWS::Logs::LogGroup",
            g,
            header,
        );
    }

    if on("create_function_url") {
        let mut u = Props::new(header.clone());
        u.put_node("TargetFunctionArn", Some(function_ref.clone()));
        u.put_or(
            "AuthType",
            inputs.get("authorization_type"),
            text(
                "NONE",
                inputs
                    .get("create_function_url")
                    .map_or(header, |n| &n.span),
            ),
        );
        u.put("InvokeMode", inputs.get("invoke_mode"));
        // `cors = { allow_origins = [...], allow_credentials = true }`: the URL's `cors`
        // block, when the map is not empty.
        if let Some(cors) = inputs
            .get("cors")
            .filter(|c| c.as_map().is_some_and(|m| !m.is_empty()))
        {
            u.nested("Cors", cors.span.clone())
                .put("AllowOrigins", cors.get("allow_origins"))
                .put("AllowCredentials", cors.get("allow_credentials"));
        }
        add(
            model,
            &address("aws_lambda_function_url", "this"),
            "aws_lambda_function_url",
            "AWS::Lambda::Url",
            u,
            header,
        );
    }

    // `allowed_triggers = { Name = { service = "apigateway", source_arn = ... } }`.
    for trigger in inputs
        .get("allowed_triggers")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        let t = &trigger.value;
        let mut p = Props::new(t.span.clone());
        p.put_node("FunctionName", Some(function_ref.clone()))
            .put_or(
                "Action",
                t.get("action"),
                text("lambda:InvokeFunction", &t.span),
            );
        match (t.get("principal"), t.get("service").and_then(Node::as_str)) {
            (Some(principal), _) => {
                p.put("Principal", Some(principal));
            }
            (None, Some(service)) => {
                p.put_node(
                    "Principal",
                    Some(text(&format!("{service}.amazonaws.com"), &t.span)),
                );
            }
            _ => {}
        }
        p.put("SourceArn", t.get("source_arn"))
            .put("SourceAccount", t.get("source_account"))
            .put("PrincipalOrgID", t.get("principal_org_id"));
        add(
            model,
            &format!(
                "{prefix}.aws_lambda_permission.unqualified_alias_triggers[\"{}\"]",
                trigger.key
            ),
            "aws_lambda_permission",
            "AWS::Lambda::Permission",
            p,
            header,
        );
    }
}

/// The role `aws_iam_role.lambda`, with the policies the module attaches.
fn role(model: &mut Model, id: &str, inputs: &Node, header: &Span, on: impl Fn(&str) -> bool) {
    let mut r = Props::new(header.clone());
    r.put(
        "RoleName",
        inputs
            .get("role_name")
            .or_else(|| inputs.get("function_name")),
    )
    .put(
        "PermissionsBoundary",
        inputs.get("role_permissions_boundary"),
    );
    let trust = trust_policy(inputs, header, on("lambda_at_edge"));
    r.put_node("AssumeRolePolicyDocument", Some(trust));
    let mut managed: Vec<Node> = Vec::new();
    let aws = |name: &str, at: &Span| text(&format!("arn:aws:iam::aws:policy/{name}"), at);
    // The logs policy is on by default.
    if !inputs
        .get("attach_cloudwatch_logs_policy")
        .is_some_and(|v| matches!(v.kind, Kind::Bool(false)))
    {
        managed.push(aws("service-role/AWSLambdaBasicExecutionRole", header));
    }
    if on("attach_tracing_policy") {
        managed.push(aws("AWSXRayDaemonWriteAccess", header));
    }
    if on("attach_network_policy") {
        managed.push(aws("service-role/AWSLambdaENIManagementAccess", header));
    }
    if on("attach_policy")
        && let Some(arn) = inputs.get("policy")
    {
        managed.push(arn.clone());
    }
    if on("attach_policies") {
        managed.extend(
            counted(
                inputs.get("policies").and_then(Node::as_seq),
                inputs.get("number_of_policies"),
            )
            .iter()
            .cloned(),
        );
    }
    if !managed.is_empty() {
        r.put_node(
            "ManagedPolicyArns",
            Some(Node::new(Kind::Seq(managed), header.clone())),
        );
    }
    // The module writes these as policies of their own, attached to the role (its
    // `aws_iam_policy.additional_*`), so findings name them as a plan of it does.
    let prefix = id.strip_suffix(".aws_iam_role.lambda[0]").unwrap_or(id);
    let mut policies: Vec<(String, Node)> = Vec::new();
    if on("attach_policy_json")
        && let Some(doc) = inputs.get("policy_json")
    {
        policies.push(("additional_json[0]".to_owned(), doc.clone()));
    }
    if on("attach_policy_jsons") {
        for (i, doc) in counted(
            inputs.get("policy_jsons").and_then(Node::as_seq),
            inputs.get("number_of_policy_jsons"),
        )
        .iter()
        .enumerate()
        {
            policies.push((format!("additional_jsons[{i}]"), doc.clone()));
        }
    }
    if on("attach_policy_statements")
        && let Some(statements) = inputs.get("policy_statements")
    {
        policies.push((
            "additional_inline[0]".to_owned(),
            statements_document(statements),
        ));
    }
    for (name, doc) in policies {
        let mut p = Props::new(doc.span.clone());
        p.put("PolicyDocument", Some(&doc)).put_node(
            "Roles",
            Some(Node::new(
                Kind::Seq(vec![reference(id, header)]),
                header.clone(),
            )),
        );
        add(
            model,
            &format!("{prefix}.aws_iam_policy.{name}"),
            "aws_iam_policy",
            "AWS::IAM::ManagedPolicy",
            p,
            header,
        );
    }
    add(model, id, "aws_iam_role", "AWS::IAM::Role", r, header);
}

/// The first `number_of_policies` (`number_of_policy_jsons`) elements of a list input, as
/// the module attaches them with `count`: none when the number is not given (the module's
/// default is 0), every one when it cannot be known.
fn counted<'n>(items: Option<&'n [Node]>, count: Option<&Node>) -> &'n [Node] {
    let items = items.unwrap_or_default();
    match count.map(|c| (&c.kind, c.as_scalar())) {
        None | Some((Kind::Null, _)) => &[],
        Some((_, Some(n))) => match n.parse::<usize>() {
            Ok(n) => &items[..n.min(items.len())],
            Err(_) => items,
        },
        Some(_) => items,
    }
}

/// `policy_statements = { name = { effect, actions, resources, condition = {...} } }` as a
/// policy document.
fn statements_document(statements: &Node) -> Node {
    let mut doc = Props::new(statements.span.clone());
    doc.put_node("Version", Some(text("2012-10-17", &statements.span)))
        .put_node(
            "Statement",
            Some(Node::new(
                Kind::Seq(module_statements(statements)),
                statements.span.clone(),
            )),
        );
    doc.finish()
}

/// The statements of a `policy_statements` or `assume_role_policy_statements` input, as
/// the module's `dynamic "statement"` writes them: `sid` or the key without what is not a
/// letter or digit, `principals`/`not_principals` (`[{type, identifiers}]`) and `condition`
/// (`{name = {test, variable, values}}` or a list).
fn module_statements(statements: &Node) -> Vec<Node> {
    let Kind::Map(entries) = &statements.kind else {
        return vec![statements.clone()];
    };
    entries
        .iter()
        .map(|e| {
            let s = &e.value;
            if let Kind::Unknown(_) = s.kind {
                return s.clone();
            }
            let sid: String = e.key.chars().filter(char::is_ascii_alphanumeric).collect();
            let mut p = Props::new(s.span.clone());
            match s.get("sid") {
                Some(written) => p.put("Sid", Some(written)),
                None if !sid.is_empty() => p.put_node("Sid", Some(text(&sid, &e.key_span))),
                None => &mut p,
            };
            p.put_or("Effect", s.get("effect"), text("Allow", &s.span))
                .put("Action", s.get("actions"))
                .put("NotAction", s.get("not_actions"))
                .put("Resource", s.get("resources"))
                .put("NotResource", s.get("not_resources"))
                .put_node("Principal", principals(&objects(s.get("principals"))))
                .put_node(
                    "NotPrincipal",
                    principals(&objects(s.get("not_principals"))),
                )
                .put_node("Condition", conditions(&objects(s.get("condition"))));
            p.finish()
        })
        .collect()
}

/// The objects of an input the module iterates with `for_each` (a list, or a map's values).
fn objects(value: Option<&Node>) -> Vec<Node> {
    match value.map(|v| &v.kind) {
        Some(Kind::Seq(items)) => items.clone(),
        Some(Kind::Map(entries)) => entries.iter().map(|e| e.value.clone()).collect(),
        Some(Kind::Unknown(_)) => value.cloned().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The trust policy the module writes: Lambda (and Lambda@Edge with `lambda_at_edge`) and
/// the `trusted_entities` (services by name, other principals as `{type, identifiers}`)
/// may assume the role; the `assume_role_policy_statements` follow.
fn trust_policy(inputs: &Node, at: &Span, edge: bool) -> Node {
    let mut services = vec![text("lambda.amazonaws.com", at)];
    if edge {
        services.push(text("edgelambda.amazonaws.com", at));
    }
    let mut others = Vec::new();
    for entity in objects(inputs.get("trusted_entities")) {
        match entity.kind {
            Kind::Str(_) => services.push(entity),
            _ => others.push(entity),
        }
    }
    let mut service = Props::new(at.clone());
    service
        .put_node("type", Some(text("Service", at)))
        .put_node(
            "identifiers",
            Some(Node::new(Kind::Seq(services), at.clone())),
        );
    let mut blocks = vec![service.finish()];
    blocks.append(&mut others);
    let mut statement = Props::new(at.clone());
    statement
        .put_node("Effect", Some(text("Allow", at)))
        .put_node("Action", Some(text("sts:AssumeRole", at)))
        .put_node("Principal", principals(&blocks));
    let mut statements = vec![statement.finish()];
    if let Some(more) = inputs.get("assume_role_policy_statements") {
        statements.extend(module_statements(more));
    }
    let mut doc = Props::new(at.clone());
    doc.put_node("Version", Some(text("2012-10-17", at)))
        .put_node(
            "Statement",
            Some(Node::new(Kind::Seq(statements), at.clone())),
        );
    doc.finish()
}

fn add(model: &mut Model, id: &str, kind: &str, cfn: &str, props: Props, header: &Span) {
    let props = props.finish();
    let node = Node::new(Kind::Map(Vec::new()), header.clone());
    map(
        model,
        cfn,
        &Decl {
            meta: Resource::declared(id.to_owned(), kind.to_owned(), header.clone()),
            props: Some(&props),
            node: &node,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::is_source;

    fn source(s: &str) -> bool {
        let e = hcl_edit::parser::parse_expr(&format!("\"{s}\"")).expect("a string");
        is_source(&e)
    }

    #[test]
    fn the_module_is_told_from_its_submodules() {
        assert!(source("terraform-aws-modules/lambda/aws"));
        assert!(source(
            "registry.terraform.io/terraform-aws-modules/lambda/aws"
        ));
        assert!(source(
            "git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git?ref=v7.20.0"
        ));
        assert!(!source(
            "terraform-aws-modules/lambda/aws//modules/docker-build"
        ));
        assert!(!source(
            "git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git//modules/alias"
        ));
        assert!(!source("terraform-aws-modules/vpc/aws"));
    }
}
