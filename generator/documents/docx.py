"""Word (DOCX) documents: the text a reader sees, everything the guard must read, and the clean copy.

Text is read from the XML, paragraph by paragraph, in every story of the document (headers, body,
footnotes, endnotes, footers) and inside text boxes: python-docx does not see text boxes, and the raw
XML splits a phrase over runs (`<w:t>边境</w:t></w:r><w:r><w:t>防火</w:t>`), so neither would find a
secret written there. Hidden text (`w:vanish`) is not shown, not on the text page and not in the
shipped copy; the guard still reads it in the original. `customXml` parts (data bound to content
controls) and document variables (`w:docVars`) are read by the guard and never shipped.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _R, _T, _TAB, _BR = (f"{{{W}}}{t}" for t in ("p", "r", "t", "tab", "br"))
_VANISH = f"{{{W}}}rPr/{{{W}}}vanish"
_STORIES = re.compile(r"^word/(header\d*|document|footnotes|endnotes|footer\d*)\.xml$")
_STORY_ORDER = {"header": 0, "document": 1, "footnotes": 2, "endnotes": 3, "footer": 4}
_GUARD_PARTS = re.compile(r"^word/(header\d*|document|footnotes|endnotes|footer\d*|comments\w*)\.xml$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _hidden(run: etree._Element) -> bool:
    vanish = run.find(_VANISH)
    return vanish is not None and vanish.get(f"{{{W}}}val", "true") not in ("0", "false", "off")


def paragraphs(xml: bytes, hidden: bool = False) -> list[str]:
    """Each paragraph's text (text boxes are paragraphs of their own), without hidden runs unless asked."""
    root = etree.fromstring(xml, _PARSER)
    text: dict[etree._Element, list[str]] = {}
    for el in root.iter(_T, _TAB, _BR):
        run = next(el.iterancestors(_R), None)
        if run is not None and _hidden(run) and not hidden:
            continue
        para = next(el.iterancestors(_P), None)
        if para is None:
            continue
        piece = (el.text or "") if el.tag == _T else "\t" if el.tag == _TAB else "\n"
        text.setdefault(para, []).append(piece)
    return ["".join(parts) for parts in text.values()]


def _stories(z: zipfile.ZipFile, pattern: re.Pattern) -> list[str]:
    names = [n for n in z.namelist() if pattern.match(n)]
    return sorted(names, key=lambda n: (_STORY_ORDER.get(re.sub(r"\d+$", "", n[5:-4]), 5), n))


def text(data: bytes) -> str:
    """What a reader sees: every story's visible paragraphs."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        lines = [p for name in _stories(z, _STORIES) for p in paragraphs(z.read(name))]
    return "\n".join(line for line in lines if line.strip())


def guard_text(data: bytes) -> str:
    """Everything a secret could hide in: hidden runs, comments, customXml data, document variables."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in _stories(z, _GUARD_PARTS):
            out += paragraphs(z.read(name), hidden=True)
        for name in z.namelist():
            if name.startswith("customXml/") and name.endswith(".xml"):
                out.append("".join(etree.fromstring(z.read(name), _PARSER).itertext()))
        if "word/settings.xml" in z.namelist():
            out += doc_vars(z.read("word/settings.xml"))
    return "\n".join(out)


def doc_vars(settings: bytes) -> list[str]:
    root = etree.fromstring(settings, _PARSER)
    return [v.get(f"{{{W}}}val", "") for v in root.iter(f"{{{W}}}docVar")]


def without_hidden(name: str, xml: str) -> str:
    """A story without its hidden runs (unchanged, byte for byte, when it has none)."""
    if not _STORIES.match(name) or "vanish" not in xml:
        return xml
    root = etree.fromstring(xml.encode("utf-8", errors="surrogateescape"), _PARSER)
    runs = [r for r in root.iter(_R) if _hidden(r)]
    if not runs:
        return xml
    for run in runs:
        run.getparent().remove(run)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")


_DOC_VARS = re.compile(r"<w:docVars\b.*?</w:docVars>|<w:docVars\s*/>", re.S)
_CUSTOM_XML_REL = re.compile(r"<Relationship\b[^>]*Target=\"[^\"]*customXml/[^\"]*\"[^>]*/>")
_CUSTOM_XML_TYPE = re.compile(r"<Override\b[^>]*PartName=\"/customXml/[^\"]*\"[^>]*/>")


def clean_part(name: str, xml: str) -> str | None:
    """A DOCX (or XLSX) part as it ships: None leaves it out."""
    if name.startswith("customXml/"):
        return None
    if name == "word/settings.xml":
        xml = _DOC_VARS.sub("", xml)
    if name.endswith(".rels"):
        xml = _CUSTOM_XML_REL.sub("", xml)
    if name == "[Content_Types].xml":
        xml = _CUSTOM_XML_TYPE.sub("", xml)
    return without_hidden(name, xml)


def left(data: bytes) -> list[str]:
    """What a shipped DOCX must not carry: customXml, document variables, hidden text."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        if any(n.startswith("customXml/") for n in names):
            found.append("customXml")
        if "word/settings.xml" in names and doc_vars(z.read("word/settings.xml")):
            found.append("文档变量（docVars）")
        for name in _stories(z, _STORIES):
            root = etree.fromstring(z.read(name), _PARSER)
            if any(_hidden(r) for r in root.iter(_R)):
                found.append("隐藏文字")
                break
    return found
