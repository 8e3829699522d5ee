//! IAM's wildcard matching, as AWS applies it to action names and ARNs.

/// True when `pattern` is exactly the match-everything wildcard (`*`).
pub fn is_any(pattern: &str) -> bool {
    pattern.trim() == "*"
}

/// True when an `Action` entry means every action of every service: `*` or `*:*`.
pub fn is_any_action(pattern: &str) -> bool {
    matches!(pattern.trim(), "*" | "*:*")
}

/// Whether an IAM action pattern (with `*` and `?`) matches an action, case-insensitively
/// as IAM compares action names.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob(
        pattern.to_ascii_lowercase().as_bytes(),
        action.to_ascii_lowercase().as_bytes(),
    )
}

/// Iterative glob with backtracking on the last `*`: linear in practice, never recursive.
pub(crate) fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_like_iam() {
        let cases = [
            ("*", "s3:GetObject", true),
            ("s3:*", "s3:GetObject", true),
            ("s3:Get*", "s3:getobject", true),
            ("s3:Get*", "s3:PutObject", false),
            ("*:List*", "iam:ListRoles", true),
            ("lambda:InvokeFunction", "lambda:InvokeFunctionUrl", false),
            ("lambda:Invoke?unction", "lambda:InvokeFunction", true),
            ("iam:*Policy", "iam:PutRolePolicy", true),
            ("", "s3:GetObject", false),
        ];
        for (pattern, action, expected) in cases {
            assert_eq!(
                action_matches(pattern, action),
                expected,
                "{pattern} vs {action}"
            );
        }
    }

    #[test]
    fn any_is_only_the_bare_star() {
        assert!(is_any("*"));
        assert!(!is_any("s3:*"));
        assert!(!is_any("arn:aws:s3:::*"));
    }
}

#[cfg(test)]
mod any_action_tests {
    use super::is_any_action;

    #[test]
    fn every_action_spellings() {
        assert!(is_any_action("*"));
        assert!(is_any_action("*:*"));
        assert!(!is_any_action("s3:*"));
        assert!(!is_any_action("*:Get*"));
    }
}
