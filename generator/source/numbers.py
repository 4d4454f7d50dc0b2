"""Numbers are finite, plain and at most 15 significant digits.

Frictionless and Decimal accept `Infinity`, `NaN`, `1e400` and `1e-400`: the JSON download would then
hold `Infinity` (not JSON) and the page a 400-digit number. Editors write amounts and quantities as
plain decimals; anything else is refused with the usual "not a number" message, and more than 15
significant digits (beyond what a spreadsheet or a JSON reader keeps exactly) with its own.
"""

from __future__ import annotations

import re
from decimal import Decimal

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
