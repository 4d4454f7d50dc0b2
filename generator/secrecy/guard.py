"""Stage 8, leak guard: prove that no withheld value reached any output byte.

Every string of a confidential record, a confidential row or a withheld field (split into pieces
at whitespace, sentence ends and every character HTML or JSON would escape, as written and
NFKC-normalised) is searched for in every output file, after gzip decompression (Pagefind's
chunks and fragments are gzip) and removal of the zero-width spaces Pagefind puts between words.
A piece that also occurs in public text (a department name, a common unit) proves nothing
and is left out; every other hit fails the build, naming the file and the source record.

Shipped documents (PDF, DOCX, XLSX, OFD) are read through `doctext`: their text, every XML part
and their properties; a document that still carries properties (author, title, comments…) fails
too. The text of an attachment that does not ship is searched for in pieces of at least
ATTACHMENT_PIECE characters, and a piece that also stands in a public attachment (the headings of
a common report template) is left out; withheld fields are never excused by a public attachment,
so a public report that quotes one fails the build.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick_rs

from generator.documents import doctext
from generator.model.records import PublicRecord
from generator.problems import Problems
from generator.secrecy.redact import CONFIDENTIAL_ATTACHMENT, RECORD_ATTACHMENT, WITHHELD_FIELD, Secret, secret_texts
from generator.util.parallel import map_chunks

# Split also where HTML or JSON would escape a character, so a piece reads the same escaped or not.
_SPLIT = re.compile(r"[\s。；！？;!?&<>\"'\\]+")
_SPLIT_LINES = re.compile(r"[\t\n\r\f\v。；！？;!?&<>\"'\\]+| {2,}")
# Pagefind separates the words it segments with zero-width spaces: they must not hide a leak.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_NUMERIC = re.compile(r"^[\d.,%+\-:/年月日]+$")
_NUMBER_CHARS = set("0123456789.,")
_ATTACHMENT_SECRETS = (CONFIDENTIAL_ATTACHMENT, RECORD_ATTACHMENT)
# Shorter lines of a withheld report (单位：万元, 一、项目概况) stand in every report and on every page.
ATTACHMENT_PIECE = 10


def normalise(text: str) -> str:
    """Output text as the guard reads it: without the zero-width characters Pagefind inserts."""
    if any(ch in text for ch in "\u200b\u200c\u200d\u2060\ufeff"):
        return text.translate(_ZERO_WIDTH)
    return text


def pieces(text: str, min_length: int, lines: bool = False) -> set[str]:
    """A secret split at whitespace and sentence ends, as written and NFKC-normalised: a leak of
    one sentence of a withheld paragraph is still a leak. `lines`: split a document's text at line
    breaks, tabs and runs of spaces only, so a line of Latin text stays one piece, not its words."""
    out = set()
    for form in {text, unicodedata.normalize("NFKC", text)}:
        out.update(p.strip() for p in (_SPLIT_LINES if lines else _SPLIT).split(form) if len(p.strip()) >= min_length)
    return out


@dataclass(frozen=True)
class Leak:
    output: str
    secret: Secret
    hint: str


@dataclass(frozen=True)
class DocumentFlag:
    """A shipped document that still has properties, or whose text cannot be read."""

    output: str
    code: str
    params: tuple[tuple[str, str], ...]


def public_texts(public: list[PublicRecord], extra: Iterable[str]) -> Iterable[str]:
    for r in public:
        for value in r.fields.values():
            yield from secret_texts(value)
        for row in r.rows:
            for value in row.values():
                yield from secret_texts(value)
    yield from extra


def _from_attachment(secret: Secret) -> bool:
    return secret.what.startswith(_ATTACHMENT_SECRETS)


def build_automaton(secrets: list[Secret], public: list[PublicRecord], extra_public: Iterable[str],
                    min_length: int, shared: Iterable[str] = ()) -> Any | None:
    """`shared`: public attachments' titles and text, which excuse pieces of withheld attachments only."""
    base: dict[str, Secret] = {}
    for s in secrets:
        document = _from_attachment(s)
        for p in pieces(s.text, max(min_length, ATTACHMENT_PIECE) if document else min_length, lines=document):
            # A bare number or date from a confidential record or row says nothing on its own and
            # collides with counts and amounts everywhere; a withheld amount is the secret itself.
            if _NUMERIC.match(p) and not s.what.startswith(WITHHELD_FIELD):
                continue
            if p not in base or (_from_attachment(base[p]) and not _from_attachment(s)):
                base[p] = s
    if not base:
        return None
    needles = list(base)
    auto = ahocorasick_rs.AhoCorasick(needles)
    # A piece that also stands in public text cannot tell a leak from a legitimate mention.
    for text, only_attachments in [(t, False) for t in public_texts(public, extra_public)] + \
            [(t, True) for t in shared]:
        text = str(text)
        for form in {text, unicodedata.normalize("NFKC", text)}:
            for index, _start, end in auto.find_matches_as_indexes(form, overlapping=True):
                needle = needles[index]
                if needle in base and _standalone(form, end - 1, needle) and \
                        (not only_attachments or _from_attachment(base[needle])):
                    del base[needle]
    if not base:
        return None
    return Matcher(base)


