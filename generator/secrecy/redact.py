"""Stage 3, redact: turn validated records into public records, once, right after validation.

Nothing downstream receives a `Record`: pages, search, downloads, feed, sitemap, log and counts are
all made from `PublicRecord`s. What was taken out is kept as `Secret`s, for the leak guard only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from generator.model import equations
from generator.model.catalog import Catalog, Kind
from generator.model.formatting import WITHHELD_TEXT, cn_date
from generator.model.records import Attachment, PublicRecord, Record
from generator.secrecy import funding_cells

# Bookkeeping fields of the secrecy review itself: never on a public page.
REVIEW_FIELDS = ("confidential", "confidential_basis", "withheld_fields")
WITHHELD_FIELD = "不予公开字段"
# Secrets read out of attachments (`what` starts with one of these): the guard treats their text apart.
CONFIDENTIAL_ATTACHMENT = "不予公开的附件"
RECORD_ATTACHMENT = "涉密记录的附件"


@dataclass(frozen=True)
class Secret:
    text: str
    record: str  # the source record's id and file, for the guard's report (never published)
    what: str
    # Provenance, for the leak check: the source record's id and project (public records of the same
    # project may share its name), and where the value is written (file:line field) for messages.
    rid: str = ""
    project: str = ""
    where: str = ""


@dataclass
class Withheld:
    """What the review and the optional public counts may say about withheld items: ids and numbers."""

    records: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)  # (dept, kind) → withheld records
    attachments: dict[str, int] = field(default_factory=dict)  # record id → confidential attachments


@dataclass
class Redacted:
    public: list[PublicRecord]
    secrets: list[Secret]
    withheld: Withheld


def redact(records: list[Record], catalog: Catalog) -> Redacted:
    public: list[PublicRecord] = []
    secrets: list[Secret] = []
    withheld = Withheld()
    for r in records:
        source = f"{r.id}（{r.origin.file}）"
        if r.confidential:
            withheld.records.append(r.id)
            withheld.counts[(r.fields["dept"], r.kind)] += 1
            secrets.extend(_secrets(r.fields, source, "涉密记录", skip=("dept", "year", "confidential"), r=r))
            for i, row in enumerate(r.rows):
                secrets.extend(_secrets(row, source, "涉密记录的指标行", r=r, row=i))
            for a in r.attachments:
                secrets.extend(attachment_secrets(a, source, RECORD_ATTACHMENT, r))
            continue
        kind = catalog.kinds[r.kind]
        hidden, tables, removed, columns = _closures(kind, r.fields, r.rows, catalog)
        fields = {}
        for name, value in r.fields.items():
            if name in REVIEW_FIELDS:
                continue
            if name in hidden or name in kind.never_public:
                if value not in (None, "", []):
                    secrets.extend(_secrets({name: value}, source, f"{WITHHELD_FIELD} {name}", r=r))
                continue
            fields[name] = value
        rows = []
        dropped = 0
        for i, row in enumerate(r.rows):
            if row.get("confidential"):
                dropped += 1
                secrets.extend(_secrets(row, source, "涉密指标行", r=r, row=i))
                continue
            # A withheld column (a confidential row's weight and score would follow from the totals).
            rows.append({k: v for k, v in row.items() if k != "confidential" and k not in columns})
        if dropped:
            withheld.rows[r.id] = dropped
        attachments = tuple(a for a in r.attachments if not a.confidential)
        for a in r.attachments:
            if a.confidential:
                secrets.extend(attachment_secrets(a, source, CONFIDENTIAL_ATTACHMENT, r))
        if len(attachments) < len(r.attachments):
            withheld.attachments[r.id] = len(r.attachments) - len(attachments)
        cell_names = [n for n in r.fields.get("withheld_fields") or [] if n.startswith(funding_cells.PREFIX)]
        if tables is not None and "funding" in fields:
            fields["funding"] = tables
            project = str(r.fields.get("project_code") or "")
            where = f"{r.origin.file}:{r.origin.line_of('funding')} funding"
            secrets.extend(Secret(text, source, f"{WITHHELD_FIELD} funding", r.id, project, where) for text in removed)
        shown = sorted(n for n in hidden if r.fields.get(n) not in (None, "", []) or n in cell_names)
        if shown:
            withheld.fields[r.id] = shown
        shown += sorted(f"{equations.COLUMN}{c}" for c in columns)
        public.append(PublicRecord(r.kind, fields, rows, shown, attachments))
    return Redacted(public, secrets, withheld)


def attachment_secrets(a: Attachment, source: str, what: str, r: Record | None = None) -> list[Secret]:
    """An attachment that does not ship: its title and its whole text, which the guard reads in pieces."""
    rid, project = (r.id, str(r.fields.get("project_code") or "")) if r is not None else ("", "")
    return [Secret(text, source, f"{what} {a.path}", rid, project, a.file)
            for text in (a.title, a.text) if text.strip()]


def _closures(kind: Kind, values: dict[str, Any], rows: list[dict[str, Any]], catalog: Catalog
              ) -> tuple[set[str], list[dict[str, Any]] | None, list[str], set[str]]:
    """Withheld fields and withheld funding cells, each closed over its equations and over each other:
    an amount field that is the funding table's total row (kinds.yml funding_total) is the same number
    as that row's cell, so hiding one hides the other, until nothing changes.

    Returns (hidden fields, the funding tables with hidden cells marked or None, the texts removed, the
    indicator columns withheld)."""
    names = list(values.get("withheld_fields") or [])
    tables = values.get("funding") or []
    if not tables or "funding" in names:
        hidden, columns = _close(kind, values, rows, names)
        return hidden, None, [], columns
    while True:
        hidden, columns = _close(kind, values, rows, names)
        extra = funding_cells.total_entries(tables, hidden, kind.funding_total, catalog.funding)
        cells = funding_cells.cells_of(tables, names + extra, catalog.funding)
        more = funding_cells.fields_of_cells(tables, cells, kind.funding_total, catalog.funding) - hidden
        if not more:
            break
        names += sorted(more)
    if not cells:
        return hidden, None, [], columns
    marked, removed = funding_cells.redact_cells(tables, names + extra, catalog.funding, WITHHELD_TEXT)
    return hidden, marked, removed, columns


def withheld_closure(kind: Kind, values: dict[str, Any], rows: list[dict[str, Any]] | None = None) -> set[str]:
    """The withheld fields plus what would reveal them through an equation of the kind (see
    model/equations.closure, which also gives the indicator columns to withhold)."""
    return _close(kind, values, rows or [], list(values.get("withheld_fields") or []))[0]


def _close(kind: Kind, values: dict[str, Any], rows: list[dict[str, Any]], names: list[str]
           ) -> tuple[set[str], set[str]]:
    secret_rows = {i for i, row in enumerate(rows) if row.get("confidential")}
    return equations.closure(kind.equations, values, rows, set(names), secret_rows)


def _secrets(values: dict[str, Any], source: str, what: str, skip: tuple = (), *, r: Record,
             row: int | None = None) -> list[Secret]:
    out = []
    o = r.origin
    project = str(r.fields.get("project_code") or "")
    for name, value in values.items():
        if name in skip:
            continue
        if row is None:
            where = f"{o.file}:{o.line_of(name)} {name}"
        else:
            lines = o.row_field_lines[row] if row < len(o.row_field_lines) else {}
            line = lines.get(name, o.row_lines[row] if row < len(o.row_lines) else o.line)
            where = f"{o.row_file}:{line} 第 {row + 1} 行指标 {name}"
        for text in secret_texts(value):
            out.append(Secret(text, source, what, r.id, project, where))
    return out


def secret_texts(value: Any) -> list[str]:
    """The forms a value can take in output: as written, and as the pages format numbers."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, list):
        return [t for v in value for t in secret_texts(v)]
    if isinstance(value, dict):  # a funding table or a row of a small table: every cell
        return [t for v in value.values() for t in secret_texts(v)]
    if isinstance(value, Decimal):
        plain = format(value.normalize(), "f")
        return sorted({plain, f"{value:,.2f}", f"{value:.2f}"})
    if isinstance(value, date):
        return [value.isoformat(), cn_date(value)]
    return [str(value)]
