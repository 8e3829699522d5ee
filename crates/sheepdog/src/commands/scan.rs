use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use rayon::prelude::*;
use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, Severity, Span};
use sheepdog_load::{discover, load_file};
use sheepdog_report::{Report, TerminalOptions, write_json, write_terminal};
use sheepdog_rules::{Date, Options, Selection, check, find_rule, runtimes, secret_shapes};

use crate::cli::{FailOn, Format, ScanArgs};
use crate::output;

/// What scanning one file produced.
struct FileResult {
    findings: Vec<Finding>,
    secrets: Vec<Span>,
    diagnostics: Vec<Diagnostic>,
    source: Option<(Arc<str>, Arc<str>)>,
    template: bool,
}

pub fn run(args: &ScanArgs) -> anyhow::Result<u8> {
    let today = match &args.today {
        Some(d) => Date::parse(d)
            .with_context(|| format!("invalid --today `{d}` (expected YYYY-MM-DD)"))?,
        None => Date::today(),
    };
    for id in args.rules.iter().chain(&args.ignore_rules) {
        if find_rule(id).is_none() {
            bail!("no rule `{id}`; `sheepdog rules` lists them");
        }
    }
    let options = Options {
        today,
        selection: Selection {
            only: args.rules.clone(),
            ignore: args.ignore_rules.clone(),
        },
    };
    let keep_sources = args.format == Format::Terminal;

    let found = discover(&args.paths);
    let results: Vec<FileResult> = found
        .files
        .par_iter()
        .filter_map(|(path, mode)| load_file(path, *mode))
        .map(|loaded| {
            let findings = loaded
                .model
                .as_ref()
                .map(|m| check(m, &options))
                .unwrap_or_default();
            // Only files a frame will be drawn for keep their text (memory stays flat on big scans).
            let source = match (&loaded.source, keep_sources) {
                (Some(text), true) if !findings.is_empty() || !loaded.diagnostics.is_empty() => {
                    Some((loaded.file.clone(), text.clone()))
                }
                _ => None,
            };
            let secrets = match (&source, &loaded.model) {
                (Some(_), Some(m)) => secret_shapes::secret_spans(m),
                _ => Vec::new(),
            };
            FileResult {
                secrets,
                template: loaded.model.is_some(),
                findings,
                diagnostics: loaded.diagnostics,
                source,
            }
        })
        .collect();

    let mut findings = Vec::new();
    let mut diagnostics = found.diagnostics;
    let mut sources: HashMap<Arc<str>, Arc<str>> = HashMap::new();
    let mut secrets = Vec::new();
    let mut templates = 0;
    for r in results {
        findings.extend(r.findings);
        diagnostics.extend(r.diagnostics);
        sources.extend(r.source);
        secrets.extend(r.secrets);
        templates += usize::from(r.template);
    }
    if let Some(warning) = runtimes::staleness(today) {
        diagnostics.push(Diagnostic {
            code: "SD008",
            level: DiagnosticLevel::Warning,
            message: warning,
            span: None,
            file: None,
        });
    }
    // Files were scanned in parallel; the report is ordered (DESIGN.md invariant 6).
    findings.sort_by(|a, b| {
        (&a.span.file, a.span.start, a.rule.id, &a.message).cmp(&(
            &b.span.file,
            b.span.start,
            b.rule.id,
            &b.message,
        ))
    });
    diagnostics.sort_by(|a, b| {
        (&a.file, a.span.as_ref().map(|s| s.start), a.code).cmp(&(
            &b.file,
            b.span.as_ref().map(|s| s.start),
            b.code,
        ))
    });

    let report = Report {
        findings: &findings,
        diagnostics: &diagnostics,
        sources: &sources,
        secrets: &secrets,
        templates,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let mut out = output::open(args.output.as_deref())?;
    match args.format {
        Format::Terminal => {
            let color = output::use_color(args.no_color, args.output.is_some());
            write_terminal(&mut out, &report, TerminalOptions { color })?;
        }
        Format::Json => write_json(&mut out, &report)?,
    }
    out.flush()?;

    if diagnostics
        .iter()
        .any(|d| d.level == DiagnosticLevel::Error)
    {
        return Ok(2);
    }
    let threshold = match args.fail_on {
        FailOn::Critical => Some(Severity::Critical),
        FailOn::High => Some(Severity::High),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::Low => Some(Severity::Low),
        FailOn::Info => Some(Severity::Info),
        FailOn::None => None,
    };
    let failing = threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t));
    Ok(u8::from(failing))
}
