"""Issue 19: search that finds what citizens type — the relevance suite on the example site and on a
synthetic corpus, in Chromium against the built Pagefind index, and the search page's states
(no full match, filter-only browse, sorting, state in the URL, clean excerpts)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.serving import serve

from . import relevance, search_ui
from .conftest import Site, Tab

pytestmark = pytest.mark.browser

def test_relevance_suite_on_the_example_site(tab: Tab, site) -> None:
    pages = relevance.read_pages(site.dir)
    qs = relevance.example_suite(pages)
    assert len(qs) >= 80, len(qs)
    page = tab.goto(site.pages["检索"])
    search_ui.wait_done(page)
    outcomes = relevance.run(page, qs)
    report = relevance.report(outcomes)
    print("\n".join(report))
    bad = [line for line in report if "←" in line]
    assert not bad, "检索相关性不达标：\n" + "\n".join(bad)
    # The categories and exact titles: every record of the category, the record itself first.
    for o in outcomes:
        if o.query.group in ("类别", "标题"):
            assert o.query.must <= set(o.found), o.query.text


@pytest.fixture(scope="module")
def synth_site(tmp_path_factory) -> Iterator[Site]:
    from generator.build import build
    from generator.model.config import load_config

    tmp = tmp_path_factory.mktemp("synth")
    root = tmp / "corpus"
    subprocess.run([sys.executable, "-m", "generator", "synth", "--records", "150", "--seed", "3", str(root)], check=True, capture_output=True)
    out = tmp / "site"
    build(root, out)
    config = load_config(root)
    with serve(out, urlsplit(config.site.base_url).path or "/") as url:
        yield Site(root, out, url, config, {"检索": "search/"})


def test_relevance_suite_on_a_synthetic_corpus(browser, synth_site) -> None:
    pages = relevance.read_pages(synth_site.dir)
    records = [p for p in pages if p.path.endswith("/")]
    assert len(records) >= 100
    qs = relevance.synth_suite(pages)
    t = Tab(browser, synth_site, viewport={"width": 1280, "height": 900})
    try:
        page = t.goto("search/")
        search_ui.wait_done(page)
        outcomes = relevance.run(page, qs)
        t.check_clean()
    finally:
        t.close()
    report = relevance.report(outcomes)
    print("\n".join(report))
    bad = [line for line in report if "←" in line]
    assert not bad, "检索相关性不达标（合成语料）：\n" + "\n".join(bad)


@pytest.mark.parametrize("query, found_word, missing_word", [("火星基地", "基地", "火星"), ("核电站", None, "核电站")])
def test_a_word_that_matches_nothing_is_never_dropped_silently(tab: Tab, site, query, found_word, missing_word) -> None:
    page = tab.goto(site.pages["检索"])
    search_ui.search(page, query)
    assert search_ui.status(page) == f"未找到与“{query}”完全匹配的信息"
    assert page.locator("#dc-search-results").get_attribute("data-match") == "partial"
    label = page.locator("#dc-search-partial")
    if found_word:
        # The results for the word that matched are there, labelled as such, naming both words.
        assert label.is_visible()
        text = label.inner_text()
        assert f"“{found_word}”" in text and f"不包含“{missing_word}”" in text
        excerpts = page.locator(".dc-search-excerpt mark").all_inner_texts()
        assert excerpts and set(excerpts) == {found_word}
    else:
        assert not label.is_visible() and page.locator(".dc-search-link").count() == 0


def test_every_typed_word_must_match(tab: Tab, site) -> None:
    pages = relevance.read_pages(site.dir)
    page = tab.goto(site.pages["检索"])
    both = set(search_ui.search(page, "教育厅 学生资助"))
    one = set(search_ui.search(page, "学生资助"))
    assert both and both < one
    assert both == relevance.expected(pages, "教育厅 学生资助")


def _records(site) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(site.dir.glob("records/*/*.json"))
            if p.stem == p.parent.name]


def test_filters_browse_without_a_keyword_with_counts(tab: Tab, site) -> None:
    records = _records(site)
    page = tab.goto(site.pages["检索"])
    search_ui.wait_done(page)
    dept, year, kind = "内蒙古自治区教育厅", "2025年", "绩效监控情况"
    want = sorted(r["id"] for r in records
                  if r["dept_name"] == dept and f"{r['fields']['year']}年" == year and r["kind_title"] == kind)
    assert len(want) >= 2
    # Before any choice, each option counts every page of its value.
    kinds = page.locator("#dc-filter-kind option").all_inner_texts()
    assert f"{kind}（{sum(1 for r in records if r['kind_title'] == kind)}）" in kinds
    for select, value in (("#dc-filter-dept", dept), ("#dc-filter-year", year), ("#dc-filter-kind", kind)):
        page.select_option(select, value)
        search_ui.wait_done(page)
    ids = search_ui.record_ids(search_ui.all_results(page))
    assert sorted(ids) == want
    assert search_ui.count(page) == len(want)
    assert page.locator(f"#dc-filter-kind option[value='{kind}']").inner_text() == f"{kind}（{len(want)}）"


def test_results_show_title_department_year_category_date_and_a_clean_excerpt(tab: Tab, site) -> None:
    page = tab.goto(site.pages["检索"])
    search_ui.search(page, "12680")
    first = page.locator(".dc-search-result").first
    fields = dict(zip(first.locator(".dc-search-meta span").evaluate_all("es => es.map(e => e.dataset.field)"),
                      first.locator(".dc-search-meta span").all_inner_texts(), strict=True))
    assert set(fields) == {"类别", "部门", "年度", "公开日期"}
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", fields["公开日期"])
    excerpt = first.locator(".dc-search-excerpt").inner_text()
    assert "12,680.00" in excerpt and not re.search(r"\.\s", excerpt)
    assert " ｜ " in excerpt  # table cells stand apart
    assert first.locator(".dc-search-excerpt mark").all_inner_texts() == ["12,680.00"]


def test_results_sort_by_date(tab: Tab, site) -> None:
    records = {r["id"]: r for r in _records(site)}
    page = tab.goto(site.pages["检索"] + "?q=" + quote("学生资助") + "&sort=date")
    search_ui.wait_done(page, "学生资助")
    # Record pages by their first publication, newest first; attachments' text pages (undated) after them.
    paths = search_ui.all_results(page)
    dated = [p for p in paths if p.endswith("/")]
    assert paths[: len(dated)] == dated
    firsts = [records[i]["publication"]["first_published"] for i in search_ui.record_ids(dated)]
    assert len(firsts) >= 5 and firsts == sorted(firsts, reverse=True)
    assert page.locator("#dc-search-sort").input_value() == "date"


def test_search_state_is_in_the_url_and_survives_a_reload(tab: Tab, site) -> None:
    page = tab.goto(site.pages["检索"])
    search_ui.search(page, "监控")
    page.select_option("#dc-filter-year", "2025年")
    search_ui.wait_done(page, "监控")
    ids = search_ui.all_results(page)
    url = page.url
    assert "q=%E7%9B%91%E6%8E%A7" in url and "year=2025" in url
    # A shared link, opened afresh, shows the same search.
    other = tab.context.new_page()
    other.goto(url)
    search_ui.wait_done(other, "监控")
    assert other.locator("#dc-search-input").input_value() == "监控"
    assert other.locator("#dc-filter-year").input_value() == "2025年"
    assert search_ui.all_results(other) == ids
    other.reload()
    search_ui.wait_done(other, "监控")
    assert search_ui.all_results(other) == ids
    other.close()


# Every change of the result list, as the reader could see it: (state, query, number of results).
WATCH_LIST = """window.__seen = [];
document.addEventListener("DOMContentLoaded", function () {
  var l = document.getElementById("dc-search-results");
  new MutationObserver(function () {
    window.__seen.push([l.dataset.state || "", l.dataset.query || "", l.querySelectorAll(".dc-search-link").length]);
  }).observe(l, {childList: true, attributes: true});
});"""


def test_a_query_typed_while_the_index_loads_is_answered_once_and_whole(browser, site) -> None:
    """Typed before the filters have loaded (a slow connection): the page answers that query, never
    shows it finished with an empty list, and raises no error on the way."""
    with serve(site.dir, urlsplit(site.config.site.base_url).path or "/", slow={"/pagefind/filter/": 1.5}) as url:
        tab = Tab(browser, Site(site.root, site.dir, url, site.config, {}))
        try:
            tab.context.add_init_script(WATCH_LIST)
            tab.page.goto(tab.site.at("search/"), wait_until="domcontentloaded")
            tab.page.fill("#dc-search-input", "学生资助")
            search_ui.wait_done(tab.page, "学生资助")
            found = search_ui.all_results(tab.page)
            seen = tab.page.evaluate("window.__seen")
            # Asked again for what the list already shows (Enter, or the run that starts once the index
            # is in): the finished list stays as it is, it does not go busy and redraw.
            tab.page.press("#dc-search-input", "Enter")
            tab.page.wait_for_timeout(600)
            again = tab.page.evaluate("window.__seen")[len(seen):]
            tab.check_clean()
        finally:
            tab.close()
    assert found
    shown_empty = [s for s in seen if s[0] == "done" and s[1] == "学生资助" and s[2] == 0]
    assert not shown_empty, seen
    assert again == [], again


@pytest.mark.parametrize("missing", ["/pagefind/index/", "/pagefind/dc-vocab/"], ids=["索引分块", "词表"])
def test_an_index_file_that_does_not_arrive_is_reported_not_taken_for_no_result(tab: Tab, site, missing) -> None:
    """Pagefind logs a failed index file and answers as if the words were not there; the page must
    not tell a citizen that nothing was published."""
    tab.page.route(f"**{missing}**", lambda route: route.abort())
    page = tab.goto(site.pages["检索"])
    page.fill("#dc-search-input", "学生资助")
    page.wait_for_function(search_ui.DONE, arg="学生资助")
    assert page.get_attribute("#dc-search-results", "data-state") == "error"
    assert "检索索引未能完整加载" in search_ui.status(page) or "检索出错" in search_ui.status(page)
    assert "未找到" not in search_ui.status(page) and page.locator(".dc-search-link").count() == 0
    # The browser reported the files that failed; nothing else went wrong.
    assert tab.errors and all("Failed to" in e or "ERR_FAILED" in e for e in tab.errors), tab.errors
    tab.errors.clear()


def test_search_page_has_no_inline_script_or_handler(site) -> None:
    text = (site.dir / "search" / "index.html").read_text(encoding="utf-8")
    # The search page's own part (the theme's scripts are the CSP work's, elsewhere).
    start = text.index('id="dc-search"')
    search_part = text[start:text.index("</article>", start)]
    assert 'src="../assets/search.js"' in search_part
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", search_part)
    assert not re.search(r"\son[a-z]+=", search_part)
    assert Path(site.dir / "pagefind" / "dc-vocab").is_dir()


def test_several_bundles_are_searched_as_one(browser, site, tmp_path) -> None:
    """A sharded build will index parts of the site apart (one Pagefind bundle each): the search
    page merges the bundles it is given and answers as with one index."""
    from generator.site.search_index import EXCLUDED
    from generator.site.search_keys import write_vocabulary

    out = tmp_path / "site"
    shutil.copytree(site.dir, out)
    for name, glob in (("pagefind-a", "records/[a-k]*/**/*.html"), ("pagefind-b", "records/[l-z]*/**/*.html")):
        cmd = [sys.executable, "-m", "pagefind", "--site", str(out), "--output-subdir", name, "--glob", glob, "--silent"]
        for selector in EXCLUDED:
            cmd += ["--exclude-selectors", selector]
        subprocess.run(cmd, check=True, capture_output=True)
        write_vocabulary(out / name)
    search_html = out / "search" / "index.html"
    text = search_html.read_text(encoding="utf-8")
    assert 'data-bundles="pagefind/"' in text
    search_html.write_text(text.replace('data-bundles="pagefind/"', 'data-bundles="pagefind-a/,pagefind-b/"'),
                           encoding="utf-8")
    with serve(out, urlsplit(site.config.site.base_url).path or "/") as url:
        _compare_merged(browser, site, Site(site.root, out, url, site.config, {}))


def _compare_merged(browser, site: Site, merged: Site) -> None:
    one, two = Tab(browser, site), Tab(browser, merged)
    try:
        p1, p2 = one.goto("search/"), two.goto("search/")
        for query in ("监控", "绩效监控", "学生资助", "12680", "火灾 林草局", "绩效自评", "2025年"):
            a, b = search_ui.search(p1, query), search_ui.search(p2, query)
            assert sorted(a) == sorted(b) and a, query
            # Both halves answer: the results come from both bundles.
            if query == "监控":
                assert {p.split("/")[1][0] for p in b} & set("abcdefghijk") and \
                    {p.split("/")[1][0] for p in b} & set("lmnopqrstuvwxyz")
        requested = two.page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert any("/pagefind-b/" in u for u in requested) and not any("/pagefind/" in u for u in requested)
        one.check_clean()
        two.check_clean()
    finally:
        one.close()
        two.close()
