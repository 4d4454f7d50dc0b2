"""A site whose editors wrote scripts into their records does not run them (issue 17, points 1 and 2):
the hostile notice and goal of tests/test_hostile_content.py are built and opened in Chromium, on their
own pages and as search results; no payload runs, and no dialog opens."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Site, Tab
from tests.browser.search_ui import search
from tests.fixtures_site import GOAL_PATH, make_site
from tests.serving import serve
from tests.test_hostile_content import EVIL_DEPARTMENTS, EVIL_GOAL, NOTICE, NOTICE_PATH

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[Site]:
    from generator.build import build
    from generator.log.publish import publish_log
    from generator.model.config import load_config
    from tests.example import PUBLISHED

    tmp = tmp_path_factory.mktemp("hostile-browser")
    root = make_site(tmp / "repo", {NOTICE_PATH: NOTICE, GOAL_PATH: EVIL_GOAL, "departments.yml": EVIL_DEPARTMENTS})
    publish_log(root, commit=None, now=PUBLISHED)
    out = tmp / "site"
    build(root, out)
    config = load_config(root)
    with serve(out, urlsplit(config.site.base_url).path or "/") as url:
        yield Site(root, out, url, config)


def _no_payload_ran(t: Tab, dialogs: list[str]) -> None:
    assert t.page.evaluate("() => window.__pwned === undefined"), "an editor's script ran"
    assert dialogs == []
    # `<img src=x onerror=…>` keeps its harmless site-relative image (the handler is gone): its 404 is expected.
    errors = [e for e in t.errors if not e.endswith("/x") and "status of 404" not in e]
    assert errors == [] and t.outside == []


@pytest.mark.parametrize("path", ["records/jyt-2026-notice-evil/", "records/jyt-2026-goal-xszz/", "", "depts/lcj/",
                                  "notices/"])
def test_payloads_do_not_run_on_the_pages(browser, hostile_site, path: str) -> None:
    t = Tab(browser, hostile_site)
    dialogs: list[str] = []
    t.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        t.goto(path)
        t.page.wait_for_timeout(200)
        _no_payload_ran(t, dialogs)
    finally:
        t.close()


def test_payloads_do_not_run_in_search_results(browser, hostile_site) -> None:
    t = Tab(browser, hostile_site)
    dialogs: list[str] = []
    t.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page = t.goto("search/")
        assert search(page, "pwned")
        assert page.locator("#dc-search-results script, #dc-search-results img[onerror]").count() == 0
        _no_payload_ran(t, dialogs)
    finally:
        t.close()
