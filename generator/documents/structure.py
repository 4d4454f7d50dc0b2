"""An attachment's text with its structure, for its text page: headings, paragraphs, list items and
tables in reading order (Word by paragraph style and numbering, Excel by sheet). PDF and OFD text has
no reliable structure: it stays one paragraph per line. Whatever cannot be read structurally falls
back to those lines, so a page never loses text that the search and the leak guard have seen."""

from __future__ import annotations

import io
import re
from typing import Any

Block = dict[str, Any]  # {"kind": "h"|"p"|"li"|"table", "text": str, "level": int, "rows": [[str]]}
_HEADING = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.I)
MAX_CELLS = 20_000  # a huge sheet is listed as lines, not as a table nobody can read


def lines(text: str) -> list[Block]:
    return [{"kind": "p", "text": line.strip()} for line in text.splitlines() if line.strip()]


def blocks(data: bytes, kind: str, text: str) -> list[Block]:
    try:
        if kind == "docx":
            out = _docx(data)
        elif kind == "xlsx":
            out = _xlsx(data)
        else:
            return lines(text)
    except Exception:  # noqa: BLE001 (any reader error: the plain lines are still right)
        return lines(text)
    return out or lines(text)


def _level(style: str) -> int | None:
    if style in ("Title", "标题"):
        return 1
    m = _HEADING.match(style.strip())
    return int(m.group(1)) if m else None


def _docx(data: bytes) -> list[Block]:
    import docx
    from docx.table import Table

    out: list[Block] = []
    for item in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(item, Table):
            rows = [_dedupe_merged(row) for row in item.rows]
            if rows:
                out.append({"kind": "table", "rows": rows})
            continue
        text = item.text.strip()
        if not text:
            continue
        style = item.style.name if item.style is not None else ""
        level = _level(style)
        numbered = item._p.pPr is not None and item._p.pPr.numPr is not None
        if level is not None:
            out.append({"kind": "h", "level": level, "text": text})
        elif numbered or style.startswith(("List", "列表")):
            out.append({"kind": "li", "text": text})
        else:
            out.append({"kind": "p", "text": text})
    return out


def _dedupe_merged(row) -> list[str]:
    """A merged cell appears once per grid column it spans: keep it once."""
    cells: list[str] = []
    seen: list[Any] = []
    for cell in row.cells:
        if any(cell._tc is tc for tc in seen):
            continue
        seen.append(cell._tc)
        cells.append(cell.text.strip())
    return cells


def _xlsx(data: bytes) -> list[Block]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out: list[Block] = []
    try:
        for sheet in workbook.worksheets:
            rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            rows = [r for r in rows if any(c.strip() for c in r)]
            out.append({"kind": "h", "level": 1, "text": sheet.title})
            if sum(len(r) for r in rows) > MAX_CELLS:
                out += [{"kind": "p", "text": "\t".join(r).rstrip()} for r in rows]
            elif rows:
                width = max(len(r) for r in rows)
                out.append({"kind": "table", "rows": [r + [""] * (width - len(r)) for r in rows]})
    finally:
        workbook.close()
    return out
