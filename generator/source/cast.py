"""Casting tables with Frictionless: each field's own cell reader (type, format, constraints), run
column by column, and its notes turned into problem codes of `messages.py`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from frictionless import Schema

from generator.source import numbers

_TYPE_CODES = {"number": "type_number", "integer": "type_integer", "date": "type_date", "boolean": "type_boolean"}
_TYPE_NAMES = {"string": "文字", "number": "数字", "integer": "整数", "date": "日期", "boolean": "是/否"}
_Error = tuple[int, dict[str, Any], str, dict[str, Any]]


def cast_table(table: list[list[str | None]], specs: list[dict[str, Any]],
               normalise: Any = None) -> tuple[list[dict[str, Any]], list[_Error]]:
    """Cast rows of text cells (None = empty) with Frictionless' own cell readers for `specs`: see
    `cast_columns`."""
    columns = [list(c) for c in zip(*table, strict=True)] if table else [[] for _ in specs]
    return cast_columns(columns, specs, normalise)


def cast_columns(columns: list[list[str | None]], specs: list[dict[str, Any]],
                 normalise: Any = None) -> tuple[list[dict[str, Any]], list[_Error]]:
    """Cast a table given column by column (one list per spec, None = empty).

    Returns one dict of typed values per row, and (row index, field spec, problem code, params) per
    problem. A Frictionless cell reader is a pure function of the cell (type, format, constraints), so
    each column reads each distinct value once: a 200,000-row indicator table has a few thousand
    distinct cells. Uniqueness across rows is the rules' business (ids across the site), not the table's.
    """
    fields = Schema.from_descriptor({"fields": specs}).fields
    names = [s["name"] for s in specs]
    typed: list[list[Any]] = []
    errors: list[_Error] = []
    for spec, field, column in zip(specs, fields, columns, strict=True):
        reader = field.create_cell_reader()
        read = {}
        numeric = spec["type"] in ("number", "integer")
        for cell in set(column):
            text = cell if cell is None or cell.strip() else None  # an all-space cell is an empty one
            text = normalise(spec, text) if normalise else text
            # Frictionless reads Infinity, NaN and 1e400 as numbers; a disclosure never has them.
            wrong = numeric and text is not None and numbers.problem(text)
            read[cell] = (None, [wrong]) if wrong else reader(text)
        typed.append(list(map({cell: value for cell, (value, _) in read.items()}.__getitem__, column)))
        bad = {cell: notes for cell, (_, notes) in read.items() if notes}
        if bad:
            for index, cell in enumerate(column):
                if cell in bad:
                    for note in bad[cell]:
                        errors.append((index, spec, *_explain(note, spec, cell)))
    rows = [dict(zip(names, values, strict=True)) for values in zip(*typed, strict=True)] if typed else []
    return rows, errors


def cast_by_row(table: list[list[Any]], specs: list[dict[str, Any]]
                  ) -> Iterator[tuple[dict[str, Any], list[tuple[dict[str, Any], str, dict[str, Any]]]]]:
    """(typed values, [(field spec, code, params)]) per data row of `table`, whose first row is the
    header: for small tables whose problems are reported row by row (the register)."""
    rows, errors = cast_table([list(r) for r in table[1:]], specs)
    per_row: list[list[tuple[dict[str, Any], str, dict[str, Any]]]] = [[] for _ in rows]
    for index, spec, code, params in errors:
        per_row[index].append((spec, code, params))
    yield from zip(rows, per_row, strict=True)


def _explain(note: str, spec: dict[str, Any], cell: str | None) -> tuple[str, dict[str, Any]]:
    """A Frictionless note key (`type` or the constraint's name) as a problem code and its params."""
    constraints = spec.get("constraints", {})
    cell = "" if cell is None else str(cell)
    if note == "digits":
        return "number_too_many_digits", {"value": cell, "digits": numbers.digits(cell), "limit": numbers.MAX_DIGITS}
    if note == "type":
        code = _TYPE_CODES.get(spec["type"], "type_other")
        return code, {"value": cell, "expected": _TYPE_NAMES.get(spec["type"], spec["type"])}
    if note == "required":
        return "required", {}
    if note == "enum":
        return "enum", {"value": cell, "allowed": constraints["enum"]}
    if note == "pattern":
        if spec["name"] == "id":
            return "pattern_id", {"value": cell}
        return "pattern", {"value": cell, "expected": (spec.get("description") or constraints["pattern"]).rstrip("。")}
    if note in ("minimum", "maximum"):
        return note, {"value": cell, "limit": constraints[note]}
    if note == "maxLength":
        return "max_length", {"length": len(cell), "limit": constraints["maxLength"]}
    if note == "minLength":
        return "min_length", {"limit": constraints["minLength"]}
    return "type_other", {"value": cell, "expected": f"{note}: {constraints.get(note)}"}
