#!/usr/bin/env python3
"""Check a corpus written by gen_corpus.py (a development aid, not used by run.sh).

Usage:
    python3 bench/validate_corpus.py DIR [--cross-check N] [--seed S]

* every DIR/app-*/template.json must be valid JSON and every template.yaml
  valid YAML (the YAML check needs PyYAML; without it the YAML files are only
  checked structurally, line by line);
* each template must look like a SAM template: format version, Transform,
  Parameters / Mappings / Conditions / Globals / Resources / Outputs, about
  20 functions, every !Ref / !GetAtt / ${...} pointing at something that exists;
* --cross-check N renders templates 1..N from the generator both as YAML and as
  JSON and checks that they parse to the same document (short-form tags read as
  their long ``Fn::`` form). Needs PyYAML.

PyYAML is only needed here, never by the generator: `pip install pyyaml`
(a virtualenv is fine).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

try:
    import yaml  # type: ignore
except ImportError:  # pragma: no cover
    yaml = None

PSEUDO = {"AWS::AccountId", "AWS::Region", "AWS::StackName", "AWS::Partition",
          "AWS::NoValue", "AWS::URLSuffix", "AWS::StackId", "AWS::NotificationARNs"}
SAM_IMPLICIT = {"ServerlessHttpApi", "ServerlessRestApi"}


def make_loader():
    class CfnLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    def construct(loader, tag_suffix, node):
        if isinstance(node, yaml.ScalarNode):
            val = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            val = loader.construct_sequence(node, deep=True)
        else:
            val = loader.construct_mapping(node, deep=True)
        if tag_suffix in ("Ref", "Condition"):
            return {tag_suffix: val}
        if tag_suffix == "GetAtt" and isinstance(val, str):
            return {"Fn::GetAtt": val.split(".", 1)}
        return {"Fn::" + tag_suffix: val}

    CfnLoader.add_multi_constructor("!", construct)
    return CfnLoader


def walk_refs(node, out):
    """Collect (kind, name) references from a long-form document."""
    if isinstance(node, dict):
        if len(node) == 1:
            (k, v), = node.items()
            if k == "Ref" and isinstance(v, str):
                out.append(("Ref", v))
            elif k == "Fn::GetAtt":
                out.append(("GetAtt", v[0]))
            elif k == "Fn::Sub":
                s = v if isinstance(v, str) else v[0]
                local = set(v[1]) if isinstance(v, list) else set()
                for name in re.findall(r"\$\{([^}!]+)\}", s):
                    name = name.split(".")[0]
                    if name not in local:
                        out.append(("Sub", name))
            elif k == "Fn::If":
                out.append(("If", v[0]))
            elif k == "Condition" and isinstance(v, str):
                out.append(("If", v))
        for v in node.values():
            walk_refs(v, out)
    elif isinstance(node, list):
        for v in node:
            walk_refs(v, out)


def check_doc(doc, path, errors):
    def err(msg):
        errors.append("%s: %s" % (path, msg))

    if doc.get("AWSTemplateFormatVersion") != "2010-09-09":
        err("bad AWSTemplateFormatVersion %r" % doc.get("AWSTemplateFormatVersion"))
    if doc.get("Transform") != "AWS::Serverless-2016-10-31":
        err("bad Transform")
    for section in ("Parameters", "Mappings", "Conditions", "Globals", "Resources", "Outputs"):
        if not isinstance(doc.get(section), dict):
            err("missing section %s" % section)
            return
    params = doc["Parameters"]
    if "Default" not in params.get("Stage", {}):
        err("Stage has no Default")
    if not any("Default" not in p for p in params.values()):
        err("no parameter without a default")
    if "IsProd" not in doc["Conditions"]:
        err("no IsProd condition")
    g = doc["Globals"].get("Function", {})
    for k in ("Runtime", "Timeout", "Tracing", "Environment"):
        if k not in g:
            err("Globals.Function lacks %s" % k)
    res = doc["Resources"]
    types = [r.get("Type") for r in res.values()]
    n_fn = sum(t in ("AWS::Serverless::Function", "AWS::Lambda::Function") for t in types)
    if not 5 <= n_fn <= 40:
        err("%d functions" % n_fn)
    for t in ("AWS::Serverless::Api", "AWS::S3::Bucket", "AWS::DynamoDB::Table",
              "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Logs::LogGroup"):
        if t not in types:
            err("no %s" % t)
    refs: list = []
    walk_refs(res, refs)
    walk_refs(doc["Outputs"], refs)
    walk_refs(doc["Globals"], refs)
    walk_refs(doc["Conditions"], refs)
    names = set(res) | set(params) | PSEUDO | SAM_IMPLICIT
    for kind, name in refs:
        if kind == "If":
            if name not in doc["Conditions"]:
                err("unknown condition %s" % name)
        elif name not in names:
            err("dangling %s to %s" % (kind, name))
    for name, r in res.items():
        c = r.get("Condition")
        if c is not None and c not in doc["Conditions"]:
            err("%s: unknown condition %s" % (name, c))
        dep = r.get("DependsOn")
        for d in ([dep] if isinstance(dep, str) else dep or []):
            if d not in res:
                err("%s: DependsOn unknown %s" % (name, d))
    return n_fn


_LINE = re.compile(r"( *)(- )*([A-Za-z_'][^:]*:( .*)?|- .*|#.*|.*)$")


def structural_yaml_check(text, path, errors):
    """Weak check used when PyYAML is missing: indentation in steps of 2, no tabs."""
    in_literal = None
    for no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if in_literal is not None:
            if indent >= in_literal:
                continue
            in_literal = None
        if "\t" in line:
            errors.append("%s:%d: tab" % (path, no))
        if indent % 2:
            errors.append("%s:%d: odd indent" % (path, no))
        if line.rstrip().endswith(("|", "|-")):
            in_literal = indent + 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="validate a gen_corpus.py corpus")
    ap.add_argument("dir")
    ap.add_argument("--cross-check", type=int, default=0, metavar="N")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--functions", type=int, default=20)
    args = ap.parse_args(argv)

    loader = make_loader() if yaml else None
    if yaml is None:
        print("PyYAML not installed: YAML files get a structural check only", file=sys.stderr)
    errors: list = []
    n_yaml = n_json = 0
    fn_counts = []
    apps = sorted(d for d in os.listdir(args.dir) if d.startswith("app-"))
    for app in apps:
        d = os.path.join(args.dir, app)
        files = [f for f in os.listdir(d) if f.startswith("template.")]
        if len(files) != 1:
            errors.append("%s: %d template files" % (d, len(files)))
            continue
        path = os.path.join(d, files[0])
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            if path.endswith(".json"):
                doc = json.loads(text)
                n_json += 1
            elif loader is not None:
                doc = yaml.load(text, Loader=loader)
                n_yaml += 1
            else:
                structural_yaml_check(text, path, errors)
                n_yaml += 1
                continue
        except Exception as e:  # noqa: BLE001
            errors.append("%s: parse error: %s" % (path, e))
            continue
        n = check_doc(doc, path, errors)
        if n:
            fn_counts.append(n)

    if args.cross_check:
        if yaml is None:
            errors.append("--cross-check needs PyYAML")
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import gen_corpus  # noqa: E402
            for i in range(1, args.cross_check + 1):
                doc = gen_corpus.build_template(args.seed, i, args.functions)
                y = yaml.load(gen_corpus.render(doc, as_json=False), Loader=loader)
                j = json.loads(gen_corpus.render(doc, as_json=True))
                if y != j:
                    errors.append("template %d: YAML and JSON renderings differ" % i)

    for e in errors[:50]:
        print(e)
    if len(errors) > 50:
        print("... %d more" % (len(errors) - 50))
    fc = ("functions per template %d..%d" % (min(fn_counts), max(fn_counts))) if fn_counts else ""
    print("%d templates (%d YAML, %d JSON) checked, %s%s, %d errors"
          % (len(apps), n_yaml, n_json, fc,
             (", %d cross-checked" % args.cross_check) if args.cross_check else "", len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
