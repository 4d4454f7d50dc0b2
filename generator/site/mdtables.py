"""Markdown extension for the prose pages: their tables get header scopes and a caption.

Generated pages write their tables as HTML with <caption> and `scope` (GB/T 37668); a Markdown
table in a prose page (`templates/pages/`) has neither. This gives every header cell `scope="col"`
and names the table after the section it stands in, in a caption screen readers announce.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _TableCaptions(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        heading = ""
        for el in list(root):
            if el.tag in HEADINGS:
                heading = "".join(el.itertext()).strip()
            elif el.tag == "table":
                self._fix(el, heading)

    @staticmethod
    def _fix(table: etree.Element, heading: str) -> None:
        for th in table.iter("th"):
            th.set("scope", "col")
        if heading and table.find("caption") is None:
            caption = etree.Element("caption", {"class": "dc-sr-only"})
            caption.text = heading
            table.insert(0, caption)


class TableCaptionExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After the tables extension has built the table (priority below its block parser's output).
        md.treeprocessors.register(_TableCaptions(md), "dc_table_captions", 5)


def makeExtension(**kwargs) -> TableCaptionExtension:  # noqa: N802 - the name Markdown looks for
    return TableCaptionExtension(**kwargs)
