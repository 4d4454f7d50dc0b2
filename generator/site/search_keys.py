"""Search keys: what a record page carries for Pagefind beyond its visible text, and the
vocabulary the search page segments Chinese queries with.

Measured causes (issue 19, example site, Pagefind 1.5.2 in Chromium):
- Pagefind segments a page's Chinese with jieba (charabia) but a query with the browser's
  Intl.Segmenter, which in Chromium splits 监控 into 监 + 控: no page has a word starting with 控
  beside 监控, so 监控 found one page out of 27. The search page therefore segments queries itself,
  with the words of the index (`write_vocabulary`), and gives Pagefind a language it does not
  segment.
- 12,680.00 is indexed as 12 / 680 / 00 and a query loses its punctuation (1268000): 12680 matched
  every page with a word starting with 12. Each number shown on a page is indexed once more as one
  normalised token (`number_token`), which the search page computes the same way from the query.
- A category's name (绩效监控, 监控报告, 绩效自评 …) is often not on its pages at all, and the
  form's name stands in a <caption> that the index leaves out: each page lists its category's name,
  form and the kind's `search_terms` (schemas/kinds.yml) as keys.

The keys sit in an attribute of an empty element (`data-pagefind-index-attrs`): indexed, never
shown, never read out by a screen reader. They follow a sentinel word so the search page can cut them
from excerpts.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import cbor2

from generator.model.catalog import Kind
from generator.util.parallel import map_chunks

SENTINEL = "dcsearchkeys"
# The same pattern is in templates/assets/search.js: thousands separators only in groups of three.
NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")
_TAG = re.compile(r"<[^>]*>")
_ARTICLE_END = "</article>"
_LETTER = re.compile(r"[^\W\d_]")
_NUMBER_KEY = re.compile(r"n\d+(?:p\d+)?n")
VOCAB_DIR = "dc-vocab"
VOCAB_BUCKETS = 256
# Pagefind also indexes each run of text between spaces whole (a title, 20 characters and more);
# a query is split into the segmenter's words, never longer than this, so the long ones stay out.
VOCAB_MAX_CHARS = 8
# Index chunks from which decoding them is shared among the cores (each costs ~0.1 s at region scale).
VOCAB_PARALLEL_FROM = 16


def number_token(printed: str) -> str:
    """12,680.00 / 12680 / 12680.0 → n12680n; 0.50 → n0p5n. Letters around the digits keep
    Pagefind from splitting the token and from matching 126800 when 12680 is asked for."""
    whole, _, frac = printed.replace(",", "").partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"n{whole}p{frac}n" if frac else f"n{whole}n"


def number_tokens(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for m in NUMBER.finditer(text):
        seen.setdefault(number_token(m.group(0)), None)
    return list(seen)


def _body(page_html: str) -> tuple[int, int]:
    """Where the indexed article (data-pagefind-body) starts and ends; (-1, -1) without one."""
    start = page_html.find("data-pagefind-body")
    end = page_html.find(_ARTICLE_END, start) if start >= 0 else -1
    return (start, end) if end >= 0 else (-1, -1)


def keys_for(kind: Kind, page_html: str, form: str | None = None) -> str:
    """The keys of one page: category, the record's form (its own caption: 项目 or 部门整体),
    synonyms, and every number its article shows."""
    start, end = _body(page_html)
    text = html.unescape(_TAG.sub(" ", page_html[start:end])) if start >= 0 else ""
    words = [SENTINEL, kind.title, form or kind.form, *kind.search_terms, *number_tokens(text)]
    return " ".join(dict.fromkeys(w for w in words if w))


def add_keys(page_html: str, kind: Kind, form: str | None = None) -> str:
    """Put the keys into the page's article (the part Pagefind indexes), last, in an empty element."""
    _, end = _body(page_html)
    if end < 0:
        return page_html
    keys = html.escape(keys_for(kind, page_html, form), quote=True)
    element = f'<span data-pagefind-index-attrs="data-dc-keys" data-dc-keys="{keys}"></span>'
    return page_html[:end] + element + page_html[end:]


def vocab_bucket(char: str) -> str:
    return f"{ord(char) % VOCAB_BUCKETS:02x}"


def _chunk_words(_: None, chunks: list[Path]) -> set[str]:
    """The vocabulary's words in some index chunks."""
    out: set[str] = set()
    for chunk in chunks:
        data = cbor2.loads(gzip.decompress(chunk.read_bytes())[len(b"pagefind_dcd"):])
        for entry in data[0]:
            word = entry[0]
            if (isinstance(word, str) and len(word) <= VOCAB_MAX_CHARS and _LETTER.search(word)
                    and not _NUMBER_KEY.fullmatch(word)):
                out.add(word)
    return out


def write_vocabulary(bundle: Path) -> int:
    """Every word of the index with a letter in it (Chinese or Latin; not the numbers), in files by
    character (a word is in the file of each of its characters; the query's characters pick the few
    files a search needs), so the search page can split a query into the index's own words, also
    where a query starts or ends inside a word, and knows which words a bundle has at all: Pagefind
    answers a word it lacks with the longest word it has that begins it (绩效监控 → 绩效)."""
    buckets: dict[str, set[str]] = {}
    # Decoding the index chunks is most of the work (10,000 records: 274 chunks, ~25 s in one process).
    chunks = sorted((bundle / "index").glob("*.pf_index"))
    for words in map_chunks(_chunk_words, chunks, None, min_items=VOCAB_PARALLEL_FROM):
        for word in words:
            for char in set(word):
                buckets.setdefault(vocab_bucket(char), set()).add(word)
    folder = bundle / VOCAB_DIR
    folder.mkdir(exist_ok=True)
    for name in (f"{i:02x}" for i in range(VOCAB_BUCKETS)):
        words = sorted(buckets.get(name, ()))
        (folder / f"{name}.json").write_text(json.dumps(words, ensure_ascii=False, separators=(",", ":")),
                                             encoding="utf-8")
    return sum(len(b) for b in buckets.values())
