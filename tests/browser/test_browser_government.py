"""Issue 12: what an inspection of a government website checks — the identifiers in every footer,
the reading mode (长者模式) across pages and on a phone, and a record that prints as a clean form."""

from __future__ import annotations

import json

import pytest

from generator.model.formatting import cn_date, parse_day

from . import search_ui
from .conftest import PHONE, Tab

pytestmark = pytest.mark.browser


def test_footer_carries_every_identifier_on_every_page_type(tab: Tab, site) -> None:
    s = site.config.site
    for name, path in site.pages.items():
        page = tab.goto(path)
        footer = page.locator("footer .dc-footer")
        assert footer.count() == 1, f"{name}：没有页面底部标识"
        text = footer.inner_text()
        for label, value in [("主办单位", s.organisation), ("网站标识码", s.site_code), ("ICP 备案号", s.icp),
                             ("公安机关备案号", s.psb), ("联系电话", s.contact.phone), ("通信地址", s.contact.address)]:
            assert value in text, f"{name}：页面底部缺少{label}“{value}”"
        links = {a.inner_text().strip(): a.get_attribute("href") for a in footer.locator("a").all()}
        assert links["门户网站首页"] == s.portal_url, name
        assert links["我为政府网站找错"] == s.error_report_url, name
        assert links[s.icp] == "https://beian.miit.gov.cn/", name
        # 公安备案: the number links to the ministry's record and carries the badge.
        digits = "".join(ch for ch in s.psb if ch.isdigit())
        assert links[s.psb] == f"https://beian.mps.gov.cn/#/query/webSearch?code={digits}", name
        badge = footer.locator("a.dc-footer__psb img")
        assert badge.evaluate("i => i.complete && i.naturalWidth > 0"), name
        assert footer.is_visible()


def test_footer_keeps_off_the_screen_edge_on_a_phone(phone: Tab, site) -> None:
    page = phone.goto("")
    # The footer's text keeps a margin from both edges of the screen.
    text = page.locator("footer .dc-footer__text").bounding_box()
    assert text["x"] >= 12 and text["x"] + text["width"] <= 375 - 12, text


def _font_px(page, selector: str = "article p") -> float:
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def _line_height_ratio(page, selector: str = "article p") -> float:
    return page.locator(selector).first.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize)")


def test_reading_mode_is_on_every_page_and_persists_across_navigation(tab: Tab, site) -> None:
    page = tab.goto(site.pages["首页"])
    button = page.locator("button.dc-reading-toggle")
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    normal_font, normal_lines = _font_px(page), _line_height_ratio(page)
    normal_colour = page.locator("article p").first.evaluate("e => getComputedStyle(e).color")
    tab.screenshot("reading-mode-off-home.png")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert _font_px(page) >= normal_font * 1.2, "长者模式应放大字号"
    assert _line_height_ratio(page) >= max(1.9, normal_lines + 0.3), "长者模式应加宽行距"
    assert page.locator("article p").first.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    assert normal_colour != "rgb(0, 0, 0)"
    tab.screenshot("reading-mode-on-home.png")
    # Follow links as a reader would: home → a department → a record; the mode stays on.
    page.locator("article a[href$='depts/']").first.click()
    page.wait_for_load_state()
    for name in ("部门", "信息页", "检索", "404"):
        page = tab.goto(site.pages[name])
        assert page.evaluate("document.documentElement.classList.contains('dc-reading')"), name
        assert page.locator("button.dc-reading-toggle").get_attribute("aria-pressed") == "true", name
    page = tab.goto(site.pages["信息页"])
    page.locator("button.dc-reading-toggle").click()
    page = tab.goto(site.pages["首页"])
    assert not page.evaluate("document.documentElement.classList.contains('dc-reading')")
    assert abs(_font_px(page) - normal_font) < 0.5


def test_reading_mode_is_applied_before_the_first_paint(tab: Tab, site) -> None:
    tab.goto(site.pages["首页"])
    tab.page.evaluate("localStorage.setItem('dc-reading', '1')")
    # The class is on <html> before the body is parsed: no flash of small type.
    tab.page.add_init_script("""new MutationObserver((_, o) => { if (document.body) { window.__atBody = document.documentElement.className; o.disconnect(); } })
        .observe(document, {childList: true, subtree: true});""")
    page = tab.goto(site.pages["信息页"])
    assert "dc-reading" in page.evaluate("window.__atBody")


@pytest.mark.parametrize("name", ["首页", "栏目", "信息页", "检索"])
def test_reading_mode_does_not_break_a_phone_layout(browser, site, name: str) -> None:
    t = Tab(browser, site, **PHONE)
    try:
        t.context.add_init_script("localStorage.setItem('dc-reading', '1')")
        page = t.goto(site.pages[name])
        assert page.evaluate("document.documentElement.classList.contains('dc-reading')")
        if name == "检索":
            assert search_ui.search(page, "学生资助")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        button = page.locator("button.dc-reading-toggle")
        box = button.bounding_box()
        assert button.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 375
        if name in ("首页", "信息页"):
            slug = {"首页": "home", "信息页": "record"}[name]
            t.screenshot(f"phone-375-reading-mode-{slug}.png", full_page=True)
        t.check_clean()
    finally:
        t.close()


def test_record_prints_as_a_clean_form(tab: Tab, site) -> None:
    page = tab.goto(site.pages["信息页"])
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".md-banner", ".dc-toolbar"):
        hidden = page.locator(chrome).evaluate_all("es => es.every(e => !e.checkVisibility())")
        assert hidden, f"打印时不应出现 {chrome}"
    # Every table prints whole: nothing is cut off by a scrolling container.
    for scroller in page.locator(".dc-scroll").all():
        assert scroller.evaluate("e => getComputedStyle(e).overflowX") == "visible"
        assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    footer = page.locator(".dc-print-footer")
    assert footer.is_visible()
    text = footer.inner_text()
    record_id = site.pages["信息页"].split("/")[1]
    assert f"{site.config.site.base_url}records/{record_id}/" in text
    first = json.loads((site.dir / "records" / record_id / f"{record_id}.json").read_text(encoding="utf-8"))
    first = first["publication"]["first_published"]
    assert first, "示例信息尚未公开"
    assert f"首次公开：{cn_date(parse_day(first))}" in text
    tab.screenshot("print-record.png", full_page=True)
    page.emulate_media(media="screen")
    assert not footer.is_visible(), "打印页脚只在打印时出现"
