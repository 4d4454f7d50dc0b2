"""Fields written as small tables (`x-structure` in the schemas): funding tables, [label, value] pairs
and rows of named columns. They are read and checked here, kept as written (every cell a string, an
empty cell '' and never 0), and published as they are.
"""

from __future__ import annotations

from typing import Any

from generator.model import funding as fund
from generator.model import funding_equations
from generator.model.catalog import Catalog, Kind

_TABLE_KEYS = ("caption", "unit", "columns", "rows", "note")


def _text(value: Any) -> str | None:
    """A cell as text ('' when empty); None when it is a list or mapping."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return None
    return str(value)


def normalise(spec: dict[str, Any], value: Any, catalog: Catalog) -> tuple[Any, str | None]:
    """The structure as stored, or (None, what is wrong)."""
    if value is None or value == []:
        return None, None
    if isinstance(value, str):
        return None, "应写成 YAML 列表（CSV 记录不能填写本栏，请改用 YAML）"
    shape = spec["x-structure"]
    if shape == "pairs":
        return _pairs(value)
    if shape == "rows":
        return _rows(value, [c for c, _ in spec.get("x-columns") or []])
    return _funding(value, catalog)


def _pairs(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, "应为列表，每项写成 [栏目名, 内容]"
    out = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, list) or len(item) != 2:
            return None, f"第 {i} 项应写成 [栏目名, 内容] 两项"
        label, text = _text(item[0]), _text(item[1])
        if label is None or text is None:
            return None, f"第 {i} 项的栏目名和内容都应为文字"
        out.append([label, text])
    return out, None


def _rows(value: Any, columns: list[str]) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, "应为列表，每行写成一个映射（" + "、".join(columns) + "）"
    out = []
    for i, item in enumerate(value, start=1):
        if isinstance(item, list):
            if len(item) != len(columns):
                return None, f"第 {i} 行有 {len(item)} 格，应为 {len(columns)} 格（{'、'.join(columns)}）"
            item = dict(zip(columns, item, strict=True))
        if not isinstance(item, dict):
            return None, f"第 {i} 行应为映射（{'、'.join(columns)}）"
        unknown = [k for k in item if k not in columns]
        if unknown:
            return None, f"第 {i} 行有未知栏目“{unknown[0]}”，可用：{'、'.join(columns)}"
        row = {c: _text(item.get(c)) for c in columns}
        if any(v is None for v in row.values()):
            return None, f"第 {i} 行的内容都应为文字"
        out.append(row)
    return out, None


def _funding(value: Any, catalog: Catalog) -> tuple[Any, str | None]:
    tables = [value] if isinstance(value, dict) else value
    if not isinstance(tables, list):
        return None, "应为资金表的列表"
    out = []
    for t, table in enumerate(tables, start=1):
        where = f"第 {t} 张资金表"
        if not isinstance(table, dict):
            return None, f"{where}应写成映射（caption、unit、columns、rows）"
        unknown = [k for k in table if k not in _TABLE_KEYS]
        if unknown:
            return None, f"{where}有未知键“{unknown[0]}”，可用：{'、'.join(_TABLE_KEYS)}"
        columns = table.get("columns")
        if not isinstance(columns, list) or not columns or any(_text(c) is None for c in columns):
            return None, f"{where}的 columns 应为表上各栏名称的列表"
        rows = table.get("rows") or []
        if not isinstance(rows, list):
            return None, f"{where}的 rows 应为列表，每行一个列表"
        clean_rows = []
        for r, row in enumerate(rows, start=1):
            if not isinstance(row, list):
                return None, f"{where}第 {r} 行应写成列表：[资金来源, 各栏数值…]"
            cells = [_text(c) for c in row]
            if any(c is None for c in cells):
                return None, f"{where}第 {r} 行的格子应为文字或数字"
            if len(cells) != len(columns):
                return None, f"{where}第 {r} 行有 {len(cells)} 格，表头有 {len(columns)} 栏（空格子写 ''）"
            clean_rows.append(cells)
        unit = _text(table.get("unit"))
        if unit not in ("", "元", "万元"):
            return None, f"{where}的 unit 应为“元”或“万元”"
        caption = _text(table.get("caption")) or ""
        out.append({"caption": caption, "unit": unit, "columns": [_text(c) for c in columns], "rows": clean_rows,
                    **({"note": _text(table["note"]) or ""} if table.get("note") is not None else {})})
    return out, None


# ---- rules -------------------------------------------------------------------------------------

def check_funding(r: Any, kind: Kind, catalog: Catalog, add: Any) -> dict[str, Any]:
    """Columns known, amounts numbers, totals = parts, rates = spent ÷ budget, scores ≤ points.

    `add(code, field, **params)` reports. Returns the total row's weight and score (预算执行分值/得分)."""
    config = catalog.funding
    found: dict[str, Any] = {}
    text_columns = set(config.get("text_columns") or [])
    allowed = [x for labels in (config.get("columns") or {}).values() for x in labels]
    for t, table in enumerate(r.fields.get("funding") or [], start=1):
        name = table.get("caption") or f"第 {t} 张"
        keys = fund.column_keys(table["columns"], config)
        for label, key in zip(table["columns"], keys, strict=True):
            if key is None:
                add("funding_column_unknown", table=name, label=label, allowed=allowed)
        rows = fund.keyed_rows(table, config)
        bad = False
        for i, row in enumerate(rows, start=1):
            for key, label in zip(keys, table["columns"], strict=True):
                if key and key not in text_columns and not fund.is_number(row.get(key)):
                    add("funding_cell_not_number", table=name, row=i, source=row["_label"], column=label,
                        value=row.get(key))
                    bad = True
        if bad:
            continue
        for eq in funding_equations.of_tables([table], config):
            if eq.checked:
                (_check_sum if eq.form == "sum" else _check_rate)(eq, table, rows, name, add)
        for i, row in enumerate(rows, start=1):
            weight, score = fund.number(row.get("weight")), fund.number(row.get("score"))
            if weight is not None and score is not None and score > weight:
                add("score_over_weight", what=f"资金表“{name}”第 {i} 行“{row['_label']}”", score=_n(score),
                    weight=_n(weight))
            if fund.row_role(row["_label"], config) == "total" and "execution_weight" not in found:
                found["execution_weight"], found["execution_score"] = weight, score
    return found


