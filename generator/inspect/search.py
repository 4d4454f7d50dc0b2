"""Whether the site search is present and answers, read from Pagefind's bundle the way its script
queries it: entry → metadata → the index chunk that holds a word → the pages listing that word.

A sample of indexed pages is looked up by a word of its own title (Pagefind stores the segmented
text, so the word is one Pagefind itself cut); every sampled page must come back, and the filters
citizens narrow by (类别, 部门, 年度) must exist.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import cbor2

from generator.inspect.scorecard import DEDUCT, Finding

SIGNATURE = b"pagefind_dcd"
FILTERS = ("类别", "部门", "年度")
SAMPLE = 30
SEGMENT = "\u200b"  # Pagefind joins the words it segmented with zero-width spaces


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} 不是 Pagefind 文件")
    return data[len(SIGNATURE):]


def _word(content: str, title: str) -> str | None:
    """The first word of two or more characters that Pagefind cut from the page's title."""
    for word in content.split(SEGMENT):
        word = word.strip(" .·")
        if len(word) >= 2 and word in title and not word.isdigit():
            return word.lower()
    return None


def _pages(postings: list) -> list[int]:
    """Pagefind stores each word's page numbers as differences from the previous one."""
    out, number = [], 0
    for posting in postings:
        number += posting[0]
        out.append(number)
    return out


def check_search(site: Path) -> list[Finding]:
    bundle = site / "pagefind"
    item = "站内搜索可用"
    missing = [n for n in ("pagefind.js", "pagefind-entry.json") if not (bundle / n).is_file()]
    if missing or not (site / "search" / "index.html").is_file():
        return [Finding(item, DEDUCT, False, "没有检索页面或检索索引：" + "、".join(
            missing or ["search/index.html"]))]
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        problems: list[str] = []
        asked = answered = pages_total = 0
        for info in entry["languages"].values():
            meta = cbor2.loads(_read(bundle / f"pagefind.{info['hash']}.pf_meta"))
            pages, chunks, filters = meta[1], meta[2], dict(meta[3])
            pages_total += len(pages)
            problems += [f"缺少按“{f}”筛选" for f in FILTERS if f not in filters]
            step = max(1, len(pages) // SAMPLE)
            cache: dict[str, dict[str, list[int]]] = {}
            for number in range(0, len(pages), step):
                fragment = json.loads(_read(bundle / "fragment" / f"{pages[number][0]}.pf_fragment"))
                word = _word(fragment.get("content", ""), fragment.get("meta", {}).get("title", ""))
                if word is None:
                    continue
                asked += 1
                chunk = next((c[2] for c in chunks if c[0] <= word <= c[1]), None)
                if chunk is not None and chunk not in cache:
                    words = cbor2.loads(_read(bundle / "index" / f"{chunk}.pf_index"))[0]
                    cache[chunk] = {w[0]: _pages(w[1]) for w in words}
                if chunk is not None and number in cache[chunk].get(word, []):
                    answered += 1
                else:
                    problems.append(f"检索“{word}”找不到页面 {fragment.get('url')}")
    except (OSError, ValueError, KeyError, IndexError, TypeError, cbor2.CBORDecodeError) as exc:
        return [Finding(item, DEDUCT, False, f"检索索引无法读取（{exc}）")]
    if not pages_total:
        problems.append("检索索引中没有任何页面")
    ok = not problems and answered == asked
    return [Finding(item, DEDUCT, ok,
                    f"索引 {pages_total} 个页面；按标题中的词检索 {asked} 次，找到对应页面 {answered} 次；"
                    f"可按{'、'.join(FILTERS)}筛选" if ok else f"索引 {pages_total} 个页面，检索有问题", problems)]
