//! The JSON report. Its shape is a public contract: documented in docs/json-report.md,
//! described by docs/report.schema.json, and versioned by [`SCHEMA_VERSION`] (semver:
//! additions bump the minor version, any removal or change of meaning the major).

use std::io::{self, Write};

use serde::Serialize;
use sheepdog_diagnostics::{Diagnostic, Finding, Severity};

use crate::{Report, Summary};

pub const SCHEMA_VERSION: &str = "1.0.0";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: &'static str,
    tool: Tool<'a>,
    summary: JsonSummary,
    findings: Vec<JsonFinding<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

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
            .map(|r| JsonLocation {
                message: &r.message,
                file: &r.span.file,
                line: r.span.start.line,
                column: r.span.start.column,
            })
            .collect(),
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

/// Write the JSON report (pretty-printed, one trailing newline).
pub fn write_json(out: &mut dyn Write, report: &Report<'_>) -> io::Result<()> {
    let s = Summary::of(report);
    let doc = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "sheepdog",
            version: report.tool_version,
        },
        summary: JsonSummary {
            templates: report.templates,
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
        },
        findings: report.findings.iter().map(finding).collect(),
        diagnostics: report.diagnostics.iter().map(diagnostic).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}
