use sheepdog_model::Model;

use crate::context::describe;
use crate::secret_shapes::redact;
use crate::{Context, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A function permission (`AWS::Lambda::Permission`, the permission SAM creates for an
    /// `AlexaSkill` event) whose `EventSourceToken` is written in the template: a literal,
    /// or a parameter whose default supplies it. A dynamic reference or a parameter without
    /// a default (`NoEcho`) stays quiet.
    ///
    /// ## Why it matters
    /// Practice 3 (secrets out of templates): the event source token is the value an invoker
    /// must present for the permission to apply (for Alexa, the skill it trusts). Written in
    /// the template it is in version control and every copy of it, and changing it takes a
    /// deployment of this template; `cfn_nag` rejects it for the same reason (F45). When the
    /// token is nothing more than a public skill ID, suppress the finding with that reason.
    ///
    /// ## How to fix
    /// Pass the token as a `NoEcho` parameter without a default, or as a dynamic reference
    /// (`{{resolve:secretsmanager:...}}`). In SAM, give the `AlexaSkill` event's `SkillId`
    /// the same way.
    ///
    /// ## Example
    /// Insecure:
    /// ```yaml
    /// Resources:
    ///   SmartHomePermission:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: smart-home
    ///       Action: lambda:InvokeFunction
    ///       Principal: alexa-connectedhome.amazon.com
    ///       EventSourceToken: amzn1.ask.skill.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
    /// ```
    /// Fixed:
    /// ```yaml
    /// Parameters:
    ///   SkillToken:
    ///     Type: String
    ///     NoEcho: true
    /// Resources:
    ///   SmartHomePermission:
    ///     Type: AWS::Lambda::Permission
    ///     Properties:
    ///       FunctionName: smart-home
    ///       Action: lambda:InvokeFunction
    ///       Principal: alexa-connectedhome.amazon.com
    ///       EventSourceToken: !Ref SkillToken
    /// ```
    pub struct PlaintextEventSourceToken {
        id: "SEC009",
        name: "plaintext-event-source-token",
        severity: Low,
        practices: [3],
        sources: [CloudFormation, Sam, Terraform],
    }
}

impl Rule for PlaintextEventSourceToken {
    fn check(&self, model: &Model, cx: &mut Context<'_>) {
        for p in &model.permissions {
            let Some(token) = &p.event_source_token else {
                continue;
            };
            // Unknown: a dynamic reference, a parameter without a default, an import.
            let Some(text) = token.value.as_str() else {
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            cx.report(
                &p.resource,
                &token.span,
                "",
                format!(
                    "Permission {} has its `EventSourceToken` in plain text in the source (`{}`, redacted)",
                    describe(&p.resource),
                    redact(text)
                ),
                "pass the token in at deployment (an input marked `NoEcho`, without a default), or read it from a secret store",
            );
        }
    }
}
