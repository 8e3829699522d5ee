mod debug;
mod generate;
mod iam;
mod rules;
mod scan;

use crate::cli::{BaselineCommand, Cli, Command, ConfigCommand, DebugCommand, IamCommand};

/// Run a command; the result is the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Init => init(),
        Command::Config(ConfigCommand::Schema) => {
            print!("{}", crate::config::schema());
            Ok(0)
        }
        Command::Baseline(BaselineCommand::Create(args)) => scan::create_baseline(args),
        Command::Rules(args) => rules::list(&args),
        Command::Rule { id } => rules::show(&id),
        Command::Iam(IamCommand::Explain(args)) => iam::explain(&args),
        Command::Debug(DebugCommand::Model { path }) => debug::model(&path),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man { dir } => generate::man(dir.as_deref()),
    }
}

/// `sheepdog init`: a commented default configuration, never over an existing one.
fn init() -> anyhow::Result<u8> {
    let path = std::path::Path::new(crate::config::FILE_NAME);
    if path.exists() {
        anyhow::bail!("{} already exists; not overwritten", path.display());
    }
    std::fs::write(path, crate::config::TEMPLATE)?;
    println!("wrote {}", path.display());
    Ok(0)
}
