"""Timeliness and completeness at a glance, for the finance department (disclosure art. 19–20) and the
yearly monitoring round (monitoring art. 12).

Built from public records, the publication log and the resolved register only (`register.resolve`
already dropped whatever names a confidential record). A record counts as published on the China-time
day of the `published` event that began its current publication, and only when that day is on or
before the as-of date, so a report for a past date shows what was public then.

Statuses of one expected item:
  按时        published on or before its due date
  逾期        published after its due date (days = published − due)
  逾期未公开  not published, and the due date has passed (days = as-of − due)
  未到期      not published, due date not yet passed
An item without a due date (its date is not filled in, or withheld) is 无时限要求 when published and
待公开 when not; it counts as expected and published but in no timeliness column.

One truth: every place that shows a status (the summary cards, the table by department, the overdue and
late lists, the monitoring round, the record pages, the CLI) reads the same `Item`s computed here. The
monitoring round only groups them; it never recounts against another date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from generator.log import publog
from generator.model.catalog import Catalog
from generator.model.config import SiteConfig
from generator.model.events import Event
from generator.model.formatting import WITHHELD_TEXT
from generator.model.records import PublicRecord
from generator.problems import BuildError, Problems
from generator.reports.deadlines import (
    ANCHOR_FIELDS,
    LATE,
    LATE_EXPLAINED,
    NO_DEADLINE,
    ON_TIME,
    PENDING,
    due_date,
)
from generator.source.register import Resolved

MISSING = "逾期未公开"
NOT_DUE = "未到期"
NOTHING = "无应公开事项"  # a round part with no expected item: nothing registered, nothing published
STATUSES = (ON_TIME, LATE, MISSING, NOT_DUE)
MONITORING, MONITORING_REPORT = "monitoring", "monitoring_report"
# What the monitoring rows say when a goal will be missed (indicator enum values).
IMPOSSIBLE = "完全不可能"
RED = "红"
NAV_TITLE = "公开情况考核"
PAGE = "compliance/index.md"


@dataclass
class Item:
    dept: str
    year: int
    kind: str
    status: str
    due: date | None
    published: date | None = None
    days: int | None = None  # 逾期: days after the due date; 逾期未公开: days overdue on the as-of date
    record_id: str | None = None
    title: str | None = None
    project_code: str | None = None
    line: int | None = None  # register line; None when expected only because the record exists
    explained: bool = False  # published late with a stated reason (art. 12)

    @property
    def shown(self) -> str:
        """The status as a record page shows it: 逾期 says whether a reason was given."""
        return LATE_EXPLAINED if self.status == LATE and self.explained else self.status


@dataclass
class Tally:
    expected: int = 0
    published: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0
    withheld: int = 0
    delays: list[int] = field(default_factory=list)

    def add(self, status: str, published: bool, days: int | None) -> None:
        self.expected += 1
        self.published += published
        if status == ON_TIME:
            self.on_time += 1
        elif status == LATE:
            self.late += 1
            self.delays.append(days or 0)
        elif status == MISSING:
            self.missing += 1
        elif status == NOT_DUE:
            self.not_due += 1

    def merge(self, other: Tally) -> None:
        for name in ("expected", "published", "on_time", "late", "missing", "not_due", "withheld"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.delays += other.delays

    @property
    def mean_delay(self) -> float | None:
        """Mean days late of the items published late."""
        return round(sum(self.delays) / len(self.delays), 1) if self.delays else None

    @property
    def worst_delay(self) -> int | None:
        return max(self.delays) if self.delays else None


@dataclass
class RoundPart:
    """One department's monitoring tables, or its monitoring report, in one year's round."""

    tally: Tally
    status: str
    last: date | None  # the latest publication among them


@dataclass
class RoundRow:
    dept: str
    year: int
    due: date
    tables: RoundPart
    report: RoundPart


@dataclass
class Flag:
    dept: str
    year: int
    record_id: str
    title: str
    project_code: str | None
    reasons: list[str]


@dataclass
class Report:
    as_of: date
    items: list[Item]
    tallies: dict[tuple[str, int, str], Tally]
    rounds: list[RoundRow]
    flags: list[Flag]
    show_withheld: bool
    register: bool

    @property
    def overdue(self) -> list[Item]:
        return sorted((i for i in self.items if i.status == MISSING), key=lambda i: (-(i.days or 0), _order(i)))

    @property
    def late(self) -> list[Item]:
        return sorted((i for i in self.items if i.status == LATE), key=lambda i: (-(i.days or 0), _order(i)))

    def newly_overdue(self, within: int = 1) -> list[Item]:
        """Items that became overdue in the last `within` days (a daily check reports each one once)."""
        return [i for i in self.overdue if (i.days or 0) <= within]

    def groups(self) -> list[tuple[str, int, list[tuple[str, Tally]], Tally]]:
        """(dept, year, [(kind, tally)], total) by department, then year (newest first)."""
        by: dict[tuple[str, int], list[tuple[str, Tally]]] = defaultdict(list)
        for (dept, year, kind), tally in self.tallies.items():
            by[(dept, year)].append((kind, tally))
        out = []
        for dept, year in sorted(by, key=lambda k: (k[0], -k[1])):
            total = Tally()
            for _, tally in by[(dept, year)]:
                total.merge(tally)
            out.append((dept, year, by[(dept, year)], total))
        return out

    def total(self) -> Tally:
        total = Tally()
        for tally in self.tallies.values():
            total.merge(tally)
        return total


def _order(i: Item) -> tuple:
    return (i.dept, -i.year, i.kind, i.record_id or "", i.project_code or "", i.line or 0)


def status_of(due: date | None, published: date | None, as_of: date | None) -> tuple[str, int | None]:
    """The one status rule. Without an as-of date (no publication yet) an unpublished item is 待公开."""
    if due is None:
        return (NO_DEADLINE if published else PENDING), None
    if published is not None:
        return (ON_TIME, None) if published <= due else (LATE, (published - due).days)
    if as_of is None:
        return PENDING, None
    return (MISSING, (as_of - due).days) if as_of > due else (NOT_DUE, None)


def published_days(public: list[PublicRecord], events: list[Event], as_of: date | None) -> dict[str, date]:
    """Each public record's publication day, when it was published by `as_of`."""
    first = publog.first_published(events)
    return {r.id: first[r.id] for r in public if r.id in first and (as_of is None or first[r.id] <= as_of)}


