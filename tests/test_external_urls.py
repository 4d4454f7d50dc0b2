"""No external loader ships (issue 17, point 7): every file of the built example site is scanned for
addresses of other hosts. Allowed: the site's own address, the portal and the footer's official links
(as templates/theme/partials/copyright.html writes them), the departments' portals the records link to, and a short, reasoned list of
addresses that are never fetched (vocabulary identifiers; credits, licence notices and URL-parsing bases
inside Pagefind's and Material's files). Material's unpkg.com and api.github.com loaders are gone."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.model.config import load_config
from tests.fixtures_site import PROJECT

URL = re.compile(rb"(?:https?:)?//([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}|p|localhost|127\.0\.0\.1)(?=[/:\"'`<>\s)\\]|$)")
# Identifiers of vocabularies and formats (JSON-LD, Atom, SVG, sitemaps, Frictionless): names, not fetched.
IDENTIFIERS = {"www.w3.org", "schema.org", "www.iana.org", "publications.europa.eu", "xmlns.com", "purl.org",
               "www.sitemaps.org", "datapackage.org"}
# (host, folder or file it may appear in, why it is not a loader)
THIRD_PARTY = [
    ("p", "pagefind/", "dummy base for URL parsing: new URL(path, 'https://p')"),
    ("example.com", "pagefind/", "dummy base for URL parsing"),
    ("fontawesome.com", "assets/stylesheets/", "Font Awesome licence notice inside an icon"),
    ("clipboardjs.com", "assets/javascripts/bundle.", "clipboard.js licence comment"),
    ("127.0.0.1", "guide/index.html", "the editor's guide names the local preview address"),
]
FORBIDDEN = (b"unpkg.com", b"api.github.com", b"sourceMappingURL")


@pytest.fixture(scope="module")
def example(example_build) -> Path:
    return example_build.site


def own_hosts() -> set[str]:
    config = load_config(PROJECT)
    urls = [config.site.base_url, config.site.portal_url, config.site.error_report_url]
    # The footer's official links (ICP and public-security filing records, …), as its template writes them.
    footer = (PROJECT / "templates" / "theme" / "partials" / "copyright.html").read_text(encoding="utf-8")
    urls += re.findall(r"https?://[^\"'{} ]+", footer)
    departments = yaml.safe_load((PROJECT / "content" / "departments.yml").read_text(encoding="utf-8"))
    urls += [d["portal_url"] for d in departments if d.get("portal_url")]
    return {urlsplit(u).hostname for u in urls if u}


def external(site: Path) -> list[str]:
    own = own_hosts()
    found = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        for host in {m.decode() for m in URL.findall(data)}:
            if host in own or host in IDENTIFIERS:
                continue
            if any(host == h and rel.startswith(where) for h, where, _ in THIRD_PARTY):
                continue
            found.append(f"{rel}: {host}")
    return found


def test_no_shipped_file_names_another_host(example: Path):
    assert external(example) == []


def test_pagefinds_unused_interfaces_are_not_shipped(example: Path):
    """The search page uses Pagefind's API only; its ready-made UIs (and their third-party credits)
    are not published."""
    from generator.site.search_index import UNUSED_UI

    shipped = {p.name for p in (example / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"} <= shipped
    assert not shipped & set(UNUSED_UI)


def test_material_loaders_and_source_maps_are_gone(example: Path):
    bundle = next((example / "assets" / "javascripts").glob("bundle.*.min.js")).read_bytes()
    assert b"about:invalid#resize-observer-polyfill" in bundle
    for path in example.rglob("*"):
        if path.is_file():
            assert not path.name.endswith(".map"), path
            data = path.read_bytes()
            assert not any(f in data for f in FORBIDDEN), path
    assert not (example / "assets" / "javascripts" / "lunr").exists()


def test_the_scan_finds_a_loader(tmp_path: Path):
    (tmp_path / "a.js").write_text('load("https://unpkg.com/x.js");fetch(`//cdn.example.org/y`)', encoding="utf-8")
    assert sorted(external(tmp_path)) == ["a.js: cdn.example.org", "a.js: unpkg.com"]
