use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use rayon::prelude::*;
use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, RuleMeta, Severity, Span};
use sheepdog_load::terraform::Inputs;
use sheepdog_load::{discover, load};
use sheepdog_report::{
    Baseline, BaselineReporter, Fanout, FileReport, HtmlReporter, JsonReporter, Reporter,
    SarifReporter, ScannedFunction, TerminalOptions, TerminalReporter,
};
use sheepdog_rules::{
    ALL_RULES, ConfigSuppression, Date, Declared, ExpiredSuppression, Options, Selection, check,
    check_config_suppressions, find_rule, runtimes, secret_shapes,
};

use crate::cli::{BaselineCreateArgs, FailOn, Level, ReportFormat, ScanArgs};
use crate::config::{self, Config, ConfigFailOn, SuppressConfig};
use crate::output;

/// Files loaded and checked in parallel per batch; results are then reported in file order
/// and dropped, so memory stays flat however many files and findings there are.
const BATCH: usize = 256;

/// What scanning one file produced.
struct FileResult {
    file: Arc<str>,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    /// The texts of the unit's files (several for a Terraform module), for code frames.
    sources: Vec<(Arc<str>, Arc<str>)>,
    secrets: Vec<Span>,
    functions: Vec<ScannedFunction>,
    template: bool,
}

/// What the chosen reports need of each file beyond its findings.
#[derive(Clone, Copy)]
struct Needs {
    /// Its text and secrets, for code frames (terminal, HTML).
    frames: bool,
    /// Its functions and their posture (HTML).
    functions: bool,
}

