//! Files generated from the CLI definition itself: shell completions (`sheepdog completions`)
//! and the man page (`sheepdog man`). Both read `Cli::command()`, so they can never drift
//! from the arguments sheepdog actually accepts.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::output;

/// The name completions and man pages are generated for.
const BIN_NAME: &str = "sheepdog";

/// `sheepdog completions SHELL`: the completion script for that shell, on standard output.
pub fn completions(shell: Shell) -> anyhow::Result<u8> {
    let mut cmd = Cli::command();
    // Generate into memory first: the generators panic on a write error, and a closed pipe
    // (`sheepdog completions bash | head`) should exit quietly like every other command.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN_NAME, &mut script);
    let mut out = output::open(None)?;
    out.write_all(&script)?;
    out.flush()?;
    Ok(0)
}

/// `sheepdog man`: the roff man page of `sheepdog` on standard output, or with `--dir` one
/// page per subcommand (`sheepdog.1`, `sheepdog-scan.1`, ...) written into that directory.
pub fn man(dir: Option<&Path>) -> anyhow::Result<u8> {
    let cmd = Cli::command().name(BIN_NAME);
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        clap_mangen::generate_to(cmd, dir)
            .with_context(|| format!("cannot write man pages into {}", dir.display()))?;
        return Ok(0);
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page)?;
    let mut out = output::open(None)?;
    out.write_all(&page)?;
    out.flush()?;
    Ok(0)
}
