//! Shared by the fuzz targets: load, check, and render both reports (nothing may panic).

use std::collections::HashMap;
use std::sync::Arc;

use sheepdog_load::{Mode, load_bytes};
use sheepdog_report::{Report, TerminalOptions, write_json, write_terminal};
use sheepdog_rules::{Options, check};

pub fn run(name: &str, data: &[u8]) {
    let file: Arc<str> = Arc::from(name);
    let Some(loaded) = load_bytes(&file, data, Mode::Explicit) else {
        return;
    };
    let findings = loaded
        .model
        .as_ref()
        .map(|m| check(m, &Options::default()))
        .unwrap_or_default();
    // The reporters draw code frames from the source at each span: exercise them too.
    let sources: HashMap<Arc<str>, Arc<str>> = loaded.sources.iter().cloned().collect();
    let secrets = loaded
        .model
        .as_ref()
        .map(sheepdog_rules::secret_shapes::secret_spans)
        .unwrap_or_default();
    let report = Report {
        findings: &findings,
        diagnostics: &loaded.diagnostics,
        sources: &sources,
        secrets: &secrets,
        templates: usize::from(loaded.model.is_some()),
        tool_version: "fuzz",
    };
    write_terminal(
        &mut std::io::sink(),
        &report,
        TerminalOptions { color: true },
    )
    .expect("writing to a sink cannot fail");
    write_json(&mut std::io::sink(), &report).expect("writing to a sink cannot fail");
}
