//! The human report: one code frame per finding, grouped by file, then a summary.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, Severity, Span};

use crate::{Report, Summary};

#[derive(Debug, Clone, Copy, Default)]
pub struct TerminalOptions {
    /// Emit ANSI colours (the binary decides: a TTY, no `--no-color`, no `NO_COLOR`).
    pub color: bool,
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;91",
            Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low => "1;34",
            Severity::Info => "2",
        };
        self.paint(code, s.as_str())
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// Write the terminal report.
pub fn write_terminal(
    out: &mut dyn Write,
    report: &Report<'_>,
    options: TerminalOptions,
) -> io::Result<()> {
    let style = Style {
        color: options.color,
    };
    let mut lines = LineCache::new(report.sources);
    // Every frame masks every secret on its line, not only the secret finding's own frame:
    // another finding (or a diagnostic) can point at the same line (a flow mapping).
    let secrets: Vec<&Span> = report
        .findings
        .iter()
        .filter(|f| f.secret_at_span)
        .map(|f| &f.span)
        .collect();

    for d in report.diagnostics {
        write_diagnostic(out, &style, &mut lines, &secrets, d)?;
    }

    let mut current_file: Option<&str> = None;
    for f in report.findings {
        if current_file != Some(&f.span.file) {
            current_file = Some(&f.span.file);
            let count = report
                .findings
                .iter()
                .filter(|g| g.span.file == f.span.file)
                .count();
            let noun = if count == 1 { "finding" } else { "findings" };
            writeln!(
                out,
                "{}",
                style.bold(&format!("{} ({count} {noun})", f.span.file))
            )?;
            writeln!(out)?;
        }
        write_finding(out, &style, &mut lines, &secrets, f)?;
    }
    write_summary(out, &style, report)
}

fn write_finding(
    out: &mut dyn Write,
    style: &Style,
    lines: &mut LineCache<'_>,
    secrets: &[&Span],
    f: &Finding,
) -> io::Result<()> {
    writeln!(
        out,
        "{} {} {}: {}",
        style.severity(f.severity),
        style.bold(f.rule.id),
        f.rule.name,
        f.message
    )?;
    write_frame(out, style, lines, &f.span, secrets)?;
    writeln!(out, "   {} {}", style.dim("= help:"), f.help)?;
    for r in &f.related {
        writeln!(
            out,
            "   {} {} ({})",
            style.dim("= note:"),
            r.message,
            location(&r.span)
        )?;
    }
    writeln!(out)
}

fn write_diagnostic(
    out: &mut dyn Write,
    style: &Style,
    lines: &mut LineCache<'_>,
    secrets: &[&Span],
    d: &Diagnostic,
) -> io::Result<()> {
    let level = match d.level {
        DiagnosticLevel::Error => style.paint("1;91", "error"),
        DiagnosticLevel::Warning => style.paint("1;33", "warning"),
    };
    writeln!(out, "{level}[{}]: {}", d.code, d.message)?;
    match (&d.span, &d.file) {
        (Some(span), _) => write_frame(out, style, lines, span, secrets)?,
        (None, Some(file)) => writeln!(out, "  {} {file}", style.dim("-->"))?,
        (None, None) => {}
    }
    writeln!(out)
}

fn location(span: &Span) -> String {
    format!("{}:{}:{}", span.file, span.start.line, span.start.column)
}