def _check_sum(eq: funding_equations.TableEquation, table: dict, rows: list[dict], name: str, add: Any) -> None:
    """A group's total row = Σ its other rows, in one column (the parts left empty add nothing)."""
    _, total_at, j = eq.result
    total = fund.number(table["rows"][total_at][j])
    values = [fund.number(table["rows"][i][j]) for _, i, _ in eq.operands]
    if total is None or all(v is None for v in values):
        return
    added = sum((v for v in values if v is not None), fund.Decimal(0))
    if abs(added - total) > eq.tolerance:
        add("funding_sum_mismatch", table=name, column=table["columns"][j], total_label=rows[total_at]["_label"],
            total=table["rows"][total_at][j], parts="、".join(rows[i]["_label"] for _, i, _ in eq.operands),
            sum=_n(added))


def _check_rate(eq: funding_equations.TableEquation, table: dict, rows: list[dict], name: str, add: Any) -> None:
    """执行率 = 执行数 ÷ 预算数 × 100 in one row; a rate printed as a fraction (1 = 100 %) or rounded passes."""
    (_, i, rc), ((_, _, sc), (_, _, bc)) = eq.result, eq.operands
    cells = table["rows"][i]
    rate, spent, budget = fund.number(cells[rc]), fund.number(cells[sc]), fund.number(cells[bc])
    if rate is None or spent is None or budget is None:
        return
    if budget == 0:
        add("funding_rate_zero_budget", table=name, row=i + 1, source=rows[i]["_label"],
            budget_label=table["columns"][bc], value=cells[rc])
        return
    computed = (spent / budget * eq.scale).quantize(fund.Decimal("0.1"))
    if abs(rate - computed) > eq.tolerance and abs(rate * eq.scale - computed) > eq.tolerance:
        add("funding_rate_mismatch", table=name, row=i + 1, source=rows[i]["_label"], value=cells[rc],
            spent_label=table["columns"][sc], spent=cells[sc], budget_label=table["columns"][bc],
            budget=cells[bc], computed=_n(computed))


def _n(value: Any) -> str:
    d = fund.Decimal(value)
    return format(d.normalize(), "f") if d != d.to_integral() else format(d.to_integral(), "f")
