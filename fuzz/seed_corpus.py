#!/usr/bin/env python3
"""Seed fuzz/corpus/{load_template,load_json,load_terraform} (git-ignored). Run from the
repository root.

Seeds: every yaml example in the rule docs (crates/sheepdog_rules/src/rules/**), the two
example apps, fuzz/seeds/*, a few generated templates from bench/out/corpus-100 when it
exists, and the rule-doc examples converted to JSON (short-form tags expanded) for load_json;
for load_terraform, every `.tf` file of the rule fixtures and the loader's tests; for
load_terraform_json, the tests' `.tf.json` files and 200 of the JSON seeds.
"""
import glob
import hashlib
import json
import os
import shutil

import yaml  # PyYAML, only for the JSON conversion

TEMPLATE = "fuzz/corpus/load_template"
JSON = "fuzz/corpus/load_json"
os.makedirs(TEMPLATE, exist_ok=True)
os.makedirs(JSON, exist_ok=True)

docs = []
for path in sorted(glob.glob("crates/sheepdog_rules/src/rules/**/*.rs", recursive=True)):
    block = None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if not s.startswith("///"):
            continue
        body = s[3:][1:] if s[3:].startswith(" ") else s[3:]
        if block is None and body.startswith(("```yaml", "```json")):
            block = []
        elif block is not None and body.startswith("```"):
            text = "\n".join(block) + "\n"
            name = os.path.basename(path)[:-3] + "-" + hashlib.sha1(text.encode()).hexdigest()[:8]
            with open(f"{TEMPLATE}/{name}.yaml", "w", encoding="utf-8") as f:
                f.write(text)
            docs.append((name, text))
            block = None
        elif block is not None:
            block.append(body)

for src, dst in [
    ("examples/insecure-app/template.yaml", "insecure-app.yaml"),
    ("examples/secure-app/template.yaml", "secure-app.yaml"),
]:
    shutil.copy(src, f"{TEMPLATE}/{dst}")
for seed in glob.glob("fuzz/seeds/*"):
    shutil.copy(seed, TEMPLATE)
for n in range(1, 7):
    src = f"bench/out/corpus-100/app-{n:05}/template.yaml"
    if os.path.exists(src):
        shutil.copy(src, f"{TEMPLATE}/bench-{n:05}.yaml")
for n in (10, 20, 30, 40):
    src = f"bench/out/corpus-100/app-{n:05}/template.json"
    if os.path.exists(src):
        shutil.copy(src, f"{JSON}/bench-{n:05}.json")


class Loader(yaml.SafeLoader):
    pass


def intrinsic(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Ref" if suffix == "Ref" else "Fn::" + suffix: value}


Loader.add_multi_constructor("!", intrinsic)
for name, text in docs + [(os.path.basename(p)[:-5], open(p).read()) for p in glob.glob("fuzz/seeds/*.yaml")]:
    try:
        doc = yaml.load(text, Loader=Loader)
    except yaml.YAMLError:
        continue
    if isinstance(doc, dict):
        with open(f"{JSON}/{name}.json", "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, default=str)

TERRAFORM = "fuzz/corpus/load_terraform"
os.makedirs(TERRAFORM, exist_ok=True)
for path in sorted(glob.glob("crates/**/*.tf", recursive=True)):
    name = hashlib.sha1(path.encode()).hexdigest()[:16]
    shutil.copy(path, f"{TERRAFORM}/{name}.tf")

# JSON syntax: the `.tf.json` files of the tests, and the JSON seeds (objects to rewrite).
TERRAFORM_JSON = "fuzz/corpus/load_terraform_json"
os.makedirs(TERRAFORM_JSON, exist_ok=True)
for path in sorted(glob.glob("crates/**/*.tf.json", recursive=True)) + sorted(glob.glob(f"{JSON}/*"))[:200]:
    name = hashlib.sha1(path.encode()).hexdigest()[:16]
    shutil.copy(path, f"{TERRAFORM_JSON}/{name}.json")

print(len(os.listdir(TEMPLATE)), "seeds in", TEMPLATE, "and", len(os.listdir(JSON)), "in", JSON,
      "and", len(os.listdir(TERRAFORM)), "in", TERRAFORM,
      "and", len(os.listdir(TERRAFORM_JSON)), "in", TERRAFORM_JSON)
