"""`disclose import` on workbooks laid out like real published forms of each family (values from the
transcriptions in tests/corpus/real_forms/): every field and indicator row as the form prints it, the
department-wide 年度履职目标 / 年度主要任务 table and 基本/项目支出 split, section points as data, and neither
a label nor an invented value in the record."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fixtures_site import DEPARTMENTS, make_site
from import_checks import assert_no_label_imported, assert_nothing_invented, errors_in, imported, run
from xlsx_forms import fujian_dept_goal, hubei_dept_goal
from xlsx_samples import workbook

CORPUS = Path(__file__).parent / "corpus" / "real_forms" / "records"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    # The departments of the real forms registered beside the fixture's own.
    corpus = (CORPUS / "departments.yml").read_text(encoding="utf-8").split("\n", 1)[1]
    return make_site(tmp_path / "site", {"departments.yml": DEPARTMENTS + corpus})


def _import(site: Path, book: Path, *extra: str) -> str:
    result = run("import", str(book), "--out", str(site), *extra)
    assert result.exit_code == 0, result.output
    return result.output


def test_fujian_department_wide_goal_holds_what_the_real_form_prints(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "部门整体.xlsx", fujian_dept_goal)
    out = _import(site, book)
    assert "未能对应到任何字段" not in out and "栏目名" not in out
    r = imported(site, "content/ndds/2019/goals/ndds-2019-goal-sheet1.yml")
    held = yaml.safe_load((CORPUS / "ndds/2019/goals/ndds-2019-goal-dept.yml").read_text(encoding="utf-8"))
    assert r["title"] == "2019年中共宁德市委党史和地方志研究室部门整体支出绩效目标"
    assert (r["dept"], r["year"], r["variant"]) == ("ndds", 2019, "部门整体支出")
    # The label as the form prints it; the name is the registered one, so it is not repeated.
    assert r["dept_label"] == held["dept_label"] == "部门(单位)名称" and "dept_name" not in r
    assert r["budget_code"] == held["budget_code"] == "901001033"
    assert r["funds_unit"] == "万元"
    # 资金总额 = 项目支出 + 基本支出 as printed, under the block heading beside it; the total row is funds_total.
    assert r["funding"] == held["funding"]
    assert r["funds_total"] == 171.41
    # 年度履职目标: every row and cell as printed, the 基本支出 line with its (inconsistent) 171.41 kept.
    assert r["duties"] == held["duties"]
    assert r["annual_goals"] == ["确保本室各人员工资及福利的发放;", "对合作社区、退休人员及遗孀、困难群众进行一定程度的补助;",
                                 "确保本室日常办公所需经费正常运行;", "保障志鉴地情相关工作开展所需资金,确保完成2019年度任务。"]
    # Every indicator row as held in the corpus; a ≥ value is split into operator, number and unit beside
    # the printed text, '100%' and '1' without an operator stay as printed (no unit split off, no = guessed).
    expected = [dict(row) for row in held["indicators"]]
    expected[2] = {**expected[2], "operator": "≥", "target": "60", "target_text": "≥60%", "unit": "%"}
    assert r["indicators"] == expected
    assert set(r) == {"id", "title", "dept", "year", "dept_label", "budget_code", "variant", "funds_unit", "funds_total",
                      "funding", "annual_goals", "duties", "indicators"}
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)
    assert errors_in(site) == []


def test_department_wide_goal_with_main_tasks_and_income_expenditure_split(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "整体目标.xlsx", hubei_dept_goal)
    out = _import(site, book)
    assert "未能对应到任何字段" not in out and "栏目名" not in out
    r = imported(site, "content/gszfb/2021/goals/gszfb-2021-goal-sheet1.yml")
    assert (r["dept"], r["year"], r["variant"], r["funds_unit"]) == ("gszfb", 2021, "部门整体支出", "万元")
    assert r["dept_label"] == "部门(单位) 名称"
    # 收入构成 and 支出构成 as the form groups them (merged group cells repeated), shares kept, blanks blank.
    assert r["funding"] == [{"caption": "部门总体资金情况", "columns": ["构成", "项目", "当年 金额", "占比"],
                             "rows": [["收入构成", "财政拨款", "968.1918", ""], ["收入构成", "其他资金", "", ""],
                                      ["收入构成", "合计", "968.1918", "100%"],
                                      ["支出构成", "基本支出", "724.2318", "74.8%"],
                                      ["支出构成", "项目支出", "243.96", "25.2%"],
                                      ["支出构成", "合计", "968.1918", "100%"]]}]
    assert r["funds_total"] == 968.1918
    assert r["dept_functions"].startswith("(一)负责全市人民防空工作。")
    # 年度主要任务: 任务名称 | 主要内容 | 预算金额, and the printed 合计 row.
    assert r["duties"] == [{"task": "人民防空工作", "content": "组织全市人民防空宣传教育和防空警报试鸣", "amount": "60"},
                           {"task": "政务服务保障", "content": "市政府会议、值班和重大活动的组织协调", "amount": "183.96"},
                           {"task": "合计", "amount": "243.96"}]
    assert r["annual_goals"] == ["保障市政府机关正常运转，按时完成人民防空和政务服务各项任务。"]
    # Section points printed in the merged 一级指标 cells are data; the 满意度 row keeps its own level names.
    assert r["indicators"] == [
        {"level1": "产出指标", "level1_points": "50", "level2": "数量指标", "name": "防空警报试鸣次数", "operator": "≥",
         "target": "1", "target_text": "≥1次", "unit": "次"},
        {"level1": "产出指标", "level1_points": "50", "level2": "时效指标", "name": "会议通知及时率", "target": "100%"},
        {"level1": "满意度指标", "level1_points": "10", "level2": "社会公众或服务对象满意度指标", "name": "市民满意度",
         "operator": "≥", "target": "90", "target_text": "≥90%", "unit": "%"}]
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)
    assert errors_in(site) == []
