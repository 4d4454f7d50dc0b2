"""PDF documents: the clean copy and what a shipped copy must not carry.

The copy is written afresh from the pages alone: earlier revisions kept by incremental updates, the
document catalog's embedded files, JavaScript and open actions, the form (AcroForm) and the XMP
metadata are not reachable from the pages and so are not written. On the pages themselves every
annotation (notes, form widgets, links with actions, file attachments) and every page action is
removed.
"""

from __future__ import annotations

import io
from typing import Any

_PAGE_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/Annots")
_CATALOG_KEYS = {"/Names": "嵌入文件或脚本（Names）", "/OpenAction": "打开动作（OpenAction）",
                 "/AcroForm": "表单域（AcroForm）", "/AA": "文档动作（AA）"}


def strip(reader: Any) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    for page in reader.pages:
        # Off the (in-memory) page before it is copied: what it no longer points to is never written.
        for key in _PAGE_KEYS:
            if NameObject(key) in page:
                del page[NameObject(key)]
        writer.add_page(page)
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def left(reader: Any, data: bytes) -> list[str]:
    """Active or hidden content a shipped PDF still has (besides its Info properties). A second
    cross-reference section means an incremental update: the earlier revision is still in the file
    (the copies written here never have one; a linearised original may, and is rewritten anyway)."""
    root = reader.trailer["/Root"]
    found = [label for key, label in _CATALOG_KEYS.items() if key in root]
    if any("/Annots" in page for page in reader.pages):
        found.append("注释或表单控件（Annots）")
    if any("/AA" in page for page in reader.pages):
        found.append("页面动作（AA）")
    if data.count(b"startxref") > 1:
        found.append("增量更新的早期版本")
    return found
