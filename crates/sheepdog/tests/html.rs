//! `--format html`, read as text (the browser test, `html_browser.rs`, checks it renders and
//! behaves): every finding is on the page once, with its frame, path and rule
//! documentation; each function's posture follows the findings on what is part of it; the
//! page loads nothing from elsewhere; template text never becomes markup; secrets stay
//! masked; the same scan gives the same bytes.

use std::path::Path;
use std::process::Command;

fn scan(format: &str, paths: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .args(["scan", "--format", format, "--today", "2026-11-29"])
        .args(paths)
        .output()
        .expect("sheepdog runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn json(paths: &[&str]) -> serde_json::Value {
    serde_json::from_str(&scan("json", paths)).expect("JSON")
}

/// The text of the posture cell of `function` for `practice`: its class and title.
fn posture<'a>(html: &'a str, function: &str, practice: u8) -> &'a str {
    let row_start = html
        .find(&format!("<tr data-function=\"{function}\">"))
        .unwrap_or_else(|| panic!("no posture row for {function}"));
    let row = &html[row_start..];
    let row = &row[..row.find("</tr>").expect("row end")];
    let cell = row
        .find(&format!("data-practice=\"{practice}\""))
        .unwrap_or_else(|| panic!("no practice {practice} in {row}"));
    let start = row[..cell].rfind("<td").expect("cell start");
    let end = cell + row[cell..].find("</td>").expect("cell end");
    &row[start..end]
}

#[test]
fn every_finding_is_on_the_page_with_its_documentation() {
    let html = scan("html", &["examples/insecure-app"]);
    let report = json(&["examples/insecure-app"]);
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(
        html.matches("<article class=\"finding ").count(),
        findings.len()
    );
    for f in findings {
        let rule = f["rule_id"].as_str().expect("rule");
        assert!(html.contains(&format!("<section class=\"rule-doc\" id=\"rule-{rule}\">")));
    }
    assert_eq!(
        html.matches("<section class=\"rule-doc\"").count(),
        findings
            .iter()
            .filter_map(|f| f["rule_id"].as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        "one documentation section per rule that reported something"
    );
    assert!(html.contains("<h4>How to fix</h4>"));
    assert_eq!(
        html.matches("<pre class=\"frame\">").count(),
        findings.len(),
        "a frame each"
    );
    // PUB002 carries its path: the URL, the function, the role SAM creates for it.
    let pub002 = &html[html.find("data-rule=\"PUB002\"").expect("PUB002")..];
    let pub002 = &pub002[..pub002.find("</article>").expect("end")];
    let path = &pub002[pub002.find("<div class=\"path\">").expect("a path")..];
    assert_eq!(path.matches("<li>").count(), 3, "{path}");
    assert!(path.contains("the URL invokes function <code>ReportFunction</code>"));
    // Related locations: the SAM property behind an implicit role.
    assert!(html.contains("<div class=\"related\"><h4>Related</h4>"));
    assert!(html.contains("<strong id=\"total\" data-total=\""));
}

#[test]
fn posture_counts_findings_on_what_is_part_of_a_function() {
    let html = scan("html", &["examples"]);
    // IAM001 is on the role SAM creates for CreateOrderFunction: practice 1 fails for it.
    let cell = posture(&html, "CreateOrderFunction", 1);
    assert!(
        cell.contains("class=\"fail\"") && cell.contains("IAM001"),
        "{cell}"
    );
    // PUB002 is on ReportFunction's URL.
    let cell = posture(&html, "ReportFunction", 14);
    assert!(
        cell.contains("class=\"fail\"") && cell.contains("PUB002"),
        "{cell}"
    );
    // No rule of practice 1 reports WebhookFunction or its role.
    let cell = posture(&html, "WebhookFunction", 1);
    assert!(cell.contains("class=\"pass\""), "{cell}");
    // The same in the Terraform twin (listed before the fixed apps): IAM001 is on the role
    // policy the module declares for create_order, PUB002 on the URL it declares for report.
    let cell = posture(&html, "module.create_order.aws_lambda_function.this", 1);
    assert!(
        cell.contains("class=\"fail\"") && cell.contains("IAM001"),
        "{cell}"
    );
    let cell = posture(&html, "module.report.aws_lambda_function.this", 14);
    assert!(
        cell.contains("class=\"fail\"") && cell.contains("PUB002"),
        "{cell}"
    );
    // Every function of the four apps is listed; the fixed ones (SAM, then Terraform) pass
    // everything.
    assert_eq!(html.matches("<tr data-function=").count(), 12);
    let secure = &html[html
        .find("examples/secure-app/template.yaml:")
        .expect("secure")..];
    let secure = &secure[..secure.find("</tbody>").expect("end")];
    assert_eq!(
        secure.matches("<td class=\"loc\">examples/secure-").count(),
        5
    );
    assert!(secure.contains("examples/secure-terraform-app/webhook.tf:"));
    assert!(!secure.contains("class=\"fail\""), "{secure}");
}

#[test]
fn the_page_is_self_contained_and_template_text_stays_text() {
    let html = scan(
        "html",
        &[
            "crates/sheepdog/tests/data/html/injected.yaml",
            "crates/sheepdog/tests/data/markup.yaml",
            "examples/insecure-app",
        ],
    );
    assert_eq!(html.matches("<script").count(), 1, "the page's own script");
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"
    ));
    for external in [
        "<link",
        " src=\"",
        "href=\"http",
        "url(",
        "@import",
        "<img",
        "<iframe",
    ] {
        assert!(!html.contains(external), "`{external}` in the page");
    }
    assert!(html.contains("Function <code>&lt;script&gt;window.__pwned=1&lt;/script&gt;</code>"));
    assert!(html.contains(
        "data-resource=\"&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;\""
    ));
    assert!(html.contains("DB_PASSWORD&lt;script&gt;&amp;&#39;&quot;*_@x|"));
    // Secrets are masked in frames, as in the terminal report.
    assert!(!html.contains("sk_live_51HqLyjWDarjtT1zdp7dcQx9Kf"));
    assert!(!html.contains("hunter2-correct"));
    // (SEC001's documentation example holds this one; the template's line does not.)
    assert!(html.contains("DB_PASSWORD: corr************************"));
    assert!(!html.contains("correct-horse-battery-staple             # SEC001"));
}

#[test]
fn the_same_scan_gives_the_same_page() {
    let a = scan("html", &["examples"]);
    let b = scan("html", &["examples"]);
    assert_eq!(a, b);
    let clean = scan("html", &["examples/secure-app"]);
    assert!(clean.contains("<p>No findings.</p>"));
    assert!(clean.ends_with("</html>\n"));
}
