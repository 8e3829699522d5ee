//! The HTML report in a real browser (headless Chromium, see `browser/mod.rs`): the summary
//! counts match the JSON report of the same scan, each filter shows exactly the findings it
//! should, scanned text that is markup shows as text and never runs, and the page renders
//! (a screenshot; `SHEEPDOG_UPDATE_SCREENSHOT=1` writes it to docs/html-report.png).

mod browser;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use browser::{Driver, Session, scratch};
use serde_json::Value;

const INJECTED: &str = "crates/sheepdog/tests/data/html/injected.yaml";
/// A file name that is markup too (valid on Linux, where this test runs).
const HOSTILE_NAME: &str = "\"><img src=x onerror=\"window.__pwned=1\">.yaml";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Scan `paths` (relative to the repository) into `dir`/report.html and report.json, from
/// one run, and return the JSON report.
fn scan(dir: &Path, paths: &[&Path]) -> (PathBuf, Value) {
    let html = dir.join("report.html");
    let json = dir.join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(root())
        .args(["scan", "--today", "2026-11-29", "--format", "html", "-o"])
        .arg(&html)
        .args(["--format", "json", "-o"])
        .arg(&json)
        .args(paths)
        .output()
        .expect("sheepdog runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = serde_json::from_str(&fs::read_to_string(&json).expect("JSON report"))
        .expect("the JSON report parses");
    (html, report)
}

/// The insecure example, the injected template, and the injected template again under a
/// file name that is markup.
fn hostile_scan(dir: &Path) -> (PathBuf, Value) {
    let hostile = dir.join("hostile");
    fs::create_dir_all(&hostile).expect("dir");
    fs::copy(root().join(INJECTED), hostile.join(HOSTILE_NAME)).expect("copy");
    scan(
        dir,
        &[
            Path::new("examples/insecure-app"),
            Path::new(INJECTED),
            &hostile,
        ],
    )
}

fn open(driver: &Driver, dir: &Path, page: &Path, width: u32, height: u32) -> Session {
    let profile = dir.join("profile");
    fs::create_dir_all(&profile).expect("profile dir");
    let session = driver.session(&profile, width, height);
    session.open(page);
    // The page's CSP allows its own style and script by hash: a stale hash blocks them.
    let stale = "after editing html/report.css or html/filter.js, update STYLE_SHA256 or \
                 SCRIPT_SHA256 in crates/sheepdog_report/src/html/mod.rs";
    assert_eq!(
        session.eval("return getComputedStyle(document.querySelector('main')).display"),
        "flex",
        "the report's style was not applied: {stale}"
    );
    assert_eq!(
        session.eval("return document.body.dataset.filters || null"),
        "ready",
        "the report's script did not run: {stale}"
    );
    session
}

fn findings(report: &Value) -> &[Value] {
    report["findings"].as_array().map_or(&[], Vec::as_slice)
}

/// How many findings the page shows once it has settled (a reset applies after its event),
/// checking the counter says the same.
fn visible(session: &Session, expected: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let shown = session.eval(
            "return [Array.from(document.querySelectorAll('article.finding')).filter(e => e.offsetParent !== null).length, Number(document.getElementById('shown').textContent)]",
        );
        assert_eq!(shown[0], shown[1], "rows shown and the counter disagree");
        let n = usize::try_from(shown[0].as_u64().expect("a count")).expect("small");
        if n == expected || Instant::now() > deadline {
            return n;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Assert the page shows `expected` findings.
fn assert_visible(session: &Session, expected: usize, what: &str) {
    assert_eq!(visible(session, expected), expected, "{what}");
}

fn count(report: &Value, keep: impl Fn(&Value) -> bool) -> usize {
    findings(report).iter().filter(|f| keep(f)).count()
}

fn has_practice(f: &Value, p: u64) -> bool {
    f["practices"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|x| x.as_u64() == Some(p)))
}

#[test]
fn summary_counts_and_filters_match_the_findings() {
    let dir = scratch("html-browser-filters");
    let (page, report) = hostile_scan(&dir);
    let driver = Driver::start(&dir.join("chromedriver.log"));
    let session = open(&driver, &dir, &page, 1280, 1000);

    let total = findings(&report).len();
    assert!(total > 20, "a report worth filtering");
    assert_eq!(
        session.eval("return Number(document.getElementById('total').dataset.total)"),
        Value::from(total)
    );
    for severity in ["critical", "high", "medium", "low", "info"] {
        let shown = session.eval(&format!(
            "return Number(document.querySelector('[data-severity-count={severity}]').textContent)"
        ));
        assert_eq!(
            shown, report["summary"]["by_severity"][severity],
            "{severity} count"
        );
    }
    assert_visible(&session, total, "no filter: every finding");

    session.click("select[name=severity] option[value=high]");
    assert_visible(
        &session,
        count(&report, |f| f["severity"] == "high"),
        "severity high",
    );
    session.click("button[type=reset]");
    assert_visible(&session, total, "reset shows everything again");

    session.click("select[name=rule] option[value=PUB002]");
    let pub002 = count(&report, |f| f["rule_id"] == "PUB002");
    assert!(pub002 >= 2);
    assert_visible(&session, pub002, "rule PUB002");
    // A file with no finding left to show is hidden with them.
    let files: std::collections::BTreeSet<&str> = findings(&report)
        .iter()
        .filter(|f| f["rule_id"] == "PUB002")
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(
        session.eval(
            "return Array.from(document.querySelectorAll('section.file')).filter(e => !e.hidden).length"
        ),
        Value::from(files.len())
    );
    session.click("button[type=reset]");
    assert_visible(&session, total, "reset");

    session.click("select[name=practice] option[value='1']");
    assert_visible(
        &session,
        count(&report, |f| has_practice(f, 1)),
        "practice 1",
    );
    // Filters combine.
    session.click("select[name=severity] option[value=low]");
    assert_visible(
        &session,
        count(&report, |f| has_practice(f, 1) && f["severity"] == "low"),
        "practice 1 and severity low",
    );
    session.click("button[type=reset]");
    assert_visible(&session, total, "reset");

    session.type_into("input[name=resource]", "report");
    let report_resources = count(&report, |f| {
        f["resource_id"]
            .as_str()
            .is_some_and(|r| r.to_lowercase().contains("report"))
    });
    assert!(report_resources > 0);
    assert_visible(&session, report_resources, "resource contains `report`");
    session.click("button[type=reset]");
    assert_visible(&session, total, "reset");
    // Markup in a resource ID is matched as the text it is.
    session.type_into("input[name=resource]", "<script>");
    let scripted = count(&report, |f| {
        f["resource_id"]
            .as_str()
            .is_some_and(|r| r.contains("<script>"))
    });
    assert!(scripted > 0);
    assert_visible(&session, scripted, "resource contains `<script>`");
}

#[test]
fn scanned_markup_shows_as_text_and_never_runs() {
    let dir = scratch("html-browser-escaping");
    let (page, report) = hostile_scan(&dir);
    let driver = Driver::start(&dir.join("chromedriver.log"));
    let session = open(&driver, &dir, &page, 1280, 1000);

    assert_eq!(session.eval("return typeof window.__pwned"), "undefined");
    assert_eq!(
        session.eval("return document.scripts.length"),
        1,
        "the report's own script only"
    );
    assert_eq!(
        session.eval("return document.querySelectorAll('img, iframe, object, embed, form[action], a[href^=javascript]').length"),
        0
    );
    let handlers = session.eval(
        "return Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes).map(a => a.name)).filter(n => n.startsWith('on'))",
    );
    assert_eq!(
        handlers,
        Value::Array(Vec::new()),
        "event-handler attributes"
    );
    // Every piece of markup is on the page as text, the hostile file name included.
    let text = session.eval("return document.body.innerText");
    let text = text.as_str().expect("text");
    for shown in [
        "Function `<script>window.__pwned=1</script>`",
        "Environment variable `DB_PASSWORD<script>window.__pwned=1</script>`",
        "Handler: \"\\\"><img src=x onerror=\\\"window.__pwned=1\\\">\"",
        "GREETING: \"'><svg onload=window.__pwned=1>\"",
        "Suppression of `<img src=x onerror=window.__pwned=1>`",
        HOSTILE_NAME,
    ] {
        let shown = shown.replace('`', "");
        assert!(text.contains(&shown), "`{shown}` is not shown as text");
    }
    // Secrets are masked in frames here too.
    assert!(!text.contains("hunter2-correct"), "a secret shown whole");
    assert!(findings(&report).iter().any(|f| f["rule_id"] == "SEC001"));
    let errors: Vec<Value> = session
        .console()
        .into_iter()
        .filter(|m| m["level"] == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[test]
fn the_example_report_renders() {
    let dir = scratch("html-browser-screenshot");
    let (page, _) = scan(&dir, &[Path::new("examples")]);
    let driver = Driver::start(&dir.join("chromedriver.log"));
    let session = open(&driver, &dir, &page, 1280, 1600);
    let png = session.screenshot();
    assert_eq!(png.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]), "a PNG");
    let size = |at: usize| {
        png.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    // The window's viewport: its width, and its height less the browser's own bars.
    assert_eq!(size(16), Some(1280), "IHDR width");
    assert!(
        size(20).is_some_and(|h| h > 1000),
        "IHDR height {:?}",
        size(20)
    );
    // A blank page compresses to almost nothing; a rendered report does not.
    assert!(png.len() > 50_000, "{} bytes", png.len());
    let target = if std::env::var_os("SHEEPDOG_UPDATE_SCREENSHOT").is_some_and(|v| v == "1") {
        root().join("docs/html-report.png")
    } else {
        dir.join("html-report.png")
    };
    fs::write(&target, &png).expect("write the screenshot");
}
