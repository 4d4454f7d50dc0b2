"""One normalisation for secrets and output: whatever a secret or a page is written with, both are
read through `fold()` before they are compared, so a character that looks like nothing, or like
another, cannot hide a leak.

fold(text):
  1. NFKC: full-width letters and digits, compatibility ideographs (U+F900…), Kangxi radicals
     (⽕ U+2F55 → 火, ⼼ U+2F3C → 心), the two CJK radicals supplement characters with a
     decomposition, ligatures, circled and super/subscript digits, the ideographic space.
  2. The few radicals NFKC leaves alone but that read as a common ideograph (RADICALS below).
  3. Every default-ignorable and format character removed (soft hyphen U+00AD, zero-width space,
     joiners, word joiner, invisible operators U+2061–2064, Mongolian vowel separator U+180E,
     variation selectors U+FE00–FE0F and U+E0100…, BOM, bidirectional controls, tags).
  4. Every whitespace character removed (spaces of every width, U+3000, line breaks): a space typed
     inside a secret, or put between words by a search indexer, cannot split it. Between two numbers
     the space stays a boundary (NUMBER_GAP): two table cells 91 and 89 do not read as 91.89.

Phone and ID-like numbers are compared by their digits alone (`digits_key`), whatever separators
(hyphens, dots, slashes, brackets, spaces) the page writes between them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import ahocorasick_rs

# CJK radicals (U+2E80 block) without a compatibility decomposition, shown by fonts exactly like the
# ideograph; the common ones an editor's input method produces. (The Kangxi block U+2F00 is NFKC's.)
RADICALS = {
    "\u2e84": "乙", "\u2e85": "亻", "\u2e86": "冂", "\u2e8c": "小", "\u2e8d": "小", "\u2e8e": "兀",
    "\u2e8f": "尣", "\u2e90": "尢", "\u2e96": "忄", "\u2e97": "心", "\u2e98": "扌", "\u2e99": "攵",
    "\u2e9b": "旡", "\u2e9d": "月", "\u2e9e": "歹", "\u2ea0": "民", "\u2ea3": "灬", "\u2ea4": "爫",
    "\u2ea5": "爫", "\u2ea6": "丬", "\u2ea7": "牛", "\u2ea8": "犭", "\u2eaa": "疋", "\u2eab": "罒",
    "\u2eac": "示", "\u2ead": "礻", "\u2eb2": "罒", "\u2eb3": "罓", "\u2eb9": "耂", "\u2ebc": "月",
    "\u2ebe": "艹", "\u2ebf": "艹", "\u2ec0": "艹", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角",
    "\u2ec8": "讠", "\u2ec9": "贝", "\u2ecb": "车", "\u2ecc": "辶", "\u2ecd": "辶", "\u2ecf": "阝",
    "\u2ed0": "钅", "\u2ed1": "长", "\u2ed2": "长", "\u2ed4": "门", "\u2ed6": "阝", "\u2ed7": "雨",
    "\u2ed8": "青", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee0": "饣", "\u2ee3": "骨",
    "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄",
    "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯", "\u2eee": "齿", "\u2eef": "竜",
    "\u2ef0": "龙", "\u2ef1": "龜", "\u2ef2": "亀",
}

# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt), plus every format (Cf)
# character: none of them is visible, so none may stand between the characters of a secret.
_IGNORABLE_RANGES = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]


def _drop_table() -> dict[int, None]:
    drop: dict[int, None] = {}
    for lo, hi in _IGNORABLE_RANGES:
        drop.update(dict.fromkeys(range(lo, hi + 1)))
    for cp in range(0x10000):  # Cf and whitespace outside the ranges above live in the BMP
        ch = chr(cp)
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            drop[cp] = None
    return drop


_TABLE: dict[int, str | None] = {**_drop_table(), **{ord(k): v for k, v in RADICALS.items()}}
# The same without whitespace: invisible characters go first, so that a space between two numbers
# is seen as one even with a zero-width space beside it (Pagefind writes "91.\u200b 89").
_INVISIBLE: dict[int, str | None] = {k: v for k, v in _TABLE.items() if not chr(k).isspace()}


# Space between two numbers stays a boundary (U+0001): "91 89" in two table cells is not 91.89 or 9189.
NUMBER_GAP = "\x01"
_GAP = re.compile(r"(?<=[0-9.,%])\s+(?=[0-9])")
_GAP_BYTES = re.compile(rb"(?<=[0-9.,%])(?:[ \t\n\r\f\v\x1c-\x1f]|\xe3\x80\x80)+(?=[0-9])")
_ANY_SPACE = re.compile(r"\s")


def fold(text: str) -> str:
    """The one form secrets and output are compared in (see the module docstring)."""
    if text.isascii():
        if not _ANY_SPACE.search(text):
            return text
        return "".join(_GAP.sub(NUMBER_GAP, text).split())
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = "".join(_GAP.sub(NUMBER_GAP, text).split())
    # Removing an invisible character can join two characters NFKC composes (e + U+00AD + ◌́).
    return unicodedata.normalize("NFKC", text)


# ---- output bytes ------------------------------------------------------------------------------------
# Folding a whole site character by character in Python costs seconds per 100 MB, so the bytes take a
# fast path: ASCII whitespace is deleted with bytes.translate, Pagefind's zero-width spaces and the
# fullwidth punctuation every Chinese page is full of are replaced as bytes, and only a file that still
# holds a character fold() would change (found by one Aho-Corasick pass over the bytes) is decoded and
# folded in full. The result is fold()'s, byte for byte.
_ASCII_SPACE = bytes([9, 10, 11, 12, 13, 28, 29, 30, 31, 32])
_SPACE_TO_GAP = bytes.maketrans(_ASCII_SPACE, b"\x01" * len(_ASCII_SPACE))
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Clause marks split every secret into pieces, so no piece holds one in any width: left as they are in
# output (folding them would send every Chinese page down the slow path for nothing).
_CLAUSE_MARKS = "，：；！？、。"
_COMMON = "，：；！？（）％…〔〕\u3000" + _ZERO_WIDTH
_DELETE = [ch.encode("utf-8") for ch in _ZERO_WIDTH]
_REPLACE = [(ch.encode("utf-8"), fold(ch).encode("utf-8")) for ch in _COMMON if ch not in _ZERO_WIDTH]


@functools.cache
def _unusual() -> Any:
    """Every character fold() changes, apart from the common ones replaced as bytes."""
    needles = []
    for cp in [*range(0x80, 0xD800), *range(0xE000, 0x30000), *range(0xE0000, 0xE1000)]:
        ch = chr(cp)
        if ch in _COMMON or ch in _CLAUSE_MARKS:
            continue
        if cp in _TABLE or unicodedata.combining(ch) or unicodedata.normalize("NFKC", ch) != ch:
            needles.append(ch.encode("utf-8"))
    return ahocorasick_rs.BytesAhoCorasick(needles)


def fold_bytes(data: bytes) -> bytes:
    """fold() for an output file's bytes. A file that is not UTF-8 (binary) gets the fast path only:
    spaces, invisible characters and common fullwidth punctuation removed or replaced, no NFKC."""
    original = data
    for zero_width in _DELETE:
        if zero_width in data:
            data = data.replace(zero_width, b"")
    data = _GAP_BYTES.sub(b"\x01", data).translate(None, _ASCII_SPACE)
    if data.isascii():
        return data
    for written, folded in _REPLACE:
        if written in data:
            data = data.replace(written, folded)
    if not _unusual().find_matches_as_indexes(data):
        return data
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError:
        # A binary file (Pagefind's CBOR index, an image): its bytes look like any character. The UTF-8
        # strings inside are compared as the fast path leaves them (not NFKC-folded).
        return data
    return fold(text).encode("utf-8")


_IDEOGRAPHIC_SPACE = "\u3000".encode("utf-8")
_PAGEFIND_SPACE = "\u200b".encode("utf-8")  # between every word of Pagefind's fragments
# Characters NFKC would change that Chinese pages are full of: the bytes path leaves them as they are
# (replacing them costs more than the rest of the folding) and the guard searches each piece in both
# forms instead (`output_variants`).
_AS_WRITTEN = {"(": "（", ")": "）", "%": "％", "...": "…"}


def output_variants(piece: str) -> set[str]:
    """A folded piece as the bytes path may leave it in output: also with fullwidth brackets and percent
    signs and the ellipsis character (every one of them, which is how pages write them)."""
    variant = piece
    for ascii_form, wide in _AS_WRITTEN.items():
        variant = variant.replace(ascii_form, wide)
    return {piece, variant}


@functools.cache
def _special() -> Any:
    """Every character fold() changes that the bytes path does not handle (the slow path)."""
    unusual = []
    skip = set(_CLAUSE_MARKS) | set(_AS_WRITTEN.values()) | {"\u200b", "\u3000"}
    for cp in [*range(0x80, 0xD800), *range(0xE000, 0x30000), *range(0xE0000, 0xE1000)]:
        ch = chr(cp)
        if ch in skip:
            continue
        if cp in _TABLE or unicodedata.combining(ch) or unicodedata.normalize("NFKC", ch) != ch:
            unusual.append(ch.encode("utf-8"))
    return ahocorasick_rs.BytesAhoCorasick(unusual)


def fold_output(data: bytes) -> tuple[bytes, bytes]:
    """An output file as the guard reads it, twice: `words`, folded with every space removed (for the
    text pieces), and `numbers`, folded with every space turned into the boundary U+0001 (for the bare
    numbers and the phone and ID numbers: two table cells 91 and 89 are not 91.89). Bytes operations
    only, unless the file holds a character NFKC or the invisible-character rule would change (fullwidth
    brackets, percent signs and the ellipsis stay as written: see `output_variants`); a file that is not
    UTF-8 (binary: Pagefind's CBOR index) gets the bytes operations only."""
    original = data
    if _PAGEFIND_SPACE in data:
        data = data.replace(_PAGEFIND_SPACE, b"")
    if _IDEOGRAPHIC_SPACE in data:
        data = data.replace(_IDEOGRAPHIC_SPACE, b" ")
    words = data.translate(None, _ASCII_SPACE)
    numbers = data.translate(_SPACE_TO_GAP)
    if words.isascii() or not _special().find_matches_as_indexes(words):
        return words, numbers
    try:
        text = unicodedata.normalize("NFKC", original.decode("utf-8")).translate(_INVISIBLE)
    except UnicodeDecodeError:
        return words, numbers  # binary: the bytes operations only
    spaced = re.sub(r"\s", NUMBER_GAP, text)
    return (unicodedata.normalize("NFKC", "".join(text.split())).encode("utf-8"),
            unicodedata.normalize("NFKC", spaced).encode("utf-8"))


# A phone, fax, ID card or account number: seven or more digits with separators only between them.
_PHONE_LIKE = re.compile(r"^\+?\(?\d[\d\-‐‑–—.·/()\s\x01]*\d\)?$")
_AMOUNT = re.compile(r"^[-+]?\d{1,3}(,\d{3})*(\.\d+)?$|^[-+]?\d+\.\d+$")
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
MIN_DIGITS = 7


@functools.lru_cache(maxsize=1 << 16)
def digits_key(piece: str) -> str | None:
    """The digits of a phone or ID-like number, or None: amounts (12,860.50; 760.5) and dates
    (2026-03-15) are numbers whose separators mean something and are matched as written."""
    text = fold(piece).upper().removesuffix("X")
    if not _PHONE_LIKE.match(text) or _AMOUNT.match(text) or _DATE.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < MIN_DIGITS:
        return None
    return digits + ("X" if fold(piece).upper().endswith("X") else "")


def fold_long(text: str) -> str:
    """fold() for a long text (a record's values joined): the bytes' fast path, same result."""
    if len(text) < 256:
        return fold(text)
    return fold_bytes(text.encode("utf-8", errors="surrogatepass")).decode("utf-8", errors="surrogatepass")


_SEPARATORS = b"-./()\x01"
_WIDE_SEPARATORS = [ch.encode("utf-8") for ch in "‐‑–—·"]


def digit_soup(numbers: bytes) -> bytes:
    """The numbers reading without the separators a phone or ID number may be written with: each
    number written as digits alone (matched only as a whole run of digits, see guard.Matcher)."""
    soup = numbers.translate(None, _SEPARATORS)
    for separator in _WIDE_SEPARATORS:
        if separator in soup:
            soup = soup.replace(separator, b"")
    return soup
