"""Rules of the printed forms: funding tables, indicator level names, points and scores, tick boxes,
and the plausibility checks that catch real mistakes (units, contradictions).

A record whose published form is itself inconsistent keeps its figures as printed when it says so in
`as_printed`: its arithmetic problems are then reported as warnings (code + `_printed`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from decimal import Decimal
from typing import Any

from generator.model import funding as fund
from generator.model.catalog import Catalog, Kind
from generator.model.records import Record, project_key  # noqa: F401 (project_key: callers)
from generator.problems import Problems
from generator.problems.messages import PRINTED_CODES
from generator.source.structures import check_funding

_HUNDRED = Decimal(100)
_TOLERANCE = Decimal("0.005")


def reporter(r: Record, kind: Kind, problems: Problems) -> Any:
    """add(code, field, **params) for record `r`, at the field's line; as-printed records get warnings."""
    lenient = bool(r.fields.get("as_printed"))

    def add(code: str, field: str = "", line: int | None = None, **params: Any) -> None:
        if lenient and code in PRINTED_CODES:
            code += "_printed"
        title = kind.title_of(field) if field in kind.by_name else ""
        problems.add(code, r.origin.file, line or r.origin.line_of(field), field, title, **params)
    return add


def check_form(r: Record, kind: Kind, catalog: Catalog, problems: Problems, rejected: set[str] | None = None
               ) -> None:
    """`rejected`: the fields whose written value was refused (already reported)."""
    add = reporter(r, kind, problems)
    usable = r.fields.get("funding") and "funding" not in (rejected or set())
    execution = check_funding(r, kind, catalog, lambda code, **p: add(code, "funding", **p)) if usable else {}
    if usable:
        _flat_totals(r, kind, catalog, add)
    _ticks(r, add)
    # A CSV table without a companion `.indicators.csv` gives no rows for any record: not checked here.
    csv_without_rows = r.origin.file.endswith(".csv") and not r.origin.rows_file
    if kind.has_indicators and kind.indicators_required and not r.rows and not r.confidential \
            and not r.origin.is_unusable("indicators") and not csv_without_rows:
        add("indicators_missing", "indicators", kind_title=kind.title)
    _levels(r, catalog, problems)
    _scores(r, kind, execution, add)
    _contradictions(r, kind, add)


def _flat_totals(r: Record, kind: Kind, catalog: Catalog, add: Any) -> None:
    """The amount fields and the funding table's total row say the same (kinds.yml funding_total)."""
    total = fund.total_row(r.fields.get("funding") or [], catalog.funding)
    if total is None:
        return
    for name, key in kind.funding_total.items():
        value, cell = r.fields.get(name), fund.number(total.get(key))
        if value is not None and cell is not None and abs(Decimal(value) - cell) > _TOLERANCE:
            add("funding_total_differs", name, label=total["_label"], cell=total.get(key), value=_fmt(value))


def _ticks(r: Record, add: Any) -> None:
    for name in ("project_attribute", "project_type"):
        value, options = r.fields.get(name), r.fields.get(f"{name}_options") or []
        if value and options and value not in options:
            add("tick_not_option", name, value=value, allowed=options)


# Level names on pages that print the form in traditional characters (mirrors of official forms do).
_TRADITIONAL = str.maketrans("產標數質時會對務滿經濟態續響環觀", "产标数质时会对务满经济态续响环观")


def _norm(text: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).translate(_TRADITIONAL)


def _levels(r: Record, catalog: Catalog, problems: Problems) -> None:
    levels = catalog.indicator_levels
    for key in ("level1", "level2"):
        title = catalog.indicator_by_name[key]["title"]
        allowed = levels.get(key) or []
        known = {_norm(x) for x in allowed}
        for i, row in enumerate(r.rows):
            value = row.get(key)
            # `…` is a placeholder row the form prints (more rows may be added): not a level name.
            if allowed and value and _norm(value) not in known and _norm(value).strip("….。") != "":
                problems.add("indicator_level_unknown", r.origin.row_file, _row_line(r, i, key), key, title,
                             row=i + 1, level=title, value=value, allowed=allowed)


def _row_line(r: Record, i: int, name: str) -> int:
    o = r.origin
    if i < len(o.row_field_lines):
        return o.row_field_lines[i].get(name, o.row_lines[i])
    return o.line


