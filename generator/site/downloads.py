"""Downloads for people: CSV that Excel on Chinese Windows opens correctly (UTF-8 with a byte-order
mark), amounts in one unit per column in bulk files, and each bulk table also as an .xlsx workbook
(Chinese headers with units, frozen header row, sensible widths, one sheet for the records and one
for their indicator rows).

Every text cell is written with `write_string`, never as a formula: a value such as `=HYPERLINK(…)`
typed into a record reaches the workbook as the text it is (the workbook is also opened with
strings_to_formulas off, so nothing is parsed from text).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

BOM = "\ufeff"
WIDTH_SAMPLE_ROWS = 500
FIXED_TIME = datetime(2000, 1, 1)  # workbook creation time: builds of one commit stay byte-identical


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """CSV with a byte-order mark: without one, Excel on Chinese Windows reads UTF-8 as GBK (mojibake)."""
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_text(csv_text(header, rows), encoding="utf-8")


def header_title(spec: dict[str, Any], unit: str | None = None) -> str:
    """The column's Chinese title, with the unit where the column holds amounts."""
    title = spec.get("title") or spec["name"]
    return f"{title}（{unit}）" if unit and unit not in title else title


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[list[Any]]


def _width(value: Any) -> int:
    """Display width in Excel's character units: a CJK character counts two."""
    text = str(value) if value is not None else ""
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in longest)


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False, "constant_memory": False})
    workbook.set_properties({"created": FIXED_TIME})
    head = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2F2F2",
                                "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    number = workbook.add_format({"valign": "top", "num_format": "#,##0.00##"})
    for sheet in sheets:
        ws = workbook.add_worksheet(sheet.name)
        widths = [_width(h) for h in sheet.header]
        for col, title in enumerate(sheet.header):
            ws.write_string(0, col, title, head)
        for r, row in enumerate(sheet.rows, start=1):
            # Column widths from the first rows: measuring every cell of a 10,000-row sheet cost more
            # than writing it, and a width is a reading aid, not data.
            measure = r <= WIDTH_SAMPLE_ROWS
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_string(r, col, "是" if value else "否", wrap)
                elif isinstance(value, (int, float, Decimal)):
                    ws.write_number(r, col, float(value), number)
                elif isinstance(value, (date, datetime)):
                    ws.write_string(r, col, value.isoformat(), wrap)
                elif isinstance(value, list):
                    ws.write_string(r, col, "\n".join(str(v) for v in value), wrap)
                else:
                    ws.write_string(r, col, str(value), wrap)
                if measure:
                    widths[col] = max(widths[col], _width(value))
        for col, w in enumerate(widths):
            ws.set_column(col, col, min(max(w + 2, 8), 50))
        ws.freeze_panes(1, 0)
        if sheet.header:
            ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.header) - 1)
    workbook.close()
