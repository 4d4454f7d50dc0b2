"""Timeliness and completeness for the finance department (issue 10): the register, each status,
delays, the monitoring round, the CLI, the /compliance/ page, and confidential items never named."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import read_site
from generator.cli import main
from generator.log.publish import publish_log
from generator.model.catalog import load_catalog
from generator.problems import BuildError
from generator.reports.compliance import LATE, MISSING, NOT_DUE, NOTHING, ON_TIME
from generator.reports.compliance_output import compliance_report
from generator.source.register import load_register, register_schema
from tests.fixtures_site import PROJECT, make_site

CONFIDENTIAL_TITLE = "涉密金丝雀边境防火物资储备点建设项目绩效目标"
CONFIDENTIAL_CODE = "CANARYCONF77"
CONFIDENTIAL_GOAL = f"""\
id: lcj-2026-goal-secretcanary
title: {CONFIDENTIAL_TITLE}
confidential: true
confidential_basis: 可能危及公共安全
variant: 项目支出
project_code: {CONFIDENTIAL_CODE}
approved_on: 2026-02-10
"""


def pre_assessment(rid: str, code: str, completed: str, delay_reason: str = "") -> str:
    extra = f"delay_reason: {delay_reason}\n" if delay_reason else ""
    return f"""\
id: {rid}
title: {rid} 事前绩效评估报告
project_code: {code}
completed_on: {completed}
overview: 项目概况。
conclusion: 予以支持
{extra}"""


MONITORING_RED = """\
id: lcj-2026-mon-red
title: 2026年草原生态修复项目绩效目标监控情况
project_code: LCJRED01
months: 7
completed_on: 2026-08-05
warning: 红
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 草原生态修复面积
    operator: "≥"
    target: "30"
    unit: 万亩
    actual: "6"
    expected: "12"
    likelihood: 完全不可能
    deviation_reason: 春季干旱，补播推迟。
    corrective_measures: 调减年度目标并申请调整预算。
"""

MONITORING_REPORT = """\
id: lcj-2026-monrpt
title: 内蒙古自治区林业和草原局2026年预算绩效监控报告
completed_on: 2026-08-25
organisation: 组织实施情况。
budget_execution: 预算执行情况。
goal_completion: 目标完成情况。
problems: 存在的问题。
suggestions: 改进建议。
"""

REGISTER = f"""\
部门代码,年度,类别,项目代码,批复日期,事项结束日期
jyt,2026,绩效目标,150000261000000101,2026-02-14,
jyt,2026,pre_assessment,PA1,,2026-02-01
lcj,2026,evaluation,PMISSING1,,2026-03-01
lcj,2026,fiscal_evaluation,PFUTURE1,,2026-09-01
lcj,2026,goal,{CONFIDENTIAL_CODE},2026-02-10,
"""

UTC = timezone.utc


def _publish(root: Path, when: datetime) -> None:
    publish_log(root, commit="0" * 40, now=when)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Published in three rounds, so records have different publication days:
    - 2026-03-06 23:59:59 China time (15:59:59 UTC): the goal (due 3-06: on time only in China time) and
      the first monitoring table;
    - 2026-03-20: two pre-assessments, due 3-01 and 3-10 (late 19 and 10 days);
    - 2026-09-05: a red monitoring table and the monitoring report (after the 8-31 round)."""
    root = make_site(tmp_path_factory.mktemp("compliance"), {
        "lcj/2026/goals/lcj-2026-goal-secretcanary.yml": CONFIDENTIAL_GOAL,
    })
    _publish(root, datetime(2026, 3, 6, 15, 59, 59, tzinfo=UTC))
    content = root / "content"
    (content / "jyt/2026/pre-assessments").mkdir(parents=True)
    (content / "jyt/2026/pre-assessments/jyt-2026-pre-a.yml").write_text(
        pre_assessment("jyt-2026-pre-a", "PA1", "2026-02-01"), encoding="utf-8")
    (content / "jyt/2026/pre-assessments/jyt-2026-pre-b.yml").write_text(
        pre_assessment("jyt-2026-pre-b", "PB1", "2026-02-10", "等待专家复核意见"), encoding="utf-8")
    _publish(root, datetime(2026, 3, 20, 2, 0, 0, tzinfo=UTC))
    (content / "lcj/2026/monitoring/lcj-2026-mon-red.yml").write_text(MONITORING_RED, encoding="utf-8")
    (content / "lcj/2026/monitoring-reports").mkdir(parents=True)
    (content / "lcj/2026/monitoring-reports/lcj-2026-monrpt.yml").write_text(MONITORING_REPORT, encoding="utf-8")
    _publish(root, datetime(2026, 9, 5, 1, 0, 0, tzinfo=UTC))
    (content / "register.csv").write_text(REGISTER, encoding="utf-8")
    return root


