"""CSV records: one table of many records of one kind, and its companion `<name>.indicators.csv`.
Header cells may be field names or the form's Chinese titles; every cell keeps its line.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from sys import intern
from typing import Any

from generator.model.catalog import Catalog, Kind
from generator.model.records import Loaded, Origin, RawRecord
from generator.problems import Problems, titled
from generator.problems.hints import did_you_mean
from generator.source.contained import leaves_root
from generator.source.textio import read_text

COMPANION = ".indicators.csv"
# CSV cells all sit on their row's line: one shared, empty field->line map instead of one per row.
_SAME_LINE: dict[str, int] = {}


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
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            exc.line_num = start  # type: ignore[attr-defined]  (the row it happened in, for the message)
            raise
        if "".join(cells).strip():
            yield start, cells
        start = reader.line_num + 1


def read_table(rel: str, text: str, names: list[str], titles: dict[str, str], problems: Problems,
           blanks: bool = False) -> list[tuple[int, dict[str, Any]]]:
    """(line, {field: cell}) per data row; empty cells are None, or kept as written with `blanks`
    (indicator rows: validation reads an empty or all-space cell as missing, once per distinct cell)."""
    try:
        return _read_table(rel, text, names, titles, problems, blanks)
    except csv.Error as exc:
        # A cell over csv's field limit (usually an unpaired quote swallowing the rest of the file). The
        # limit is process-wide and Frictionless raises it when imported: either way, one message.
        line = getattr(exc, "line_num", None)
        problems.add("csv_bad_cell", rel, line=line, at=line or 1, detail=_csv_error_text(exc))
        return []


def _csv_error_text(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"有一个单元格超过 {csv.field_size_limit():,} 个字符"
    return f"CSV 格式错误（{text}）"


def _read_table(rel: str, text: str, names: list[str], titles: dict[str, str], problems: Problems,
                blanks: bool) -> list[tuple[int, dict[str, Any]]]:
    rows = _csv_rows(text)
    first = next(rows, None)
    if first is None:
        problems.add("csv_no_header", rel, line=1)
        return []
    header_line, header = first
    # Stray empty columns after a table are common; thousands of them are a broken file, said once.
    if len(header) > max(len(names) * 2, 200):
        problems.add("csv_too_many_columns", rel, line=header_line, actual=len(header), limit=len(names))
        return []
    columns = _header_map(header, names, titles)
    seen: dict[str, int] = {}
    blank: list[int] = []
    for i, name in columns.items():
        label = header[i].strip()
        if not label:
            blank.append(i)  # Excel often saves a few empty columns after the table
        elif name is None:
            problems.add("unknown_field", rel, line=header_line, field=label, name=label,
                         hint=did_you_mean(label, names + list(titles.values()), titles.get),
                         allowed=titled(names, titles.get))
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



def load_csv(path: Path, rel: str, text: str, kind: Kind, catalog: Catalog, loaded: Loaded,
              max_file_mb: float, parts: tuple) -> None:
    problems = loaded.problems
    names = kind.field_names
    titles = {f["name"]: f["title"] for f in kind.fields}
    records: dict[str, RawRecord] = {}
    for line, values in read_table(rel, text, names, titles, problems):
        record = RawRecord(kind.name, values, [], Origin(rel, line, parts[0], parts[1], _SAME_LINE))
        loaded.records.append(record)
        if values.get("id"):
            records.setdefault(values["id"], record)
    companion = path.with_name(path.name[: -len(".csv")] + COMPANION)
    if not companion.is_file():
        return
    crel = companion.relative_to(path.parents[4]).as_posix()
    if leaves_root(companion, path.parents[4]):
        return  # content_files() has reported it
    ctext = read_text(companion, crel, problems, max_file_mb)
    if ctext is None:
        return
    loaded.files += 1
    ind = catalog.indicator_schema["fields"]
    inames = [f["name"] for f in ind]
    ititles = {f["name"]: f["title"] for f in ind}
    rows = read_table(crel, ctext, inames, ititles, problems, blanks=True)
    for record in records.values():
        # The table has indicator rows somewhere: a record with none of them is missing its indicators.
        record.origin.rows_file = crel
    if rows and "record_id" not in rows[0][1]:
        problems.add("csv_missing_column", crel, line=1, field="record_id", field_title=ititles["record_id"],
                     table=rel)
        for record in records.values():
            record.origin.mark_unusable("indicators")
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
