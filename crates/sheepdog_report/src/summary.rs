use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, Severity};

/// Counts shown at the end of every report, accumulated as files are reported.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub templates: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Findings suppressions covered (not reported).
    pub suppressed: usize,
}

impl Summary {
    pub fn add_findings(&mut self, findings: &[Finding]) {
        for f in findings {
            *self.count_mut(f.severity) += 1;
        }
    }

    pub fn add_diagnostic(&mut self, d: &Diagnostic) {
        match d.level {
            DiagnosticLevel::Error => self.errors += 1,
            DiagnosticLevel::Warning => self.warnings += 1,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    fn count_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }

    pub fn findings(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}