/// `--> file:line:col`, the line, and a caret underline of the span's part on that line.
fn write_frame(
    out: &mut dyn Write,
    style: &Style,
    lines: &mut LineCache<'_>,
    span: &Span,
    secrets: &[&Span],
) -> io::Result<()> {
    writeln!(out, "  {} {}", style.dim("-->"), location(span))?;
    let Some(line) = lines.line(&span.file, span.start.line) else {
        return Ok(());
    };
    let number = span.start.line.to_string();
    let gutter = " ".repeat(number.len());
    let chars: Vec<char> = line.chars().collect();
    let start = (span.start.column as usize)
        .saturating_sub(1)
        .min(chars.len());
    let end = if span.end.line == span.start.line && span.end.column > span.start.column {
        (span.end.column as usize)
            .saturating_sub(1)
            .min(chars.len())
    } else {
        chars.len()
    };
    let end = trim_trailing_space(&chars, start, end);
    let mut shown = chars.clone();
    for s in secrets.iter().filter(|s| s.file == span.file) {
        mask_secret(&mut shown, s, span.start.line);
    }
    let shown: String = shown.into_iter().collect();
    writeln!(out, "{gutter} {}", style.dim("|"))?;
    writeln!(
        out,
        "{} {} {}",
        style.dim(&number),
        style.dim("|"),
        shown.trim_end()
    )?;
    let carets = "^".repeat(end.saturating_sub(start).max(1));
    writeln!(
        out,
        "{gutter} {} {}{}",
        style.dim("|"),
        " ".repeat(start),
        style.paint("1;91", &carets)
    )?;
    Ok(())
}

/// Replace the part of secret `s` that falls on line `line` with `*`, keeping its first
/// four characters (DESIGN.md invariant 5).
fn mask_secret(chars: &mut [char], s: &Span, line: u32) {
    if line < s.start.line || line > s.end.line {
        return;
    }
    let from = if line == s.start.line {
        (s.start.column as usize).saturating_sub(1) + 4
    } else {
        0
    };
    let to = if line == s.end.line && (line > s.start.line || s.end.column > s.start.column) {
        (s.end.column as usize).saturating_sub(1)
    } else {
        chars.len()
    };
    for c in chars.iter_mut().take(to).skip(from) {
        *c = '*';
    }
}

fn trim_trailing_space(chars: &[char], start: usize, mut end: usize) -> usize {
    while end > start + 1 && chars.get(end - 1).is_some_and(|c| c.is_whitespace()) {
        end -= 1;
    }
    end
}

fn write_summary(out: &mut dyn Write, style: &Style, report: &Report<'_>) -> io::Result<()> {
    let s = Summary::of(report);
    let templates = match report.templates {
        1 => "1 template".to_owned(),
        n => format!("{n} templates"),
    };
    if s.findings() == 0 {
        write!(
            out,
            "{}",
            style.bold(&format!("No findings in {templates}."))
        )?;
    } else {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .filter(|sev| s.count(**sev) > 0)
            .map(|sev| format!("{} {}", s.count(*sev), style.severity(*sev)))
            .collect();
        let noun = if s.findings() == 1 {
            "finding"
        } else {
            "findings"
        };
        write!(
            out,
            "{} {}",
            style.bold(&format!("{} {noun} in {templates}:", s.findings())),
            parts.join(", ")
        )?;
    }
    if s.errors > 0 {
        let noun = if s.errors == 1 { "error" } else { "errors" };
        write!(
            out,
            " {}",
            style.paint("1;91", &format!("{} {noun} (see above).", s.errors))
        )?;
    }
    writeln!(out)
}

/// Splits each source into lines once, on demand.
struct LineCache<'a> {
    sources: &'a HashMap<Arc<str>, Arc<str>>,
    split: HashMap<Arc<str>, Vec<(usize, usize)>>,
}

impl<'a> LineCache<'a> {
    fn new(sources: &'a HashMap<Arc<str>, Arc<str>>) -> Self {
        Self {
            sources,
            split: HashMap::new(),
        }
    }

    fn line(&mut self, file: &Arc<str>, number: u32) -> Option<&'a str> {
        let text: &'a str = self.sources.get(file)?;
        let offsets = self.split.entry(file.clone()).or_insert_with(|| {
            let mut v = Vec::new();
            let mut start = 0;
            for (i, b) in text.bytes().enumerate() {
                if b == b'\n' {
                    v.push((start, i));
                    start = i + 1;
                }
            }
            v.push((start, text.len()));
            v
        });
        let (s, e) = *offsets.get((number as usize).checked_sub(1)?)?;
        Some(text[s..e].trim_end_matches('\r'))
    }
}
