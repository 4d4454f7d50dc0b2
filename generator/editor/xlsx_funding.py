"""The funding matrix of a sheet (项目资金: rows by source × 年初预算数, 全年预算数, 执行数 … columns) read as
the form prints it, into the record's `funding` table: every row, every printed label, every cell as
written ('' where the sheet is blank), nothing worked out.

Two shapes are recognised: a matrix with two or more budget/execution columns, and the department-wide
预算安排 list (项目 | 金额, rows 资金总额 / 基本支出 / 项目支出 …, optionally a 构成 column grouping 收入 and
支出). The block heading left of the table (项目资金（万元）, 年度预算安排(万元)) is its caption.
"""

from __future__ import annotations

from typing import Any

from generator.editor.xlsx_layouts import STRUCTURAL, Cell, Grid, unit_in
from generator.model import funding as fund

# Columns whose heading marks a funding header row (two or more of them in one row).
_MARKERS = ("initial", "full_year", "spent", "expected", "rate", "carryover", "adjustment")
_HEADS = (*_MARKERS, "weight", "score", "reason", "amount", "share", "prior", "balance", "balance_rate", "basis")


def read_funding(grid: Grid, config: dict[str, Any], skip: set[tuple[int, int]]) -> tuple[dict[str, Any] | None,
                                                                                         set[tuple[int, int]]]:
    """(the table, the cells it accounts for) of the first funding table on the sheet, or (None, set())."""
    for r in range(1, grid.max_row + 1):
        heads = [c for c in _row(grid, r) if (c.row, c.col) not in skip and fund.column_key(c.text, config) in _HEADS]
        keys = [fund.column_key(c.text, config) for c in heads]
        matrix = sum(k in _MARKERS for k in keys) >= 2
        if not matrix and "amount" not in keys:
            continue
        first = min(c.col for c in heads)
        label_col = _label_column(grid, r, first, skip)
        if label_col is None:
            continue
        corner = _own(grid, r, label_col)
        group = _own(grid, r, label_col - 1) if label_col > 1 else None
        if group is not None and fund.column_key(group.text, config) != "group":
            group = None
        rows, used = [], {(c.row, c.col) for c in heads}
        for cell in (corner, group):
            if cell is not None and cell.text:
                used.add((cell.row, cell.col))
        for rr in range(r + 1, grid.max_row + 1):
            label = grid.at(rr, label_col)
            # A label running across the amount columns (年初目标 …) is the next block, not a source row.
            if label is None or label.row != rr or not label.text or (label.row, label.col) in skip \
                    or fund.number(label.text) is not None or label.last_col >= first \
                    or (label.key in STRUCTURAL and not _known(label.text, config)) \
                    or _spans(grid, rr, heads):
                break
            cells = [_cell(grid, rr, h.col, skip, used) for h in heads]
            used.add((label.row, label.col))
            lead = []
            if group is not None:
                owner = grid.at(rr, group.col)
                lead = [owner.text if owner is not None and owner.last_col < label_col else ""]
                if owner is not None and owner.text:
                    used.add((owner.row, owner.col))
            rows.append([*lead, label.text, *cells])
        # A 金额 column alone is a funding list only when its rows are funding rows (资金总额, 基本支出 …).
        at = 1 if group is not None else 0
        if not rows or (not matrix and sum(_known(row[at], config) for row in rows) < 2):
            continue
        table: dict[str, Any] = {}
        caption = _caption(grid, r, group.col if group is not None else label_col, skip)
        if caption is not None:
            used.add((caption.row, caption.col))
            table["caption"] = caption.text
        # The unit as the table prints it: in its caption (项目资金（万元）) or its corner (资金结构 (万元)).
        unit = next((unit_in(c.text) for c in (caption, corner) if c is not None and unit_in(c.text)), None)
        if unit:
            table["unit"] = unit
        columns = ([group.text] if group is not None else []) + [corner.text if corner is not None else ""]
        table.update({"columns": columns + [h.text for h in heads], "rows": rows})
        return table, used
    return None, set()


def _row(grid: Grid, r: int) -> list[Cell]:
    return grid.in_row(r)


def _own(grid: Grid, r: int, c: int) -> Cell | None:
    """The cell anchored at (r, c) itself (not a merged range passing through)."""
    cell = grid.at(r, c)
    return cell if cell is not None and cell.row == r and cell.col == c else None


def _cell(grid: Grid, r: int, c: int, skip: set[tuple[int, int]], used: set[tuple[int, int]]) -> str:
    cell = grid.at(r, c)
    fresh = cell is not None and cell.row == r and cell.col == c and (cell.row, cell.col) not in skip
    if fresh and cell.text:
        used.add((cell.row, cell.col))
    return cell.text if fresh else ""


def _spans(grid: Grid, r: int, heads: list[Cell]) -> bool:
    """A cell merged across more columns than its heading: the next block (预期目标 | 实际完成情况), not a row."""
    own = [(h, _own(grid, r, h.col)) for h in heads]
    return any(cell is not None and cell.cols > h.cols for h, cell in own)


def _known(label: str, config: dict[str, Any]) -> bool:
    return fund.row_role(label, config) != "part" or fund.source_name(label, config) is not None


def _caption(grid: Grid, r: int, col: int, skip: set[tuple[int, int]]) -> Cell | None:
    """The block heading left of the table: a cell in the column before it, spanning the header row."""
    if col <= 1:
        return None
    cell = grid.at(r, col - 1)
    return cell if cell is not None and cell.text and (cell.row, cell.col) not in skip else None


def _label_column(grid: Grid, r: int, first: int, skip: set[tuple[int, int]]) -> int | None:
    """The column of the row labels (年度资金总额, 其中：财政拨款 …): the nearest column left of the first
    heading whose cell below holds text."""
    for col in range(first - 1, 0, -1):
        below = grid.at(r + 1, col)
        if below is not None and below.row == r + 1 and below.text and (below.row, below.col) not in skip:
            return below.col
    return None
