"""Which shard a record belongs to, and the hash of everything that goes into a shard.

The hash (the shard's `key`) covers the generator itself (its code and bundled templates and
schemas, and the versions of the libraries that shape a page), the site's configuration,
departments, schemas and templates, and for each of the shard's records: its public fields and
rows, withheld field names, attachments (by content hash) and what the log says of it; and of the
records its page links to (one project's records of other kinds and years, which may sit in other
shards) what the page shows of them: id, kind, year and title. So an edit to a record's body
rebuilds its own shard only; a new title also the shards that link to it; a record made
confidential leaves its shard's record list and every related list, so every shard that showed it
is rebuilt. (Whatever a site's own template might show beyond that, the leak guard still scans every
merged byte against the full current set of secrets.)
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.model.catalog import bundled
from generator.model.records import PublicRecord, project_key
from generator.model.site import SiteModel

# Bump when what a shard holds changes in a way the hashed sources below do not show.
FORMAT = "disclose-shard-1"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Libraries whose version can change a page byte: MkDocs and its theme (the shell), templating,
# Markdown, sanitising, documents, workbooks.
DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "pymdown-extensions", "nh3", "pypdf",
                 "xlsxwriter", "openpyxl", "pyyaml", "cbor2")
SITE_FILES = ("site_config.yml", "content/departments.yml")
SITE_DIRS = ("templates", "schemas")


def shard_id(r: PublicRecord) -> str:
    return f"{r.dept}-{r.year}"


def group(records: list[PublicRecord]) -> dict[str, list[PublicRecord]]:
    """Shard id → its records (in the model's order), shard ids sorted."""
    out: dict[str, list[PublicRecord]] = defaultdict(list)
    for r in records:
        out[shard_id(r)].append(r)
    return {k: out[k] for k in sorted(out)}


def fixed_inputs(root: Path) -> str:
    """Hash of what every shard shares: generator, libraries, the site's settings and templates."""
    h = hashlib.sha256(FORMAT.encode() + b"\0")
    for dist in DISTRIBUTIONS:
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-\0".encode())
    _tree(h, "generator", PACKAGE_DIR, suffixes=(".py",))
    for name in ("templates", "schemas"):
        _tree(h, f"bundled/{name}", bundled(name))
    for name in SITE_DIRS:
        _tree(h, f"site/{name}", root / name)
    for name in SITE_FILES:
        path = root / name
        h.update(f"site/{name}\0".encode() + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    return h.hexdigest()


def _tree(h: Any, label: str, folder: Path, suffixes: tuple[str, ...] = ()) -> None:
    if not folder.is_dir():
        h.update(f"{label}:-\0".encode())
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        if suffixes and path.suffix not in suffixes:
            continue
        h.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())


def shard_key(fixed: str, records: list[PublicRecord], m: SiteModel) -> str:
    h = hashlib.sha256(fixed.encode() + b"\0")
    for r in sorted(records, key=lambda r: r.id):
        h.update(_digest(r, m))
        key = project_key(r.fields)
        for other in sorted(m.by_project.get(key, []) if key else [], key=lambda o: o.id):
            if other.id != r.id:  # what a page shows of a related record: its link, kind, year, title
                shown = [other.id, other.kind, other.year, other.fields.get("title")]
                h.update(b"related\0" + json.dumps(shown, ensure_ascii=False, default=str).encode() + b"\0")
    return h.hexdigest()[:32]


def _digest(r: PublicRecord, m: SiteModel) -> bytes:
    pub = m.publication[r.id]
    # Values as held (default=str): 1.50 and 1.5 are different page text.
    data = [r.kind, r.fields, r.rows, list(r.withheld),
            [[a.path, a.title, a.file_type, a.size, a.sha256] for a in r.attachments],
            [pub.first, pub.updated, pub.events, pub.due, pub.status]]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).digest()


def keys(fixed: str, m: SiteModel) -> dict[str, str]:
    """Shard id → key, for every shard of the model's public records (`fixed`: fixed_inputs)."""
    return {sid: shard_key(fixed, rs, m) for sid, rs in group(m.records).items()}
