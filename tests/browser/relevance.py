"""The search relevance suite (issue 19): queries as citizens type them, with the results each
should give, run in Chromium against a built site's real Pagefind index.

What a query should find is worked out from the built pages, not from the index: the pages whose
text (the indexed article without the form's labels; tags dropped, full-width folded, spaces
ignored) contains every word of the query, or, for a number, shows that number in any printed form; a category's name also expects
every record of that category. Used by tests/browser/test_browser_search.py and by
benchmarks/bench_search.py (recall and precision per query).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator.site.search_keys import NUMBER, SENTINEL, number_token

from . import search_ui

_BODY = re.compile(r"<article[^>]*data-pagefind-body[^>]*>(.*?)</article>", re.S)
# Not indexed: the line repeating category · department · year (filters), and the form's labels
# (search_index.EXCLUDED: captions, column heads, row labels), the same on every page of a kind.
_IGNORED = re.compile(r"<p class=\"dc-meta[^\"]*\" data-pagefind-ignore>.*?</p>|<caption>.*?</caption>|<thead>.*?</thead>"
                      r"|<th scope=\"row\">.*?</th>", re.S)
_TITLE = re.compile(r"<h1 data-pagefind-meta=\"title\">(.*?)</h1>", re.S)
_FILTER = re.compile(r"data-pagefind-filter=\"([^\"]+)\">([^<]*)<")
_KEYS = re.compile(r"data-dc-keys=\"([^\"]*)\"")
_TAG = re.compile(r"<[^>]+>")
_SPLIT = re.compile(r"[\s，,、；;。！!？?“”\"'‘’（）()《》〈〉【】\[\]{}<>:：·|｜/\\+]+")
# Year, then a kind's ending: what is left is the project's name.
_PROJECT = re.compile(r"^\d{4}年度?(.+?)(绩效目标监控情况（1–7月）|绩效监控情况|绩效目标|绩效自评结果|部门评价结果|重点绩效评价报告|事前绩效评估报告)$")


def fold(text: str) -> str:
    """As the search page reads a query: NFKC, lower case, no spaces, no thousands separators."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", "", re.sub(r"(\d),(?=\d{3}(?!\d))", r"\1", text))


@dataclass
class IndexedPage:
    path: str          # from the site root: records/<id>/ or records/<id>/<file>.html
    title: str
    kind: str
    dept: str
    year: str
    text: str          # folded
    numbers: set[str]
    keys: list[str]


@dataclass
class Query:
    text: str
    group: str
    expected: set[str]
    must: set[str] = field(default_factory=set)   # found at 100 % (a category's records)
    first: str | None = None                      # the result that must come first
    nothing: bool = False                         # no full match: the "未找到…完全匹配" state


@dataclass
class Outcome:
    query: Query
    found: list[str]
    full: bool
    status: str
    excerpts: list[str]

    @property
    def hits(self) -> int:
        return len(set(self.found) & self.query.expected)

    @property
    def recall(self) -> float:
        return self.hits / len(self.query.expected) if self.query.expected else (1.0 if not self.found else 0.0)

    @property
    def precision(self) -> float:
        return self.hits / len(self.found) if self.found else (1.0 if not self.query.expected else 0.0)

    def problems(self) -> list[str]:
        q, out = self.query, []
        if q.nothing:
            if self.full:
                out.append(f"应为“未找到…完全匹配”，实为：{self.status}")
            elif "未找到" not in self.status or "完全匹配" not in self.status:
                out.append(f"状态不是“未找到…完全匹配”：{self.status}")
            return out
        missed = q.must - set(self.found)
        if missed:
            out.append(f"漏掉 {sorted(missed)[:5]}")
        if q.first and (not self.found or self.found[0] != q.first):
            out.append(f"首条应为 {q.first}，实为 {self.found[:1]}")
        if not self.full:
            out.append(f"没有完全匹配：{self.status}")
        if q.group == "数字" and set(self.found) != q.expected:
            out.append(f"应恰好找到显示该数字的 {len(q.expected)} 页，实为 {len(self.found)} 页")
        for e in self.excerpts:
            if re.search(r"\.\s", e):
                out.append(f"摘要中有“. ”：{e[:60]}")
        return out


