//! Where a report goes: standard output or a file named with `-o`.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use anyhow::Context;

/// A buffered writer to the file, or to standard output.
pub fn open(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Colour only on a terminal, never with `--no-color` or `NO_COLOR` set, never into a file.
pub fn use_color(no_color: bool, to_file: bool) -> bool {
    !no_color
        && !to_file
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && io::stdout().is_terminal()
}
