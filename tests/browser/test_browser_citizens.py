"""Issue 8: what a citizen does on the example site, in a real browser — search in Chinese, filter,
read a record's form, download the data, filter the log, read the charts, on a desktop and a phone."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from . import search_ui
from .conftest import Tab

pytestmark = pytest.mark.browser

QUERY = "学生资助"  # Pagefind's extended build segments Chinese, so a two-word query finds the titles
EXPECTED = "jyt-2026-goal-xszz"
MONITORING = "jyt-2026-mon-xszz"
FILTERS = [("部门", "内蒙古自治区教育厅"), ("年度", "2026年"), ("类别", "绩效目标")]


def _record(site, record_id: str) -> dict:
    path = site.dir / "records" / record_id / f"{record_id}.json"
    assert path.is_file(), f"示例站点中没有记录 {record_id}（示例内容改了？）"
    return json.loads(path.read_text(encoding="utf-8"))


def _search(page, query: str) -> list[str]:
    return search_ui.record_ids(search_ui.search(page, query))


def test_chinese_query_finds_the_record_and_filters_narrow(tab: Tab, site) -> None:
    expected = _record(site, EXPECTED)
    assert QUERY in expected["fields"]["title"]
    page = tab.goto(site.pages["检索"])
    ids = _search(page, QUERY)
    assert EXPECTED in ids
    unfiltered = previous = search_ui.count(page)
    assert unfiltered == len(ids)
    select = {"部门": "#dc-filter-dept", "年度": "#dc-filter-year", "类别": "#dc-filter-kind"}
    for label, value in FILTERS:
        # Options read "2026年（3）": the value and how many of the results it keeps.
        option = page.locator(f"{select[label]} option[value='{value}']").inner_text()
        shown = int(re.fullmatch(rf"{re.escape(value)}（(\d+)）", option).group(1))
        page.select_option(select[label], value)
        search_ui.wait_done(page, QUERY)
        count = search_ui.count(page)
        assert count == shown, f"筛选“{label}：{value}”：选项显示 {shown} 条，结果 {count} 条"
        assert count <= previous, f"筛选“{label}：{value}”后结果反而增多"
        previous = count
        ids = search_ui.record_ids(search_ui.all_results(page))
        assert EXPECTED in ids and len(ids) == count
        for rid in ids:  # every result satisfies every filter chosen so far
            data = _record(site, rid)
            chosen = dict(FILTERS[: FILTERS.index((label, value)) + 1])
            assert data["dept_name"] == chosen["部门"]
            if "年度" in chosen:
                assert f"{data['fields']['year']}年" == chosen["年度"]
            if "类别" in chosen:
                assert data["kind_title"] == chosen["类别"]
    assert previous < unfiltered, "筛选没有缩小结果"


def test_a_query_with_no_match_says_so(tab: Tab, site) -> None:
    page = tab.goto(site.pages["检索"])
    assert search_ui.search(page, "xyzzyplugh") == []
    assert "未找到" in search_ui.status(page) and "xyzzyplugh" in search_ui.status(page)


def test_record_page_shows_its_form(tab: Tab, site) -> None:
    data = _record(site, EXPECTED)
    page = tab.goto(site.pages["信息页"])
    assert page.locator("h1").inner_text() == data["fields"]["title"]
    captions = page.locator("table caption").all_inner_texts()
    assert any(c.endswith("基本信息") for c in captions)
    assert "绩效指标" in captions
    assert any(c.startswith("资金情况") for c in captions)
    form = page.locator("table.dc-form").first
    assert form.locator("th", has_text="记录编号").count() == 1
    assert EXPECTED in form.inner_text()
    indicators = page.locator("table.dc-indicators")
    for row in data["indicators"]:
        assert indicators.locator("td", has_text=row["name"]).count() >= 1
    # One-level and two-level indicator names span their rows, as on the paper form.
    assert indicators.locator("th[scope=rowgroup][rowspan]").count() >= 2
    assert page.locator("a", has_text="JSON").get_attribute("href") == f"{EXPECTED}.json"


DOWNLOADS = {
    "records/{id}/{id}.json": "application/json",
    "records/{id}/{id}.csv": "text/csv",
    "data/datapackage.json": "application/json",
    "data/departments.csv": "text/csv",
    "feed.xml": "application/xml",
    "log/publication-log.jsonl": "application/jsonl",
    "log/publication-log.csv": "text/csv",
    "catalog.jsonld": "application/ld+json",
}


def test_downloads_answer_with_their_content_type(tab: Tab, site) -> None:
    paths = [p.format(id=EXPECTED) for p in DOWNLOADS]
    bulk = sorted((site.dir / "data").glob("*-20*.csv"))
    assert bulk, "没有按类别和年度的批量 CSV"
    paths += [f"data/{p.name}" for p in bulk]
    for path in paths:
        response = tab.context.request.get(site.at(path))
        assert response.status == 200, path
        ctype = response.headers["content-type"]
        expected = DOWNLOADS.get(path.replace(EXPECTED, "{id}"), "text/csv")
        assert ctype.split(";")[0] == expected, f"{path}: {ctype}"
        body = response.body().decode("utf-8")
        if path.endswith((".json", ".jsonld")):
            json.loads(body)
        elif path.endswith(".jsonl"):
            assert all(json.loads(line)["seq"] for line in body.splitlines())
        elif path.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(body)))
            assert len(rows) >= 2 and rows[0], path
        elif path.endswith(".xml"):
            assert ElementTree.fromstring(body).tag == "{http://www.w3.org/2005/Atom}feed"
    # The data page links every bulk file, and each link works from the page.
    page = tab.goto(site.pages["开放数据"])
    linked = page.locator("table a[type='text/csv']").evaluate_all("els => els.map(e => e.href)")
    assert {urlsplit(u).path.rsplit("/", 1)[1] for u in linked} >= {p.name for p in bulk}


def test_log_page_filters_by_department(tab: Tab, site) -> None:
    assert "日志月份" in site.pages, "公开日志没有月份页"
    page = tab.goto(site.pages["日志月份"])
    rows = page.locator("#dc-log tbody tr")
    total = rows.count()
    depts = page.locator("#dc-log-dept option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    assert len(depts) >= 2
    page.select_option("#dc-log-dept", depts[0])
    visible = page.locator("#dc-log tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.dept)")) == {depts[0]}
    page.select_option("#dc-log-dept", "")
    assert page.locator("#dc-log tbody tr:not([hidden])").count() == total


def test_every_page_type_loads_without_errors_or_outside_requests(tab: Tab, site) -> None:
    for name, path in site.pages.items():
        tab.goto(path)
        if name == "检索":
            _search(tab.page, QUERY)
        tab.check_clean()
    assert len(site.pages) >= 14, sorted(site.pages)


PHONE_PAGES = ["首页", "栏目", "信息页", "检索"]


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_phone_width_nothing_overflows(phone: Tab, site, name: str) -> None:
    page = phone.goto(site.pages[name])
    if name == "检索":
        _search(page, QUERY)
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, _overflowing(page)
    # A table wider than the phone scrolls inside its own container, never the page.
    for table in page.locator("table").all():
        box = table.bounding_box()
        if box and box["width"] > 375:
            container = table.locator("xpath=ancestor::div[contains(@class,'dc-scroll')][1]")
            assert container.count() == 1, "宽表格不在 .dc-scroll 中"
            assert container.evaluate("e => getComputedStyle(e).overflowX") == "auto"
            assert container.evaluate("e => e.scrollWidth > e.clientWidth")
    slug = {"首页": "home", "栏目": "column", "信息页": "record", "检索": "search"}[name]
    phone.screenshot(f"phone-375-{slug}.png", full_page=True)


def _overflowing(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
                     && !e.closest('.dc-scroll'))
        .slice(0, 10).map(e => e.tagName + '.' + e.className)""")


