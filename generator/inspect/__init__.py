"""`disclose inspect`: check a built site against the government website inspection items that can be
checked from the output and the publication log (国办秘函〔2019〕19号). See scorecard.py for the verdicts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from generator.inspect.columns import check_columns
from generator.inspect.identity import check_identity
from generator.inspect.links import check_links
from generator.inspect.pages import read_site
from generator.inspect.scorecard import Scorecard
from generator.inspect.search import check_search
from generator.log import publog
from generator.model.catalog import Catalog
from generator.model.config import SiteConfig
from generator.problems import BuildError, Problems

NOTES = ("泄露国家秘密等内容安全问题（单项否决）由每次构建的泄密检查把关，本检查不重复；首页能否在 15 秒内打开、"
         "IPv6 支持需在服务器上检查，不在本检查范围。",)


def site_log(site: Path, root: Path) -> list[dict]:
    """The log the site ships (log/publication-log.jsonl); the repository's when the site has none."""
    shipped = site / "log" / publog.LOG_FILE
    return publog.read_log(shipped if shipped.is_file() else root / publog.LOG_FILE)


def inspect_site(site: Path, root: Path, config: SiteConfig, catalog: Catalog, as_of: date) -> Scorecard:
    if not (site / "index.html").is_file():
        problems = Problems()
        problems.add("inspect_no_site", str(site))
        raise BuildError(problems)
    pages = read_site(site)
    base_path = urlsplit(config.site.base_url).path or "/"
    findings = check_columns(site, catalog, site_log(site, root), as_of, config.inspect.home_days,
                             config.inspect.column_days)
    findings += check_links(site, pages, base_path)
    findings += check_search(site)
    findings += check_identity(pages, config)
    return Scorecard(config.site.base_url or str(site), as_of, len(pages), findings, list(NOTES))
