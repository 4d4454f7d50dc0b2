"""Issue 21: the unified platform over a synthetic region (one region site, two leagues, three counties),
each site built on its own with generator.build.build and served on 127.0.0.1, then `disclose platform
build` over their published output: home, compliance rollup, 四个统一, cross-site search in Chromium,
withdrawal, members that are down, slow, invalid or rewrote their log, and no byte of its own making.

Only the search test needs Chromium (marked browser); the others run wherever the suite runs.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.log import publog
from generator.log.publish import publish_log
from generator.model.catalog import bundled
from generator.platform import build as platform_build
from generator.platform.build import build_platform
from generator.platform.fetch import VOCAB_MAX_BYTES, fetch_member
from generator.platform.members import MemberSpec
from generator.site import search_keys
from generator.site.platform_manifest import generator_version, schema_hash
from generator.synth.region import PUBLISHED, synthesise_region
from tests.serving import CONTENT_TYPES, LocalServer

from . import search_ui
from .conftest import DESKTOP, Site, Tab

PREFIX = "/yjgk/"
PLATFORM_CODE = Path(__file__).resolve().parents[2] / "generator" / "platform"


class _Server(LocalServer):
    """One member site: its folder can be swapped and its answers slowed down while it runs."""

    root: Path
    delay: float = 0.0

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the platform gives up on a slow member before it answers: a broken pipe is expected


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def __init__(self, request: Any, client_address: Any, server: _Server):
        super().__init__(request, client_address, server, directory=str(server.root))

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "\0outside-the-site")
        return super().translate_path("/" + path[len(PREFIX):])

    def do_GET(self) -> None:
        if self.server.delay:
            time.sleep(self.server.delay)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def _serve(root: Path) -> _Server:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.root = root
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass(eq=False)
class Member:
    name: str
    level: str
    code: str
    src: Path
    site: Path
    server: _Server
    up: bool = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}"

    @property
    def manifest(self) -> dict:
        return json.loads((self.site / "platform.json").read_text(encoding="utf-8"))


@dataclass
class Region:
    tmp: Path
    members: list[Member]
    sites_yml: Path
    state: Path
    first: Path  # the first platform build's output
    first_output: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def by(self, code: str) -> Member:
        return next(m for m in self.members if m.code == code)


def _write_sites(region_tmp: Path, members: list[Member]) -> Path:
    path = region_tmp / "platform.yml"
    lines = ["members:"]
    for m in members:
        lines += [f"  - name: {m.name}", f"    level: {m.level}", f"    division_code: \"{m.code}\"",
                  f"    url: {m.url}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Any:
    tmp = tmp_path_factory.mktemp("platform")
    planned = synthesise_region(tmp / "src", records=10, seed=5)
    # The last county keeps its own copy of the schemas, one description changed: another schema version.
    odd = tmp / "src" / planned[-1].name
    shutil.copytree(bundled("schemas"), odd / "schemas", ignore=shutil.ignore_patterns("json"))
    common = odd / "schemas" / "common.schema.json"
    common.write_text(common.read_text(encoding="utf-8").replace("公开页面上显示的标题", "公开页面上显示的信息标题"),
                      encoding="utf-8")
    members = []
    for p in planned:
        build(tmp / "src" / p.name, tmp / "sites" / p.name)
        members.append(Member(f"{p.title}预算绩效管理信息公开专栏", p.level, p.division_code, tmp / "src" / p.name,
                              tmp / "sites" / p.name, _serve(tmp / "sites" / p.name)))
    sites = _write_sites(tmp, members)
    result = CliRunner().invoke(main, ["platform", "build", "--sites", str(sites), "--out", str(tmp / "out1"),
                                       "--state", str(tmp / "state"), "--timeout", "5"])
    assert result.exit_code == 0, result.output
    assert "6 个成员站点，6 个本次已更新" in result.stdout
    yield Region(tmp, members, sites, tmp / "state", tmp / "out1", result.output)
    for m in members:
        if m.up:
            m.server.shutdown()
        m.server.server_close()


def _text(path: Path) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))))


def _section(html: str, code: str, tag: str = "section") -> str:
    m = re.search(rf'<{tag} class="pf-site" data-division="{code}".*?</{tag}>', html, re.S)
    assert m, code
    return m.group(0)


# ---- the first build ----------------------------------------------------------------------------

def test_home_lists_every_level_and_member_with_counts(region):
    html = (region.first / "index.html").read_text(encoding="utf-8")
    positions = [html.index(f"<span>{level}</span>") for level in ("自治区本级", "盟市", "旗县")]
    assert positions == sorted(positions)
    for m in region.members:
        row = re.search(rf'<tr data-division="{m.code}">(.*?)</tr>', html, re.S).group(1)
        assert f'<a href="{m.url}">{m.name}</a>' in row
        assert f'<td class="pf-num">{len(m.manifest["records"])}</td>' in row and "正常" in row
    # the latest disclosures link to each record's page on its own site, never to a copy on the platform
    latest = re.search(r'<ol class="pf-latest">(.*?)</ol>', html, re.S).group(1)
    links = re.findall(r'<li><a href="([^"]+)">', latest)
    assert links and all(any(link.startswith(m.url + "records/") for m in region.members) for link in links)
    assert not (region.first / "records").exists()


def test_compliance_rollup_matches_each_sites_own_compliance_view(region):
    html = (region.first / "compliance" / "index.html").read_text(encoding="utf-8")
    names = {"应公开": "expected", "按时公开": "on_time", "逾期公开": "late", "逾期未公开": "missing", "未到期": "not_due"}
    columns = ["expected", "published", "on_time", "late", "missing", "not_due"]
    sums = dict.fromkeys(columns, 0)
    for m in region.members:
        page = (m.site / "compliance" / "index.html").read_text(encoding="utf-8")
        cards = {names[t]: int(n) for n, t in re.findall(
            r'<span class="dc-card__n">(\d+)</span><span class="dc-card__t">([^<]+)</span>', page)}
        assert len(cards) == 5, m.code
        section = _section(html, m.code)
        total = re.search(r'<table class="pf-table pf-site-total">.*?<tbody><tr>(.*?)</tr>', section, re.S).group(1)
        numbers = dict(zip(columns, map(int, re.findall(r">(\d+)</td>", total)), strict=True))
        assert {k: numbers[k] for k in cards} == cards, m.code
        assert numbers["expected"] > 0
        for k in columns:
            sums[k] += numbers[k]
    levels = re.search(r'<table class="pf-table" id="pf-levels">.*?</table>', html, re.S).group(0)
    level_rows = re.findall(r"<tr><th scope=\"row\">[^<]+</th>(.*?)</tr>", levels)
    per_level = [list(map(int, re.findall(r">(\d+)</td>", row)))[1:] for row in level_rows]
    assert [sum(col) for col in zip(*per_level, strict=True)] == [sums[k] for k in columns]


def test_unified_report_names_the_member_on_another_schema(region):
    html = (region.first / "unified" / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="pf-table" id="pf-unified">.*?</table>', html, re.S).group(0)
    odd = region.members[-1]
    rows = re.findall(r'<tr data-division="(\d+)">(.*?)</tr>', table, re.S)
    assert [code for code, _ in rows] == [odd.code]
    assert "记录结构（schemas）与平台不同" in rows[0][1] and odd.manifest["schema"]["hash"] in rows[0][1]
    assert schema_hash(bundled("schemas")) in rows[0][1]
    assert all(m.manifest["schema"]["hash"] == schema_hash(bundled("schemas")) for m in region.members[:-1])


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style") or ("class", "pf-problem") in attrs:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skip and tag in ("script", "style", "span"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.texts += [t.strip() for t in data.split("\n") if t.strip()]


_COMPUTED = re.compile(r"[\d\s.,:：—-]*|\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?")


def test_platform_output_holds_nothing_but_member_bytes_and_its_own_wording(region):
    corpus = []
    for m in region.members:
        for path in m.site.rglob("*"):
            if path.suffix in (".html", ".json", ".jsonl", ".csv", ".xml"):
                corpus.append(unescape(path.read_text(encoding="utf-8")))
    member_text = "\n".join(corpus)
    own = "\n".join(p.read_text(encoding="utf-8") for p in PLATFORM_CODE.rglob("*") if p.suffix in (".j2", ".py"))
    own += "\n" + generator_version() + "\n" + schema_hash(bundled("schemas"))
    unexplained = []
    for page in region.first.rglob("*.html"):
        parser = _Texts()
        parser.feed(page.read_text(encoding="utf-8"))
        for text in parser.texts:
            if not (_COMPUTED.fullmatch(text) or text in own or text in member_text):
                unexplained.append(f"{page.relative_to(region.first)}: {text}")
    data = json.loads((region.first / "search" / "members.json").read_text(encoding="utf-8"))
    for item in data:
        unexplained += [v for v in item["filters"].values() if v not in member_text]
    assert not unexplained, "\n".join(unexplained[:20])
    # The search bundles are byte-for-byte copies of each member's own bundle; nothing else is on the platform.
    for m in region.members:
        copy = region.first / "bundles" / m.code / "pagefind"
        files = [p for p in copy.rglob("*") if p.is_file()]
        assert len(files) > 5
        # with the member's query vocabulary: the platform's search splits queries into the index's words
        assert len(list((copy / search_keys.VOCAB_DIR).glob("*.json"))) == search_keys.VOCAB_BUCKETS
        for p in files:
            assert p.read_bytes() == (m.site / "pagefind" / p.relative_to(copy)).read_bytes(), p
    others = {p.relative_to(region.first).parts[0] for p in region.first.rglob("*") if p.is_file()}
    assert others == {"index.html", "search", "compliance", "unified", "status", "assets", "bundles"}


@pytest.fixture(scope="module")
def platform_site(region) -> Any:
    """The first build's output, served under /yjgk/ like the members (a platform may sit under a path too)."""
    server = _serve(region.first)
    yield Site(region.tmp, region.first, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}", None)
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "search/", "compliance/", "unified/", "status/"])
def test_platform_pages_pass_axe(browser, platform_site, path):
    from .test_browser_accessibility import _axe

    tab = Tab(browser, platform_site, **DESKTOP)
    try:
        page = tab.goto(path)
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert page.locator("h1").count() == 1
        if path == "search/":
            search_ui.wait_done(page)
            page.fill("#dc-search-input", "绩效目标")
            search_ui.wait_done(page, "绩效目标")
            page.wait_for_selector("#dc-search-results a")
        violations = _axe(page)
        assert not violations, "\n".join(violations)
    finally:
        tab.close()
    tab.check_clean()


