"""The rules a Table Schema cannot express: cross-field arithmetic, conditional requirements,
uniqueness and references across the whole site. Each rule reads its parameters from `schemas/kinds.yml`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from generator.model import equations
from generator.model.catalog import IDENTITY_FIELDS, Catalog, Kind
from generator.model.funding import row_label
from generator.model.records import Record
from generator.problems import Problems, titled
from generator.problems.hints import did_you_mean
from generator.secrecy import funding_cells
from generator.source.form_rules import check_form, check_links, reporter
from generator.source.numbers import parse_decimal

SUM_TOLERANCE = Decimal("0.005")
RATE_TOLERANCE = Decimal("0.06")  # one decimal place, rounded


def check_rules(records: list[Record], departments: dict[str, Any], catalog: Catalog, problems: Problems,
                rejected: dict[int, set[str]] | None = None) -> None:
    """`rejected`: by id(record), the fields whose written value failed to cast; rules built on them
    would only repeat that error."""
    rejected = rejected or {}
    seen: dict[str, Record] = {}
    project_dept: dict[str, Record] = {}
    for r in records:
        kind = catalog.kinds[r.kind]
        f = r.fields
        o = r.origin
        rid = f.get("id")
        if rid:
            if rid in seen:
                problems.add("duplicate_id", o.file, o.line_of("id"), "id", kind.title_of("id"), value=rid,
                             other=f"{seen[rid].origin.file}:{seen[rid].origin.line_of('id')}")
            else:
                seen[rid] = r
        for key in ("dept", "evaluated_dept"):
            # With no registry at all its own problem is reported once, not once per record.
            if departments and f.get(key) and f[key] not in departments:
                problems.add("unknown_dept", o.file, o.line_of(key), key, kind.title_of(key), value=f[key],
                             known=sorted(departments))
        if f.get("confidential") and not f.get("confidential_basis"):
            problems.add("confidential_basis_missing", o.file, o.line_of("confidential"), "confidential_basis",
                         kind.title_of("confidential_basis"),
                         allowed=kind.by_name["confidential_basis"]["constraints"]["enum"])
        _withheld(r, kind, catalog, problems)
        _required_when(r, kind, problems)
        _sums(r, kind, problems, rejected.get(id(r), set()))
        _ratios(r, kind, problems, rejected.get(id(r), set()))
        _grade(r, kind, catalog, problems)
        _declared(r, kind, catalog, problems, rejected.get(id(r), set()))
        _dates(r, kind, problems)
        _rows(r, kind, catalog, problems)
        _markup(r, kind, problems)
        check_form(r, kind, catalog, problems, rejected.get(id(r), set()))
        code = f.get("project_code")
        owner = f.get("evaluated_dept") or f.get("dept")  # 财政评价 concerns another department's project
        if code and owner:
            first = project_dept.setdefault(code, r)
            if (first.fields.get("evaluated_dept") or first.fields.get("dept")) != owner:
                problems.add("project_link_dept", o.file, o.line_of("project_code"), "project_code",
                             kind.title_of("project_code"), value=code, other=first.origin.file,
                             other_dept=first.fields.get("evaluated_dept") or first.fields.get("dept"), dept=owner)
    check_links(records, catalog, problems)


# Fields that say what is secret: withholding them one by one means nothing.
_NOT_WITHHELD = (*IDENTITY_FIELDS, "confidential", "withheld_fields", "confidential_basis")


def _markup(r: Record, kind: Kind, problems: Problems) -> None:
    """Warn about HTML in a Markdown field that the page will not carry (sanitize.py drops it)."""
    from generator.site.sanitize import MARKDOWN_FIELDS, removed

    for name in MARKDOWN_FIELDS:
        text = r.fields.get(name)
        if not isinstance(text, str) or "<" not in text and ":" not in text:
            continue
        what = removed(text)
        if what:
            o = r.origin
            problems.add("html_removed", o.file, _markup_line(o, name, text), name, kind.title_of(name),
                         what="；".join(what))


def _markup_line(o: Any, name: str, text: str) -> int | None:
    """The first line of a block body (`body: |`) that alone holds something removed, else the field's line."""
    from generator.site.sanitize import removed

    line = o.line_of(name)
    if line is None or "\n" not in text:
        return line
    for i, row in enumerate(text.split("\n")):
        if ("<" in row or ":" in row) and removed(row):
            return line + 1 + i
    return line


