//! A rule's documentation (its doc comment, Markdown) as HTML, for the report's rule
//! sections. Only what rule docs use: `## ` headings, paragraphs, `- ` lists, fenced code
//! blocks and inline code. Everything is escaped; a construct outside that subset shows as
//! its text, never as markup.

use std::fmt::Write as _;

use super::escape;

/// The doc comment's Markdown as HTML. Headings become `<h4>` (the rule's own heading is
/// an `<h3>`).
pub fn render(docs: &str) -> String {
    let mut out = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    for line in docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)) {
        if let Some(block) = &mut code {
            if line.trim_start().starts_with("```") {
                out.push_str("<pre class=\"doc-code\"><code>");
                out.push_str(&escape::text(&block.join("\n")));
                out.push_str("</code></pre>\n");
                code = None;
            } else {
                block.push(line);
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut out, &mut paragraph, &mut list);
            code = Some(Vec::new());
        } else if let Some(heading) = trimmed.strip_prefix("## ") {
            flush(&mut out, &mut paragraph, &mut list);
            let _ = writeln!(out, "<h4>{}</h4>", escape::inline(heading));
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            if !paragraph.is_empty() {
                flush(&mut out, &mut paragraph, &mut Vec::new());
            }
            list.push(item.to_owned());
        } else if trimmed.is_empty() {
            flush(&mut out, &mut paragraph, &mut list);
        } else if let Some(last) = list.last_mut().filter(|_| line.starts_with("  ")) {
            // A list item's continuation line.
            last.push(' ');
            last.push_str(trimmed);
        } else {
            if !list.is_empty() {
                flush(&mut out, &mut Vec::new(), &mut list);
            }
            paragraph.push(trimmed);
        }
    }
    if let Some(block) = code {
        // An unclosed fence: its lines are still shown, as code.
        out.push_str("<pre class=\"doc-code\"><code>");
        out.push_str(&escape::text(&block.join("\n")));
        out.push_str("</code></pre>\n");
    }
    flush(&mut out, &mut paragraph, &mut list);
    out
}

fn flush(out: &mut String, paragraph: &mut Vec<&str>, list: &mut Vec<String>) {
    if !paragraph.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape::inline(&paragraph.join(" ")));
        paragraph.clear();
    }
    if !list.is_empty() {
        out.push_str("<ul>\n");
        for item in list.iter() {
            let _ = writeln!(out, "<li>{}</li>", escape::inline(item));
        }
        out.push_str("</ul>\n");
        list.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn the_subset_rule_docs_use() {
        let docs = " ## What it checks\n A URL whose `AuthType` is\n `NONE`.\n\n - one `a`\n   continued\n - two\n\n ## Example\n Insecure:\n ```yaml\n Key: <b>&\n ```\n";
        assert_eq!(
            render(docs),
            "<h4>What it checks</h4>\n<p>A URL whose <code>AuthType</code> is <code>NONE</code>.</p>\n<ul>\n<li>one <code>a</code> continued</li>\n<li>two</li>\n</ul>\n<h4>Example</h4>\n<p>Insecure:</p>\n<pre class=\"doc-code\"><code>Key: &lt;b&gt;&amp;</code></pre>\n"
        );
    }

    #[test]
    fn anything_else_is_text() {
        assert_eq!(
            render("<script>alert(1)</script> [a](javascript:x)"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; [a](javascript:x)</p>\n"
        );
        assert_eq!(
            render("```\n<i>open"),
            "<pre class=\"doc-code\"><code>&lt;i&gt;open</code></pre>\n"
        );
    }
}