@pytest.mark.browser
def test_cross_level_search_finds_a_county_record_and_opens_it_on_the_county_site(region, browser, platform_site):
    county = region.by(region.members[3].code)
    titles = [r["title"] for m in region.members for r in m.manifest["records"]]
    record = next(r for r in county.manifest["records"] if titles.count(r["title"]) == 1 and r["kind"] == "goal")
    tab = Tab(browser, platform_site, **DESKTOP)
    try:
        page = tab.goto("search/")
        search_ui.wait_done(page)
        # The filters come from the merged bundles: every level (in the levels' order) and place is offered.
        assert _options(page, "level") == ["自治区本级", "盟市", "旗县"]
        assert sorted(_options(page, "division")) == sorted(m.name for m in region.members)
        assert record["dept_name"] in _options(page, "dept") and "2025年" in _options(page, "year")
        page.fill("#dc-search-input", record["title"])
        search_ui.wait_done(page, record["title"])
        hrefs = _hrefs(page)
        target = county.url + record["path"]
        assert hrefs[0] == target  # the exact title first, as on a site
        # Only counties when the level filter says so.
        page.select_option("#dc-filter-level", "旗县")
        search_ui.wait_done(page, record["title"])
        counties = [m.url for m in region.members if m.level == "旗县"]
        hrefs = _hrefs(page)
        assert hrefs and all(any(h.startswith(u) for u in counties) for h in hrefs) and target in hrefs
        page.click(f'#dc-search-results a[href="{target}"]')
        page.wait_for_url(target)
        assert page.locator("h1").first.inner_text() == record["title"]
    finally:
        tab.close()
    tab.check_clean()


