//! The `sheepdog` binary: parse arguments, run a command, map the outcome to an exit code
//! (0 clean, 1 findings at or above `--fail-on`, 2 a file could not be read or parsed or
//! sheepdog itself failed). A closed pipe (`sheepdog scan | head`) exits quietly.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;
mod config;
mod output;

use std::process::ExitCode;

/// Parsing builds many small strings and nodes; mimalloc makes those allocations markedly
/// cheaper than glibc's malloc (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse_with_data_versions();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("sheepdog: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
