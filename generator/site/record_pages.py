"""Record pages: one HTML page per public record, written for one shard (generator/shards/).

MkDocs' Markdown pass costs milliseconds a page and holds every page in memory; record pages are
HTML from their template already, and all sit at the same depth (records/<id>/), so MkDocs builds
ONE shell page there (generator/shards/shell.py) and every record page is that shell with its
title, JSON-LD and body filled in. Same theme, same header, footer and assets, byte for byte; both
cores share the work.

A record's public attachments are copied beside its page first (attachments.ship: no document
properties), each with a text page `<file name>.html` in the same shell: Pagefind indexes that page
with the record's filters, so a phrase inside a report finds it while the record page stays small.
"""

from __future__ import annotations

import gzip
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

import yaml

from generator.documents import structure
from generator.model.records import PublicRecord
from generator.model.site import SiteModel, record_path
from generator.site.compact import compact_html
from generator.site.opendata import write_record_files
from generator.site.render import Renderer
from generator.site.search_keys import add_keys
from generator.source.attachments import Shipped, ship, text_paragraphs
from generator.util.parallel import map_chunks

SHELL_ID = "_shell_"
TITLE, JSONLD, BODY = "DCSHELLTITLE", "DCSHELLJSONLD", "DCSHELLBODY"
_OPEN, _CLOSE = "<!--DCSHELL-->", "<!--/DCSHELL-->"
_EMPTY_JSONLD = f'<script type="application/ld+json">{JSONLD}</script>'
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SHELL_MD = f"""---
title: {TITLE}
hide: [navigation, toc]
dc_record: true
jsonld: {JSONLD}
---
<!--DCSHELL-->
<h1>{BODY}</h1>
<!--/DCSHELL-->
"""


def write_shell(docs: Path) -> None:
    path = docs / "records" / SHELL_ID / "index.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SHELL_MD, encoding="utf-8")


@dataclass(frozen=True)
class _Job:
    """What the workers need (see generator/util/parallel.py)."""

    renderer: Renderer
    shell: str
    site: Path
    shipped: dict[str, list[Shipped]]
    records: list[PublicRecord]


def _fill(job: _Job, indices: list[int]) -> None:
    r_ = job.renderer
    for i in indices:
        r = job.records[i]
        shipped = job.shipped.get(r.id, [])
        folder = job.site / record_path(r)
        folder.mkdir(parents=True, exist_ok=True)
        text = r_.render_text(f"{record_path(r)}index.md", "record.md.j2", attachments=shipped,
                              **r_.record_context(r))
        kind = r_.m.catalog.kinds[r.kind]
        # The form's name as this record's page shows it (部门整体支出绩效目标表 or 项目支出…申报表).
        form = re.sub(r"（[^（）]*）$", "", kind.caption(r.fields))
        page = add_keys(_page(job.shell, record_path(r), text, r.fields["title"]), kind, form)
        (folder / "index.html").write_text(page, encoding="utf-8")
        for a, s in zip(r.attachments, shipped, strict=True):
            rel = f"{record_path(r)}{s.page}"
            text = r_.render_text(rel, "attachment.md.j2", r=r, kind=kind, a=s,
                                  paragraphs=text_paragraphs(a.text),
                                  blocks=structure.blocks((folder / s.name).read_bytes(), s.file_type, a.text))
            (folder / s.page).write_text(add_keys(_page(job.shell, rel, text, s.title), kind, form),
                                         encoding="utf-8")
        write_record_files(r, r_.m, job.site, shipped)


def _page(shell: str, rel: str, text: str, title: str) -> str:
    """The shell with this page's address, title, JSON-LD and body."""
    meta, body = _split(text)
    page = shell.replace(f"records/{SHELL_ID}/", rel)
    page = page.replace(TITLE, html.escape(str(meta.get("title", title)), quote=True))
    jsonld = str(meta.get("jsonld") or "")
    # A text page has no JSON-LD of its own: no empty script element either.
    page = page.replace(JSONLD, jsonld) if jsonld else page.replace(_EMPTY_JSONLD, "")
    start, end = page.index(_OPEN), page.index(_CLOSE) + len(_CLOSE)
    return compact_html(page[:start] + body + page[end:])


def _split(text: str) -> tuple[dict[str, Any], str]:
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        meta = yaml.load(text[4:end], Loader=_Loader) or {}
        body = text[end + 5:]
    else:
        meta, body = {}, text
    body = "\n".join(line for line in body.splitlines() if not line.startswith("{%"))
    return meta, body.replace(' markdown="0"', "")


RECORDS_PARALLEL_FROM = 48


def shell_page(site: Path) -> str:
    """The shell page MkDocs built from SHELL_MD (generator/shards/shell.py builds it on its own)."""
    return (site / "records" / SHELL_ID / "index.html").read_text(encoding="utf-8")


def write_records(renderer: Renderer, records: list[PublicRecord], shell: str, dest: Path) -> dict[str, list[str]]:
    """Pages, attachments, text pages and downloads of `records` under `dest`/records/; returns each
    record's attachment text pages (the sitemap lists them)."""
    # Copied here, before the workers: a document that cannot be copied stops the build with its message.
    shipped = {r.id: ship(r, dest / record_path(r)) for r in records if r.attachments}
    # A shard (a department's year) holds 100–350 records at region scale: below the usual threshold
    # its pages were written on one core (10,000 records: 33 s); a pool pays from a few dozen pages.
    job = _Job(renderer, shell, dest, shipped, records)
    map_chunks(_fill, range(len(records)), job, min_items=RECORDS_PARALLEL_FROM)
    return {r.id: [s.page for s in shipped.get(r.id, [])] for r in records}


def write_sitemap(m: SiteModel, site: Path, pages: dict[str, list[str]]) -> None:
    """MkDocs' sitemap lists the pages it built; add the record pages (and their attachments' text
    pages, `pages` by record id), dated by their publication."""
    path = site / "sitemap.xml"
    text = path.read_text(encoding="utf-8")
    base = m.config.site.base_url
    entries = []
    for r in sorted(m.records, key=lambda r: r.id):
        pub = m.publication[r.id]
        stamp = pub.updated or pub.first
        lastmod = f"<lastmod>{stamp[:10]}</lastmod>" if stamp else ""
        for page in [""] + [quote(name) for name in pages.get(r.id, [])]:
            loc = escape(base + record_path(r) + page)
            entries.append(f"    <url>\n         <loc>{loc}</loc>\n         {lastmod}\n    </url>")
    text = text.replace("</urlset>", "\n".join(entries) + "\n</urlset>")
    path.write_text(text, encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
