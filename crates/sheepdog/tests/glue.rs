//! Ecosystem glue: shell completions and the man page (both generated from the CLI
//! definition), the pre-commit hook definition, and the README's CI recipe.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use sheepdog_load::node::Node;
use sheepdog_load::yaml;

const TODAY: &str = "2026-11-29";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sheepdog() -> Command {
    let mut cmd = Command::cargo_bin("sheepdog").expect("the sheepdog binary is built");
    cmd.current_dir(repo_root());
    cmd
}

/// Standard output of a successful run.
fn stdout_of(args: &[&str]) -> String {
    let out = sheepdog()
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

fn parse_yaml(name: &str, text: &str) -> Node {
    yaml::parse(&Arc::from(name), text)
        .unwrap_or_else(|e| panic!("{name} is not valid YAML: {e:?}"))
        .root
        .unwrap_or_else(|| panic!("{name} is empty"))
}

#[test]
fn completions_cover_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(!script.trim().is_empty(), "{shell}: empty completions");
        assert!(script.contains("scan"), "{shell}: completions lack `scan`");
        assert!(
            script.contains("sheepdog"),
            "{shell}: completions lack the binary name"
        );
    }
    // Options of subcommands are completed too.
    assert!(stdout_of(&["completions", "bash"]).contains("--fail-on"));
    assert!(stdout_of(&["completions", "zsh"]).contains("--fail-on"));
}

#[test]
fn completions_reject_an_unknown_shell() {
    sheepdog().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff_generated_from_the_cli() {
    let page = stdout_of(&["man"]);
    // roff may open with a few `.ie`/`.el` string definitions; the title header comes first
    // of everything else.
    let first = page
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el") && !l.starts_with(".\\\""))
        .expect("the man page has content");
    assert!(
        first.starts_with(".TH sheepdog 1"),
        "the man page should start with a `.TH` header, not {first:?}"
    );
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "the man page lacks {section}");
    }
    for subcommand in ["scan", "rules", "completions"] {
        assert!(
            page.contains(subcommand),
            "the man page lacks `{subcommand}`"
        );
    }
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("glue-man-pages");
    let _ = std::fs::remove_dir_all(&dir);
    sheepdog()
        .args(["man", "--dir"])
        .arg(&dir)
        .assert()
        .success();
    for page in ["sheepdog.1", "sheepdog-scan.1", "sheepdog-completions.1"] {
        let text = std::fs::read_to_string(dir.join(page))
            .unwrap_or_else(|e| panic!("{page} was not written: {e}"));
        assert!(text.contains(".TH "), "{page} has no `.TH` header");
    }
    let scan = std::fs::read_to_string(dir.join("sheepdog-scan.1")).expect("read");
    assert!(
        scan.contains("fail\\-on"),
        "sheepdog-scan.1 documents --fail-on"
    );
}

/// The hook with id `sheepdog` in `.pre-commit-hooks.yaml`.
fn pre_commit_hook() -> Node {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml is readable");
    let root = parse_yaml(".pre-commit-hooks.yaml", &text);
    let hooks = root.as_seq().expect("a list of hooks");
    hooks
        .iter()
        .find(|h| h.get("id").and_then(Node::as_str) == Some("sheepdog"))
        .cloned()
        .expect("a hook with id `sheepdog`")
}

fn hook_args(hook: &Node) -> Vec<String> {
    hook.get("args")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|a| a.as_scalar().expect("args are scalars"))
        .collect()
}

#[test]
fn pre_commit_hook_is_well_formed() {
    let hook = pre_commit_hook();
    for key in ["id", "name", "entry", "language"] {
        assert!(
            hook.get(key).is_some(),
            "the hook lacks the required `{key}`"
        );
    }
    assert_eq!(hook.get("entry").and_then(Node::as_str), Some("sheepdog"));
    assert_eq!(hook_args(&hook).first().map(String::as_str), Some("scan"));
    // Staged YAML/JSON files are mostly not templates (workflows, package.json), and a
    // named non-template is an error (SD004): the hook must scan the tree instead.
    assert_eq!(
        hook.get("pass_filenames")
            .and_then(Node::as_scalar)
            .as_deref(),
        Some("false")
    );
    // It runs only when a YAML, JSON or .template file changed.
    assert_eq!(
        hook.get("files").and_then(Node::as_scalar).as_deref(),
        Some(r"\.(ya?ml|json|template)$")
    );
}

#[test]
fn pre_commit_hook_command_runs() {
    // What pre-commit runs (`entry` + `args`, no file names) in a repository with a clean
    // template passes; scanning from the repository root is what the hook does.
    let hook = pre_commit_hook();
    sheepdog()
        .args(hook_args(&hook))
        .args(["--today", TODAY, "examples/secure-app"])
        .assert()
        .success();
}

#[test]
fn readme_documents_the_ci_recipe() {
    let readme =
        std::fs::read_to_string(repo_root().join("README.md")).expect("README.md is readable");
    let section = readme
        .split("\n## Use in CI\n")
        .nth(1)
        .expect("README.md has a `## Use in CI` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let workflow = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("\n```").next())
        .expect("the CI section has a ```yaml workflow");
    let root = parse_yaml("README workflow", workflow);
    let steps = root
        .get("jobs")
        .and_then(|jobs| jobs.as_map()?.first())
        .and_then(|job| job.value.get("steps"))
        .and_then(Node::as_seq)
        .expect("the workflow has a job with steps");
    let runs: Vec<String> = steps
        .iter()
        .filter_map(|s| s.get("run").and_then(Node::as_scalar))
        .collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("sheepdog scan --format sarif -o sheepdog.sarif")),
        "the workflow runs a SARIF scan: {runs:?}"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s.get("uses")
                .and_then(Node::as_str)
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("the workflow uploads SARIF with github/codeql-action/upload-sarif");
    assert_eq!(
        upload.get("if").and_then(Node::as_scalar).as_deref(),
        Some("always()"),
        "findings exit 1: the upload must run anyway"
    );
    assert_eq!(
        upload
            .get("with")
            .and_then(|w| w.get("sarif_file"))
            .and_then(Node::as_scalar)
            .as_deref(),
        Some("sheepdog.sarif")
    );
    for topic in ["pre-commit", "sheepdog completions", "sheepdog man"] {
        assert!(section.contains(topic), "the CI section mentions {topic}");
    }
}
