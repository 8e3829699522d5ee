//! `--format junit` and `--format markdown`: Junit XML parses, with as many failing test
//! cases as the JSON report has findings; template text that is markup in XML, HTML or
//! Markdown is escaped in both; the Markdown of the insecure example is what a reviewer
//! reads in a pull-request comment (snapshot).

use std::path::Path;
use std::process::Command;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

const MARKUP: &str = "crates/sheepdog/tests/data/markup.yaml";

fn scan(format: &str, path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_sheepdog"))
        .current_dir(&root)
        .args(["scan", "--format", format, "--today", "2026-11-29", path])
        .output()
        .expect("sheepdog runs");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the report is UTF-8")
}

fn json_findings(path: &str) -> usize {
    let report: serde_json::Value =
        serde_json::from_str(&scan("json", path)).expect("the report is JSON");
    report["findings"].as_array().expect("findings").len()
}

/// What a Junit report holds, read with a real XML parser (which also checks that every
/// tag is closed in order and every entity is known).
#[derive(Debug, Default)]
struct Junit {
    /// `tests`/`failures`/`errors` of `<testsuites>` and of each `<testsuite>`.
    counts: Vec<(String, usize, usize, usize)>,
    testcases: usize,
    failures: usize,
    errors: usize,
    /// Unescaped `message` attributes of `<failure>` and `<error>`.
    messages: Vec<String>,
}

fn parse_junit(xml: &str) -> Junit {
    let mut reader = Reader::from_str(xml);
    let mut junit = Junit::default();
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                depth -= 1;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if !empty {
            depth += 1;
        }
        let attr = |name: &str| -> Option<String> {
            e.try_get_attribute(name).expect("attribute").map(|a| {
                a.normalized_value(XmlVersion::Explicit1_0)
                    .expect("known entities")
                    .into_owned()
            })
        };
        let count = |name: &str| -> usize {
            attr(name)
                .unwrap_or_else(|| panic!("a `{name}` count"))
                .parse()
                .expect("a number")
        };
        let qname = e.name();
        let name: &str = qname.as_ref();
        match name {
            "testsuites" | "testsuite" => junit.counts.push((
                e.name().as_ref().to_owned(),
                count("tests"),
                count("failures"),
                count("errors"),
            )),
            "testcase" => junit.testcases += 1,
            "failure" | "error" => {
                if name == "failure" {
                    junit.failures += 1;
                } else {
                    junit.errors += 1;
                }
                junit.messages.push(attr("message").expect("a message"));
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element is closed");
    junit
}

fn assert_counts_match(junit: &Junit) {
    assert_eq!(junit.counts.len(), 2, "one <testsuites>, one <testsuite>");
    for (tag, tests, failures, errors) in &junit.counts {
        assert_eq!(*tests, junit.testcases, "{tag} tests");
        assert_eq!(*failures, junit.failures, "{tag} failures");
        assert_eq!(*errors, junit.errors, "{tag} errors");
    }
}

#[test]
fn junit_has_a_failing_test_case_per_finding() {
    let path = "examples/insecure-app";
    let junit = parse_junit(&scan("junit", path));
    let findings = json_findings(path);
    assert!(findings > 0);
    assert_eq!(junit.failures, findings);
    assert_eq!(junit.testcases, findings);
    assert_eq!(junit.errors, 0);
    assert_counts_match(&junit);
}

#[test]
fn junit_reports_unparsable_files_as_errors() {
    let xml = scan("junit", "crates/sheepdog/tests/data");
    let junit = parse_junit(&xml);
    assert_counts_match(&junit);
    assert_eq!(junit.failures, json_findings("crates/sheepdog/tests/data"));
    let errors: usize =
        serde_json::from_str::<serde_json::Value>(&scan("json", "crates/sheepdog/tests/data"))
            .expect("JSON")["summary"]["errors"]
            .as_u64()
            .expect("errors")
            .try_into()
            .expect("small");
    assert_eq!(junit.errors, errors, "{xml}");
}

#[test]
fn junit_escapes_template_text() {
    let xml = scan("junit", MARKUP);
    let junit = parse_junit(&xml);
    assert_counts_match(&junit);
    assert_eq!(junit.failures, json_findings(MARKUP));
    assert!(
        junit
            .messages
            .iter()
            .any(|m| m.contains("`DB_PASSWORD<script>&'\"*_@x|`")),
        "the name survives a round trip: {:?}",
        junit.messages
    );
    assert!(!xml.contains("<script>"), "{xml}");
    assert!(!xml.contains("<img"), "{xml}");
    assert!(
        xml.contains("DB_PASSWORD&lt;script&gt;&amp;&apos;&quot;"),
        "{xml}"
    );
}

#[test]
fn markdown_escapes_template_text() {
    let md = scan("markdown", MARKUP);
    // Inside the rules' code spans the renderer shows text literally: kept as written.
    assert!(md.contains("`DB_PASSWORD<script>&'\"*_@x|`"), "{md}");
    // A backtick in the name ends the span early: what falls outside is escaped, so no
    // raw HTML (which could close the `<details>` block or embed an image) gets through.
    assert!(md.contains("`API_TOKEN`&lt;/details&gt;`"), "{md}");
    assert!(!md.contains("</details>"), "{md}");
    for line in md.lines().filter(|l| l.starts_with("- ")) {
        assert!(!line.contains('\n'));
    }
}

#[test]
fn markdown_of_the_insecure_example() {
    let md = scan("markdown", "examples/insecure-app");
    let findings = json_findings("examples/insecure-app");
    let bullets = md.lines().filter(|l| l.starts_with("- **")).count();
    assert_eq!(bullets, findings);
    insta::assert_snapshot!("insecure_markdown", md);
}
