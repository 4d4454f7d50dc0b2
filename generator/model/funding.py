"""Funding tables as forms print them: which column a printed label is, and what a row label is.

The vocabulary is kinds.yml `funding`; this module only reads it. A table is held as written
(caption, unit, printed column labels, rows of printed cells); the keys are worked out when needed.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

# A bracketed unit or formula, a circled number and what follows it (④=①+②+③), 'N月' periods.
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")
_CIRCLED = re.compile(r"[①-⑳].*$")
_EMPTY_MARKS = ("", "/", "-", "—", "——", "－", "\\")


def clean_label(label: str) -> str:
    """`年度预算数(万元)` → `年度预算数`; `小计 ④ = ①+② +③` → `小计`; spaces and widths do not count."""
    # Circled numbers first: NFKC would turn ③ into 3.
    text = _CIRCLED.sub("", str(label or ""))
    text = "".join(unicodedata.normalize("NFKC", text).split())
    text = _BRACKETS.sub("", text)
    return text.rstrip(":：")


_INDEX: dict[int, tuple[dict[str, Any], dict[str, str], list[tuple[str, str]]]] = {}


def _index(config: dict[str, Any]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(cleaned label → key, [(cleaned label, key)] longest first) of the config's columns, worked out once:
    a sheet asks for thousands of cells' keys."""
    cached = _INDEX.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1], cached[2]
    exact: dict[str, str] = {}
    suffixes: list[tuple[str, str]] = []
    for key, labels in (config.get("columns") or {}).items():
        for x in labels:
            known = clean_label(x)
            exact.setdefault(known, key)
            if len(known) >= 2:
                suffixes.append((known, key))
    suffixes.sort(key=lambda item: -len(item[0]))  # stable: the first declared wins among equals
    if len(_INDEX) > 8:
        _INDEX.clear()
    _INDEX[id(config)] = (config, exact, suffixes)
    return exact, suffixes


def column_key(label: str, config: dict[str, Any], first: bool = False) -> str | None:
    """The column key of a printed label, or None. An unlabelled or unknown first column is the source."""
    text = clean_label(label)
    exact, suffixes = _index(config)
    if text in exact:
        return exact[text]
    # 1-6月执行数, 2020年实际执行数: a label ending in a known one; the longest known label wins.
    for known, key in suffixes:
        if text.endswith(known):
            return key
    return "source" if first else None


def column_keys(columns: list[str], config: dict[str, Any]) -> list[str | None]:
    keys: list[str | None] = []
    for i, label in enumerate(columns):
        key = column_key(label, config, first=(i == 0 or (i == 1 and keys[0] == "group")))
        if key is None and not clean_label(label) and "amount" not in keys:
            key = "amount"  # label/value lines (年度本级预算金额: 250万) print no heading over the values
        if key == "source" and "source" in keys:
            key = column_key(label, config) if column_key(label, config) != "source" else None
        keys.append(key)
    return keys


def row_label(label: str) -> str:
    """`其中:当年财政拨款` → `当年财政拨款`; `①中央及省级财政资金` → `中央及省级财政资金`."""
    text = re.sub(r"^[①-⑳]", "", "".join(str(label or "").split()))
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"^其中[:：]?", "", text)
    return text.rstrip(":：")


def row_role(label: str, config: dict[str, Any]) -> str:
    """total, subtotal, expenditure (基本/项目支出: a second split of the same total) or part."""
    text = row_label(label)
    if text in (row_label(x) for x in config.get("totals") or []):
        return "total"
    if text.endswith("小计"):
        return "subtotal"
    if text in (config.get("expenditure") or []):
        return "expenditure"
    return "part"


def source_name(label: str, config: dict[str, Any]) -> str | None:
    """The official source name (财政拨款, 上年结转 …) a printed row label stands for, or None."""
    text = row_label(label)
    for name, variants in (config.get("sources") or {}).items():
        if text in variants:
            return name
    return None


def is_empty(cell: Any) -> bool:
    return cell is None or str(cell).strip() in _EMPTY_MARKS


def number(cell: Any) -> Decimal | None:
    """A printed amount, rate or score as a number: `100.00%` → 100, `250万` → 250, `10分` → 10;
    None when empty, `/`, or not a number (see `is_number`)."""
    if is_empty(cell):
        return None
    text = unicodedata.normalize("NFKC", str(cell)).strip().replace(",", "")
    text = re.sub(r"(%|万元|万|元|分)$", "", text)
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def is_number(cell: Any) -> bool:
    return is_empty(cell) or number(cell) is not None


def default_columns(kind_name: str, config: dict[str, Any], period: str = "") -> list[str]:
    labels = (config.get("labels") or {}).get(kind_name) or ["资金来源", "金额"]
    return [x.replace("{period}", period or "1–N月") for x in labels]


def keyed_rows(table: dict[str, Any], config: dict[str, Any]) -> list[dict[str, Any]]:
    """The table's rows as {key: cell} (unknown columns left out), with `_label` the source as printed."""
    keys = column_keys(table.get("columns") or [], config)
    out = []
    for row in table.get("rows") or []:
        values = {k: c for k, c in zip(keys, row, strict=False) if k}
        values["_label"] = values.get("source") or ""
        out.append(values)
    return out


def total_row(tables: list[dict[str, Any]], config: dict[str, Any]) -> dict[str, Any] | None:
    """The first table's total row ({key: cell}), or None."""
    for table in tables[:1]:
        for row in keyed_rows(table, config):
            if row_role(row["_label"], config) == "total":
                return row
    return None
