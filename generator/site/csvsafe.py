"""CSV cells that a spreadsheet would run as a formula are neutralised (OWASP "CSV injection").

Excel, WPS and LibreOffice treat a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula: `=HYPERLINK("http://…"&A1,"点击查看")` in a summary would become a live link when a citizen opens
the bulk CSV. Such a cell gets a leading `'`, which spreadsheets show as text and do not display; a
plain number (`-12.5`) is left as it is, so numbers stay numbers. Only the CSV downloads are changed:
the JSON keeps the true value. `opendata` passes every cell of every CSV through `cell()`.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
NOTE = ("CSV 文件中以 =、+、-、@、制表符或回车开头的文字（纯数字除外）前加了英文单引号 '，以免电子表格软件"
        "把它当作公式执行；JSON 文件中为原值。")


def cell(text: str) -> str:
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def schema_field(field: dict[str, Any]) -> dict[str, Any]:
    """A Table Schema field as the neutralised CSV holds it: an allowed value such as the operator `=`
    is also allowed as `'=`, and a maximum length has room for the quote, so the download still validates."""
    constraints = dict(field.get("constraints") or {})
    if field.get("type", "string") != "string" or not constraints:
        return field
    if "enum" in constraints:
        enum = list(constraints["enum"])
        constraints["enum"] = enum + [cell(v) for v in enum if isinstance(v, str) and cell(v) != v]
    if "maxLength" in constraints:
        constraints["maxLength"] += 1
    return {**field, "constraints": constraints}
