"""The department a sheet names (主管部门, 预算部门, 部门(单位)名称 …) matched to `departments.yml`: by code,
full name or short name, else by a close name (a typo, 局 for 厅)."""

from __future__ import annotations

import re
from typing import Any

from generator.editor.xlsx_layouts import norm


def find_dept(text: str, departments: list[dict[str, Any]]) -> str | None:
    """The registered department a 主管部门 cell names: by code, full name or short name; the longest match wins."""
    key = norm(text)
    if not key:
        return None
    best: tuple[int, str] | None = None
    for d in departments:
        for name in (d.get("name"), d.get("short_name"), d.get("code")):
            if name and norm(name) and norm(name) in key and (best is None or len(norm(name)) > best[0]):
                best = (len(norm(name)), str(d.get("code")))
    return best[1] if best else None


def strip_code(text: str) -> str:
    """`内蒙古自治区教育厅（101）`, `219-池州市贵池区棠溪镇人民政府` → the name alone."""
    text = re.sub(r"[（(]\s*[0-9A-Za-z-]+\s*[)）]\s*$", "", text.strip())
    return re.sub(r"^[0-9A-Za-z]+\s*[-－]\s*", "", text).strip()


def close_dept(text: str, departments: list[dict[str, Any]]) -> str | None:
    """A registered department whose full or short name is close to the one on the form (a typo, 局 for
    厅, a missing 自治区): the best match at 80 % similarity or more."""
    import difflib

    key = norm(strip_code(text))
    best: tuple[float, str] | None = None
    for d in departments:
        for name in (d.get("name"), d.get("short_name")):
            if not name:
                continue
            ratio = difflib.SequenceMatcher(None, key, norm(name)).ratio()
            if ratio >= 0.8 and (best is None or ratio > best[0]):
                best = (ratio, str(d.get("code")))
    return best[1] if best else None
