"""Disclosure deadlines: art. 11 (approved_on + days) and art. 12 (completed_on + calendar months)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.model.catalog import load_catalog
from generator.model.config import load_config
from generator.model.formatting import cn_date as format_date  # the one Chinese date format
from generator.reports import deadlines
from generator.reports.deadlines import add_months, due_date, timeliness

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def config():
    return load_config(PROJECT)


@pytest.fixture(scope="module")
def kinds():
    return load_catalog(PROJECT).kinds


@pytest.mark.parametrize(("start", "due"), [
    (date(2026, 1, 31), date(2026, 2, 28)),
    (date(2024, 1, 31), date(2024, 2, 29)),   # leap year
    (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 12, 31), date(2027, 1, 31)),  # across the year end
    (date(2026, 8, 10), date(2026, 9, 10)),
    (date(2026, 2, 28), date(2026, 3, 28)),
])
def test_completed_is_one_calendar_month_clamped_to_month_end(kinds, config, start, due):
    assert due_date(kinds["evaluation"], {"completed_on": start}, config) == due


def test_completed_months_come_from_config(kinds, config):
    config.deadlines.completed_months = 2
    assert due_date(kinds["monitoring"], {"completed_on": date(2025, 12, 31)}, config) == date(2026, 2, 28)
    assert add_months(date(2023, 12, 31), 2) == date(2024, 2, 29)


@pytest.mark.parametrize(("start", "due"), [
    (date(2026, 1, 20), date(2026, 2, 9)),    # across a month end
    (date(2024, 2, 15), date(2024, 3, 6)),    # 29 days in February 2024
    (date(2026, 2, 15), date(2026, 3, 7)),
    (date(2026, 12, 25), date(2027, 1, 14)),  # across the year end
])
def test_approved_is_twenty_days(kinds, config, start, due):
    assert due_date(kinds["goal"], {"approved_on": start}, config) == due


def test_approved_days_come_from_config(kinds, config):
    config.deadlines.approved_days = 10
    assert due_date(kinds["goal"], {"approved_on": date(2026, 1, 25)}, config) == date(2026, 2, 4)


def test_no_deadline_for_notices_or_an_empty_date(kinds, config):
    assert due_date(kinds["notice"], {"approved_on": date(2026, 1, 1), "completed_on": date(2026, 1, 1)},
                    config) is None
    assert due_date(kinds["goal"], {"approved_on": None, "completed_on": date(2026, 1, 1)}, config) is None
    assert due_date(kinds["evaluation"], {}, config) is None


def test_timeliness():
    due = date(2026, 2, 28)
    assert timeliness(due, date(2026, 2, 28), None) == "按时"
    assert timeliness(due, date(2026, 1, 5), None) == "按时"
    assert timeliness(due, date(2026, 3, 1), None) == "逾期"
    assert timeliness(due, date(2026, 3, 1), "  ") == "逾期"
    assert timeliness(due, date(2026, 3, 1), "评价报告经专家复核后方定稿") == "逾期（已说明原因）"
    assert timeliness(due, None, None) == "待公开"
    assert timeliness(None, date(2026, 3, 1), None) == "无时限要求"
    assert set(deadlines.STATUSES) == {"按时", "逾期", "逾期（已说明原因）", "待公开", "无时限要求"}


def test_format_date():
    assert format_date(date(2026, 3, 5)) == "2026年3月5日"
    assert format_date(date(2026, 12, 31)) == "2026年12月31日"
    assert format_date(None) == ""
