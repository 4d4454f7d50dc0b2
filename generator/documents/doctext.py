"""The documents attached to records (PDF, DOCX, XLSX, OFD): their type, their text, their metadata.

- Type: by extension and by the file's first bytes (`%PDF-`; a zip for the others, holding
  word/document.xml, xl/workbook.xml or OFD.xml), so a renamed file is caught before it ships.
- Text: pypdf for PDF, the XML of every story for DOCX (docx.py: text boxes, no hidden text),
  openpyxl for XLSX, and for OFD (GB/T 33190, a zip of XML) the `TextCode` elements of its pages.
  `guard_text` adds every XML part of a zip (comments, footnotes, properties, formulas), a DOCX's
  hidden text, customXml data and document variables, and the PDF's properties: the guard reads it all.
- Metadata: `strip` makes the copy that ships, without document properties, and `metadata_left`
  names what a shipped file still carries (per format: pdf.py, docx.py, xlsx.py). The OOXML and OFD
  copies are rewritten part by part at the zip level rather than re-saved by python-docx or openpyxl:
  openpyxl drops charts and images on saving, and both stamp the clock into the zip, which would
  make two builds differ.
- Hidden content: `hidden_content` names a workbook's hidden sheets, rows and columns (refused).

OFD limits: text drawn as glyph indexes without Unicode (rare) is not recoverable, and only the
document's DocInfo is cleaned (OFD has no comments part of its own; annotations are scanned).
"""

from __future__ import annotations

import html
import io
import re
import zipfile

from generator.documents import docx as docx_format
from generator.documents import pdf as pdf_format
from generator.documents import xlsx as xlsx_format

TYPES = ("pdf", "docx", "xlsx", "ofd")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
}
# What the first bytes must be, and for zips the part that tells the formats apart.
MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04", "ofd": b"PK\x03\x04"}
MAGIC_TEXT = {"pdf": "%PDF", "docx": "PK（zip）", "xlsx": "PK（zip）", "ofd": "PK（zip）"}
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "ofd": "OFD.xml"}
# A zip member larger than this is not read into memory for the guard (a zip bomb is not a report).
MAX_PART = 200 * 1024 * 1024
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class DocError(Exception):
    """A document that cannot be read; the message (Chinese) says why."""


def content_matches(data: bytes, kind: str) -> bool:
    """Whether the bytes are a file of `kind` (the magic bytes, and for zips the main part)."""
    if not data.startswith(MAGIC[kind]):
        return False
    if kind == "pdf":
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return MAIN_PART[kind] in z.namelist()
    except zipfile.BadZipFile:
        return False


# ---- text ------------------------------------------------------------------------------------------

def extract_text(data: bytes, kind: str) -> str:
    """The document's readable text, in reading order as far as the format tells it."""
    try:
        return {"pdf": _pdf_text, "docx": _docx_text, "xlsx": _xlsx_text, "ofd": _ofd_text}[kind](data)
    except DocError:
        raise
    except Exception as exc:  # noqa: BLE001 (every parser has its own errors; all mean "unreadable")
        raise DocError(_reason(exc)) from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


