"""Issues 8 and 12: accessibility (GB/T 37668) checked in the browser — axe-core in both reading
modes, the page language, table headers and captions, heading order, the skip link, and keyboard
access with a visible focus to every link, filter and the search field."""

from __future__ import annotations

import pytest

from . import search_ui
from .conftest import Tab

pytestmark = pytest.mark.browser

AXE_PAGES = ["首页", "栏目", "部门", "信息页", "检索", "日志月份", "开放数据", "无障碍说明"]
BLOCKING = ("serious", "critical")
FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [f"{v['id']}（{v['impact']}）：{v['help']} — " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in results["violations"] if v["impact"] in BLOCKING]


def _reading(tab: Tab, on: bool) -> None:
    # As if the reader had pressed the button on an earlier visit.
    tab.context.add_init_script(f"localStorage.setItem('dc-reading', '{'1' if on else '0'}')")


@pytest.mark.parametrize("reading", [False, True], ids=["普通模式", "长者模式"])
@pytest.mark.parametrize("name", AXE_PAGES)
def test_axe_finds_no_serious_or_critical_violation(tab: Tab, site, name: str, reading: bool) -> None:
    _reading(tab, reading)
    page = tab.goto(site.pages[name])
    assert page.evaluate("document.documentElement.classList.contains('dc-reading')") is reading
    if name == "检索":
        assert search_ui.search(page, "学生资助")
    violations = _axe(page)
    assert not violations, "\n".join(violations)


def test_every_page_type_declares_chinese_and_has_one_h1_and_ordered_headings(tab: Tab, site) -> None:
    for name, path in site.pages.items():
        page = tab.goto(path)
        assert page.evaluate("document.documentElement.lang") == "zh-CN", name
        levels = page.locator("article h1, article h2, article h3, article h4, article h5, article h6").evaluate_all(
            "hs => hs.filter(h => h.checkVisibility()).map(h => +h.tagName[1])")
        assert levels[:1] == [1] and levels.count(1) == 1, f"{name}：{levels}"
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{name}：标题从 h{before} 跳到 h{after}"


def test_every_table_has_a_caption_and_scoped_headers(tab: Tab, site) -> None:
    checked = 0
    for name, path in site.pages.items():
        page = tab.goto(path)
        for table in page.locator("article table").all():
            caption = table.locator("caption")
            assert caption.count() == 1 and caption.text_content().strip(), f"{name}：表格没有标题"
            headers = table.locator("th")
            assert headers.count() >= 1, f"{name}：表格没有表头"
            scopes = headers.evaluate_all("ths => ths.map(th => th.getAttribute('scope'))")
            assert all(s in ("col", "row", "colgroup", "rowgroup") for s in scopes), f"{name}：{scopes}"
            checked += 1
    assert checked >= 20


def test_skip_link_is_first_on_every_page_and_moves_focus_to_the_content(tab: Tab, site) -> None:
    for name, path in site.pages.items():
        page = tab.goto(path)
        page.keyboard.press("Tab")
        first = page.evaluate("[document.activeElement.classList.contains('dc-skip'), document.activeElement.textContent.trim()]")
        assert first == [True, "跳到正文"], f"{name}：{first}"
        page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")  # shown when focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "dc-main", name
        page.keyboard.press("Tab")
        # The next stop is inside the page's own content, past the header and the navigation.
        assert page.evaluate("!!document.activeElement.closest('article')"), name


def _tab_through(page) -> tuple[list[str], list[str]]:
    """Press Tab until focus comes round; return the focusable elements never reached and those
    reached without a visible focus outline."""
    total = page.evaluate(f"""() => {{
        const els = [...document.querySelectorAll("{FOCUSABLE}")]
          .filter(e => !e.disabled && !e.closest('[hidden]') && e.tabIndex >= 0
                       && e.checkVisibility({{visibilityProperty: true, opacityProperty: true}}));
        els.forEach((e, i) => e.dataset.kb = i);
        return els.length;
    }}""")
    reached: set[str] = set()
    invisible: list[str] = []
    for _ in range(total + 10):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const e = document.activeElement, s = getComputedStyle(e);
            const shown = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
            return [e.dataset.kb ?? null, shown, e.outerHTML.slice(0, 120)];
        }""")
        if info[0] is not None:
            reached.add(info[0])
            if not info[1]:
                invisible.append(info[2])
    missed = page.evaluate("ids => [...document.querySelectorAll('[data-kb]')].filter(e => !ids.includes(e.dataset.kb))"
                           ".map(e => e.outerHTML.slice(0, 120))", sorted(reached))
    return missed, invisible


@pytest.mark.parametrize("name", ["首页", "检索", "日志月份", "信息页"])
def test_keyboard_reaches_every_link_filter_and_field_with_visible_focus(tab: Tab, site, name: str) -> None:
    page = tab.goto(site.pages[name])
    if name == "检索":
        assert search_ui.search(page, "学生资助")
        page.evaluate("document.activeElement.blur()")
        assert page.locator("#dc-search select").count() == 4
    missed, invisible = _tab_through(page)
    assert not missed, "Tab 键到不了：\n" + "\n".join(missed)
    assert not invisible, "获得焦点时看不出来：\n" + "\n".join(invisible)


def test_search_field_and_filters_work_from_the_keyboard(tab: Tab, site) -> None:
    page = tab.goto(site.pages["检索"])
    search_ui.wait_done(page)
    page.keyboard.press("Tab")  # skip link
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id === 'dc-search-input'"):
            break
    else:
        pytest.fail("Tab 键到不了检索框")
    page.keyboard.type("学生资助")
    search_ui.wait_done(page, "学生资助")
    before = search_ui.count(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id === 'dc-filter-year'"):
            break
    else:
        pytest.fail("Tab 键到不了筛选项")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.getElementById('dc-filter-year').value !== ''")
    search_ui.wait_done(page, "学生资助")
    page.wait_for_function("n => !document.getElementById('dc-search-status').innerText.includes(' ' + n + ' ')", arg=before)
    assert 0 < search_ui.count(page) < before
