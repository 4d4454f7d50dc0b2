"""The platform's static pages, from the members' checked copies: home, cross-site search, compliance
rollup, 四个统一 report and member status. No inline script (the search page loads its own file)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.model import formatting
from generator.model.catalog import bundled
from generator.platform import rollup
from generator.platform.rollup import MemberView

HERE = Path(__file__).resolve().parent
SEARCH_JS = bundled("templates") / "assets" / "search.js"
PAGES = {"index.html": ("home", "index.html.j2"), "search/index.html": ("search", "search.html.j2"),
         "compliance/index.html": ("compliance", "compliance.html.j2"),
         "unified/index.html": ("unified", "unified.html.j2"), "status/index.html": ("status", "status.html.j2")}


def _iso_day(text: str | None) -> str:
    return formatting.cn_date(text) if text else ""


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(cn_time=formatting.cn_time, iso_day=_iso_day)
    return env


def newest(m: MemberView) -> str | None:
    times = [r.get("updated") or r.get("first_published") for r in m.records]
    return max((t for t in times if t), default=None)


def render(members: list[MemberView], out: Path, built: str) -> None:
    env = environment()
    levels = rollup.by_level(members)
    failed = [m for m in members if m.error]
    common = {"built": formatting.cn_time(built), "levels": levels, "failed": failed, "members": members,
              "counts": rollup.COUNTS, "total": rollup.total, "compliance_rows": rollup.compliance_rows,
              "level_totals": rollup.level_totals, "newest": newest}
    extra = {"home": {"latest": rollup.latest(members)},
             "unified": {"report": rollup.unified(members), "ref": rollup.reference(members)}}
    for rel, (page, template) in PAGES.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * rel.count("/")
        html = env.get_template(template).render(root=root, page=page, **common, **extra.get(page, {}))
        path.write_text(html, encoding="utf-8")
    (out / "assets").mkdir(exist_ok=True)
    shutil.copyfile(HERE / "assets" / "platform.css", out / "assets" / "platform.css")
    # The sites' own search page script: one engine for a site and for the platform (issue 19's search).
    shutil.copyfile(SEARCH_JS, out / "assets" / "search.js")
    search_members = []
    for m in members:
        if not m.snap:
            continue
        shutil.copytree(m.snap.folder / "pagefind", out / m.bundle)
        # Relative to search/: the bundle copy on this platform, the record pages on the member's own site.
        search_members.append({"bundle": "../" + m.bundle, "base": m.base,
                               "filters": {"层级": m.spec.level, "地区": m.name}})
    (out / "search" / "members.json").write_text(json.dumps(search_members, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