def newest_event_day(events: list[Event]) -> date | None:
    """The site page's as-of date: the newest log event's day in China time, never the build's clock."""
    return publog.local_date(max(e["time"] for e in events)) if events else None


def assess(public: list[PublicRecord], resolved: Resolved, events: list[Event], catalog: Catalog,
           config: SiteConfig, departments: dict, as_of: date | None) -> Report:
    published = published_days(public, events, as_of)
    by_id = {r.id: r for r in public}
    items: list[Item] = []
    taken: set[str] = set()
    for e in resolved.expected:
        kind = catalog.kinds[e.kind]
        anchor = ANCHOR_FIELDS[kind.deadline]
        r = by_id.get(e.record_id) if e.record_id else None
        if r is not None:
            taken.add(r.id)
            date_from = r.fields.get(anchor) if anchor not in r.withheld else None
            due = due_date(kind, {anchor: date_from or e.anchor}, config)
            items.append(_item(r, e.kind, due, published.get(r.id), as_of, line=e.line))
        else:
            due = due_date(kind, {anchor: e.anchor}, config)
            status, days = status_of(due, None, as_of)
            items.append(Item(e.dept, e.year, e.kind, status, due, days=days, project_code=e.project_code,
                              line=e.line))
    for r in public:
        kind = catalog.kinds[r.kind]
        if r.id in taken or kind.deadline not in ANCHOR_FIELDS:
            continue
        items.append(_item(r, r.kind, due_date(kind, r.fields, config), published.get(r.id), as_of))
    items.sort(key=_order)
    show_withheld = config.disclosure.withheld_display == "counts"
    tallies: dict[tuple[str, int, str], Tally] = defaultdict(Tally)
    for i in items:
        tallies[(i.dept, i.year, i.kind)].add(i.status, i.published is not None, i.days)
    if show_withheld:
        for key, n in resolved.withheld.items():
            tallies[key].withheld += n
    order = {name: n for n, name in enumerate(catalog.kinds)}
    tallies = dict(sorted(tallies.items(), key=lambda kv: (kv[0][0], -kv[0][1], order[kv[0][2]])))
    rounds = monitoring_round(items, resolved, config, departments, as_of, show_withheld)
    flags = red_flags(public, catalog)
    return Report(as_of, items, tallies, rounds, flags, show_withheld, resolved.exists)


def _item(r: PublicRecord, kind: str, due: date | None, published: date | None, as_of: date | None,
          line: int | None = None) -> Item:
    status, days = status_of(due, published, as_of)
    return Item(r.dept, r.year, kind, status, due, published, days, r.id, r.fields.get("title"),
                r.fields.get("project_code"), line, explained=bool((r.fields.get("delay_reason") or "").strip()))


