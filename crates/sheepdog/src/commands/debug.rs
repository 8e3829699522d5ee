use std::io::Write;
use std::path::{Path, PathBuf};

use sheepdog_load::terraform::Inputs;
use sheepdog_load::{Mode, discover, load};
use sheepdog_model::{Model, Value};
use sheepdog_rules::secret_shapes::{detect, redact};

use crate::output;

/// `sheepdog debug model PATH`: the normalized model(s) as JSON, diagnostics on stderr.
pub fn model(path: &Path) -> anyhow::Result<u8> {
    let found = discover(&[PathBuf::from(path)]);
    let mut models = Vec::new();
    let mut failed = false;
    for d in &found.diagnostics {
        eprintln!("{}: {}", d.file.as_deref().unwrap_or("-"), d.message);
    }
    for (file, mode) in &found.files {
        let Some(loaded) = load(file, *mode, &Inputs::default()) else {
            continue;
        };
        for d in &loaded.diagnostics {
            let at = d
                .span
                .as_ref()
                .map_or_else(|| loaded.file.to_string(), ToString::to_string);
            eprintln!(
                "{}[{}]: {} ({at})",
                if d.level == sheepdog_diagnostics::DiagnosticLevel::Error {
                    "error"
                } else {
                    "warning"
                },
                d.code,
                d.message
            );
            failed |= d.level == sheepdog_diagnostics::DiagnosticLevel::Error;
        }
        models.extend(loaded.model.map(redact_secrets));
    }
    let mut out = output::open(None)?;
    if models.len() == 1 && found.files.len() == 1 && found.files[0].1 == Mode::Explicit {
        serde_json::to_writer_pretty(&mut out, &models[0])?;
    } else {
        serde_json::to_writer_pretty(&mut out, &models)?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(if failed { 2 } else { 0 })
}

/// Secrets are never printed whole, in debug output either (DESIGN.md invariant 5): the
/// values `secret_shapes::secret_spans` locates (environment and stage variables that look
/// like secrets, literal event source tokens).
fn redact_secrets(mut model: Model) -> Model {
    let redacted = |value: &str| Value::Known(format!("{} (redacted)", redact(value)));
    let env = model
        .functions
        .iter_mut()
        .filter_map(|f| f.environment.as_mut())
        .flat_map(|e| e.variables.iter_mut())
        .map(|v| (&v.name.value, &mut v.value.value));
    let stages = model
        .rest_stages
        .iter_mut()
        .flat_map(|s| s.variables.iter_mut())
        .chain(
            model
                .rest_deployments
                .iter_mut()
                .flat_map(|d| d.stage_variables.iter_mut()),
        )
        .chain(
            model
                .http_stages
                .iter_mut()
                .flat_map(|s| s.variables.iter_mut()),
        )
        .map(|(name, value)| (&name.value, &mut value.value));
    for (name, value) in env.chain(stages) {
        if let Value::Known(text) = value
            && detect(name, text).is_some()
        {
            *value = redacted(text);
        }
    }
    for token in model
        .permissions
        .iter_mut()
        .filter_map(|p| p.event_source_token.as_mut())
    {
        if let Value::Known(text) = &token.value {
            token.value = redacted(text);
        }
    }
    model
}