def _items(report):
    return {(i.kind, i.record_id or i.project_code): i for i in report.items}


# ---- the register ---------------------------------------------------------------------------------

def test_loader_skips_the_register(site: Path) -> None:
    result = read_site(site)
    assert not result.problems.errors
    assert all(r.origin.file != "content/register.csv" for r in result.records)


def test_register_schema_repeats_the_common_fields_and_the_deadline_kinds() -> None:
    register = json.loads((PROJECT / "schemas/register.schema.json").read_text(encoding="utf-8"))
    common = {f["name"]: f for f in json.loads((PROJECT / "schemas/common.schema.json").read_text(
        encoding="utf-8"))["fields"]}
    catalog = load_catalog(PROJECT)
    for spec in register["fields"]:
        if spec["name"] in common:
            assert spec == common[spec["name"]], spec["name"]
    # The kinds are not repeated in the file: they are read from kinds.yml when the register is.
    assert "enum" not in next(f for f in register["fields"] if f["name"] == "kind")["constraints"]
    kind = next(f for f in register_schema(catalog)["fields"] if f["name"] == "kind")
    assert kind["constraints"]["enum"] == [k.name for k in catalog.kinds.values() if k.deadline != "none"]


def _register_problems(tmp_path: Path, text: str) -> list[str]:
    root = make_site(tmp_path, {"register.csv": text})
    result = read_site(root)
    with pytest.raises(BuildError) as exc:
        load_register(root, result.catalog, result.departments)
    return [p.render() for p in exc.value.problems]


def test_register_problems_name_file_line_and_field(tmp_path: Path) -> None:
    problems = _register_problems(tmp_path, (
        "dept,year,kind,project_code,approved_on,completed_on\n"
        "jyt,2026,goal,P1,,\n"
        "xyz,2026,evaluation,P2,,2026-03-01\n"
        "jyt,2026,评价,P3,,2026-03-01\n"
        "jyt,2026,evaluation,P4,2026-02-30,2026-03-01\n"
        "jyt,2026,evaluation,P5,,2026-03-01\n"
        "jyt,2026,部门评价结果,P5,,2026-03-02\n"
        "jyt,2026,evaluation,P6,2026-02-01,2026-03-01\n"))
    assert problems == [
        "content/register.csv:2: 错误：字段“批复日期”（approved_on）：绩效目标的应公开时限从此日期起算，登记时须填写，"
        "格式为 YYYY-MM-DD（如 2026-03-05）。",
        "content/register.csv:3: 错误：字段“部门代码”（dept）：部门代码“xyz”未在 content/departments.yml 中登记。"
        "已登记的部门代码：jyt、lcj。",
        "content/register.csv:4: 错误：字段“类别”（kind）：值“评价”不在可选范围内。可选值：goal（绩效目标）、"
        "pre_assessment（事前评估结果）、evaluation（部门评价结果）、fiscal_evaluation（财政评价结果）、"
        "monitoring（绩效监控情况）、monitoring_report（绩效监控报告）。",
        "content/register.csv:5: 错误：字段“批复日期”（approved_on）：值“2026-02-30”不是有效日期。"
        "应写成 YYYY-MM-DD（如 2026-03-05），且该日期在日历上存在。",
        "content/register.csv:7: 错误：字段“项目代码”（project_code）：与第 6 行重复：同一部门、年度、类别和项目代码"
        "只能登记一次。请删除其中一行，或改正项目代码。",
        "content/register.csv:8: 错误：字段“批复日期”（approved_on）：部门评价结果的应公开时限从事项结束日期"
        "（completed_on）起算，不使用此日期。请把日期填在“事项结束日期”一栏，或检查类别是否填错。",
    ]


