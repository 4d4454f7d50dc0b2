"""Reading editors' text files: within the size limit, decoded UTF-8 (with or without BOM) first, then
whatever charset-normalizer finds.

Excel on Chinese Windows saves CSV as GBK/GB18030; we read it correctly and say so.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from generator.model.formatting import size_text
from generator.problems import Problems

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


def read_text(path: Path, rel: str, problems: Problems, max_file_mb: float) -> str | None:
    """The file's text; None (with the problem said) when too large, unreadable, undecodable or empty."""
    size = path.stat().st_size
    if size > max_file_mb * 1024 * 1024:
        problems.add("file_too_large", rel, size=size_text(size), limit=size_text(max_file_mb * 1024 * 1024))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add("file_unreadable", rel, detail=exc.strerror or str(exc))
        return None
    text, encoding = decode(data)
    if text is None:
        problems.add("encoding_unknown", rel)
        return None
    if encoding:
        problems.add("encoding_converted", rel, encoding=encoding)
    if not text.strip():
        problems.add("file_empty", rel)
        return None
    return text
