use serde::Serialize;

use crate::{RuleMeta, Severity, Span};

/// A problem a rule found in the model.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(skip)]
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// What is wrong with this resource, naming it. Never contains a secret in full.
    pub message: String,
    /// What to do about it, in one line.
    pub help: String,
    /// The exact node that is wrong.
    pub span: Span,
    /// Kind of the resource the finding is about (e.g. `AWS::Lambda::Function`).
    pub resource_kind: String,
    /// Its logical ID / address / ARN.
    pub resource_id: String,
    /// Other places that explain the finding (the SAM node that caused an implicit resource).
    pub related: Vec<Related>,
    /// How the problem reaches the place where it does harm, in order (an unauthenticated URL,
    /// the function it invokes, the role that function runs as), when the finding is about
    /// such a path; empty otherwise. SARIF writes it as a code flow.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<Step>,
    /// What distinguishes this finding from others of the same rule on the same resource
    /// (e.g. the env var name). Part of the fingerprint; never a line number.
    pub key: String,
    /// Why the team accepted this finding, when a suppression covers it: it is not reported
    /// (nor counted against `--fail-on`) unless asked for (`--show-suppressed`).
    #[serde(skip)]
    pub suppressed: Option<String>,
}

impl Finding {
    /// A stable fingerprint: survives lines moving and unrelated resources being added,
    /// changes when the rule, file, resource or finding key changes.
    ///
    /// FNV-1a, written out so it never changes with the Rust version or a dependency.
    /// A leading `./` is not part of the file's identity: `sheepdog scan` (which walks `.`)
    /// and `sheepdog scan app/template.yaml` fingerprint the same finding alike.
    pub fn fingerprint(&self) -> String {
        let file = self.span.file.trim_start_matches("./");
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [self.rule.id, file, &self.resource_id, &self.key] {
            for byte in part.bytes().chain(std::iter::once(0xff)) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }
}

/// A secondary location attached to a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub message: String,
    pub span: Span,
}

/// One step of a finding's [`Finding::path`]: a place, and what happens there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub message: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    Warning,
    Error,
}

/// A problem with the input or the tool itself (not a security finding): a parse error,
/// an unresolvable reference, stale embedded data. Codes are `SD0xx`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub level: DiagnosticLevel,
    pub message: String,
    /// Where, when there is a place to point at; otherwise `file` alone says which file.
    pub span: Option<Span>,
    pub file: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self {
            code,
            level: DiagnosticLevel::Error,
            message: message.into(),
            file: Some(span.file.to_string()),
            span: Some(span),
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self {
            level: DiagnosticLevel::Warning,
            ..Self::error(code, message, span)
        }
    }

    pub fn file_error(code: &'static str, message: impl Into<String>, file: &str) -> Self {
        Self {
            code,
            level: DiagnosticLevel::Error,
            message: message.into(),
            span: None,
            file: Some(file.to_owned()),
        }
    }
}
