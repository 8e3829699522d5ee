//! `sheepdog.toml`: the settings a team commits next to its templates, so that every run
//! (laptop, pre-commit, CI) scans the same way. Command-line flags take precedence.
//!
//! Found by walking up from the first scanned path, or named with `--config`. Unknown keys
//! are errors with their location (a typo must not silently turn a check off). The JSON
//! schema (`sheepdog config schema`, docs/config.schema.json) is generated from these types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use schemars::JsonSchema;
use serde::Deserialize;
use sheepdog_diagnostics::{Pos, Severity, Span};

pub const FILE_NAME: &str = "sheepdog.toml";

/// The whole file.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Exit 1 when a finding is at least this severe (`none`: never because of findings).
    pub fail_on: Option<ConfigFailOn>,
    /// Report only findings at least this severe.
    pub min_severity: Option<ConfigSeverity>,
    /// Paths not to scan: globs relative to the directory of this file (`tests/**`).
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub rules: RulesConfig,
    /// Accepted findings (`[[suppress]]`): a rule, narrowed to a resource and/or path glob.
    #[serde(default)]
    pub suppress: Vec<SuppressConfig>,
}

/// One `[[suppress]]` entry.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SuppressConfig {
    /// Rule ID or name.
    pub rule: String,
    /// Only findings on this resource (logical ID, address or ARN).
    pub resource: Option<String>,
    /// Only findings in files matching this glob (relative to this file's directory).
    pub path: Option<String>,
    /// Why the risk is accepted (required).
    pub reason: String,
    /// `YYYY-MM-DD`: after this day the finding is reported again.
    #[schemars(with = "Option<String>")]
    pub expires: Option<toml::Spanned<String>>,
}

/// `[rules]`: which rules run, how severe they are, and their options.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// Run only these rules (IDs or names); empty: every default rule.
    #[serde(default)]
    pub only: Vec<String>,
    /// Rules not to run (IDs or names).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Opt-in rules to run too (e.g. `NET001`).
    #[serde(default)]
    pub enable: Vec<String>,
    /// Severity overrides: rule ID or name → severity.
    #[serde(default)]
    pub severity: BTreeMap<String, ConfigSeverity>,
    /// Rule options: rule ID → option → value (`[rules.options.PUB005]`,
    /// `trusted-accounts = ["111122223333"]`); `sheepdog rule ID` documents them.
    #[serde(default)]
    pub options: BTreeMap<String, BTreeMap<String, OptionValue>>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConfigSeverity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConfigFailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
    None,
}

/// A rule option's value.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OptionValue {
    Bool(bool),
    Integer(i64),
    String(String),
    List(Vec<String>),
}

impl OptionValue {
    /// The value as the rules read it (lists comma-separated).
    pub fn render(&self) -> String {
        match self {
            OptionValue::Bool(b) => b.to_string(),
            OptionValue::Integer(i) => i.to_string(),
            OptionValue::String(s) => s.clone(),
            OptionValue::List(items) => items.join(","),
        }
    }
}

impl From<ConfigSeverity> for Severity {
    fn from(s: ConfigSeverity) -> Self {
        match s {
            ConfigSeverity::Critical => Severity::Critical,
            ConfigSeverity::High => Severity::High,
            ConfigSeverity::Medium => Severity::Medium,
            ConfigSeverity::Low => Severity::Low,
            ConfigSeverity::Info => Severity::Info,
        }
    }
}

/// A loaded configuration and the directory its relative paths are relative to.
pub struct Loaded {
    pub config: Config,
    pub dir: PathBuf,
    /// The file as reports name it (relative to the working directory when under it), and
    /// its text: findings about the configuration itself (SUP001) point into it.
    pub file: Arc<str>,
    pub text: Arc<str>,
}

