"""Stage 5, render: public records → the Markdown/HTML pages MkDocs builds, from Jinja2 templates.

Receives only PublicRecords (redaction already happened) and the publication log's events.
Every page's text comes from `templates/` (the site's own first, the project's otherwise).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError

from generator.model import formatting
from generator.model.catalog import Catalog, bundled
from generator.model.config import SiteConfig
from generator.model.records import PublicRecord, project_key
from generator.model.site import Publication, SiteModel
from generator.reports import deadlines
from generator.site.crumbs import with_crumbs
from generator.site.form_view import indicator_groups, record_view  # noqa: F401 (indicator_groups: callers)
from generator.site.template_errors import template_failure

# Kind-year pages list records directly up to this many; above it they list departments.
DIRECT_LIST_LIMIT = 400


def make_environment(root: Path | None) -> Environment:
    dirs = [root / "templates"] if root is not None and (root / "templates").is_dir() else []
    loader = ChoiceLoader([FileSystemLoader(str(d)) for d in dirs + [bundled("templates")]])
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(cn_date=formatting.cn_date, amount=formatting.amount, number=formatting.number,
                       display=formatting.display, cn_day=lambda t: formatting.cn_date(formatting.parse_day(t)),
                       cn_time=formatting.cn_time)
    env.globals["WITHHELD"] = formatting.WITHHELD_TEXT
    return env


def publication_info(records: list[PublicRecord], history: dict[str, list[dict[str, Any]]],
                     catalog: Catalog, config: SiteConfig, items: dict[str, Any] | None = None
                     ) -> dict[str, Publication]:
    """Publication times from the log; due date and status from the compliance report's item of the
    record (`items`, by record id) when it has one, so a record page never disagrees with /compliance/."""
    items = items or {}
    out = {}
    for r in records:
        events = history.get(r.id, [])
        pub = Publication(events=events)
        published = [e for e in events if e["event"] == "published"]
        if published:
            pub.first = published[-1]["time"]  # a re-published record counts from its latest publication
        if events and events[-1]["event"] == "updated":
            pub.updated = events[-1]["time"]
        item = items.get(r.id)
        if item is not None:
            pub.due, pub.status = item.due, item.shown
        else:  # kinds without a deadline (notices)
            pub.due = deadlines.due_date(catalog.kinds[r.kind], r.fields, config)
            first_day = formatting.parse_day(pub.first)
            pub.status = deadlines.timeliness(pub.due, first_day, r.fields.get("delay_reason"))
        out[r.id] = pub
    return out


class Renderer:
    def __init__(self, model: SiteModel, env: Environment, docs: Path):
        self.m = model
        self.env = env
        self.docs = docs

    def write(self, rel: str, template: str, **context: Any) -> None:
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = self.render_text(rel, template, **context)
        path.write_text(with_crumbs(rel, text, self.m), encoding="utf-8")

    def render_text(self, rel: str, template: str, **context: Any) -> str:
        # Links are relative, so the site works under any base path and from a local preview.
        root = "../" * rel.count("/")
        context.setdefault("charts", "")
        context.setdefault("site_withheld_counts", self.m.config.disclosure.withheld_display == "counts")
        try:
            return self.env.get_template(template).render(m=self.m, site=self.m.config.site, root=root, **context)
        except TemplateError as exc:
            # A site's own template is input too: name it and the line, never a traceback.
            raise template_failure(exc, self.env, rel, template) from None

    def render_all(self) -> None:
        m = self.m
        from generator.site.charts import dept_charts, home_charts
        self.write("index.md", "home.md.j2", latest=self.latest(20), counts=self.counts(),
                   charts=home_charts(m, root=""))
        for kind in m.catalog.kinds.values():
            records = m.by_kind.get(kind.name, [])
            years = sorted({r.year for r in records}, reverse=True)
            newest = sorted(records, key=lambda r: (m.publication[r.id].first or "", r.id), reverse=True)
            self.write(f"{kind.folder}/index.md", "kind.md.j2", kind=kind, years=years,
                       per_year=Counter(r.year for r in records), records=newest[:DIRECT_LIST_LIMIT],
                       total=len(records), depts=sorted({r.dept for r in records}))
            for year in years:
                in_year = [r for r in records if r.year == year]
                in_year.sort(key=lambda r: (m.publication[r.id].first or "", r.id), reverse=True)
                by_dept = _group(in_year, lambda r: r.dept)
                self.write(f"{kind.folder}/{year}/index.md", "kind_year.md.j2", kind=kind, year=year,
                           by_dept=by_dept, direct=len(in_year) <= DIRECT_LIST_LIMIT)
        self.write("depts/index.md", "depts.md.j2", counts={d: len(m.by_dept.get(d, [])) for d in m.departments})
        for code in m.departments:
            records = m.by_dept.get(code, [])
            by_year = _group(records, lambda r: r.year)
            self.write(f"depts/{code}/index.md", "dept.md.j2", code=code, by_year=by_year,
                       years=sorted(by_year, reverse=True), charts=dept_charts(m, code, root="../../"))
            for year, rs in by_year.items():
                self.write(f"depts/{code}/{year}/index.md", "dept_year.md.j2", code=code, year=year,
                           by_kind=_group(rs, lambda r: r.kind))
        # Record pages are filled into a MkDocs-built shell after the MkDocs stage (record_pages.py).
        self.write("search/index.md", "search.md.j2")

    def record_context(self, r: PublicRecord) -> dict[str, Any]:
        from generator.site.jsonld import record_jsonld

        m = self.m
        return {"r": r, "kind": m.catalog.kinds[r.kind], "view": record_view(r, m), "pub": m.publication[r.id],
                "related": self.related(r), "body_html": body_html(r), "jsonld": record_jsonld(r, m)}

    def latest(self, n: int) -> list[PublicRecord]:
        def key(r: PublicRecord) -> tuple:
            return (self.m.publication[r.id].first or "", r.id)
        return sorted(self.m.records, key=key, reverse=True)[:n]

    def counts(self) -> dict[str, Counter]:
        return {k: Counter(r.year for r in rs) for k, rs in self.m.by_kind.items()}

    def related(self, r: PublicRecord) -> list[PublicRecord]:
        key = project_key(r.fields)
        if not key:
            return []
        order = list(self.m.catalog.kinds)
        others = [o for o in self.m.by_project.get(key, []) if o.id != r.id]
        return sorted(others, key=lambda o: (-o.year, order.index(o.kind), o.id))


def body_html(r: PublicRecord) -> str:
    """A notice's Markdown body as HTML; record pages are one HTML block that MkDocs passes through."""
    body = r.fields.get("body")
    if not body:
        return ""
    from generator.site.sanitize import markdown_html

    return markdown_html(str(body))  # sanitised: editors' raw HTML never runs on a public page


def _group(records: list[PublicRecord], key) -> dict[Any, list[PublicRecord]]:
    out: dict[Any, list[PublicRecord]] = defaultdict(list)
    for r in records:
        out[key(r)].append(r)
    return dict(out)
