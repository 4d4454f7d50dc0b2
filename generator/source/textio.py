"""Decoding editors' files: UTF-8 (with or without BOM) first, then whatever charset-normalizer finds.

Excel on Chinese Windows saves CSV as GBK/GB18030; we read it correctly and say so.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

# GB2312 and GBK are subsets of GB18030: decoding with the superset never loses a character.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "gb18030"}


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Return (text, encoding) where encoding is None for UTF-8 and the detected name otherwise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"  # Excel's "Unicode text"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    # Chinese spreadsheets are the usual non-UTF-8 case; try GB18030 strictly before guessing.
    try:
        text = data.decode("gb18030")
        if "\x00" not in text:
            return text, "GB18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None, None
    encoding = _SUPERSETS.get(best.encoding.lower(), best.encoding)
    try:
        return data.decode(encoding), encoding.upper()
    except (UnicodeDecodeError, LookupError):
        return None, None
