"""Stage 2, validate: cast every value with the Frictionless schemas, then apply the rules a table
schema cannot say (`rules.py`). Every problem is collected; nothing stops at the first one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from frictionless import Resource, Schema

from .load import Loaded, RawRecord
from .problems import Problems
from .records import Record
from .rules import check_rules
from .schema import Catalog, Kind


@dataclass
class Validated:
    records: list[Record]
    departments: dict[str, dict[str, Any]]
    problems: Problems
    catalog: Catalog


def validate(loaded: Loaded, catalog: Catalog) -> Validated:
    problems = Problems(loaded.problems)
    departments = _departments(loaded, catalog, problems)
    by_kind: dict[str, list[RawRecord]] = {}
    for raw in loaded.records:
        by_kind.setdefault(raw.kind, []).append(raw)
    records: list[Record] = []
    for name, raws in by_kind.items():
        records.extend(_cast_kind(catalog.kinds[name], raws, catalog, problems))
    check_rules(records, departments, catalog, problems)
    records.sort(key=lambda r: (r.fields.get("dept") or "", r.fields.get("year") or 0, r.kind, r.id or ""))
    return Validated(records, departments, problems, catalog)


# ---- preparing values for Frictionless ----------------------------------------------------------

_GROUP = re.compile(r"(?<=\d)[,，](?=\d{3})")
_MONEY_SUFFIX = re.compile(r"^(?P<num>[-+]?[\d.]+)\s*(?P<unit>万元|万|元)$")
_SCALE = {("万元", "元"): Decimal(10000), ("元", "万元"): Decimal("0.0001")}


def normalise_number(text: str, unit: str | None = None) -> str:
    """'１,２５０.５万元' → '12505000' when the record's unit is 元; full-width digits, thousands
    separators, a trailing % and the 元/万元 suffix are what editors actually type."""
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    value = _GROUP.sub("", value).rstrip("%")
    match = _MONEY_SUFFIX.match(value)
    if match:
        written = "万元" if match["unit"] in ("万元", "万") else "元"
        number = match["num"]
        factor = _SCALE.get((written, unit or written))
        if factor is not None:
            try:
                number = format((Decimal(number) * factor).normalize(), "f")
            except InvalidOperation:
                return value
        return number
    return value


def _cell(value: Any, spec: dict[str, Any], unit: str | None, list_field: bool) -> tuple[str, str | None]:
    """Text for Frictionless, and a problem code when the shape itself is wrong."""
    if value is None:
        return "", None
    if isinstance(value, list):
        if list_field and all(isinstance(v, str) or v is None for v in value):
            return "\n".join(v for v in value if v), None
        return "", "list"
    if isinstance(value, dict):
        return "", "dict"
    if list_field and spec["name"] == "withheld_fields":
        return value, None
    if spec["type"] in ("number", "integer"):
        return normalise_number(value, unit), None
    return value, None


def _split_list(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in re.split(r"[\n;；、,，]", text) if p.strip()]


# ---- casting ------------------------------------------------------------------------------------

def _cast_kind(kind: Kind, raws: list[RawRecord], catalog: Catalog, problems: Problems) -> list[Record]:
    names = kind.field_names
    allowed = set(names) | {"kind"}
    table: list[list[str]] = [names]
    for raw in raws:
        o = raw.origin
        for key in raw.values:
            if key not in allowed:
                close = difflib.get_close_matches(key, names, n=1)
                problems.add("unknown_field", o.file, o.line_of(key), key, name=key,
                             hint=f"是否想写“{close[0]}”？" if close else "", allowed=names)
        if raw.values.get("kind") not in (None, kind.name):
            problems.add("path_mismatch", o.file, o.line_of("kind"), "kind", "记录类别",
                         value=raw.values["kind"], expected=kind.name)
        for key, from_path in (("dept", o.dept), ("year", o.year)):
            if raw.values.get(key) is None:
                raw.values[key] = from_path
            elif str(raw.values[key]).strip() != from_path:
                problems.add("path_mismatch", o.file, o.line_of(key), key, kind.title_of(key),
                             value=raw.values[key], expected=from_path)
        unit = raw.values.get("funds_unit") if isinstance(raw.values.get("funds_unit"), str) else None
        row = []
        for spec in kind.fields:
            text, shape = _cell(raw.values.get(spec["name"]), spec, unit, spec["name"] in catalog.list_fields)
            if shape:
                problems.add("yaml_bad_value", o.file, o.line_of(spec["name"]), spec["name"], spec["title"],
                             expected="单个值" if spec["name"] not in catalog.list_fields else "文字列表",
                             actual="列表" if shape == "list" else "映射")
            row.append(text)
        table.append(row)
    records: list[Record] = []
    for raw, (values, errors) in zip(raws, _frictionless(table, kind.fields), strict=True):
        for spec, code, params in errors:
            problems.add(code, raw.origin.file, raw.origin.line_of(spec["name"]), spec["name"], spec["title"], **params)
        values["withheld_fields"] = _split_list(values.get("withheld_fields"))
        for name in catalog.list_fields:
            if name != "withheld_fields" and values.get(name):
                values[name] = _split_lines(values[name])
        values["confidential"] = bool(values.get("confidential"))
        rows = _cast_rows(kind, raw, catalog, problems)
        records.append(Record(kind.name, values, rows, raw.origin))
    return records


def _split_lines(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _cast_rows(kind: Kind, raw: RawRecord, catalog: Catalog, problems: Problems) -> list[dict[str, Any]]:
    o = raw.origin
    if not raw.rows:
        return []
    if not kind.has_indicators:
        problems.add("indicators_not_allowed", o.file, o.line_of("indicators"), "indicators", "绩效指标",
                     kind_title=kind.title)
        return []
    allowed = catalog.indicator_fields_for(kind)
    specs = catalog.indicator_schema["fields"]
    table: list[list[str]] = [[s["name"] for s in specs]]
    for i, row in enumerate(raw.rows):
        lines = o.row_field_lines[i]
        for key in row:
            if key not in allowed and key != "record_id":
                close = difflib.get_close_matches(key, allowed, n=1)
                problems.add("row_field_not_allowed", o.file, lines.get(key, o.row_lines[i]), key, row=i + 1,
                             name=key, kind_title=kind.title, allowed=[a for a in allowed if a != "record_id"],
                             hint=f"是否想写“{close[0]}”？" if close else "")
        cells = []
        for spec in specs:
            value = raw.values.get("id") if spec["name"] == "record_id" else row.get(spec["name"])
            text, shape = _cell(value, spec, None, False)
            if shape:
                problems.add("yaml_bad_value", o.file, lines.get(spec["name"], o.row_lines[i]), spec["name"],
                             spec["title"], expected="单个值", actual="列表" if shape == "list" else "映射")
            cells.append(text or "")
        table.append(cells)
    out = []
    for i, (values, errors) in enumerate(_frictionless(table, specs)):
        lines = o.row_field_lines[i]
        for spec, code, params in errors:
            if spec["name"] == "record_id":
                continue  # the record's own id problem is reported once, on the record
            problems.add(code, o.file, lines.get(spec["name"], o.row_lines[i]), spec["name"], spec["title"], **params)
        values.pop("record_id", None)
        values["confidential"] = bool(values.get("confidential"))
        out.append(values)
    return out


_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_TYPE_CODES = {"number": "type_number", "integer": "type_integer", "date": "type_date", "boolean": "type_boolean"}
_TYPE_NAMES = {"string": "文字", "number": "数字", "integer": "整数", "date": "日期", "boolean": "是/否"}


def _frictionless(table: list[list[str]], specs: list[dict[str, Any]]):
    """Yield (typed values, [(field spec, problem code, params)]) per data row, in order."""
    by_name = {s["name"]: s for s in specs}
    schema = Schema.from_descriptor({"fields": specs})
    with Resource(data=table, schema=schema) as resource:
        for row in resource.row_stream:
            values = row.to_dict()
            errors = []
            for error in row.errors:
                spec = by_name.get(getattr(error, "field_name", ""), None)
                if spec is None:
                    continue
                cell = getattr(error, "cell", "")
                errors.append((spec, *_explain(error, spec, cell)))
            yield values, errors


def _explain(error: Any, spec: dict[str, Any], cell: str) -> tuple[str, dict[str, Any]]:
    constraints = spec.get("constraints", {})
    if error.type == "type-error":
        code = _TYPE_CODES.get(spec["type"], "type_other")
        return code, {"value": cell, "expected": _TYPE_NAMES.get(spec["type"], spec["type"])}
    match = _CONSTRAINT.search(error.note or "")
    name = match.group(1) if match else ""
    if name == "required":
        return "required", {}
    if name == "enum":
        return "enum", {"value": cell, "allowed": constraints["enum"]}
    if name == "pattern":
        if spec["name"] == "id":
            return "pattern_id", {"value": cell}
        return "pattern", {"value": cell, "expected": spec.get("description") or constraints["pattern"]}
    if name in ("minimum", "maximum"):
        return name, {"value": cell, "limit": constraints[name]}
    if name == "maxLength":
        return "max_length", {"length": len(cell), "limit": constraints["maxLength"]}
    if name == "minLength":
        return "min_length", {"limit": constraints["minLength"]}
    return "type_other", {"value": cell, "expected": error.note}


def _departments(loaded: Loaded, catalog: Catalog, problems: Problems) -> dict[str, dict[str, Any]]:
    specs = catalog.department_schema["fields"]
    names = [s["name"] for s in specs]
    rel = "content/departments.yml"
    table = [names] + [[str(d.get(n) or "") for n in names] for d in loaded.departments]
    out: dict[str, dict[str, Any]] = {}
    for i, (values, errors) in enumerate(_frictionless(table, specs)):
        line = loaded.department_lines[i]
        for key in loaded.departments[i]:
            if key not in names:
                problems.add("unknown_field", rel, line, key, name=key, hint="", allowed=names)
        for spec, code, params in errors:
            problems.add(code, rel, line, spec["name"], spec["title"], **params)
        code = values.get("code")
        if code in out:
            problems.add("duplicate_id", rel, line, "code", "部门代码", value=code, other=rel)
        elif code:
            out[code] = values
    return out
