//! Hostile inputs (DESIGN.md invariant 7): each gives a diagnostic with its code and
//! location, never a panic, a hang or unbounded memory. Inputs are generated at test time
//! into a temporary directory; each load runs under `catch_unwind` so a panic fails the
//! test naming the input.

mod common;

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Cleanup, temp_dir};
use sheepdog_diagnostics::{Diagnostic, DiagnosticLevel};
use sheepdog_load::{Loaded, MAX_FILE_SIZE, Mode, discover, load_file};

/// Run `f`, turning a panic into a failure that names `input`.
fn guarded<T>(input: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| e.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("loading {input} panicked: {msg}");
        }
    }
}

/// Write `bytes` to `dir/name` and load it as a file named on the command line.
fn load_written(dir: &Path, name: &str, bytes: &[u8]) -> Loaded {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write input");
    guarded(name, || load_file(&path, Mode::Explicit)).expect("explicit loads always answer")
}

/// The single error of a failed load, checked for code, and for a line when `located`.
fn only_error<'l>(name: &str, loaded: &'l Loaded, code: &str) -> &'l Diagnostic {
    assert!(loaded.model.is_none(), "{name}: no model expected");
    let [d] = loaded.diagnostics.as_slice() else {
        panic!(
            "{name}: one diagnostic expected, got {:#?}",
            loaded.diagnostics
        );
    };
    assert_eq!(d.code, code, "{name}: {d:#?}");
    assert_eq!(d.level, DiagnosticLevel::Error, "{name}");
    assert!(d.file.is_some(), "{name}: the diagnostic names its file");
    d
}

fn line_col(d: &Diagnostic) -> (u32, u32) {
    let s = d.span.as_ref().expect("a located diagnostic");
    (s.start.line, s.start.column)
}

