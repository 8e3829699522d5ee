//! SARIF 2.1.0 (`--format sarif`), for code scanning: one run, every rule of the catalog in
//! `tool.driver.rules` with its documentation, results with exact regions, related
//! locations, code flows (a finding's path) and partial fingerprints, and loader problems
//! as tool execution notifications. Validated against the official schema in the tests.

use std::io::{self, Write};

use serde_json::{Value, json};
use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, RuleMeta, Severity, Span, Step};

use crate::{FileReport, Reporter, Summary};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF report, streamed: the tool and its rules first, then results as files arrive;
/// notifications (few) are held back for the invocation written at the end.
pub struct SarifReporter<'w> {
    out: &'w mut dyn Write,
    tool_version: String,
    rules: Vec<&'static RuleMeta>,
    started: bool,
    results_written: usize,
    notifications: Vec<Value>,
    summary: Summary,
}

impl<'w> SarifReporter<'w> {
    /// `rules` is the catalog, in the order `ruleIndex` refers to.
    pub fn new(out: &'w mut dyn Write, tool_version: &str, rules: Vec<&'static RuleMeta>) -> Self {
        Self {
            out,
            tool_version: tool_version.to_owned(),
            rules,
            started: false,
            results_written: 0,
            notifications: Vec::new(),
            summary: Summary::default(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let rules: Vec<Value> = self.rules.iter().map(|m| rule(m)).collect();
        let driver = json!({
            "name": "sheepdog",
            "version": self.tool_version,
            "semanticVersion": self.tool_version,
            "informationUri": "https://github.com/sheepdog-sec/sheepdog",
            "rules": rules,
        });
        writeln!(self.out, "{{")?;
        writeln!(self.out, "  \"$schema\": \"{SCHEMA}\",")?;
        writeln!(self.out, "  \"version\": \"2.1.0\",")?;
        writeln!(self.out, "  \"runs\": [{{")?;
        writeln!(
            self.out,
            "    \"tool\": {{\"driver\": {}}},",
            to_json(&driver)?
        )?;
        writeln!(self.out, "    \"columnKind\": \"unicodeCodePoints\",")?;
        write!(self.out, "    \"results\": [")
    }

    fn result(&self, f: &Finding) -> Value {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut l = location(&r.span);
                l["id"] = json!(i + 1);
                l["message"] = json!({ "text": r.message });
                l
            })
            .collect();
        let mut result = json!({
            "ruleId": f.rule.id,
            "level": level(f.severity),
            "message": { "text": f.message },
            "locations": [location(&f.span)],
            "partialFingerprints": { "sheepdog/v1": f.fingerprint() },
            "properties": {
                "severity": f.severity.as_str(),
                "resourceKind": f.resource_kind,
                "resourceId": f.resource_id,
                "help": f.help,
            },
        });
        if let Some(i) = self.rules.iter().position(|m| m.id == f.rule.id) {
            result["ruleIndex"] = json!(i);
        }
        if !related.is_empty() {
            result["relatedLocations"] = Value::Array(related);
        }
        if !f.path.is_empty() {
            result["codeFlows"] = json!([code_flow(&f.path)]);
        }
        if let Some(reason) = &f.suppressed {
            result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
        }
        result
    }
}

fn to_json(value: &Value) -> io::Result<String> {
    serde_json::to_string(value).map_err(io::Error::other)
}

/// SARIF's level for a severity: what code scanning shows as error, warning or note.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning ranks alerts by this 0–10 score.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn rule(m: &RuleMeta) -> Value {
    let practices: Vec<String> = m
        .practices
        .iter()
        .map(|p| format!("practice-{p}"))
        .collect();
    let mut tags = vec!["security".to_owned()];
    tags.extend(practices);
    json!({
        "id": m.id,
        "name": m.name,
        "shortDescription": { "text": m.summary() },
        "fullDescription": { "text": m.section("What it checks").unwrap_or_default() },
        "help": {
            "text": m.section("How to fix").unwrap_or_default(),
            "markdown": m.docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n"),
        },
        "defaultConfiguration": { "level": level(m.severity), "enabled": !m.opt_in },
        "properties": {
            "security-severity": security_severity(m.severity),
            "precision": "high",
            "tags": tags,
        },
    })
}

/// A relative URI reference for a path as sheepdog names it.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

fn location(span: &Span) -> Value {
    let mut region = json!({
        "startLine": span.start.line.max(1),
        "startColumn": span.start.column.max(1),
    });
    if span.end > span.start {
        region["endLine"] = json!(span.end.line);
        region["endColumn"] = json!(span.end.column.max(1));
    }
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&span.file) },
            "region": region,
        }
    })
}

/// A finding's path as a code flow: one thread, each step a location with its message, in
/// the order the problem travels (code scanning shows them as numbered steps).
fn code_flow(path: &[Step]) -> Value {
    let locations: Vec<Value> = path
        .iter()
        .map(|step| {
            let mut l = location(&step.span);
            l["message"] = json!({ "text": step.message });
            json!({ "location": l })
        })
        .collect();
    json!({ "threadFlows": [{ "locations": locations }] })
}

fn notification(d: &Diagnostic) -> Value {
    let mut n = json!({
        "level": match d.level { DiagnosticLevel::Error => "error", DiagnosticLevel::Warning => "warning" },
        "message": { "text": d.message },
        "descriptor": { "id": d.code },
    });
    match (&d.span, &d.file) {
        (Some(span), _) => n["locations"] = json!([location(span)]),
        (None, Some(file)) => {
            n["locations"] =
                json!([{ "physicalLocation": { "artifactLocation": { "uri": uri(file) } } }]);
        }
        (None, None) => {}
    }
    n
}

impl Reporter for SarifReporter<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.start()?;
        self.summary.add_diagnostic(d);
        self.notifications.push(notification(d));
        Ok(())
    }

    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        self.start()?;
        self.summary.add_findings(file.findings);
        for f in file.findings {
            let sep = if self.results_written == 0 { "" } else { "," };
            let result = to_json(&self.result(f))?;
            write!(self.out, "{sep}\n      {result}")?;
            self.results_written += 1;
        }
        for d in file.diagnostics {
            self.summary.add_diagnostic(d);
            self.notifications.push(notification(d));
        }
        Ok(())
    }

    fn finish(&mut self, templates: usize) -> io::Result<Summary> {
        self.start()?;
        let end = if self.results_written == 0 {
            "]"
        } else {
            "\n    ]"
        };
        writeln!(self.out, "{end},")?;
        self.summary.templates = templates;
        let invocation = json!({
            "executionSuccessful": self.summary.errors == 0,
            "toolExecutionNotifications": self.notifications,
        });
        writeln!(self.out, "    \"invocations\": [{}]", to_json(&invocation)?)?;
        writeln!(self.out, "  }}]")?;
        writeln!(self.out, "}}")?;
        Ok(self.summary)
    }
}