def test_register_without_a_key_column(tmp_path: Path) -> None:
    problems = _register_problems(tmp_path, "dept,kind,project_code\njyt,goal,P1\n")
    assert problems == [
        "content/register.csv:1: 错误：字段“年度”（year）：应公开事项登记表的表头（第 1 行）缺少此栏目，无法读取各行。"
        "可用的栏目（字段名或中文栏目名均可）：dept（部门代码）、year（年度）、kind（类别）、project_code（项目代码）、"
        "approved_on（批复日期）、completed_on（事项结束日期）；其中部门代码、年度、类别必填。"]


# ---- statuses and delays ---------------------------------------------------------------------------

def test_each_status_from_the_register(site: Path) -> None:
    report, _, _ = compliance_report(site, date(2026, 9, 10))
    items = _items(report)
    goal = items[("goal", "jyt-2026-goal-xszz")]
    assert (goal.status, goal.due, goal.published, goal.line) == (ON_TIME, date(2026, 3, 6), date(2026, 3, 6), 2)
    late = items[("pre_assessment", "jyt-2026-pre-a")]
    assert (late.status, late.due, late.published, late.days, late.line) == (
        LATE, date(2026, 3, 1), date(2026, 3, 20), 19, 3)
    missing = items[("evaluation", "PMISSING1")]
    assert (missing.status, missing.due, missing.days, missing.record_id, missing.line) == (
        MISSING, date(2026, 4, 1), 162, None, 4)
    future = items[("fiscal_evaluation", "PFUTURE1")]
    assert (future.status, future.due, future.days) == (NOT_DUE, date(2026, 10, 1), None)
    # Not in the register, but public and in the log: expected implicitly.
    implicit = items[("pre_assessment", "jyt-2026-pre-b")]
    assert (implicit.status, implicit.days, implicit.line, implicit.explained) == (LATE, 10, None, True)
    assert report.register is True


def test_mean_and_worst_delay(site: Path) -> None:
    report, _, _ = compliance_report(site, date(2026, 9, 10))
    tally = report.tallies[("jyt", 2026, "pre_assessment")]
    assert (tally.expected, tally.published, tally.late, tally.delays) == (2, 2, 2, [19, 10])
    assert (tally.mean_delay, tally.worst_delay) == (14.5, 19)
    assert report.tallies[("jyt", 2026, "goal")].mean_delay is None


def test_as_of_before_publication_counts_it_unpublished(site: Path) -> None:
    report, _, _ = compliance_report(site, date(2026, 3, 15))
    items = _items(report)
    assert (items[("pre_assessment", "jyt-2026-pre-a")].status, items[("pre_assessment", "jyt-2026-pre-a")].days) \
        == (MISSING, 14)
    assert items[("goal", "jyt-2026-goal-xszz")].status == ON_TIME
    assert [i.record_id or i.project_code for i in report.newly_overdue(7)] == ["jyt-2026-pre-b"]


def test_confidential_register_line_is_neither_missing_nor_named(site: Path) -> None:
    report, _, _ = compliance_report(site, date(2026, 9, 10))
    assert all(i.project_code != CONFIDENTIAL_CODE and i.record_id != "lcj-2026-goal-secretcanary"
               for i in report.items)
    assert ("lcj", 2026, "goal") not in report.tallies  # withheld_display: none → left out entirely


def test_withheld_counts_when_configured(site: Path, tmp_path: Path) -> None:
    import shutil
    root = tmp_path / "counts"
    shutil.copytree(site, root)
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("withheld_display: none",
                                                                 "withheld_display: counts"), encoding="utf-8")
    report, _, _ = compliance_report(root, date(2026, 9, 10))
    tally = report.tallies[("lcj", 2026, "goal")]
    assert (tally.expected, tally.withheld, tally.missing) == (0, 1, 0)
    result = CliRunner().invoke(main, ["compliance", "--root", str(root), "--as-of", "2026-09-10"])
    assert "依法不予公开：1" in result.output
    assert CONFIDENTIAL_CODE not in result.output and CONFIDENTIAL_TITLE not in result.output


