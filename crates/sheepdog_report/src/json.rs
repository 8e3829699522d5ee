//! The JSON report. Its shape is a public contract: documented in docs/json-report.md,
//! described by docs/report.schema.json, and versioned by [`SCHEMA_VERSION`] (semver:
//! additions bump the minor version, any removal or change of meaning the major).

use std::io::{self, Write};

use serde::Serialize;
use sheepdog_diagnostics::{Diagnostic, Finding, Severity, Span};

use crate::{FileReport, Reporter, Summary};

pub const SCHEMA_VERSION: &str = "1.1.0";

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    templates: usize,
    findings: usize,
    by_severity: Counts,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Counts {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'static str,
    rule_name: &'static str,
    severity: Severity,
    practices: &'static [u8],
    message: &'a str,
    help: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    resource_kind: &'a str,
    resource_id: &'a str,
    fingerprint: String,
    related: Vec<JsonLocation<'a>>,
    /// Since 1.1.0.
    path: Vec<JsonLocation<'a>>,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    level: sheepdog_diagnostics::DiagnosticLevel,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule_id: f.rule.id,
        rule_name: f.rule.name,
        severity: f.severity,
        practices: f.rule.practices,
        message: &f.message,
        help: &f.help,
        file: &f.span.file,
        line: f.span.start.line,
        column: f.span.start.column,
        end_line: f.span.end.line,
        end_column: f.span.end.column,
        resource_kind: &f.resource_kind,
        resource_id: &f.resource_id,
        fingerprint: f.fingerprint(),
        related: f
            .related
            .iter()
            .map(|r| json_location(&r.message, &r.span))
            .collect(),
        path: f
            .path
            .iter()
            .map(|s| json_location(&s.message, &s.span))
            .collect(),
    }
}

fn json_location<'a>(message: &'a str, span: &'a Span) -> JsonLocation<'a> {
    JsonLocation {
        message,
        file: &span.file,
        line: span.start.line,
        column: span.start.column,
    }
}

fn diagnostic(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        code: d.code,
        level: d.level,
        message: &d.message,
        file: d.file.as_deref(),
        line: d.span.as_ref().map(|s| s.start.line),
        column: d.span.as_ref().map(|s| s.start.column),
    }
}

/// The JSON report, streamed: the header, then one finding per line as files arrive;
/// diagnostics (few) are held back and written after the findings, then the summary.
pub struct JsonReporter<'w> {
    out: &'w mut dyn Write,
    tool_version: String,
    started: bool,
    findings_written: usize,
    diagnostics: Vec<Diagnostic>,
    summary: Summary,
}

impl<'w> JsonReporter<'w> {
    pub fn new(out: &'w mut dyn Write, tool_version: &str) -> Self {
        Self {
            out,
            tool_version: tool_version.to_owned(),
            started: false,
            findings_written: 0,
            diagnostics: Vec::new(),
            summary: Summary::default(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let tool = Tool {
                name: "sheepdog",
                version: &self.tool_version,
            };
            writeln!(self.out, "{{")?;
            writeln!(self.out, "  \"schema_version\": \"{SCHEMA_VERSION}\",")?;
            writeln!(self.out, "  \"tool\": {},", to_json(&tool)?)?;
            write!(self.out, "  \"findings\": [")?;
        }
        Ok(())
    }
}

fn to_json<T: Serialize>(value: &T) -> io::Result<String> {
    serde_json::to_string(value).map_err(io::Error::other)
}

impl Reporter for JsonReporter<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.start()?;
        self.summary.add_diagnostic(d);
        self.diagnostics.push(d.clone());
        Ok(())
    }

    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        self.start()?;
        self.summary.add_findings(file.findings);
        for f in file.findings {
            let sep = if self.findings_written == 0 { "" } else { "," };
            write!(self.out, "{sep}\n    {}", to_json(&finding(f))?)?;
            self.findings_written += 1;
        }
        for d in file.diagnostics {
            self.summary.add_diagnostic(d);
            self.diagnostics.push(d.clone());
        }
        Ok(())
    }

    fn finish(&mut self, templates: usize) -> io::Result<Summary> {
        self.start()?;
        let end = if self.findings_written == 0 {
            "]"
        } else {
            "\n  ]"
        };
        writeln!(self.out, "{end},")?;
        write!(self.out, "  \"diagnostics\": [")?;
        for (i, d) in self.diagnostics.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(self.out, "{sep}\n    {}", to_json(&diagnostic(d))?)?;
        }
        let end = if self.diagnostics.is_empty() {
            "]"
        } else {
            "\n  ]"
        };
        writeln!(self.out, "{end},")?;
        self.summary.templates = templates;
        let s = self.summary;
        let summary = JsonSummary {
            templates,
            findings: s.findings(),
            by_severity: Counts {
                critical: s.critical,
                high: s.high,
                medium: s.medium,
                low: s.low,
                info: s.info,
            },
            errors: s.errors,
            warnings: s.warnings,
        };
        writeln!(self.out, "  \"summary\": {}", to_json(&summary)?)?;
        writeln!(self.out, "}}")?;
        Ok(s)
    }
}
