"""Provenance: which public text may share a piece of a secret without being a leak.

A secret (a confidential record, a confidential row, a withheld field, a withheld attachment) is
searched for in pieces: clauses split at sentence and clause marks (。；！？，、：), at characters HTML
or JSON would escape and at whitespace between Latin words, each piece folded (`fold.py`) and at least
`guard.min_length` characters long. A piece found in public text is a leak unless that text is public
independently of the secret:

- department names, the schemas (field titles, allowed values, kind titles, forms, legal bases), the
  generator's own template wording, ids already in the publication log, and the phrases of the
  reviewed allow-list (`content/public-phrases.yml`, shown by `disclose review`);
- names of public bodies and units written in public records (kinds.yml `public_names`);
- the public records of the same project (same `project_code`, another record): a public goal and a
  confidential monitoring table of one project share its name;
- a number equal to a public number (a number field, a date, a row's numeric target): two amounts can
  be equal by chance, and the page shows the public one; in another record's sentence a number of
  fewer than six digits (a score, 88.25) is taken as chance too, a longer one (12,860.50) is a quote;
  in the same record's sentences any withheld number is a quote;
- for a withheld attachment, the public attachments of the same project;
- common wording: a piece that the public records (fields or reports) of at least three other projects
  use (a report template's headings, 明显提升, 按时足额发放, a department's stock sentences). One or
  two records quoting a secret are never common wording.

Nothing else excuses a piece: not the same record's other fields, not another project, not a notice.
`quotes()` finds such quotes in the public records before anything is built (reported by quotes.py);
`guard_pieces()` gives the pieces the leak guard searches every output byte for.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import ahocorasick_rs

from generator.model.catalog import bundled
from generator.model.records import PublicRecord
from generator.model.units import in_bulk_unit
from generator.secrecy.allow_list import allowed_phrases
from generator.secrecy.fold import digits_key, fold, fold_long
from generator.secrecy.redact import CONFIDENTIAL_ATTACHMENT, RECORD_ATTACHMENT, WITHHELD_FIELD, Secret

# Clause and sentence marks, and every character HTML or JSON would escape (so a piece reads the same
# escaped or not). ASCII commas split only when they are not a thousands separator.
_SPLIT = re.compile(r"[\n\r\t\f\v。；！？;!?，、：:&<>\"'\\]+|(?<!\d),|,(?!\d)")
# Whitespace next to a CJK character is typing noise (规划 方案): removed before splitting, so it
# neither splits a secret nor hides it; whitespace between Latin words splits them.
_SPACES = "[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+"
_CJK_SPACE = re.compile(rf"(?<=[^\x00-\x7f]){_SPACES}|{_SPACES}(?=[^\x00-\x7f])")
_NUMBER_IN_TEXT = re.compile(r"\+?\(?\d[\d\s\-‐‑–—.·/()]{5,}[\dXx]")
_LINES = re.compile(r"[\n\r\t\f\v。；！？;!?，、：&<>\"'\\]+| {2,}")
NUMERIC = re.compile(r"^[\d.,%+\-:/年月日≥≤=~\x01]+$")
_NUMBER_CHARS = set("0123456789.,")
_ATTACHMENT_SECRETS = (CONFIDENTIAL_ATTACHMENT, RECORD_ATTACHMENT)
# Shorter lines of a withheld report (单位：万元, 一、项目概况) stand in every report and on every page.
ATTACHMENT_PIECE = 10
# A number with fewer digits (a score, 88.25; a count) in another record's text is taken as chance.
DISTINCT_DIGITS = 6
# Wording that the public records of this many other projects use is common wording, not a quote.
COMMON_RECORDS = 3


def pieces(text: str, min_length: int, lines: bool = False) -> set[str]:
    """A secret's folded pieces (see the module docstring). `lines`: a document's text, split at line
    breaks, tabs, runs of spaces and clause marks only, so a line of Latin text stays one piece."""
    out = set()
    # A phone or ID number inside a sentence (王守林 0471-6945123) is a piece of its own, matched by digits.
    out.update(fold(m.group()) for m in _NUMBER_IN_TEXT.finditer(text) if digits_key(m.group()) is not None)
    text = _CJK_SPACE.sub("", text)
    for part in (_LINES if lines else _SPLIT).split(text):
        for word in ([part] if lines else part.split()):
            piece = fold(word)
            if len(piece) >= min_length:
                out.add(piece)
    return out


def from_attachment(secret: Secret) -> bool:
    return secret.what.startswith(_ATTACHMENT_SECRETS)


def secret_pieces(secrets: list[Secret], min_length: int) -> dict[str, list[Secret]]:
    """Each piece and the secrets it comes from."""
    out: dict[str, list[Secret]] = {}
    for s in secrets:
        document = from_attachment(s)
        for p in pieces(s.text, max(min_length, ATTACHMENT_PIECE) if document else min_length, lines=document):
            # A bare number or date of a confidential record or row says nothing on its own and collides
            # with counts and amounts everywhere; a withheld amount, a phone or an ID number is the secret.
            if NUMERIC.match(p) and not s.what.startswith(WITHHELD_FIELD) and digits_key(p) is None:
                continue
            out.setdefault(p, []).append(s)
    return out


def standalone(text: str, start: int, end: int, needle: str) -> bool:
    """A withheld number counts only as a whole number: 136.80 is not a hit inside 1,136.80 or 136.805."""
    if not NUMERIC.match(needle):
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if (before and before in _NUMBER_CHARS) or after.isdigit():
        return False
    return not (after == "." and text[end + 1:end + 2].isdigit())


_DIGIT_RUN = re.compile(r"\d[\d\-‐‑–—./()·\x01]{5,}[\dXx]")


class Finder:
    """The pieces in one Aho-Corasick automaton over folded text, phone and ID-like pieces also by digits."""

    def __init__(self, found: dict[str, list[Secret]]):
        self.pieces = list(found)
        self.secrets = [found[p] for p in self.pieces]
        self.auto = ahocorasick_rs.AhoCorasick(self.pieces) if self.pieces else None
        # A run of digits and separators equal to a phone or ID number (or +86 and it) is that number.
        self.digits: dict[str, int] = {}
        for i, p in enumerate(self.pieces):
            key = digits_key(p)
            if key is not None:
                self.digits.setdefault(key, i)
                self.digits.setdefault("86" + key, i)

    def find(self, folded: str) -> Iterable[tuple[int, int, int]]:
        """(piece index, start, end) of every hit in folded text."""
        if self.auto is not None:
            for index, start, end in self.auto.find_matches_as_indexes(folded, overlapping=True):
                if standalone(folded, start, end, self.pieces[index]):
                    yield index, start, end
        if self.digits:
            for m in _DIGIT_RUN.finditer(folded):
                index = self.digits.get(re.sub(r"[^\dXx]", "", m.group()).upper())
                if index is not None:
                    yield index, m.start(), m.end()


# ---- public text and what it excuses ------------------------------------------------------------------

def independent_texts(catalog: Any, departments: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]],
                      root: Path | None) -> Iterable[str]:
    """Text public whatever the records say."""
    for d in departments:
        yield from (str(d.get("name") or ""), str(d.get("short_name") or ""))
    for kind in catalog.kinds.values():
        yield from (kind.title, kind.form, kind.basis)
    # Titles, descriptions and allowed values of every field, and kinds.yml's own wording.
    for path in sorted(catalog.directory.glob("*.json")) + [catalog.directory / "kinds.yml"]:
        if path.is_file():
            yield path.read_text(encoding="utf-8")
    yield from template_wording()
    # Ids already in the log were public once; a withdrawn record keeps its id there by design.
    yield from (str(e.get("id", "")) for e in events)
    if root is not None:
        yield from (p.text for p in allowed_phrases(root))


def template_wording() -> Iterable[str]:
    """The generator's own page templates (a site's own templates/ are not: they are the site's content,
    and a template that prints a secret must fail)."""
    for path in sorted(bundled("templates").rglob("*")):
        if path.is_file() and path.suffix in (".md", ".html", ".j2", ".txt", ".jinja"):
            yield path.read_text(encoding="utf-8", errors="ignore")


@dataclass(frozen=True)
class Text:
    """One public value of a public record that holds a hit."""

    label: str  # field name, `第 n 行指标 name`, or `附件 path`
    folded: str
    attachment: bool = False

    @property
    def number(self) -> bool:
        """A number value (a number field, a date, a row's numeric target): two numbers can be equal by
        chance, and the page shows the public one; the same number in a sentence is a quote."""
        return bool(NUMERIC.match(self.folded))


def number_key(text: str) -> str | None:
    """A number as a value: 12,860.50, 12860.5 and 12860.50 are one key."""
    try:
        value = Decimal(text.strip("≥≤=~%").replace(",", ""))
    except ArithmeticError:
        return None
    return format(value.normalize(), "f") if value.is_finite() else None


class RecordText:
    """A public record's values folded as one string joined by NUL (which fold keeps): a record costs
    one fold and one automaton pass, and a value's label is worked out only for a hit."""

    def __init__(self, r: PublicRecord, amounts: frozenset[str] = frozenset()):
        self.record = r
        # Number fields by value: the pages print 100 as 100.00 too, and a withheld 100.00 equal by chance
        # to a public amount must not fail the build (the same number in a sentence is a quote all the same).
        self.numbers = set(_number_leaves([v for v in r.fields.values() if not isinstance(v, str)]))
        # The bulk downloads print amounts filed in 元 as 万元 (model/units.py): those values are public too.
        bulk = in_bulk_unit(r.fields, amounts)
        if bulk is not r.fields:
            self.numbers.update(_number_leaves([bulk[n] for n in amounts if n in bulk and bulk[n] is not None]))
        raw = [v if type(v) is str else "" if v is None else _plain(v) for v in r.fields.values()]
        for row in r.rows:
            raw.extend([v if type(v) is str else "" if v is None else _plain(v) for v in row.values()])
        for a in r.attachments:
            raw.extend((a.title, a.text))
        joined = "\x00".join(raw)
        if joined.count("\x00") != len(raw) - 1:
            joined = "\x00".join(v.replace("\x00", "") for v in raw)
        self.joined = fold_long(joined)

    def at(self, position: int) -> Text:
        index = self.joined.count("\x00", 0, position)
        start = self.joined.rfind("\x00", 0, position) + 1
        end = self.joined.find("\x00", position)
        part = self.joined[start:] if end < 0 else self.joined[start:end]
        r, i = self.record, index
        if i < len(r.fields):
            label = next(itertools.islice(r.fields, i, None))
        else:
            i -= len(r.fields)
            for n, row in enumerate(r.rows):
                if i < len(row):
                    label = f"第 {n + 1} 行指标 {next(itertools.islice(row, i, None))}"
                    break
                i -= len(row)
            else:
                return Text(f"附件 {r.attachments[i // 2].path}", part, attachment=True)
        return Text(label, part)


def _is_number_leaf(value: Any) -> bool:
    """A number inside a list or table: a number, or a cell written as one ('12000', '99.4%')."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float, Decimal)) or (isinstance(value, str) and bool(NUMERIC.match(value.strip())))


def _number_leaves(value: Any, inside: bool = False) -> Iterable[str]:
    """The numbers of a value by key, inside lists and tables too (a funding table's cells)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, (int, float, Decimal)):
        yield format(Decimal(str(value)).normalize(), "f")
    elif inside and isinstance(value, str) and _is_number_leaf(value):
        yield number_key(value.strip()) or value.strip()
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _number_leaves(v, True)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _number_leaves(v, True)


def _plain(value: Any) -> str:
    """A value as the pages may print it, for searching; the numbers in lists and tables (a funding
    table) are compared by value (`_number_leaves`), not as text."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(_plain(v) for v in value if not _is_number_leaf(v))
    if isinstance(value, dict):
        return "\n".join(_plain(v) for v in value.values() if not _is_number_leaf(v))
    if isinstance(value, date):
        return f"{value.isoformat()}\n{value.year}年{value.month}月{value.day}日"
    return str(value)


def _excused(secret: Secret, r: PublicRecord, project: str, text: Text, piece: str) -> bool:
    """Whether `text` of public record `r` may contain `piece` of `secret` (see the module docstring)."""
    if from_attachment(secret):
        return text.attachment and bool(project) and secret.project == project
    if secret.rid == r.id:
        return False  # the same record's other fields: a quote
    if NUMERIC.match(piece) and sum(ch.isdigit() for ch in piece) < DISTINCT_DIGITS:
        return True  # a short number (a score, 88.25) in another record's text: chance, not a quote
    return bool(project) and secret.project == project


class Public:
    """The public records' values and the independent texts, folded once."""

    def __init__(self, public: list[PublicRecord], independent: Iterable[str], public_names: Iterable[str],
                 amounts: Mapping[str, frozenset[str]] | None = None):
        """`amounts`: per kind, the amount fields (catalog.amount_fields), whose 万元 values the bulk
        downloads publish."""
        self.records = public
        self.texts = [RecordText(r, (amounts or {}).get(r.kind, frozenset())) for r in public]
        names = list(public_names)
        own = [_plain(r.fields.get(n)) for r in public for n in names]
        for r in public:
            for n in [n for n in names if r.rows and n in r.rows[0]]:
                own.extend(_plain(row.get(n)) for row in r.rows)
        self.independent = fold("\x00".join(str(t) for t in [*independent, *own]))


def _drop_independent(found: dict[str, list[Secret]], public: Public) -> None:
    if not found:
        return
    finder = Finder(found)
    for index, _, _ in list(finder.find(public.independent)):
        found.pop(finder.pieces[index], None)


def _scan(finder: Finder, public: Public) -> tuple[list[tuple[int, PublicRecord, Text]], list[set[str]], set[str]]:
    """Every hit in the public records' words; for each piece the projects (or record ids) of the public
    records whose words hold it (the measure of common wording); and the keys of the numbers that stand
    as a public number value. Hits of a piece common for any secret at all are left out: they excuse."""
    hits = []
    users: list[set[str]] = [set() for _ in finder.pieces]
    numbers: set[str] = set().union(*(t.numbers for t in public.texts))
    for r, texts in zip(public.records, public.texts, strict=True):
        key = str(r.fields.get("project_code") or r.id)
        for index, start, _ in finder.find(texts.joined):
            text = texts.at(start)
            if text.number and not text.attachment:
                numbers.add(number_key(finder.pieces[index]) or finder.pieces[index])
                continue
            hits.append((index, r, text))
            users[index].add(key)
    return [h for h in hits if len(users[h[0]]) < COMMON_RECORDS + 2], users, numbers


def _common(secret: Secret, users: set[str]) -> bool:
    """Wording used by public records of COMMON_RECORDS other projects is a common phrase (a report
    template's heading, 明显提升, 按时足额发放, a department's stock sentence), not a quote of this secret."""
    return len(users) - (secret.project in users) - (secret.rid in users) >= COMMON_RECORDS


def _public_number(piece: str, numbers: set[str]) -> bool:
    return bool(NUMERIC.match(piece)) and (number_key(piece) or piece) in numbers


def guard_pieces(secrets: list[Secret], public: Public, min_length: int) -> dict[str, Secret]:
    """The pieces the guard searches the output for: every piece not excused for all its secrets."""
    found = secret_pieces(secrets, min_length)
    _drop_independent(found, public)
    if not found:
        return {}
    finder = Finder(found)
    hits, common, numbers = _scan(finder, public)
    left = {i: [s for s in finder.secrets[i] if not _common(s, common[i])] for i in range(len(finder.pieces))
            if not _public_number(finder.pieces[i], numbers)}
    for index, r, text in hits:
        if index in left:
            project = str(r.fields.get("project_code") or "")
            piece = finder.pieces[index]
            left[index] = [s for s in left[index] if not _excused(s, r, project, text, piece)]
    # Prefer naming a record's own field over an attachment in a report: it is the clearer lead.
    return {finder.pieces[i]: next((s for s in ss if not from_attachment(s)), ss[0]) for i, ss in left.items() if ss}


@dataclass(frozen=True)
class Quote:
    record: PublicRecord
    label: str
    secret: Secret
    piece: str


def quotes(secrets: list[Secret], public: Public, min_length: int) -> list[Quote]:
    """Every public value that holds a piece of a secret it may not share (one per value and secret)."""
    found = secret_pieces([s for s in secrets if not from_attachment(s)], min_length)
    _drop_independent(found, public)
    if not found:
        return []
    finder = Finder(found)
    hits, common, _ = _scan(finder, public)
    out: dict[tuple[str, str, str], Quote] = {}
    for index, r, text in hits:
        project = str(r.fields.get("project_code") or "")
        for s in finder.secrets[index]:
            if not _excused(s, r, project, text, finder.pieces[index]) and not _common(s, common[index]):
                out.setdefault((r.id, text.label, s.where), Quote(r, text.label, s, finder.pieces[index]))
    return list(out.values())
