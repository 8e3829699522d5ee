use sheepdog_diagnostics::{Diagnostic, Pos, Span};

/// Deepest nesting accepted in a document. CloudFormation templates rarely pass 20; the
/// bound keeps every recursive pass over the tree (resolution, dropping) safe.
pub const MAX_DEPTH: usize = 256;

/// Most nodes alias expansion may create in one document (billion-laughs defence).
pub const ALIAS_BUDGET: usize = 100_000;

/// A syntax error with the position where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub pos: Pos,
}

impl ParseError {
    pub fn new(message: impl Into<String>, pos: Pos) -> Self {
        Self {
            message: message.into(),
            pos,
        }
    }
}

/// A key written twice in one mapping. CloudFormation rejects such templates, so it is
/// an error; the scan goes on with the last value, as YAML and JSON loaders commonly do.
pub fn duplicate_key(name: &str, first_line: u32, span: Span) -> Diagnostic {
    Diagnostic::error(
        "SD002",
        format!("duplicate key `{name}` (first defined on line {first_line}); the last value wins"),
        span,
    )
}

/// Decode bytes as UTF-8, or say where the first invalid byte is.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let prefix = String::from_utf8_lossy(valid);
        let line = prefix.matches('\n').count() + 1;
        let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ParseError::new(
            format!(
                "file is not valid UTF-8 (invalid byte 0x{:02x})",
                bytes[e.valid_up_to()]
            ),
            Pos::new(to_u32(line), to_u32(column)),
        )
    })
}

pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