def read_pages(site: Path) -> list[IndexedPage]:
    pages = []
    for path in sorted((site / "records").glob("*/*.html")):
        raw = path.read_text(encoding="utf-8")
        m = _BODY.search(raw)
        if not m:
            continue
        body = m.group(1)
        filters = dict(_FILTER.findall(body))
        keys = html.unescape(_KEYS.search(body).group(1)).split() if _KEYS.search(body) else []
        text = html.unescape(_TAG.sub(" ", _IGNORED.sub(" ", body)))
        rel = path.relative_to(site).as_posix()
        pages.append(IndexedPage(
            path=rel[: -len("index.html")] if rel.endswith("/index.html") else rel,
            title=html.unescape(_TITLE.search(body).group(1)).strip(),
            kind=html.unescape(filters.get("类别", "")), dept=html.unescape(filters.get("部门", "")),
            year=filters.get("年度", ""), text=fold(text),
            numbers={number_token(n) for n in NUMBER.findall(unicodedata.normalize("NFKC", text))},
            keys=[k for k in keys if k != SENTINEL and not re.fullmatch(r"n\d+(p\d+)?n", k)],
        ))
    return pages


def words(query: str) -> list[str]:
    text = re.sub(r"(\d),(?=\d{3}(?!\d))", r"\1", unicodedata.normalize("NFKC", query).lower())
    return [fold(w) for w in _SPLIT.split(text) if w]


def _matches(page: IndexedPage, word: str) -> bool:
    if re.fullmatch(r"\d+(\.\d+)?", word):
        return number_token(word) in page.numbers
    return word in page.text or any(word in fold(k) for k in page.keys)


def expected(pages: list[IndexedPage], query: str) -> set[str]:
    ws = words(query)
    return {p.path for p in pages if ws and all(_matches(p, w) for w in ws)}


def _q(pages: list[IndexedPage], text: str, group: str, **kw: Any) -> Query:
    return Query(text, group, expected(pages, text), **kw)


def queries(pages: list[IndexedPage], extra_kinds: dict[str, list[str]] | None = None,
            nonsense: tuple[str, ...] = ()) -> list[Query]:
    """Queries derived from a corpus: categories, titles, projects, departments, years, numbers,
    indicator names, phrases, identifiers and words that are nowhere in it."""
    records = [p for p in pages if p.path.endswith("/")]
    out: list[Query] = []
    kinds = sorted({p.kind for p in records})
    for kind in kinds:
        names = [kind] + (extra_kinds or {}).get(kind, [])
        own = {p.path for p in records if p.kind == kind}
        for name in names:
            out.append(_q(pages, name, "类别", must=own))
    titles: dict[str, list[str]] = {}
    for p in records:
        titles.setdefault(p.title, []).append(p.path)
    for title, paths in titles.items():
        # Two records with one title (two departments' projects): both first, in either order.
        out.append(_q(pages, title, "标题", first=paths[0] if len(paths) == 1 else None, must=set(paths)))
    projects = sorted({m.group(1) for p in records if (m := _PROJECT.match(p.title))})
    for name in projects:
        out.append(_q(pages, name, "项目名称", must={p.path for p in records if name in p.title}))
        part = name[:4]
        out.append(_q(pages, part, "项目名称片段", must={p.path for p in records if part in p.title}))
    depts = sorted({p.dept for p in records})
    for dept in depts:
        out.append(_q(pages, dept, "部门", must={p.path for p in records if p.dept == dept}))
    for year in sorted({p.year for p in records}):
        out.append(_q(pages, year, "年度", must={p.path for p in records if p.year == year}))
    return out + [q for q in nonsense_queries(pages, nonsense)]


def nonsense_queries(pages: list[IndexedPage], texts: tuple[str, ...]) -> list[Query]:
    out = []
    for text in texts:
        q = _q(pages, text, "无此内容", nothing=True)
        assert not q.expected, f"“{text}”在语料中出现，不能当作查无结果的查询"
        out.append(q)
    return out


def numbers(pages: list[IndexedPage], amounts: list[str]) -> list[Query]:
    """Each amount typed as printed (12,680.00), bare (12680) and with decimals (12680.00)."""
    out = []
    for printed in amounts:
        bare = printed.replace(",", "")
        whole = bare.split(".")[0]
        for typed in dict.fromkeys([printed, bare, whole if bare.endswith(".00") else bare]):
            out.append(_q(pages, typed, "数字", must=expected(pages, typed)))
    return out


def literal(pages: list[IndexedPage], group: str, texts: list[str]) -> list[Query]:
    out = []
    for text in texts:
        q = _q(pages, text, group)
        assert q.expected, f"“{text}”不在语料中（示例内容改了？）"
        q.must = set(q.expected)
        out.append(q)
    return out


