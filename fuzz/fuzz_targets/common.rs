//! Shared by the fuzz targets: load, check, and render both reports (nothing may panic).

use std::collections::HashMap;
use std::sync::Arc;

use sheepdog_load::{Mode, load_bytes};
use sheepdog_report::{Report, TerminalOptions, write_json, write_terminal};
use sheepdog_rules::{Options, check};

#[allow(dead_code)] // Each target uses one of the two entry points.
pub fn run(name: &str, data: &[u8]) {
    let file: Arc<str> = Arc::from(name);
    let Some(loaded) = load_bytes(&file, data, Mode::Explicit) else {
        return;
    };
    check_and_report(&loaded);
}

/// The same over a Terraform file loaded as a root module of its own.
#[allow(dead_code)] // Each target uses one of the two entry points.
pub fn run_terraform(name: &str, data: &[u8]) {
    let file: Arc<str> = Arc::from(name);
    let loaded = sheepdog_load::terraform::load_text(
        &file,
        data,
        &sheepdog_load::terraform::Inputs::default(),
    );
    check_and_report(&loaded);
}

fn check_and_report(loaded: &sheepdog_load::Loaded) {
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
