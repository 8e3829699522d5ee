use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use rayon::prelude::*;
use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, Severity, Span};
use sheepdog_load::{discover, load_file};
use sheepdog_report::{
    FileReport, JsonReporter, Reporter, SarifReporter, TerminalOptions, TerminalReporter,
};
use sheepdog_rules::{
    ALL_RULES, Date, Options, Selection, check, find_rule, runtimes, secret_shapes,
};

use crate::cli::{FailOn, ReportFormat, ScanArgs};
use crate::output;

/// Files loaded and checked in parallel per batch; results are then reported in file order
/// and dropped, so memory stays flat however many files and findings there are.
const BATCH: usize = 256;

/// What scanning one file produced.
struct FileResult {
    file: Arc<str>,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    source: Option<Arc<str>>,
    secrets: Vec<Span>,
    template: bool,
}

pub fn run(args: &ScanArgs) -> anyhow::Result<u8> {
    let today = match &args.today {
        Some(d) => Date::parse(d)
            .with_context(|| format!("invalid --today `{d}` (expected YYYY-MM-DD)"))?,
        None => Date::today(),
    };
    for id in args
        .rules
        .iter()
        .chain(&args.ignore_rules)
        .chain(&args.enable_rules)
    {
        if find_rule(id).is_none() {
            bail!("no rule `{id}`; `sheepdog rules` lists them");
        }
    }
    let options = Options {
        today,
        selection: Selection {
            only: args.rules.clone(),
            ignore: args.ignore_rules.clone(),
            enable: args.enable_rules.clone(),
        },
        min_severity: args.min_severity.into(),
        rule_options: rule_options(&args.rule_options)?,
    };
    let frames = args.format == ReportFormat::Terminal;

    let mut out = output::open(args.output.as_deref())?;
    let mut reporter: Box<dyn Reporter> = match args.format {
        ReportFormat::Terminal => {
            let color = output::use_color(args.no_color, args.output.is_some());
            Box::new(TerminalReporter::new(&mut out, TerminalOptions { color }))
        }
        ReportFormat::Json => Box::new(JsonReporter::new(&mut out, env!("CARGO_PKG_VERSION"))),
        ReportFormat::Sarif => Box::new(SarifReporter::new(
            &mut out,
            env!("CARGO_PKG_VERSION"),
            ALL_RULES.iter().map(|r| r.meta()).collect(),
        )),
    };

    let found = discover(&args.paths);
    let mut failed = false;
    let mut worst: Option<Severity> = None;
    for d in &found.diagnostics {
        failed |= d.level == DiagnosticLevel::Error;
    }
    for d in found.diagnostics.iter().filter(|d| d.file.is_none()) {
        reporter.diagnostic(d)?;
    }
    let mut walk_diagnostics: Vec<&Diagnostic> = found
        .diagnostics
        .iter()
        .filter(|d| d.file.is_some())
        .collect();

    let mut templates = 0;
    for batch in found.files.chunks(BATCH) {
        let results: Vec<FileResult> = batch
            .par_iter()
            .filter_map(|(path, mode)| load_file(path, *mode))
            .map(|loaded| scan_one(loaded, &options, frames))
            .collect();
        for r in results {
            templates += usize::from(r.template);
            failed |= r
                .diagnostics
                .iter()
                .any(|d| d.level == DiagnosticLevel::Error);
            worst = worst.max(r.findings.iter().map(|f| f.severity).max());
            // Walk problems under this file's path (none, usually) are reported with it.
            let (mine, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = walk_diagnostics
                .into_iter()
                .partition(|d| d.file.as_deref() == Some(&*r.file));
            walk_diagnostics = others;
            let mut diagnostics = r.diagnostics;
            diagnostics.extend(mine.into_iter().cloned());
            reporter.file(&FileReport {
                file: &r.file,
                findings: &r.findings,
                diagnostics: &diagnostics,
                source: r.source.as_deref(),
                secrets: &r.secrets,
            })?;
        }
    }
    // Walk problems on paths that are not scanned files (a symlink loop, a missing path).
    for d in walk_diagnostics {
        reporter.diagnostic(d)?;
    }
    for warning in runtimes::stale_data(today) {
        reporter.diagnostic(&Diagnostic {
            code: "SD008",
            level: DiagnosticLevel::Warning,
            message: warning,
            span: None,
            file: None,
        })?;
    }
    reporter.finish(templates)?;
    drop(reporter);
    out.flush()?;

    if failed {
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
    Ok(u8::from(
        threshold.is_some_and(|t| worst.is_some_and(|w| w >= t)),
    ))
}

/// Parse `--rule-option ID.name=value` settings, refusing unknown rules and options.
fn rule_options(settings: &[String]) -> anyhow::Result<BTreeMap<String, BTreeMap<String, String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for setting in settings {
        let Some((path, value)) = setting.split_once('=') else {
            bail!("invalid --rule-option `{setting}` (expected ID.name=value)");
        };
        let Some((id, name)) = path.split_once('.') else {
            bail!("invalid --rule-option `{setting}` (expected ID.name=value)");
        };
        let Some(rule) = find_rule(id) else {
            bail!("no rule `{id}`; `sheepdog rules` lists them");
        };
        let meta = rule.meta();
        if !meta.options.iter().any(|(n, _)| *n == name) {
            let known: Vec<&str> = meta.options.iter().map(|(n, _)| *n).collect();
            bail!(
                "rule {} has no option `{name}` (it has: {})",
                meta.id,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            );
        }
        out.entry(meta.id.to_owned())
            .or_default()
            .insert(name.to_owned(), value.to_owned());
    }
    Ok(out)
}

/// Check one loaded file. Only files a frame will be drawn for keep their text.
fn scan_one(loaded: sheepdog_load::Loaded, options: &Options, frames: bool) -> FileResult {
    let findings = loaded
        .model
        .as_ref()
        .map(|m| check(m, options))
        .unwrap_or_default();
    let framed = frames && (!findings.is_empty() || !loaded.diagnostics.is_empty());
    let secrets = match (&loaded.model, framed) {
        (Some(m), true) => secret_shapes::secret_spans(m),
        _ => Vec::new(),
    };
    let mut diagnostics = loaded.diagnostics;
    diagnostics.sort_by(|a, b| {
        (a.span.as_ref().map(|s| s.start), a.code).cmp(&(b.span.as_ref().map(|s| s.start), b.code))
    });
    FileResult {
        template: loaded.model.is_some(),
        file: loaded.file,
        findings,
        diagnostics,
        source: if framed { loaded.source } else { None },
        secrets,
    }
}
