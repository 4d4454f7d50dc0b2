"""Shared by the import tests: run `disclose import`, read what it wrote, and the two checks every
imported record must pass — each value comes from a cell of the sheet (nothing invented), and no value
is one of the form's headings (no label imported as a value)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from generator.build import read_site
from generator.cli import main
from generator.editor.xlsx_labels import is_label
from generator.editor.xlsx_layouts import OPERATOR_WORDS, TOTALS, Grid, norm
from generator.model.catalog import load_catalog

# Made by the importer itself: identity (id, title from the project or department name, dept code, year),
# the form family (variant, eval_type from the sheet's title) and the funds unit (from 单位：万元).
GENERATED = ("id", "title", "dept", "year", "variant", "eval_type", "funds_unit")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def imported(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def errors_in(root: Path) -> list[str]:
    return [p.render() for p in read_site(root).problems.errors]


def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def sheet_texts(book: Path, sheet: str | None = None) -> list[str]:
    """Every filled cell's text as the importer reads it (numbers as typed, percentages as 95%)."""
    wb = load_workbook(book, data_only=True)
    sheets = [wb[sheet]] if sheet else wb.worksheets
    return [_flat(c.text) for ws in sheets for c in Grid.read(ws).filled()]


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}[{i}]")]
    return [(path, value)]


def assert_nothing_invented(record: dict, book: Path, sheet: str | None = None) -> None:
    """Every value of the record (but the importer's own identity fields) is printed in a cell of the sheet;
    an operator only where the sheet prints it or a word for it (≥ for 不低于)."""
    texts = sheet_texts(book, sheet)
    invented = []
    for path, value in _leaves({k: v for k, v in record.items() if k not in GENERATED}):
        if value in (None, ""):
            continue
        if isinstance(value, float):
            value = Decimal(str(value))
        text = _flat(format(value.normalize(), "f") if isinstance(value, Decimal) else str(value))
        if path.endswith(".operator"):
            words = [w for w, op in OPERATOR_WORDS.items() if op == value]
            if not any(_flat(w) in t for w in words for t in texts):
                invented.append((path, value))
        elif not any(text in t for t in texts):
            invented.append((path, value))
    assert invented == [], f"values not on the sheet: {invented}"


def assert_no_label_imported(record: dict) -> None:
    catalog = load_catalog()
    labels = [(path, v) for path, v in _leaves(record) if isinstance(v, str) and is_label(v, catalog)]
    # A funding table's own row labels and column headings are labels by nature; they are what it prints.
    # So are the fields that keep the form's own label for a value (dept_label: 部门(单位)名称), and the
    # 合计 line a 年度主要任务 table prints.
    labels = [(path, v) for path, v in labels if not path.startswith("funding") and not path.endswith("_label")
              and not (path.startswith("duties") and norm(v) in TOTALS)]
    assert labels == [], f"labels imported as values: {labels}"
