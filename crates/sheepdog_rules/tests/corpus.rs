//! The realistic corpus (`tests/corpus/`, see its README): every default rule over whole
//! applications, one snapshot per application listing every finding on one line. The
//! snapshots are the noise level a user would see; review them whenever a rule changes.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sheepdog_load::{discover, load_file};
use sheepdog_rules::{Date, Options, check};

fn apps() -> Vec<PathBuf> {
    let mut apps: Vec<PathBuf> = std::fs::read_dir("tests/corpus")
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    apps.sort();
    apps
}

/// Every template of `app`, with every finding and diagnostic on one line.
fn render(app: &Path) -> String {
    let options = Options {
        today: Date::parse(common::TODAY).expect("TODAY is a date"),
        ..Options::default()
    };
    let found = discover(&[app.to_path_buf()]);
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
    assert!(
        !found.files.is_empty(),
        "no template found in {}",
        app.display()
    );
    let mut out = String::new();
    for (path, mode) in &found.files {
        let loaded = load_file(path, *mode).expect("corpus files are templates");
        let model = loaded.model.as_ref().expect("corpus templates load");
        let _ = writeln!(out, "# {}", loaded.file);
        for d in &loaded.diagnostics {
            let at = d.span.as_ref().map_or(String::new(), |s| {
                format!("{}:{}", s.start.line, s.start.column)
            });
            let _ = writeln!(out, "{at} {:?} {} {}", d.level, d.code, d.message);
        }
        for f in check(model, &options) {
            let _ = writeln!(
                out,
                "{}:{} {} {} {}",
                f.span.start.line, f.span.start.column, f.severity, f.rule.id, f.message
            );
        }
    }
    out
}

#[test]
fn corpus_findings() {
    let apps = apps();
    assert!(apps.len() >= 5, "the corpus has its applications");
    for app in apps {
        let name = app
            .file_name()
            .and_then(|n| n.to_str())
            .expect("app directories have UTF-8 names")
            .to_owned();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(format!("corpus__{name}"), render(&app)));
    }
}
