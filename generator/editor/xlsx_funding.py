"""The funding matrix of a sheet (项目资金: rows by source × 年初预算数, 全年预算数, 执行数 … columns) read as
the form prints it, into the record's `funding` table: every row, every printed label, every cell as
written ('' where the sheet is blank), nothing worked out.
"""

from __future__ import annotations

from typing import Any

from generator.editor.xlsx_layouts import Cell, Grid
from generator.model import funding as fund

# Columns whose heading marks a funding header row (two or more of them in one row).
_MARKERS = ("initial", "full_year", "spent", "expected", "rate", "carryover", "adjustment")


def read_funding(grid: Grid, config: dict[str, Any], skip: set[tuple[int, int]]) -> tuple[dict[str, Any] | None,
                                                                                         set[tuple[int, int]]]:
    """(the table, the cells it accounts for) of the first funding matrix on the sheet, or (None, set())."""
    for r in range(1, grid.max_row + 1):
        heads = [c for c in _row(grid, r) if (c.row, c.col) not in skip
                 and fund.column_key(c.text, config) in (*_MARKERS, "weight", "score", "reason")]
        if sum(fund.column_key(c.text, config) in _MARKERS for c in heads) < 2:
            continue
        first = min(c.col for c in heads)
        label_col = _label_column(grid, r, first, skip)
        if label_col is None:
            continue
        corner = grid.at(r, label_col)
        corner_text = corner.text if corner is not None and corner.row == r and corner.col == label_col else ""
        rows, used = [], {(c.row, c.col) for c in heads}
        if corner_text:
            used.add((corner.row, corner.col))
        for rr in range(r + 1, grid.max_row + 1):
            label = grid.at(rr, label_col)
            # A label running across the amount columns (年初目标 …) is the next block, not a source row.
            if label is None or label.row != rr or not label.text or (label.row, label.col) in skip \
                    or fund.number(label.text) is not None or label.last_col >= first:
                break
            cells = []
            for h in heads:
                cell = grid.at(rr, h.col)
                fresh = cell is not None and cell.row == rr and cell.col == h.col and (cell.row, cell.col) not in skip
                cells.append(cell.text if fresh else "")
                if fresh and cell.text:
                    used.add((cell.row, cell.col))
            used.add((label.row, label.col))
            rows.append([label.text, *cells])
        if not rows:
            continue
        return {"columns": [corner_text, *[h.text for h in heads]], "rows": rows}, used
    return None, set()


def _row(grid: Grid, r: int) -> list[Cell]:
    return [c for c in grid.filled() if c.row == r]


def _label_column(grid: Grid, r: int, first: int, skip: set[tuple[int, int]]) -> int | None:
    """The column of the row labels (年度资金总额, 其中：财政拨款 …): the nearest column left of the first
    heading whose cell below holds text."""
    for col in range(first - 1, 0, -1):
        below = grid.at(r + 1, col)
        if below is not None and below.row == r + 1 and below.text and (below.row, below.col) not in skip:
            return below.col
    return None
