"""`platform.json` at the site root: what a higher-level platform (generator/platform/) reads of this site.

Only what the site already publishes on its pages and downloads: the site's name, level and division
code, its deadline settings, each public record's id, kind, department, year, title, address, latest
logged hash and publication dates, and the per department / year / kind tallies of the compliance page.
The leak guard scans this file like every other output file.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.log import publog
from generator.model.site import SiteModel, record_path
from generator.reports import compliance
from generator.source.register import Resolved

MANIFEST = "platform.json"
FORMAT = "disclose-platform-manifest"
FORMAT_VERSION = 1


def generator_version() -> str:
    try:
        return metadata.version("budget-disclosure")
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return "0+unknown"


def schema_hash(directory: Path) -> str:
    """SHA-256 over the schema files (names and bytes): two sites on one schema have one hash."""
    digest = hashlib.sha256()
    for path in sorted([*directory.glob("*.json"), *directory.glob("*.yml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _latest_hash(events: list[dict[str, Any]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in events:
        if e.get("event") in ("published", "updated") and e.get("sha256"):
            out[e["id"]] = e["sha256"]
    return out


def manifest(m: SiteModel, events: list[dict[str, Any]], register: Resolved | None) -> dict[str, Any]:
    site = m.config.site
    hashes = _latest_hash(events)
    records = []
    for r in sorted(m.records, key=lambda r: r.id):
        pub = m.publication[r.id]
        records.append({"id": r.id, "kind": r.kind, "kind_title": m.catalog.kinds[r.kind].title, "dept": r.dept,
                        "dept_name": m.dept_name(r.dept), "year": r.year, "title": r.fields.get("title") or r.id,
                        "path": record_path(r), "url": site.base_url + record_path(r), "sha256": hashes.get(r.id),
                        "first_published": pub.first, "updated": pub.updated})
    as_of = compliance.newest_event_day(events)
    tallies = []
    if as_of is not None:
        report = compliance.assess(m.records, register or Resolved(), events, m.catalog, m.config, m.departments,
                                   as_of)
        for (dept, year, kind), t in report.tallies.items():
            tallies.append({"dept": dept, "dept_name": m.dept_name(dept), "year": year, "kind": kind,
                            "kind_title": m.catalog.kinds[kind].title, "expected": t.expected,
                            "published": t.published, "on_time": t.on_time, "late": t.late,
                            "missing": t.missing, "not_due": t.not_due})
    last = publog.serialise(events[-1]) if events else ""
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "generator": {"name": "budget-disclosure", "version": generator_version()},
        "schema": {"hash": schema_hash(m.catalog.directory)},
        "site": {"name": site.name, "organisation": site.organisation, "base_url": site.base_url,
                 "level": site.level, "division_code": site.division_code, "parent_url": site.parent_url},
        "deadlines": {"approved_days": m.config.deadlines.approved_days,
                      "completed_months": m.config.deadlines.completed_months,
                      "monitoring_report_due": m.config.deadlines.monitoring_report_due},
        "log": {"path": "log/publication-log.jsonl", "events": len(events),
                "head": publog.line_hash(last.encode("utf-8")) if events else publog.GENESIS},
        "as_of": as_of.isoformat() if as_of else None,
        "records": records,
        "compliance": tallies,
    }


def write_manifest(m: SiteModel, events: list[dict[str, Any]], register: Resolved | None, docs: Path) -> None:
    data = manifest(m, events, register)
    (docs / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                                 encoding="utf-8")