# ---- the monitoring round ------------------------------------------------------------------------------

def test_monitoring_round_and_red_flags(site: Path) -> None:
    report, _, _ = compliance_report(site, date(2026, 9, 10))
    rounds = {(r.dept, r.year): r for r in report.rounds}
    assert set(rounds) == {("jyt", 2026), ("lcj", 2026)}
    lcj = rounds[("lcj", 2026)]
    assert lcj.due == date(2026, 8, 31)
    # Counted against each item's own due date (completed + 1 month), as everywhere else, not the 8-31
    # submission date: one table published 3-06, the red one (completed 8-05) and the report (8-25) on 9-05.
    assert (lcj.tables.status, lcj.tables.tally.on_time, lcj.tables.tally.late) == (ON_TIME, 2, 0)
    assert (lcj.report.status, lcj.report.last) == (ON_TIME, date(2026, 9, 5))
    statuses = {i.record_id: i.status for i in report.items if i.kind in ("monitoring", "monitoring_report")}
    assert statuses == {"lcj-2026-mon-thlc": ON_TIME, "lcj-2026-mon-red": ON_TIME, "lcj-2026-monrpt": ON_TIME}
    jyt = rounds[("jyt", 2026)]
    # Nothing registered or published: no status that the item lists would not back.
    assert (jyt.tables.status, jyt.report.status) == (NOTHING, NOTHING)
    early = {(r.dept, r.year): r for r in compliance_report(site, date(2026, 8, 1))[0].rounds}
    # The red table is in the content but not yet published on 8-01: expected, not yet due.
    assert early[("jyt", 2026)].tables.status == NOTHING
    assert (early[("lcj", 2026)].tables.status, early[("lcj", 2026)].tables.tally.on_time) == (NOT_DUE, 1)
    assert [(f.record_id, f.reasons) for f in report.flags] == [
        ("lcj-2026-mon-red", ["预警等级：红", "指标“草原生态修复面积”完成目标可能性：完全不可能"])]


def test_monitoring_round_from_example_content(tmp_path: Path) -> None:
    """The example content, published at one moment on 2026-09-15 (China time)."""
    import shutil

    root = tmp_path / "example"
    shutil.copytree(PROJECT / "content", root / "content")
    shutil.copyfile(PROJECT / "site_config.yml", root / "site_config.yml")
    _publish(root, datetime(2026, 9, 15, 2, 0, 0, tzinfo=UTC))
    report, _, _ = compliance_report(root, date(2026, 9, 15))
    rounds = {(r.dept, r.year): r for r in report.rounds}
    assert set(rounds) == {(d, y) for d in ("jyt", "lcj", "mzt", "czt") for y in (2025, 2026)}
    jyt = rounds[("jyt", 2025)]
    assert (jyt.due, jyt.tables.status, jyt.tables.tally.published, jyt.report.status) == (
        date(2025, 8, 31), LATE, 3, LATE)
    # The finance department itself files no monitoring; the 2026 report registered for jyt is not yet due
    # (completed 8-28 + 1 month), as the item list says.
    assert (rounds[("czt", 2025)].tables.status, rounds[("czt", 2025)].report.status) == (NOTHING, NOTHING)
    assert (rounds[("jyt", 2026)].report.status, rounds[("jyt", 2026)].report.tally.expected) == (NOT_DUE, 1)
    assert [(f.record_id, f.reasons[0]) for f in report.flags] == [("mzt-2025-mon-ylfw", "预警等级：红")]
    assert any("完全不可能" in reason for reason in report.flags[0].reasons)
    # The register's deliberately unpublished items; its confidential line is neither missing nor named.
    missing = {(i.dept, i.year, i.kind, i.project_code) for i in report.overdue if i.record_id is None}
    assert missing == {("mzt", 2025, "pre_assessment", "150000251200000699"),
                       ("lcj", 2026, "pre_assessment", "150000261100000521")}
    # Its own deadline (completed 8-28 + 1 month) is still ahead, though the round's 8-31 has passed.
    assert [i.status for i in report.items if (i.dept, i.year, i.kind) == ("jyt", 2026, "monitoring_report")] \
        == [NOT_DUE]
    assert all(i.project_code != "150000261100000508" for i in report.items)