# The categories' other names citizens type (issue 19); each must find every record of its category.
EXAMPLE_NAMES = {
    "绩效监控情况": ["绩效监控", "监控情况", "监控", "监控情况表"],
    "绩效监控报告": ["监控报告", "绩效监控报告"],
    "部门评价结果": ["绩效自评", "自评", "绩效评价"],
    "绩效目标": ["绩效目标表"],
    "事前评估结果": ["事前评估", "事前绩效评估"],
    "财政评价结果": ["财政评价", "重点绩效评价"],
    "通知公告与工作动态": ["通知公告", "工作动态"],
}
NONSENSE = ("火星基地", "核电站", "xyzzyplugh", "量子计算机", "绩笑目标", "学生资注", "監控報告", "12680.01", "9999999")
INDICATORS = ["学生资助政策知晓率", "森林火灾受害率", "养老服务床位总数", "临时救助人次", "林火早期发现率",
              "标准化考点达标率", "受助学生满意度", "天然林蓄积量", "学校食堂供餐率", "护林员满意度",
              "沙化土地综合治理面积", "特困人员救助供养人数"]
PHRASES = ["综合得分91.2分", "8月31日前报送监控报告", "自评得分99.94分", "每生每天5元",
           "春季学期资助资金已全部发放", "食堂供餐率未达到年度目标", "执行进度正常", "普通高考"]
SHORT_NAMES = ["教育厅", "林草局", "民政厅", "财政厅"]
MULTI = ["教育厅 学生资助", "2025 监控报告", "林草局 火灾", "民政厅 养老 2026", "学生资助 12,680.00"]


def example_suite(pages: list[IndexedPage]) -> list[Query]:
    """The example site's queries (content/): at least 80."""
    qs = queries(pages, EXAMPLE_NAMES, NONSENSE)
    qs += numbers(pages, ["12,680.00", "13,092.35", "431,206.80"])
    qs += literal(pages, "指标名称", INDICATORS)
    qs += literal(pages, "报告语句", PHRASES)
    qs += literal(pages, "部门简称", SHORT_NAMES)
    qs += literal(pages, "多个词语", MULTI)
    ids = sorted(p.path.split("/")[1] for p in pages if p.path.endswith("/"))[:6]
    for rid in ids:
        qs.append(_q(pages, rid, "记录编号", first=f"records/{rid}/", must={f"records/{rid}/"}))
    return qs


def synth_suite(pages: list[IndexedPage]) -> list[Query]:
    """A synthetic corpus's queries (disclose synth): categories, titles, projects, departments,
    years, amounts, and words that are nowhere in it."""
    qs = queries(pages, {"绩效监控情况": ["绩效监控", "监控"], "部门评价结果": ["绩效自评"]},
                 ("火星基地", "核电站", "xyzzyplugh"))
    amounts = sorted({m.groups() for p in pages for t in p.numbers if (m := re.fullmatch(r"n(\d{4,})p(\d{1,2})n", t))})
    # Typed as printed (12,680.50), bare and with decimals.
    return qs + numbers(pages, [f"{int(w):,}.{f.ljust(2, '0')}" for w, f in amounts[:3]])


def run(page: Any, qs: list[Query]) -> list[Outcome]:
    outcomes = []
    for q in qs:
        found = search_ui.search(page, q.text)
        full = page.locator("#dc-search-results").get_attribute("data-match") != "partial"
        # Results for only some of the words are shown apart, labelled: they are not answers.
        outcomes.append(Outcome(q, found if full else [], full, search_ui.status(page),
                                page.locator(".dc-search-excerpt").all_inner_texts()))
    return outcomes


def report(outcomes: list[Outcome]) -> list[str]:
    lines = [f"{'recall':>7} {'prec.':>6} {'found':>5} {'exp.':>5}  group     query"]
    for o in outcomes:
        lines.append(f"{o.recall:7.0%} {o.precision:6.0%} {len(o.found):5d} {len(o.query.expected):5d}  "
                     f"{o.query.group:8s}  {o.query.text}" + ("  ← " + "; ".join(o.problems()) if o.problems() else ""))
    hits = sum(o.hits for o in outcomes)
    exp = sum(len(o.query.expected) for o in outcomes)
    got = sum(len(o.found) for o in outcomes)
    lines.append(f"overall: {len(outcomes)} queries, recall {hits / max(exp, 1):.1%} ({hits}/{exp}), "
                 f"precision {hits / max(got, 1):.1%} ({hits}/{got}), "
                 f"mean recall {sum(o.recall for o in outcomes) / max(len(outcomes), 1):.1%}, "
                 f"mean precision {sum(o.precision for o in outcomes) / max(len(outcomes), 1):.1%}, "
                 f"queries with a problem {sum(1 for o in outcomes if o.problems())}")
    return lines


def search_url(query: str) -> str:
    return "?q=" + quote(query)
