"""Departments (content/departments.yml): how a department is named on pages and reports, and the
lenient read the editor tools use before a site validates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEPARTMENTS_FILE = "content/departments.yml"


def full_name(departments: dict[str, dict[str, Any]], code: str) -> str:
    d = departments.get(code) or {}
    return d.get("name") or code


def short_name(departments: dict[str, dict[str, Any]], code: str) -> str:
    """The name tables and charts use: the short name, else the full name, else the code."""
    d = departments.get(code) or {}
    return d.get("short_name") or d.get("name") or code


def read_departments(root: Path) -> list[dict[str, Any]] | None:
    """The entries as written, for `disclose new` and `disclose import` (validation reads them
    properly, with line numbers); None when the file is missing or cannot be read."""
    try:
        data = yaml.safe_load((root / DEPARTMENTS_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else None
