//! The `.tf` files of one directory, parsed with hcl-edit (which keeps byte spans), and
//! the table that turns those byte offsets into the line and column a finding shows.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::structure::Body;
use sheepdog_diagnostics::{Diagnostic, Pos, Span};

use crate::parse_error::{decode_utf8, to_u32};

/// One parsed `.tf` (or `.tfvars`) file.
pub struct SourceFile {
    pub path: Arc<str>,
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub body: Body,
}

impl SourceFile {
    /// The span of a byte range of this file (the file's start when the parser gave none).
    pub fn span(&self, range: Option<Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        Span::new(
            self.path.clone(),
            self.lines.pos(&self.text, range.start),
            self.lines.pos(&self.text, range.end),
        )
    }

    /// The text of a byte range, for the `Unknown` expression a finding may quote.
    pub fn snippet(&self, range: Option<Range<usize>>) -> String {
        const LIMIT: usize = 160;
        let text = range
            .and_then(|r| self.text.get(r))
            .unwrap_or_default()
            .trim();
        if text.len() <= LIMIT {
            return text.to_owned();
        }
        let mut cut = LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &text[..cut])
    }
}

/// Byte offset of each line start.
pub struct LineIndex {
    starts: Vec<usize>,
    /// An ASCII file's columns are byte offsets (the common case, and a hot path: every
    /// node of every file gets a span).
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            starts,
            ascii: text.is_ascii(),
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn pos(&self, text: &str, byte: usize) -> Pos {
        let byte = byte.min(text.len());
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts[line - 1];
        let column = if self.ascii {
            byte - start
        } else {
            text.get(start..byte)
                .map_or(byte - start, |s| s.chars().count())
        };
        Pos::new(to_u32(line), to_u32(column + 1))
    }
}

/// Read and parse one file; a problem is a diagnostic with its position.
pub fn parse_file(path: &Path) -> Result<SourceFile, Diagnostic> {
    let name: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
    let bytes = read_limited(path).map_err(|e| Diagnostic::file_error("SD003", e, &name))?;
    parse_text(&name, &bytes)
}

/// Parse a file's bytes (also used by the fuzz target and tests).
pub fn parse_text(name: &Arc<str>, bytes: &[u8]) -> Result<SourceFile, Diagnostic> {
    let text = decode_utf8(bytes)
        .map_err(|e| Diagnostic::error("SD001", e.message, Span::point(name.clone(), e.pos)))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        Diagnostic::error(
            "SD001",
            format!("invalid HCL: {}", e.message()),
            Span::point(
                name.clone(),
                Pos::new(to_u32(loc.line()), to_u32(loc.column())),
            ),
        )
    })?;
    Ok(SourceFile {
        path: name.clone(),
        lines: LineIndex::new(text),
        text: Arc::from(text),
        body,
    })
}

/// A file's bytes, refusing files larger than the loader's limit.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if meta.len() > crate::MAX_FILE_SIZE {
        return Err(format!(
            "file is {} MB, larger than the {} MB sheepdog parses; skipped",
            meta.len() / (1024 * 1024),
            crate::MAX_FILE_SIZE / (1024 * 1024)
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read file: {e}"))
}

/// The `.tf` files of a directory, sorted (Terraform reads them all, in any order).
pub fn module_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_tf(p))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A Terraform configuration file (`.tf`; `.tf.json` is not read yet).
pub fn is_tf(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tf")
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn byte_offsets_become_lines_and_character_columns() {
        let text = "ab\né = 1\n";
        let lines = LineIndex::new(text);
        assert_eq!(lines.pos(text, 0), sheepdog_diagnostics::Pos::new(1, 1));
        assert_eq!(lines.pos(text, 3), sheepdog_diagnostics::Pos::new(2, 1));
        // `é` is two bytes, one column.
        assert_eq!(lines.pos(text, 6), sheepdog_diagnostics::Pos::new(2, 3));
        assert_eq!(lines.pos(text, 999), sheepdog_diagnostics::Pos::new(3, 1));
    }
}
