"""The arithmetic a record's form implies, declared once in `schemas/kinds.yml` and read by validation
(every equation must hold) and by redaction (no withheld value may be solvable from what is published).

Each kind declares its equations in one of these forms (members are field names, `rows.<column>` for
the sum of an indicator column over all rows, or a number):

    sums:      - {total: funds_total, parts: [funds_fiscal, funds_carryover, funds_other]}
    ratios:    - {ratio: execution_rate, numerator: spent, denominator: budget_full_year}   # × 100
    grade_field / score_field: the grade follows from the score by the catalog's `grades` bands
    equations: - {sum: [execution_score, rows.score], equals: score, tolerance: 0.01}
               - {sum: [execution_weight, rows.weight], equals: 100}
               - {product: [execution_rate, execution_weight], scale: 0.01, equals: execution_score}

`sum`, `ratio` and `product` equations can be solved for any one unknown member; `bands` only from
the score to the grade (a grade gives a range of scores, not a score). A missing part of a `sums`
shorthand counts as 0 (as validation adds it); any other missing member, or any missing member of an
`equations:` entry, makes the equation moot for that record (a form filled in part is not checked).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

Member = str | Decimal
COLUMN = "rows."
SUM_TOLERANCE = Decimal("0.005")
RATE_TOLERANCE = Decimal("0.06")  # a rate written with one decimal place, rounded


@dataclass(frozen=True)
class Equation:
    form: str  # sum | ratio | product | bands
    result: Member
    operands: tuple[Member, ...]
    scale: Decimal = Decimal(1)
    tolerance: Decimal = SUM_TOLERANCE
    declared: bool = False  # from `equations:` (validated by the general rule), not a shorthand

    @property
    def members(self) -> tuple[Member, ...]:
        return (self.result, *self.operands)

    @property
    def solvable_for_any(self) -> bool:
        return self.form != "bands"

    def compute(self, value: Any) -> Decimal | None:
        """The result from the operands (`value(member)` gives a member's Decimal or None)."""
        ops = [value(m) for m in self.operands]
        if self.form == "sum" and not self.declared:
            if all(v is None for v in ops):
                return None
            return sum((v or Decimal(0) for v in ops), Decimal(0)) * self.scale
        if any(v is None for v in ops):
            return None
        if self.form == "sum":
            return sum(ops, Decimal(0)) * self.scale
        if self.form == "ratio":
            return ops[0] / ops[1] * self.scale if ops[1] else None
        if self.form == "product":
            out = self.scale
            for v in ops:
                out *= v
            return out
        return None


def is_column(member: Member) -> bool:
    return isinstance(member, str) and member.startswith(COLUMN)


def column(member: str) -> str:
    return member[len(COLUMN):]


def _member(raw: Any) -> Member:
    if isinstance(raw, bool):
        raise ValueError(f"等式成员不能是 {raw!r}")
    if isinstance(raw, (int, float)):
        return Decimal(str(raw))
    if not isinstance(raw, str) or not raw:
        raise ValueError(f"等式成员应为字段名、rows.<列名> 或数字，实际为 {raw!r}")
    return raw


def _decimal(raw: Any, default: Decimal) -> Decimal:
    if raw is None:
        return default
    try:
        return Decimal(str(raw))
    except InvalidOperation as exc:
        raise ValueError(f"应为数字，实际为 {raw!r}") from exc


def parse(entry: dict[str, Any]) -> Equation:
    """One `equations:` entry of kinds.yml."""
    if not isinstance(entry, dict) or "equals" not in entry:
        raise ValueError("每个等式应写为 {sum: [...], equals: 字段} 或 {product: [...], equals: 字段}")
    forms = [f for f in ("sum", "product") if f in entry]
    if len(forms) != 1 or not isinstance(entry[forms[0]], list) or not entry[forms[0]]:
        raise ValueError("每个等式须有且只有一个 sum 或 product 列表")
    return Equation(forms[0], _member(entry["equals"]), tuple(_member(m) for m in entry[forms[0]]),
                    _decimal(entry.get("scale"), Decimal(1)), _decimal(entry.get("tolerance"), SUM_TOLERANCE),
                    declared=True)


def of_kind(sums: Iterable[dict[str, Any]], ratios: Iterable[dict[str, Any]], grade_field: str | None,
            score_field: str | None, declared: Iterable[Equation]) -> list[Equation]:
    """Every equation of a kind, the shorthands first."""
    out = [Equation("sum", g["total"], tuple(g["parts"])) for g in sums]
    out += [Equation("ratio", g["ratio"], (g["numerator"], g["denominator"]), Decimal(100), RATE_TOLERANCE)
            for g in ratios]
    if grade_field and score_field:
        out.append(Equation("bands", grade_field, (score_field,)))
    return out + list(declared)


# ---- values of a record ------------------------------------------------------------------------------

def number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None


def values_of(fields: dict[str, Any], rows: list[dict[str, Any]]):
    """A member's value over a record's fields and all its rows (a column: the sum of its numbers)."""
    def value(member: Member) -> Decimal | None:
        if isinstance(member, Decimal):
            return member
        if is_column(member):
            cells = [number(row.get(column(member))) for row in rows]
            cells = [c for c in cells if c is not None]
            return sum(cells, Decimal(0)) if cells else None
        return number(fields.get(member))
    return value


# ---- redaction ---------------------------------------------------------------------------------------

def closure(equations: list[Equation], fields: dict[str, Any], rows: list[dict[str, Any]],
            hidden: set[str], hidden_rows: set[int]) -> tuple[set[str], set[str]]:
    """The fields and indicator columns to withhold so that no equation has exactly one unknown.

    Unknowns are withheld fields, and the cells a confidential row or a withheld column hides. When an
    equation has one, the first member in declared order that still shows something is withheld too
    (the total first: a confidential row leaves no trace in published totals). Columns are withheld
    from every public row. Repeats until nothing changes.
    """
    fields_out, columns_out = set(hidden), set()

    def present(member: Member, eq: Equation, is_result: bool) -> bool:
        if isinstance(member, Decimal):
            return True
        if is_column(member):
            return any(row.get(column(member)) not in (None, "") for row in rows)
        filled = fields.get(member) not in (None, "")
        return filled or (eq.form == "sum" and not is_result and not eq.declared)  # a missing part is 0

    changed = True
    while changed:
        changed = False
        for eq in equations:
            if not all(present(m, eq, i == 0) for i, m in enumerate(eq.members)):
                continue
            unknown, showing = 0, []
            for m in eq.members:
                if isinstance(m, Decimal):
                    continue
                if is_column(m):
                    name = column(m)
                    filled = [i for i, row in enumerate(rows) if row.get(name) not in (None, "")]
                    secret = [i for i in filled if i in hidden_rows or name in columns_out]
                    unknown += len(secret)
                    if len(secret) < len(filled):
                        showing.append(m)
                elif m in fields_out:
                    unknown += fields.get(m) not in (None, "")
                elif fields.get(m) not in (None, ""):
                    showing.append(m)
            if not eq.solvable_for_any:
                # A grade follows from the score: a withheld grade needs the score withheld.
                grade, score = eq.result, eq.operands[0]
                if grade in fields_out and score in showing:
                    fields_out.add(score)
                    changed = True
                continue
            if unknown == 1 and showing:
                extra = showing[0]
                (columns_out if is_column(extra) else fields_out).add(column(extra) if is_column(extra) else extra)
                changed = True
    return fields_out, columns_out
