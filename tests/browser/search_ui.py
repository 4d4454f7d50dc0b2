"""Driving the search page (templates/assets/search.js) the way a citizen does: type, wait until the
list shows that query, load every page of results."""

from __future__ import annotations

import re
from typing import Any

DONE = """q => { const l = document.getElementById('dc-search-results');
    return (l.dataset.state === 'done' || l.dataset.state === 'error') && l.dataset.query === q; }"""


def wait_done(page: Any, query: str = "") -> None:
    """Waits until the list shows `query`; a search the page reports as failed fails the test."""
    page.wait_for_function(DONE, arg=query.strip())
    state = page.get_attribute("#dc-search-results", "data-state")
    assert state == "done", f"检索“{query}”失败：{status(page)}"


def search(page: Any, query: str) -> list[str]:
    """Types the query and returns every result's path from the site root (records/<id>/…)."""
    page.fill("#dc-search-input", query)
    wait_done(page, query)
    return all_results(page)


def all_results(page: Any) -> list[str]:
    while page.locator("#dc-search-more").is_visible():
        before = page.locator(".dc-search-link").count()
        page.click("#dc-search-more")
        page.wait_for_function(f"() => document.querySelectorAll('.dc-search-link').length > {before}")
    hrefs = page.locator(".dc-search-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [re.sub(r"^.*?(?=records/)", "", h) for h in hrefs]


def record_ids(paths: list[str]) -> list[str]:
    return [re.match(r"records/([^/]+)/", p).group(1) for p in paths]


def status(page: Any) -> str:
    return page.locator("#dc-search-status").inner_text()


def count(page: Any) -> int:
    m = re.search(r"(\d+)", status(page))
    return int(m.group(1)) if m else 0
