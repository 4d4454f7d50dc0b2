"""Stage 5b, open data: every public record as JSON and CSV (and its indicator rows as CSV) beside its
page, bulk CSV and .xlsx per kind and year (amounts in 万元), a Frictionless `datapackage.json`
describing the CSV with the schemas from `schemas/`, the publication log as JSONL and CSV, and an Atom
feed. Everything is made from PublicRecords and log events; every CSV starts with a byte-order mark
(downloads.py) so that Excel opens it as UTF-8.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from generator.documents.doctext import MEDIA_TYPES
from generator.log import anchor
from generator.log.publog import LOG_FILE, serialise
from generator.model.events import Event
from generator.model.formatting import plain
from generator.model.records import PublicRecord
from generator.model.site import SiteModel, record_path
from generator.model.units import BULK_UNIT, amount_fields, in_bulk_unit
from generator.secrecy.redact import REVIEW_FIELDS
from generator.site import csvsafe
from generator.site.downloads import Sheet, csv_text, header_title, write_xlsx
from generator.source.attachments import Shipped

QUOTE = {'"': "&quot;"}
LOG_COLUMNS = ["seq", "time", "event", "id", "kind", "dept", "year", "sha256", "commit", "pr", "reviewer", "changed",
               "prev"]


def public_columns(m: SiteModel, kind_name: str) -> list[dict[str, Any]]:
    """The kind's schema fields that a download may carry (no review bookkeeping, no personal data)."""
    kind = m.catalog.kinds[kind_name]
    return [f for f in kind.fields if f["name"] not in REVIEW_FIELDS and not f.get("x-never-public")]


def indicator_columns(m: SiteModel, kind_name: str) -> list[dict[str, Any]]:
    names = set(m.catalog.indicator_fields_for(m.catalog.kinds[kind_name])) - {"confidential"}
    return [f for f in m.catalog.indicator_schema["fields"] if f["name"] in names]


