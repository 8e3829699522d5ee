//! Baselines: today's findings recorded by fingerprint, so that later scans report only
//! new ones (`sheepdog baseline create`, `sheepdog scan --baseline FILE`). Fingerprints
//! leave line numbers out, so a baseline survives unrelated edits.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use sheepdog_diagnostics::{Diagnostic, Finding};

use crate::{FileReport, Reporter, Summary};

/// The baseline file's format version.
pub const BASELINE_VERSION: &str = "1.0.0";

/// A baseline file: the fingerprints of accepted findings, with enough context for a
/// reviewer to read what was accepted.
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub baseline_version: String,
    pub tool_version: String,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule_id: String,
    pub file: String,
    pub resource_id: String,
    pub message: String,
}

impl Baseline {
    /// Read a baseline; a clear error when it is not one.
    pub fn parse(text: &str) -> Result<Self, String> {
        let b: Baseline =
            serde_json::from_str(text).map_err(|e| format!("not a sheepdog baseline: {e}"))?;
        if b.baseline_version.split('.').next() != Some("1") {
            return Err(format!(
                "baseline version {} is not supported (expected 1.x)",
                b.baseline_version
            ));
        }
        Ok(b)
    }

    pub fn fingerprints(&self) -> BTreeSet<String> {
        self.findings
            .iter()
            .map(|f| f.fingerprint.clone())
            .collect()
    }
}

/// Writes a baseline of every finding it is given.
pub struct BaselineReporter<'w> {
    out: &'w mut dyn Write,
    tool_version: String,
    entries: Vec<BaselineEntry>,
    summary: Summary,
}

impl<'w> BaselineReporter<'w> {
    pub fn new(out: &'w mut dyn Write, tool_version: &str) -> Self {
        Self {
            out,
            tool_version: tool_version.to_owned(),
            entries: Vec::new(),
            summary: Summary::default(),
        }
    }
}

fn entry(f: &Finding) -> BaselineEntry {
    BaselineEntry {
        fingerprint: f.fingerprint(),
        rule_id: f.rule.id.to_owned(),
        file: f.span.file.trim_start_matches("./").to_owned(),
        resource_id: f.resource_id.clone(),
        message: f.message.clone(),
    }
}

impl Reporter for BaselineReporter<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.summary.add_diagnostic(d);
        Ok(())
    }

    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        self.summary.add_findings(file.findings);
        file.diagnostics
            .iter()
            .for_each(|d| self.summary.add_diagnostic(d));
        self.entries.extend(file.findings.iter().map(entry));
        Ok(())
    }

    fn finish(&mut self, templates: usize) -> io::Result<Summary> {
        self.summary.templates = templates;
        self.entries
            .sort_by(|a, b| (&a.file, &a.fingerprint).cmp(&(&b.file, &b.fingerprint)));
        self.entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        let baseline = Baseline {
            baseline_version: BASELINE_VERSION.to_owned(),
            tool_version: self.tool_version.clone(),
            findings: std::mem::take(&mut self.entries),
        };
        serde_json::to_writer_pretty(&mut *self.out, &baseline).map_err(io::Error::other)?;
        writeln!(self.out)?;
        Ok(self.summary)
    }
}
