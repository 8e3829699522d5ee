//! Discovery: which files a directory walk hands to the loader, and what the loader does
//! with each.
//!
//! How the `ignore` walker treats ignore files (checked in ignore 0.4.35, `dir.rs`): with
//! its default `require_git(true)`, `.gitignore` (and `.git/info/exclude`, the global
//! gitignore) only apply inside a git repository, i.e. when the walked directory or one of
//! its parents has a `.git` entry (an empty `.git` directory is enough; so is a `.jj`
//! one). `.ignore` files apply everywhere. Hidden files and directories (`.github/`, `.aws-sam/`)
//! are skipped by the walker itself. The CDK output in `cdk.out/` is found by a second walk
//! without filters, so a git-ignored `cdk.out/App.template.json` is still scanned.

mod common;

use std::path::{Path, PathBuf};

use common::{Cleanup, temp_dir};
use sheepdog_diagnostics::DiagnosticLevel;
use sheepdog_load::{Mode, discover, load_file};

const SAM: &str = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n";
const CFN_JSON: &str = r#"{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/r"}
    }
  }
}
"#;
const WORKFLOW: &str = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n";
const COMPOSE: &str =
    "services:\n  web:\n    image: nginx:latest\n    ports:\n      - \"8080:80\"\n";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A tree with templates, non-templates, a git-ignored template and CDK output.
fn tree(root: &Path, git: bool) {
    if git {
        std::fs::create_dir_all(root.join(".git")).expect(".git");
    }
    write(&root.join(".gitignore"), "ignored/\ncdk.out/\n");
    write(&root.join("sam/template.yaml"), SAM);
    write(&root.join("cfn/stack.json"), CFN_JSON);
    write(&root.join("docker-compose.yml"), COMPOSE);
    write(&root.join("ci/workflow.yml"), WORKFLOW);
    write(&root.join(".github/workflows/ci.yml"), WORKFLOW);
    write(&root.join("ignored/template.yaml"), SAM);
    write(&root.join("cdk.out/App.template.json"), CFN_JSON);
    write(
        &root.join("cdk.out/manifest.json"),
        "{\"version\": \"36.0.0\"}\n",
    );
    write(&root.join("README.md"), "# not scanned\n");
}

fn relative(root: &Path, files: &[(PathBuf, Mode)]) -> Vec<(String, Mode)> {
    files
        .iter()
        .map(|(p, m)| {
            let rel = p.strip_prefix(root).expect("under root");
            (rel.to_string_lossy().replace('\\', "/"), *m)
        })
        .collect()
}

#[test]
fn walk_in_a_git_repository() {
    let root = temp_dir("discover-git");
    let _cleanup = Cleanup(root.clone());
    tree(&root, true);

    let found = discover(std::slice::from_ref(&root));
    assert!(found.diagnostics.is_empty(), "{:#?}", found.diagnostics);
    let files = relative(&root, &found.files);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    // Sorted; the git-ignored template and hidden directories are not walked; the
    // git-ignored CDK output is.
    assert_eq!(
        names,
        [
            "cdk.out/App.template.json",
            "cfn/stack.json",
            "ci/workflow.yml",
            "docker-compose.yml",
            "sam/template.yaml",
        ]
    );
    assert!(files.iter().all(|(_, m)| *m == Mode::Discovered));

    // Loading: templates give models, the other YAML files are skipped without a word.
    for (path, mode) in &found.files {
        let loaded = load_file(path, *mode);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match name {
            "workflow.yml" | "docker-compose.yml" => {
                assert!(loaded.is_none(), "{name} should be skipped: {loaded:?}");
            }
            _ => {
                let loaded = loaded.unwrap_or_else(|| panic!("{name} is a template"));
                assert!(
                    loaded.diagnostics.is_empty(),
                    "{name}: {:#?}",
                    loaded.diagnostics
                );
                let model = loaded.model.expect("model");
                assert_eq!(model.functions.len(), 1, "{name}");
            }
        }
    }
}

#[test]
fn gitignore_needs_a_repository_but_dot_ignore_does_not() {
    let root = temp_dir("discover-nogit");
    let _cleanup = Cleanup(root.clone());
    tree(&root, false);

    // No `.git`: `.gitignore` is not applied, so the "ignored" template is scanned.
    let found = discover(std::slice::from_ref(&root));
    let names: Vec<String> = relative(&root, &found.files)
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert!(
        names.contains(&"ignored/template.yaml".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"cdk.out/App.template.json".to_owned()),
        "{names:?}"
    );

    // A `.ignore` file applies without git; `cdk.out` is still found.
    write(&root.join(".ignore"), "ignored/\ncdk.out/\n");
    let found = discover(std::slice::from_ref(&root));
    let names: Vec<String> = relative(&root, &found.files)
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert!(
        !names.contains(&"ignored/template.yaml".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"cdk.out/App.template.json".to_owned()),
        "{names:?}"
    );
}

#[test]
fn files_named_explicitly() {
    let root = temp_dir("discover-explicit");
    let _cleanup = Cleanup(root.clone());
    tree(&root, true);

    // Named files are loaded whatever .gitignore says, and listed once.
    let ignored = root.join("ignored/template.yaml");
    let compose = root.join("docker-compose.yml");
    let found = discover(&[ignored.clone(), compose.clone(), root.clone()]);
    let files = relative(&root, &found.files);
    assert!(files.contains(&("ignored/template.yaml".into(), Mode::Explicit)));
    assert!(files.contains(&("docker-compose.yml".into(), Mode::Explicit)));
    assert_eq!(
        files.iter().filter(|f| f.0 == "docker-compose.yml").count(),
        1,
        "{files:?}"
    );

    let loaded = load_file(&ignored, Mode::Explicit).expect("answer");
    assert!(loaded.model.is_some());

    // A named file that is not a template is an error that names it.
    let loaded = load_file(&compose, Mode::Explicit).expect("answer");
    assert!(loaded.model.is_none());
    let [d] = loaded.diagnostics.as_slice() else {
        panic!("one diagnostic: {:#?}", loaded.diagnostics);
    };
    assert_eq!((d.code, d.level), ("SD004", DiagnosticLevel::Error));
    assert_eq!(d.file.as_deref(), Some(compose.to_string_lossy().as_ref()));

    // A path that does not exist.
    let missing = root.join("nope.yaml");
    let found = discover(std::slice::from_ref(&missing));
    assert!(found.files.is_empty());
    let [d] = found.diagnostics.as_slice() else {
        panic!("one diagnostic: {:#?}", found.diagnostics);
    };
    assert_eq!(d.code, "SD003");
    assert_eq!(d.file.as_deref(), Some(missing.to_string_lossy().as_ref()));
}
