use std::collections::HashSet;

use sheepdog_model::{Function, Model, Qualifier, Resource, Sourced, Span};

use crate::context::describe;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A trigger that invokes a function unqualified, that is `$LATEST`, although the
    /// function has aliases.
    /// Triggers are event source mappings, API Gateway methods and routes, function URLs,
    /// and the permissions that let other services and accounts invoke the function (an S3
    /// notification, an SNS subscription or an EventBridge rule is configured outside the
    /// function; its `AWS::Lambda::Permission` is what the template shows). A function
    /// reference is unqualified when it is the function itself (`!Ref Fn`,
    /// `!GetAtt Fn.Arn`, a name or ARN without `:qualifier`, or `:$LATEST`), and qualified
    /// when it names an alias or version (`!Ref FnAlias`, SAM's `!Ref Fn.Alias`,
    /// `!Sub ${Fn.Arn}:live`, `arn:...:function:name:live`). An
    /// `AWS::Lambda::EventInvokeConfig` whose `Qualifier` is `$LATEST` (or absent) is
    /// reported too, unless another one configures the alias: its retry and destination
    /// settings do not apply to the alias.
    /// A permission for `apigateway.amazonaws.com` is left to the API methods and routes
    /// that invoke the same function, when the template shows them. SAM functions with
    /// `AutoPublishAlias` are fine: SAM connects their events to the alias. References
    /// sheepdog cannot resolve (parameters, imports) are not reported.
    ///
    /// ## Why it matters
    /// Practice 10 (versioning and aliases): an alias is how a team controls which code
    /// runs — a tested version, a canary shifted gradually, a rollback in one step. A
    /// trigger on `$LATEST` bypasses all of it: whatever code was uploaded last, by a
    /// deployment or by anyone allowed `lambda:UpdateFunctionCode`, serves that trigger at
    /// once, untested and outside the canary and its alarms, and rolling the alias back
    /// does not roll that trigger back.
    ///
    /// ## How to fix
    /// Point the trigger and its permission at the alias: `FunctionName: !Ref FnAlias` (or
    /// `!Sub ${Fn.Arn}:live`) on `AWS::Lambda::Permission` and
    /// `AWS::Lambda::EventSourceMapping`, `Qualifier: live` on `AWS::Lambda::Url` and
    /// `AWS::Lambda::EventInvokeConfig`, and `.../functions/${FnAlias}/invocations` in the
    /// API integration URI. In SAM, set `AutoPublishAlias` on the function and declare its
    /// triggers as `Events`, which SAM connects to the alias; a resource written by hand
    /// refers to the alias as `!Ref Fn.Alias`.
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
    ///       AutoPublishAlias: live
    ///   Uploads:
    ///     Type: AWS::S3::Bucket
    ///   UploadsInvoke:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !GetAtt Fn.Arn
    ///       Action: lambda:InvokeFunction
    ///       Principal: s3.amazonaws.com
    ///       SourceArn: !GetAtt Uploads.Arn
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: python3.12
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       AutoPublishAlias: live
    ///   Uploads:
    ///     Type: AWS::S3::Bucket
    ///   UploadsInvoke:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: !Ref Fn.Alias
    ///       Action: lambda:InvokeFunction
    ///       Principal: s3.amazonaws.com
    ///       SourceArn: !GetAtt Uploads.Arn
    /// ```
    pub struct TriggerTargetsLatest {
        id: "VER002",
        name: "trigger-targets-latest",
        severity: Low,
        practices: [10],
        sources: [CloudFormation, Sam, Terraform],
    }
}

const HELP: &str = "point the trigger at the alias, by reference (`!Ref FnAlias`) or by an ARN ending in `:<alias>` (SAM: `!Ref Fn.Alias`)";

impl Rule for TriggerTargetsLatest {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        let mut checker = Checker {
            model,
            api_fronted: HashSet::new(),
        };
        for m in &model.rest_methods {
            if let Some(target) = &m.integration_function {
                checker.api(cx, &m.resource, "API method", target);
            }
        }
        for r in &model.http_routes {
            if let Some(target) = &r.target_function {
                checker.api(cx, &r.resource, "API route", target);
            }
        }
        for url in &model.function_urls {
            checker.url(cx, url);
        }
        for p in &model.permissions {
            checker.permission(cx, p);
        }
        for esm in &model.event_source_mappings {
            if let Some(f) = checker.unqualified(&esm.function) {
                let aliases = checker.aliases(f);
                cx.report(
                    &esm.resource,
                    &esm.function.span,
                    "",
                    format!(
                        "Event source mapping {} invokes `{}` as `$LATEST`, bypassing its {aliases}",
                        describe(&esm.resource),
                        f.resource.id
                    ),
                    HELP,
                );
            }
        }
        for c in &model.event_invoke_configs {
            checker.invoke_config(cx, c);
        }
    }
}

