"""Stage 1, load: read every record file under `content/` into plain values with their line numbers.

Values stay text here (YAML scalars are not interpreted: `2026-02-30` or `1,250` reach validation as
written), so YAML and CSV records go through the same Frictionless casting in `validate`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.model.catalog import Catalog, Kind
from generator.model.records import Loaded, Origin, RawRecord
from generator.problems import Problems
from generator.source import yaml_read
from generator.source.contained import content_files, leaves_root
from generator.source.csv_read import COMPANION, load_csv
from generator.source.textio import read_text
from generator.source.yaml_read import NULL_TAG, compose, describe, mapping, plain, yaml_problem
from generator.util.parallel import map_chunks
from generator.util.paths import shown

YAML_EXT = (".yml", ".yaml")
# Files editors keep beside records that are not records themselves (attachments, notes).
IGNORED_EXT = (".md", ".txt", ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ofd", ".png", ".jpg", ".jpeg")


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
                 only: list[Path] | None = None, attachments: Any = None, limits: Any = None) -> Loaded:
    """Read `root/content`. `only` limits record files to those paths (for `disclose validate PATH`);
    `attachments` (config.AttachmentSettings, default: the defaults) is how validation checks attachments,
    `limits` (config.Limits) how it bounds amounts and lists problems."""
    from generator.model.config import AttachmentSettings, Limits

    with paused_gc():
        loaded = _load_content(root, catalog, max_file_mb, only)
    loaded.root, loaded.attachments = root, attachments or AttachmentSettings()
    loaded.limits = limits or Limits(max_file_mb=max_file_mb)
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
    for path in content_files(root, problems):
        if path.name.startswith(".") or path.name == "departments.yml":
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
        text = read_text(path, rel, problems, max_file_mb)
        if text is None:
            continue
        loaded.files += 1
        load_csv(path, rel, text, kind, catalog, loaded, max_file_mb, parts)
    _load_yaml_files(yaml_jobs, catalog, max_file_mb, loaded)
    return loaded


@dataclass(frozen=True)
class _YamlJob:
    """What the workers need (see generator/util/parallel.py)."""

    catalog: Catalog
    max_file_mb: float


def _yaml_chunk(job: _YamlJob, files: list[tuple[Path, str, str, tuple]]) -> tuple[list[RawRecord], Problems, int]:
    catalog, problems, records, read = job.catalog, Problems(), [], 0
    with_attachments = bool(catalog.attachment_schema.get("fields"))
    with paused_gc():
        for path, rel, kind_name, parts in files:
            text = read_text(path, rel, problems, job.max_file_mb)
            if text is None:
                continue
            read += 1
            record = _load_yaml_record(rel, text, catalog.kinds[kind_name], problems, parts, with_attachments)
            if record is not None:
                records.append(record)
    return records, problems, read


def _load_yaml_files(files: list, catalog: Catalog, max_file_mb: float, loaded: Loaded) -> None:
    """One YAML file per record: parsing is most of the load stage at region scale, so all cores
    share it; chunks stay in path order, so the result is the same as one process's."""
    for records, problems, read in map_chunks(_yaml_chunk, files, _YamlJob(catalog, max_file_mb)):
        loaded.records.extend(records)
        loaded.problems.extend(problems)
        loaded.files += read


def _table_of(companion: Path) -> Path:
    return companion.with_name(companion.name[: -len(COMPANION)] + ".csv")


def _outside_records(path: Path, content: Path) -> bool:
    # Files in a record folder's subfolders are attachments and the like, not records.
    return len(path.relative_to(content).parts) > 4


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
    if not isinstance(node, yaml.SequenceNode) and not (isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG):
        origin.mark_unusable("indicators")  # reported as not a list; not "missing" too
    for _, line, values, lines in _mapping_list(node, rel, problems, "indicators", "绩效指标", "row_not_mapping"):
        rows.append(values)
        origin.row_lines.append(line)
        origin.row_field_lines.append(lines)
    return rows


def _yaml_attachments(node: yaml.Node, rel: str, problems: Problems) -> list[tuple[int, int, dict, dict]]:
    return _mapping_list(node, rel, problems, "attachments", "附件", "attachment_not_mapping")


def _load_departments(root: Path, path: Path, loaded: Loaded, max_file_mb: float) -> None:
    rel = shown(path, root)
    if leaves_root(path, root):
        loaded.problems.add("symlink_outside", rel)
        return
    if not path.is_file():
        loaded.problems.add("departments_missing", rel)
        return
    text = read_text(path, rel, loaded.problems, max_file_mb)
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