#[test]
fn invalid_yaml_and_json_have_positions() {
    let dir = temp_dir("hostile-syntax");
    let _cleanup = Cleanup(dir.clone());

    let loaded = load_written(
        &dir,
        "unclosed.yaml",
        b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn: [unclosed, \n    Type: x\n",
    );
    let d = only_error("unclosed.yaml", &loaded, "SD001");
    assert!(d.message.contains("invalid YAML"), "{d:#?}");
    assert!(line_col(d).0 >= 3, "{d:#?}");

    let loaded = load_written(
        &dir,
        "tab.yaml",
        b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n\tFn:\n    Type: x\n",
    );
    let d = only_error("tab.yaml", &loaded, "SD001");
    assert_eq!(line_col(d).0, 3, "{d:#?}");

    let loaded = load_written(
        &dir,
        "comma.json",
        b"{\n  \"Resources\": {\n    \"Fn\": {\"Type\": \"AWS::Lambda::Function\",}\n  }\n}\n",
    );
    let d = only_error("comma.json", &loaded, "SD001");
    assert!(d.message.contains("invalid JSON"), "{d:#?}");
    assert_eq!(line_col(d), (3, 44), "{d:#?}");

    // An escape followed by a multi-byte character (found by fuzzing `.tf.json`): the
    // position is the character's, not a slice inside it.
    let loaded = load_written(
        &dir,
        "escape.json",
        "{\n  \"Resources\": {\"Fn\": {\"Type\": \"\\\u{7ad}x\"}}\n}\n".as_bytes(),
    );
    let d = only_error("escape.json", &loaded, "SD001");
    assert!(d.message.contains("invalid escape"), "{d:#?}");
    assert_eq!(line_col(d).0, 2, "{d:#?}");

    let loaded = load_written(&dir, "truncated.json", b"{\"Resources\": {\"Fn\": {");
    let d = only_error("truncated.json", &loaded, "SD001");
    assert_eq!(line_col(d).0, 1, "{d:#?}");
}

#[test]
fn alias_bomb_is_refused() {
    let dir = temp_dir("hostile-alias");
    let _cleanup = Cleanup(dir.clone());
    // Billion laughs: ten levels of ten aliases each, 10^10 nodes if expanded.
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n");
    text.push_str("  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=10 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        writeln!(text, "  l{i}: &l{i} [{refs}]").expect("write");
    }
    text.push_str(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Tags: *l10\n",
    );
    let start = Instant::now();
    let loaded = load_written(&dir, "bomb.yaml", text.as_bytes());
    let d = only_error("bomb.yaml", &loaded, "SD001");
    assert!(d.message.contains("alias"), "{d:#?}");
    // Refused where the budget runs out, well before the last level.
    let (line, _) = line_col(d);
    assert!((4..=13).contains(&line), "{d:#?}");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn deep_nesting_is_refused_in_every_syntax() {
    let dir = temp_dir("hostile-deep");
    let _cleanup = Cleanup(dir.clone());
    let header = "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  Deep:\n";
    let depth = 10_000;

    // Block style: compact nested sequences, `- - - ... x`, on one line.
    let block_seq = format!("{header}    {}x\n", "- ".repeat(depth));
    // Block style mappings, one level per line (300 levels is past the limit of 256).
    let mut block_map = String::from(header);
    for level in 0..300 {
        writeln!(block_map, "{}k{level}:", " ".repeat(4 + level)).expect("write");
    }
    // Flow style.
    let flow = format!("{header}    {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let flow_map = format!(
        "{header}    {}x{}\n",
        "{a: ".repeat(depth),
        "}".repeat(depth)
    );
    // JSON.
    let json = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Metadata\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let json_map = format!(
        "{{\"Resources\": {}1{}}}",
        "{\"a\": ".repeat(depth),
        "}".repeat(depth)
    );
    for (name, text, line) in [
        ("block-seq.yaml", block_seq, 4),
        ("block-map.yaml", block_map, 0),
        ("flow-seq.yaml", flow, 4),
        ("flow-map.yaml", flow_map, 4),
        ("deep.json", json, 1),
        ("deep-map.json", json_map, 1),
    ] {
        let loaded = load_written(&dir, name, text.as_bytes());
        let d = only_error(name, &loaded, "SD001");
        assert!(
            d.message.contains("nested deeper") || d.message.contains("recursion limit"),
            "{name}: {d:#?}"
        );
        let (l, c) = line_col(d);
        assert!(c >= 1, "{name}: {d:#?}");
        if line > 0 {
            assert_eq!(l, line, "{name}: {d:#?}");
        } else {
            assert!(l > 3, "{name}: {d:#?}");
        }
    }
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let dir = temp_dir("hostile-utf8");
    let _cleanup = Cleanup(dir.clone());
    let mut bytes = b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: \xc3\xa9t\xff\xfe\n".to_vec();
    bytes.extend_from_slice(b"      Runtime: python3.12\n");
    let loaded = load_written(&dir, "latin1.yaml", &bytes);
    let d = only_error("latin1.yaml", &loaded, "SD001");
    assert!(d.message.contains("UTF-8"), "{d:#?}");
    assert!(d.message.contains("0xff"), "{d:#?}");
    // `      Handler: ét` is 17 characters: the bad byte is the 18th.
    assert_eq!(line_col(d), (6, 18), "{d:#?}");

    // Found by a walk, the file is still reported (it names a template).
    let path = dir.join("latin1.yaml");
    let loaded = guarded("latin1.yaml (discovered)", || {
        load_file(&path, Mode::Discovered)
    })
    .expect("a template-looking file is reported");
    only_error("latin1.yaml (discovered)", &loaded, "SD001");
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let dir = temp_dir("hostile-huge");
    let _cleanup = Cleanup(dir.clone());
    // 50 MB, sparse: a template header followed by nothing written.
    for name in ["huge.yaml", "huge.template.json"] {
        let path = dir.join(name);
        std::fs::write(
            &path,
            b"AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
        )
        .expect("write");
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_len(50 * 1024 * 1024).expect("grow");
        drop(file);
        const { assert!(MAX_FILE_SIZE < 50 * 1024 * 1024) };

        let start = Instant::now();
        let loaded = guarded(name, || load_file(&path, Mode::Explicit)).expect("answer");
        let elapsed = start.elapsed();
        let d = only_error(name, &loaded, "SD003");
        assert!(d.message.contains("50 MB"), "{d:#?}");
        assert!(d.span.is_none(), "a whole-file diagnostic");
        // Reading and parsing 50 MB takes far longer than a metadata call.
        assert!(
            elapsed < Duration::from_millis(500),
            "{name}: took {elapsed:?}"
        );
    }
    // Found by a walk: a big file with a template's name is reported, another is skipped.
    let loaded = load_file(&dir.join("huge.template.json"), Mode::Discovered);
    assert!(loaded.is_some_and(|l| l.diagnostics[0].code == "SD003"));
    assert!(load_file(&dir.join("huge.yaml"), Mode::Discovered).is_none());
}

#[test]
fn empty_and_non_template_files_named_explicitly() {
    let dir = temp_dir("hostile-empty");
    let _cleanup = Cleanup(dir.clone());
    for (name, bytes) in [
        ("empty.yaml", &b""[..]),
        ("blank.yaml", b"\n\n   \n"),
        ("comment.yaml", b"# just a comment\n"),
        ("scalar.yaml", b"hello\n"),
        ("list.json", b"[1, 2, 3]\n"),
        ("empty-object.json", b"{}"),
        ("no-resources.yaml", b"Resources: {}\n"),
    ] {
        let loaded = load_written(&dir, name, bytes);
        let d = only_error(name, &loaded, "SD004");
        assert!(d.message.contains("not a CloudFormation"), "{name}: {d:#?}");
        // Found by a walk instead, the file is skipped quietly.
        let path = dir.join(name);
        assert!(
            guarded(name, || load_file(&path, Mode::Discovered)).is_none(),
            "{name}"
        );
    }
}

#[test]
fn odd_but_valid_yaml_gives_warnings() {
    let dir = temp_dir("hostile-odd");
    let _cleanup = Cleanup(dir.clone());
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Runtime: python3.13\n      Handler: !Weird app.handler\n---\nsecond: document\n";
    let loaded = load_written(&dir, "odd.yaml", text.as_bytes());
    let model = loaded.model.as_ref().expect("still a model");
    let runtime = model.functions[0].runtime.as_ref().expect("runtime");
    assert!(runtime.value.is("python3.13"), "the last value wins");
    let codes: Vec<(&str, DiagnosticLevel, u32)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.level, line_col(d).0))
        .collect();
    assert!(
        codes.contains(&("SD002", DiagnosticLevel::Error, 7)),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("SD007", DiagnosticLevel::Warning, 8)),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("SD006", DiagnosticLevel::Warning, 9)),
        "{codes:?}"
    );
}