def _options(page: Any, name: str) -> list[str]:
    """A filter's values as offered (its options without the counts, without 全部…)."""
    texts = page.locator(f"#dc-filter-{name} option").all_inner_texts()[1:]
    return [re.sub(r"（\d+）$", "", t) for t in texts]


def _hrefs(page: Any) -> list[str]:
    """Every result's link (all pages of results), as the browser resolved it."""
    search_ui.all_results(page)
    return page.locator("#dc-search-results a").evaluate_all("els => els.map(e => e.href)")


def _ask(page: Any, query: str) -> set[str]:
    page.fill("#dc-search-input", query)
    search_ui.wait_done(page, query)
    return set(_hrefs(page))


def _article_numbers(page_html: str) -> list[str]:
    """The numbers a record page shows in its indexed article, as printed."""
    start = page_html.find("data-pagefind-body")
    body = unescape(re.sub(r"<[^>]+>", " ", page_html[start:page_html.find("</article>", start)]))
    return search_keys.NUMBER.findall(body)


@pytest.mark.browser
def test_platform_search_finds_what_citizens_type_across_levels(region, browser, platform_site):
    """Issue 19's search at the platform: category names, AND, no word dropped silently, numbers as typed,
    filters without a keyword; every result links to the record's page on its own member site."""
    records = {m.url + r["path"]: (m, r) for m in region.members for r in m.manifest["records"]}

    def on_member_sites(hrefs: set[str]) -> bool:
        return all(h in records for h in hrefs)

    # A category's name finds that category's records on every site that has them.
    by_kind: dict[str, set[str]] = {}
    for url, (_, r) in records.items():
        by_kind.setdefault(r["kind_title"], set()).add(url)
    kind = max(sorted(by_kind), key=lambda k: len({records[u][0].code for u in by_kind[k]}))
    sites = {records[u][0].code for u in by_kind[kind]}
    assert len(sites) >= 3, (kind, sites)
    tab = Tab(browser, platform_site, **DESKTOP)
    try:
        page = tab.goto("search/")
        search_ui.wait_done(page)
        found = _ask(page, kind)
        assert by_kind[kind] <= found and on_member_sites(found), (kind, by_kind[kind] - found)
        assert page.get_attribute("#dc-search-results", "data-match") == "full"

        # Several words: every one must match (the intersection of each word's own results).
        county = next(m for m in region.members if m.level == "旗县" and by_kind[kind] & {m.url + r["path"] for r in m.manifest["records"]})
        dept = next(records[u][1]["dept_name"] for u in sorted(by_kind[kind]) if records[u][0] is county)
        alone = _ask(page, dept)
        both = _ask(page, f"{kind} {dept}")
        assert both == found & alone and both < found and both < alone, (kind, dept)
        assert {u for u in by_kind[kind] if records[u][1]["dept_name"] == dept} <= both
        assert "找到" in search_ui.status(page) and on_member_sites(both)

        # A word no site has is never dropped silently: the labelled partial state, with what did match.
        partial = _ask(page, f"{kind} 火星")
        assert search_ui.status(page) == f"未找到与“{kind} 火星”完全匹配的信息"
        assert page.get_attribute("#dc-search-results", "data-match") == "partial"
        note = page.locator("#dc-search-partial").inner_text()
        assert f"“{kind}”" in note and "不包含“火星”" in note
        assert partial == found

        # A number typed without separators finds exactly the pages that print it with them (any level).
        shown: dict[str, set[str]] = {}
        for url, (m, r) in records.items():
            for printed in _article_numbers((m.site / r["path"] / "index.html").read_text(encoding="utf-8")):
                shown.setdefault(search_keys.number_token(printed), set()).add(url)
        printed = next(n for url, (m, r) in sorted(records.items()) for n in
                       _article_numbers((m.site / r["path"] / "index.html").read_text(encoding="utf-8")) if "," in n)
        typed = printed.replace(",", "")
        assert _ask(page, typed) == shown[search_keys.number_token(printed)], printed
        assert page.get_attribute("#dc-search-results", "data-match") == "full"

        # Filters without a keyword: all records of one level, with counts; one place and category via the URL.
        page.fill("#dc-search-input", "")
        search_ui.wait_done(page)
        page.select_option("#dc-filter-level", "旗县")
        search_ui.wait_done(page)
        counties = {u for u, (m, _) in records.items() if m.level == "旗县"}
        assert set(_hrefs(page)) == counties
        assert search_ui.status(page) == f"共 {len(counties)} 条符合筛选条件的公开信息"
        assert f"旗县（{len(counties)}）" in page.locator("#dc-filter-level option").all_inner_texts()
        assert "level=" in page.url  # the state is in the address, to share
        place = records[sorted(by_kind[kind])[0]][0]
        page.goto(platform_site.at("search/") + "?" + urlencode({"division": place.name, "kind": kind}))
        search_ui.wait_done(page)
        expected = {u for u in by_kind[kind] if records[u][0] is place}
        assert set(_hrefs(page)) == expected and expected
        metas = page.locator(".dc-search-meta").all_inner_texts()
        assert all(place.name in t and kind in t for t in metas)
        # The link opens the record on the member's own site.
        target = sorted(expected)[0]
        page.click(f'#dc-search-results a[href="{target}"]')
        page.wait_for_url(target)
        assert page.locator("h1").first.inner_text() == records[target][1]["title"]
    finally:
        tab.close()
    tab.check_clean()


