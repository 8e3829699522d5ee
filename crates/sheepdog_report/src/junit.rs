//! Junit XML (`--format junit`), for CI systems that show test reports (GitLab merge
//! requests, Jenkins, Azure DevOps, Circle CI).
//!
//! Layout: one `<testsuites>` holding one `<testsuite name="sheepdog">`, with one
//! `<testcase>` per finding:
//!
//! - `classname` is the rule ID and name (`RUN001 deprecated-runtime`), with no dots:
//!   Jenkins splits `classname` on dots into a package tree, so this puts every rule at
//!   the top level and groups a rule's findings together; GitLab and Azure DevOps show it
//!   next to the name.
//! - `name` is the resource and where it is (`CreateOrderFunction at template.yaml:14:14`),
//!   unique per finding in practice, which the CI tools use to track a case across runs.
//! - `<failure message="…" type="severity">` carries the message; its text the severity,
//!   message, help and `file:line:col`, which is what the tools show when a case is opened.
//!
//! A single suite (rather than one per rule or per file) is what all three display
//! best: the report is one tool run, and per-rule grouping comes from `classname`.
//! Files that could not be parsed (error diagnostics) become test cases with an
//! `<error>`; warnings go to the suite's `<system-err>`. A clean scan is a suite with no
//! test cases (`tests="0"`). Junit wants the counts in the opening tags, so test cases are
//! buffered (they are small) and everything is written in [`Reporter::finish`].

use std::fmt::Write as _;
use std::io::{self, Write};

use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding};

use crate::{FileReport, Reporter, Summary};

/// The Junit XML report.
pub struct JunitReporter<'w> {
    out: &'w mut dyn Write,
    /// Rendered `<testcase>` elements, in report order.
    cases: String,
    failures: usize,
    errors: usize,
    /// Warning lines for `<system-err>`.
    warnings: Vec<String>,
    summary: Summary,
}

impl<'w> JunitReporter<'w> {
    pub fn new(out: &'w mut dyn Write) -> Self {
        Self {
            out,
            cases: String::new(),
            failures: 0,
            errors: 0,
            warnings: Vec::new(),
            summary: Summary::default(),
        }
    }

    fn add_finding(&mut self, f: &Finding) {
        let classname = format!("{} {}", f.rule.id, f.rule.name);
        let location = format!(
            "{}:{}:{}",
            f.span.file, f.span.start.line, f.span.start.column
        );
        let name = format!("{} at {location}", f.resource_id);
        let body = text(&[
            &format!("{}: {}", f.severity.as_str(), f.message),
            &format!("help: {}", f.help),
            &format!("at {location}"),
        ]);
        let _ = write!(
            self.cases,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"0\">\n      \
             <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
            escape(&classname),
            escape(&name),
            escape(&f.message),
            f.severity.as_str(),
            body,
        );
        self.failures += 1;
    }

    fn add_diagnostic(&mut self, d: &Diagnostic) {
        self.summary.add_diagnostic(d);
        let location = match (&d.file, &d.span) {
            (_, Some(s)) => format!("{}:{}:{}", s.file, s.start.line, s.start.column),
            (Some(file), None) => file.clone(),
            (None, None) => String::new(),
        };
        match d.level {
            DiagnosticLevel::Error => {
                let name = if location.is_empty() {
                    "sheepdog".to_owned()
                } else {
                    location.clone()
                };
                let first = format!("{}: {}", d.code, d.message);
                let body = if location.is_empty() {
                    text(&[&first])
                } else {
                    text(&[&first, &format!("at {location}")])
                };
                let _ = write!(
                    self.cases,
                    "    <testcase classname=\"{} could-not-scan\" name=\"{}\" time=\"0\">\n      \
                     <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n",
                    d.code,
                    escape(&name),
                    escape(&d.message),
                    d.code,
                    body,
                );
                self.errors += 1;
            }
            DiagnosticLevel::Warning => {
                let line = if location.is_empty() {
                    format!("warning[{}]: {}", d.code, d.message)
                } else {
                    format!("warning[{}]: {} ({location})", d.code, d.message)
                };
                self.warnings.push(line);
            }
        }
    }
}

impl Reporter for JunitReporter<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.add_diagnostic(d);
        Ok(())
    }

    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        self.summary.add_findings(file.findings);
        for f in file.findings {
            self.add_finding(f);
        }
        for d in file.diagnostics {
            self.add_diagnostic(d);
        }
        Ok(())
    }

    fn finish(&mut self, templates: usize) -> io::Result<Summary> {
        self.summary.templates = templates;
        let tests = self.failures + self.errors;
        let counts = format!(
            "tests=\"{tests}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"0\"",
            self.failures, self.errors
        );
        writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(self.out, "<testsuites name=\"sheepdog\" {counts}>")?;
        writeln!(self.out, "  <testsuite name=\"sheepdog\" {counts}>")?;
        self.out.write_all(self.cases.as_bytes())?;
        if !self.warnings.is_empty() {
            let lines: Vec<&str> = self.warnings.iter().map(String::as_str).collect();
            writeln!(self.out, "    <system-err>{}</system-err>", text(&lines))?;
        }
        writeln!(self.out, "  </testsuite>")?;
        writeln!(self.out, "</testsuites>")?;
        Ok(self.summary)
    }
}

/// Element text of several lines: each escaped, joined by literal newlines.
fn text(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escape text for XML 1.0 element content and (double- or single-quoted) attributes.
///
/// `& < > " '` become entities; tab, newline and carriage return become character
/// references (so attribute values keep them instead of being normalized to spaces);
/// other control characters and U+FFFE/U+FFFF, which XML 1.0 forbids even as references,
/// become U+FFFD.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c\"'d'"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;"
        );
        assert_eq!(escape("x\ty\nz\r"), "x&#9;y&#10;z&#13;");
        assert_eq!(
            escape("nul\u{0}bell\u{7}\u{ffff}"),
            "nul\u{fffd}bell\u{fffd}\u{fffd}"
        );
        assert_eq!(escape("plain — ü"), "plain — ü");
    }
}