def _pdf_reader(data: bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise DocError("文件设有打开密码")
    return reader


def _pdf_text(data: bytes) -> str:
    reader = _pdf_reader(data)
    return "\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()


def _docx_text(data: bytes) -> str:
    return docx_format.text(data)


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[str] = []
    try:
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = ["" if v is None else str(v) for v in row]
                if any(c.strip() for c in cells):
                    lines.append("\t".join(cells).rstrip("\t"))
    finally:
        workbook.close()
    return "\n".join(lines)


_TEXT_CODE = re.compile(r"<(?:\w+:)?TextCode\b[^>]*>(.*?)</(?:\w+:)?TextCode>", re.S)
_PAGE_NUMBER = re.compile(r"(\d+)")


def _ofd_text(data: bytes) -> str:
    parts = _zip_parts(data)
    if "OFD.xml" not in parts:
        raise DocError("文件中没有 OFD.xml")
    pages = sorted((name for name in parts if name.endswith("Content.xml")), key=_natural)
    lines = []
    for name in pages:
        text = "".join(html.unescape(t) for t in _TEXT_CODE.findall(parts[name]))
        if text.strip():
            lines.append(text)
    return "\n".join(lines)


def _natural(name: str) -> list:
    return [int(p) if p.isdigit() else p for p in _PAGE_NUMBER.split(name)]


def _zip_parts(data: bytes) -> dict[str, str]:
    """Every XML part of a zip, as text (entity references resolved)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocError(f"不是有效的 zip 文件（{exc}）") from None
    out = {}
    with z:
        for info in z.infolist():
            if not info.filename.lower().endswith((".xml", ".rels")) or info.file_size > MAX_PART:
                continue
            out[info.filename] = z.read(info).decode("utf-8", errors="ignore")
    return out


def guard_text(data: bytes, kind: str) -> str:
    """All the text the leak guard reads in a document: the readable text, then every XML part of a
    zip (comments, notes, formulas, properties) or the properties of a PDF."""
    chunks = [extract_text(data, kind)]
    if kind == "pdf":
        info = _pdf_reader(data).metadata or {}
        chunks += [str(v) for v in info.values()]
    else:
        if kind == "docx":
            chunks.append(docx_format.guard_text(data))
        chunks += [html.unescape(text) for text in _zip_parts(data).values()]
    return "\n".join(chunks)


def hidden_content(data: bytes, kind: str) -> list[str]:
    """Hidden sheets, rows and columns of a workbook (refused by validation, naming each)."""
    return xlsx_format.hidden(data) if kind == "xlsx" else []


# ---- review marks (validation) -----------------------------------------------------------------------

_TRACKED = re.compile(r"<w:(ins|del|moveFrom|moveTo)\b")


def review_marks(data: bytes, kind: str) -> list[str]:
    """Comments and tracked changes: where drafts and the names of their authors are kept."""
    if kind not in ("docx", "xlsx"):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            found = []
            if kind == "docx":
                if any(n.startswith("word/comments") for n in names):
                    found.append("批注")
                if "word/document.xml" in names and _TRACKED.search(z.read("word/document.xml").decode(
                        "utf-8", errors="ignore")):
                    found.append("修订记录")
            elif any(n.startswith(("xl/comments", "xl/threadedComments")) for n in names):
                found.append("批注")
            return found
    except zipfile.BadZipFile:
        return []


# ---- metadata ----------------------------------------------------------------------------------------

def strip(data: bytes, kind: str) -> bytes:
    """The copy that ships: the same pages and content, no document properties. Deterministic."""
    if kind == "pdf":
        return pdf_format.strip(_pdf_reader(data))
    return _rewrite_zip(data, {"docx": _docx_part, "xlsx": _xlsx_part}.get(kind, _OFD_EDITS))


_CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
         'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
         'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>')
_APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>')
_CUSTOM = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
           'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>')
_THUMBNAIL_REL = re.compile(r"<Relationship\b[^>]*Target=\"/?docProps/thumbnail\.[^\"]*\"[^>]*/>")
_THUMBNAIL_TYPE = re.compile(r"<Override\b[^>]*PartName=\"/docProps/thumbnail\.[^\"]*\"[^>]*/>")
_TEMPLATE_REL = re.compile(r"<Relationship\b[^>]*/attachedTemplate\"[^>]*/>")
_ATTACHED_TEMPLATE = re.compile(r"<w:attachedTemplate\b[^>]*/>")
_PERSON = re.compile(r"<w15:person\b.*?(?:/>|</w15:person>)", re.S)
# Excel keeps the folder the workbook was saved in (C:\Users\<name>\…) and the name of who shares it.
_ABS_PATH = re.compile(r"<mc:AlternateContent\b[^>]*>(?:(?!</mc:AlternateContent>).)*?x15ac:absPath\b.*?"
                       r"</mc:AlternateContent>", re.S)
_SHARING_USER = re.compile(r"(<fileSharing\b[^>]*?)\s+userName=\"[^\"]*\"")


def _ooxml_part(name: str, text: str) -> str | None:
    """The part as it ships, or None to leave it out."""
    if name == "docProps/core.xml":
        return _CORE
    if name == "docProps/app.xml":
        return _APP
    if name == "docProps/custom.xml":
        return _CUSTOM
    if name.startswith("docProps/thumbnail."):
        return None
    if name == "_rels/.rels":
        return _THUMBNAIL_REL.sub("", text)
    if name == "[Content_Types].xml":
        return _THUMBNAIL_TYPE.sub("", text)
    if name == "word/_rels/settings.xml.rels":
        return _TEMPLATE_REL.sub("", text)
    if name == "word/settings.xml":
        return _ATTACHED_TEMPLATE.sub("", text)
    if name == "word/people.xml":
        return _PERSON.sub("", text)
    if name == "xl/workbook.xml":
        return _SHARING_USER.sub(r"\1", _ABS_PATH.sub("", text))
    return text


_OFD_FIELDS = ("Title", "Author", "Subject", "Abstract", "Keywords", "Creator", "CreatorVersion", "CustomDatas",
               "ModDate", "CreationDate", "Cover")
_OFD_FIELD = re.compile(r"<(\w+:)?(" + "|".join(_OFD_FIELDS) + r")\b[^>]*?(?:/>|>.*?</\1?\2>)", re.S)


def _ofd_part(name: str, text: str) -> str | None:
    if name.rsplit("/", 1)[-1] == "OFD.xml":
        return re.sub(r"<((?:\w+:)?DocInfo)\b([^>]*)>(.*?)</\1>",
                      lambda m: f"<{m[1]}{m[2]}>{_OFD_FIELD.sub('', m[3])}</{m[1]}>", text, flags=re.S)
    return text


def _docx_part(name: str, text: str) -> str | None:
    text = _ooxml_part(name, text)
    return None if text is None else docx_format.clean_part(name, text)


def _xlsx_part(name: str, text: str) -> str | None:
    text = _ooxml_part(name, text)
    text = None if text is None else docx_format.clean_part(name, text)  # customXml parts too
    return None if text is None else xlsx_format.clean_part(name, text)


_OFD_EDITS = _ofd_part


def _rewrite_zip(data: bytes, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.is_dir():
                continue
            body = src.read(info)
            if info.filename.endswith((".xml", ".rels")):
                text = edit(info.filename, body.decode("utf-8", errors="surrogateescape"))
                if text is None:
                    continue
                body = text.encode("utf-8", errors="surrogateescape")
            elif edit(info.filename, "") is None:
                continue
            # Fixed times and attributes: the copy depends on the content only.
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


_CORE_FIELDS = ("author", "title", "comments", "subject", "keywords", "last_modified_by", "category",
                "content_status", "identifier", "version")
_XLSX_FIELDS = ("creator", "title", "description", "subject", "keywords", "lastModifiedBy", "category",
                "contentStatus", "identifier", "version")
_APP_FIELDS = re.compile(r"<(Company|Manager|HyperlinkBase|Template)>\s*[^<\s][^<]*</\1>")
_CUSTOM_PROPERTY = re.compile(r"<property\b[^>]*\bname=\"([^\"]*)\"")


def metadata_left(data: bytes, kind: str) -> list[str]:
    """The document properties a file still carries (author, title, comments, custom ones…)."""
    if kind == "pdf":
        reader = _pdf_reader(data)
        left = sorted(str(k).lstrip("/") for k, v in (reader.metadata or {}).items() if str(v).strip())
        if "/Metadata" in reader.trailer["/Root"]:
            left.append("XMP")
        return left + pdf_format.left(reader, data)
    parts = _zip_parts(data)
    if kind == "ofd":
        found = []
        for name, text in parts.items():
            if name.rsplit("/", 1)[-1] == "OFD.xml":
                for m in re.finditer(r"<(?:\w+:)?DocInfo\b[^>]*>(.*?)</(?:\w+:)?DocInfo>", text, re.S):
                    found += [f[2] for f in _OFD_FIELD.finditer(m[1])]
        return sorted(set(found))
    left = _core_left(data, kind)
    left += _APP_FIELDS.findall(parts.get("docProps/app.xml", ""))
    left += [f"custom:{n}" for n in _CUSTOM_PROPERTY.findall(parts.get("docProps/custom.xml", ""))]
    left += [n for n in parts if n.startswith("docProps/thumbnail.")]
    return left + (docx_format.left(data) if kind == "docx" else xlsx_format.left(data))


def _core_left(data: bytes, kind: str) -> list[str]:
    if kind == "docx":
        import docx

        props = docx.Document(io.BytesIO(data)).core_properties
        return [name for name in _CORE_FIELDS if str(getattr(props, name) or "").strip()]
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        props = workbook.properties
        # openpyxl fills in "openpyxl" as the creator of a workbook whose core properties are empty.
        return [name for name in _XLSX_FIELDS if str(getattr(props, name, None) or "").strip()
                and not (name == "creator" and props.creator == "openpyxl" and _bare_core(data))]
    finally:
        workbook.close()


def _bare_core(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        try:
            core = z.read("docProps/core.xml").decode("utf-8", errors="ignore")
        except KeyError:
            return True
    return "creator" not in core

