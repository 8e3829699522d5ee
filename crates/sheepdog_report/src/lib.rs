//! Reporters: the terminal report with code frames, and the versioned JSON report.
//!
//! Reporters write to a `Write` they are given and never see a file format or the model;
//! they secret-redact every value a rule marked as one (DESIGN.md invariant 5).

mod json;
mod summary;
mod terminal;

use std::collections::HashMap;
use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, Finding, Span};

pub use json::{SCHEMA_VERSION, write_json};
pub use summary::Summary;
pub use terminal::{TerminalOptions, write_terminal};

/// Everything a reporter needs about one scan.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub diagnostics: &'a [Diagnostic],
    /// File path → file text, for code frames.
    pub sources: &'a HashMap<Arc<str>, Arc<str>>,
    /// Where secrets are written in those files, whichever rules ran: every frame that
    /// shows one masks it (DESIGN.md invariant 5).
    pub secrets: &'a [Span],
    /// Files that were parsed as templates.
    pub templates: usize,
    pub tool_version: &'a str,
}
