//! Markdown (`--format markdown`), sized for a pull-request comment (GitHub, GitLab):
//! a heading, a table of counts by severity, then the findings grouped by severity, most
//! severe first, one bullet each (`**ID** name — message (file:line)`). The first
//! [`SHOWN`] findings are shown; the rest are folded into a `<details>` block so a long
//! report does not bury the conversation. Files that could not be scanned and warnings
//! follow, as bullets.
//!
//! Messages embed values from templates (resource names, environment variable names), so
//! text is escaped: backtick code spans the rules write are kept as they are (the renderer
//! shows their content literally), everything outside them has HTML and Markdown syntax
//! escaped (`< > &` as entities; `\ * _ [ ] # @ ! | ~` and unmatched backticks with a
//! backslash, so no emphasis, link, image, mention or table cell is made), and line breaks
//! and control characters become spaces, so nothing can start a new block. Findings are
//! buffered and everything is written in [`Reporter::finish`].

use std::io::{self, Write};

use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, Severity};

use crate::{FileReport, Reporter, Summary};

/// How many findings are shown before the rest are folded away.
pub const SHOWN: usize = 30;

/// The Markdown report.
pub struct MarkdownReporter<'w> {
    out: &'w mut dyn Write,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    summary: Summary,
}

impl<'w> MarkdownReporter<'w> {
    pub fn new(out: &'w mut dyn Write) -> Self {
        Self {
            out,
            findings: Vec::new(),
            diagnostics: Vec::new(),
            summary: Summary::default(),
        }
    }
}

impl Reporter for MarkdownReporter<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.summary.add_diagnostic(d);
        self.diagnostics.push(d.clone());
        Ok(())
    }

    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        self.summary.add_findings(file.findings);
        self.findings.extend_from_slice(file.findings);
        for d in file.diagnostics {
            self.summary.add_diagnostic(d);
            self.diagnostics.push(d.clone());
        }
        Ok(())
    }

    fn finish(&mut self, templates: usize) -> io::Result<Summary> {
        self.summary.templates = templates;
        let s = self.summary;
        let out = &mut *self.out;
        writeln!(out, "## sheepdog report")?;
        writeln!(out)?;
        let plural =
            |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        writeln!(
            out,
            "{} {} in {} {}.",
            s.findings(),
            plural(s.findings(), "finding", "findings"),
            templates,
            plural(templates, "template", "templates"),
        )?;
        writeln!(out)?;
        writeln!(out, "| Severity | Findings |")?;
        writeln!(out, "| :-- | --: |")?;
        for severity in Severity::ALL {
            writeln!(out, "| {} | {} |", title(severity), s.count(severity))?;
        }

        // Most severe first; within a severity, report (file) order.
        self.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let (shown, folded) = self.findings.split_at(self.findings.len().min(SHOWN));
        for group in shown.chunk_by(|a, b| a.severity == b.severity) {
            let severity = group[0].severity;
            writeln!(out)?;
            writeln!(out, "### {} ({})", title(severity), s.count(severity))?;
            writeln!(out)?;
            for f in group {
                bullet(out, f)?;
            }
        }
        if !folded.is_empty() {
            writeln!(out)?;
            writeln!(out, "<details>")?;
            writeln!(
                out,
                "<summary>{} more {}</summary>",
                folded.len(),
                plural(folded.len(), "finding", "findings")
            )?;
            for group in folded.chunk_by(|a, b| a.severity == b.severity) {
                writeln!(out)?;
                writeln!(out, "**{}**", title(group[0].severity))?;
                writeln!(out)?;
                for f in group {
                    bullet(out, f)?;
                }
            }
            writeln!(out)?;
            writeln!(out, "</details>")?;
        }

        if !self.diagnostics.is_empty() {
            writeln!(out)?;
            writeln!(out, "### Problems scanning")?;
            writeln!(out)?;
            for d in &self.diagnostics {
                let level = match d.level {
                    DiagnosticLevel::Error => "error",
                    DiagnosticLevel::Warning => "warning",
                };
                let place = match (&d.file, &d.span) {
                    (_, Some(sp)) => format!(" ({}:{})", plain(&sp.file), sp.start.line),
                    (Some(file), None) => format!(" ({})", plain(file)),
                    (None, None) => String::new(),
                };
                writeln!(
                    out,
                    "- **{}** {level} — {}{place}",
                    d.code,
                    inline(&d.message)
                )?;
            }
        }
        Ok(s)
    }
}

fn title(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

fn bullet(out: &mut dyn Write, f: &Finding) -> io::Result<()> {
    writeln!(
        out,
        "- **{}** {} — {} ({}:{})",
        f.rule.id,
        plain(f.rule.name),
        inline(&f.message),
        plain(&f.span.file),
        f.span.start.line
    )
}

/// Escape text with no code spans: every backtick is literal.
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Escape a message, keeping its backtick code spans as a Markdown renderer will
/// read them: a run of n backticks opens a span closed by the next run of exactly n.
fn inline(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(start) = rest.find('`') {
        escape_into(&mut out, &rest[..start]);
        let run = rest[start..].len() - rest[start..].trim_start_matches('`').len();
        let after = &rest[start + run..];
        if let Some(end) = closing(after, run) {
            out.push_str(&rest[start..start + run + end + run]);
            rest = &after[end + run..];
        } else {
            out.push_str(&"\\`".repeat(run));
            rest = after;
        }
    }
    escape_into(&mut out, rest);
    out
}

/// Where in `s` the first run of exactly `n` backticks starts.
fn closing(s: &str, n: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if len == n {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '@' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{inline, plain};

    #[test]
    fn keeps_code_spans_and_escapes_the_rest() {
        assert_eq!(
            inline("Variable `A<b>&c` of <script>x</script> & *y*"),
            "Variable `A<b>&c` of &lt;script&gt;x&lt;/script&gt; &amp; \\*y\\*"
        );
        assert_eq!(inline("one ` unmatched"), "one \\` unmatched");
        assert_eq!(inline("``a`b`` then `c`"), "``a`b`` then `c`");
        assert_eq!(inline("line\nbreak `x\ny`"), "line break `x y`");
        assert_eq!(plain("a_b|c@d"), "a\\_b\\|c\\@d");
    }
}