# ---- the command ----------------------------------------------------------------------------------------

def test_cli_formats_and_fail_on_new(site: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["compliance", "--root", str(site), "--as-of", "2026-09-10"])
    assert text.exit_code == 0, text.output
    assert ("截至 2026年9月10日：应公开 8 项，已公开 6 项（按时 4，逾期 2），逾期未公开 1 项，未到期 1 项；"
            "逾期公开的平均逾期 14.5 天，最长 19 天。") in text.output
    assert "项目代码 PMISSING1  来源：登记表第 4 行  应公开日期：2026年4月1日  已逾期（天）：162" in text.output
    md = runner.invoke(main, ["compliance", "--root", str(site), "--as-of", "2026-09-10", "--format", "markdown"])
    assert "| 林草局 | 2026 | 部门评价结果 | 项目代码 PMISSING1 | 登记表第 4 行 | 2026年4月1日 | 162 |" in md.output
    data = json.loads(runner.invoke(main, ["compliance", "--root", str(site), "--as-of", "2026-04-02",
                                           "--format", "json"]).output)
    assert [i["project_code"] for i in data["newly_overdue"]] == ["PMISSING1"]
    new = runner.invoke(main, ["compliance", "--root", str(site), "--as-of", "2026-04-02", "--fail-on-new",
                               "--format", "markdown"])
    assert new.exit_code == 3
    assert ("截至 2026年4月2日，有 1 项在最近 1 天内转为逾期未公开：林草局2026年部门评价结果“项目代码 PMISSING1”"
            "（登记表第 4 行）。") in new.output
    quiet = runner.invoke(main, ["compliance", "--root", str(site), "--as-of", "2026-04-03", "--fail-on-new"])
    assert quiet.exit_code == 0
    for out in (text.output, md.output, json.dumps(data, ensure_ascii=False)):
        assert CONFIDENTIAL_CODE not in out and CONFIDENTIAL_TITLE not in out


def test_cli_bad_as_of(site: Path) -> None:
    result = CliRunner().invoke(main, ["compliance", "--root", str(site), "--as-of", "2026-13-01"])
    assert result.exit_code == 1
    assert ("错误：--as-of 的值“2026-13-01”不是有效日期，应写成 YYYY-MM-DD（如 2026-09-01），或写 today 表示今天（北京时间）。"
            in result.output)


# ---- the site page ---------------------------------------------------------------------------------------

def test_overdue_workflow_is_least_privilege_and_pinned() -> None:
    import re

    text = (PROJECT / ".github/workflows/overdue.yml").read_text(encoding="utf-8")
    assert "permissions:\n  contents: read\n" in text and "write" not in text
    uses = re.findall(r"uses: (\S+)", text)
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses)
    assert "disclose compliance --format markdown --as-of today --fail-on-new" in text
    assert "GITHUB_STEP_SUMMARY" in text and "cron:" in text


def test_page_in_a_build(site: Path, tmp_path: Path) -> None:
    from generator.build import build

    out = tmp_path / "out"
    build(site, out)
    page = (out / "compliance/index.html").read_text(encoding="utf-8")
    # As of the newest log event (2026-09-05 01:00 UTC = 9:00 China time), not the build's clock.
    assert "统计截至 2026年9月5日" in page
    assert "项目代码 PMISSING1" in page and "草原生态修复面积" in page
    assert 'href="../records/jyt-2026-pre-a/"' in page
    assert "公开情况考核" in (out / "index.html").read_text(encoding="utf-8")  # in the nav
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".jsonl", ".md"):
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert CONFIDENTIAL_CODE not in text and CONFIDENTIAL_TITLE not in text, path


def test_validate_reports_register_problems_with_the_records(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main
    from tests.fixtures_site import make_site

    root = make_site(tmp_path)
    (root / "content" / "register.csv").write_text("dept,year,kind,project_code,approved_on\njyt,2026,goal,X1,2026-02-30\n",
                                                   encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert "content/register.csv:2" in result.output and "2026-02-30" in result.output
