"""Excel (XLSX) workbooks: hidden content is refused, links outside the workbook do not ship.

Hidden sheets, rows and columns are how a published spreadsheet leaks: they are still in the file,
one right-click away. Validation refuses them, naming each, rather than unhiding or deleting them
(which would change what the department approved). Comments are refused as review marks. The copy
that ships has no external links (xl/externalLinks, which hold another workbook's path and cached
values) and no defined names pointing outside the workbook.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(r"([\w:]+)=\"([^\"]*)\"")
_REL = re.compile(r"<Relationship\b([^>]*)/?>")
_HIDDEN_ROW = re.compile(r"<(?:\w+:)?row\b[^>]*\bhidden=\"(?:1|true)\"[^>]*>")
_HIDDEN_COL = re.compile(r"<(?:\w+:)?col\b[^>]*\bhidden=\"(?:1|true)\"[^>]*/?>")


def _attrs(text: str) -> dict[str, str]:
    return dict(_ATTR.findall(text))


def column_name(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def hidden(data: bytes) -> list[str]:
    """Hidden sheets, rows and columns, named as Excel shows them."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        workbook = z.read("xl/workbook.xml").decode("utf-8", errors="ignore")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", errors="ignore") \
            if "xl/_rels/workbook.xml.rels" in names else ""
        targets = {a.get("Id"): a.get("Target", "") for a in map(_attrs, _REL.findall(rels))}
        for sheet in map(_attrs, _SHEET.findall(workbook)):
            title = sheet.get("name", "")
            if sheet.get("state") in ("hidden", "veryHidden"):
                found.append(f"隐藏工作表“{title}”")
            target = targets.get(sheet.get("r:id", ""), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            if part not in names:
                continue
            xml = z.read(part).decode("utf-8", errors="ignore")
            rows = [_attrs(m.group())["r"] for m in _HIDDEN_ROW.finditer(xml) if "r" in _attrs(m.group())]
            if rows:
                found.append(f"工作表“{title}”的隐藏行 {'、'.join(rows)}")
            cols = []
            for m in _HIDDEN_COL.finditer(xml):
                a = _attrs(m.group())
                lo, hi = int(a.get("min", "0")), int(a.get("max", "0"))
                cols.append(column_name(lo) if lo == hi else f"{column_name(lo)}–{column_name(min(hi, 16384))}")
            if cols:
                found.append(f"工作表“{title}”的隐藏列 {'、'.join(cols)}")
    return found


_EXTERNAL_REL = re.compile(r"<Relationship\b[^>]*Type=\"[^\"]*/externalLink\"[^>]*/>")
_EXTERNAL_TYPE = re.compile(r"<Override\b[^>]*PartName=\"/xl/externalLinks/[^\"]*\"[^>]*/>")
_EXTERNAL_REFS = re.compile(r"<(?:\w+:)?externalReferences\b.*?</(?:\w+:)?externalReferences>|"
                            r"<(?:\w+:)?externalReferences\s*/>", re.S)
_DEFINED_NAME = re.compile(r"<(?:\w+:)?definedName\b[^>]*>(.*?)</(?:\w+:)?definedName>", re.S)


def _outside(formula: str) -> bool:
    """A defined name referring to another workbook ([1]Sheet!A1, 'C:\\path\\[book.xlsx]Sheet'!A1) or a URL."""
    return "[" in formula or "://" in formula or "\\" in formula


def clean_part(name: str, xml: str) -> str | None:
    if name.startswith("xl/externalLinks/"):
        return None
    if name == "xl/_rels/workbook.xml.rels":
        return _EXTERNAL_REL.sub("", xml)
    if name == "[Content_Types].xml":
        return _EXTERNAL_TYPE.sub("", xml)
    if name == "xl/workbook.xml":
        xml = _EXTERNAL_REFS.sub("", xml)
        xml = _DEFINED_NAME.sub(lambda m: "" if _outside(m[1]) else m[0], xml)
        return re.sub(r"<(?:\w+:)?definedNames>\s*</(?:\w+:)?definedNames>", "", xml)
    return xml


def left(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        found = ["外部链接（externalLinks）"] if any(n.startswith("xl/externalLinks/") for n in names) else []
        workbook = z.read("xl/workbook.xml").decode("utf-8", errors="ignore") if "xl/workbook.xml" in names else ""
    if any(_outside(m) for m in _DEFINED_NAME.findall(workbook)):
        found.append("指向外部的定义名称")
    return found
