"""The Content-Security-Policy is in force in the browser (issue 17, point 2): every page type states it
and loads without a violation (the `tab` fixture fails on any), and a page given an inline script, an
event handler and an outside image has all three blocked and reported."""

from __future__ import annotations

import pytest

from generator.site.csp import POLICY
from tests.browser.conftest import Tab

pytestmark = pytest.mark.browser

PROBE = ('<script>window.__ran = "inline"</script><img src="x.png" onerror="window.__ran = \'handler\'">'
         '<img src="https://evil.example/track.png" alt="">')


def test_every_page_type_states_the_policy(tab: Tab, site) -> None:
    for name, path in site.pages.items():
        page = tab.goto(path)
        policy = page.evaluate("() => document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
        assert policy == POLICY, name


def test_inline_script_handler_and_outside_image_are_blocked(browser, site) -> None:
    home = (site.dir / "index.html").read_text(encoding="utf-8")
    probe = site.dir / "csp-probe.html"
    probe.write_text(home.replace("</body>", PROBE + "</body>", 1), encoding="utf-8")
    t = Tab(browser, site)
    try:
        page = t.goto("csp-probe.html")
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__ran === undefined")
        violations = [e for e in t.errors if "CSP violation" in e]
        assert any("script-src" in v and "inline" in v for v in violations), t.errors
        assert any("img-src" in v and "evil.example" in v for v in violations), t.errors
        assert not t.outside, "the blocked image must not even be requested"
    finally:
        t.close()
        probe.unlink()