def _cell(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    """Every CSV the site ships is written here; every cell is made safe to open in a spreadsheet."""
    return csv_text([csvsafe.cell(h) for h in header], [[csvsafe.cell(c) for c in row] for row in rows])


def attachment_json(r: PublicRecord, m: SiteModel, shipped: list[Shipped]) -> list[dict[str, Any]]:
    """The shipped files (metadata stripped): their size and SHA-256 are those of the download."""
    base = f"{m.config.site.base_url}{record_path(r)}"
    return [{"title": s.title, "url": base + quote(s.name), "type": s.file_type, "media_type": s.media_type,
             "size": s.size, "sha256": s.sha256, "text_url": base + quote(s.page)} for s in shipped]


def record_json(r: PublicRecord, m: SiteModel, shipped: list[Shipped] | None = None) -> dict[str, Any]:
    pub = m.publication[r.id]
    data = {
        "id": r.id, "kind": r.kind, "kind_title": m.catalog.kinds[r.kind].title,
        "dept_name": m.dept_name(r.dept),
        "fields": plain(r.fields), "indicators": plain(r.rows), "withheld_fields": list(r.withheld),
        "publication": {"first_published": pub.first, "updated": pub.updated,
                        "due": pub.due.isoformat() if pub.due else None, "timeliness": pub.status},
    }
    if shipped:
        data["attachments"] = attachment_json(r, m, shipped)
    return data


def record_row(r: PublicRecord, columns: list[dict[str, Any]], fields: dict[str, Any] | None = None) -> list[str]:
    # A withheld value leaves its cell empty: the place is kept, the value is not published. A table held
    # in one field (funding, printed items) is its JSON text, as Frictionless reads an `array` cell.
    fields = r.fields if fields is None else fields
    return [_structure_cell(fields.get(c["name"])) if c.get("x-structure") else _cell(fields.get(c["name"]))
            for c in columns]


def _structure_cell(value: Any) -> str:
    return "" if value in (None, []) else json.dumps(value, ensure_ascii=False)


def indicator_rows(r: PublicRecord, icols: list[dict[str, Any]]) -> list[list[str]]:
    """The record's public indicator rows; the first column is the record's id."""
    return [[r.id] + [_cell(row.get(c["name"])) for c in icols[1:]] for row in r.rows]


def write_record_files(r: PublicRecord, m: SiteModel, docs: Path, shipped: list[Shipped] | None = None) -> None:
    folder = docs / record_path(r)
    folder.mkdir(parents=True, exist_ok=True)
    # Compact on purpose: with indent, json falls back to its pure-Python encoder (100,000 records).
    (folder / f"{r.id}.json").write_text(json.dumps(record_json(r, m, shipped), ensure_ascii=False, sort_keys=True,
                                                    separators=(",", ":")) + "\n", encoding="utf-8")
    columns = public_columns(m, r.kind)
    (folder / f"{r.id}.csv").write_text(_csv([c["name"] for c in columns], [record_row(r, columns)]),
                                         encoding="utf-8")
    if m.catalog.kinds[r.kind].has_indicators and r.rows:
        icols = indicator_columns(m, r.kind)
        (folder / f"{r.id}.indicators.csv").write_text(_csv([c["name"] for c in icols], indicator_rows(r, icols)),
                                                       encoding="utf-8")


def write_bulk(m: SiteModel, docs: Path) -> list[dict[str, Any]]:
    """Bulk CSV per kind and year; returns their Frictionless resource descriptors."""
    resources = []
    groups: dict[tuple[str, int], list[PublicRecord]] = defaultdict(list)
    for r in m.records:
        groups[(r.kind, r.year)].append(r)
    for (kind_name, year), records in sorted(groups.items()):
        columns = public_columns(m, kind_name)
        amounts = amount_fields(columns)
        # One unit per amount column: 元 amounts become 万元 (the forms' unit), and the unit column says so.
        fields = [in_bulk_unit(r.fields, amounts) for r in records]
        base = f"{kind_name}-{year}"
        path = docs / "data" / f"{base}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_csv([c["name"] for c in columns], [record_row(r, columns, f)
                                                            for r, f in zip(records, fields, strict=True)]),
                        encoding="utf-8")
        described = [_with_unit(c) if c["name"] in amounts else c for c in columns]
        resources.append(_resource(base, f"{base}.csv", described, f"{year}年{m.catalog.kinds[kind_name].title}",
                                   foreign=[{"fields": ["dept"], "reference": {"resource": "departments",
                                                                              "fields": ["code"]}}]))
        sheets = [Sheet("记录", [header_title(c, BULK_UNIT if c["name"] in amounts else None) for c in columns],
                        [[_structure_cell(f.get(c["name"])) if c.get("x-structure") else f.get(c["name"])
                          for c in columns] for f in fields])]
        if m.catalog.kinds[kind_name].has_indicators:
            icols = indicator_columns(m, kind_name)
            rows = [row for r in records for row in indicator_rows(r, icols)]
            (docs / "data" / f"{base}-indicators.csv").write_text(_csv([c["name"] for c in icols], rows),
                                                                  encoding="utf-8")
            resources.append(_resource(f"{base}-indicators", f"{base}-indicators.csv", icols,
                                       f"{year}年{m.catalog.kinds[kind_name].title}：绩效指标",
                                       foreign=[{"fields": ["record_id"],
                                                 "reference": {"resource": base, "fields": ["id"]}}]))
            sheets.append(Sheet("绩效指标", [header_title(c) for c in icols], rows))
        write_xlsx(docs / "data" / f"{base}.xlsx", sheets)
    return resources


def _with_unit(column: dict[str, Any]) -> dict[str, Any]:
    text = column.get("description")
    return dict(column, description=f"{text}（单位：{BULK_UNIT}）" if text else f"单位：{BULK_UNIT}")


