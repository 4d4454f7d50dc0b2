"""Withholding single cells of a funding table (`withheld_fields: ["funding:上年结转资金:全年执行数"]`, or
`"funding:上年结转资金"` for a whole row) so that no withheld amount can be recomputed.

A funding table holds the equations kinds.yml declares under `funding: equations:` (model/funding_equations.py):
in a column, total = Σ parts (per group); in a row, 执行率 = 执行数 ÷ 预算数. Like `redact.withheld_closure` for
fields, every equation that hides one member hides a second one (the total or the rate first), so each keeps
two unknowns.
"""

from __future__ import annotations

from typing import Any

from generator.model import funding as fund
from generator.model import funding_equations

PREFIX = "funding:"
Cell = tuple[int, int, int]  # table, row, column


def entry_cells(tables: list[dict[str, Any]], name: str, config: dict[str, Any]) -> list[Cell]:
    """The cells one `funding:` entry names: `funding:行:栏` or `funding:行`; row labels may hold a colon
    themselves (其中:本年财政拨款), so a trailing part is a column only when one is called that."""
    body = name[len(PREFIX):]
    row, _, column = body.rpartition(":")
    if row and column:
        cells = find(tables, row, column, config)
        if cells:
            return cells
    return find(tables, body, None, config)


def find(tables: list[dict[str, Any]], row: str, column: str | None, config: dict[str, Any]) -> list[Cell]:
    """The cells an entry names ([] when its row or column is not in the tables)."""
    cells = []
    for t, table in enumerate(tables):
        keys = fund.column_keys(table["columns"], config)
        cols = [j for j, label in enumerate(table["columns"])
                if j > 0 and keys[j] not in ("group", "source")
                and (column is None or fund.clean_label(label) == fund.clean_label(column) or keys[j] == column)]
        for i, cells_row in enumerate(table["rows"]):
            if fund.row_label(cells_row[0]) == fund.row_label(row):
                cells += [(t, i, j) for j in cols]
    return cells


def closure(tables: list[dict[str, Any]], hidden: set[Cell], config: dict[str, Any]) -> set[Cell]:
    hidden = set(hidden)

    def present(cell: Cell) -> bool:
        t, i, j = cell
        return not fund.is_empty(tables[t]["rows"][i][j])

    # The same equations validation checks (kinds.yml funding: equations:), the unchecked nested ones too.
    groups = [(eq.form == "ratio", list(eq.members)) for eq in funding_equations.of_tables(tables, config)]
    changed = True
    while changed:
        changed = False
        for ratio, group in groups:
            members = [c for c in group if present(c)]
            if ratio and len(members) < len(group):
                continue
            hid = [c for c in members if c in hidden]
            if len(hid) == 1 and len(members) > 1:
                hidden.add(next(c for c in members if c not in hidden))
                changed = True
    return hidden


def cells_of(tables: list[dict[str, Any]], names: list[str], config: dict[str, Any]) -> set[Cell]:
    """The cells the `funding:` entries of `names` name, closed over the tables' equations."""
    wanted: set[Cell] = set()
    for name in names:
        if name.startswith(PREFIX):
            wanted.update(entry_cells(tables, name, config))
    return closure(tables, wanted, config) if wanted else set()


def _total_cells(tables: list[dict[str, Any]], mapping: dict[str, str], config: dict[str, Any]
                 ) -> dict[str, Cell]:
    """Amount field → the cell of the first table's total row that holds the same number."""
    if not tables:
        return {}
    table = tables[0]
    keys = fund.column_keys(table["columns"], config)
    for i, row in enumerate(table["rows"]):
        if fund.row_role(row[0], config) == "total":
            return {name: (0, i, keys.index(key)) for name, key in mapping.items() if key in keys}
    return {}


def total_entries(tables: list[dict[str, Any]], hidden: set[str], mapping: dict[str, str],
                  config: dict[str, Any]) -> list[str]:
    """`funding:` entries for the total-row cells of the hidden amount fields."""
    out = []
    for name, (t, i, j) in _total_cells(tables, mapping, config).items():
        if name in hidden:
            out.append(f"{PREFIX}{tables[t]['rows'][i][0]}:{tables[t]['columns'][j]}")
    return out


def fields_of_cells(tables: list[dict[str, Any]], cells: set[Cell], mapping: dict[str, str],
                    config: dict[str, Any]) -> set[str]:
    """The amount fields whose total-row cell is hidden."""
    return {name for name, cell in _total_cells(tables, mapping, config).items() if cell in cells}


def redact_cells(tables: list[dict[str, Any]], names: list[str], config: dict[str, Any], marker: str
                 ) -> tuple[list[dict[str, Any]], list[str]]:
    """The tables with the named cells (and what would reveal them) replaced by `marker`; the texts removed."""
    hidden = cells_of(tables, names, config)
    if not hidden:
        return tables, []
    out = [{**table, "rows": [list(r) for r in table["rows"]]} for table in tables]
    removed = []
    for t, i, j in sorted(hidden):
        if not fund.is_empty(out[t]["rows"][i][j]):
            removed.append(out[t]["rows"][i][j])
        out[t]["rows"][i][j] = marker
    return out, removed
