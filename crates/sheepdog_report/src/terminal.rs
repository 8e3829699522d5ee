//! The human report: code frames grouped by file, then a summary.
//!
//! ```text
//! critical[IAM001] full-admin: Role `FnRole` allows every action (`*`) on every resource (`*`)
//!   --> template.yaml:44:23
//!    |
//! 44 |               Action: '*'
//!    |                       ^^^
//!    = help: grant only the actions the function calls, on the resources it uses
//! ```
//!
//! Findings that point at the same place share one frame, so a function missing several
//! settings reads as one block, not as the same five lines repeated.

use std::fmt::Write as _;
use std::io::{self, Write};

use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel, Finding, Severity, Span};

use crate::frame::Source;
use crate::{FileReport, Reporter, Summary};

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

/// What a frame draws from: the style, and the current file's lines and secrets.
struct Frames<'a> {
    style: Style,
    source: Source<'a>,
}

/// The terminal report, streamed file by file.
pub struct TerminalReporter<'w> {
    out: &'w mut dyn Write,
    color: bool,
    summary: Summary,
}

impl<'w> TerminalReporter<'w> {
    pub fn new(out: &'w mut dyn Write, options: TerminalOptions) -> Self {
        Self {
            out,
            color: options.color,
            summary: Summary::default(),
        }
    }

    fn frames<'a>(&self, source: Option<&'a str>, secrets: &'a [Span]) -> Frames<'a> {
        Frames {
            style: Style { color: self.color },
            source: Source::new(source, secrets),
        }
    }
}

impl Reporter for TerminalReporter<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.summary.add_diagnostic(d);
        let fr = self.frames(None, &[]);
        write_diagnostic(self.out, &fr, d)
    }

    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        self.summary.add_findings(file.findings);
        self.summary.suppressed += file.suppressed;
        let fr = self.frames(file.source, file.secrets);
        for d in file.diagnostics {
            self.summary.add_diagnostic(d);
            write_diagnostic(self.out, &fr, d)?;
        }
        if file.findings.is_empty() {
            return Ok(());
        }
        let count = file.findings.len();
        let noun = if count == 1 { "finding" } else { "findings" };
        writeln!(
            self.out,
            "{}",
            fr.style.bold(&format!("{} ({count} {noun})", file.file))
        )?;
        writeln!(self.out)?;
        let mut rest = file.findings;
        while let Some(first) = rest.first() {
            // Findings are sorted by position: a run at one span shares a frame.
            let run = rest.iter().take_while(|f| f.span == first.span).count();
            let (group, tail) = rest.split_at(run);
            rest = tail;
            write_group(self.out, &fr, group)?;
        }
        Ok(())
    }

    fn finish(&mut self, templates: usize) -> io::Result<Summary> {
        self.summary.templates = templates;
        let style = Style { color: self.color };
        write_summary(self.out, &style, &self.summary)?;
        Ok(self.summary)
    }
}

fn write_group(out: &mut dyn Write, fr: &Frames<'_>, group: &[Finding]) -> io::Result<()> {
    for f in group {
        let suppressed = f
            .suppressed
            .as_ref()
            .map_or_else(String::new, |r| format!(" [suppressed: {r}]"));
        writeln!(
            out,
            "{}{} {}: {}{suppressed}",
            fr.style.severity(f.severity),
            fr.style.bold(&format!("[{}]", f.rule.id)),
            f.rule.name,
            f.message
        )?;
    }
    let span = &group[0].span;
    let gutter = write_frame(out, fr, span)?;
    // One help line per rule: the same rule on several resources says the same thing.
    let mut helps: Vec<(&str, &str)> = group.iter().map(|f| (f.rule.id, f.help.as_str())).collect();
    helps.dedup();
    for (id, help) in &helps {
        let label = if helps.len() > 1 {
            format!("= help[{id}]:")
        } else {
            "= help:".to_owned()
        };
        writeln!(out, "{gutter} {} {help}", fr.style.dim(&label))?;
    }
    let mut notes: Vec<String> = group
        .iter()
        .flat_map(|f| &f.related)
        .map(|r| format!("{} ({})", r.message, location(&r.span)))
        .collect();
    notes.dedup();
    for note in notes {
        writeln!(out, "{gutter} {} {note}", fr.style.dim("= note:"))?;
    }
    // A path is numbered, one step a line; with several in a frame, each says whose it is.
    let paths: Vec<&Finding> = group.iter().filter(|f| !f.path.is_empty()).collect();
    for f in &paths {
        let label = if paths.len() > 1 {
            format!("= path of `{}`:", f.resource_id)
        } else {
            "= path:".to_owned()
        };
        writeln!(out, "{gutter} {}", fr.style.dim(&label))?;
        for (i, step) in f.path.iter().enumerate() {
            writeln!(
                out,
                "{gutter}   {}. {} ({})",
                i + 1,
                step.message,
                location(&step.span)
            )?;
        }
    }
    writeln!(out)
}