def _withheld(r: Record, kind: Kind, catalog: Catalog, problems: Problems) -> None:
    o = r.origin
    for name in r.fields.get("withheld_fields") or []:
        if name in _NOT_WITHHELD:
            problems.add("withheld_identity", o.file, o.line_of("withheld_fields"), "withheld_fields",
                         kind.title_of("withheld_fields"), value=name)
        elif name.startswith("funding:") and "funding" in kind.by_name:
            tables = r.fields.get("funding") or []
            if not funding_cells.entry_cells(tables, name, catalog.funding):
                rows = list(dict.fromkeys(row_label(row[0]) for t in tables for row in t["rows"]))
                problems.add("withheld_cell_unknown", o.file, o.line_of("withheld_fields"), "withheld_fields",
                             kind.title_of("withheld_fields"), value=name, rows=rows)
        elif name not in kind.by_name:
            allowed = [n for n in kind.field_names if n not in _NOT_WITHHELD]
            problems.add("withheld_unknown", o.file, o.line_of("withheld_fields"), "withheld_fields",
                         kind.title_of("withheld_fields"), value=name, allowed=titled(allowed, kind.title_of),
                         hint=did_you_mean(name, allowed, kind.title_of))


def _matches(values: dict[str, Any], condition: dict[str, list[Any]] | None) -> bool:
    return all(values.get(k) in v for k, v in (condition or {}).items())


def _condition_text(kind_titles: Any, condition: dict[str, list[Any]] | None) -> str:
    if not condition:
        return "本类记录"
    return "、".join(f"{kind_titles(k)}为“{'或'.join(map(str, v))}”" for k, v in condition.items())


def _required_when(r: Record, kind: Kind, problems: Problems) -> None:
    for rule in kind.required_when:
        if _matches(r.fields, rule.get("if")) and r.fields.get(rule["field"]) in (None, ""):
            problems.add("required_when", r.origin.file, r.origin.line, rule["field"], kind.title_of(rule["field"]),
                         condition=_condition_text(kind.title_of, rule.get("if")))


def _sums(r: Record, kind: Kind, problems: Problems, rejected: set[str]) -> None:
    f = r.fields
    add = reporter(r, kind, problems)
    for rule in kind.sums:
        total, parts = f.get(rule["total"]), [f.get(p) for p in rule["parts"]]
        if total is None or all(p is None for p in parts) or rejected.intersection(rule["parts"]):
            continue
        added = sum((p or Decimal(0) for p in parts), Decimal(0))
        if abs(Decimal(total) - added) > SUM_TOLERANCE:
            add("sum_mismatch", rule["total"], total_title=kind.title_of(rule["total"]), total=_num(total),
                parts=" + ".join(kind.title_of(p) for p in rule["parts"]), sum=_num(added))
            if added and total and _ten_thousand(Decimal(total), added):
                add("unit_scale_suspect", rule["total"], total_title=kind.title_of(rule["total"]), total=_num(total),
                    sum=_num(added))


def _ten_thousand(a: Decimal, b: Decimal) -> bool:
    """a and b differ by a factor of about 10,000: one written in 元, the other in 万元."""
    return abs(a / b - 10000) < 100 or abs(b / a - 10000) < 100


def _ratios(r: Record, kind: Kind, problems: Problems, rejected: set[str]) -> None:
    f = r.fields
    add = reporter(r, kind, problems)
    for rule in kind.ratios:
        value, num, den = f.get(rule["ratio"]), f.get(rule["numerator"]), f.get(rule["denominator"])
        if value is None or num is None or rule["denominator"] in rejected:
            continue
        o = r.origin
        if den is None:
            problems.add("ratio_no_denominator", o.file, o.line_of(rule["ratio"]), rule["ratio"],
                         kind.title_of(rule["ratio"]), denominator_title=kind.title_of(rule["denominator"]))
            continue
        if not den:
            # Printed on the form with a zero budget: kept as printed, worth a second look.
            problems.add("rate_zero_budget", o.file, o.line_of(rule["ratio"]), rule["ratio"],
                         kind.title_of(rule["ratio"]), denominator_title=kind.title_of(rule["denominator"]),
                         value=_num(value))
            continue
        computed = (Decimal(num) / Decimal(den) * 100).quantize(Decimal("0.1"))
        # A rate printed to the whole percent (93% for 92.6%) is the form's own rounding, as in funding tables.
        whole = Decimal(value) == Decimal(value).to_integral() and \
            Decimal(value) == computed.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        if abs(Decimal(value) - computed) > RATE_TOLERANCE and not whole:
            add("ratio_mismatch", rule["ratio"],
                         value=_num(value), numerator_title=kind.title_of(rule["numerator"]), numerator=_num(num),
                         denominator_title=kind.title_of(rule["denominator"]), denominator=_num(den),
                         computed=_num(computed))


