use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// A position in a source file: 1-based line and 1-based column, counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

/// Where something is: a file and a start/end position in it.
///
/// The file is shared (`Arc`) because every node of a template points at the same path.
/// Findings from a live account will carry an ARN instead of a path in the same field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub file: Arc<str>,
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn new(file: Arc<str>, start: Pos, end: Pos) -> Self {
        Self { file, start, end }
    }

    /// A span covering one point, used where only a start is known.
    pub fn point(file: Arc<str>, at: Pos) -> Self {
        Self {
            file,
            start: at,
            end: at,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.start.line, self.start.column)
    }
}