#[cfg(unix)]
#[test]
fn directory_symlink_loop_is_reported_and_the_rest_loaded() {
    let root = temp_dir("hostile-loop");
    let _cleanup = Cleanup(root.clone());
    std::fs::create_dir_all(root.join("a/b")).expect("mkdir");
    std::os::unix::fs::symlink(&root, root.join("a/b/back-to-root")).expect("symlink");
    std::os::unix::fs::symlink(root.join("a"), root.join("a/b/back-to-a")).expect("symlink");
    std::fs::write(
        root.join("template.yaml"),
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n",
    )
    .expect("write");
    std::fs::write(
        root.join("a/b/nested.json"),
        "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}",
    )
    .expect("write");

    let start = Instant::now();
    let found = guarded("a symlink loop", || discover(std::slice::from_ref(&root)));
    assert!(start.elapsed() < Duration::from_secs(30));
    let loops: Vec<&Diagnostic> = found
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("symbolic link loop"))
        .collect();
    assert_eq!(loops.len(), 2, "{:#?}", found.diagnostics);
    for d in &loops {
        assert_eq!((d.code, d.level), ("SD003", DiagnosticLevel::Warning));
        let file = d.file.as_deref().expect("names the link");
        assert!(file.contains("back-to-"), "{d:#?}");
    }
    // The other templates are still found, each once, and load.
    let names: Vec<String> = found
        .files
        .iter()
        .map(|(p, _)| {
            p.strip_prefix(&root)
                .expect("under root")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, ["a/b/nested.json", "template.yaml"]);
    for (path, mode) in &found.files {
        let loaded = guarded(&path.to_string_lossy(), || load_file(path, *mode)).expect("template");
        assert!(loaded.model.is_some(), "{}", path.display());
    }
}

#[test]
fn ten_thousand_resources_load() {
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for i in 0..10_000 {
        writeln!(
            text,
            "  Fn{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      Role: !GetAtt Role.Arn\n      Environment:\n        Variables:\n          INDEX: \"{i}\""
        )
        .expect("write");
    }
    text.push_str("  Role:\n    Type: AWS::IAM::Role\n");
    let dir = temp_dir("hostile-many");
    let _cleanup = Cleanup(dir.clone());
    let loaded = load_written(&dir, "many.yaml", text.as_bytes());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.expect("model");
    assert_eq!(model.functions.len(), 10_000);
    assert_eq!(model.roles.len(), 1);
    let last = &model.functions[9_999];
    assert_eq!(last.resource.id, "Fn9999");
    assert_eq!(
        model.role_of(last).map(|r| r.resource.id.as_str()),
        Some("Role")
    );
}

/// A Terraform module of the given files, written to a fresh directory and loaded.
fn terraform(name: &str, files: &[(&str, &str)]) -> Loaded {
    let dir = temp_dir(name);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    let loaded = guarded(name, || {
        sheepdog_load::terraform::load_module(&dir, &sheepdog_load::terraform::Inputs::default())
    });
    let _ = std::fs::remove_dir_all(&dir);
    loaded
}

fn codes(loaded: &Loaded) -> Vec<(&str, Option<u32>)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.span.as_ref().map(|s| s.start.line)))
        .collect()
}

const FUNCTION_TF: &str = "resource \"aws_lambda_function\" \"ok\" {\n  function_name = \"ok\"\n  runtime       = \"python3.12\"\n}\n";

