use sheepdog_diagnostics::{DiagnosticLevel, Severity};

use crate::Report;

/// Counts shown at the end of every report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(report: &Report<'_>) -> Self {
        let mut s = Self::default();
        for f in report.findings {
            *s.count_mut(f.severity) += 1;
        }
        for d in report.diagnostics {
            match d.level {
                DiagnosticLevel::Error => s.errors += 1,
                DiagnosticLevel::Warning => s.warnings += 1,
            }
        }
        s
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