def _grade(r: Record, kind: Kind, catalog: Catalog, problems: Problems) -> None:
    if not kind.grade_field:
        return
    score, grade = r.fields.get(kind.score_field), r.fields.get(kind.grade_field)
    if score is None or grade is None:
        return
    expected = catalog.grade_for(float(score))
    if grade != expected:
        reporter(r, kind, problems)("grade_mismatch", kind.grade_field, value=grade, score=_num(score),
                                    expected=expected)


def _declared(r: Record, kind: Kind, catalog: Catalog, problems: Problems, rejected: set[str]) -> None:
    """The general equations of kinds.yml (`equations:`), over the fields and all indicator rows."""
    value = equations.values_of(r.fields, r.rows)
    for eq in kind.equations:
        names = {m[len(equations.COLUMN):] if equations.is_column(m) else m for m in eq.members if isinstance(m, str)}
        if not eq.declared or names & rejected:
            continue  # a value that could not be read is reported already
        written, computed = value(eq.result), eq.compute(value)
        if written is None or computed is None or abs(written - computed) <= eq.tolerance:
            continue
        anchor = eq.result if isinstance(eq.result, str) and not equations.is_column(eq.result) else next(
            (m for m in eq.operands if isinstance(m, str) and not equations.is_column(m)), "")
        problems.add("equation_mismatch", r.origin.file, r.origin.line_of(anchor) if anchor else r.origin.line,
                     anchor, kind.title_of(anchor) if anchor else "", result=_title(kind, catalog, eq.result),
                     formula=_formula(kind, catalog, eq), computed=_num(computed), value=_num(written))


def _title(kind: Kind, catalog: Catalog, member: Any) -> str:
    if isinstance(member, Decimal):
        return _num(member)
    if equations.is_column(member):
        name = member[len(equations.COLUMN):]
        return f"各指标{catalog.indicator_by_name.get(name, {}).get('title', name)}之和"
    return kind.title_of(member)


def _formula(kind: Kind, catalog: Catalog, eq: equations.Equation) -> str:
    joiner = " + " if eq.form == "sum" else " × "
    text = joiner.join(_title(kind, catalog, m) for m in eq.operands)
    return text if eq.scale == 1 else f"({text}) × {_num(eq.scale)}"


_DATE_ORDER = (("period_start", "period_end"), ("approved_on", "completed_on"))


def _dates(r: Record, kind: Kind, problems: Problems) -> None:
    for earlier, later in _DATE_ORDER:
        a, b = r.fields.get(earlier), r.fields.get(later)
        if a and b and b < a:
            problems.add("date_order", r.origin.file, r.origin.line_of(later), later, kind.title_of(later),
                         later_title=kind.title_of(later), later=b.isoformat(),
                         earlier_title=kind.title_of(earlier), earlier=a.isoformat())


def _rows(r: Record, kind: Kind, catalog: Catalog, problems: Problems) -> None:
    if not r.rows:
        return
    o = r.origin
    titles = {k: v["title"] for k, v in catalog.indicator_by_name.items()}
    conditions = [(rule["fields"], [(k, set(v)) for k, v in (rule.get("if") or {}).items()], rule.get("if"))
                  for rule in kind.row_required_when]
    for i, row in enumerate(r.rows):
        op, target = row.get("operator"), row.get("target")
        if op and op != "定性" and target is not None and parse_decimal(target) is None:
            problems.add("target_not_number", o.row_file, _row_line(o, i, "target"), "target", titles["target"],
                         row=i + 1, name=row.get("name") or "", operator=op, value=target)
        for fields, condition, written in conditions:
            if not all(row.get(k) in allowed for k, allowed in condition):
                continue
            for name in fields:
                if row.get(name) in (None, ""):
                    problems.add("row_required_when", o.row_file, _row_line(o, i, name), name, titles[name],
                                 row=i + 1, name=row.get("name") or "",
                                 condition=_condition_text(titles.get, written))


def _row_line(o: Any, i: int, name: str) -> int:
    line = o.row_lines[i] if i < len(o.row_lines) else o.line
    return o.row_field_lines[i].get(name, line) if i < len(o.row_field_lines) else line


def _num(value: Any) -> str:
    d = Decimal(value)
    return f"{d:,.2f}".rstrip("0").rstrip(".") if d != d.to_integral() else f"{d:,.0f}"
