"""`disclose review`: what merging a change would publish, change, withdraw and withhold.

The base side is read out of git into a temporary directory and goes through the same load → validate →
redact stages as the working tree, so both sides are compared as public records, the objects the site is
built from. The report is posted on a pull request of the (private) content repository, for the
reviewers: it may name withheld records and count withheld rows and fields, but never shows a withheld
value — not in a diff, not in a validation message.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.build import read_site
from generator.log import publog
from generator.model.catalog import Catalog
from generator.model.config import SiteConfig, load_config
from generator.model.formatting import plain
from generator.model.records import PublicRecord, Record
from generator.problems import BuildError, Problem, Problems
from generator.reports import deadlines
from generator.reports.review_git import export_base
from generator.secrecy.allow_list import allowed_phrases
from generator.secrecy.redact import Withheld, redact

# What the base side needs from the repository; everything else in it (code, site output) is left out.
ROW_KEY = ("level1", "level2", "name")
# Raw text that marks a file as holding something withheld, for files too broken to load.
_SECRET_MARKERS = re.compile(r"confidential|withheld_fields|是否涉密|不予公开")


@dataclass
class Side:
    """One version of the site: every record with an id, what of it is public, and what was withheld."""

    records: dict[str, Record] = field(default_factory=dict)
    public: dict[str, PublicRecord] = field(default_factory=dict)
    withheld: Withheld = field(default_factory=Withheld)
    problems: list[Problem] = field(default_factory=list)
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    catalog: Catalog | None = None

    @property
    def errors(self) -> list[Problem]:
        return Problems(self.problems).errors


@dataclass
class FieldChange:
    name: str
    title: str
    old: Any
    new: Any
    old_withheld: bool = False
    new_withheld: bool = False


@dataclass
class RowChange:
    label: str
    fields: list[FieldChange]


@dataclass
class Changed:
    record: PublicRecord
    before: PublicRecord
    fields: list[FieldChange]
    rows_added: list[dict[str, Any]]
    rows_removed: list[dict[str, Any]]
    rows_changed: list[RowChange]


@dataclass
class AttachmentChange:
    """A public attachment added, changed (new file or title) or removed; sizes of the files in content/."""

    record: str
    name: str
    title: str | None  # None: the attachment (or its record) is withheld now, so is its title
    change: str  # added | changed | removed
    old_size: int | None
    new_size: int | None


@dataclass
class Withdrawn:
    before: PublicRecord
    reason: str  # deleted | confidential | unreadable


@dataclass
class DeadlineStatus:
    record: PublicRecord
    due: date | None
    published: date | None  # None: not published yet, so published on merge
    status: str
    days_left: int | None  # due date minus today, for what is not published yet


@dataclass
class Review:
    base: str
    base_commit: str
    today: date
    head: Side
    base_side: Side
    new: list[tuple[PublicRecord, bool]]  # the record, and whether the base withheld it whole
    changed: list[Changed]
    withdrawn: list[Withdrawn]
    withheld_records: list[str]
    withheld_rows: list[tuple[str, int, int]]  # id, rows withheld now, rows withheld before
    withheld_fields: list[tuple[str, list[str]]]
    problems: list[Problem]
    deadlines: list[DeadlineStatus]
    attachments: list[AttachmentChange] = field(default_factory=list)
    # The reviewed allow-list (content/public-phrases.yml): text, reason, added by this change.
    allow_list: list[tuple[str, str, bool]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return Problems(self.problems).errors

    @property
    def catalog(self) -> Catalog | None:
        return self.head.catalog or self.base_side.catalog


# ---- one side: load → validate → redact --------------------------------------------------------

def read_side(root: Path, config: SiteConfig | None = None) -> Side:
    """The site at `root` as the build would see it; problems are collected, never raised."""
    side = Side()
    if not (root / "content").is_dir():
        return side
    try:
        site = read_site(root, config=config)
    except BuildError as exc:
        side.problems = list(exc.problems)
        return side
    side.problems = site.problems.sorted()
    side.catalog = site.catalog
    side.departments = site.departments
    # Redacted even with errors: the review shows what the merge would publish, errors and all.
    redacted = redact(site.records, site.catalog)
    side.records = {r.id: r for r in site.records if r.fields.get("id")}
    side.public = {r.id: r for r in redacted.public if r.fields.get("id")}
    side.withheld = redacted.withheld
    side.secrets = {s.text for s in redacted.secrets}
    return side


def _config(root: Path) -> SiteConfig | None:
    try:
        return load_config(root)
    except BuildError:
        return None


# ---- comparing -------------------------------------------------------------------------------------

def _norm(value: Any) -> Any:
    return None if value is None or value == "" or value == [] else plain(value)


def field_changes(before: PublicRecord, after: PublicRecord, catalog: Catalog) -> list[FieldChange]:
    kind = catalog.kinds[after.kind]
    out: list[FieldChange] = []
    if before.kind != after.kind:
        old_title = catalog.kinds[before.kind].title if before.kind in catalog.kinds else before.kind
        out.append(FieldChange("kind", "类别", old_title, kind.title))
    names = kind.field_names + [n for n in before.fields if n not in kind.by_name]
    for name in names:
        was_hidden, is_hidden = name in before.withheld, name in after.withheld
        if is_hidden and was_hidden:
            continue
        if is_hidden or was_hidden:
            # Newly withheld: the old value is now a withheld value, so it is not shown again.
            old = None if is_hidden else before.fields.get(name)
            new = None if is_hidden else after.fields.get(name)
            out.append(FieldChange(name, kind.title_of(name), old, new, was_hidden, is_hidden))
            continue
        old, new = before.fields.get(name), after.fields.get(name)
        if _norm(old) != _norm(new):
            out.append(FieldChange(name, kind.title_of(name), old, new))
    return out


def row_label(row: dict[str, Any]) -> str:
    return " / ".join(str(row[k]) for k in ROW_KEY if row.get(k) not in (None, ""))


def _keyed(rows: list[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """Rows by their indicator names; the same names twice are told apart by their order."""
    seen: Counter = Counter()
    out = {}
    for row in rows:
        names = tuple(str(row.get(k) or "") for k in ROW_KEY)
        out[(*names, seen[names])] = row
        seen[names] += 1
    return out


def row_changes(before: PublicRecord, after: PublicRecord, hidden_now: set[tuple], catalog: Catalog
                ) -> tuple[list[dict], list[dict], list[RowChange]]:
    """Rows added, removed and changed. A row removed because it became confidential is left out here:
    its values are withheld now, and the withheld section counts it."""
    old, new = _keyed(before.rows), _keyed(after.rows)
    kind = catalog.kinds[after.kind]
    columns = [n for n in catalog.indicator_fields_for(kind) if n not in ("record_id", "confidential")]
    added = [row for key, row in new.items() if key not in old]
    removed = [row for key, row in old.items() if key not in new and key not in hidden_now]
    changed = []
    for key, row in new.items():
        if key not in old:
            continue
        diffs = [FieldChange(n, catalog.indicator_by_name.get(n, {}).get("title", n), old[key].get(n), row.get(n))
                 for n in columns if _norm(old[key].get(n)) != _norm(row.get(n))]
        if diffs:
            changed.append(RowChange(row_label(row), diffs))
    return added, removed, changed


def _hidden_row_keys(record: Record | None) -> set[tuple]:
    if record is None:
        return set()
    return {key for key, row in _keyed(record.rows).items() if row.get("confidential")}


def compare(base: Side, head: Side) -> dict[str, Any]:
    catalog = head.catalog or base.catalog
    new, changed, withdrawn = [], [], []
    for rid, rec in head.public.items():
        before = base.public.get(rid)
        if before is None:
            was = base.records.get(rid)
            new.append((rec, bool(was is not None and was.confidential)))
        elif catalog is not None and publog.record_hash(before) != publog.record_hash(rec):
            fields = field_changes(before, rec, catalog)
            added, removed, rows = row_changes(before, rec, _hidden_row_keys(head.records.get(rid)), catalog)
            changed.append(Changed(rec, before, fields, added, removed, rows))
    broken = {p.file for p in head.errors}
    for rid, before in base.public.items():
        if rid in head.public:
            continue
        now = head.records.get(rid)
        if now is not None and now.confidential:
            reason = "confidential"
        elif now is None and base.records[rid].origin.file in broken:
            reason = "unreadable"
        else:
            reason = "deleted"
        withdrawn.append(Withdrawn(before, reason))
    records = [rid for rid in head.withheld.records if rid not in set(base.withheld.records)]
    rows = [(rid, n, base.withheld.rows.get(rid, 0)) for rid, n in head.withheld.rows.items()
            if n > base.withheld.rows.get(rid, 0)]
    fields = []
    for rid, names in head.withheld.fields.items():
        old = set(base.withheld.fields.get(rid, [])) if rid in base.public else set()
        order = catalog.kinds[head.records[rid].kind].field_names if catalog and rid in head.records else []
        fresh = sorted((n for n in names if n not in old), key=lambda n: order.index(n) if n in order else len(order))
        if fresh:
            fields.append((rid, fresh))
    return {"new": new, "changed": changed, "withdrawn": withdrawn, "withheld_records": records,
            "withheld_rows": rows, "withheld_fields": fields, "attachments": attachment_changes(base, head)}


def _withheld_now(head: Side, rid: str, name: str) -> bool:
    record = head.records.get(rid)
    return record is not None and (record.confidential or any(a.confidential for a in record.attachments
                                                                if a.name == name))


def attachment_changes(base: Side, head: Side) -> list[AttachmentChange]:
    """Public attachments by record and file name: what merging adds, replaces and takes off the site."""
    out = []
    for rid in sorted(base.public.keys() | head.public.keys()):
        old = {a.name: a for a in base.public[rid].attachments} if rid in base.public else {}
        new = {a.name: a for a in head.public[rid].attachments} if rid in head.public else {}
        for name in sorted(old.keys() | new.keys()):
            a, b = old.get(name), new.get(name)
            if a is None:
                out.append(AttachmentChange(rid, name, b.title, "added", None, b.size))
            elif b is None:
                out.append(AttachmentChange(rid, name, None if _withheld_now(head, rid, name) else a.title,
                                            "removed", a.size, None))
            elif a.hash_data() != b.hash_data():
                out.append(AttachmentChange(rid, name, b.title, "changed", a.size, b.size))
    return out


# ---- deadlines --------------------------------------------------------------------------------------

def deadline_statuses(root: Path, records: list[PublicRecord], catalog: Catalog, config: SiteConfig,
                      today: date) -> list[DeadlineStatus]:
    """The deadline status each record would have if merged and published `today`."""
    try:
        events = publog.read_log(root / publog.LOG_FILE)
    except BuildError:
        events = []  # a damaged log is reported by `disclose log verify`, not here
    latest = {e["id"]: e for e in events}
    first = publog.first_published(events)
    out = []
    for rec in records:
        kind = catalog.kinds[rec.kind]
        due = deadlines.due_date(kind, rec.fields, config)
        live = rec.id in latest and latest[rec.id]["event"] != "withdrawn"
        published = first.get(rec.id) if live else None
        status = deadlines.timeliness(due, published or today, rec.fields.get("delay_reason"))
        days = (due - today).days if due is not None and published is None else None
        out.append(DeadlineStatus(rec, due, published, status, days))
    return out


# ---- keeping withheld values out of validation messages -------------------------------------------

def _sensitive_spots(head: Side, root: Path) -> tuple[set[str], set[tuple[str, int]]]:
    """Files (YAML: one record each) and CSV lines whose problems could quote a withheld value."""
    files: set[str] = set()
    lines: set[tuple[str, int]] = set()
    loaded = set()
    for r in head.records.values():
        o = r.origin
        loaded.add(o.file)
        one_record = not o.file.lower().endswith(".csv")
        if r.confidential or r.fields.get("withheld_fields"):
            if one_record:
                files.add(o.file)
            else:
                lines.add((o.file, o.line))
        for i, row in enumerate(r.rows):
            if r.confidential or row.get("confidential"):
                if one_record:
                    files.add(o.file)
                elif i < len(o.row_lines):
                    lines.add((o.row_file, o.row_lines[i]))
    for p in head.problems:
        if p.file and p.file not in loaded and p.file not in files:
            path = root / p.file
            try:
                text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            except OSError:
                text = ""
            if _SECRET_MARKERS.search(text):
                files.add(p.file)
    return files, lines


def mask_problems(head: Side, root: Path, min_length: int) -> list[Problem]:
    """Problems as reviewers may read them: one that could quote a withheld value keeps its place and
    field but loses its message."""
    files, lines = _sensitive_spots(head, root)
    secrets = [s for s in head.secrets if len(s) >= min_length]
    out = []
    for p in head.problems:
        text = p.message + " " + " ".join(str(v) for v in p.params.values())
        if p.file in files or (p.file, p.line) in lines or any(s in text for s in secrets):
            out.append(Problem("review_masked", p.file, p.line, p.field, p.field_title, {"code": p.code}))
        else:
            out.append(p)
    return out


# ---- the whole review -------------------------------------------------------------------------------

def review(root: Path, ref: str, today: date) -> Review:
    """Compare the site at git `ref` with the working tree at `root`. Raises BuildError only when the base
    cannot be read (not a git repository, unknown ref)."""
    root = root.resolve()
    head_config = _config(root)
    head = read_side(root, head_config)
    with tempfile.TemporaryDirectory(prefix="disclose-review-") as tmp:
        base_root, commit = export_base(root, ref, Path(tmp))
        base = read_side(base_root, _config(base_root) or head_config)
        before = {p.text for p in allowed_phrases(base_root)}
    # A working tree that cannot be read at all (no content/, broken site_config.yml) would look as if
    # everything were withdrawn: report its problems only.
    diff = compare(base, head) if head.catalog is not None else compare(Side(), Side())
    min_length = head_config.guard.min_length if head_config else 4
    catalog = head.catalog or base.catalog
    shown = [rec for rec, _ in diff["new"]] + [c.record for c in diff["changed"]]
    due = deadline_statuses(root, shown, catalog, head_config, today) if head_config and catalog else []
    allow = [(p.text, p.reason, p.text not in before) for p in allowed_phrases(root)]
    return Review(base=ref, base_commit=commit, today=today, head=head, base_side=base,
                  problems=mask_problems(head, root, min_length), deadlines=due, allow_list=allow, **diff)


def allow_list_lines(root: Path) -> list[str]:
    """The reviewed allow-list as the review prints it: each phrase with its reason."""
    return [f"{p.text}（理由：{p.reason}）" for p in allowed_phrases(root)]

