"""A public record laid out like the form it was published on: the caption of its form family and
period, the header rows with the form's own labels, its funding tables as printed, the department-wide
duties table, the indicator table (section points, the extra columns a form carries, empty printed
rows kept) and the narrative sections.
"""

from __future__ import annotations

from typing import Any

from generator.model import formatting
from generator.model import funding as fund
from generator.model.catalog import IDENTITY_FIELDS, Kind
from generator.model.records import PublicRecord

# Shown elsewhere on the page, or only as the labels of other rows.
HEADER_SKIP = set(IDENTITY_FIELDS) | {"summary", "dept_name", "dept_label", "agency_label",
                                      "months_from", "months", "period_label", "as_printed",
                                      "project_attribute_options", "project_type_options", "footnote"}
PERIOD_PLACEHOLDER = "1–N月"
TICKED, UNTICKED = "☑", "☐"


def _period_title(title: str, period: str) -> str:
    return title.replace(PERIOD_PLACEHOLDER, period) if period else title


def _ticks(value: Any, options: list[str]) -> str:
    """A tick-box row as the form prints it: every option, the chosen one ticked."""
    if not options:
        return formatting.display(value)
    return "  ".join(f"{TICKED if o == value else UNTICKED} {o}" for o in options)


def record_view(r: PublicRecord, m: Any) -> dict[str, Any]:
    kind: Kind = m.catalog.kinds[r.kind]
    f = r.fields
    period = kind.period_text(f)
    sections = set(kind.sections)
    header: list[dict[str, Any]] = [
        {"name": "dept", "title": f.get("dept_label") or "主管部门", "withheld": False,
         "text": f.get("dept_name") or m.dept_name(r.dept)}]
    if period:
        label = f"{period}（{f['period_label']}）" if f.get("period_label") else period
        header.append({"name": "period", "title": "监控期间", "withheld": False, "text": label})
    amounts = []
    for spec in kind.fields:
        name = spec["name"]
        if name in HEADER_SKIP or name in sections or spec.get("x-never-public") or spec.get("x-structure"):
            continue
        if name in ("confidential", "confidential_basis", "withheld_fields"):
            continue
        withheld = name in r.withheld
        value = f.get(name)
        if value is None and not withheld:
            continue
        title = _period_title(spec["title"], period)
        if name == "agency" and f.get("agency_label"):
            title = f["agency_label"]
        if spec.get("x-dept-ref"):
            text = m.dept_name(value)  # a department is shown by its name, never its code
        elif name in ("project_attribute", "project_type"):
            text = _ticks(value, f.get(f"{name}_options") or [])
        else:
            text = formatting.display(value, spec)
        cell = {"name": name, "title": title, "withheld": withheld, "text": "" if withheld else text}
        (amounts if spec.get("x-unit-field") else header).append(cell)
    for name in ("project_attribute", "project_type"):
        if f.get(f"{name}_options") and f.get(name) is None and name in kind.by_name:
            header.append({"name": name, "title": kind.title_of(name), "withheld": False,
                           "text": _ticks(None, f[f"{name}_options"])})
    narrative = []
    for name in [*kind.sections, "footnote"]:
        value = f.get(name)
        if name in r.withheld:
            narrative.append({"name": name, "title": kind.title_of(name), "withheld": True, "paras": []})
        elif value:
            paras = value if isinstance(value, list) else [p for p in str(value).split("\n") if p.strip()]
            narrative.append({"name": name, "title": kind.title_of(name), "withheld": False, "paras": paras})
    columns = [c for c in m.catalog.indicator_fields_for(kind)
               # 指标值原文 is the cell as written (≥95%): the page shows it only where it says more than 指标值
               if c not in ("record_id", "confidential", "level1", "level2", "level1_points", "target_text")
               and any(row.get(c) not in (None, "") for row in r.rows)]
    titles = {c: _period_title(m.catalog.indicator_by_name[c]["title"], period) for c in columns}
    if period and "actual" in titles:
        titles["actual"] = f"{period}实际完成值"
    if f.get("funding") and "funding" not in r.withheld:
        # The amount fields the funding table's total row already shows (validation keeps them equal).
        total = fund.total_row(f["funding"], m.catalog.funding) or {}

        def shown_elsewhere(cell: dict[str, Any]) -> bool:
            key = kind.funding_total.get(cell["name"])
            return key is not None and not cell["withheld"] and not fund.is_empty(total.get(key))
        amounts = [a for a in amounts if not shown_elsewhere(a)]
        header = [h for h in header if not shown_elsewhere(h)]
    return {"caption": kind.caption(f), "header": header, "amounts": amounts,
            "unit": f.get("funds_unit") or "", "narrative": narrative,
            "columns": [(c, titles[c]) for c in columns], "groups": indicator_groups(r.rows),
            "funding": funding_tables(r, kind, m.catalog, period), "duties": rows_table(r, kind, "duties"),
            "schedule": rows_table(r, kind, "schedule"), "sections": f.get("report_sections") or [],
            "printed": f.get("printed") or [], "withheld_structures": [n for n in r.withheld
                                                                     if kind.by_name.get(n, {}).get("x-structure")]}


def funding_tables(r: PublicRecord, kind: Kind, catalog: Any, period: str) -> list[dict[str, Any]]:
    out = []
    if "funding" in r.withheld:
        return out
    for i, table in enumerate(r.fields.get("funding") or [], start=1):
        columns = [_period_title(c, period) for c in table["columns"]]
        caption = table.get("caption") or ("资金情况" if i == 1 else f"资金情况（{i}）")
        unit = table.get("unit") or r.fields.get("funds_unit") or ""
        out.append({"caption": caption, "unit": "" if unit and unit in caption else unit, "columns": columns,
                    "rows": table["rows"], "note": table.get("note") or "",
                    "numeric": [fund.column_key(c, catalog.funding, first=(j == 0)) not in
                                (catalog.funding.get("text_columns") or []) for j, c in enumerate(columns)]})
    return out


def rows_table(r: PublicRecord, kind: Kind, name: str) -> dict[str, Any] | None:
    """A small table of named columns (年度履职目标, 项目实施进度计划) with the form's column titles."""
    spec = kind.by_name.get(name)
    rows = r.fields.get(name)
    if not spec or not rows or name in r.withheld:
        return None
    # Only the columns the form prints: a 年度履职目标 table has no 主要内容, a 年度主要任务 table no 部门职能.
    columns = [c for c in spec.get("x-columns") or [] if any(row.get(c[0]) not in (None, "") for row in rows)]
    return {"title": spec["title"], "columns": columns, "rows": rows}


def indicator_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by 一级 then 二级指标, in first-seen order, with the rowspans the form uses; a level-1
    name shows the points the form prints beside it (产出指标（50分）)."""
    level1: dict[tuple[str, str], dict[str, list]] = {}
    for row in rows:
        key = (row.get("level1") or "", row.get("level1_points") or "")
        level1.setdefault(key, {}).setdefault(row.get("level2") or "", []).append(row)
    out = []
    for (l1, points), l2s in level1.items():
        # 产出指标（50分）; a range prints as 成本指标（0-20）分.
        label = (f"{l1}（{points}）分" if "-" in points else f"{l1}（{points}分）") if points else l1
        out.append({"level1": label, "span": sum(len(v) for v in l2s.values()),
                    "level2": [{"name": l2, "span": len(v), "rows": v} for l2, v in l2s.items()]})
    return out
