"""Small tables of named columns on a sheet (`x-structure: rows` fields): the department-wide form's
年度履职目标 / 年度主要任务 (部门职能 | 年度目标任务 | 支出项目名称 | 预算金额, or 任务名称 | 主要内容 | 预算金额)
and a project's 实施进度计划. A header row naming two or more of the field's columns, then one row per
line down to the end of the block heading merged beside it (or to the first row with none of the columns).
Every cell as printed; a merged cell is repeated on each row it spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.editor.xlsx_layouts import TOTALS, Cell, Grid, norm
from generator.model.catalog import Kind

# The form's own headings for each column, besides the column titles in the schema (x-columns).
COLUMN_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "duties": {"function": ("部门职能", "职能", "部门职责", "履职内容"),
               "task": ("年度目标任务", "任务名称", "主要任务", "重点任务", "工作任务", "年度任务"),
               "content": ("主要内容", "任务内容", "具体内容", "任务主要内容"),
               "project": ("支出项目名称", "对应项目", "支出项目", "对应预算项目"),
               "amount": ("预算金额", "金额", "预算数", "资金预算")},
    "schedule": {"content": ("项目实施内容", "实施内容"), "start": ("开始时间", "开始日期"),
                 "end": ("完成时间", "完成日期", "结束时间")},
}
# Block headings printed beside such a table; they carry no value of their own.
BLOCKS: dict[str, tuple[str, ...]] = {
    "duties": ("年度履职目标", "年度主要任务", "主要任务", "履职目标", "年度工作任务"),
    "schedule": ("项目实施进度计划", "实施进度计划", "进度计划"),
}


@dataclass
class RowsTable:
    name: str
    rows: list[dict[str, str]]
    cells: set[tuple[int, int]] = field(default_factory=set)
    labels_as_values: list[tuple[Cell, str]] = field(default_factory=list)  # (cell, column title)


def read_rows_tables(grid: Grid, kind: Kind, skip: set[tuple[int, int]], is_label: Any) -> list[RowsTable]:
    """Every `rows` table of the kind found on the sheet; `is_label(text)` tells a heading from a value."""
    found = []
    for spec in kind.fields:
        if spec.get("x-structure") != "rows":
            continue
        table = _read(grid, spec, skip, is_label)
        if table is not None:
            found.append(table)
            skip = skip | table.cells
    return found


def _headings(spec: dict[str, Any]) -> dict[str, str]:
    index = {norm(title): column for column, title in spec.get("x-columns") or []}
    for column, words in COLUMN_ALIASES.get(spec["name"], {}).items():
        for word in words:
            index.setdefault(norm(word), column)
    return index


def _read(grid: Grid, spec: dict[str, Any], skip: set[tuple[int, int]], is_label: Any) -> RowsTable | None:
    index = _headings(spec)
    titles = dict(spec.get("x-columns") or [])
    blocks = {norm(b) for b in BLOCKS.get(spec["name"], ())} | {norm(spec["title"])}
    for r in range(1, grid.max_row + 1):
        heads = [(c, index[c.key]) for c in grid.in_row(r) if (c.row, c.col) not in skip
                 and c.key in index and c.key not in blocks]
        if len({column for _, column in heads}) < 2:
            continue
        first = min(c.col for c, _ in heads)
        block = grid.at(r, first - 1) if first > 1 else None
        if block is not None and block.key not in blocks:
            block = None
        # No block heading beside the header: the header is the table's own only if one is printed above.
        above = None if block is not None else _block_above(grid, r, first, blocks)
        if block is None and above is None:
            continue
        table = RowsTable(spec["name"], [], {(c.row, c.col) for c, _ in heads})
        for heading in (block, above):
            if heading is not None:
                table.cells.add((heading.row, heading.col))
        last = block.row + block.rows - 1 if block is not None and block.rows > 1 else grid.max_row
        for rr in range(r + 1, last + 1):
            row, anchored = {}, False
            for head, column in heads:
                cell = grid.at(rr, head.col)
                if cell is None or cell.col != head.col or not cell.text:
                    continue
                anchored |= cell.row == rr
                table.cells.add((cell.row, cell.col))
                if is_label(cell.text) and cell.key not in TOTALS:  # a 合计 row is printed data
                    if cell.row == rr:
                        table.labels_as_values.append((cell, titles[column]))
                    continue
                row[column] = cell.text
            start = grid.at(rr, first - 1) if first > 1 else None
            new_block = block is None and start is not None and start.row == rr and start.text
            if not anchored or new_block:
                if block is None:
                    break
                continue
            if row:
                table.rows.append(row)
        if table.rows:
            return table
    return None


def _block_above(grid: Grid, r: int, first: int, blocks: set[str]) -> Cell | None:
    above = grid.at(r - 1, first) if r > 1 else None
    return above if above is not None and above.key in blocks else None
