"""Stage 2, validate: cast every value with the Frictionless schemas, then apply the rules a table
schema cannot say (`rules.py`). Every problem is collected; nothing stops at the first one.

Casting is column by column over one table per kind for the records and one per kind for all their
indicator rows (never one per record: a site holds hundreds of thousands of rows), using each
Frictionless field's own cell reader once per distinct cell value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from typing import Any

from generator.model.catalog import Catalog, Kind
from generator.model.config import Limits
from generator.model.records import Loaded, RawRecord, Record
from generator.problems import Problems, titled
from generator.problems.hints import did_you_mean
from generator.problems.problem import capped
from generator.secrecy.quotes import check_quotes
from generator.source.attachments import check_attachments
from generator.source.cast import cast_columns, cast_table
from generator.source.load import paused_gc
from generator.source.numbers import money_unit, normalise_number, parse_decimal
from generator.source.rules import check_rules
from generator.source.structures import normalise as normalise_structure


@dataclass
class Validated:
    records: list[Record]
    departments: dict[str, dict[str, Any]]
    problems: Problems
    catalog: Catalog


def validate(loaded: Loaded, catalog: Catalog, min_length: int = 4) -> Validated:
    """`min_length`: guard.min_length, the shortest piece of a secret a public value may not quote."""
    with paused_gc():
        return _validate(loaded, catalog, min_length)


def _validate(loaded: Loaded, catalog: Catalog, min_length: int) -> Validated:
    problems = Problems(loaded.problems)
    departments = _departments(loaded, catalog, problems)
    by_kind: dict[str, list[RawRecord]] = {}
    for raw in loaded.records:
        by_kind.setdefault(raw.kind, []).append(raw)
    records: list[Record] = []
    rejected: dict[int, set[str]] = {}
    for name, raws in by_kind.items():
        records.extend(_cast_kind(catalog.kinds[name], raws, catalog, problems, rejected))
    limits = loaded.limits or Limits()
    _amount_bounds(records, catalog, limits.max_amount, problems, rejected)
    check_rules(records, departments, catalog, problems, rejected)
    check_attachments(records, loaded.root, loaded.attachments, catalog, problems)
    if not problems.errors:
        # Quotes of a secret in public values: only on valid records, as redaction will see them.
        check_quotes(records, catalog, departments, loaded.root, min_length, problems)
    records.sort(key=lambda r: (r.fields.get("dept") or "", r.fields.get("year") or 0, r.kind, r.id or ""))
    return Validated(records, departments, capped(problems, limits.max_problems_per_file), catalog)


def _amount_bounds(records: list[Record], catalog: Catalog, max_amount: float, problems: Problems,
                   rejected: dict[int, set[str]]) -> None:
    """An amount above the configured bound (in 元, after the record's unit) is a typing mistake."""
    bound = Decimal(str(max_amount))
    for r in records:
        kind = catalog.kinds[r.kind]
        factor = Decimal(10000) if r.fields.get("funds_unit") == "万元" else Decimal(1)
        for spec in kind.fields:
            value = r.fields.get(spec["name"])
            if spec.get("x-unit-field") and isinstance(value, Decimal) and abs(value * factor) > bound:
                unit = r.fields.get("funds_unit") or "元"
                problems.add("amount_too_large", r.origin.file, r.origin.line_of(spec["name"]), spec["name"],
                             spec["title"], value=f"{value}{unit}", yuan=f"{(value * factor).normalize():,f}",
                             limit=f"{bound.normalize():,f}")
                rejected.setdefault(id(r), set()).add(spec["name"])


# ---- preparing values for Frictionless ----------------------------------------------------------

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
        return normalise_number(value, unit, money=bool(spec.get("x-unit-field"))), None
    return value, None


def _split_list(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in re.split(r"[\n;；、,，]", text) if p.strip()]


def _split_lines(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _shape_text(shape: str) -> str:
    return "列表" if shape == "list" else "映射"


_hint = did_you_mean


# ---- records ------------------------------------------------------------------------------------

def _record_unit(kind: Kind, values: dict[str, Any], filled: dict[str, Any]) -> str | None:
    """The record's funds_unit; when it is left out but amounts say 万元 or 元, the first one written."""
    unit = values.get("funds_unit")
    if isinstance(unit, str):
        return unit.strip()
    if unit is not None or "funds_unit" not in kind.by_name:
        return None
    for spec in kind.fields:
        value = values.get(spec["name"])
        if spec.get("x-unit-field") and isinstance(value, str) and money_unit(value):
            filled["funds_unit"] = money_unit(value)
            return filled["funds_unit"]
    return None


def _check_keys(kind: Kind, raw: RawRecord, problems: Problems) -> dict[str, Any]:
    """Problems of the record's keys; the values its folder gives where it leaves them out."""
    filled: dict[str, Any] = {}
    o = raw.origin
    names = kind.field_names
    for key in [k for k in raw.values if k not in kind.by_name and k != "kind"]:
        problems.add("unknown_field", o.file, o.line_of(key), key, name=key, hint=_hint(key, names, kind.title_of),
                     allowed=titled(names, kind.title_of))
    if raw.values.get("kind") not in (None, kind.name):
        problems.add("path_mismatch", o.file, o.line_of("kind"), "kind", "记录类别",
                     value=raw.values["kind"], expected=kind.name)
    for key, from_path in (("dept", o.dept), ("year", o.year)):
        value = raw.values.get(key)
        if value is None:
            filled[key] = from_path
        elif not isinstance(value, str) or unicodedata.normalize("NFKC", value).strip() != from_path:
            problems.add("path_mismatch", o.file, o.line_of(key), key, kind.title_of(key),
                         value=value, expected=from_path)
    return filled


def _cast_kind(kind: Kind, raws: list[RawRecord], catalog: Catalog, problems: Problems,
               rejected: dict[int, set[str]]) -> list[Record]:
    """The kind's records, typed; `rejected` gets, by id(record), the fields whose value was refused."""
    table: list[list[str | None]] = []
    invalid: list[set[str]] = [set() for _ in raws]
    structured: list[dict[str, Any]] = []
    for raw, bad in zip(raws, invalid, strict=True):
        o = raw.origin
        filled = _check_keys(kind, raw, problems)
        unit = _record_unit(kind, raw.values, filled)
        row: list[str | None] = []
        held: dict[str, Any] = {}
        structured.append(held)
        for spec in kind.fields:
            if spec.get("x-structure"):
                held[spec["name"]], detail = normalise_structure(spec, raw.values.get(spec["name"]), catalog)
                if detail:
                    problems.add("structure_bad", o.file, o.line_of(spec["name"]), spec["name"], spec["title"],
                                 detail=detail)
                    bad.add(spec["name"])
                row.append(None)
                continue
            is_list = spec["name"] in catalog.list_fields
            name = spec["name"]
            text, shape = _cell(filled[name] if name in filled else raw.values.get(name), spec, unit, is_list)
            if shape:
                problems.add("yaml_bad_value", o.file, o.line_of(spec["name"]), spec["name"], spec["title"],
                             expected="文字列表" if is_list else "单个值", actual=_shape_text(shape))
                bad.add(spec["name"])
            row.append(text or None)
        table.append(row)
    rows, errors = cast_table(table, kind.fields)
    for index, spec, code, params in errors:
        o = raws[index].origin
        if code == "required" and spec["name"] in invalid[index]:
            continue  # the value is there, written as a list or mapping: already said
        problems.add(code, o.file, o.line_of(spec["name"]), spec["name"], spec["title"], **params)
        if code != "required":
            invalid[index].add(spec["name"])
    records: list[Record] = []
    for raw, values, held in zip(raws, rows, structured, strict=True):
        values.update(held)
        values["withheld_fields"] = _split_list(values.get("withheld_fields"))
        for name in catalog.list_fields:
            if name != "withheld_fields" and values.get(name):
                values[name] = _split_lines(values[name])
        values["confidential"] = bool(values.get("confidential"))
        records.append(Record(kind.name, values, [], raw.origin))
    for record, bad in zip(records, invalid, strict=True):
        if bad:
            rejected[id(record)] = bad
    for record, record_rows in zip(records, _cast_rows(kind, raws, catalog, problems), strict=True):
        record.rows = record_rows
    return records


# ---- indicator rows -----------------------------------------------------------------------------

# Indicator cells that hold a number when the indicator is quantitative, written plainly when they do
# (a qualitative value that happens to parse as a number, like １２, loses nothing by it).
_QUANTITIES = ("target", "actual", "expected")


def _cast_rows(kind: Kind, raws: list[RawRecord], catalog: Catalog, problems: Problems) -> list[list[dict]]:
    """Every indicator row of every record of `kind`, cast as one table."""
    out: list[list[dict[str, Any]]] = [[] for _ in raws]
    # Ownership is structural (the record holding the rows), so record_id is not cast again here.
    specs = [s for s in catalog.indicator_schema["fields"] if s["name"] != "record_id"]
    names = [s["name"] for s in specs]
    titles = {s["name"]: s["title"] for s in specs}
    allowed_list = [n for n in catalog.indicator_fields_for(kind) if n != "record_id"]
    row_title = {s["name"]: s.get("title") for s in specs}.get
    allowed = set(allowed_list)
    rows: list[dict[str, Any]] = []
    owners: list[tuple[int, int]] = []
    misshapen: dict[int, set[str]] = {}
    for ri, raw in enumerate(raws):
        if not raw.rows:
            continue
        o = raw.origin
        if not kind.has_indicators:
            problems.add("indicators_not_allowed", o.file, o.line_of("indicators"), "indicators", "绩效指标",
                         kind_title=kind.title)
            continue
        from_csv = bool(o.rows_file)  # CSV cells are text, never lists or mappings; columns are checked below
        for i, row in enumerate(raw.rows):
            if not from_csv:
                for key in sorted(row.keys() - allowed - {"record_id"}):
                    if _filled(row[key]):
                        _not_allowed(kind, o, i, key, allowed_list, problems, row_title)
                bad = _misshapen(row, o, i, titles, problems)
                row = split_points(row)
                if bad:
                    misshapen[len(rows)] = bad
                    row = {k: (None if k in bad else v) for k, v in row.items()}
            if from_csv:
                row = split_points(row)
            rows.append(row)
            owners.append((ri, i))
    if not owners:
        return out
    columns = [list(map(dict.get, rows, repeat(name))) for name in names]
    # The typed rows replace the raw ones: keeping both would double the memory of a large table.
    del rows
    for raw in raws:
        raw.rows = []
    # CSV columns the kind does not use: checked by column, since nearly always every cell is empty.
    for key, column in zip(names, columns, strict=True):
        if key in allowed or not any(map(_filled, set(column))):
            continue
        for (ri, i), cell in zip(owners, column, strict=True):
            if raws[ri].origin.rows_file and _filled(cell):
                _not_allowed(kind, raws[ri].origin, i, key, allowed_list, problems, row_title)
    typed, errors = cast_columns(columns, specs, normalise=_normalise_cell)
    for index, spec, code, params in errors:
        if code == "required" and spec["name"] in misshapen.get(index, ()):
            continue  # the value is there, written as a list or mapping: already said
        ri, i = owners[index]
        o = raws[ri].origin
        problems.add(code, o.row_file, o.row_field_lines[i].get(spec["name"], o.row_lines[i]), spec["name"],
                     spec["title"], **params)
    for (ri, _), values in zip(owners, typed, strict=True):
        values["confidential"] = bool(values["confidential"])
        out[ri].append(values)
    return out


def _not_allowed(kind: Kind, o: Any, i: int, key: str, allowed: list[str], problems: Problems,
                 title_of: Callable[[str], str | None]) -> None:
    problems.add("row_field_not_allowed", o.row_file, o.row_field_lines[i].get(key, o.row_lines[i]), key, row=i + 1,
                 name=key, kind_title=kind.title, allowed=titled(allowed, title_of), hint=_hint(key, allowed, title_of))


def _filled(value: Any) -> bool:
    return value is not None and (value.__class__ is not str or bool(value.strip()))


def _misshapen(row: dict[str, Any], o: Any, i: int, titles: dict[str, str], problems: Problems) -> set[str]:
    """Report list or mapping values in a YAML row; the names of those fields."""
    bad = set()
    for key, value in row.items():
        if value is not None and value.__class__ is not str:
            bad.add(key)
            problems.add("yaml_bad_value", o.row_file, o.row_field_lines[i].get(key, o.row_lines[i]), key,
                         titles.get(key, ""), expected="单个值",
                         actual=_shape_text("list" if isinstance(value, list) else "dict"))
    return bad


def _normalise_cell(spec: dict[str, Any], cell: str | None) -> str | None:
    if cell is None:
        return None
    if spec["type"] in ("number", "integer"):
        return normalise_number(cell, money=False)
    if spec["name"] in _QUANTITIES:
        return quantity_text(cell)
    if spec["name"] == "operator":
        return unicodedata.normalize("NFKC", cell).strip()  # ﹦ as some forms print it is =
    return cell


# 产出指标（50分）, 产出 指标 (60分), 成本指标(0-20)分: the points printed with a level-1 name.
_POINTS = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<points>\d+(?:\.\d+)?(?:\s*[-－–~～]\s*\d+(?:\.\d+)?)?)"
                     r"\s*(?:分)?\s*[)）]\s*(?:分)?\s*$")


