//! Loaders: from files on disk to the sheepdog model.
//!
//! Loading never fails on bad input: a file that cannot be read or parsed yields
//! diagnostics with their location, and the other files are still loaded (DESIGN.md
//! invariant 7). Only "this is not an input we recognise" is a distinct outcome.

pub mod cfn;
mod discover;
pub mod json;
pub mod node;
pub mod parse_error;
pub mod terraform;
pub mod yaml;

use std::path::Path;
use std::sync::Arc;

use sheepdog_diagnostics::{Diagnostic, Span};
use sheepdog_model::Model;

pub use discover::{Discovered, discover};
use parse_error::{ParseError, decode_utf8};

/// Largest file sheepdog will parse. CloudFormation itself accepts templates of at most
/// 1 MB (from S3); the margin covers generated CDK output without letting a stray huge
/// file cost unbounded memory.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The outcome of loading one file.
#[derive(Debug)]
pub struct Loaded {
    pub file: Arc<str>,
    /// The model, when the file was a template that could be parsed.
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of each file the unit was read from (one for a template; the `.tf`,
    /// `.tfvars` and policy files of a Terraform module), kept for code frames in reports.
    pub sources: Vec<(Arc<str>, Arc<str>)>,
}

/// Whether a file's content is to be loaded or skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// Found by walking a directory: skip quietly if it is not a template.
    Discovered,
    /// Named on the command line: always parsed; not a template is an error.
    Explicit,
}

/// Load what discovery found: a Terraform root module (a directory), or a file.
pub fn load(path: &Path, mode: Mode, inputs: &terraform::Inputs) -> Option<Loaded> {
    if path.is_dir() {
        return Some(terraform::load_module(path, inputs));
    }
    load_file(path, mode)
}

/// Load one file as a CloudFormation/SAM template.
pub fn load_file(path: &Path, mode: Mode) -> Option<Loaded> {
    let file: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
    let fail = |d: Diagnostic| Loaded {
        file: file.clone(),
        model: None,
        diagnostics: vec![d],
        sources: Vec::new(),
    };
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_SIZE => {
            if mode == Mode::Discovered && !is_template_name(path) {
                return None;
            }
            return Some(fail(Diagnostic::file_error(
                "SD003",
                format!(
                    "file is {} MB, larger than the {} MB sheepdog parses (CloudFormation accepts templates up to 1 MB); skipped",
                    m.len() / (1024 * 1024),
                    MAX_FILE_SIZE / (1024 * 1024)
                ),
                &file,
            )));
        }
        Ok(_) => {}
        Err(e) => {
            return Some(fail(Diagnostic::file_error(
                "SD003",
                format!("cannot read file: {e}"),
                &file,
            )));
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return Some(fail(Diagnostic::file_error(
                "SD003",
                format!("cannot read file: {e}"),
                &file,
            )));
        }
    };
    load_bytes(&file, &bytes, mode)
}

/// Load a template from memory (tests, fuzzing, stdin).
pub fn load_bytes(file: &Arc<str>, bytes: &[u8], mode: Mode) -> Option<Loaded> {
    let fail = |e: ParseError| Loaded {
        file: file.clone(),
        model: None,
        diagnostics: vec![Diagnostic::error(
            "SD001",
            e.message,
            Span::point(file.clone(), e.pos),
        )],
        sources: Vec::new(),
    };
    if mode == Mode::Discovered && !sniff(bytes) {
        return None;
    }
    let text = match decode_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return Some(fail(e)),
    };
    let is_json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let parsed = if is_json {
        json::parse(file, text)
    } else {
        yaml::parse(file, text)
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(_) if mode == Mode::Discovered && !looks_like_template_text(text) => return None,
        Err(e) => {
            // Keep the text: the error's code frame is where it helps most.
            let mut loaded = fail(e);
            loaded.sources = vec![(file.clone(), Arc::from(text))];
            return Some(loaded);
        }
    };
    let mut diagnostics = parsed.diagnostics;
    if let Some(root) = parsed
        .root
        .as_ref()
        .filter(|r| is_json && terraform::plan::is_plan(r))
    {
        let model = terraform::plan::build(file, root, &mut diagnostics);
        return Some(Loaded {
            file: file.clone(),
            model: Some(model),
            diagnostics,
            sources: vec![(file.clone(), Arc::from(text))],
        });
    }
    let root = parsed.root.filter(cfn::template::looks_like_template);
    let Some(root) = root else {
        if mode == Mode::Discovered {
            return None;
        }
        diagnostics.push(Diagnostic::file_error(
            "SD004",
            "not a CloudFormation or SAM template (no `AWSTemplateFormatVersion`, SAM `Transform`, or `Resources` of `AWS::` types)",
            file,
        ));
        return Some(Loaded {
            file: file.clone(),
            model: None,
            diagnostics,
            sources: vec![(file.clone(), Arc::from(text))],
        });
    };
    let mut model = cfn::build(file, &root, &mut diagnostics);
    model.line_suppressions = comment_suppressions(file, text, &mut diagnostics);
    Some(Loaded {
        file: file.clone(),
        model: Some(model),
        diagnostics,
        sources: vec![(file.clone(), Arc::from(text))],
    })
}

/// Cheap content test before parsing a discovered file: a template names one of these
/// markers early on. Keeps a walk over a repository from parsing every YAML file in it.
fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    // The cut may split a character, and a non-UTF-8 file is still worth an error: test the
    // valid prefix.
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    looks_like_template_text(text)
}

fn looks_like_template_text(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || (text.contains("\"terraform_version\"") && text.contains("\"format_version\""))
        || text.contains("AWS::Serverless")
        || (text.contains("Resources") && (text.contains("AWS::") || text.contains("Custom::")))
}

fn is_template_name(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".template.json")
}

/// `# sheepdog:ignore[IAM004] reason` (several IDs: `[IAM004, PUB001]`; `//` too, as HCL
/// writes comments): a comment alone
/// on its line covers the next line; a trailing comment covers its own line. The reason is
/// required.
pub(crate) fn comment_suppressions(
    file: &Arc<str>,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<sheepdog_model::LineSuppression> {
    const MARKER: &str = "sheepdog:ignore[";
    let mut out = Vec::new();
    // Most files have none: one search instead of one per line.
    if !text.contains(MARKER) {
        return out;
    }
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        // `#`, or `//` (also a comment in HCL).
        let before = &line[..at];
        let Some((hash, width)) = before
            .rfind('#')
            .map(|h| (h, 1))
            .or_else(|| before.rfind("//").map(|h| (h, 2)))
        else {
            continue;
        };
        if !line[hash + width..at].trim().is_empty() {
            continue;
        }
        let rest = &line[at + MARKER.len()..];
        let Some(close) = rest.find(']') else {
            continue;
        };
        let rules: Vec<String> = rest[..close]
            .split(',')
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        let reason = rest[close + 1..].trim().to_owned();
        let number = parse_error::to_u32(i + 1);
        let column = parse_error::to_u32(line[..hash].chars().count() + 1);
        let span = Span::point(file.clone(), sheepdog_diagnostics::Pos::new(number, column));
        if rules.is_empty() || reason.is_empty() {
            diagnostics.push(Diagnostic::warning(
                "SD010",
                "a sheepdog:ignore comment needs rule IDs and a reason (`# sheepdog:ignore[IAM004] why`); this one is ignored",
                span,
            ));
            continue;
        }
        let alone = line[..hash].trim().is_empty();
        out.push(sheepdog_model::LineSuppression {
            rules,
            reason,
            line: if alone { number + 1 } else { number },
            span,
        });
    }
    out
}
