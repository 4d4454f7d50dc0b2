"""Every HTML page of a built site carries the Content-Security-Policy, and nothing in the policy or the
pages needs an inline script or another host (issue 17, point 2); the README gives the same policy as
response headers for the deploy targets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.site.csp import HEADERS, POLICY
from tests.fixtures_site import PROJECT

META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'


@pytest.fixture(scope="module")
def example(example_build) -> Path:
    return example_build.site


def test_every_html_page_has_the_policy_before_any_script_or_style(example: Path):
    pages = sorted(example.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.count(META) == 1, page
        head = text.split(META, 1)[0]
        assert "<script" not in head and 'rel="stylesheet"' not in head and "<style" not in head, page


def test_no_page_has_an_inline_script_or_style_element(example: Path):
    for page in sorted(example.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S):
            assert "src=" in attrs or 'type="application/ld+json"' in attrs or 'type="application/json"' in attrs, (
                f"{page}: inline script {body[:80]!r}")
        assert "<style" not in text, page


def test_policy_allows_no_other_host_and_no_eval():
    sources = " ".join(d.split(" ", 1)[1] for d in POLICY.split("; "))
    assert set(sources.split()) <= {"'self'", "'none'", "'wasm-unsafe-eval'", "'unsafe-inline'", "data:"}
    assert "'unsafe-eval'" not in POLICY and "script-src 'self' 'wasm-unsafe-eval'" in POLICY
    assert "style-src 'self'" in POLICY  # 'unsafe-inline' only for style attributes (style-src-attr)


def test_readme_gives_the_headers_for_each_deploy_target():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    for name, value in HEADERS.items():
        assert f'add_header {name} "{value}" always;' in readme, name  # nginx
        assert f"{name}: {value}" in readme, name                       # CDN / bucket response headers