struct Checker<'m> {
    model: &'m Model,
    /// Functions an API method or route of the template invokes: their API Gateway
    /// permissions are judged through those integrations.
    api_fronted: HashSet<&'m str>,
}

impl<'m> Checker<'m> {
    /// The function `target` invokes as `$LATEST`, when that function has aliases.
    fn unqualified(&self, target: &Sourced<String>) -> Option<&'m Function> {
        match self.model.function_of(&target.value)? {
            (f, Qualifier::Unqualified) if self.model.aliases_of(f).next().is_some() => Some(f),
            _ => None,
        }
    }

    /// "alias `live`" / "aliases `live`, `beta`", in the order the template declares them.
    fn aliases(&self, f: &Function) -> String {
        let names: Vec<String> = self
            .model
            .aliases_of(f)
            .map(|a| {
                let name = a.name.value.as_str().unwrap_or(&a.resource.id);
                format!("`{name}`")
            })
            .collect();
        match names.as_slice() {
            [one] => format!("alias {one}"),
            many => format!("aliases {}", many.join(", ")),
        }
    }

    fn api(
        &mut self,
        cx: &mut Context<'_>,
        resource: &Resource,
        what: &str,
        target: &Sourced<String>,
    ) {
        if let Some((f, _)) = self.model.function_of(&target.value) {
            self.api_fronted.insert(f.resource.id.as_str());
        }
        let Some(f) = self.unqualified(target) else {
            return;
        };
        let aliases = self.aliases(f);
        cx.report(
            resource,
            &target.span,
            "",
            format!(
                "{what} {} invokes `{}` as `$LATEST`, bypassing its {aliases}",
                describe(resource),
                f.resource.id
            ),
            HELP,
        );
    }

    fn url(&self, cx: &mut Context<'_>, url: &sheepdog_model::FunctionUrl) {
        let Some((f, q)) = self.model.function_of(&url.function.value) else {
            return;
        };
        if q != Qualifier::Unqualified || self.model.aliases_of(f).next().is_none() {
            return;
        }
        let span: &Span = match &url.qualifier {
            None => &url.function.span,
            Some(qualifier) if qualifier.value.is("$LATEST") => &qualifier.span,
            Some(_) => return,
        };
        let aliases = self.aliases(f);
        cx.report(
            &url.resource,
            span,
            "",
            format!(
                "Function URL {} serves `{}` as `$LATEST`, bypassing its {aliases}",
                describe(&url.resource),
                f.resource.id
            ),
            "set the URL's `Qualifier` to the alias",
        );
    }

    fn permission(&self, cx: &mut Context<'_>, p: &sheepdog_model::Permission) {
        // A function URL's permission follows the URL, which is judged on its own.
        if p.action.value.is("lambda:InvokeFunctionUrl") || p.function_url_auth_type.is_some() {
            return;
        }
        let Some(f) = self.unqualified(&p.function) else {
            return;
        };
        let principal = p.principal.value.as_str();
        if principal == Some("apigateway.amazonaws.com")
            && self.api_fronted.contains(f.resource.id.as_str())
        {
            return;
        }
        let who = principal.map_or_else(|| "its principal".to_owned(), |pr| format!("`{pr}`"));
        let aliases = self.aliases(f);
        cx.report(
            &p.resource,
            &p.function.span,
            "",
            format!(
                "Permission {} lets {who} invoke `{}` as `$LATEST`, bypassing its {aliases}",
                describe(&p.resource),
                f.resource.id
            ),
            "grant the permission on the alias (`!Ref FnAlias`), and point the trigger at it (SAM: `!Ref Fn.Alias`)",
        );
    }

    fn invoke_config(&self, cx: &mut Context<'_>, c: &sheepdog_model::EventInvokeConfig) {
        let Some(f) = self.unqualified(&c.function) else {
            return;
        };
        let on_latest = |c: &sheepdog_model::EventInvokeConfig| {
            c.qualifier.as_ref().is_none_or(|q| q.value.is("$LATEST"))
        };
        let span = match &c.qualifier {
            None => &c.resource.span,
            Some(q) if q.value.is("$LATEST") => &q.span,
            Some(_) => return,
        };
        // Another config of the function for its alias (or a qualifier sheepdog cannot
        // resolve): the alias is configured, this one is only unused.
        if self.model.event_invoke_configs.iter().any(|o| {
            !on_latest(o)
                && self
                    .model
                    .function_of(&o.function.value)
                    .is_some_and(|(g, _)| g.resource.id == f.resource.id)
        }) {
            return;
        }
        let aliases = self.aliases(f);
        cx.report(
            &c.resource,
            span,
            "",
            format!(
                "Event invoke config {} applies to `{}` as `$LATEST`, not to its {aliases}",
                describe(&c.resource),
                f.resource.id
            ),
            "set `Qualifier` to the alias the triggers invoke",
        );
    }
}
