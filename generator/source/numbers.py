"""Numbers as editors write them: full-width digits, thousands separators, a trailing %, and for
amounts a 元/万元 suffix. One home for reading them (validation, the rules, the Excel import).

Numbers are finite, plain and at most 15 significant digits. Frictionless and Decimal accept `Infinity`,
`NaN`, `1e400` and `1e-400`: the JSON download would then hold `Infinity` (not JSON) and the page a
400-digit number. Editors write amounts and quantities as plain decimals; anything else is refused with
the usual "not a number" message, and more than 15 significant digits (beyond what a spreadsheet or a
JSON reader keeps exactly) with its own.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

# A thousands separator sits between a digit and exactly three digits (so `1,2345` stays an error).
_GROUP = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_MONEY_SUFFIX = re.compile(r"^(?P<num>[-+]?[\d.]+)\s*(?P<unit>万元|万|元)$")
_SCALE = {("万元", "元"): Decimal(10000), ("元", "万元"): Decimal("0.0001")}


def _plain_number(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    return _GROUP.sub("", value).rstrip("%")


def money_unit(text: str) -> str | None:
    """The unit an amount is written with (`1,250万元` → 万元), or None."""
    match = _MONEY_SUFFIX.match(_plain_number(text))
    if not match:
        return None
    return "万元" if match["unit"] in ("万元", "万") else "元"


def normalise_number(text: str, unit: str | None = None, money: bool = True) -> str:
    """'１,２５０.５万元' → '12505000' when the record's unit is 元; full-width digits, thousands
    separators, a trailing % and (for amounts, `money`) the 元/万元 suffix are what editors actually type."""
    value = _plain_number(text)
    match = _MONEY_SUFFIX.match(value) if money else None
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


_PLAIN = re.compile(r"-?\d+(\.\d+)?\Z")
PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
MAX_DIGITS = 15


def digits(text: str) -> int:
    """Significant digits of a plain decimal: leading zeros do not count, every other digit does."""
    return len(re.sub(r"\D", "", text).lstrip("0")) or 1


def problem(text: str) -> str | None:
    """None for an acceptable plain decimal; `type` when it is not one; `digits` when it has too many."""
    text = text.strip()
    if not PLAIN.match(text):
        return "type"
    if digits(text) > MAX_DIGITS:
        return "digits"
    return None


def plain_decimal(text: str) -> Decimal | None:
    return Decimal(text.strip()) if problem(text) is None else None


def parse_decimal(text: Any) -> Decimal | None:
    """A number as editors write it (full-width digits, thousands separators, a trailing %), or None.
    Only plain decimals: Decimal would also take Infinity, NaN and 1e400 (a 400-digit number on the page)."""
    if isinstance(text, (int, float, Decimal)):
        return Decimal(str(text)) if Decimal(str(text)).is_finite() else None
    if isinstance(text, str) and _PLAIN.match(text) and digits(text) <= MAX_DIGITS:
        return Decimal(text)
    value = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").rstrip("%")
    return plain_decimal(value)
