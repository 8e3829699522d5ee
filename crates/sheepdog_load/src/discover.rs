//! Finding the files to scan.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel};

use crate::Mode;
use crate::terraform::canonical;

/// The files to load, sorted, each with how it was found. A directory in `files` is a
/// Terraform root module (its `.tf` files are loaded together).
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<(PathBuf, Mode)>,
    pub diagnostics: Vec<Diagnostic>,
}

const EXTENSIONS: [&str; 4] = ["yaml", "yml", "json", "template"];

/// Walk `paths`: files named explicitly are always loaded; directories are walked honouring
/// `.gitignore`, `.ignore` and hidden-file rules, plus the CDK output in any `cdk.out`
/// directory (usually git-ignored, but it is what gets deployed).
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut out = Discovered::default();
    let mut explicit: BTreeSet<PathBuf> = BTreeSet::new();
    let mut found: BTreeSet<PathBuf> = BTreeSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                walk(path, &mut found, &mut out.diagnostics);
                walk_cdk_out(path, &mut found);
            }
            // A `.tf` file named explicitly stands for its module.
            Ok(_) if crate::terraform::source::is_tf(path) => {
                let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
                explicit.insert(dir.unwrap_or(Path::new(".")).to_path_buf());
            }
            Ok(_) => {
                explicit.insert(path.clone());
            }
            Err(e) => out.diagnostics.push(Diagnostic::file_error(
                "SD003",
                format!("cannot read path: {e}"),
                &path.to_string_lossy(),
            )),
        }
    }
    out.files = explicit
        .iter()
        .map(|p| (p.clone(), Mode::Explicit))
        .chain(
            found
                .into_iter()
                .filter(|p| !explicit.contains(p))
                .map(|p| (p, Mode::Discovered)),
        )
        .collect();
    out.files.sort();
    out
}

fn has_candidate_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn walk(root: &Path, found: &mut BTreeSet<PathBuf>, diagnostics: &mut Vec<Diagnostic>) {
    let walker = WalkBuilder::new(root).follow_links(true).build();
    let mut tf_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut called: BTreeSet<PathBuf> = BTreeSet::new();
    for entry in walker {
        match entry {
            Ok(e) => {
                if !e.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                // A directory of `.tf` or `.tf.json` files (CDK for Terraform) is a module.
                let path = e.path();
                if crate::terraform::source::is_tf(path)
                    || crate::terraform::source::is_tf_json(path)
                {
                    if let Some(dir) = e.path().parent() {
                        called.extend(
                            local_module_sources(e.path())
                                .into_iter()
                                .map(|s| canonical(&dir.join(s))),
                        );
                        tf_dirs.insert(dir.to_path_buf());
                    }
                } else if has_candidate_extension(e.path()) {
                    found.insert(e.into_path());
                }
            }
            Err(err) => diagnostics.push(walk_error(&err)),
        }
    }
    // A directory another module calls (`source = "./modules/x"`) is scanned through its
    // callers, with their inputs, not as a root module of its own.
    found.extend(
        tf_dirs
            .into_iter()
            .filter(|d| !called.contains(&canonical(d))),
    );
}

/// The local module sources (`source = "./x"`) a `.tf` file names, read from its text
/// without parsing it (Terraform requires `source` to be a literal string).
fn local_module_sources(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            // `source = "./x"`, or `"source": "./x"` in JSON syntax.
            let line = line.trim();
            let rest = line
                .strip_prefix("source")
                .or_else(|| line.strip_prefix("\"source\""))?
                .trim_start();
            let value = rest
                .strip_prefix('=')
                .or_else(|| rest.strip_prefix(':'))?
                .trim_start()
                .strip_prefix('"')?;
            let value = &value[..value.find('"')?];
            (value.starts_with("./") || value.starts_with("../")).then(|| value.to_owned())
        })
        .collect()
}

/// `cdk.out/*.template.json` (and nested assemblies), found even when git-ignored.
fn walk_cdk_out(root: &Path, found: &mut BTreeSet<PathBuf>) {
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(name == ".git" || name == "node_modules" || name == "target" || name == ".venv")
        })
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        let in_cdk_out = path.components().any(|c| c.as_os_str() == "cdk.out");
        if in_cdk_out
            && entry.file_type().is_some_and(|t| t.is_file())
            && path.to_string_lossy().ends_with(".template.json")
        {
            found.insert(entry.into_path());
        }
    }
}

/// A walk problem (a symlink loop, an unreadable directory) is reported with its path; it
/// is a warning: the rest of the tree is still scanned and nothing in it went unparsed.
fn walk_error(err: &ignore::Error) -> Diagnostic {
    let (path, message) = describe(err);
    Diagnostic {
        code: "SD003",
        level: DiagnosticLevel::Warning,
        message,
        span: None,
        file: path,
    }
}

fn describe(err: &ignore::Error) -> (Option<String>, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (_, message) = describe(err);
            (Some(path.to_string_lossy().into_owned()), message)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe(err)
        }
        ignore::Error::Loop { ancestor, child } => (
            Some(child.to_string_lossy().into_owned()),
            format!(
                "symbolic link loop: `{}` points back to `{}`; not followed",
                child.display(),
                ancestor.display()
            ),
        ),
        other => (None, other.to_string()),
    }
}
