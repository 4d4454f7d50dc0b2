"""Disclosure deadlines (应公开时限) and whether a record met its deadline.

Rules (《预算绩效管理信息公开管理办法》):
- art. 11, kinds with `deadline: approved`: within `deadlines.approved_days` (20) calendar days after the
  budget or final accounts are approved (`approved_on`);
- art. 12, kinds with `deadline: completed`: within `deadlines.completed_months` (1) calendar month after
  the matter ends (`completed_on`), later only "如遇特殊情况" — hence `delay_reason`;
- `deadline: none` (notices): no deadline.

The due date is the last day on which publication is still on time. A calendar month is counted as
the law counts it: the same day number of the following month, or that month's last day when it has
no such day (1月31日 + 1个月 = 2月28日, or 2月29日 in a leap year).

Dates are calendar days in China Standard Time; `publog.local_date` turns a log timestamp into one.
Nothing here reads the clock: a record not yet in the log is 待公开, never "overdue as of today",
so two builds of one commit stay byte-identical.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from generator.model.catalog import Kind
from generator.model.config import SiteConfig

# timeliness() results, as shown on record pages and the log page.
ON_TIME = "按时"
LATE = "逾期"
LATE_EXPLAINED = "逾期（已说明原因）"  # art. 12 allows a later date with a stated reason
PENDING = "待公开"  # not (yet) in the publication log
NO_DEADLINE = "无时限要求"  # notices, or the date the deadline counts from is not filled in
STATUSES = (ON_TIME, LATE, LATE_EXPLAINED, PENDING, NO_DEADLINE)

# Which field each deadline rule counts from.
ANCHOR_FIELDS = {"approved": "approved_on", "completed": "completed_on"}


def add_months(start: date, months: int) -> date:
    """`start` plus calendar months, clamped to the last day of a shorter month."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(kind: Kind, fields: dict[str, Any], config: SiteConfig) -> date | None:
    """The last on-time day for a record of `kind`, or None when no deadline applies or its date is empty."""
    anchor = ANCHOR_FIELDS.get(kind.deadline)
    start = fields.get(anchor) if anchor else None
    if not isinstance(start, date):
        return None
    if kind.deadline == "approved":
        return start + timedelta(days=config.deadlines.approved_days)
    return add_months(start, config.deadlines.completed_months)


def timeliness(due: date | None, published: date | None, delay_reason: str | None = None) -> str:
    """One of STATUSES: 按时 / 逾期 / 逾期（已说明原因） when both dates are known, 待公开 when the record is
    not in the log yet, 无时限要求 when there is no due date."""
    if due is None:
        return NO_DEADLINE
    if published is None:
        return PENDING
    if published <= due:
        return ON_TIME
    return LATE_EXPLAINED if delay_reason and delay_reason.strip() else LATE
