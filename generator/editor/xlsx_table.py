"""The indicator table of a form: a header of one or two rows (一级指标 … with groups such as
偏差原因分析 over 经费保障 | 制度保障 …), then one row per indicator, 一级指标 and 二级指标 merged down
the rows they head. Which columns exist and what they hold come from `indicators.schema.json`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.editor.xlsx_layouts import (
    MARKS,
    OPERATOR_WORDS,
    STRUCTURAL,
    TOTALS,
    Cell,
    Grid,
    norm,
    parse_target,
    row_labels,
)
from generator.model.catalog import Catalog, Kind
from generator.problems import Problems
from generator.source.numbers import normalise_number
from generator.source.validate import split_points


@dataclass
class Column:
    c0: int
    c1: int
    head: Cell
    field: str | None = None
    enum_value: str | None = None     # a tick column under a group heading: 有可能 under 完成目标可能性
    ignore: bool = False


@dataclass
class Table:
    header_row: int
    first_row: int
    last_row: int
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    cells: set[tuple[int, int]] = field(default_factory=set)   # every anchor the table accounts for

    def column_for(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name and not c.enum_value), None)

    @property
    def first_col(self) -> int:
        return min(c.c0 for c in self.columns)

    @property
    def last_col(self) -> int:
        return max(c.c1 for c in self.columns)


def match_enum(text: str, allowed: list[str]) -> str:
    """The allowed value the form means: 产出 → 产出指标, 经常性 → 经常性项目, ■新增项目 □延续项目 → 新增项目."""
    key = norm(text)
    by_key = {norm(a): a for a in allowed}
    if key in by_key:
        return by_key[key]
    ticked = [a for a in allowed if any(f"{m}{norm(a)}" in key for m in "■☑√✓✔")]
    if len(ticked) == 1:
        return ticked[0]
    partial = [a for a in allowed if key and (norm(a).startswith(key) or key.startswith(norm(a)))]
    return partial[0] if len(partial) == 1 else text


def find_header(grid: Grid) -> tuple[int, int] | None:
    """(row, depth) of the indicator table's header: the row naming 一级指标 and 三级指标."""
    for cell in grid.filled():
        if cell.key != "一级指标":
            continue
        row_keys = {a.key for a in grid.in_row(cell.row)}
        if "三级指标" in row_keys or "二级指标" in row_keys:
            return cell.row, max(1, min(cell.rows, 3))
    # Single-column layouts: one 指标名称 column beside the values, no level columns at all.
    for cell in grid.filled():
        if cell.key not in NAME_HEADS:
            continue
        row_keys = {a.key for a in grid.in_row(cell.row)}
        if row_keys & TARGET_HEADS:
            return cell.row, max(1, min(cell.rows, 3))
    return None


NAME_HEADS = frozenset({"指标名称", "三级指标", "绩效指标名称"})
TARGET_HEADS = frozenset({"指标值", "年度指标值", "目标值", "年度目标值", "预期目标值"})


def read_table(grid: Grid, catalog: Catalog, kind: Kind, problems: Problems, file: str,
               is_label: Callable[[str], bool] = lambda text: False) -> Table | None:
    found = find_header(grid)
    if found is None:
        return None
    hr, depth = found
    # A second header row printed without merging the first (年度指标值 over 指标性质 | 指标值 | 度量单位):
    # a row holding nothing but headings is part of the header, never an indicator row.
    while depth < 3 and _all_labels(grid.in_row(hr + depth), is_label):
        depth += 1
    labels = row_labels(catalog, kind)
    specs = catalog.indicator_by_name
    columns: list[Column] = []
    seen: set[tuple[int, int]] = set()
    for c in range(1, grid.max_col + 1):
        head = grid.at(hr + depth - 1, c)
        if head is None or not head.text:
            head = grid.at(hr, c)  # a heading of the first row only, blank below it
        if head is None or (head.row, head.col) in seen or not head.text:
            continue
        seen.add((head.row, head.col))
        parent = grid.at(hr, c) if head.row > hr else None
        columns.append(_column(head, parent, labels, specs))
    name = next((col for col in columns if col.field == "name"), None)
    if name is None:
        return None
    table = Table(hr, hr + depth, hr + depth - 1, columns)
    previous: dict[str, Any] = {}
    for r in range(hr + depth, grid.max_row + 1):
        # A cell starting on this row left of the table is the next block (填表人, 项目实施进度计划 …).
        if any(c.last_col < table.first_col for c in grid.in_row(r)):
            break
        cell = grid.at(r, name.c0)
        if cell is None or not cell.text:
            if _row_has_text(grid, r, table, {"level1", "level2"}):
                break
            if _own_level2(grid, r, table):
                # A row the form prints empty under its own 二级指标 (经济效益指标 with nothing in it): kept.
                row = split_points(_read_row(grid, r, table, kind, catalog, problems, file, is_label))
                table.rows.append(row)
                table.last_row = r
                previous = row
            continue
        if cell.row != r:
            continue
        if cell.col < name.c0 or cell.last_col > name.c1 or cell.key in TOTALS or cell.key in STRUCTURAL:
            break
        if _all_labels(grid.in_row(r), is_label):
            if cell.key != name.head.key:
                break  # the header of another table below this one
            problems.add("import_header_repeated", file, cell=grid.ref(cell), row=r)
            table.last_row = r
            continue
        row = split_points(_read_row(grid, r, table, kind, catalog, problems, file, is_label))
        # A blank level cell (not merged) continues the group above, but a row with a 二级指标 of its own
        # under a blank 一级指标 gets none: the form did not print one (never a guessed 效益指标).
        same_group = row.get("level1", previous.get("level1")) == previous.get("level1")
        if not row.get("level2") and previous.get("level2") and same_group:
            row["level2"] = previous["level2"]
            if not row.get("level1") and previous.get("level1"):
                row["level1"] = previous["level1"]
        previous = row
        table.rows.append(row)
        table.last_row = r
    _account(grid, table, kind, problems, file)
    return table


