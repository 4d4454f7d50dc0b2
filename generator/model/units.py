"""Amounts in one unit: the bulk downloads print every amount in 万元, the unit of the published forms.

Defined once here because two stages need the same arithmetic: the downloads convert with it, and the
leak guard must know that a public amount filed in 元 is also published as its 万元 value (a withheld
number equal to that value is then chance, not a leak).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

BULK_UNIT = "万元"  # the unit of the published forms; 元 amounts are divided by 10,000
TO_BULK = {"万元": Decimal(1), "元": Decimal("0.0001")}
UNIT_FIELD = "funds_unit"


def amount_fields(columns: list[dict[str, Any]]) -> set[str]:
    return {c["name"] for c in columns if c.get("x-unit-field") == UNIT_FIELD}


def in_bulk_unit(fields: dict[str, Any], amounts: set[str] | frozenset[str]) -> dict[str, Any]:
    """The record's fields with every amount in 万元 and funds_unit saying so; other fields as they are.
    A record without a unit keeps its numbers (the unit is unknown, so nothing is converted) and an
    empty unit cell, so a reader sees which rows could not be normalised."""
    unit = fields.get(UNIT_FIELD)
    factor = TO_BULK.get(unit or "")
    if factor is None or not amounts:
        return fields
    out = dict(fields)
    for name in amounts:
        value = out.get(name)
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            out[name] = (Decimal(str(value)) * factor).normalize()
    out[UNIT_FIELD] = BULK_UNIT
    return out
