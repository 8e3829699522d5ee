//! The `.tf` files of one directory, parsed with hcl-edit (which keeps byte spans), and
//! the table that turns those byte offsets into the line and column a finding shows.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::structure::Body;
use sheepdog_diagnostics::{Diagnostic, Pos, Span};

use crate::parse_error::{decode_utf8, to_u32};

/// One parsed `.tf` (or `.tfvars`, or `.tf.json`) file.
pub struct SourceFile {
    pub path: Arc<str>,
    /// The native-syntax text parsed (for a `.tf.json` file, its conversion).
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub body: Body,
    /// A `.tf.json` file: its own text, and where each token of `text` comes from in it.
    pub json: Option<JsonOrigin>,
}

/// The text of a `.tf.json` file, and `(offset in the converted text, position in it)` of
/// each token written.
pub type JsonOrigin = (Arc<str>, Vec<(usize, Pos)>);

impl SourceFile {
    /// The span of a byte range of this file (the file's start when the parser gave none).
    pub fn span(&self, range: Option<Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        let pos = |offset: usize| match &self.json {
            Some((_, origins)) => super::json_syntax::position(origins, offset),
            None => self.lines.pos(&self.text, offset),
        };
        Span::new(self.path.clone(), pos(range.start), pos(range.end))
    }

    /// The file's text as written, for code frames.
    pub fn written(&self) -> Arc<str> {
        self.json
            .as_ref()
            .map_or_else(|| self.text.clone(), |(json, _)| json.clone())
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
    if is_tf_json(path) {
        return parse_json(&name, &bytes);
    }
    parse_text(&name, &bytes)
}

/// A `.tf.json` file, converted to native syntax (`json_syntax`).
pub fn parse_json(name: &Arc<str>, bytes: &[u8]) -> Result<SourceFile, Diagnostic> {
    let json = decode_utf8(bytes)
        .map_err(|e| Diagnostic::error("SD001", e.message, Span::point(name.clone(), e.pos)))?;
    let converted = super::json_syntax::convert(name, json)?;
    let mut file = parse_text(name, converted.text.as_bytes())?;
    file.json = Some((Arc::from(json), converted.origins));
    Ok(file)
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
        json: None,
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
                .filter(|p| p.is_file() && (is_tf(p) || is_tf_json(p)))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A Terraform configuration file in native syntax (`.tf`).
pub fn is_tf(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tf")
}

/// A Terraform configuration file in JSON syntax (`.tf.json`).
pub fn is_tf_json(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".tf.json")
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
