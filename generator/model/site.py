"""What the site is built from: the public records with their publication facts, grouped the ways the
pages list them, and where each record's page lives. Plain data, shared by render, charts, JSON-LD,
open data and record pages."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from generator.model.catalog import Catalog
from generator.model.config import SiteConfig
from generator.model.departments import full_name, short_name
from generator.model.events import Event
from generator.model.records import PublicRecord, project_key


@dataclass
class Publication:
    """What the log says of one record: first published, last updated, and its deadline status."""

    first: str | None = None
    updated: str | None = None
    events: list[Event] = field(default_factory=list)
    due: Any = None
    status: str = ""


@dataclass
class SiteModel:
    config: SiteConfig
    catalog: Catalog
    departments: dict[str, dict[str, Any]]
    records: list[PublicRecord]
    publication: dict[str, Publication]
    withheld_counts: Counter

    def __post_init__(self) -> None:
        self.by_id = {r.id: r for r in self.records}
        self.by_kind: dict[str, list[PublicRecord]] = defaultdict(list)
        self.by_dept: dict[str, list[PublicRecord]] = defaultdict(list)
        # One project's records across kinds and years: by its code, else by department + project name.
        self.by_project: dict[tuple[str, str], list[PublicRecord]] = defaultdict(list)
        for r in self.records:
            self.by_kind[r.kind].append(r)
            self.by_dept[r.dept].append(r)
            key = project_key(r.fields)
            if key:
                self.by_project[key].append(r)
        self.years = sorted({r.year for r in self.records}, reverse=True)

    def withheld_for(self, dept: str) -> list[tuple[str, int]]:
        """(kind, count) of records withheld in full; shown only when disclosure.withheld_display is counts."""
        return sorted((kind, n) for (d, kind), n in self.withheld_counts.items() if d == dept)

    def dept_name(self, code: str) -> str:
        return full_name(self.departments, code)

    def dept_short(self, code: str) -> str:
        return short_name(self.departments, code)


def record_path(r: PublicRecord) -> str:
    return f"records/{r.id}/"