def test_wide_form_reads_as_cards_on_a_phone(phone: Tab, site) -> None:
    # A monitoring form has the widest indicator table (target, actual, deviation, likelihood …): on a phone
    # each indicator is a card of "栏目：值" lines, so nothing is squeezed to a character per line.
    _record(site, MONITORING)
    page = phone.goto(f"records/{MONITORING}/")
    table = page.locator("table.dc-indicators")
    assert table.evaluate("t => getComputedStyle(t).display") == "block"
    rows = table.locator("tbody tr")
    assert rows.count() >= 2
    first = rows.first.bounding_box()
    assert first["width"] <= 375 and first["x"] >= 0
    label = table.locator("td[data-label='指标值']").first
    assert label.evaluate("c => getComputedStyle(c, '::before').content") == '"指标值："'
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, _overflowing(page)
    phone.screenshot("phone-375-record-monitoring.png", full_page=True)


def _chart_values(figure) -> list[list[str]]:
    # textContent: the table sits in a closed <details>, where innerText is empty.
    return figure.locator("table tbody tr").evaluate_all(
        "rs => rs.map(r => [...r.children].map(c => c.textContent.trim()))")


@pytest.mark.parametrize("javascript", [True, False])
def test_charts_are_static_svg_with_text_alternatives(browser, site, javascript: bool) -> None:
    t = Tab(browser, site, java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    try:
        for name in ("首页", "部门"):
            page = t.goto(site.pages[name])
            figures = page.locator("figure.dc-chart")
            assert figures.count() >= 2, f"{name}没有图表"
            for figure in figures.all():
                svg = figure.locator("svg")
                assert svg.get_attribute("role") == "img"
                title, desc = svg.locator("title").text_content(), svg.locator("desc").text_content()
                assert title and desc
                labelled = svg.get_attribute("aria-labelledby").split()
                assert [svg.locator(f"#{i}").count() for i in labelled] == [1, 1]
                assert title in figure.locator("figcaption").inner_text()
                assert figure.locator("table caption").count() == 1
                assert figure.locator("table th[scope]").count() >= 2
                assert svg.locator("rect.dc-chart__bar").count() >= 1
        t.check_clean()
    finally:
        t.close()


def test_department_chart_shows_the_public_execution_rates(tab: Tab, site) -> None:
    page = tab.goto(site.pages["部门"])
    rates = {}
    for path in (site.dir / "records").glob("jyt-*/*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["fields"].get("execution_rate") is not None:
            rates[data["fields"]["title"]] = (data["kind_title"], data["fields"]["year"],
                                              Decimal(str(data["fields"]["execution_rate"])))
    assert rates, "示例部门没有公开执行率"
    seen = 0
    for figure in page.locator("figure.dc-chart", has=page.locator("text=各项目预算执行率")).all():
        for title, value in _chart_values(figure):
            assert title in rates
            assert value == f"{rates[title][2]:.1f}%"
            seen += 1
        # The bars are drawn for the same numbers the table lists.
        labels = figure.locator("svg text.dc-chart__value").all_text_contents()
        assert labels == [v for _, v in _chart_values(figure)][: len(labels)]
    assert seen >= 2


def test_grade_chart_counts_the_public_grades(tab: Tab, site) -> None:
    page = tab.goto(site.pages["首页"])
    figure = page.locator("figure.dc-chart", has=page.locator("text=绩效评价等级分布"))
    year = int(re.match(r"(\d{4})年", figure.locator("figcaption strong").inner_text()).group(1))
    counts: dict[str, int] = {}
    for path in (site.dir / "records").glob("*/*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        grade = data["fields"].get("grade")
        if grade and data["fields"]["year"] == year:
            counts[grade] = counts.get(grade, 0) + 1
    table = {row[0]: int(row[-1]) for row in _chart_values(figure)}
    assert table == {g: counts.get(g, 0) for g in ("优", "良", "中", "差")}


def test_record_page_describes_itself_as_a_schema_org_dataset(tab: Tab, site) -> None:
    data = _record(site, EXPECTED)
    page = tab.goto(site.pages["信息页"])
    ld = json.loads(page.locator("script[type='application/ld+json']").text_content())
    base = site.config.site.base_url
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Dataset"
    assert ld["name"] == data["fields"]["title"]
    assert ld["description"]
    assert ld["temporalCoverage"] == str(data["fields"]["year"])
    assert ld["publisher"]["name"] == site.config.site.organisation
    assert ld["creator"]["name"] == data["dept_name"]
    assert ld["url"] == f"{base}records/{EXPECTED}/"
    assert ld["datePublished"] == data["publication"]["first_published"]
    assert ld["dateModified"]
    formats = {d["encodingFormat"]: d["contentUrl"] for d in ld["distribution"]}
    assert formats == {"application/json": f"{base}records/{EXPECTED}/{EXPECTED}.json",
                       "text/csv": f"{base}records/{EXPECTED}/{EXPECTED}.csv"}
    for url in formats.values():
        assert tab.context.request.get(site.at(url[len(base):])).status == 200


def test_dcat_catalogue_lists_every_bulk_dataset(tab: Tab, site) -> None:
    base = site.config.site.base_url
    catalog = tab.context.request.get(site.at("catalog.jsonld")).json()
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["dct:publisher"]["foaf:name"]["@value"] == site.config.site.organisation
    package = json.loads((site.dir / "data" / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"] if not r["name"].endswith("-indicators")}
    datasets = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert set(datasets) == names
    downloads = [dist["dcat:downloadURL"]["@id"] for d in datasets.values() for dist in d["dcat:distribution"]]
    workbooks = sorted((site.dir / "data").glob("*.xlsx"))
    assert workbooks and len(downloads) == len(package["resources"]) + len(workbooks)
    for url in downloads:
        assert url.startswith(base)
        response = tab.context.request.get(site.at(url[len(base):]))
        media = "text/csv" if url.endswith(".csv") else "application/vnd.openxmlformats-officedocument.spreadsheetml"
        assert response.status == 200 and response.headers["content-type"].startswith(media), url
    goal = datasets["goal-2026"]
    assert goal["dct:temporal"]["dcat:startDate"]["@value"] == "2026-01-01"
    assert goal["dcat:landingPage"]["@id"] == f"{base}goals/2026/"
