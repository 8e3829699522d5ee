//! The HTML report (`--format html`): one self-contained page for a security reviewer. A
//! summary (counts by severity and by practice, as inline SVG bar charts), the findings,
//! filterable by severity, rule, practice and resource, each with its code frame, related
//! locations, path and a link to its rule's documentation; every scanned function with its
//! posture (which practices pass and fail); problems scanning; and the documentation of every
//! rule that reported something.
//!
//! Nothing is fetched: styles, script and charts are in the page. Everything that comes
//! from a scanned file is escaped ([`escape`]): a template holding `<script>` shows it as
//! text. A Content-Security-Policy allows only the page's own style and script, by hash,
//! so even markup that escaped escaping could not run.
//!
//! Findings are written as files arrive; the summary, posture and filters, known only at the
//! end, are written after them and shown above them (CSS `order`).

mod chart;
mod docs;
mod escape;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use sheepdog_diagnostics::{
    Diagnostic, DiagnosticLevel, Finding, Practice, RuleMeta, Severity, Span, practice_name,
};

use crate::frame::Source;
use crate::{FileReport, Reporter, ScannedFunction, Summary};
use chart::Bar;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("filter.js");

/// `base64(sha256(STYLE))` and `base64(sha256(SCRIPT))`, which the page's CSP allows. After
/// editing `report.css` or `filter.js`, recompute with
/// `openssl dgst -sha256 -binary FILE | base64`; the browser test fails while they are stale
/// (the browser refuses a style or script whose hash the policy does not list).
const STYLE_SHA256: &str = "cSPOneRlUdA7s7fKMMM/a+dKmw+vW4tavfqMArmGwcw=";
const SCRIPT_SHA256: &str = "57wtH02w9rO6QV3iyjmU+AScbo7jqGcMVxnDpUbJwGM=";

/// Lines of context above and below a finding's line in its frame.
const CONTEXT: u32 = 2;

/// The HTML report, streamed: findings as files arrive, everything else at the end.
pub struct HtmlReporter<'w> {
    out: &'w mut dyn Write,
    tool_version: String,
    /// What the rules that ran check: the posture's columns.
    practices: BTreeSet<Practice>,
    started: bool,
    findings_written: usize,
    by_practice: BTreeMap<Practice, usize>,
    rules_seen: BTreeMap<&'static str, &'static RuleMeta>,
    resources_seen: BTreeSet<String>,
    functions: Vec<ScannedFunction>,
    diagnostics: Vec<Diagnostic>,
    summary: Summary,
}

