"""The arithmetic of a funding table, declared once in `schemas/kinds.yml` (`funding: equations:`) and read
by validation (`source/structures.py`: every checked equation must hold) and by withholding single cells
(`secrecy/funding_cells.py`: no withheld cell may be solvable from the cells still shown).

Two forms, instantiated over each table as printed (a member is a cell: table, row, column):

    {sum: rows, columns: amount_columns, tolerance: t}
        in each column whose key is listed under `amount_columns`, a group's total row = Σ its other rows.
        Groups are the 构成 column (收入构成 / 支出构成), else 收入 and 支出 (基本支出 / 项目支出 are a second
        split of the same total). A table with 小计 rows nests its sums as the form pleases: there, one
        equation per column holds every total, subtotal and part, used for withholding and not checked.
    {ratio: rate, numerator: spent, denominator: [full_year, initial, amount], scale: 100, tolerance: t}
        in each row, rate = numerator ÷ the first denominator column the table has × scale.

An empty cell in a sum adds nothing; a ratio binds only when all three of its cells are printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.model import funding as fund

Cell = tuple[int, int, int]  # table, row, column


@dataclass(frozen=True)
class TableEquation:
    form: str                   # sum | ratio
    result: Cell                # the total (or rate) cell: withheld first, so parts leave no trace
    operands: tuple[Cell, ...]
    tolerance: Decimal
    scale: Decimal = Decimal(1)
    checked: bool = True        # validation checks it (nested 小计 sums are only withheld against)

    @property
    def members(self) -> tuple[Cell, ...]:
        return (self.result, *self.operands)


def parse(entry: Any) -> dict[str, Any]:
    """One `funding: equations:` entry, checked; ValueError saying what is wrong."""
    if not isinstance(entry, dict) or ("sum" in entry) == ("ratio" in entry):
        raise ValueError("每个资金表等式应写为 {sum: rows, columns: …} 或 "
                         "{ratio: 栏目, numerator: 栏目, denominator: [栏目…]}")
    try:
        tolerance = Decimal(str(entry.get("tolerance", "0.005")))
        scale = Decimal(str(entry.get("scale", "1")))
    except InvalidOperation as exc:
        raise ValueError("tolerance 和 scale 应为数字") from exc
    if "sum" in entry:
        if entry["sum"] != "rows" or not isinstance(entry.get("columns"), str):
            raise ValueError("sum 等式应写为 {sum: rows, columns: amount_columns}")
        return {"form": "sum", "columns": entry["columns"], "tolerance": tolerance}
    denominator = entry.get("denominator")
    if not isinstance(entry.get("numerator"), str) or not isinstance(denominator, list) or not denominator:
        raise ValueError("ratio 等式须有 numerator（一个栏目）和 denominator（栏目列表，取表上有的第一个）")
    return {"form": "ratio", "ratio": entry["ratio"], "numerator": entry["numerator"],
            "denominator": [str(d) for d in denominator], "tolerance": tolerance, "scale": scale}


def of_tables(tables: list[dict[str, Any]], config: dict[str, Any]) -> list[TableEquation]:
    """Every equation of the tables, in declared order, table by table."""
    rules = [parse(entry) for entry in config.get("equations") or []]
    out: list[TableEquation] = []
    for t, table in enumerate(tables):
        keys = fund.column_keys(table.get("columns") or [], config)
        rows = fund.keyed_rows(table, config)
        for rule in rules:
            if rule["form"] == "sum":
                out += _sums(t, keys, rows, config, rule)
            else:
                out += _ratios(t, keys, len(rows), rule)
    return out


def _sums(t: int, keys: list[str | None], rows: list[dict[str, Any]], config: dict[str, Any],
          rule: dict[str, Any]) -> list[TableEquation]:
    roles = [fund.row_role(row["_label"], config) for row in rows]
    out = []
    columns = [j for j, key in enumerate(keys) if key in (config.get(rule["columns"]) or [])]
    if "subtotal" in roles:
        tops = [i for i, role in enumerate(roles) if role in ("total", "subtotal")]
        parts = [i for i, role in enumerate(roles) if role not in ("total", "subtotal")]
        for j in columns:
            if tops:
                out.append(TableEquation("sum", (t, tops[0], j), tuple((t, i, j) for i in tops[1:] + parts),
                                         rule["tolerance"], checked=False))
        return out
    groups: dict[str, list[int]] = {}
    totals: dict[str, int] = {}
    for i, (row, role) in enumerate(zip(rows, roles, strict=True)):
        group = (row.get("group") or "").strip()
        if role == "total":
            totals.setdefault(group, i)
        else:
            groups.setdefault(group or ("支出" if role == "expenditure" else "收入"), []).append(i)
    for group, parts in groups.items():
        total_at = totals.get(group, totals.get(""))
        if total_at is None:
            continue
        for key in config.get(rule["columns"]) or []:
            for j in [j for j in columns if keys[j] == key]:
                # A column printed twice (近两年收支金额 年 | 年) is withheld against but not checked.
                out.append(TableEquation("sum", (t, total_at, j), tuple((t, i, j) for i in parts), rule["tolerance"],
                                         checked=keys.count(key) == 1))
    return out


def _ratios(t: int, keys: list[str | None], count: int, rule: dict[str, Any]) -> list[TableEquation]:
    budget = next((b for b in rule["denominator"] if b in keys), None)
    if rule["ratio"] not in keys or rule["numerator"] not in keys or budget is None:
        return []
    rate, spent, base = keys.index(rule["ratio"]), keys.index(rule["numerator"]), keys.index(budget)
    return [TableEquation("ratio", (t, i, rate), ((t, i, spent), (t, i, base)), rule["tolerance"], rule["scale"])
            for i in range(count)]
