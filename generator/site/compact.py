"""Whitespace out of generated HTML: the theme's templates indent every tag, which is a fifth of a
record page. Runs of whitespace that hold a line break become one line break — still whitespace to
a browser, so nothing renders differently — except inside elements where whitespace is content
(`pre`, `textarea`) or code (`script`, `style`), which are kept byte for byte. A line break beside
the tag of an element that is a block (a `div`, `p`, table row or cell, a `meta` in the head) goes
too: whitespace at the edge of a block is never drawn. Inline and inline-block elements (`a`,
`span`, `li`, which the theme's tabs show inline) and lists (the breadcrumbs' list is inline) keep
theirs, where a break still reads as a space.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")
# Elements no style sheet of the site shows inline.
_BLOCKS = ("html|head|body|meta|link|script|title|div|nav|header|footer|main|section|article|aside|"
           "table|thead|tbody|tr|td|th|caption|h[1-6]|p")
_BESIDE_BLOCK = re.compile(rf"(</?(?:{_BLOCKS})\b[^<>]*>)\n|\n(?=</?(?:{_BLOCKS})\b)", re.I)


def compact_html(text: str) -> str:
    parts = _KEEP.split(text)
    # re.split with two groups gives [text, kept element, tag name, text, kept element, tag name, …, text]
    out = []
    for i in range(0, len(parts), 3):
        out.append(_BESIDE_BLOCK.sub(r"\1", _BREAK.sub("\n", parts[i])))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)
