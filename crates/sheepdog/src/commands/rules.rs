use std::io::Write;

use anyhow::bail;
use sheepdog_diagnostics::RuleMeta;
use sheepdog_rules::{ALL_RULES, find_rule};

use crate::cli::{Format, RulesArgs};
use crate::output;

/// `sheepdog rules`: the catalog as a table, or JSON.
pub fn list(args: &RulesArgs) -> anyhow::Result<u8> {
    let mut out = output::open(None)?;
    let metas: Vec<&RuleMeta> = ALL_RULES.iter().map(|r| r.meta()).collect();
    match args.format {
        Format::Json => {
            let rules: Vec<serde_json::Value> = metas
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id, "name": m.name, "severity": m.severity,
                        "practices": m.practices, "sources": m.sources, "summary": m.summary(),
                        "opt_in": m.opt_in,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rules)?;
            writeln!(out)?;
        }
        Format::Terminal => {
            writeln!(out, "{:<8} {:<9} {:<40} summary", "id", "severity", "name")?;
            for m in metas {
                writeln!(
                    out,
                    "{:<8} {:<9} {:<40} {}{}",
                    m.id,
                    m.severity.as_str(),
                    m.name,
                    if m.opt_in { "(opt-in) " } else { "" },
                    m.summary()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(0)
}

/// `sheepdog rule ID`: the rule's documentation.
pub fn show(id: &str) -> anyhow::Result<u8> {
    let Some(rule) = find_rule(id) else {
        bail!("no rule `{id}`; `sheepdog rules` lists them");
    };
    let m = rule.meta();
    let mut out = output::open(None)?;
    writeln!(out, "# {} ({})", m.name, m.id)?;
    writeln!(out)?;
    let practices: Vec<String> = m.practices.iter().map(ToString::to_string).collect();
    let sources: Vec<&str> = m.sources.iter().map(|s| s.as_str()).collect();
    writeln!(
        out,
        "Severity: {} · Practices: {} · Sources: {}",
        m.severity,
        practices.join(", "),
        sources.join(", ")
    )?;
    writeln!(out)?;
    for line in m.docs.lines() {
        writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line))?;
    }
    out.flush()?;
    Ok(0)
}