def split_points(row: dict[str, Any]) -> dict[str, Any]:
    """A row whose 一级指标 carries its section points, with the points as data (level1_points)."""
    level1 = row.get("level1")
    if level1.__class__ is not str:
        return row
    match = _POINTS.match(level1)
    if not match or row.get("level1_points") not in (None, ""):
        return row
    points = re.sub(r"\s|[－–~～]", lambda m: "" if m.group().isspace() else "-", match["points"])
    return {**row, "level1": match["name"].strip(), "level1_points": points}


_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def quantity_text(written: str) -> str:
    """`１,２００` → `1200`, `９５％` → `95%`: an indicator value that is a number, written plainly.
    Text that is not a number (a qualitative target such as 有效避免) stays as written."""
    if _PLAIN_NUMBER.match(written):
        return written
    number = parse_decimal(written)
    if number is None:
        return written
    text = format(number, "f")
    return text + "%" if written.rstrip().endswith(("%", "％")) else text


# ---- departments --------------------------------------------------------------------------------

def _departments(loaded: Loaded, catalog: Catalog, problems: Problems) -> dict[str, dict[str, Any]]:
    specs = catalog.department_schema["fields"]
    names = [s["name"] for s in specs]
    titles = {s["name"]: s["title"] for s in specs}
    rel = "content/departments.yml"
    table: list[list[str | None]] = []
    for i, d in enumerate(loaded.departments):
        line = loaded.department_lines[i]
        for key in d:
            if key not in titles:
                problems.add("unknown_field", rel, line, key, name=key, hint=_hint(key, names, titles.get),
                             allowed=titled(names, titles.get))
        row: list[str | None] = []
        for spec in specs:
            text, shape = _cell(d.get(spec["name"]), spec, None, False)
            if shape:
                problems.add("yaml_bad_value", rel, line, spec["name"], spec["title"], expected="单个值",
                             actual=_shape_text(shape))
            row.append(text or None)
        table.append(row)
    rows, errors = cast_table(table, specs)
    for index, spec, code, params in errors:
        problems.add(code, rel, loaded.department_lines[index], spec["name"], spec["title"], **params)
    out: dict[str, dict[str, Any]] = {}
    first: dict[str, int] = {}
    for line, values in zip(loaded.department_lines, rows, strict=True):
        code = values.get("code")
        if code in out:
            problems.add("duplicate_dept", rel, line, "code", titles["code"], value=code, other=f"{rel}:{first[code]}")
        elif code:
            out[code], first[code] = values, line
    return out
