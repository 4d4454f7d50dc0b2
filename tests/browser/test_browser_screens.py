"""Readable on any screen (issue 22): at 375 px, at 1280 px and in 长者模式 no table cell is narrower than two
characters of its font and nothing is clipped or pushed out of reach (element boxes, not screenshots);
every top-level section is visible or in a visible menu; record pages carry 当前位置 and their dates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, Tab

RECORDS = {"goal": "jyt-2026-goal-xszz", "monitoring": "jyt-2026-mon-kswb", "evaluation": "jyt-2025-eval-xszz"}
MODES = {"375": (PHONE, False), "1280": (DESKTOP, False), "长者模式": (DESKTOP, True)}


@pytest.fixture(params=list(MODES))
def screen(request, browser, site) -> Iterator[tuple[str, Tab]]:
    options, reading = MODES[request.param]
    t = Tab(browser, site, **options)
    if reading:
        t.context.add_init_script("localStorage.setItem('dc-reading', '1')")
    yield request.param, t
    t.close()
    t.check_clean()


# Cells shown on screen (a stacked table's header row stays only for screen readers, clipped to 1 px).
NARROW_CELLS = """() => [...document.querySelectorAll('.md-content table th, .md-content table td')]
  .filter(c => c.getClientRects().length && c.textContent.trim())
  .filter(c => { for (let a = c; a; a = a.parentElement) { const s = getComputedStyle(a);
                   if (s.position === 'absolute' && s.clip && s.clip !== 'auto') return false; }
                 return true; })
  .map(c => { const s = getComputedStyle(c);
              const inner = c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
              return {text: c.textContent.trim().slice(0, 12), inner, need: 2 * parseFloat(s.fontSize),
                      visible: s.visibility !== 'hidden' && s.position !== 'absolute'}; })
  .filter(c => c.visible && c.inner < c.need)"""

# Anything in the content that ends right of the viewport (and is not inside a box that scrolls
# sideways and can be reached with the keyboard), or that cuts its own content off.
CLIPPED = """() => {
  const width = document.documentElement.clientWidth, out = [];
  const hidden = e => { for (let a = e; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || (s.position === 'absolute' && s.clip && s.clip !== 'auto')) return true; }
    return false; };
  const scroller = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll'].includes(s.overflowX)) return a; }
    return null; };
  for (const e of document.querySelectorAll('.md-content *')) {
    if (!e.getClientRects().length || hidden(e) || e.closest('.dc-sr-only')) continue;
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    if (r.right > width + 0.5 || r.left < -0.5) {
      const box = scroller(e);
      if (!box || box.getBoundingClientRect().right > width + 0.5 || box.tabIndex < 0)
        out.push('超出屏幕：' + e.tagName + ' ' + (e.textContent || '').trim().slice(0, 20));
    }
    const clips = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY);
    if (clips && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
      out.push('内容被裁切：' + e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 20));
    if (['TD', 'TH'].includes(e.tagName) && e.scrollWidth > e.clientWidth + 1)
      out.push('单元格内容溢出：' + (e.textContent || '').trim().slice(0, 20));
  }
  return out.slice(0, 20);
}"""


@pytest.mark.parametrize("kind", list(RECORDS))
def test_record_tables_readable_and_nothing_clipped(screen: tuple[str, Tab], site, kind: str) -> None:
    mode, tab = screen
    page = tab.goto(f"records/{RECORDS[kind]}/")
    assert page.evaluate("document.documentElement.classList.contains('dc-reading')") == (mode == "长者模式")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    assert page.evaluate(NARROW_CELLS) == []
    assert page.evaluate(CLIPPED) == []
    # The indicator table: cards (label: value) on a phone and in 长者模式, one grid on a desktop.
    indicators = page.locator("table.dc-indicators")
    if indicators.count():
        display = indicators.evaluate("t => getComputedStyle(t).display")
        assert display == ("table" if mode == "1280" else "block"), (mode, display)
        if mode != "1280":
            cell = indicators.locator("td[data-label]").first
            assert cell.evaluate("c => getComputedStyle(c, '::before').content").startswith('"')
    tab.screenshot(f"screen-{mode}-{kind}.png", full_page=True)


@pytest.mark.parametrize("path", ["", "goals/", "compliance/", "data/"])
def test_list_pages_readable_and_nothing_clipped(screen: tuple[str, Tab], site, path: str) -> None:
    mode, tab = screen
    page = tab.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    assert page.evaluate(NARROW_CELLS) == []
    assert page.evaluate(CLIPPED) == []


SECTIONS = ["depts/", "search/", "log/", "data/", "compliance/", "about/", "conformance/"]

VISIBLE_LINKS = """sel => [...document.querySelectorAll(sel + ' a[href]')]
  .filter(a => { const r = a.getBoundingClientRect(), s = getComputedStyle(a);
                 return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth + 0.5
                        && s.visibility !== 'hidden'; })
  .map(a => new URL(a.href).pathname)"""


def _expected(site) -> set[str]:
    from generator.model.catalog import load_catalog

    kinds = [f"{k.folder}/" for k in load_catalog(site.root).kinds.values()]
    prefix = site.url[len(site.url.split("/yjgk/")[0]):]
    return {prefix + p for p in kinds + SECTIONS}


@pytest.mark.parametrize("reading", [False, True])
def test_every_top_level_section_is_visible_or_in_a_visible_menu(browser, site, reading: bool) -> None:
    tab = Tab(browser, site, **DESKTOP)
    try:
        if reading:
            tab.context.add_init_script("localStorage.setItem('dc-reading', '1')")
        page = tab.goto("")
        tabs = page.evaluate(VISIBLE_LINKS, ".md-tabs")
        # No tab hidden in an overflow: the row of tabs fits the window.
        assert page.evaluate("document.querySelector('.md-tabs__list').scrollWidth") <= page.evaluate("innerWidth")
        reached = set(tabs)
        for href in tabs:  # a grouped tab opens a page whose side menu lists the group
            page.goto(page.url.split("/yjgk/")[0] + href)
            reached |= set(page.evaluate(VISIBLE_LINKS, ".md-sidebar--primary"))
        missing = _expected(site) - reached
        assert not missing, f"到不了的栏目：{sorted(missing)}"
        assert not any(h.endswith("/guide/") for h in reached)  # the editor's guide is not public
        tab.check_clean()
    finally:
        tab.close()


def test_every_section_is_in_the_phone_menu(phone: Tab, site) -> None:
    page = phone.goto("")
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_timeout(400)
    reached = set(page.evaluate(VISIBLE_LINKS, ".md-nav--primary"))
    # Each group of the drawer (公开信息, 更多) opens as a panel of its own, and closes with its title.
    groups = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item--nested > label.md-nav__link")
    for i in range(groups.count()):
        toggle = groups.nth(i).get_attribute("for")
        groups.nth(i).click()
        page.wait_for_timeout(400)
        reached |= set(page.evaluate(VISIBLE_LINKS, ".md-nav--primary"))
        page.locator(f"label.md-nav__title[for='{toggle}']").click()
        page.wait_for_timeout(400)
    missing = _expected(site) - reached
    assert not missing, f"手机菜单中到不了的栏目：{sorted(missing)}"


@pytest.mark.parametrize("kind", list(RECORDS))
def test_record_page_has_breadcrumb_dates_and_linked_source(screen: tuple[str, Tab], site, kind: str) -> None:
    _, tab = screen
    page = tab.goto(f"records/{RECORDS[kind]}/")
    crumbs = page.locator("nav[aria-label='当前位置']")
    assert crumbs.is_visible()
    assert crumbs.locator("a").all_inner_texts()[0] == "首页"
    meta = page.locator(".dc-record-meta")
    assert meta.is_visible()
    text = meta.inner_text()
    assert "发布时间：" in text and "来源：" in text
    assert meta.locator("time").count() >= 1
    hrefs = meta.locator("a").evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    assert any("/depts/jyt/" in h for h in hrefs) and len(hrefs) == 3
    # 发布时间 stands under the title, before the form.
    title_box: Any = page.locator("h1").first.bounding_box()
    assert meta.bounding_box()["y"] > title_box["y"]


def test_category_page_lists_records_newest_first_and_filters(tab: Tab, site) -> None:
    page = tab.goto("goals/")
    rows = page.locator("#dc-kind-list tbody tr")
    dates = rows.evaluate_all("rs => rs.map(r => r.lastElementChild.textContent.trim())")
    assert len(dates) >= 10
    def day(text: str) -> tuple[int, int, int]:
        import re
        y, m, d = map(int, re.match(r"(\d+)年(\d+)月(\d+)日", text).groups())
        return (y, m, d)
    assert [day(d) for d in dates] == sorted((day(d) for d in dates), reverse=True)
    page.select_option("#dc-kind-year", "2025")
    page.select_option("#dc-kind-dept", "lcj")
    shown = rows.evaluate_all("rs => rs.filter(r => !r.hidden).map(r => [r.dataset.year, r.dataset.dept])")
    assert shown and all(y == "2025" and d == "lcj" for y, d in shown)
