"""Stage 8, leak guard: prove that no withheld value reached any output byte.

Every string of a confidential record, a confidential row or a withheld field (split into pieces
at whitespace and sentence ends, NFKC-normalised, whitespace removed) is searched for in every
output file, after HTML unescaping and gzip decompression (Pagefind's chunks and fragments are
gzip). A piece that also occurs in public text (a department name, a common unit) proves nothing
and is left out; every other hit fails the build, naming the file and the source record.
"""

from __future__ import annotations

import gzip
import html
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

_SPLIT = re.compile(r"[\s。；！？;!?]+")
# Pagefind separates the words it segments with zero-width spaces: they must not hide a leak.
_WS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".json", ".jsonl", ".jsonld", ".csv", ".txt", ".js", ".css", ".svg", ".md",
                 ".atom"}


def normalise(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def pieces(text: str, min_length: int) -> list[str]:
    out = {normalise(p) for p in _SPLIT.split(unicodedata.normalize("NFKC", text))}
    whole = normalise(text)
    out.add(whole)
    return [p for p in out if len(p) >= min_length]


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
    needles: dict[str, Secret] = {}
    for s in secrets:
        for p in pieces(s.text, min_length):
            # A bare number or date from a confidential record or row says nothing on its own and
            # collides with counts and amounts everywhere; a withheld amount is the secret itself.
            if _NUMERIC.match(p) and not s.what.startswith(WITHHELD_FIELD):
                continue
            needles.setdefault(p, s)
    if not needles:
        return None
    auto = _automaton(needles)
    # A piece that also stands in public text cannot tell a leak from a legitimate mention.
    for text in public_texts(public, extra_public):
        text = normalise(str(text))
        for end, (needle, _) in auto.iter(text):
            if _standalone(text, end, needle):
                needles.pop(needle, None)
    return _automaton(needles) if needles else None


def _automaton(needles: dict[str, Secret]) -> Any:
    auto = ahocorasick.Automaton()
    for needle, secret in needles.items():
        auto.add_word(needle, (needle, secret))
    auto.make_automaton()
    return auto


def file_text(path: Path) -> str | None:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    elif path.suffix.lower() not in TEXT_SUFFIXES and not path.name.endswith(".pf_meta"):
        # Unknown binary: scan its bytes as text anyway; a withheld string in UTF-8 still shows.
        pass
    text = data.decode("utf-8", errors="ignore")
    if path.suffix.lower() in (".html", ".htm", ".xml", ".svg"):
        text = html.unescape(text)
    return text


_NUMERIC = re.compile(r"^[\d.,%+\-:/年月日]+$")
_NUMBER_CHARS = set("0123456789.,")


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


def scan(site: Path, automaton: Any, limit: int = 20) -> list[Leak]:
    leaks: list[Leak] = []
    if automaton is None:
        return leaks
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        text = file_text(path)
        if not text:
            continue
        text = normalise(text)
        for end, (needle, secret) in automaton.iter(text):
            if _standalone(text, end, needle):
                leaks.append(Leak(path.relative_to(site).as_posix(), secret, mask(needle)))
                break
        if len(leaks) >= limit:
            break
    return leaks


def check(site: Path, secrets: list[Secret], public: list[PublicRecord], extra_public: Iterable[str],
          min_length: int) -> Problems:
    problems = Problems()
    automaton = build_automaton(secrets, public, extra_public, min_length)
    for leak in scan(site, automaton):
        problems.add("leak_found", output=leak.output, source=leak.secret.record, what=leak.secret.what,
                     hint=leak.hint)
    return problems
