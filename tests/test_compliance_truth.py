"""One compliance truth (issue 22): the summary cards, the table by department, the overdue and late
lists, the monitoring round, the record pages and the CLI all show the same status for each item.

The fixture is designed so that every status occurs, in the monitoring round too; the expected status
of each item is written down here from the dates, not read back from the generator.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.log.publish import publish_log
from tests.fixtures_site import make_site
from tests.test_compliance import MONITORING_REPORT

UTC = timezone.utc

PRE_LATE = """\
id: jyt-2026-pre-late
title: 2026年智慧校园项目事前绩效评估报告
project_code: PRELATE1
completed_on: 2026-02-01
delay_reason: 等待专家复核意见
overview: 项目概况。
conclusion: 予以支持
"""

MONRPT_LATE = MONITORING_REPORT

REGISTER = """\
dept,year,kind,project_code,approved_on,completed_on
jyt,2026,goal,150000261000000101,2026-02-14,
lcj,2026,evaluation,PMISSING1,,2026-03-01
lcj,2026,fiscal_evaluation,PFUTURE1,,2026-11-01
jyt,2026,monitoring,JMONFUT1,,2026-09-20
jyt,2026,monitoring_report,,,2026-08-01
"""

# What each item's status must be as of 2026-09-30 (the newest log event), from its dates.
EXPECTED = {
    "jyt-2026-goal-xszz": "按时",      # approved 2-14, due 3-06, published 3-01
    "lcj-2026-mon-thlc": "按时",       # completed 8-10, due 9-10, published 3-01
    "jyt-2026-pre-late": "逾期",       # completed 2-01, due 3-01, published 3-20 (19 days)
    "lcj-2026-monrpt": "逾期",         # completed 8-25, due 9-25, published 9-30 (5 days)
    "PMISSING1": "逾期未公开",         # completed 3-01, due 4-01, never published
    "jyt-monitoring_report": "逾期未公开",  # completed 8-01, due 9-01, never published
    "PFUTURE1": "未到期",              # completed 11-01, due 12-01
    "JMONFUT1": "未到期",              # completed 9-20, due 10-20
}
# The monitoring round per (dept, part): the worst status of that department's items.
ROUND = {("林草局", "tables"): "按时", ("林草局", "report"): "逾期",
         ("教育厅", "tables"): "未到期", ("教育厅", "report"): "逾期未公开"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("truth"))
    publish_log(root, commit="0" * 40, now=datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    content = root / "content"
    (content / "jyt/2026/pre-assessments").mkdir(parents=True)
    (content / "jyt/2026/pre-assessments/jyt-2026-pre-late.yml").write_text(PRE_LATE, encoding="utf-8")
    publish_log(root, commit="1" * 40, now=datetime(2026, 3, 20, 2, 0, tzinfo=UTC))
    (content / "lcj/2026/monitoring-reports").mkdir(parents=True)
    (content / "lcj/2026/monitoring-reports/lcj-2026-monrpt.yml").write_text(MONRPT_LATE, encoding="utf-8")
    publish_log(root, commit="2" * 40, now=datetime(2026, 9, 30, 2, 0, tzinfo=UTC))
    (content / "register.csv").write_text(REGISTER, encoding="utf-8")
    build(root, root / "site")
    return root


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _table(page: str, caption_start: str) -> list[list[str]]:
    """Rows (cell texts) of the table whose caption starts with `caption_start`."""
    for m in re.finditer(r"<table[^>]*>(.*?)</table>", page, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", m.group(1), re.S)
        if caption and _text(caption.group(1)).startswith(caption_start):
            body = re.search(r"<tbody>(.*?)</tbody>", m.group(1), re.S).group(1)
            return [[_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
                    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    raise AssertionError(f"no table captioned {caption_start}")


def _count(statuses: list[str], status: str) -> int:
    return sum(s == status for s in statuses)


def test_every_place_shows_the_same_status(site: Path) -> None:
    page = (site / "site/compliance/index.html").read_text(encoding="utf-8")
    statuses = list(EXPECTED.values())
    # 1. The summary cards.
    cards = dict((label, int(n)) for n, label in re.findall(
        r'dc-card__n">(\d+)</span><span class="dc-card__t">([^<]+)<', page))
    assert cards == {"应公开": len(EXPECTED), "按时公开": _count(statuses, "按时"), "逾期公开": _count(statuses, "逾期"),
                     "逾期未公开": _count(statuses, "逾期未公开"), "未到期": _count(statuses, "未到期")}
    # 2. The table by department: the totals per department agree with the items.
    rows = _table(page, "按部门、年度和类别统计")
    totals = {r[0]: r[3:9] for r in rows if r[2] == "合计"}
    assert totals == {"教育厅": ["4", "2", "1", "1", "1", "1"], "林草局": ["4", "2", "1", "1", "1", "1"]}
    # 3. The lists name exactly the overdue and the late items.
    overdue = _table(page, "已过应公开日期仍未公开")
    assert sorted(r[3] for r in overdue) == sorted(["项目代码 PMISSING1", "（部门整体，无项目代码）"])
    late = _table(page, "在应公开日期之后公开")
    assert sorted(r[3] for r in late) == sorted(["2026年智慧校园项目事前绩效评估报告",
                                                 "内蒙古自治区林业和草原局2026年预算绩效监控报告"])
    # 4. The monitoring round: the status of each part is its items' status, and an overdue part is in
    # the overdue list.
    round_rows = {r[2]: r for r in _table(page, "各部门绩效监控情况表和监控报告")}
    for (dept, part), status in ROUND.items():
        cell = round_rows[dept][3 if part == "tables" else 4]
        assert cell.split("（")[0] == status, (dept, part, cell)
    assert any(r[0] == "教育厅" and r[2] == "绩效监控报告" for r in overdue)
    # 5. Record pages state the same status (逾期 with its stated reason where one was given).
    for rid in ("jyt-2026-goal-xszz", "lcj-2026-mon-thlc", "jyt-2026-pre-late", "lcj-2026-monrpt"):
        text = _text((site / f"site/records/{rid}/index.html").read_text(encoding="utf-8"))
        shown = re.search(r"是否按时 (\S+)", text).group(1)
        assert shown.split("（")[0] == EXPECTED[rid], (rid, shown)
    # 6. The command line (JSON) and its monitoring round.
    result = CliRunner().invoke(main, ["compliance", "--root", str(site), "--as-of", "2026-09-30",
                                       "--format", "json"])
    data = json.loads(result.output)
    got = {(i["record_id"] or i["project_code"] or f"{i['dept']}-{i['kind']}"): i["status"] for i in data["items"]}
    assert got == EXPECTED
    names = {"jyt": "教育厅", "lcj": "林草局"}
    assert {(names[r["dept"]], part): r[part]["status"] for r in data["monitoring_round"]
            for part in ("tables", "report") if (names[r["dept"]], part) in ROUND} == ROUND
