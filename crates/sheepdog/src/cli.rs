use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// Security auditor for AWS Lambda deployments.
#[derive(Debug, Parser)]
#[command(name = "sheepdog", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parse the command line; `--version` also names the embedded data and its dates, so
    /// a user can tell how current the runtime calendar and the IAM data are.
    pub fn parse_with_data_versions() -> Self {
        let calendar = sheepdog_rules::runtimes::calendar();
        let mut long_version = format!(
            "{}\nruntime calendar: generated {} from {}\nSAM policy templates: {} from {}",
            env!("CARGO_PKG_VERSION"),
            calendar.generated,
            calendar.source,
            sheepdog_load::cfn::sam::policy_templates::count(),
            sheepdog_load::cfn::sam::policy_templates::source(),
        );
        // The IAM data is parsed on first use: only for `--version` itself.
        if std::env::args_os().any(|a| a == "--version") {
            long_version.push_str(&iam_data_versions());
        }
        let matches = Self::command().long_version(long_version).get_matches();
        Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// One line per IAM data set (`sheepdog_iam::data_dates`), with what it holds.
fn iam_data_versions() -> String {
    use std::fmt::Write as _;
    let catalog = sheepdog_iam::catalog();
    let managed = sheepdog_iam::managed_policies();
    let risk = sheepdog_iam::risk();
    let details = [
        format!(
            "{} actions of {} services, AWS data of {}",
            catalog.all().len(),
            catalog.service_count(),
            catalog.data_date
        ),
        format!(
            "{} policies, newest update {}",
            managed.len(),
            managed.data_date
        ),
        format!(
            "{} privilege-escalation methods, {} credential-exposing and {} data-reading actions",
            risk.privilege_escalation.len(),
            risk.credentials_exposure.len(),
            risk.data_exfiltration.len()
        ),
    ];
    let mut out = String::new();
    for (i, (name, generated)) in sheepdog_iam::data_dates().into_iter().enumerate() {
        let detail = details
            .get(i)
            .map_or_else(String::new, |d| format!(" ({d})"));
        let _ = write!(out, "\n{name}: generated {generated}{detail}");
    }
    out
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan CloudFormation/SAM templates (files or directories; default `.`).
    Scan(ScanArgs),
    /// Write a commented default `sheepdog.toml` in the current directory.
    Init,
    /// The configuration file's JSON schema.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Accept today's findings: record them so later scans report only new ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// List the rule catalog.
    Rules(RulesArgs),
    /// Print a rule's documentation (by ID or name).
    Rule {
        /// Rule ID (e.g. `PUB002`) or name (e.g. `function-url-auth-none`).
        id: String,
    },
    /// IAM policy tools.
    #[command(subcommand)]
    Iam(IamCommand),
    /// Developer tools.
    #[command(subcommand)]
    Debug(DebugCommand),
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    ///
    /// E.g. `sheepdog completions bash > ~/.local/share/bash-completion/completions/sheepdog`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    ///
    /// E.g. `sheepdog man > /usr/local/share/man/man1/sheepdog.1`.
    Man {
        /// Write one page per subcommand (sheepdog.1, sheepdog-scan.1, ...) into this directory.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum IamCommand {
    /// Explain what a policy document allows: each statement, every wildcard expanded,
    /// risky actions by category, escalation paths, unknown actions and problems.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("policy").required(true).args(["file", "managed"])))]
pub struct ExplainArgs {
    /// A policy document, JSON or YAML (`-` reads standard input).
    pub file: Option<PathBuf>,
    /// An AWS managed policy instead of a file, by name or ARN (e.g. `AdministratorAccess`).
    #[arg(long, value_name = "NAME|ARN")]
    pub managed: Option<String>,
    /// Output format (json: docs/iam-explain.md).
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    pub format: Format,
    /// List every action of each group instead of a handful.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Print the normalized model of a template (or of every template under a directory) as JSON.
    Model { path: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Code frames for people.
    Terminal,
    /// The versioned JSON report (docs/json-report.md).
    Json,
}

/// The formats of `scan` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Code frames for people.
    Terminal,
    /// The versioned JSON report (docs/json-report.md).
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// Junit XML, for CI test reports (GitLab, Jenkins, Azure DevOps).
    Junit,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// One self-contained HTML page for a reviewer: summary, filterable findings, posture.
    Html,
    /// The baseline file `sheepdog baseline create` writes.
    #[value(skip)]
    Baseline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl From<Level> for sheepdog_diagnostics::Severity {
    fn from(level: Level) -> Self {
        match level {
            Level::Critical => Self::Critical,
            Level::High => Self::High,
            Level::Medium => Self::Medium,
            Level::Low => Self::Low,
            Level::Info => Self::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
    /// Never exit 1 because of findings.
    None,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan. Directories are walked honouring .gitignore.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format (default: terminal). Repeat `--format X -o FILE` to write several
    /// reports from one scan: the n-th `-o` takes the n-th `--format`; one format may go
    /// to standard output.
    #[arg(long, value_enum)]
    pub format: Vec<ReportFormat>,
    /// Write the report to this file instead of standard output (repeatable, see `--format`).
    #[arg(short, long)]
    pub output: Vec<PathBuf>,
    /// Report only findings that are not in this baseline (`sheepdog baseline create`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Exit 1 when a finding is at least this severe [default: low].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// The configuration file (default: the nearest `sheepdog.toml` above the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// No colours in the terminal report (also: the `NO_COLOR` environment variable).
    #[arg(long)]
    pub no_color: bool,
    /// Run only these rules (IDs or names; repeatable).
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Skip these rules (IDs or names; repeatable).
    #[arg(long = "ignore-rule", value_name = "ID")]
    pub ignore_rules: Vec<String>,
    /// Also run these opt-in rules, which are off by default (IDs or names; repeatable).
    #[arg(long = "enable-rule", value_name = "ID")]
    pub enable_rules: Vec<String>,
    /// Set a rule option, `ID.name=value` (repeatable); `sheepdog rule ID` documents them.
    #[arg(long = "rule-option", value_name = "ID.NAME=VALUE")]
    pub rule_options: Vec<String>,
    /// List suppressed findings too (marked as such; they still do not fail the scan).
    #[arg(long)]
    pub show_suppressed: bool,
    /// Ignore suppressions written in the scanned files (a policy gate: only the
    /// configuration and the baseline can accept a risk).
    #[arg(long)]
    pub no_inline_ignores: bool,
    /// Report only findings at least this severe [default: info].
    #[arg(long, value_enum)]
    pub min_severity: Option<Level>,
    /// Set a Terraform input variable of the scanned root modules, `NAME=VALUE`
    /// (repeatable; as `terraform plan -var`). Lists and maps are written in HCL.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read Terraform variable values from this `.tfvars` file (repeatable; after
    /// `terraform.tfvars` and `*.auto.tfvars`, before `--var`).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Evaluate dates (runtime deprecation) as of this day, YYYY-MM-DD. For reproducible tests.
    #[arg(long, hide = true)]
    pub today: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the JSON schema of `sheepdog.toml` (generated from the code).
    Schema,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Record today's findings by fingerprint, so that `scan --baseline FILE` reports only
    /// new ones.
    Create(BaselineCreateArgs),
}

#[derive(Debug, Args)]
pub struct BaselineCreateArgs {
    /// Files or directories to scan, as for `scan`.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Where to write the baseline (e.g. `.sheepdog-baseline.json`).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Set a Terraform input variable, `NAME=VALUE` (repeatable; as for `scan`).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read Terraform variable values from this `.tfvars` file (repeatable; as for `scan`).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Evaluate dates (runtime deprecation) as of this day, YYYY-MM-DD. For reproducible tests.
    #[arg(long, hide = true)]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    pub format: Format,
}