def _num(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _scores(r: Record, kind: Kind, execution: dict[str, Any], add: Any) -> None:
    """得分 ≤ 分值 per row; Σ 分值 + 预算执行分值 = 总分值; Σ 一级指标下分值 = 其分值; Σ 得分 + 执行得分 = 总分."""
    f = r.fields
    named = [row for row in r.rows if (row.get("name") or "").strip()]
    for i, row in enumerate(r.rows):
        weight, score = _num(row.get("weight")), _num(row.get("score"))
        if weight is not None and score is not None and score > weight:
            add("score_over_weight", "indicators", _row_line(r, i, "score"),
                what=f"第 {i + 1} 条指标“{row.get('name') or ''}”", score=_fmt(score), weight=_fmt(weight))
    weights = [_num(row.get("weight")) for row in named]
    if not named or any(w is None for w in weights):
        return
    exec_weight = _num(f.get("execution_weight")) if f.get("execution_weight") is not None \
        else execution.get("execution_weight")
    total_points = _num(f.get("total_points")) or _HUNDRED
    if exec_weight is not None or f.get("total_points") is not None:
        added = sum(weights, Decimal(0)) + (exec_weight or 0)
        if abs(added - total_points) > _TOLERANCE:
            add("weights_total_mismatch", "indicators", weights=_fmt(sum(weights, Decimal(0))),
                execution=_fmt(exec_weight or 0), sum=_fmt(added), total=_fmt(total_points))
    by_section: dict[str, list[Decimal]] = defaultdict(list)
    points: dict[str, str] = {}
    for row in named:
        if row.get("level1_points") and "-" not in row["level1_points"]:
            points.setdefault(row.get("level1") or "", row["level1_points"])
        by_section[row.get("level1") or ""].append(_num(row["weight"]))
    for level1, stated in points.items():
        added = sum(by_section[level1], Decimal(0))
        if abs(added - Decimal(stated)) > _TOLERANCE:
            add("section_points_mismatch", "indicators", level1=level1, points=stated, sum=_fmt(added))
    scores = [_num(row.get("score")) for row in named]
    total = f.get(kind.score_field) if kind.score_field else None
    exec_score = _num(f.get("execution_score")) if f.get("execution_score") is not None \
        else execution.get("execution_score")
    if total is not None and exec_score is not None and all(s is not None for s in scores):
        added = sum(scores, Decimal(0)) + exec_score
        if abs(added - Decimal(total)) > _TOLERANCE:
            add("score_total_mismatch", kind.score_field, scores=_fmt(sum(scores, Decimal(0))),
                execution=_fmt(exec_score), sum=_fmt(added), total=_fmt(total))


def _contradictions(r: Record, kind: Kind, add: Any) -> None:
    """A self-evaluation that says a target was met yet scores it below its points, with no reason."""
    if r.kind != "evaluation":
        return
    for i, row in enumerate(r.rows):
        op, target = _target(row)
        actual = fund.number(row.get("actual"))
        weight, score = _num(row.get("weight")), _num(row.get("score"))
        if None in (target, actual, weight, score) or op not in ("≥", "=", ">") or score >= weight:
            continue
        met = actual >= target if op != ">" else actual > target
        if met and not (row.get("deviation_analysis") or "").strip():
            add("eval_met_but_marked_down", "indicators", _row_line(r, i, "score"), row=i + 1,
                name=row.get("name") or "", actual=row.get("actual"), target=row.get("target"),
                score=_fmt(score), weight=_fmt(weight))


_TARGET = re.compile(r"^(?P<op>≥|>=|>|=|≤|<=|<)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?:%|[^\d\s]{0,4})$")


def _target(row: dict[str, Any]) -> tuple[str | None, Decimal | None]:
    """The operator and number of a target, whether the form prints them apart (≥ | 50) or as one (≥50个)."""
    text = unicodedata.normalize("NFKC", str(row.get("target") or "")).strip()
    match = _TARGET.match(text)
    if not match:
        return row.get("operator"), None
    op = row.get("operator") or {">=": "≥", "<=": "≤"}.get(match["op"] or "", match["op"])
    return op, Decimal(match["num"])


def _fmt(value: Any) -> str:
    d = Decimal(value)
    return format(d.normalize(), "f") if d != d.to_integral() else format(d.to_integral(), "f")


# ---- across records ------------------------------------------------------------------------------

def check_links(records: list[Record], catalog: Catalog, problems: Problems) -> None:
    """Records linked by department + project name whose name is shared by several project codes: which
    project they belong to cannot be told. And units: one project in 元 on one record and 万元 on others."""
    codes: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.fields.get("project_code") and r.fields.get("project_name"):
            codes[f"{r.fields.get('dept')}\x00{_norm(r.fields['project_name'])}"].add(r.fields["project_code"])
    units: dict[tuple, list[tuple[Record, str, Decimal]]] = defaultdict(list)
    for r in records:
        kind = catalog.kinds[r.kind]
        if not r.fields.get("project_code") and r.fields.get("project_name"):
            found = codes.get(f"{r.fields.get('dept')}\x00{_norm(r.fields['project_name'])}", set())
            if len(found) > 1:
                problems.add("project_link_ambiguous", r.origin.file, r.origin.line_of("project_name"),
                             "project_name", kind.title_of("project_name"), name=r.fields["project_name"],
                             codes=sorted(found))
        key = project_key(r.fields)
        unit, largest = _amounts(r, kind, catalog)
        if key and unit and largest is not None:
            units[key].append((r, unit, largest))
    for entries in units.values():
        if {u for _, u, _ in entries} != {"元", "万元"}:
            continue
        for r, unit, largest in entries:
            if unit == "元" and largest < 10000:
                other = next(o for o, u, _ in entries if u == "万元")
                problems.add("unit_suspect_yuan", r.origin.file, r.origin.line_of("funds_unit"), "funds_unit",
                             catalog.kinds[r.kind].title_of("funds_unit"), largest=_fmt(largest),
                             other=other.fields["id"])


def _amounts(r: Record, kind: Kind, catalog: Catalog) -> tuple[str | None, Decimal | None]:
    """The record's amount unit and its largest amount (flat amount fields and funding tables)."""
    unit = r.fields.get("funds_unit")
    values = [Decimal(r.fields[s["name"]]) for s in kind.fields
              if s.get("x-unit-field") and r.fields.get(s["name"]) is not None]
    amount_keys = set(catalog.funding.get("amount_columns") or [])
    for table in r.fields.get("funding") or []:
        unit = table.get("unit") or unit
        for row in fund.keyed_rows(table, catalog.funding):
            values += [n for k, c in row.items() if k in amount_keys and (n := fund.number(c)) is not None]
    values = [v for v in values if v]
    return unit, (max(values) if values else None)
