use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// How bad a finding is. Ordered from least to most severe so `>=` means "at least".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected critical, high, medium, low or info)"
            )),
        }
    }
}

/// The input formats a rule can fire on. Meta tests check each has fixtures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    CloudFormation,
    Sam,
    Terraform,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::CloudFormation => "CloudFormation",
            Source::Sam => "SAM",
            Source::Terraform => "Terraform",
        }
    }
}

/// One of the nineteen practices of PRACTICES.md, by number.
pub type Practice = u8;

/// A practice's short name, as reports label it (PRACTICES.md describes each).
pub fn practice_name(p: Practice) -> &'static str {
    match p {
        1 => "least privilege",
        2 => "configuration via environment variables",
        3 => "secrets management",
        4 => "monitoring and logging",
        5 => "dependencies",
        6 => "network security",
        7 => "data in transit",
        8 => "input validation",
        9 => "WAF",
        10 => "versioning and aliases",
        11 => "throttling",
        12 => "VPC and security groups",
        13 => "secure runtime",
        14 => "IAM review",
        15 => "MFA",
        16 => "container images",
        17 => "AWS Config rules",
        18 => "educate the team",
        19 => "stay informed",
        _ => "unknown practice",
    }
}

/// Everything about a rule that is not its logic. Plain data, so reporters can use it
/// without depending on the rules crate.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Stable public ID, e.g. `PUB002`. Never reused.
    pub id: &'static str,
    /// Kebab-case name of the bad pattern, e.g. `function-url-auth-none`.
    pub name: &'static str,
    pub severity: Severity,
    /// Practice numbers from PRACTICES.md this rule checks.
    pub practices: &'static [Practice],
    pub sources: &'static [Source],
    /// The rule's documentation: its doc comment, in markdown.
    pub docs: &'static str,
    /// Off unless asked for (`--enable-rule`, or named with `--rule`): for checks that are
    /// right for some estates and noise for others.
    pub opt_in: bool,
    /// Settings that change what the rule reports: `(name, what it does)`. Set with
    /// `--rule-option ID.name=value`; documented in the rule's `## Options` section.
    pub options: &'static [(&'static str, &'static str)],
}

impl RuleMeta {
    /// The first sentence of the "What it checks" section, on one line (the doc comment's
    /// line breaks and indentation collapsed to single spaces), for tables and short help.
    pub fn summary(&self) -> String {
        let body = self
            .docs
            .split_once("## What it checks")
            .map_or(self.docs, |(_, rest)| rest);
        let body = body.trim_start();
        let para = body.split("\n\n").next().unwrap_or(body);
        let para = para.split_whitespace().collect::<Vec<_>>().join(" ");
        let end = para.find(". ").map_or(para.len(), |i| i + 1);
        para[..end].to_owned()
    }

    /// A documentation section's text (without its heading), if present.
    /// Doc comments keep one leading space per line; the text comes back without it.
    pub fn section(&self, heading: &str) -> Option<String> {
        let marker = format!("## {heading}");
        let start = self.docs.find(&marker)? + marker.len();
        let rest = &self.docs[start..];
        let end = rest
            .lines()
            .skip(1)
            .position(|l| l.trim_start().starts_with("## "))
            .map_or(rest.len(), |i| {
                rest.match_indices('\n')
                    .nth(i)
                    .map_or(rest.len(), |(at, _)| at)
            });
        let text: Vec<&str> = rest[..end]
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        Some(text.join("\n").trim().to_owned())
    }
}
