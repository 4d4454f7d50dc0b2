"""Whitespace out of generated HTML: the theme's templates indent every tag, which is a fifth of a
record page. Runs of whitespace that hold a line break become one line break — still whitespace to
a browser, so nothing renders differently — except inside elements where whitespace is content
(`pre`, `textarea`) or code (`script`, `style`), which are kept byte for byte.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")


def compact_html(text: str) -> str:
    parts = _KEEP.split(text)
    # re.split with two groups gives [text, kept element, tag name, text, kept element, tag name, …, text]
    out = []
    for i in range(0, len(parts), 3):
        out.append(_BREAK.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)