def _resource(name: str, path: str, columns: list[dict[str, Any]], title: str,
              foreign: list[dict[str, Any]]) -> dict[str, Any]:
    fields = [csvsafe.schema_field({k: v for k, v in c.items() if not k.startswith("x-")}) for c in columns]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if fields and fields[0]["name"] == "id":
        schema["primaryKey"] = ["id"]
    schema["foreignKeys"] = foreign
    return {"name": name, "path": path, "title": title, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8-sig", "schema": schema}


def write_datapackage(m: SiteModel, docs: Path, resources: list[dict[str, Any]]) -> None:
    dept_fields = [csvsafe.schema_field({k: v for k, v in f.items() if not k.startswith("x-")})
                   for f in m.catalog.department_schema["fields"]]
    names = [f["name"] for f in dept_fields]
    rows = [[_cell(d.get(n)) for n in names] for _, d in sorted(m.departments.items())]
    (docs / "data").mkdir(parents=True, exist_ok=True)
    (docs / "data" / "departments.csv").write_text(_csv(names, rows), encoding="utf-8")
    dept = {"name": "departments", "path": "departments.csv", "title": "部门", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": dept_fields, "primaryKey": ["code"], "missingValues": [""]}}
    package = {"name": "budget-performance-disclosure", "title": m.config.site.name,
               "description": f"{(m.config.site.description or m.config.site.name).rstrip('。')}。{csvsafe.NOTE}",
               "homepage": m.config.site.base_url, "publisher": m.config.site.organisation,
               "licenses": [{"name": "公开政府信息", "title": "依《政府信息公开条例》主动公开的政府信息"}],
               "resources": [dept] + resources}
    (docs / "data" / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")


def write_log_downloads(events: list[Event], docs: Path) -> None:
    """The log exactly as committed (events carry no content), so anyone can re-check its hash chain."""
    folder = docs / "log"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LOG_FILE).write_text("".join(serialise(e) + "\n" for e in events), encoding="utf-8")
    rows = [[_cell(e.get(c)) for c in LOG_COLUMNS] for e in events]
    (folder / "publication-log.csv").write_text(_csv(LOG_COLUMNS, rows), encoding="utf-8")
    # The chain head: whoever keeps a copy can later prove the repository's history was not rewritten
    # (`disclose log verify --against`).
    (folder / "head.json").write_text(json.dumps(anchor.head(events), ensure_ascii=False) + "\n", encoding="utf-8")


def write_feed(m: SiteModel, events: list[Event], docs: Path, limit: int = 50) -> None:
    """Atom feed of the latest publications and updates; times from the log, never the clock."""
    base = m.config.site.base_url
    items = [e for e in events if e["event"] in ("published", "updated") and e["id"] in m.by_id]
    latest: dict[str, dict[str, Any]] = {}
    for e in items:
        latest[e["id"]] = e
    entries = sorted(latest.values(), key=lambda e: (e["time"], e["id"]), reverse=True)[:limit]
    updated = entries[0]["time"] if entries else "2000-01-01T00:00:00Z"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
           f"<title>{escape(m.config.site.name)}</title>", f'<link href="{escape(base)}"/>',
           f'<link rel="self" href="{escape(base)}feed.xml"/>', f"<id>{escape(base)}</id>",
           f"<updated>{updated}</updated>", f"<author><name>{escape(m.config.site.organisation)}</name></author>"]
    for e in entries:
        r = m.by_id[e["id"]]
        url = f"{base}{record_path(r)}"
        summary = r.fields.get("summary") or ""
        out += ["<entry>", f"<title>{escape(r.fields['title'])}</title>", f'<link href="{escape(url)}"/>',
                f"<id>{escape(url)}</id>", f"<updated>{e['time']}</updated>",
                f"<category term=\"{escape(r.kind)}\" label=\"{escape(m.catalog.kinds[r.kind].title)}\"/>",
                *[f'<link rel="enclosure" href="{escape(url + quote(a.name))}" type="{MEDIA_TYPES[a.file_type]}" '
                  f'title="{escape(a.title, QUOTE)}"/>' for a in r.attachments],
                f"<summary>{escape(m.dept_name(r.dept))}｜{escape(summary)}</summary>", "</entry>"]
    out.append("</feed>")
    (docs / "feed.xml").write_text("\n".join(out) + "\n", encoding="utf-8")


def write_open_data(m: SiteModel, events: list[Event], docs: Path) -> None:
    # Each record's own JSON and CSV are written beside its page by record_pages.py.
    write_datapackage(m, docs, write_bulk(m, docs))
    write_log_downloads(events, docs)
    write_feed(m, events, docs)