class Matcher:
    """The withheld pieces as UTF-8 bytes in one Aho-Corasick automaton (Rust): output files are
    scanned as the bytes they are, without decoding every file into a Python string."""

    def __init__(self, pieces: dict[str, Secret]):
        self.pieces = list(pieces)
        self.secrets = [pieces[p] for p in self.pieces]
        self.numeric = [bool(_NUMERIC.match(p)) for p in self.pieces]
        self.automaton = ahocorasick_rs.BytesAhoCorasick([p.encode("utf-8") for p in self.pieces])

    def find(self, data: bytes) -> tuple[str, Secret] | None:
        for index, start, end in self.automaton.find_matches_as_indexes(data, overlapping=True):
            if not self.numeric[index] or _standalone_bytes(data, start, end):
                return self.pieces[index], self.secrets[index]
        return None


_DIGITS = frozenset(b"0123456789")
_NUMBER_BYTES = frozenset(b"0123456789.,")


def _standalone_bytes(data: bytes, start: int, end: int) -> bool:
    """A withheld number counts only as a whole number: 136.80 is not a hit inside 1,136.80 or 136.805."""
    if start > 0 and data[start - 1] in _NUMBER_BYTES:
        return False
    after = data[end] if end < len(data) else None
    if after in _DIGITS:
        return False
    return not (after == ord(".") and end + 1 < len(data) and data[end + 1] in _DIGITS)


def document_type(path: Path) -> str | None:
    kind = path.suffix.lower().lstrip(".")
    return kind if kind in doctext.TYPES else None


_ZERO_WIDTH_BYTES = tuple(ch.encode("utf-8") for ch in "\u200b\u200c\u200d\u2060\ufeff")


def file_bytes(path: Path) -> bytes:
    """A file's bytes as the guard reads them: gzip (Pagefind's index and fragments, sitemap.xml.gz)
    decompressed, the zero-width spaces Pagefind puts between words removed. Binary files are read
    as they are: a withheld string inside them still shows in UTF-8. A document's text, XML parts
    and properties come first (doctext.DocError when they cannot be read)."""
    data = path.read_bytes()
    kind = document_type(path)
    if kind is not None:
        data = normalise(doctext.guard_text(data, kind)).encode("utf-8") + b"\n" + data
    elif data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    for zw in _ZERO_WIDTH_BYTES:
        if zw in data:
            data = data.replace(zw, b"")
    return data


def _standalone(text: str, end: int, needle: str) -> bool:
    """A withheld number counts only as a whole number: 136.80 is not a hit inside 1,136.80 or 136.805."""
    if not _NUMERIC.match(needle):
        return True
    start = end - len(needle) + 1
    before = text[start - 1] if start > 0 else ""
    after = text[end + 1] if end + 1 < len(text) else ""
    if before in _NUMBER_CHARS or after.isdigit():
        return False
    return not (after == "." and text[end + 2:end + 3].isdigit())


def mask(needle: str) -> str:
    """Enough of a hit to find it, not enough to read it in a build log."""
    return f"{needle[:2]}…（共 {len(needle)} 个字符）"


@dataclass(frozen=True)
class _Scan:
    """What the workers need (see generator/util/parallel.py)."""

    automaton: Any
    site: Path


def _check_document(path: Path, output: str) -> DocumentFlag | None:
    kind = document_type(path)
    if kind is None:
        return None
    try:
        left = doctext.metadata_left(path.read_bytes(), kind)
    except Exception as exc:  # noqa: BLE001 (any parser error: the document cannot be checked)
        return DocumentFlag(output, "attachment_unscannable", (("detail", str(exc)[:200] or type(exc).__name__),))
    if left:
        return DocumentFlag(output, "attachment_metadata_left", (("props", "、".join(left)),))
    return None


def _scan_files(job: _Scan, paths: list[Path]) -> list[Leak | DocumentFlag]:
    leaks: list[Leak | DocumentFlag] = []
    for path in paths:
        output = path.relative_to(job.site).as_posix()
        flag = _check_document(path, output)
        if flag is not None:
            leaks.append(flag)
            if flag.code == "attachment_unscannable":
                continue
        if job.automaton is None:
            continue
        try:
            data = file_bytes(path)
        except doctext.DocError as exc:
            leaks.append(DocumentFlag(output, "attachment_unscannable", (("detail", str(exc)),)))
            continue
        hit = job.automaton.find(data)
        if hit is not None:
            leaks.append(Leak(output, hit[1], mask(hit[0])))
    return leaks


def scan(site: Path, automaton: Any, limit: int = 20) -> list[Leak | DocumentFlag]:
    """Every file under `site`, on all cores (the automaton reaches the workers through fork); with
    no secrets at all, the shipped documents' properties are still checked."""
    paths = sorted(p for p in site.rglob("*") if p.is_file() and (automaton is not None or document_type(p)))
    leaks = [leak for part in map_chunks(_scan_files, paths, _Scan(automaton, site)) for leak in part]
    return sorted(leaks, key=lambda leak: leak.output)[:limit]


def check(site: Path, secrets: list[Secret], public: list[PublicRecord], extra_public: Iterable[str],
          min_length: int) -> Problems:
    problems = Problems()
    shared = [t for r in public for a in r.attachments for t in (a.title, a.text)]
    automaton = build_automaton(secrets, public, extra_public, min_length, shared)
    for leak in scan(site, automaton):
        if isinstance(leak, DocumentFlag):
            problems.add(leak.code, output=leak.output, **dict(leak.params))
        else:
            problems.add("leak_found", output=leak.output, source=leak.secret.record, what=leak.secret.what,
                         hint=leak.hint)
    return problems