pub fn run(args: &ScanArgs) -> anyhow::Result<u8> {
    let today = match &args.today {
        Some(d) => Date::parse(d)
            .with_context(|| format!("invalid --today `{d}` (expected YYYY-MM-DD)"))?,
        None => Date::today(),
    };
    let loaded = config::load(args.config.as_deref(), &args.paths)?;
    let default = Config::default();
    let (cfg, cfg_dir) = match &loaded {
        Some(l) => (&l.config, Some(l.dir.as_path())),
        None => (&default, None),
    };
    // Command-line rule lists add to the configuration's; `--rule` replaces its `only`.
    let only = if args.rules.is_empty() {
        cfg.rules.only.clone()
    } else {
        args.rules.clone()
    };
    let ignore: Vec<String> = cfg
        .rules
        .ignore
        .iter()
        .chain(&args.ignore_rules)
        .cloned()
        .collect();
    let enable: Vec<String> = cfg
        .rules
        .enable
        .iter()
        .chain(&args.enable_rules)
        .cloned()
        .collect();
    for id in only.iter().chain(&ignore).chain(&enable) {
        if find_rule(id).is_none() {
            bail!("no rule `{id}`; `sheepdog rules` lists them");
        }
    }
    let mut severity = BTreeMap::new();
    for (id, s) in &cfg.rules.severity {
        let Some(rule) = find_rule(id) else {
            bail!("sheepdog.toml: [rules.severity] names no rule `{id}`");
        };
        severity.insert(rule.meta().id.to_owned(), (*s).into());
    }
    // Configured options first; `--rule-option` settings override them.
    let settings: Vec<String> = cfg
        .rules
        .options
        .iter()
        .flat_map(|(id, opts)| {
            opts.iter()
                .map(move |(k, v)| format!("{id}.{k}={}", v.render()))
        })
        .chain(args.rule_options.iter().cloned())
        .collect();
    let min_severity = args
        .min_severity
        .map(Severity::from)
        .or(cfg.min_severity.map(Severity::from))
        .unwrap_or(Severity::Info);
    let options = Options {
        today,
        selection: Selection {
            only,
            ignore,
            enable,
        },
        min_severity,
        rule_options: rule_options(&settings)?,
        baseline: match &args.baseline {
            Some(path) => read_baseline(path)?,
            None => BTreeSet::new(),
        },
        severity,
        inline_ignores: !args.no_inline_ignores,
    };
    let fail_on = args.fail_on.unwrap_or(match cfg.fail_on {
        Some(ConfigFailOn::Critical) => FailOn::Critical,
        Some(ConfigFailOn::High) => FailOn::High,
        Some(ConfigFailOn::Medium) => FailOn::Medium,
        Some(ConfigFailOn::Low) | None => FailOn::Low,
        Some(ConfigFailOn::Info) => FailOn::Info,
        Some(ConfigFailOn::None) => FailOn::None,
    });
    let exclude = exclusions(&cfg.exclude, cfg_dir)?;
    let accepted = Accepted::new(&cfg.suppress, cfg_dir)?;
    let targets = report_targets(&args.format, &args.output)?;
    let needs = Needs {
        frames: targets
            .iter()
            .any(|(f, _)| matches!(f, ReportFormat::Terminal | ReportFormat::Html)),
        functions: targets.iter().any(|(f, _)| *f == ReportFormat::Html),
    };
    let selected: Vec<&'static RuleMeta> = ALL_RULES
        .iter()
        .filter(|r| options.selection.includes(**r))
        .map(|r| r.meta())
        .collect();

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
                &selected,
            )
        })
        .collect();
    let mut reporter = Fanout(reporters);

    let inputs = terraform_inputs(args)?;
    let mut found = discover(&args.paths);
    if let Some(exclude) = &exclude {
        found.files.retain(|(path, _)| !exclude.is_excluded(path));
    }
    let mut failed = false;
    let mut worst: Option<Severity> = None;
    for d in &found.diagnostics {
        failed |= d.level == DiagnosticLevel::Error;
    }
    for d in found.diagnostics.iter().filter(|d| d.file.is_none()) {
        reporter.diagnostic(d)?;
    }
    // The configuration's own findings (its expired suppressions) come before the templates'.
    if let Some(l) = &loaded {
        let findings = configuration_findings(l, &options);
        worst = worst.max(findings.iter().map(|f| f.severity).max());
        if !findings.is_empty() {
            reporter.file(&FileReport {
                file: &l.file,
                findings: &findings,
                diagnostics: &[],
                source: Some(&l.text),
                secrets: &[],
                suppressed: 0,
                functions: &[],
            })?;
        }
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
            .filter_map(|(path, mode)| load(path, *mode, &inputs))
            .map(|loaded| scan_one(loaded, &options, needs, &accepted))
            .collect();
        for r in results {
            templates += usize::from(r.template);
            failed |= r
                .diagnostics
                .iter()
                .any(|d| d.level == DiagnosticLevel::Error);
            // Suppressed findings are counted, shown only on request, never fail the scan.
            let mut findings = r.findings;
            let before = findings.len();
            if !args.show_suppressed {
                findings.retain(|f| f.suppressed.is_none());
            }
            let suppressed = before - findings.len();
            worst = worst.max(
                findings
                    .iter()
                    .filter(|f| f.suppressed.is_none())
                    .map(|f| f.severity)
                    .max(),
            );
            // Walk problems under this file's path (none, usually) are reported with it.
            let (mine, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) = walk_diagnostics
                .into_iter()
                .partition(|d| d.file.as_deref() == Some(&*r.file));
            walk_diagnostics = others;
            let mut diagnostics = r.diagnostics;
            diagnostics.extend(mine.into_iter().cloned());
            for (i, part) in by_file(&r.file, findings, diagnostics, &r.sources)
                .into_iter()
                .enumerate()
            {
                let first = i == 0;
                reporter.file(&FileReport {
                    file: &part.file,
                    findings: &part.findings,
                    diagnostics: &part.diagnostics,
                    source: part.source.as_deref(),
                    secrets: &r.secrets,
                    // Counted once per unit, and the unit's functions listed once.
                    suppressed: if first { suppressed } else { 0 },
                    functions: if first { &r.functions } else { &[] },
                })?;
            }
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
    let threshold = match fail_on {
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

/// SUP001 on the configuration's expired `[[suppress]]` entries, at their `expires`.
fn configuration_findings(loaded: &config::Loaded, options: &Options) -> Vec<Finding> {
    let entries: Vec<ConfigSuppression<'_>> = loaded
        .config
        .suppress
        .iter()
        .filter_map(|e| {
            let expires = e.expires.as_ref()?;
            Some(ConfigSuppression {
                rule: &e.rule,
                resource: e.resource.as_deref(),
                expires: expires.get_ref(),
                span: loaded.span(&expires.span()),
            })
        })
        .collect();
    check_config_suppressions(&entries, options)
}

/// The configuration's `[[suppress]]` entries, ready to match findings.
struct Accepted {
    entries: Vec<(SuppressConfig, Option<globset::GlobMatcher>)>,
    dir: PathBuf,
}

impl Accepted {
    fn new(entries: &[SuppressConfig], dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut out = Vec::new();
        for e in entries {
            let Some(rule) = find_rule(&e.rule) else {
                bail!("sheepdog.toml: [[suppress]] names no rule `{}`", e.rule);
            };
            if rule.meta().id == ExpiredSuppression.meta().id {
                bail!(
                    "sheepdog.toml: [[suppress]] cannot accept {} (an expired suppression is renewed with a new `expires`); to stop checking expiry, add it to [rules] ignore",
                    rule.meta().id
                );
            }
            if e.reason.trim().is_empty() {
                bail!("sheepdog.toml: [[suppress]] of `{}` needs a reason", e.rule);
            }
            // A date that does not parse would never expire: refuse it rather than let the
            // risk be accepted for ever.
            if let Some(expires) = &e.expires
                && Date::parse(expires.get_ref()).is_none()
            {
                bail!(
                    "sheepdog.toml: [[suppress]] of `{}`: `expires` must be a date, YYYY-MM-DD (got `{}`)",
                    e.rule,
                    expires.get_ref()
                );
            }
            let glob = match &e.path {
                Some(p) => Some(
                    globset::Glob::new(p)
                        .with_context(|| format!("sheepdog.toml: invalid suppress path `{p}`"))?
                        .compile_matcher(),
                ),
                None => None,
            };
            out.push((e.clone(), glob));
        }
        let dir = dir.unwrap_or(Path::new("."));
        Ok(Self {
            entries: out,
            dir: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
        })
    }

    /// Mark the findings an entry covers; an expired entry re-reports its finding, saying so.
    fn apply(&self, findings: &mut [Finding], today: Date) {
        for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            let Some((e, _)) = self.entries.iter().find(|(e, glob)| {
                let rule = e.rule.eq_ignore_ascii_case(f.rule.id)
                    || e.rule.eq_ignore_ascii_case(f.rule.name);
                let resource = e.resource.as_ref().is_none_or(|r| *r == f.resource_id);
                let path = glob.as_ref().is_none_or(|g| {
                    let file = Path::new(&*f.span.file);
                    let abs = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
                    g.is_match(file) || abs.strip_prefix(&self.dir).is_ok_and(|rel| g.is_match(rel))
                });
                rule && resource && path
            }) else {
                continue;
            };
            match e
                .expires
                .as_ref()
                .and_then(|d| Date::parse(d.get_ref()))
                .filter(|d| *d < today)
            {
                Some(expired) => {
                    f.message += " (its suppression in sheepdog.toml expired on ";
                    f.message += &expired.to_string();
                    f.message.push(')');
                }
                None => f.suppressed = Some(e.reason.clone()),
            }
        }
    }
}

/// `exclude` globs of the configuration, matched against paths relative to its directory.
struct Exclusions {
    set: globset::GlobSet,
    dir: PathBuf,
}

impl Exclusions {
    fn is_excluded(&self, path: &Path) -> bool {
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        abs.strip_prefix(&self.dir)
            .is_ok_and(|rel| self.set.is_match(rel))
            || self.set.is_match(path)
    }
}

fn exclusions(globs: &[String], dir: Option<&Path>) -> anyhow::Result<Option<Exclusions>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = globset::GlobSetBuilder::new();
    for g in globs {
        builder.add(
            globset::Glob::new(g)
                .with_context(|| format!("sheepdog.toml: invalid exclude glob `{g}`"))?,
        );
    }
    let dir = dir.unwrap_or(Path::new("."));
    Ok(Some(Exclusions {
        set: builder.build()?,
        dir: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
    }))
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

/// The reporter for one format, writing to `out`; `selected` are the rules that run.
fn reporter<'w>(
    format: ReportFormat,
    out: &'w mut dyn Write,
    color: bool,
    selected: &[&'static RuleMeta],
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
        ReportFormat::Html => Box::new(HtmlReporter::new(out, version, selected)),
        ReportFormat::Baseline => Box::new(BaselineReporter::new(out, version)),
    }
}

/// `--var NAME=VALUE` and `--var-file FILE` for Terraform root modules.
fn terraform_inputs(args: &ScanArgs) -> anyhow::Result<Inputs> {
    let mut vars = Vec::new();
    for setting in &args.vars {
        let Some((name, value)) = setting.split_once('=') else {
            bail!("--var `{setting}`: expected NAME=VALUE");
        };
        vars.push((name.trim().to_owned(), value.to_owned()));
    }
    Ok(Inputs {
        var_files: args.var_files.clone(),
        vars,
    })
}

/// One file's part of a unit's results, as reporters take them.
struct Part {
    file: Arc<str>,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    source: Option<Arc<str>>,
}

/// A unit's results split by the file they point into: a template is one file; a Terraform
/// module reports each of its files that has something to say, in path order (the module
/// itself when none has).
fn by_file(
    unit: &Arc<str>,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    sources: &[(Arc<str>, Arc<str>)],
) -> Vec<Part> {
    let source_of = |file: &str| {
        sources
            .iter()
            .find(|(f, _)| &**f == file)
            .map(|(_, text)| text.clone())
    };
    let mut grouped: BTreeMap<Arc<str>, (Vec<Finding>, Vec<Diagnostic>)> = BTreeMap::new();
    grouped.entry(unit.clone()).or_default();
    for f in findings {
        grouped.entry(f.span.file.clone()).or_default().0.push(f);
    }
    for d in diagnostics {
        let file = d
            .span
            .as_ref()
            .map(|s| s.file.clone())
            .or_else(|| d.file.as_deref().map(Arc::from))
            .unwrap_or_else(|| unit.clone());
        grouped.entry(file).or_default().1.push(d);
    }
    let several = grouped.len() > 1;
    grouped
        .into_iter()
        .filter(|(file, (f, d))| !(several && file == unit && f.is_empty() && d.is_empty()))
        .map(|(file, (findings, diagnostics))| Part {
            source: source_of(&file),
            file,
            findings,
            diagnostics,
        })
        .collect()
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
        fail_on: Some(FailOn::None),
        config: None,
        no_color: true,
        rules: Vec::new(),
        ignore_rules: Vec::new(),
        enable_rules: Vec::new(),
        rule_options: Vec::new(),
        min_severity: Some(Level::Info),
        show_suppressed: false,
        no_inline_ignores: false,
        vars: args.vars,
        var_files: args.var_files,
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
fn scan_one(
    loaded: sheepdog_load::Loaded,
    options: &Options,
    needs: Needs,
    accepted: &Accepted,
) -> FileResult {
    let mut findings = loaded
        .model
        .as_ref()
        .map(|m| check(m, options))
        .unwrap_or_default();
    accepted.apply(&mut findings, options.today);
    let framed = needs.frames && (!findings.is_empty() || !loaded.diagnostics.is_empty());
    let functions = match (&loaded.model, needs.functions) {
        (Some(m), true) => m
            .functions
            .iter()
            .map(|f| {
                let parts: Vec<&str> = m.resources_of(f).iter().map(|r| r.id.as_str()).collect();
                ScannedFunction::new(&f.resource.id, &f.resource.span, &parts, &findings)
            })
            .collect(),
        _ => Vec::new(),
    };
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
        sources: if framed { loaded.sources } else { Vec::new() },
        secrets,
        functions,
    }
}