@pytest.mark.browser
def test_a_member_bundle_that_does_not_arrive_is_named_and_the_others_are_searched(region, browser, tmp_path):
    """Pagefind waits for ever on a bundle whose entry file is missing: the page leaves that member out, by name."""
    out = tmp_path / "platform"
    shutil.copytree(region.first, out)
    lost = region.members[3]
    (out / "bundles" / lost.code / "pagefind" / "pagefind-entry.json").unlink()
    server = _serve(out)
    site = Site(region.tmp, out, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}", None)
    tab = Tab(browser, site, **DESKTOP)
    try:
        page = tab.goto("search/")
        search_ui.wait_done(page)
        assert lost.name in page.locator("#dc-search-missing").inner_text()
        found = _ask(page, "绩效目标")
        assert found and not any(h.startswith(lost.url) for h in found)
        assert {h.split("records/")[0] for h in found} == {m.url for m in region.members if m is not lost}
    finally:
        tab.close()
        server.shutdown()
        server.server_close()
    # the one missing file (its 404 and the console line Chromium writes for it), and nothing else
    assert all("pagefind-entry.json" in e or "status of 404" in e for e in tab.errors), tab.errors
    assert not tab.outside


def test_a_member_without_a_vocabulary_gets_one_from_its_own_index(region, tmp_path):
    """A member built before the query vocabulary (or with a damaged one) stays searchable: the platform
    writes its vocabulary from the member's public index, with the function a site uses — the same words."""
    m = region.members[3]
    own = m.site / "pagefind" / search_keys.VOCAB_DIR
    spec = MemberSpec(m.name, m.level, m.code, m.url)
    copied = fetch_member(spec, _empty(tmp_path / "copied"), timeout=5)
    assert json.loads((copied.folder / "fetch.json").read_text(encoding="utf-8"))["vocabulary"] == "copied"
    older = tmp_path / "older"
    shutil.copytree(m.site, older)
    shutil.rmtree(older / "pagefind" / search_keys.VOCAB_DIR)
    damaged = tmp_path / "damaged"
    shutil.copytree(m.site, damaged)
    (damaged / "pagefind" / search_keys.VOCAB_DIR / "41.json").write_text('["<script>", 1]', encoding="utf-8")
    # A vocabulary file too large is not taken either (every search page that needs it would load it).
    oversized = tmp_path / "oversized"
    shutil.copytree(m.site, oversized)
    big = '"\u4e00",' * (VOCAB_MAX_BYTES // 6 + 1)  # 6 bytes each in UTF-8
    (oversized / "pagefind" / search_keys.VOCAB_DIR / "00.json").write_text(f'[{big}"\u4e00"]', encoding="utf-8")
    for site in (older, damaged, oversized):
        snap = fetch_member(MemberSpec(m.name, m.level, m.code, str(site)), _empty(tmp_path / site.name / "x"),
                            timeout=5)
        assert json.loads((snap.folder / "fetch.json").read_text(encoding="utf-8"))["vocabulary"] == "derived"
        made = snap.folder / "pagefind" / search_keys.VOCAB_DIR
        assert sorted(p.name for p in made.iterdir()) == sorted(p.name for p in own.iterdir())
        assert all((made / p.name).read_bytes() == p.read_bytes() for p in own.iterdir())


def _empty(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


# ---- the second build: one county withdrew a record, members down, slow, invalid, rewritten --------

def _rewrite_log(m: Member, dest: Path) -> str:
    """A copy of the member's site whose log was rewritten (first line's time changed, chain redone) and
    which no longer shows one record; the manifest agrees with the new log. Returns that record's id."""
    shutil.copytree(m.site, dest)
    lines = (dest / "log" / "publication-log.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    first = publog.parse_time(events[0]["time"]) - timedelta(days=1)
    events[0]["time"] = publog.format_time(first)
    prev = publog.GENESIS
    out = []
    for e in events:
        e["prev"] = prev
        line = publog.serialise(e)
        prev = publog.line_hash(line.encode("utf-8"))
        out.append(line)
    (dest / "log" / "publication-log.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")
    manifest = json.loads((dest / "platform.json").read_text(encoding="utf-8"))
    gone = manifest["records"].pop(0)
    manifest["log"].update(events=len(out), head=prev)
    (dest / "platform.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return gone["id"]


@pytest.fixture(scope="module")
def second(region) -> Any:
    region_site, league, withdrawing, down, rewritten = (region.members[0], region.members[2], region.members[3],
                                                        region.members[4], region.members[5])
    # A county withdraws a record: removed from its content, logged, rebuilt and served as before.
    gone = withdrawing.manifest["records"][0]
    path = next(p for p in (withdrawing.src / "content").rglob(f"{gone['id']}.yml"))
    path.unlink()
    publish_log(withdrawing.src, commit=None, now=PUBLISHED + timedelta(days=2))
    build(withdrawing.src, withdrawing.site)
    assert gone["id"] not in (withdrawing.site / "platform.json").read_text(encoding="utf-8")
    # A county is down, a league serves an invalid manifest, the region's site answers too slowly.
    down.server.shutdown()
    down.server.server_close()  # connections are refused from now on
    down.up = False
    (league.site / "platform.json").write_text('{"format": "disclose-platform-manifest", "site":', encoding="utf-8")
    region_site.server.delay = 3
    # A league lost its 公开说明 page and uses a longer deadline (as its manifest says).
    other = region.members[1]
    (other.site / "about" / "index.html").unlink()
    manifest = other.manifest
    manifest["deadlines"]["approved_days"] = 30
    (other.site / "platform.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    # A county rewrote its log (and no longer shows one record).
    vanished = _rewrite_log(rewritten, region.tmp / "rewritten")
    rewritten.server.root = region.tmp / "rewritten"
    report = build_platform(region.sites_yml, region.tmp / "out2", region.state, timeout=1)
    region_site.server.delay = 0
    return report, gone, vanished, region.tmp / "out2"


def test_a_withdrawn_record_disappears_from_the_platform(region, second):
    _, gone, _, out = second
    code = region.members[3].code
    fragments = [len(list((o / "bundles" / code / "pagefind").rglob("*.pf_fragment"))) for o in (region.first, out)]
    assert fragments[0] == fragments[1] + 1
    for path in out.rglob("*.html"):
        assert gone["id"] not in path.read_text(encoding="utf-8"), path
    bundle = out / "bundles" / region.members[3].code / "pagefind"
    member = region.members[3].site / "pagefind"
    assert sorted(p.name for p in bundle.rglob("*.pf_fragment")) == sorted(p.name for p in member.rglob("*.pf_fragment"))
    state = json.loads((region.state / "state.json").read_text(encoding="utf-8"))
    assert gone["id"] not in state["members"][region.members[3].code]["records"]


def test_members_that_failed_are_reported_and_keep_their_last_copy(region, second):
    report, _, _, out = second
    messages = "\n".join(report.messages)
    status = _text(out / "status" / "index.html")
    expected = {region.members[4]: "无法连接", region.members[2]: "不是有效的 JSON", region.members[0]: "秒未响应"}
    for m, what in expected.items():
        assert f"成员站点“{m.name}”（{m.code}）未能更新" in messages and what in messages, messages
        assert "保留" in messages
        row = re.search(rf"{m.name} {m.code} {m.level} 未能更新：[^。]*{what}", status)
        assert row, (m.code, status[:2000])
    home = (out / "index.html").read_text(encoding="utf-8")
    first_home = (region.first / "index.html").read_text(encoding="utf-8")
    for m in expected:
        # its records are still there, from the copy of the first build, search bundle included
        row = re.search(rf'<tr data-division="{m.code}">(.*?)</tr>', home, re.S).group(1)
        first_row = re.search(rf'<tr data-division="{m.code}">(.*?)</tr>', first_home, re.S).group(1)
        count = re.search(r'<td class="pf-num">(\d+)</td>', first_row).group(1)
        assert "未能更新" in row and f'<td class="pf-num">{count}</td>' in row and int(count) > 0
        assert (out / "bundles" / m.code / "pagefind" / "pagefind-entry.json").is_file()
    compliance = (out / "compliance" / "index.html").read_text(encoding="utf-8")
    failed = re.search(r'<h2 id="failed">.*?</section>', compliance, re.S).group(0)
    assert all(m.name in failed for m in expected) and "获取的副本" in failed
    assert "6 个成员站点，6 个本次已更新" in region.first_output


def test_a_member_whose_log_does_not_extend_is_flagged_and_its_vanished_record_kept_as_withdrawn(region, second):
    report, _, vanished, out = second
    m = region.members[5]
    assert any("公开日志没有延续" in line and m.name in line for line in report.messages)
    status = (out / "status" / "index.html").read_text(encoding="utf-8")
    kept = re.search(r'<ul id="pf-withdrawn">(.*?)</ul>', status, re.S).group(1)
    assert vanished in kept and "已撤回" in kept and f'data-division="{m.code}"' in kept
    # the withdrawn record is not offered as a current disclosure
    assert vanished not in (out / "index.html").read_text(encoding="utf-8")


def test_unified_report_names_missing_pages_and_other_deadlines(region, second):
    _, _, _, out = second
    html = (out / "unified" / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="pf-table" id="pf-unified">.*?</table>', html, re.S).group(0)
    league = re.findall(rf'<tr data-division="{region.members[1].code}">(.*?)</tr>', table, re.S)
    assert len(league) == 2
    assert "缺少必备页面：公开说明" in league[0] + league[1]
    assert "公开时限设置不同：随预决算公开的天数" in league[0] + league[1] and "<code>30</code>" in league[0] + league[1]
    assert "<code>20</code>" in league[0] + league[1]  # the region's own setting, kept from its last copy
    assert f'<tr data-division="{region.members[-1].code}">' in table  # still on its own schema


def test_a_failed_render_leaves_the_output_and_the_state_as_they_were(region, second, monkeypatch):
    _, _, _, out = second
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    state_before = (region.state / "state.json").read_bytes()

    def broken(members, site, built):
        (site / "index.html").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(platform_build, "render", broken)
    with pytest.raises(OSError):
        build_platform(region.sites_yml, out, region.state, timeout=1)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert (region.state / "state.json").read_bytes() == state_before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out2.build-")]