impl Loaded {
    /// Where a byte range of the file is, as a span.
    pub fn span(&self, bytes: &std::ops::Range<usize>) -> Span {
        Span::new(
            self.file.clone(),
            position(&self.text, bytes.start),
            position(&self.text, bytes.end),
        )
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> Pos {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Pos::new(to_u32(line), to_u32(column))
}

/// The configuration for a scan: `explicit` (`--config`), else the nearest `sheepdog.toml`
/// above the first path, else none.
pub fn load(explicit: Option<&Path>, paths: &[PathBuf]) -> anyhow::Result<Option<Loaded>> {
    let file = match explicit {
        Some(f) => Some(f.to_path_buf()),
        None => paths.first().and_then(|p| find(p)),
    };
    let Some(file) = file else { return Ok(None) };
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let config: Config = match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => bail!("{}: {e}", file.display()),
    };
    let dir = file
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| file.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| file.clone());
    Ok(Some(Loaded {
        config,
        dir,
        file: Arc::from(shown.to_string_lossy().as_ref()),
        text: Arc::from(text),
    }))
}

/// The nearest `sheepdog.toml` in `start`'s directory or above it.
fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// The JSON schema of the file, generated from the types above.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// What `sheepdog init` writes: every setting, commented out with its default.
pub const TEMPLATE: &str = r#"# sheepdog configuration (https://github.com/sheepdog-sec/sheepdog)
# Found by walking up from the scanned path; command-line flags take precedence.
# Schema: `sheepdog config schema`.

# Exit 1 when a finding is at least this severe: critical, high, medium, low, info, none.
# fail-on = "low"

# Report only findings at least this severe.
# min-severity = "info"

# Paths not to scan, as globs relative to this file.
# exclude = ["tests/fixtures/**"]

[rules]
# Run only these rules (IDs or names); empty means every default rule.
# only = []
# Rules not to run.
# ignore = ["VER003"]
# Opt-in rules to run too.
# enable = ["NET001"]

# Severity overrides.
# [rules.severity]
# LOG003 = "info"

# Accepted findings, each with its reason (and, optionally, an expiry date).
# [[suppress]]
# rule = "PUB002"
# resource = "WebhookFunctionUrl"
# path = "services/webhooks/**"
# reason = "the payment provider cannot sign requests; the handler verifies its HMAC"
# expires = "2027-06-30"

# Rule options (`sheepdog rule ID` documents each rule's options).
# [rules.options.PUB005]
# trusted-accounts = ["111122223333"]
# [rules.options.DEP003]
# trusted-accounts = ["464622532012"]
# [rules.options.WAF001]
# http-apis = true
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_and_is_all_defaults() {
        let c: Config = toml::from_str(TEMPLATE).expect("template");
        assert!(c.fail_on.is_none() && c.exclude.is_empty() && c.rules.only.is_empty());
        let uncommented: String = TEMPLATE
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.contains(" = ") || l.starts_with('['))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let full: Config = toml::from_str(&uncommented).expect("every example setting parses");
        assert_eq!(full.rules.enable, ["NET001"]);
        assert_eq!(
            full.rules.options["PUB005"]["trusted-accounts"].render(),
            "111122223333"
        );
    }

    #[test]
    fn byte_offsets_become_lines_and_character_columns() {
        let text = "a = 1\nné = \"2027\"\n";
        assert_eq!(position(text, 0), Pos::new(1, 1));
        assert_eq!(position(text, 6), Pos::new(2, 1));
        // `é` is two bytes, one column.
        assert_eq!(position(text, 11), Pos::new(2, 5));
        // Inside a character: that character; past the end: the end. Never a panic.
        assert_eq!(position(text, 8), Pos::new(2, 2));
        assert_eq!(position(text, 999), Pos::new(3, 1));
    }

    #[test]
    fn unknown_keys_are_errors_with_their_location() {
        let e = toml::from_str::<Config>("fail-on = \"high\"\n[rules]\nignor = [\"X\"]\n")
            .expect_err("error");
        let text = e.to_string();
        assert!(text.contains("line 3"), "{text}");
        assert!(text.contains("ignor"), "{text}");
    }
}
