"""Stage 8, leak guard: prove that no withheld value reached any output byte.

Every secret (a confidential record, a confidential row, a withheld field, a withheld attachment) is
cut into folded pieces (`provenance.pieces`: clauses, down to `guard.min_length` characters) and each
piece not excused by independently public text (`provenance.guard_pieces`) is searched for in every
output file, read as `fold_bytes` reads it: gzip decompressed (Pagefind's chunks and fragments, the
sitemap), NFKC, invisible characters and every space removed; phone and ID-like numbers by their
digits whatever the separators. Every hit fails the build, naming the file and the source record.

Shipped documents (PDF, DOCX, XLSX, OFD) are read through `doctext`: their text, every XML part
and their properties; a document that still carries properties (author, title, comments…) fails too.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick_rs

from generator.documents import doctext
from generator.model.records import PublicRecord
from generator.problems import Problems
from generator.secrecy import provenance
from generator.secrecy.fold import digit_soup, digits_key, fold_bytes, fold_output, output_variants
from generator.secrecy.provenance import ATTACHMENT_PIECE, NUMERIC, pieces  # noqa: F401 (public names)
from generator.secrecy.redact import Secret
from generator.util.parallel import map_chunks


def normalise(text: str) -> str:
    """Output text as the guard reads it (see fold.fold)."""
    from generator.secrecy.fold import fold

    return fold(text)


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


def build_automaton(secrets: list[Secret], public: list[PublicRecord], extra_public: Iterable[str],
                    min_length: int, public_names: Iterable[str] = (),
                    amounts: Mapping[str, frozenset[str]] | None = None) -> Matcher | None:
    """The pieces to search for, after provenance (`extra_public`: independently public text;
    `public_names`: catalog.public_names)."""
    found = provenance.guard_pieces(secrets, provenance.Public(public, extra_public, public_names, amounts),
                                    min_length)
    return Matcher(found) if found else None


class Matcher:
    """The withheld pieces as UTF-8 bytes in Aho-Corasick automata (Rust): output files are scanned as
    the bytes they are, without decoding every file into a Python string. Text pieces are searched in
    the `words` reading of a file, bare numbers in the `numbers` reading (spaces kept as boundaries),
    phone and ID numbers by their digits in the numbers reading without separators (fold.digit_soup)."""

    def __init__(self, found: dict[str, Secret]):
        self.pieces = list(found)
        self.secrets = [found[p] for p in self.pieces]
        # Each piece also as the bytes path leaves fullwidth brackets and percent signs (fold.output_variants).
        self.words = [i for i, p in enumerate(self.pieces) if not NUMERIC.match(p) for _ in output_variants(p)]
        self.numbers = [i for i, p in enumerate(self.pieces) if NUMERIC.match(p) for _ in output_variants(p)]
        self.word_automaton = _automaton([v for i, p in enumerate(self.pieces) if not NUMERIC.match(p)
                                          for v in sorted(output_variants(p))])
        self.number_automaton = _automaton([v for i, p in enumerate(self.pieces) if NUMERIC.match(p)
                                            for v in sorted(output_variants(p))])
        # A whole run of digits equal to a phone or ID number (or +86 and it) is that number.
        keys: dict[str, int] = {}
        for i, p in enumerate(self.pieces):
            key = digits_key(p)
            if key is not None:
                keys.setdefault(key, i)
                keys.setdefault("86" + key, i)
        self.digit_keys = list(keys)
        self.digit_pieces = list(keys.values())
        self.digit_automaton = _automaton(self.digit_keys)

    def find(self, data: tuple[bytes, bytes], numbers: bool = True) -> tuple[str, Secret] | None:
        """The first hit in a file read by `fold.fold_output`; `numbers`: also bare numbers (not in the
        theme's scripts and styles, where 12000 is a constant of minified code, not an amount)."""
        words, spaced = data
        if self.word_automaton is not None:
            for index, _, _ in self.word_automaton.find_matches_as_indexes(words, overlapping=True):
                i = self.words[index]
                return self.pieces[i], self.secrets[i]
        if numbers and self.number_automaton is not None:
            for index, start, end in self.number_automaton.find_matches_as_indexes(spaced, overlapping=True):
                if _standalone_bytes(spaced, start, end):
                    i = self.numbers[index]
                    return self.pieces[i], self.secrets[i]
        if self.digit_automaton is not None:
            soup = digit_soup(spaced)
            for index, start, end in self.digit_automaton.find_matches_as_indexes(soup, overlapping=True):
                if (start == 0 or soup[start - 1] not in _DIGITS) and (end == len(soup) or soup[end] not in _DIGITS_X):
                    i = self.digit_pieces[index]
                    return self.pieces[i], self.secrets[i]
        return None


def _automaton(needles: list[str]) -> Any:
    return ahocorasick_rs.BytesAhoCorasick([n.encode("utf-8") for n in needles]) if needles else None


# The theme's own scripts, styles and source maps (MkDocs Material, copied as they are).
_THEME_CODE = re.compile(r"^assets/(javascripts|stylesheets)/.*\.(js|css|map)$")
_DIGITS = frozenset(b"0123456789")
_DIGITS_X = frozenset(b"0123456789Xx")
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


def raw_bytes(path: Path) -> bytes:
    """A file's bytes before folding: gzip (Pagefind's index and fragments, sitemap.xml.gz)
    decompressed; a document's text, XML parts and properties first (doctext.DocError when they cannot
    be read). Binary files are read as they are: a withheld string inside them still shows in UTF-8."""
    data = path.read_bytes()
    kind = document_type(path)
    if kind is not None:
        data = doctext.guard_text(data, kind).encode("utf-8") + b"\n" + data
    elif data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    return data


def file_bytes(path: Path) -> bytes:
    """A file as the guard reads its words (fold.fold_bytes: NFKC, invisible characters and spaces removed)."""
    return fold_bytes(raw_bytes(path))


def file_text(path: Path) -> str:
    return file_bytes(path).decode("utf-8", errors="ignore")


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
            data = fold_output(raw_bytes(path))
        except doctext.DocError as exc:
            leaks.append(DocumentFlag(output, "attachment_unscannable", (("detail", str(exc)),)))
            continue
        hit = job.automaton.find(data, numbers=not _THEME_CODE.match(output))
        if hit is not None:
            leaks.append(Leak(output, hit[1], mask(hit[0])))
    return leaks


def scan(site: Path, automaton: Any, limit: int = 20, skip: frozenset[str] = frozenset()) -> list[Leak | DocumentFlag]:
    """Every file under `site`, on all cores (the automaton reaches the workers through fork); with
    no secrets at all, the shipped documents' properties are still checked. `skip`: files (paths
    inside `site`) already found clean, byte for byte, by the same pieces (see `check`)."""
    paths = sorted(p for p in site.rglob("*") if p.is_file() and (automaton is not None or document_type(p))
                   and p.relative_to(site).as_posix() not in skip)
    leaks = [leak for part in map_chunks(_scan_files, paths, _Scan(automaton, site)) for leak in part]
    return sorted(leaks, key=lambda leak: leak.output)[:limit]


def fingerprint(automaton: Matcher | None) -> str:
    """What decides whether a file is clean: the pieces searched for (the full current set of secrets
    after provenance). The same bytes scanned with the same pieces give the same answer."""
    needles = sorted(automaton.pieces) if automaton is not None else []
    return hashlib.sha256("\0".join(needles).encode("utf-8")).hexdigest()


def check(site: Path, secrets: list[Secret], public: list[PublicRecord], extra_public: Iterable[str],
          min_length: int, public_names: Iterable[str] = (),
          clean: Callable[[str], frozenset[str]] | None = None,
          amounts: Mapping[str, frozenset[str]] | None = None) -> Problems:
    """Leaks and unscannable documents under `site`. `clean(fingerprint)` names files known clean
    under these very pieces (unchanged shards of the cache, generator/shards/store.py): every other
    file is scanned, and with a new secret the fingerprint changes and every file is scanned again."""
    problems = Problems()
    automaton = build_automaton(secrets, public, extra_public, min_length, public_names, amounts)
    skip = clean(fingerprint(automaton)) if clean is not None else frozenset()
    for leak in scan(site, automaton, skip=skip):
        if isinstance(leak, DocumentFlag):
            problems.add(leak.code, output=leak.output, **dict(leak.params))
        else:
            problems.add("leak_found", output=leak.output, source=leak.secret.record, what=leak.secret.what,
                         hint=leak.hint)
    return problems
