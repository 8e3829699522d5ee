mod debug;
mod generate;
mod iam;
mod rules;
mod scan;

use crate::cli::{BaselineCommand, Cli, Command, DebugCommand, IamCommand};

/// Run a command; the result is the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Baseline(BaselineCommand::Create(args)) => scan::create_baseline(args),
        Command::Rules(args) => rules::list(&args),
        Command::Rule { id } => rules::show(&id),
        Command::Iam(IamCommand::Explain(args)) => iam::explain(&args),
        Command::Debug(DebugCommand::Model { path }) => debug::model(&path),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man { dir } => generate::man(dir.as_deref()),
    }
}
