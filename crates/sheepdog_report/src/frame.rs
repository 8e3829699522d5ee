//! Code frames without presentation: which lines of a file to show around a span, with
//! every secret the scan located masked (DESIGN.md invariant 5), and which characters of the
//! span's first line to mark. The terminal draws them with carets, the HTML report with
//! `<mark>`; both go through here, so neither can show a secret the other hides.

use sheepdog_diagnostics::Span;

/// A scanned file's text and secrets, for drawing frames.
pub(crate) struct Source<'a> {
    lines: Vec<&'a str>,
    secrets: &'a [Span],
}

/// The lines around a span, ready to draw.
pub(crate) struct Frame {
    /// `(line number, text)`, secrets masked, trailing whitespace kept.
    pub lines: Vec<(u32, String)>,
    /// The span's first line, and the characters of it to mark: `start..end`, never empty
    /// (a point marks one character, one past the end of the line when it is there).
    pub line: u32,
    pub start: usize,
    pub end: usize,
}

impl<'a> Source<'a> {
    pub fn new(text: Option<&'a str>, secrets: &'a [Span]) -> Self {
        Self {
            lines: text.map(|s| s.split('\n').collect()).unwrap_or_default(),
            secrets,
        }
    }

    fn line(&self, number: u32) -> Option<&'a str> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.lines.get(index).map(|l| l.trim_end_matches('\r'))
    }

    /// The frame of `span`: its first line and up to `context` lines on each side. `None`
    /// when the text is not at hand or the span is not in it.
    pub fn frame(&self, span: &Span, context: u32) -> Option<Frame> {
        let line = self.line(span.start.line)?;
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
        let first = span.start.line.saturating_sub(context).max(1);
        let last = span.start.line.saturating_add(context);
        let lines = (first..=last)
            .filter_map(|n| Some((n, self.masked(span, n, self.line(n)?))))
            .collect();
        Some(Frame {
            lines,
            line: span.start.line,
            start,
            end: end.max(start + 1),
        })
    }

    /// Line `number` of the file `span` is in, with the secrets on it masked.
    fn masked(&self, span: &Span, number: u32, line: &str) -> String {
        let mut chars: Vec<char> = line.chars().collect();
        for s in self.secrets.iter().filter(|s| s.file == span.file) {
            mask_secret(&mut chars, s, number);
        }
        chars.into_iter().collect()
    }
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
