use sheepdog_model::Model;

use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An environment variable that turns on a debugger, an inspector or a framework's
    /// debug mode.
    /// Reported: `NODE_OPTIONS` with `--inspect`, `--inspect-brk` or `--inspect-wait`
    /// (the Node.js inspector); `JAVA_TOOL_OPTIONS` or `_JAVA_OPTIONS` with
    /// `-agentlib:jdwp` or `-Xrunjdwp` (the Java debug wire protocol agent); `FLASK_DEBUG`
    /// (Flask's debug mode and Werkzeug debugger), `DJANGO_DEBUG` (the usual switch for
    /// Django's `DEBUG`) and `DEBUG` set to a true value (`1`, `true`, `yes`, `on`). Not
    /// reported: `DEBUG` holding a namespace filter for the `debug` library
    /// (`DEBUG=express:*`, more logging rather than a debug mode), log levels, and values
    /// sheepdog cannot resolve. `NODE_TLS_REJECT_UNAUTHORIZED=0` is TLS001's.
    ///
    /// ## Why it matters
    /// Practice 13 (secure execution environment): debug switches are for a developer's
    /// machine. Django's and Flask's debug pages show stack traces, settings and
    /// environment values (secrets included) to whoever triggers an error through the API,
    /// and the Werkzeug debugger offers an interactive console. An inspector or JDWP agent
    /// listens on a port that any code in the execution environment (a layer, an
    /// extension, an injected dependency) can use to run code in the function's process,
    /// and `--inspect-brk` or `suspend=y` make every cold start hang until the timeout.
    ///
    /// ## How to fix
    /// Remove the switch from the deployed configuration (keep it in a local `env.json`
    /// for `sam local`), or set it from a parameter that is off outside development.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: nodejs22.x
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Environment:
    ///         Variables:
    ///           NODE_OPTIONS: --enable-source-maps --inspect=0.0.0.0:9229
    /// ```
    /// Fixed:
    /// ```yaml
    /// Transform: AWS::Serverless-2016-10-31
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Serverless::Function
    ///     Properties:
    ///       Runtime: nodejs22.x
    ///       Handler: app.handler
    ///       CodeUri: src/
    ///       Environment:
    ///         Variables:
    ///           NODE_OPTIONS: --enable-source-maps
    /// ```
    pub struct DebugSwitchInEnvironment {
        id: "RUN004",
        name: "debug-switch-in-environment",
        severity: Medium,
        practices: [13],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for DebugSwitchInEnvironment {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for f in &model.functions {
            for var in f.env_vars() {
                let Some(value) = var.value.value.as_str() else {
                    continue;
                };
                let Some(what) = debug_switch(&var.name.value, value) else {
                    continue;
                };
                cx.report(
                    &f.resource,
                    &var.value.span,
                    var.name.value.clone(),
                    format!(
                        "Environment variable `{}` of `{}` turns on {what}",
                        var.name.value, f.resource.id
                    ),
                    "remove the debug switch from the deployed configuration",
                );
            }
        }
    }
}

/// What a variable turns on, when it is a debug switch sheepdog is sure of.
fn debug_switch(name: &str, value: &str) -> Option<String> {
    match name {
        "NODE_OPTIONS" => value
            .split_whitespace()
            .map(|opt| opt.split_once('=').map_or(opt, |(flag, _)| flag))
            .find(|flag| matches!(*flag, "--inspect" | "--inspect-brk" | "--inspect-wait"))
            .map(|flag| format!("the Node.js inspector (`{flag}`)")),
        "JAVA_TOOL_OPTIONS" | "_JAVA_OPTIONS" => value
            .split_whitespace()
            .find(|opt| opt.starts_with("-agentlib:jdwp") || opt.starts_with("-Xrunjdwp"))
            .map(|_| "the Java debugger agent (JDWP)".to_owned()),
        "FLASK_DEBUG" if truthy(value) => Some("Flask's debug mode".to_owned()),
        "DJANGO_DEBUG" if truthy(value) => Some("Django's debug mode".to_owned()),
        "DEBUG" if truthy(value) => Some("debug mode".to_owned()),
        _ => None,
    }
}

fn truthy(value: &str) -> bool {
    ["1", "true", "yes", "on"]
        .iter()
        .any(|t| value.trim().eq_ignore_ascii_case(t))
}
