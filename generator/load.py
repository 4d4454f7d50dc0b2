"""Stage 1, load: read every record file under `content/` into plain values with their line numbers.

Values stay text here (YAML scalars are not interpreted: `2026-02-30` or `1,250` reach validation as
written), so YAML and CSV records go through the same Frictionless casting in `validate`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems
from .schema import Catalog, Kind
from .textio import decode

YAML_EXT = (".yml", ".yaml")
# Files editors keep beside records that are not records themselves (attachments, notes).
IGNORED_EXT = (".md", ".txt", ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ofd", ".png", ".jpg", ".jpeg")
COMPANION = ".indicators.csv"
NULL_TAG = "tag:yaml.org,2002:null"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Origin:
    file: str
    line: int
    dept: str
    year: str
    field_lines: dict[str, int] = field(default_factory=dict)
    row_lines: list[int] = field(default_factory=list)
    row_field_lines: list[dict[str, int]] = field(default_factory=list)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


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


def load_content(root: Path, catalog: Catalog, max_file_mb: float = 50.0,
                 only: list[Path] | None = None) -> Loaded:
    """Read `root/content`. `only` limits record files to those paths (for `disclose validate PATH`)."""
    content = root / "content"
    problems = Problems()
    loaded = Loaded([], [], [], problems)
    _load_departments(root, content / "departments.yml", loaded, max_file_mb)
    for path in sorted(content.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.name == "departments.yml":
            continue
        if path.parent == content and path.name == "register.csv":
            continue  # the register of expected disclosures (register.py), not a record
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() in IGNORED_EXT or path.name.endswith(COMPANION) or _outside_records(path, content):
            continue
        if only is not None and not any(path == p or p in path.parents for p in only):
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
        text = _read_text(path, rel, problems, max_file_mb)
        if text is None:
            continue
        loaded.files += 1
        if ext == ".csv":
            _load_csv(path, rel, text, kind, catalog, loaded, max_file_mb, parts)
        else:
            record = _load_yaml_record(rel, text, kind, problems, parts)
            if record is not None:
                loaded.records.append(record)
    return loaded


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

class _Duplicate(Exception):
    def __init__(self, key: str, line: int, first: int):
        self.key, self.line, self.first = key, line, first


def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=_Loader)


def _plain(node: yaml.Node) -> Any:
    """A node as Python data with every scalar kept as written (None for an empty value)."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == NULL_TAG:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(n) for n in node.value]
    return {k: _plain(v) for k, (v, _) in _mapping(node).items()}


def _mapping(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, int]]:
    """Keys with their value nodes and 1-based lines; a repeated key is an error, not a silent overwrite."""
    out: dict[str, tuple[yaml.Node, int]] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in out:
            raise _Duplicate(key, line, out[key][1])
        out[key] = (value_node, line)
    return out


def _load_yaml_record(rel: str, text: str, kind: Kind, problems: Problems, parts: tuple) -> RawRecord | None:
    try:
        node = _compose(text)
        if node is None:
            problems.add("file_empty", rel)
            return None
        if not isinstance(node, yaml.MappingNode):
            problems.add("yaml_not_mapping", rel, line=node.start_mark.line + 1, actual=_describe(node))
            return None
        items = _mapping(node)
        origin = Origin(rel, node.start_mark.line + 1, parts[0], parts[1])
        values: dict[str, Any] = {}
        rows: list[dict[str, Any]] = []
        for key, (value, line) in items.items():
            origin.field_lines[key] = line
            if key == "indicators":
                rows = _yaml_rows(value, origin, rel, problems)
            else:
                values[key] = _plain(value)
        return RawRecord(kind.name, values, rows, origin)
    except _Duplicate as dup:
        problems.add("yaml_duplicate_key", rel, line=dup.line, field=dup.key, key=dup.key, first=dup.first)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add("yaml_syntax", rel, line=mark.line + 1 if mark else None,
                     detail=_yaml_detail(exc))
    return None


def _yaml_rows(node: yaml.Node, origin: Origin, rel: str, problems: Problems) -> list[dict[str, Any]]:
    if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.add("list_expected", rel, line=node.start_mark.line + 1, field="indicators",
                     field_title="绩效指标", actual=_describe(node))
        return []
    rows = []
    for i, item in enumerate(node.value, start=1):
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.add("row_not_mapping", rel, line=line, field="indicators", field_title="绩效指标", row=i)
            continue
        items = _mapping(item)
        rows.append({k: _plain(v) for k, (v, _) in items.items()})
        origin.row_lines.append(line)
        origin.row_field_lines.append({k: ln for k, (_, ln) in items.items()})
    return rows


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "列表"
    if isinstance(node, yaml.MappingNode):
        return "映射"
    return f"单个值“{node.value}”"


_YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“字段: 值”（可能是冒号后缺少空格，或上一行缩进不对）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "含有制表符（Tab），YAML 只能用空格缩进",
    "found unexpected end of stream": "文件意外结束（可能引号未闭合）",
    "expected a single document in the stream": "文件中只能有一条记录（不要使用 ---分隔多条）",
}


def _yaml_detail(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    for english, chinese in _YAML_PROBLEMS.items():
        if english in problem:
            return chinese
    return f"无法解析（{problem}）"


# ---- CSV --------------------------------------------------------------------------------------

def _header_map(header: list[str], names: list[str], titles: dict[str, str]) -> dict[int, str | None]:
    by_title = {t: n for n, t in titles.items()}
    out: dict[int, str | None] = {}
    for i, raw in enumerate(header):
        label = raw.strip().lstrip("*").strip()
        out[i] = label if label in names else by_title.get(label)
    return out


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    start = 1
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append((start, cells))
        start = reader.line_num + 1
    return rows


def _table(rel: str, text: str, names: list[str], titles: dict[str, str], problems: Problems,
           ) -> list[tuple[int, dict[str, Any]]]:
    rows = _csv_rows(text)
    if not rows:
        problems.add("csv_no_header", rel, line=1)
        return []
    header_line, header = rows[0]
    columns = _header_map(header, names, titles)
    seen: dict[str, int] = {}
    for i, name in columns.items():
        if name is None:
            problems.add("unknown_field", rel, line=header_line, field=header[i].strip(), name=header[i].strip(),
                         hint=_hint(header[i].strip(), names + list(titles.values())), allowed=names)
        elif name in seen:
            problems.add("csv_duplicate_column", rel, line=header_line, field=name, name=header[i].strip())
        else:
            seen[name] = i
    out = []
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            problems.add("csv_row_length", rel, line=line, actual=len(cells), expected=len(header))
            continue
        out.append((line, {name: (cells[i] if cells[i].strip() else None) for name, i in seen.items()}))
    return out


def _hint(label: str, known: list[str]) -> str:
    import difflib
    close = difflib.get_close_matches(label, known, n=1)
    return f"是否想写“{close[0]}”？" if close else ""


def _load_csv(path: Path, rel: str, text: str, kind: Kind, catalog: Catalog, loaded: Loaded,
              max_file_mb: float, parts: tuple) -> None:
    problems = loaded.problems
    names = kind.field_names
    titles = {f["name"]: f["title"] for f in kind.fields}
    records: dict[str, RawRecord] = {}
    for line, values in _table(rel, text, names, titles, problems):
        record = RawRecord(kind.name, values, [], Origin(rel, line, parts[0], parts[1],
                                                         {n: line for n in values}))
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
    for line, values in _table(crel, ctext, inames, {f["name"]: f["title"] for f in ind}, problems):
        owner = records.get(values.get("record_id") or "")
        if owner is None:
            problems.add("csv_companion_orphan", crel, line=line, field="record_id", field_title="记录编号",
                         value=values.get("record_id") or "", table=rel)
            continue
        values = {k: v for k, v in values.items() if k != "record_id"}
        owner.rows.append(values)
        owner.origin.row_lines.append(line)
        owner.origin.row_field_lines.append({k: line for k in values})
        owner.origin.file_rows = crel  # type: ignore[attr-defined]


def _load_departments(root: Path, path: Path, loaded: Loaded, max_file_mb: float) -> None:
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    if not path.is_file():
        loaded.problems.add("departments_missing", rel)
        return
    text = _read_text(path, rel, loaded.problems, max_file_mb)
    if text is None:
        return
    try:
        node = _compose(text)
        if not isinstance(node, yaml.SequenceNode):
            loaded.problems.add("list_expected", rel, line=1, actual=_describe(node) if node else "空")
            return
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                loaded.problems.add("row_not_mapping", rel, line=item.start_mark.line + 1,
                                    row=len(loaded.departments) + 1)
                continue
            loaded.departments.append(_plain(item))
            loaded.department_lines.append(item.start_mark.line + 1)
    except _Duplicate as dup:
        loaded.problems.add("yaml_duplicate_key", rel, line=dup.line, field=dup.key, key=dup.key, first=dup.first)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loaded.problems.add("yaml_syntax", rel, line=mark.line + 1 if mark else None, detail=_yaml_detail(exc))