#[test]
fn invalid_hcl_is_located_and_the_other_files_still_load() {
    let loaded = terraform(
        "tf-invalid",
        &[
            (
                "broken.tf",
                "resource \"aws_lambda_function\" \"f\" {\n  runtime = \n}\n",
            ),
            ("ok.tf", FUNCTION_TF),
        ],
    );
    let errors: Vec<_> = codes(&loaded);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "SD001");
    assert_eq!(errors[0].1, Some(2));
    assert!(
        loaded.diagnostics[0]
            .span
            .as_ref()
            .is_some_and(|s| s.file.ends_with("broken.tf"))
    );
    let model = loaded.model.expect("model");
    assert_eq!(model.functions.len(), 1);
}

#[test]
fn cyclic_locals_and_self_references_end_with_a_diagnostic() {
    let loaded = terraform(
        "tf-cycles",
        &[
            (
                "main.tf",
                "locals {\n  a = local.b\n  b = \"${local.a}-x\"\n}\n\nmodule \"m\" {\n  source = \"./m\"\n  name   = module.m.name\n}\n\nresource \"aws_lambda_function\" \"f\" {\n  function_name = local.a\n  runtime       = module.m.name\n}\n",
            ),
            (
                "m/main.tf",
                "variable \"name\" {}\n\noutput \"name\" {\n  value = var.name\n}\n",
            ),
        ],
    );
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.code == "SD005" && d.message.contains("refers to itself")),
        "{:#?}",
        loaded.diagnostics
    );
    let model = loaded.model.expect("model");
    let f = &model.functions[0];
    assert!(f.name.as_ref().is_some_and(|n| n.value.is_unknown()));
    assert!(f.runtime.as_ref().is_some_and(|r| r.value.is_unknown()));
}

#[test]
fn values_that_double_at_each_step_are_bounded() {
    let mut text = String::from("locals {\n  l0 = [\"x\"]\n");
    for i in 1..60 {
        writeln!(text, "  l{i} = [local.l{p}, local.l{p}]", p = i - 1).expect("write");
    }
    text.push_str("}\n\nresource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n  layers        = local.l59\n}\n");
    let loaded = terraform("tf-doubling", &[("main.tf", &text)]);
    assert!(
        loaded.diagnostics.iter().any(|d| d.code == "SD006"),
        "{:#?}",
        loaded.diagnostics
    );
    assert_eq!(loaded.model.expect("model").functions.len(), 1);
}

#[test]
fn terraform_with_ten_thousand_resources_loads() {
    let mut text = String::from(
        "variable \"runtime\" {\n  default = \"python3.12\"\n}\n\nresource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n}\n",
    );
    for i in 0..10_000 {
        writeln!(
            text,
            "\nresource \"aws_lambda_function\" \"f{i}\" {{\n  function_name = \"f{i}\"\n  runtime       = var.runtime\n  role          = aws_iam_role.r.arn\n  environment {{\n    variables = {{ INDEX = \"{i}\" }}\n  }}\n}}"
        )
        .expect("write");
    }
    let loaded = terraform("tf-many", &[("main.tf", &text)]);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let model = loaded.model.expect("model");
    assert_eq!(model.functions.len(), 10_000);
    let last = &model.functions[9_999];
    assert_eq!(last.resource.id, "aws_lambda_function.f9999");
    assert_eq!(
        model.role_of(last).map(|r| r.resource.id.as_str()),
        Some("aws_iam_role.r")
    );
}

#[test]
fn hostile_counts_and_references_are_bounded() {
    let loaded = terraform(
        "tf-counts",
        &[(
            "main.tf",
            "resource \"aws_lambda_function\" \"huge\" {\n  count         = 100000000\n  function_name = \"f-${count.index}\"\n}\n\nresource \"aws_lambda_function\" \"negative\" {\n  count         = -1\n  function_name = \"n\"\n}\n\nresource \"aws_lambda_function\" \"dangling\" {\n  function_name = aws_lambda_function.nothing.function_name\n  runtime       = var.undeclared\n  handler       = lookup({}, \"missing\")\n  timeout       = 1 / 0\n}\n",
        )],
    );
    let model = loaded.model.as_ref().expect("model");
    // `count` is capped, a negative count is no instance we can tell, references to
    // nothing are errors with their place.
    assert!(model.functions.len() <= 10_002, "{}", model.functions.len());
    let located: Vec<_> = codes(&loaded);
    assert!(located.contains(&("SD005", Some(12))), "{located:?}");
    assert!(located.contains(&("SD005", Some(13))), "{located:?}");
}

#[test]
fn template_directives_that_multiply_are_bounded() {
    let loaded = terraform(
        "tf-directives",
        &[(
            "main.tf",
            "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"%{for a in range(10000)}%{for b in range(10000)}x%{endfor}%{endfor}\"\n}\n",
        )],
    );
    let model = loaded.model.expect("model");
    assert!(
        model.functions[0]
            .name
            .as_ref()
            .is_some_and(|n| n.value.is_unknown())
    );
}
