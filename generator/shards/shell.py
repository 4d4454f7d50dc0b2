"""The record-page shell, built on its own: every shard's pages are this page filled in.

A record page is MkDocs' page for `records/_shell_/` with the record's title, JSON-LD and body put in
(generator/site/record_pages.py). The shell shows the site's header, tabs and footer, which depend
on the configuration, the kinds and the navigation, never on other pages' text: so MkDocs builds it
here from empty stand-ins for the navigation's pages, the same in a one-process build, in a shard
job on another machine, and in a reused shard.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.model.catalog import Catalog
from generator.model.config import SiteConfig
from generator.site.mkdocs_engine import run_mkdocs, site_nav
from generator.site.record_pages import shell_page, write_shell

STUB = "---\ntitle: _\n---\n"
EPOCH = 946684800  # the shell has no date in it; a fixed one all the same


def cached_shell(config: SiteConfig, catalog: Catalog, root: Path, extra_pages: list[tuple[str, str]],
                 scratch: Path, cache: Path | None, fixed: str) -> str:
    """The shell from `cache`/shell/ when one was built from the same fixed inputs (plan.fixed_inputs:
    generator, libraries, configuration, templates, schemas, which decide the navigation too), else built."""
    path = cache / "shell" / f"{fixed[:32]}.html" if cache is not None else None
    if path is not None and path.is_file():
        return path.read_text(encoding="utf-8")
    html = build_shell(config, catalog, root, extra_pages, scratch)
    if path is not None:
        for old in path.parent.glob("*.html"):
            old.unlink(missing_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.part")
        temp.write_text(html, encoding="utf-8")
        temp.rename(path)
    return html


def build_shell(config: SiteConfig, catalog: Catalog, root: Path, extra_pages: list[tuple[str, str]],
                scratch: Path) -> str:
    """The shell page's HTML, built by MkDocs under `scratch` (removed after)."""
    work = Path(tempfile.mkdtemp(prefix="shell-", dir=scratch))
    try:
        docs, site = work / "docs", work / "site"
        for page in sorted(set(_pages(site_nav(catalog, extra_pages)))):
            path = docs / page
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(STUB, encoding="utf-8")
        write_shell(docs)
        run_mkdocs(config, catalog, docs, site, root, EPOCH, extra_pages)
        return shell_page(site)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pages(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _pages(value)
