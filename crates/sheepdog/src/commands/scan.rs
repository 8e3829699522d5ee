use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use rayon::prelude::*;
use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, Severity, Span};
use sheepdog_load::{discover, load_file};
use sheepdog_report::{
    Baseline, BaselineReporter, Fanout, FileReport, JsonReporter, Reporter, SarifReporter,
    TerminalOptions, TerminalReporter,
};
use sheepdog_rules::{
    ALL_RULES, Date, Options, Selection, check, find_rule, runtimes, secret_shapes,
};

use crate::cli::{BaselineCreateArgs, FailOn, Level, ReportFormat, ScanArgs};
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
        baseline: match &args.baseline {
            Some(path) => read_baseline(path)?,
            None => BTreeSet::new(),
        },
    };
    let targets = report_targets(&args.format, &args.output)?;
    let frames = targets.iter().any(|(f, _)| *f == ReportFormat::Terminal);

    let mut outs: Vec<Box<dyn Write>> = targets
        .iter()
        .map(|(_, path)| output::open(path.as_deref()))
        .collect::<anyhow::Result<_>>()?;
    let reporters: Vec<Box<dyn Reporter + '_>> = targets
        .iter()
        .zip(outs.iter_mut())
        .map(|((format, path), out)| {
            reporter(
                *format,
                out.as_mut(),
                output::use_color(args.no_color, path.is_some()),
            )
        })
        .collect();
    let mut reporter = Fanout(reporters);

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
    for out in &mut outs {
        out.flush()?;
    }

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

/// Pair each `--format` with its `-o` (in order); formats without one write to standard
/// output, and only one may.
fn report_targets(
    formats: &[ReportFormat],
    outputs: &[PathBuf],
) -> anyhow::Result<Vec<(ReportFormat, Option<PathBuf>)>> {
    let formats = if formats.is_empty() {
        &[ReportFormat::Terminal][..]
    } else {
        formats
    };
    if outputs.len() > formats.len() {
        bail!("more -o files than --format values: give each -o its own --format");
    }
    if formats.len() - outputs.len() > 1 {
        bail!(
            "only one report can go to standard output: give each --format after the first its own -o FILE"
        );
    }
    Ok(formats
        .iter()
        .enumerate()
        .map(|(i, f)| (*f, outputs.get(i).cloned()))
        .collect())
}

/// The reporter for one format, writing to `out`.
fn reporter<'w>(
    format: ReportFormat,
    out: &'w mut dyn Write,
    color: bool,
) -> Box<dyn Reporter + 'w> {
    let version = env!("CARGO_PKG_VERSION");
    match format {
        ReportFormat::Terminal => Box::new(TerminalReporter::new(out, TerminalOptions { color })),
        ReportFormat::Json => Box::new(JsonReporter::new(out, version)),
        ReportFormat::Sarif => Box::new(SarifReporter::new(
            out,
            version,
            ALL_RULES.iter().map(|r| r.meta()).collect(),
        )),
        ReportFormat::Junit => Box::new(sheepdog_report::JunitReporter::new(out)),
        ReportFormat::Markdown => Box::new(sheepdog_report::MarkdownReporter::new(out)),
        ReportFormat::Baseline => Box::new(BaselineReporter::new(out, version)),
    }
}

/// The fingerprints of a baseline file.
fn read_baseline(path: &Path) -> anyhow::Result<BTreeSet<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    let baseline =
        Baseline::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(baseline.fingerprints())
}

/// `sheepdog baseline create`: a scan whose only report is the baseline file. Exit 0
/// whatever it found (accepting findings is the point), 2 when a file could not be read.
pub fn create_baseline(args: BaselineCreateArgs) -> anyhow::Result<u8> {
    let scan = ScanArgs {
        paths: args.paths,
        format: vec![ReportFormat::Baseline],
        output: vec![args.output],
        baseline: None,
        fail_on: FailOn::None,
        no_color: true,
        rules: Vec::new(),
        ignore_rules: Vec::new(),
        enable_rules: Vec::new(),
        rule_options: Vec::new(),
        min_severity: Level::Info,
        today: args.today,
    };
    run(&scan)
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
