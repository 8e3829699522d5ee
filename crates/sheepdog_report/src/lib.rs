//! Reporters: the terminal report with code frames, the versioned JSON report, SARIF,
//! `JUnit`, Markdown, the baseline file and the HTML report.
//!
//! Reporters stream: the scan hands them each file's results in file order
//! ([`Reporter::file`]) and they write as they go, so memory does not grow with the
//! number of findings. They write to a `Write` they are given, never see a file format or
//! the model, and mask every secret the scan located (DESIGN.md invariant 5).

mod baseline;
mod frame;
mod html;
mod json;
mod junit;
mod markdown;
mod posture;
mod sarif;
mod summary;
mod terminal;

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, Finding, Span};

pub use baseline::{BASELINE_VERSION, Baseline, BaselineEntry, BaselineReporter};
pub use html::HtmlReporter;
pub use json::{JsonReporter, SCHEMA_VERSION};
pub use junit::JunitReporter;
pub use markdown::MarkdownReporter;
pub use posture::ScannedFunction;
pub use sarif::SarifReporter;
pub use summary::Summary;
pub use terminal::{TerminalOptions, TerminalReporter};

/// One scanned file's results, as a reporter receives them.
pub struct FileReport<'a> {
    pub file: &'a str,
    /// Sorted by position, then rule.
    pub findings: &'a [Finding],
    pub diagnostics: &'a [Diagnostic],
    /// The file's text, for code frames (absent when the file could not be read).
    pub source: Option<&'a str>,
    /// Where secrets are written in the file, whichever rules ran: frames mask them.
    pub secrets: &'a [Span],
    /// Findings of the file that suppressions cover and that are not in `findings`.
    pub suppressed: usize,
    /// The functions declared in the file, with their posture, for reports that list each
    /// one (HTML); empty when no such report is written.
    pub functions: &'a [ScannedFunction],
}

/// A report format, fed file by file.
pub trait Reporter {
    /// A diagnostic about no file in particular (a path that cannot be read, stale data).
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()>;
    /// One file's results. Files arrive in the order they are reported in.
    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()>;
    /// Write the summary (`templates` is how many templates were scanned) and close the report.
    fn finish(&mut self, templates: usize) -> io::Result<Summary>;
}

/// Several reporters fed from one scan (`--format json -o a.json --format sarif -o b.sarif`).
pub struct Fanout<'w>(pub Vec<Box<dyn Reporter + 'w>>);

impl Reporter for Fanout<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|r| r.diagnostic(d))
    }

    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|r| r.file(file))
    }

    fn finish(&mut self, templates: usize) -> io::Result<Summary> {
        let mut summary = Summary::default();
        for r in &mut self.0 {
            summary = r.finish(templates)?;
        }
        Ok(summary)
    }
}

/// A whole scan's results at once: for tests and tools that already hold everything.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub diagnostics: &'a [Diagnostic],
    /// File path → file text, for code frames.
    pub sources: &'a HashMap<Arc<str>, Arc<str>>,
    pub secrets: &'a [Span],
    /// Files that were parsed as templates.
    pub templates: usize,
    pub tool_version: &'a str,
}

/// Feed a whole [`Report`] through a streaming reporter, file by file in path order.
pub fn write_report(reporter: &mut dyn Reporter, report: &Report<'_>) -> io::Result<Summary> {
    let files: BTreeSet<&str> = report
        .findings
        .iter()
        .map(|f| &*f.span.file)
        .chain(report.diagnostics.iter().filter_map(|d| d.file.as_deref()))
        .collect();
    for d in report.diagnostics.iter().filter(|d| d.file.is_none()) {
        reporter.diagnostic(d)?;
    }
    for file in files {
        let findings: Vec<Finding> = report
            .findings
            .iter()
            .filter(|f| &*f.span.file == file)
            .cloned()
            .collect();
        let diagnostics: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.file.as_deref() == Some(file))
            .cloned()
            .collect();
        let secrets: Vec<Span> = report
            .secrets
            .iter()
            .filter(|s| &*s.file == file)
            .cloned()
            .collect();
        reporter.file(&FileReport {
            file,
            findings: &findings,
            diagnostics: &diagnostics,
            source: report.sources.get(file).map(|s| &**s),
            secrets: &secrets,
            suppressed: 0,
            functions: &[],
        })?;
    }
    reporter.finish(report.templates)
}

/// The terminal report of a whole [`Report`].
pub fn write_terminal(
    out: &mut dyn io::Write,
    report: &Report<'_>,
    options: TerminalOptions,
) -> io::Result<()> {
    write_report(&mut TerminalReporter::new(out, options), report).map(|_| ())
}

/// The JSON report of a whole [`Report`].
pub fn write_json(out: &mut dyn io::Write, report: &Report<'_>) -> io::Result<()> {
    write_report(&mut JsonReporter::new(out, report.tool_version), report).map(|_| ())
}