def _column(head: Cell, parent: Cell | None, labels: dict[str, str], specs: dict[str, dict[str, Any]]) -> Column:
    col = Column(head.col, head.last_col, head)
    if parent is not None and parent.key in labels:
        allowed = specs[labels[parent.key]].get("constraints", {}).get("enum") or []
        if head.key in {norm(a) for a in allowed}:
            col.field, col.enum_value = labels[parent.key], match_enum(head.text, allowed)
            return col
    if head.key in labels:
        col.field = labels[head.key]
    elif parent is not None and parent.key in labels:
        col.field = labels[parent.key]
    elif head.key in STRUCTURAL or (parent is not None and parent.key in STRUCTURAL):
        col.ignore = True
    return col


def _row_has_text(grid: Grid, r: int, table: Table, skip: set[str]) -> bool:
    for col in table.columns:
        if col.ignore or col.field in skip:
            continue
        cell = grid.at(r, col.c0)
        if cell is not None and cell.row == r and cell.text:
            return True
    return False


def _own_level2(grid: Grid, r: int, table: Table) -> bool:
    col = table.column_for("level2")
    cell = grid.at(r, col.c0) if col is not None else None
    return cell is not None and cell.row == r and bool(cell.text)


def _all_labels(own: list[Cell], is_label: Callable[[str], bool]) -> bool:
    """A row holding nothing but headings (its own cells, merged ones from above not counted)."""
    return bool(own) and all(is_label(c.text) for c in own)


def _read_row(grid: Grid, r: int, table: Table, kind: Kind, catalog: Catalog, problems: Problems,
              file: str, is_label: Callable[[str], bool]) -> dict[str, Any]:
    specs = catalog.indicator_by_name
    row: dict[str, Any] = {}
    parsed = None
    target_cell = None
    for col in table.columns:
        cell = grid.at(r, col.c0)
        if col.field is None or col.ignore or cell is None or not cell.text:
            continue
        name, text = col.field, cell.text
        if is_label(text) and not col.enum_value:
            if cell.row == r:  # a merged cell is reported once, on its own row
                problems.add("import_label_as_value", file, cell=grid.ref(cell), value=text,
                             label=specs[name]["title"])
            continue
        allowed = specs[name].get("constraints", {}).get("enum") or []
        if col.enum_value:
            row.setdefault(name, col.enum_value)
            if text not in MARKS and name == "deviation_category" and "deviation_reason" in specs:
                row.setdefault("deviation_reason", text)
        elif name == "target":
            parsed, target_cell = parse_target(cell), cell
            row["target"] = parsed.target
        elif name == "operator":
            row[name] = OPERATOR_WORDS.get(norm(text), text)
        elif specs[name]["type"] in ("number", "integer"):
            number = normalise_number(text)
            row[name] = Decimal(number) if _is_number(number) else text
        elif allowed:
            row[name] = match_enum(text, allowed)
        else:
            row[name] = text
    if parsed is not None and target_cell is not None:
        # The unit only when the value is a number with an operator (≥95%): a target printed as '100%'
        # without one is kept as written, and its % is not split off into a unit the form does not print.
        if parsed.unit and not row.get("unit") and (row.get("operator") or parsed.operator or not parsed.text):
            row["unit"] = parsed.unit
        if parsed.text:
            row["target_text"] = parsed.text
        # The operator only when the sheet prints one (in its own column or in the value, ≥95%): a bare
        # number or a text target gets none, never a guessed = or 定性.
        if not row.get("operator") and parsed.operator:
            row["operator"] = parsed.operator
        if not row.get("operator") and parsed.text:
            row["target"] = parsed.text
            row.pop("target_text", None)
        if row.get("operator") == "定性" and parsed.text:
            row["target"] = parsed.text
            row.pop("target_text", None)
    order = [n for n in catalog.indicator_fields_for(kind) if n in row]
    return {n: row[n] for n in order}


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _account(grid: Grid, table: Table, kind: Kind, problems: Problems, file: str) -> None:
    """Mark every cell of the table as read, and report the filled cells of columns nothing reads."""
    for r in range(table.header_row, table.last_row + 1):
        for c in range(table.first_col, table.last_col + 1):
            cell = grid.at(r, c)
            if cell is not None and (cell.row >= table.header_row or cell.key in STRUCTURAL):
                table.cells.add((cell.row, cell.col))
    for col in table.columns:
        if col.field is not None or col.ignore:
            continue
        lost = [grid.at(r, col.c0) for r in range(table.first_row, table.last_row + 1)]
        filled = [c for c in lost if c is not None and c.text and c.row >= table.first_row]
        if filled:
            problems.add("import_unmapped_column", file, cell=grid.ref(col.head), value=col.head.text,
                         kind_title=kind.title, cells="、".join(f"{grid.ref(c)}“{c.text}”" for c in filled))