impl<'w> HtmlReporter<'w> {
    /// `rules` are the rules that run: a function passes a practice when none of them
    /// reports it.
    pub fn new(out: &'w mut dyn Write, tool_version: &str, rules: &[&'static RuleMeta]) -> Self {
        Self {
            out,
            tool_version: tool_version.to_owned(),
            practices: rules
                .iter()
                .flat_map(|m| m.practices.iter().copied())
                .collect(),
            started: false,
            findings_written: 0,
            by_practice: BTreeMap::new(),
            rules_seen: BTreeMap::new(),
            resources_seen: BTreeSet::new(),
            functions: Vec::new(),
            diagnostics: Vec::new(),
            summary: Summary::default(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let csp = format!(
            "default-src 'none'; style-src 'sha256-{STYLE_SHA256}'; script-src 'sha256-{SCRIPT_SHA256}'; base-uri 'none'; form-action 'none'"
        );
        write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>sheepdog report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>sheepdog report</h1><p>sheepdog {}</p></header>\n<main>\n<section id=\"findings\">\n<h2>Findings</h2>\n",
            escape::text(&self.tool_version)
        )
    }

    fn finding(&mut self, source: &Source<'_>, f: &Finding) -> io::Result<()> {
        self.findings_written += 1;
        self.rules_seen.insert(f.rule.id, f.rule);
        self.resources_seen.insert(f.resource_id.clone());
        for p in f.rule.practices {
            *self.by_practice.entry(*p).or_default() += 1;
        }
        let practices: Vec<String> = f.rule.practices.iter().map(ToString::to_string).collect();
        let severity = f.severity.as_str();
        let mut html = format!(
            "<article class=\"finding sev-{severity}\" id=\"finding-{n}\" data-severity=\"{severity}\" data-rule=\"{rule}\" data-practices=\"{practices}\" data-resource=\"{resource}\">\n<header><span class=\"sev sev-{severity}\">{severity}</span> <a class=\"rule-id\" href=\"#rule-{rule}\">{rule}</a> <span class=\"rule-name\">{name}</span></header>\n<p class=\"message\">{message}</p>\n<p class=\"where\"><span class=\"loc\">{location}</span> · {kind} <code>{resource}</code></p>\n",
            n = self.findings_written,
            rule = f.rule.id,
            practices = practices.join(" "),
            resource = escape::text(&f.resource_id),
            name = f.rule.name,
            message = escape::inline(&f.message),
            location = escape::text(&location(&f.span)),
            kind = escape::text(&f.resource_kind),
        );
        if let Some(frame) = frame(source, &f.span) {
            html.push_str(&frame);
        }
        let _ = writeln!(
            html,
            "<p class=\"help\"><b>Fix:</b> {}</p>",
            escape::inline(&f.help)
        );
        if let Some(reason) = &f.suppressed {
            let _ = writeln!(
                html,
                "<p class=\"suppressed\"><b>Suppressed:</b> {}</p>",
                escape::inline(reason)
            );
        }
        if !f.related.is_empty() {
            html.push_str("<div class=\"related\"><h4>Related</h4><ul>\n");
            for r in &f.related {
                let _ = writeln!(
                    html,
                    "<li>{} <span class=\"loc\">{}</span></li>",
                    escape::inline(&r.message),
                    escape::text(&location(&r.span))
                );
            }
            html.push_str("</ul></div>\n");
        }
        if !f.path.is_empty() {
            html.push_str("<div class=\"path\"><h4>Path</h4><ol>\n");
            for step in &f.path {
                let line = (step.span.file == f.span.file)
                    .then(|| source.frame(&step.span, 0))
                    .flatten()
                    .and_then(|fr| fr.lines.into_iter().next())
                    .map_or_else(String::new, |(_, l)| {
                        format!("<code class=\"line\">{}</code>", escape::text(l.trim()))
                    });
                let _ = writeln!(
                    html,
                    "<li>{} <span class=\"loc\">{}</span>{line}</li>",
                    escape::inline(&step.message),
                    escape::text(&location(&step.span))
                );
            }
            html.push_str("</ol></div>\n");
        }
        let _ = writeln!(
            html,
            "<p class=\"about\"><b>{id}:</b> {summary} <a href=\"#rule-{id}\">Rule documentation</a></p>\n</article>",
            id = f.rule.id,
            summary = escape::inline(&f.rule.summary()),
        );
        self.out.write_all(html.as_bytes())
    }

    fn write_summary(&mut self, templates: usize) -> io::Result<()> {
        let s = self.summary;
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut html = format!(
            "<section id=\"summary\">\n<h2>Summary</h2>\n<p class=\"headline\"><strong id=\"total\" data-total=\"{total}\">{findings}</strong> in {templates}, {functions}.</p>\n<div class=\"charts\">\n<div><h3>By severity</h3>\n<div class=\"row\"><table class=\"counts\"><tr><th>Severity</th><th>Findings</th></tr>\n",
            total = s.findings(),
            findings = plural(s.findings(), "finding", "findings"),
            templates = plural(templates, "template", "templates"),
            functions = plural(self.functions.len(), "function", "functions"),
        );
        for severity in Severity::ALL {
            let _ = writeln!(
                html,
                "<tr><td><span class=\"sev sev-{sev}\">{sev}</span></td><td class=\"count\" data-severity-count=\"{sev}\">{n}</td></tr>",
                sev = severity.as_str(),
                n = s.count(severity),
            );
        }
        html.push_str("</table>\n");
        let bars: Vec<Bar> = Severity::ALL
            .iter()
            .map(|sev| Bar {
                label: sev.as_str().to_owned(),
                count: s.count(*sev),
                class: severity_class(*sev),
            })
            .collect();
        html.push_str(&chart::bars("Findings by severity", 70, &bars));
        html.push_str("</div></div>\n<div><h3>By practice</h3>\n");
        if self.by_practice.is_empty() {
            html.push_str("<p class=\"muted\">No findings.</p>\n");
        } else {
            let bars: Vec<Bar> = self
                .by_practice
                .iter()
                .map(|(p, n)| Bar {
                    label: format!("{p} {}", practice_name(*p)),
                    count: *n,
                    class: "practice",
                })
                .collect();
            html.push_str(&chart::bars("Findings by practice", 280, &bars));
            html.push_str(
                "<p class=\"legend\">A finding counts under every practice its rule checks.</p>\n",
            );
        }
        html.push_str("</div>\n</div>\n");
        let mut notes = Vec::new();
        if s.suppressed > 0 {
            notes.push(plural(
                s.suppressed,
                "suppressed finding not shown",
                "suppressed findings not shown",
            ));
        }
        if s.errors > 0 {
            notes.push(plural(s.errors, "file error", "file errors"));
        }
        if s.warnings > 0 {
            notes.push(plural(s.warnings, "warning", "warnings"));
        }
        if !notes.is_empty() {
            let _ = writeln!(html, "<p class=\"muted\">{}.</p>", notes.join("; "));
        }
        html.push_str("</section>\n");
        self.out.write_all(html.as_bytes())
    }

    fn write_filters(&mut self) -> io::Result<()> {
        let s = self.summary;
        let mut html = String::from(
            "<form id=\"filters\" aria-label=\"Filter findings\">\n<label>Severity<select name=\"severity\"><option value=\"\">all</option>",
        );
        for severity in Severity::ALL {
            let _ = write!(
                html,
                "<option value=\"{sev}\">{sev} ({n})</option>",
                sev = severity.as_str(),
                n = s.count(severity)
            );
        }
        html.push_str(
            "</select></label>\n<label>Rule<select name=\"rule\"><option value=\"\">all</option>",
        );
        for (id, meta) in &self.rules_seen {
            let _ = write!(html, "<option value=\"{id}\">{id} {}</option>", meta.name);
        }
        html.push_str("</select></label>\n<label>Practice<select name=\"practice\"><option value=\"\">all</option>");
        for p in self.by_practice.keys() {
            let _ = write!(
                html,
                "<option value=\"{p}\">{p} {}</option>",
                practice_name(*p)
            );
        }
        html.push_str("</select></label>\n<label>Resource<input name=\"resource\" type=\"search\" list=\"resources\" placeholder=\"logical ID contains\" autocomplete=\"off\"></label>\n<datalist id=\"resources\">");
        for r in &self.resources_seen {
            let _ = write!(html, "<option value=\"{}\">", escape::text(r));
        }
        let _ = write!(
            html,
            "</datalist>\n<button type=\"reset\">Reset</button>\n<output><span id=\"shown\">{n}</span> of {n} shown</output>\n</form>\n",
            n = self.findings_written
        );
        self.out.write_all(html.as_bytes())
    }

    fn write_functions(&mut self) -> io::Result<()> {
        let mut html = String::from("<section id=\"functions\">\n<h2>Functions</h2>\n");
        if self.functions.is_empty() {
            html.push_str(
                "<p class=\"muted\">No functions in the scanned templates.</p>\n</section>\n",
            );
            return self.out.write_all(html.as_bytes());
        }
        html.push_str(
            "<p>Each scanned function, by practice. A practice fails (✗ n: n of its rules report something) when a finding of one of its rules is on the function or on a resource that is part of it: its execution role and that role's policies, its URLs, permissions, aliases, versions, event source mappings, event invoke configs, log group, and what SAM creates for it. ✓: the rules that ran found nothing there. Suppressed findings do not count; findings on APIs and stages are not attributed to functions.</p>\n<div class=\"scroll\"><table class=\"posture\"><thead><tr><th>Function</th><th>Declared at</th>",
        );
        for p in &self.practices {
            let _ = write!(
                html,
                "<th class=\"practice\" title=\"{name}\">{p}</th>",
                name = practice_name(*p)
            );
        }
        html.push_str("</tr></thead>\n<tbody>\n");
        for function in &self.functions {
            let _ = write!(
                html,
                "<tr data-function=\"{id}\"><td><code>{id}</code></td><td class=\"loc\">{loc}</td>",
                id = escape::text(&function.id),
                loc = escape::text(&location(&function.span)),
            );
            for p in &self.practices {
                match function.failing.get(p) {
                    Some(rules) => {
                        let ids: Vec<&str> = rules.iter().copied().collect();
                        let _ = write!(
                            html,
                            "<td class=\"fail\" data-practice=\"{p}\" title=\"{}\">✗ {}</td>",
                            ids.join(", "),
                            ids.len()
                        );
                    }
                    None => {
                        let _ = write!(html, "<td class=\"pass\" data-practice=\"{p}\">✓</td>");
                    }
                }
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody></table></div>\n<p class=\"legend\">");
        let legend: Vec<String> = self
            .practices
            .iter()
            .map(|p| format!("{p} {}", practice_name(*p)))
            .collect();
        html.push_str(&legend.join(" · "));
        html.push_str("</p>\n</section>\n");
        self.out.write_all(html.as_bytes())
    }

    fn write_problems(&mut self) -> io::Result<()> {
        if self.diagnostics.is_empty() {
            return Ok(());
        }
        let mut html =
            String::from("<section id=\"problems\">\n<h2>Problems scanning</h2>\n<ul>\n");
        for d in &self.diagnostics {
            let level = match d.level {
                DiagnosticLevel::Error => "error",
                DiagnosticLevel::Warning => "warning",
            };
            let place = match (&d.span, &d.file) {
                (Some(span), _) => location(span),
                (None, Some(file)) => file.clone(),
                (None, None) => String::new(),
            };
            let _ = writeln!(
                html,
                "<li><b>{code}</b> {level}: {message} <span class=\"loc\">{place}</span></li>",
                code = d.code,
                message = escape::inline(&d.message),
                place = escape::text(&place),
            );
        }
        html.push_str("</ul>\n</section>\n");
        self.out.write_all(html.as_bytes())
    }

    fn write_rules(&mut self) -> io::Result<()> {
        if self.rules_seen.is_empty() {
            return Ok(());
        }
        let mut html = String::from("<section id=\"rules\">\n<h2>Rules</h2>\n");
        for (id, m) in &self.rules_seen {
            let practices: Vec<String> = m
                .practices
                .iter()
                .map(|p| format!("{p} {}", practice_name(*p)))
                .collect();
            let _ = write!(
                html,
                "<section class=\"rule-doc\" id=\"rule-{id}\">\n<h3>{id} {name}</h3>\n<p class=\"muted\">Default severity {sev} · practices: {practices}</p>\n{docs}</section>\n",
                name = m.name,
                sev = m.severity,
                practices = practices.join(", "),
                docs = docs::render(m.docs),
            );
        }
        html.push_str("</section>\n");
        self.out.write_all(html.as_bytes())
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "sev-critical",
        Severity::High => "sev-high",
        Severity::Medium => "sev-medium",
        Severity::Low => "sev-low",
        Severity::Info => "sev-info",
    }
}

fn location(span: &Span) -> String {
    format!("{}:{}:{}", span.file, span.start.line, span.start.column)
}

/// A finding's code frame: its line with the span marked, and [`CONTEXT`] lines around it,
/// secrets masked. `None` when the file's text is not at hand.
fn frame(source: &Source<'_>, span: &Span) -> Option<String> {
    let frame = source.frame(span, CONTEXT)?;
    let mut html = String::from("<pre class=\"frame\"><code>");
    for (number, line) in &frame.lines {
        if *number == frame.line {
            let chars: Vec<char> = line.trim_end().chars().collect();
            let start = frame.start.min(chars.len());
            let end = frame.end.min(chars.len()).max(start);
            let before: String = chars[..start].iter().collect();
            let marked: String = chars[start..end].iter().collect();
            let after: String = chars[end..].iter().collect();
            // A span past the end of its line still shows where it is.
            let marked = if marked.is_empty() {
                " ".to_owned()
            } else {
                marked
            };
            let _ = writeln!(
                html,
                "<span class=\"hl\"><span class=\"ln\">{number}</span>{}<mark>{}</mark>{}</span>",
                escape::text(&before),
                escape::text(&marked),
                escape::text(&after)
            );
        } else {
            let _ = writeln!(
                html,
                "<span class=\"ln\">{number}</span>{}",
                escape::text(line.trim_end())
            );
        }
    }
    html.push_str("</code></pre>\n");
    Some(html)
}

impl Reporter for HtmlReporter<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        self.start()?;
        self.summary.add_diagnostic(d);
        self.diagnostics.push(d.clone());
        Ok(())
    }

    fn file(&mut self, file: &FileReport<'_>) -> io::Result<()> {
        self.start()?;
        self.summary.add_findings(file.findings);
        self.summary.suppressed += file.suppressed;
        for d in file.diagnostics {
            self.summary.add_diagnostic(d);
            self.diagnostics.push(d.clone());
        }
        self.functions.extend_from_slice(file.functions);
        if file.findings.is_empty() {
            return Ok(());
        }
        writeln!(
            self.out,
            "<section class=\"file\">\n<h3>{} <span class=\"muted\">({})</span></h3>",
            escape::text(file.file),
            match file.findings.len() {
                1 => "1 finding".to_owned(),
                n => format!("{n} findings"),
            }
        )?;
        let source = Source::new(file.source, file.secrets);
        for f in file.findings {
            self.finding(&source, f)?;
        }
        writeln!(self.out, "</section>")
    }

    fn finish(&mut self, templates: usize) -> io::Result<Summary> {
        self.start()?;
        self.summary.templates = templates;
        if self.findings_written == 0 {
            writeln!(self.out, "<p>No findings.</p>")?;
        }
        writeln!(self.out, "</section>")?;
        self.write_summary(templates)?;
        self.write_filters()?;
        self.write_functions()?;
        self.write_problems()?;
        self.write_rules()?;
        write!(
            self.out,
            "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
        )?;
        Ok(self.summary)
    }
}
