//! Helpers shared by the loader's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Map, Value as Json};
use sheepdog_load::{Loaded, Mode, load_file};
use sheepdog_model::{Model, Sourced, UnknownReason, Value};

/// Load `tests/templates/<name>` (relative path: cargo runs tests from the crate dir).
pub fn load(name: &str) -> Loaded {
    let path = format!("tests/templates/{name}");
    load_file(Path::new(&path), Mode::Explicit).expect("an explicitly named file always answers")
}

/// Load a fixture that must give a model.
pub fn model(name: &str) -> (Model, Loaded) {
    let mut loaded = load(name);
    let model = loaded
        .model
        .take()
        .unwrap_or_else(|| panic!("{name} gave no model: {:#?}", loaded.diagnostics));
    (model, loaded)
}

/// What a snapshot shows: the diagnostics and the model, as JSON, with every span
/// rendered `line:col-line:col` (prefixed by its file when it is not the template) and
/// the model's empty collections left out, so a reviewer reads the facts.
pub fn snapshot_json(loaded: &Loaded, model: &Model) -> Json {
    let file = loaded.file.to_string();
    let mut model_json = serde_json::to_value(model).expect("model serializes");
    if let Json::Object(map) = &mut model_json {
        map.retain(|_, v| !matches!(v, Json::Array(a) if a.is_empty()));
    }
    let diagnostics = serde_json::to_value(&loaded.diagnostics).expect("diagnostics serialize");
    let mut out = serde_json::json!({ "diagnostics": diagnostics, "model": model_json });
    compact_spans(&mut out, &file);
    out
}

fn compact_spans(v: &mut Json, file: &str) {
    match v {
        Json::Object(map) => {
            if let Some(s) = span_text(map, file) {
                *v = Json::String(s);
                return;
            }
            for (_, child) in map.iter_mut() {
                compact_spans(child, file);
            }
        }
        Json::Array(items) => items.iter_mut().for_each(|i| compact_spans(i, file)),
        _ => {}
    }
}

fn span_text(map: &Map<String, Json>, file: &str) -> Option<String> {
    if map.len() != 3 {
        return None;
    }
    let f = map.get("file")?.as_str()?;
    let pos = |k: &str| -> Option<String> {
        let p = map.get(k)?;
        Some(format!("{}:{}", p.get("line")?, p.get("column")?))
    };
    let (start, end) = (pos("start")?, pos("end")?);
    Some(if f == file {
        format!("{start}-{end}")
    } else {
        format!("{f}@{start}-{end}")
    })
}

/// Remove every `span` and `file` key, recursively: what is left is the model's content.
pub fn strip_locations(v: &mut Json) {
    match v {
        Json::Object(map) => {
            map.retain(|k, _| k != "span" && k != "file");
            map.values_mut().for_each(strip_locations);
        }
        Json::Array(items) => items.iter_mut().for_each(strip_locations),
        _ => {}
    }
}

/// `(line, column)` of a span's start.
pub fn at(s: &sheepdog_model::Span) -> (u32, u32) {
    (s.start.line, s.start.column)
}

/// The known string of a sourced value, or a panic naming what it was.
pub fn known<'a>(v: &'a Sourced<String>, what: &str) -> &'a str {
    v.value
        .as_str()
        .unwrap_or_else(|| panic!("{what}: expected a known value, got {v:?}"))
}

/// The unknown reason of a sourced value, or a panic.
pub fn unknown<'a, T: std::fmt::Debug>(
    v: &'a Sourced<T>,
    what: &str,
) -> (&'a str, &'a UnknownReason) {
    match &v.value {
        Value::Unknown(u) => (u.expr.as_str(), &u.reason),
        Value::Known(k) => panic!("{what}: expected unknown, got known {k:?}"),
    }
}

/// A fresh, empty directory under the system temp dir, unique to this process and call.
pub fn temp_dir(tag: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("sheepdog-load-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Removes a temp dir when dropped (also when the test fails).
pub struct Cleanup(pub PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
