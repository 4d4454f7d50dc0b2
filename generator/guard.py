"""Stage 8, leak guard: prove that no withheld value reached any output byte.

Every string of a confidential record, a confidential row or a withheld field (split into pieces
at whitespace, sentence ends and every character HTML or JSON would escape, as written and
NFKC-normalised) is searched for in every output file, after gzip decompression (Pagefind's
chunks and fragments are gzip) and removal of the zero-width spaces Pagefind puts between words.
A piece that also occurs in public text (a department name, a common unit) proves nothing
and is left out; every other hit fails the build, naming the file and the source record.
"""

from __future__ import annotations

import gzip
import multiprocessing
import os
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from .problems import Problems
from .records import PublicRecord
from .redact import WITHHELD_FIELD, Secret, secret_texts

# Split also where HTML or JSON would escape a character, so a piece reads the same escaped or not.
_SPLIT = re.compile(r"[\s。；！？;!?&<>\"'\\]+")
# Pagefind separates the words it segments with zero-width spaces: they must not hide a leak.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_NUMERIC = re.compile(r"^[\d.,%+\-:/年月日]+$")
_NUMBER_CHARS = set("0123456789.,")


def normalise(text: str) -> str:
    """Output text as the guard reads it: without the zero-width characters Pagefind inserts."""
    if any(ch in text for ch in "\u200b\u200c\u200d\u2060\ufeff"):
        return text.translate(_ZERO_WIDTH)
    return text


def pieces(text: str, min_length: int) -> set[str]:
    """A secret split at whitespace and sentence ends, as written and NFKC-normalised: a leak of
    one sentence of a withheld paragraph is still a leak."""
    out = set()
    for form in {text, unicodedata.normalize("NFKC", text)}:
        out.update(p for p in _SPLIT.split(form) if len(p) >= min_length)
    return out


@dataclass(frozen=True)
class Leak:
    output: str
    secret: Secret
    hint: str


def public_texts(public: list[PublicRecord], extra: Iterable[str]) -> Iterable[str]:
    for r in public:
        for value in r.fields.values():
            yield from secret_texts(value)
        for row in r.rows:
            for value in row.values():
                yield from secret_texts(value)
    yield from extra


def build_automaton(secrets: list[Secret], public: list[PublicRecord], extra_public: Iterable[str],
                    min_length: int) -> Any | None:
    base: dict[str, Secret] = {}
    for s in secrets:
        for p in pieces(s.text, min_length):
            # A bare number or date from a confidential record or row says nothing on its own and
            # collides with counts and amounts everywhere; a withheld amount is the secret itself.
            if _NUMERIC.match(p) and not s.what.startswith(WITHHELD_FIELD):
                continue
            base.setdefault(p, s)
    if not base:
        return None
    auto = _automaton({p: (p, s) for p, s in base.items()})
    # A piece that also stands in public text cannot tell a leak from a legitimate mention.
    for text in public_texts(public, extra_public):
        text = str(text)
        for form in {text, unicodedata.normalize("NFKC", text)}:
            for end, (needle, _) in auto.iter(form):
                if _standalone(form, end, needle):
                    base.pop(needle, None)
    if not base:
        return None
    return _automaton({p: (p, s) for p, s in base.items()})


def _automaton(needles: dict[str, tuple[str, Secret]]) -> Any:
    auto = ahocorasick.Automaton()
    for needle, value in needles.items():
        auto.add_word(needle, (needle, value))
    auto.make_automaton()
    return auto


def file_text(path: Path) -> str:
    """A file's text; gzip (Pagefind's index and fragments, sitemap.xml.gz) is decompressed first.
    Binary files are read as UTF-8 too: a withheld string inside them still shows."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    return normalise(data.decode("utf-8", errors="ignore"))


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


class _Scan:
    automaton: Any = None
    site: Path


def _scan_files(paths: list[Path]) -> list[Leak]:
    leaks = []
    for path in paths:
        text = file_text(path)
        for end, (needle, (piece, secret)) in _Scan.automaton.iter(text):
            if _standalone(text, end, needle):
                leaks.append(Leak(path.relative_to(_Scan.site).as_posix(), secret, mask(piece)))
                break
    return leaks


def scan(site: Path, automaton: Any, limit: int = 20, jobs: int | None = None) -> list[Leak]:
    """Every file under `site`, on all cores (the automaton reaches the workers through fork)."""
    if automaton is None:
        return []
    paths = sorted(p for p in site.rglob("*") if p.is_file())
    _Scan.automaton, _Scan.site = automaton, site
    jobs = jobs or min(os.cpu_count() or 1, 4)
    if jobs > 1 and len(paths) > 500 and "fork" in multiprocessing.get_all_start_methods():
        chunks = [paths[i::jobs * 8] for i in range(jobs * 8)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            leaks = [leak for part in pool.map(_scan_files, chunks) for leak in part]
    else:
        leaks = _scan_files(paths)
    return sorted(leaks, key=lambda leak: leak.output)[:limit]


def check(site: Path, secrets: list[Secret], public: list[PublicRecord], extra_public: Iterable[str],
          min_length: int) -> Problems:
    problems = Problems()
    automaton = build_automaton(secrets, public, extra_public, min_length)
    for leak in scan(site, automaton):
        problems.add("leak_found", output=leak.output, source=leak.secret.record, what=leak.secret.what,
                     hint=leak.hint)
    return problems
