"""Stage 1, load: read every record file under `content/` into plain values with their line numbers.

Values stay text here (YAML scalars are not interpreted: `2026-02-30` or `1,250` reach validation as
written), so YAML and CSV records go through the same Frictionless casting in `validate`.
"""

from __future__ import annotations

import csv
import difflib
import gc
import io
import multiprocessing
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from sys import intern
from typing import Any

import yaml

from generator.model.catalog import Catalog, Kind
from generator.problems import Problems
from generator.source import yaml_read
from generator.source.textio import decode
from generator.source.yaml_read import NULL_TAG, compose, describe, mapping, plain, yaml_problem

YAML_EXT = (".yml", ".yaml")
# Files editors keep beside records that are not records themselves (attachments, notes).
IGNORED_EXT = (".md", ".txt", ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ofd", ".png", ".jpg", ".jpeg")
COMPANION = ".indicators.csv"
# CSV cells all sit on their row's line: one shared, empty field->line map instead of one per row.
_SAME_LINE: dict[str, int] = {}


@dataclass
class Origin:
    file: str
    line: int
    dept: str
    year: str
    field_lines: dict[str, int] = field(default_factory=dict)
    row_lines: list[int] = field(default_factory=list)
    row_field_lines: list[dict[str, int]] = field(default_factory=list)
    # The companion `.indicators.csv` when the rows came from one; problems in rows name that file.
    rows_file: str = ""
    # Fields whose written value was rejected when cast: rules built on them would only repeat the error.
    invalid: set[str] = field(default_factory=set)
    # The YAML `attachments` rows as written: (row number, line, values, field -> line); see attachments.py.
    attachment_rows: list[tuple[int, int, dict[str, Any], dict[str, int]]] | None = None

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    @property
    def row_file(self) -> str:
        return self.rows_file or self.file


@dataclass
class RawRecord:
    kind: str
    values: dict[str, Any]
    rows: list[dict[str, Any]]
    origin: Origin


@dataclass
class Loaded:
    records: list[RawRecord]
    departments: list[dict[str, Any]]
    department_lines: list[int]
    problems: Problems
    files: int = 0
    # Attachments are files beside the records: validation reads them from `root` with these settings.
    root: Path | None = None
    attachments: Any = None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Bulk reading makes millions of small objects and no reference cycles; Python's cycle collector
    would walk all of them again and again (a quarter of the time on 200,000 indicator rows)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_content(root: Path, catalog: Catalog, max_file_mb: float = 50.0,
                 only: list[Path] | None = None, attachments: Any = None) -> Loaded:
    """Read `root/content`. `only` limits record files to those paths (for `disclose validate PATH`);
    `attachments` (config.AttachmentSettings, default: the defaults) is how validation checks attachments."""
    from generator.model.config import AttachmentSettings

    with paused_gc():
        loaded = _load_content(root, catalog, max_file_mb, only)
    loaded.root, loaded.attachments = root, attachments or AttachmentSettings()
    return loaded


def _load_content(root: Path, catalog: Catalog, max_file_mb: float, only: list[Path] | None) -> Loaded:
    content = root / "content"
    problems = Problems()
    loaded = Loaded([], [], [], problems)
    _load_departments(root, content / "departments.yml", loaded, max_file_mb)
    if only is not None:
        # Naming a companion indicator file checks it with the table its rows belong to.
        only = [_table_of(p) if p.name.endswith(COMPANION) else p for p in only]
    yaml_jobs: list[tuple[Path, str, str, tuple]] = []
    for path in sorted(content.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.name == "departments.yml":
            continue
        if path.parent == content and path.name in ("register.csv", "public-phrases.yml"):
            continue  # the register of expected disclosures (register.py), the allow-list (provenance.py)
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() in IGNORED_EXT or _outside_records(path, content):
            continue
        if only is not None and not any(path == p or p in path.parents for p in only):
            continue
        if path.name.endswith(COMPANION):
            if not _table_of(path).is_file():
                problems.add("csv_companion_alone", rel, table=_table_of(path).name)
            continue
        parts = path.relative_to(content).parts
        kind = catalog.by_folder.get(parts[2]) if len(parts) == 4 else None
        if kind is None:
            problems.add("location", rel, folders=[k.folder for k in catalog.kinds.values()])
            continue
        ext = path.suffix.lower()
        if ext not in YAML_EXT + (".csv",):
            problems.add("unknown_extension", rel, ext=ext)
            continue
        if ext != ".csv":
            yaml_jobs.append((path, rel, kind.name, parts))
            continue
        text = _read_text(path, rel, problems, max_file_mb)
        if text is None:
            continue
        loaded.files += 1
        _load_csv(path, rel, text, kind, catalog, loaded, max_file_mb, parts)
    _load_yaml_files(yaml_jobs, catalog, max_file_mb, loaded)
    return loaded


class _YamlJob:
    """What the workers need; inherited through fork, never pickled."""

    catalog: Catalog
    max_file_mb: float


def _yaml_chunk(jobs: list[tuple[Path, str, str, tuple]]) -> tuple[list[RawRecord], Problems, int]:
    catalog, problems, records, files = _YamlJob.catalog, Problems(), [], 0
    with_attachments = bool(catalog.attachment_schema.get("fields"))
    with paused_gc():
        for path, rel, kind_name, parts in jobs:
            text = _read_text(path, rel, problems, _YamlJob.max_file_mb)
            if text is None:
                continue
            files += 1
            record = _load_yaml_record(rel, text, catalog.kinds[kind_name], problems, parts, with_attachments)
            if record is not None:
                records.append(record)
    return records, problems, files


def _load_yaml_files(jobs: list, catalog: Catalog, max_file_mb: float, loaded: Loaded) -> None:
    """One YAML file per record: parsing is most of the load stage at region scale, so both cores
    share it; chunks stay in path order, so the result is the same as one process's."""
    _YamlJob.catalog, _YamlJob.max_file_mb = catalog, max_file_mb
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and len(jobs) >= 2000 and "fork" in multiprocessing.get_all_start_methods():
        size = -(-len(jobs) // (workers * 4))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_yaml_chunk, chunks)
    else:
        results = [_yaml_chunk(jobs)]
    for records, problems, files in results:
        loaded.records.extend(records)
        loaded.problems.extend(problems)
        loaded.files += files


def _table_of(companion: Path) -> Path:
    return companion.with_name(companion.name[: -len(COMPANION)] + ".csv")


def _outside_records(path: Path, content: Path) -> bool:
    # Files in a record folder's subfolders are attachments and the like, not records.
    return len(path.relative_to(content).parts) > 4


def _read_text(path: Path, rel: str, problems: Problems, max_file_mb: float) -> str | None:
    size = path.stat().st_size
    if size > max_file_mb * 1024 * 1024:
        problems.add("file_too_large", rel, size=_mb(size), limit=_mb(max_file_mb * 1024 * 1024))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add("file_unreadable", rel, detail=exc.strerror or str(exc))
        return None
    text, encoding = decode(data)
    if text is None:
        problems.add("encoding_unknown", rel)
        return None
    if encoding:
        problems.add("encoding_converted", rel, encoding=encoding)
    if not text.strip():
        problems.add("file_empty", rel)
        return None
    return text


def _mb(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


# ---- YAML -------------------------------------------------------------------------------------

def _load_yaml_record(rel: str, text: str, kind: Kind, problems: Problems, parts: tuple,
                      attachments: bool = True) -> RawRecord | None:
    try:
        node = compose(text)
        if node is None:
            problems.add("file_empty", rel)
            return None
        if not isinstance(node, yaml.MappingNode):
            problems.add("yaml_not_mapping", rel, line=node.start_mark.line + 1, actual=describe(node))
            return None
        items = mapping(node)
        origin = Origin(rel, node.start_mark.line + 1, parts[0], parts[1])
        values: dict[str, Any] = {}
        rows: list[dict[str, Any]] = []
        for key, (value, line) in items.items():
            origin.field_lines[key] = line
            if key == "indicators":
                rows = _yaml_rows(value, origin, rel, problems)
            elif key == "attachments" and attachments:
                origin.attachment_rows = _yaml_attachments(value, rel, problems)
            else:
                values[key] = plain(value)
        return RawRecord(kind.name, values, rows, origin)
    except yaml_read.ERRORS as exc:
        yaml_problem(exc, rel, problems, kind)
    return None


def _mapping_list(node: yaml.Node, rel: str, problems: Problems, field: str, title: str, not_mapping: str
                  ) -> list[tuple[int, int, dict[str, Any], dict[str, int]]]:
    """A YAML list of mappings (indicator rows, attachments): (number, line, values, field -> line) each."""
    if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.add("list_expected", rel, line=node.start_mark.line + 1, field=field, field_title=title,
                     actual=describe(node))
        return []
    out = []
    for i, item in enumerate(node.value, start=1):
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.add(not_mapping, rel, line=line, field=field, field_title=title, row=i)
            continue
        items = mapping(item)
        out.append((i, line, {k: plain(v) for k, (v, _) in items.items()}, {k: ln for k, (_, ln) in items.items()}))
    return out


def _yaml_rows(node: yaml.Node, origin: Origin, rel: str, problems: Problems) -> list[dict[str, Any]]:
    rows = []
    for _, line, values, lines in _mapping_list(node, rel, problems, "indicators", "绩效指标", "row_not_mapping"):
        rows.append(values)
        origin.row_lines.append(line)
        origin.row_field_lines.append(lines)
    return rows


def _yaml_attachments(node: yaml.Node, rel: str, problems: Problems) -> list[tuple[int, int, dict, dict]]:
    return _mapping_list(node, rel, problems, "attachments", "附件", "attachment_not_mapping")


# ---- CSV --------------------------------------------------------------------------------------

def _label_key(label: str) -> str:
    """Header cells as Excel users type them: `*` marks a required column, full-width brackets and
    spaces, other letter case (`ID`) and stray spaces are all the same column."""
    return "".join(unicodedata.normalize("NFKC", label).lstrip("*").split()).lower()


def _header_map(header: list[str], names: list[str], titles: dict[str, str]) -> dict[int, str | None]:
    known = {_label_key(t): n for n, t in titles.items()}
    known.update({_label_key(n): n for n in names})
    return {i: known.get(_label_key(raw)) for i, raw in enumerate(header)}


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) per non-blank row, streamed: a large table is held once, as records."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for cells in reader:
        if "".join(cells).strip():
            yield start, cells
        start = reader.line_num + 1


def _table(rel: str, text: str, names: list[str], titles: dict[str, str], problems: Problems,
           blanks: bool = False) -> list[tuple[int, dict[str, Any]]]:
    """(line, {field: cell}) per data row; empty cells are None, or kept as written with `blanks`
    (indicator rows: validation reads an empty or all-space cell as missing, once per distinct cell)."""
    rows = _csv_rows(text)
    first = next(rows, None)
    if first is None:
        problems.add("csv_no_header", rel, line=1)
        return []
    header_line, header = first
    columns = _header_map(header, names, titles)
    seen: dict[str, int] = {}
    blank: list[int] = []
    for i, name in columns.items():
        label = header[i].strip()
        if not label:
            blank.append(i)  # Excel often saves a few empty columns after the table
        elif name is None:
            problems.add("unknown_field", rel, line=header_line, field=label, name=label,
                         hint=_hint(label, names + list(titles.values())), allowed=names)
        elif name in seen:
            problems.add("csv_duplicate_column", rel, line=header_line, field=name, field_title=titles.get(name, ""),
                         name=label)
        else:
            seen[name] = i
    width = len(header)
    items = list(seen.items())
    keys = [name for name, _ in items]
    pick = itemgetter(*[i for _, i in items]) if len(items) > 1 else lambda cells: tuple(cells[i] for _, i in items)
    out = []
    for line, cells in rows:
        if len(cells) != width:
            # Trailing empty cells (a stray comma at the end of a line) change nothing.
            if len(cells) < width or any(c.strip() for c in cells[width:]):
                problems.add("csv_row_length", rel, line=line, actual=len(cells), expected=width)
                continue
        for i in blank:
            if cells[i].strip():
                problems.add("csv_blank_header", rel, line=line, column=i + 1, value=cells[i].strip())
        if blanks:
            out.append((line, dict(zip(keys, map(intern, pick(cells))))))  # noqa: B905 (one width: the header's)
        else:
            out.append((line, {name: (cells[i] if cells[i].strip() else None) for name, i in items}))
    return out


def _hint(label: str, known: list[str]) -> str:
    close = difflib.get_close_matches(label, known, n=1)
    return f"是否想写“{close[0]}”？" if close else ""


def _load_csv(path: Path, rel: str, text: str, kind: Kind, catalog: Catalog, loaded: Loaded,
              max_file_mb: float, parts: tuple) -> None:
    problems = loaded.problems
    names = kind.field_names
    titles = {f["name"]: f["title"] for f in kind.fields}
    records: dict[str, RawRecord] = {}
    for line, values in _table(rel, text, names, titles, problems):
        record = RawRecord(kind.name, values, [], Origin(rel, line, parts[0], parts[1], _SAME_LINE))
        loaded.records.append(record)
        if values.get("id"):
            records.setdefault(values["id"], record)
    companion = path.with_name(path.name[: -len(".csv")] + COMPANION)
    if not companion.is_file():
        return
    crel = companion.relative_to(path.parents[4]).as_posix()
    ctext = _read_text(companion, crel, problems, max_file_mb)
    if ctext is None:
        return
    loaded.files += 1
    ind = catalog.indicator_schema["fields"]
    inames = [f["name"] for f in ind]
    ititles = {f["name"]: f["title"] for f in ind}
    rows = _table(crel, ctext, inames, ititles, problems, blanks=True)
    if rows and "record_id" not in rows[0][1]:
        problems.add("csv_missing_column", crel, line=1, field="record_id", field_title=ititles["record_id"],
                     table=rel)
        return
    for line, values in rows:
        rid = values["record_id"].strip()
        owner = records.get(rid)
        if owner is None:
            if rid:
                problems.add("csv_companion_orphan", crel, line=line, field="record_id",
                             field_title=ititles["record_id"], value=rid, table=rel)
            else:
                problems.add("required", crel, line=line, field="record_id", field_title=ititles["record_id"])
            continue
        del values["record_id"]
        owner.rows.append(values)
        owner.origin.row_lines.append(line)
        owner.origin.row_field_lines.append(_SAME_LINE)
        owner.origin.rows_file = crel


def _load_departments(root: Path, path: Path, loaded: Loaded, max_file_mb: float) -> None:
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    if not path.is_file():
        loaded.problems.add("departments_missing", rel)
        return
    text = _read_text(path, rel, loaded.problems, max_file_mb)
    if text is None:
        return
    try:
        node = compose(text)
        if node is None or (isinstance(node, yaml.SequenceNode) and not node.value):
            loaded.problems.add("file_empty", rel)
            return
        if not isinstance(node, yaml.SequenceNode):
            loaded.problems.add("list_expected", rel, line=1, actual=describe(node))
            return
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                loaded.problems.add("row_not_mapping", rel, line=item.start_mark.line + 1,
                                    row=len(loaded.departments) + 1)
                continue
            loaded.departments.append(plain(item))
            loaded.department_lines.append(item.start_mark.line + 1)
    except yaml_read.ERRORS as exc:
        yaml_problem(exc, rel, loaded.problems)
