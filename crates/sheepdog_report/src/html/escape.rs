//! Escaping: the HTML report's only defence that matters. Resource names, messages,
//! environment variable names, file paths and template lines all come from scanned files;
//! every one of them reaches the page through [`text`] (or [`inline`], which escapes the
//! same way), in element content and in quoted attribute values alike.

use std::fmt::Write as _;

/// `s` with `& < > " '` as character references: safe as element content and as a quoted
/// attribute value.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push(&mut out, s);
    out
}

fn push(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A message or help line: escaped, with the rules' backtick code spans as `<code>`. A
/// backtick left without a partner stays a literal backtick.
pub fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else {
            break;
        };
        push(&mut out, &rest[..open]);
        let _ = write!(out, "<code>{}</code>", text(&after[..close]));
        rest = &after[close + 1..];
    }
    push(&mut out, rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{inline, text};

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            text(r#"<script>x='1'&"2"</script>"#),
            "&lt;script&gt;x=&#39;1&#39;&amp;&quot;2&quot;&lt;/script&gt;"
        );
        assert_eq!(
            text(r#""><img src=x onerror="a()">"#),
            "&quot;&gt;&lt;img src=x onerror=&quot;a()&quot;&gt;"
        );
    }

    #[test]
    fn code_spans_are_code_and_escaped_too() {
        assert_eq!(
            inline("Variable `A<b>` of `Fn` & more"),
            "Variable <code>A&lt;b&gt;</code> of <code>Fn</code> &amp; more"
        );
        assert_eq!(inline("one ` left <i>"), "one ` left &lt;i&gt;");
        assert_eq!(inline("`a` then ` b"), "<code>a</code> then ` b");
    }
}