# ---- the monitoring round (monitoring art. 12) -------------------------------------------------------

def round_due(year: int, config: SiteConfig) -> date:
    text = config.deadlines.monitoring_report_due
    try:
        month, day = (int(p) for p in text.split("-"))
        return date(year, month, day)
    except ValueError:
        problems = Problems()
        problems.add("compliance_bad_due", "site_config.yml", field="deadlines.monitoring_report_due",
                     field_title="绩效监控报告报送截止日", value=text)
        raise BuildError(problems) from None


def monitoring_round(items: list[Item], resolved: Resolved, config: SiteConfig, departments: dict,
                     as_of: date | None, show_withheld: bool) -> list[RoundRow]:
    """Each department's monitoring tables and report of each year, grouped from the same items (and
    statuses, counted against each item's own due date) as the rest of the report. The round's date
    (31 August, monitoring art. 12) is when the report goes to the finance department, not a
    disclosure deadline, so it is shown but not counted against."""
    kinds = (MONITORING, MONITORING_REPORT)
    years = {i.year for i in items if i.kind in kinds}
    if show_withheld:
        years |= {year for (_, year, kind) in resolved.withheld if kind in kinds}
    rows = []
    for year in sorted(years, reverse=True):
        due = round_due(year, config)
        for dept in departments:
            parts = [_round_part([i for i in items if (i.dept, i.year, i.kind) == (dept, year, kind)],
                                 resolved.withheld[(dept, year, kind)] if show_withheld else 0)
                     for kind in kinds]
            rows.append(RoundRow(dept, year, due, *parts))
    return rows


def _round_part(items: list[Item], withheld: int) -> RoundPart:
    tally = Tally(withheld=withheld)
    for i in items:
        tally.add(i.status, i.published is not None, i.days)
    statuses = {i.status for i in items}
    # The worst status of its items, so the summary never reads better (or worse) than the lists.
    for status in (MISSING, LATE, NOT_DUE, PENDING, ON_TIME, NO_DEADLINE):
        if status in statuses:
            break
    else:
        status = WITHHELD_TEXT if withheld else NOTHING
    last = max((i.published for i in items if i.published), default=None)
    return RoundPart(tally, status, last)


def red_flags(public: list[PublicRecord], catalog: Catalog) -> list[Flag]:
    """Public monitoring records whose goals will be missed: a row 完全不可能, or a red warning. Whether or
    not they are published yet: the finance department acts on the content (monitoring art. 17)."""
    kind = catalog.kinds[MONITORING]
    rows_title = catalog.indicator_by_name
    flags = []
    for r in public:
        if r.kind != MONITORING:
            continue
        reasons = []
        if r.fields.get("warning") == RED:
            reasons.append(f"{kind.title_of('warning')}：{RED}")
        for row in r.rows:
            name = row.get("name") or ""
            if row.get("likelihood") == IMPOSSIBLE:
                reasons.append(f"指标“{name}”{rows_title['likelihood']['title']}：{IMPOSSIBLE}")
            if row.get("warning") == RED:
                reasons.append(f"指标“{name}”{rows_title['warning']['title']}：{RED}")
        if reasons:
            flags.append(Flag(r.dept, r.year, r.id, r.fields.get("title") or r.id, r.fields.get("project_code"),
                              reasons))
    flags.sort(key=lambda f: (-f.year, f.dept, f.record_id))
    return flags


# ---- the site page ------------------------------------------------------------------------------------

def site_report(public: list[PublicRecord], resolved: Resolved | None, events: list[Event], catalog: Catalog,
                config: SiteConfig, departments: dict) -> Report:
    """The report the site shows everywhere (record pages, log, compliance page): as of the newest log
    event, never the build's clock, so two builds of one commit agree byte for byte."""
    return assess(public, resolved or Resolved(), events, catalog, config, departments, newest_event_day(events))


def by_record(report: Report) -> dict[str, Item]:
    """Each record's item: the status its page shows is the one the compliance page counts."""
    return {i.record_id: i for i in report.items if i.record_id}


def render_page(renderer, model, events: list[Event], report: Report) -> tuple[str, str]:
    """Write /compliance/ and return its nav entry."""
    as_of = report.as_of
    renderer.write(PAGE, "compliance.md.j2", report=report if as_of else None, as_of=as_of, statuses=STATUSES,
                   monitoring_due=model.config.deadlines.monitoring_report_due)
    return NAV_TITLE, PAGE
