"""Stage 6, MkDocs: build the rendered pages with Material into the staging directory.

The navigation stays small (columns and index pages only): every Material page embeds the whole
nav, so listing record pages would make the output grow with the square of the page count.
"""

from __future__ import annotations

import logging
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, TemplateError

from generator.model.catalog import Catalog, bundled
from generator.model.config import SiteConfig
from generator.problems import BuildError
from generator.site.csp import POLICY as CSP_POLICY
from generator.site.template_errors import template_failure
from generator.site.thirdparty import neutralise


def theme_dir(root: Path | None) -> Path:
    own = root / "templates" / "theme" if root is not None else None
    return own if own is not None and own.is_dir() else bundled("templates") / "theme"


def assets_dir(root: Path | None) -> Path:
    own = root / "templates" / "assets" if root is not None else None
    return own if own is not None and own.is_dir() else bundled("templates") / "assets"


# Tabs that fit one row at 1280 px, in 长者模式 too: the record kinds under one tab (its pages list them
# in the side menu, the home page as cards), the rest of the prose under 更多.
KINDS_TAB = "公开信息"
MORE_TAB = "更多"
MAIN_EXTRA = ("公开情况考核",)  # extra pages that keep a tab of their own


def site_nav(catalog: Catalog, extra_pages: list[tuple[str, str]]) -> list[Any]:
    kinds = [{k.title: f"{k.folder}/index.md"} for k in catalog.kinds.values()]
    nav: list[Any] = [{"首页": "index.md"}, {KINDS_TAB: kinds}, {"按部门": "depts/index.md"},
                      {"检索": "search/index.md"}]
    nav += [{title: path} for title, path in extra_pages if title in MAIN_EXTRA]
    more = [{"公开日志": "log/index.md"}, {"开放数据": "data/index.md"}]
    more += [{title: path} for title, path in extra_pages if title not in MAIN_EXTRA]
    nav.append({MORE_TAB: more})
    return nav


def mkdocs_config(config: SiteConfig, catalog: Catalog, docs: Path, site: Path, root: Path | None,
                  extra_pages: list[tuple[str, str]]) -> dict[str, Any]:
    s = config.site
    nav = site_nav(catalog, extra_pages)
    return {
        "site_name": s.name,
        "site_url": s.base_url,
        "site_description": s.description or s.name,
        "site_author": s.organisation,
        "copyright": s.organisation,
        "docs_dir": str(docs),
        "site_dir": str(site),
        "use_directory_urls": True,
        "strict": False,
        "theme": {
            "name": "material",
            "custom_dir": str(theme_dir(root)),
            # zh-CN through partials/languages/custom.html; no Google Fonts (blocked in mainland China).
            "language": "custom",
            "font": False,
            "features": ["navigation.tabs", "navigation.top", "content.tooltips"],
            "palette": {"primary": "red", "accent": "red"},
        },
        "nav": nav,
        "not_in_nav": "/records/\n/depts/*/\n/*/20*/\n/log/*/\n",
        # No plugins: Material's search would ship the whole text; Pagefind indexes after the build.
        "plugins": [],
        "markdown_extensions": ["tables", "attr_list", "md_in_html", "toc", "admonition", "generator.site.mdtables"],
        "extra_css": ["assets/site.css"],
        "extra": {"generator": False, "csp": CSP_POLICY, "gov": {
            "organisation": s.organisation, "portal_url": s.portal_url, "site_code": s.site_code,
            "icp": s.icp, "psb": s.psb, "phone": s.contact.phone, "address": s.contact.address,
            "email": s.contact.email, "error_report_url": s.error_report_url,
            "psb_code": "".join(ch for ch in s.psb if ch.isdigit()),
            "badge_url": s.party_badge.url,
            "badge_image": Path(s.party_badge.image).name if s.party_badge.image else None}},
        "validation": {"links": {"not_found": "ignore", "absolute_links": "ignore", "unrecognized_links": "ignore"},
                       "nav": {"omitted_files": "ignore", "not_found": "warn"}},
    }


@contextmanager
def _quiet_mkdocs():
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_mkdocs(config: SiteConfig, catalog: Catalog, docs: Path, site: Path, root: Path | None,
               source_epoch: int, extra_pages: list[tuple[str, str]]) -> None:
    """Build `docs` into `site`. SOURCE_DATE_EPOCH (from the log) keeps sitemap dates reproducible."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_load_config

    shutil.copytree(assets_dir(root), docs / "assets", dirs_exist_ok=True)
    badge = config.site.party_badge.image
    if badge and root is not None:  # checked by load_config: a file inside the site
        shutil.copyfile(root / badge, docs / "assets" / Path(badge).name)
    cfg_path = docs.parent / "mkdocs.yml"
    cfg_path.write_text(yaml.safe_dump(mkdocs_config(config, catalog, docs, site, root, extra_pages),
                                       allow_unicode=True, sort_keys=False), encoding="utf-8")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(source_epoch)
    try:
        with _quiet_mkdocs():
            cfg = mkdocs_load_config(config_file=str(cfg_path))
            mkdocs_build(cfg)
        neutralise(site)  # no loader for another host ships (thirdparty.py)
    except TemplateError as exc:  # a theme override: its file and line, like any template
        raise template_failure(exc, _theme_env(root), "（主题）") from None
    except Exception as exc:  # MkDocs raises many kinds; all mean "no site"
        raise BuildError.one("build_failed", detail=f"MkDocs：{exc}") from exc
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _theme_env(root: Path | None) -> Environment:
    """Only for naming a broken theme file relative to its templates folder."""
    return Environment(loader=FileSystemLoader([str(theme_dir(root).parent)]))
