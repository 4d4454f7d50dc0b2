"""The optional register of expected disclosures, `content/register.csv` (schema: register.schema.json).

The finance department can only see what is *missing* if something says what was expected: one line
per department, year, kind and project (approval or completion date included, so a missing item has a
due date). The loader never reads it as a record: it sits at the top of content/, outside any
content/<dept>/<year>/<folder>/.

The register has no titles. `resolve` is the only place that looks at confidential records: it matches
register lines to records and turns the result into `Expected` entries that are safe to publish — a line
whose record is confidential is dropped (counted in `withheld`, by department, year and kind only), and a
project code that is secret elsewhere on the site is never carried forward.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.model.catalog import Catalog, bundled
from generator.model.records import Record
from generator.problems import BuildError, Problems
from generator.reports.deadlines import ANCHOR_FIELDS
from generator.secrecy.redact import withheld_closure
from generator.source.cast import cast_by_row
from generator.source.contained import leaves_root
from generator.source.csv_read import read_table
from generator.source.textio import read_text

REGISTER_FILE = "content/register.csv"
SCHEMA_FILE = "register.schema.json"
KEY_FIELDS = ("dept", "year", "kind")

# (dept, year, kind, project code or None): one expected disclosure.
Key = tuple[str, int, str, str | None]


@dataclass(frozen=True)
class Line:
    """One register line as written (never published as such)."""

    line: int
    dept: str
    year: int
    kind: str
    project_code: str | None
    anchor: date | None  # approved_on or completed_on, whichever the kind's deadline counts from

    @property
    def key(self) -> Key:
        return (self.dept, self.year, self.kind, self.project_code)


@dataclass(frozen=True)
class Expected:
    """A register line that may be shown: its record (when public), or its project code when that is public."""

    line: int
    dept: str
    year: int
    kind: str
    project_code: str | None  # None when empty in the register or not public
    anchor: date | None
    record_id: str | None  # the public record that fulfils it


@dataclass
class Register:
    lines: list[Line] = field(default_factory=list)
    exists: bool = False


@dataclass
class Resolved:
    """What the compliance view may know of the register and of withheld records."""

    expected: list[Expected] = field(default_factory=list)
    withheld: Counter = field(default_factory=Counter)  # (dept, year, kind) → confidential records
    exists: bool = False


def register_schema(catalog: Catalog) -> dict[str, Any]:
    path = catalog.directory / SCHEMA_FILE
    if not path.is_file():
        path = bundled("schemas") / SCHEMA_FILE
    with path.open(encoding="utf-8") as fh:
        schema = json.load(fh)
    # The kinds are listed once, in kinds.yml: the ones with a deadline are the register's kinds.
    for spec in schema["fields"]:
        if spec["name"] == "kind":
            spec.setdefault("constraints", {})["enum"] = deadline_kinds(catalog)
    return schema


def deadline_kinds(catalog: Catalog) -> list[str]:
    return [k.name for k in catalog.kinds.values() if k.deadline in ANCHOR_FIELDS]


def load_register(root: Path, catalog: Catalog, departments: dict[str, Any], max_file_mb: float = 50.0
                  ) -> Register:
    """Read and check content/register.csv; an empty Register when there is none. BuildError naming
    file:line:field for every problem."""
    path = root / REGISTER_FILE
    problems = Problems()
    if leaves_root(path, root):
        problems.add("symlink_outside", REGISTER_FILE)
        raise BuildError(problems)
    if not path.is_file():
        return Register()
    text = read_text(path, REGISTER_FILE, problems, max_file_mb)
    lines = _parse(text, catalog, departments, problems) if text is not None else []
    if problems.errors:
        raise BuildError(problems.sorted())
    return Register(lines, exists=True)


def _parse(text: str, catalog: Catalog, departments: dict[str, Any], problems: Problems) -> list[Line]:
    specs = register_schema(catalog)["fields"]
    names = [s["name"] for s in specs]
    titles = {s["name"]: s["title"] for s in specs}
    before = len(problems)
    rows = read_table(REGISTER_FILE, text, names, titles, problems)
    if len(problems) > before:
        return []  # a header the columns cannot be read from: each line would only repeat it
    present = set(rows[0][1]) if rows else set()
    missing = [n for n in KEY_FIELDS if n not in present]
    if rows and missing:
        for name in missing:
            problems.add("register_missing_column", REGISTER_FILE, 1, name, titles[name],
                         columns="、".join(f"{n}（{titles[n]}）" for n in names))
        return []
    # Kinds may be written by their Chinese titles; Frictionless checks the names against the enum.
    by_title = {k.title: k.name for k in catalog.kinds.values()}
    table = [names]
    for _, values in rows:
        kind = (values.get("kind") or "").strip()
        values["kind"] = by_title.get(kind, kind) or None
        table.append([values.get(n) or "" for n in names])
    out: list[Line] = []
    first: dict[Key, int] = {}
    for (line, _), (values, errors) in zip(rows, cast_by_row(table, specs), strict=True):
        for spec, code, params in errors:
            if code == "enum" and spec["name"] == "kind":
                params = {**params, "allowed": [f"{n}（{catalog.kinds[n].title}）" for n in params["allowed"]]}
            problems.add(code, REGISTER_FILE, line, spec["name"], spec["title"], **params)
        if errors:
            continue
        entry = _entry(line, values, catalog, departments, titles, problems)
        if entry is None:
            continue
        if entry.key in first:
            problems.add("register_duplicate", REGISTER_FILE, line, "project_code", titles["project_code"],
                         first=first[entry.key])
            continue
        first[entry.key] = line
        out.append(entry)
    return out


def _entry(line: int, values: dict[str, Any], catalog: Catalog, departments: dict[str, Any],
           titles: dict[str, str], problems: Problems) -> Line | None:
    if values["dept"] not in departments:
        problems.add("unknown_dept", REGISTER_FILE, line, "dept", titles["dept"], value=values["dept"],
                     known=sorted(departments))
        return None
    kind = catalog.kinds[values["kind"]]
    anchor_name = ANCHOR_FIELDS[kind.deadline]
    ok = True
    for name in ANCHOR_FIELDS.values():
        if name != anchor_name and values.get(name) is not None:
            problems.add("register_date_unused", REGISTER_FILE, line, name, titles[name], kind_title=kind.title,
                         anchor=anchor_name, anchor_title=titles[anchor_name])
            ok = False
    anchor = values.get(anchor_name)
    if anchor is None:
        problems.add("register_date_missing", REGISTER_FILE, line, anchor_name, titles[anchor_name],
                     kind_title=kind.title)
        ok = False
    if not ok:
        return None
    return Line(line, values["dept"], values["year"], kind.name, values.get("project_code"), anchor)


def resolve(register: Register, records: list[Record], catalog: Catalog) -> Resolved:
    """Match register lines to records. Runs before anything is rendered and returns only what may be
    published: see the module docstring."""
    kinds = set(deadline_kinds(catalog))
    public_key: dict[Key, tuple[str, bool]] = {}  # → (record id, whether its deadline date is withheld)
    secret_key: set[Key] = set()
    withheld: Counter = Counter()
    public_codes: set[str] = set()
    secret_codes: set[str] = set()
    for r in sorted(records, key=lambda r: r.id):
        code = r.fields.get("project_code")
        key = (r.fields["dept"], r.fields["year"], r.kind, code)
        hidden = r.confidential or "project_code" in (r.fields.get("withheld_fields") or [])
        if code:
            (secret_codes if hidden else public_codes).add(code)
        if r.kind not in kinds:
            continue
        if r.confidential:
            secret_key.add(key)
            withheld[key[:3]] += 1
        else:
            kind = catalog.kinds[r.kind]
            hidden_fields = withheld_closure(kind, r.fields) | set(kind.never_public)
            public_key.setdefault(key, (r.id, ANCHOR_FIELDS[kind.deadline] in hidden_fields))
    secret_codes -= public_codes
    expected = []
    for entry in register.lines:
        record_id, anchor_hidden = public_key.get(entry.key, (None, False))
        if record_id is None and entry.key in secret_key:
            continue  # legitimately withheld: already in `withheld`, never listed as missing
        code = entry.project_code if entry.project_code not in secret_codes else None
        # The register repeats the record's date; when the record withholds it, so does the view.
        anchor = None if anchor_hidden else entry.anchor
        expected.append(Expected(entry.line, entry.dept, entry.year, entry.kind, code, anchor, record_id))
    return Resolved(expected, withheld, register.exists)


def site_register(root: Path, records: list[Record], catalog: Catalog, departments: dict[str, Any],
                  max_file_mb: float = 50.0) -> Resolved:
    """load_register + resolve: what the build and `disclose compliance` hand the compliance view."""
    return resolve(load_register(root, catalog, departments, max_file_mb), records, catalog)
