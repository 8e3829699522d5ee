//! What a secret looks like: known token formats, and secret-named keys with literal values.
//! Compiled once per process (DESIGN.md: no regex compiled per file).

use std::sync::OnceLock;

use regex::Regex;

struct Shape {
    what: &'static str,
    re: Regex,
}

fn shapes() -> &'static [Shape] {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        [
            (
                "an AWS access key ID",
                r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b",
            ),
            (
                "a private key",
                r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY",
            ),
            (
                "a JSON Web Token",
                r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            ),
            ("a Slack token", r"\bxox[abposr]-[0-9A-Za-z-]{10,}"),
            (
                "a Slack webhook URL",
                r"https://hooks\.slack\.com/services/T[0-9A-Z]+/B[0-9A-Z]+/[0-9A-Za-z]+",
            ),
            (
                "a GitHub token",
                r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})",
            ),
            (
                "a Stripe API key",
                r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}",
            ),
            ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
            (
                "a SendGrid API key",
                r"\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}\b",
            ),
            (
                "a connection string with a password",
                r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:([^@\s/]{3,})@",
            ),
        ]
        .into_iter()
        .filter_map(|(what, re)| Regex::new(re).ok().map(|re| Shape { what, re }))
        .collect()
    })
}

/// Words that make a variable's name say "this is a secret".
const SECRET_WORDS: [&str; 12] = [
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "API_KEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "PWD",
];

/// Endings that make a secret-named variable a pointer to a secret, not the secret itself.
const POINTER_SUFFIXES: [&str; 14] = [
    "_ARN",
    "_NAME",
    "_ID",
    "_PATH",
    "_PARAM",
    "_PARAMETER",
    "_SSM",
    "_REF",
    "_KEY_ID",
    "_URL",
    "_ENDPOINT",
    "_FILE",
    "_LENGTH",
    "_TTL",
];

/// If `value` (of variable `name`) looks like a real secret, a description of what it is.
pub fn detect(name: &str, value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    for shape in shapes() {
        if let Some(c) = shape.re.captures(value) {
            // Connection strings: the password must itself look real.
            if let Some(pw) = c.get(1)
                && is_placeholder(pw.as_str())
            {
                continue;
            }
            return Some(shape.what);
        }
    }
    // `DB_PASSWORD_ARN`, and in camelCase (stage variables) `dbPasswordArn`.
    let upper = name.to_ascii_uppercase();
    let snake = upper_snake(name);
    let secret_named = SECRET_WORDS
        .iter()
        .any(|w| upper.contains(w) || snake.contains(w))
        && !POINTER_SUFFIXES
            .iter()
            .any(|s| upper.ends_with(s) || snake.ends_with(s));
    if secret_named && looks_like_literal_secret(value) {
        return Some("a literal value in a secret-named variable");
    }
    None
}

/// `dbPasswordArn` as `DB_PASSWORD_ARN`: an underscore where a lowercase letter or digit
/// meets an uppercase one.
fn upper_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// A value that is a reference to a secret, a placeholder, or a flag, rather than a secret.
fn looks_like_literal_secret(value: &str) -> bool {
    if value.len() < 6 || is_placeholder(value) {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let pointer = lower.starts_with("arn:")
        || lower.starts_with('/')
        || lower.starts_with("ssm:")
        || lower.starts_with("secretsmanager:")
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.contains("{{resolve:");
    let flag = matches!(
        lower.as_str(),
        "true" | "false" | "enabled" | "disabled" | "none" | "null"
    );
    let numeric = value.bytes().all(|b| b.is_ascii_digit());
    !(pointer || flag || numeric)
}

fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with('<') && lower.ends_with('>'))
        || lower.starts_with("${")
        || lower.starts_with("{{")
        || lower.chars().all(|c| c == 'x' || c == '*' || c == '.')
        || [
            "changeme",
            "change_me",
            "change-me",
            "replace_me",
            "replaceme",
            "todo",
            "dummy",
            "example",
            "placeholder",
            "your_password",
            "yourpassword",
            "password",
            "secret",
            "redacted",
            "notset",
            "not_set",
            "tbd",
        ]
        .contains(&lower.as_str())
}

/// Where secrets are written in a model, whichever rules run: environment variable and
/// API stage variable values that look like secrets, and every literal `EventSourceToken`.
/// Reporters mask these in every frame (DESIGN.md invariant 5).
pub fn secret_spans(model: &sheepdog_model::Model) -> Vec<sheepdog_model::Span> {
    let env = model
        .functions
        .iter()
        .flat_map(sheepdog_model::Function::env_vars)
        .map(|v| (&v.name.value, &v.value));
    let stages = model
        .rest_stages
        .iter()
        .flat_map(|s| &s.variables)
        .chain(
            model
                .rest_deployments
                .iter()
                .flat_map(|d| &d.stage_variables),
        )
        .chain(model.http_stages.iter().flat_map(|s| &s.variables))
        .map(|(name, value)| (&name.value, value));
    let named = env.chain(stages).filter(|(name, value)| {
        value
            .value
            .as_str()
            .is_some_and(|value| detect(name, value).is_some())
    });
    let tokens = model
        .permissions
        .iter()
        .filter_map(|p| p.event_source_token.as_ref())
        .filter(|t| t.value.known().is_some());
    named
        .map(|(_, value)| value.span.clone())
        .chain(tokens.map(|t| t.span.clone()))
        .collect()
}

/// The first four characters of a secret, the rest elided (DESIGN.md invariant 5).
pub fn redact(value: &str) -> String {
    let head: String = value.chars().take(4).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_shapes_are_found() {
        let cases = [
            ("X", "AKIAIOSFODNN7EXAMPLE"),
            ("KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
            (
                "T",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            ),
            ("SLACK", "xoxb-123456789012-abcdefghijkl"),
            ("GH", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            ("STRIPE", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            ("DB_URL", "postgres://app:s3cr3tP4ss@db.internal:5432/app"),
            ("DB_PASSWORD", "hunter2hunter2"),
        ];
        for (name, value) in cases {
            assert!(detect(name, value).is_some(), "{name}={value}");
        }
    }

    #[test]
    fn references_and_placeholders_are_not_secrets() {
        let cases = [
            (
                "DB_PASSWORD_ARN",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
            ),
            ("DB_PASSWORD", "/prod/db/password"),
            ("API_TOKEN", "<set me>"),
            ("SECRET_NAME", "prod/api"),
            ("TOKEN_TTL", "3600"),
            ("DB_URL", "postgres://app:${DB_PASSWORD}@db:5432/app"),
            ("PASSWORD", "changeme"),
            ("TABLE_NAME", "orders"),
            ("LOG_LEVEL", "INFO"),
        ];
        for (name, value) in cases {
            assert!(detect(name, value).is_none(), "{name}={value}");
        }
    }

    #[test]
    fn redaction_keeps_four_characters() {
        assert_eq!(redact("AKIAIOSFODNN7EXAMPLE"), "AKIA…");
    }
}