fn write_diagnostic(out: &mut dyn Write, fr: &Frames<'_>, d: &Diagnostic) -> io::Result<()> {
    let level = match d.level {
        DiagnosticLevel::Error => fr.style.paint("1;91", "error"),
        DiagnosticLevel::Warning => fr.style.paint("1;33", "warning"),
    };
    writeln!(
        out,
        "{level}{}: {}",
        fr.style.bold(&format!("[{}]", d.code)),
        d.message
    )?;
    match (&d.span, &d.file) {
        (Some(span), _) => {
            write_frame(out, fr, span)?;
        }
        (None, Some(file)) => writeln!(out, " {} {file}", fr.style.dim("-->"))?,
        (None, None) => {}
    }
    writeln!(out)
}

fn location(span: &Span) -> String {
    format!("{}:{}:{}", span.file, span.start.line, span.start.column)
}

/// `--> file:line:col`, the line, and a caret underline of the span's part on that line,
/// aligned on a gutter as wide as the line number. Returns the gutter for the lines after.
fn write_frame(out: &mut dyn Write, fr: &Frames<'_>, span: &Span) -> io::Result<String> {
    let number = span.start.line.to_string();
    let gutter = " ".repeat(number.len());
    let style = &fr.style;
    writeln!(out, "{gutter}{} {}", style.dim("-->"), location(span))?;
    let Some(frame) = fr.source.frame(span, 0) else {
        return Ok(gutter);
    };
    let shown = frame.lines.first().map_or("", |(_, l)| l.as_str());
    writeln!(out, "{gutter} {}", style.dim("|"))?;
    writeln!(
        out,
        "{} {} {}",
        style.dim(&number),
        style.dim("|"),
        shown.trim_end()
    )?;
    writeln!(
        out,
        "{gutter} {} {}{}",
        style.dim("|"),
        " ".repeat(frame.start),
        style.paint("1;91", &"^".repeat(frame.end - frame.start))
    )?;
    Ok(gutter)
}

fn write_summary(out: &mut dyn Write, style: &Style, s: &Summary) -> io::Result<()> {
    let templates = match s.templates {
        1 => "1 template".to_owned(),
        n => format!("{n} templates"),
    };
    let mut sentence = if s.findings() == 0 {
        style.bold(&format!("No findings in {templates}"))
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
        format!(
            "{} {}",
            style.bold(&format!("{} {noun} in {templates}:", s.findings())),
            parts.join(", ")
        )
    };
    if s.suppressed > 0 {
        let noun = if s.suppressed == 1 {
            "finding"
        } else {
            "findings"
        };
        let _ = write!(
            sentence,
            "; {} suppressed {noun} not shown (--show-suppressed)",
            s.suppressed
        );
    }
    if s.errors > 0 {
        let noun = if s.errors == 1 {
            "file error"
        } else {
            "file errors"
        };
        sentence.push_str("; ");
        sentence.push_str(&style.paint("1;91", &format!("{} {noun} (see above)", s.errors)));
    }
    writeln!(out, "{sentence}.")
}
