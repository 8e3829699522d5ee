mod debug;
mod iam;
mod rules;
mod scan;

use crate::cli::{Cli, Command, DebugCommand, IamCommand};

/// Run a command; the result is the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Rules(args) => rules::list(&args),
        Command::Rule { id } => rules::show(&id),
        Command::Iam(IamCommand::Explain(args)) => iam::explain(&args),
        Command::Debug(DebugCommand::Model { path }) => debug::model(&path),
    }
}
