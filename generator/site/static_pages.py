"""Pages that are not one record: the publication log by month, the open-data page, and the
prose pages in `templates/pages/` (citizens' help, editor's guide, conformance statement).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, TemplateNotFound

from generator.model.events import Event
from generator.model.formatting import parse_day
from generator.model.site import SiteModel
from generator.reports import compliance
from generator.site.jsonld import write_catalog
from generator.site.render import Renderer

# Prose pages, in nav order: file in templates/pages/ → (nav title, folder). The editor's guide
# (templates/pages/guide.md) is for editors, in the repository and `disclose guide`: not published.
PROSE_PAGES = {"about.md": ("公开说明", "about"), "conformance.md": ("无障碍与规范", "conformance")}


def render_static_pages(model: SiteModel, env: Environment, docs: Path, events: list[Event],
                        timeliness: compliance.Report) -> list[tuple[str, str]]:
    r = Renderer(model, env, docs)
    _log_pages(r, model, events)
    write_catalog(model, events, docs)  # after open data: it describes data/ as written
    r.write("data/index.md", "data.md.j2", kinds=model.catalog.kinds,
            files=sorted(p.name for p in (docs / "data").glob("*.csv")),
            workbooks={p.name for p in (docs / "data").glob("*.xlsx")})
    compliance.render_page(r, model, events, timeliness)
    for name, (_title, folder) in _prose_pages(env):
        r.write(f"{folder}/index.md", f"pages/{name}", kinds=model.catalog.kinds)
    return static_nav(env)


def static_nav(env: Environment) -> list[tuple[str, str]]:
    """(nav title, page) of the pages above that the navigation names, without rendering them: every
    page's header (record pages' shell included) shows this navigation."""
    return [(compliance.NAV_TITLE, compliance.PAGE)] + [(title, f"{folder}/index.md")
                                                         for _name, (title, folder) in _prose_pages(env)]


def _prose_pages(env: Environment) -> list[tuple[str, tuple[str, str]]]:
    # A site may leave a prose page out; a broken one fails when it is rendered.
    return [(name, entry) for name, entry in PROSE_PAGES.items() if _exists(env, f"pages/{name}")]


def _log_pages(r: Renderer, m: SiteModel, events: list[Event]) -> None:
    months: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        day = parse_day(e["time"])
        months[f"{day.year}-{day.month:02d}"].append(e)
    ordered = sorted(months, reverse=True)
    r.write("log/index.md", "log.md.j2", months=[(k, len(months[k])) for k in ordered])
    for key in ordered:
        rows = sorted(months[key], key=lambda e: e["seq"], reverse=True)
        r.write(f"log/{key}/index.md", "log_month.md.j2", month=key, events=rows,
                depts=sorted({e.get("dept") for e in rows if e.get("dept")}))


def _exists(env: Environment, name: str) -> bool:
    """Only a missing page is skipped: its syntax errors are reported when it is rendered."""
    try:
        env.loader.get_source(env, name)  # type: ignore[union-attr]
    except TemplateNotFound:
        return False
    return True
