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
from xlsx_forms import (
    fujian_dept_goal,
    fujian_dept_self_evaluation,
    hubei_dept_goal,
    hubei_monitoring_half_year,
    hunan_project_goal,
    national_dept_goal,
    yunnan_self_evaluation,
    yunnan_self_evaluation_single_column,
)
from xlsx_samples import evaluation_sheet, goal_sheet, monitoring_sheet, workbook

from generator.source.validate import split_points

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


def _held(rel: str) -> dict:
    return yaml.safe_load((CORPUS / rel).read_text(encoding="utf-8"))


def test_project_goal_with_period_target_empty_rows_and_no_level1_guessed(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "目标.xlsx", hunan_project_goal)
    out = _import(site, book)
    r = imported(site, "content/xthw/2023/goals/xthw-2023-goal-sheet1.yml")
    held = _held("xthw/2023/goals/xthw-2023-goal-wupaoche.yml")
    for name in ("variant", "project_name", "dept_label", "funds_unit", "period_text", "overall_goal", "annual_goals"):
        assert r[name] == held[name], name
    # No period dates: the sheet prints months, not days.
    assert "period_start" not in r and "period_end" not in r
    # Every row the form prints, the empty ones too; the 满意度 row has no 一级指标 (none printed, none guessed);
    # ≥ values are split beside the printed text, the others (10辆, 优良, 2023.07-2024.01, 250万) kept whole.
    expected = [{k: v for k, v in row.items() if v != ""} for row in held["indicators"]]
    for i, (number, unit) in {1: ("80", "M"), 6: ("85", "%"), 9: ("90", "%")}.items():
        expected[i] = {**expected[i], "operator": "≥", "target": number, "target_text": held["indicators"][i]["target"],
                       "unit": unit}
    assert r["indicators"] == expected
    # The funds lines this form prints (年度本级 预算金额 250万, 上级资金 0) have no field: reported, not guessed.
    assert "目标申报!A5“年度本级 预算金额”、目标申报!B5“250万”、目标申报!D5“该项目支出上级资金”、目标申报!E5“0”：" \
           "未能对应到任何字段，未导入。" in out
    assert "目标申报!A2“填报单位”、目标申报!B2“(盖章)”：未能对应到任何字段" in out
    assert "funds_total" not in r and "funding" not in r
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)
    assert errors_in(site) == []


def test_half_year_monitoring_with_tick_boxes_and_executing_agency(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "监控.xlsx", hubei_monitoring_half_year)
    out = _import(site, book)
    assert "（项目支出绩效目标监控情况表（1–6月））→ content/hswlj/2019/monitoring/hswlj-2019-monitoring-sheet1.yml" in out
    assert "未能对应到任何字段" not in out
    rel = "content/hswlj/2019/monitoring/hswlj-2019-monitoring-sheet1.yml"
    assert (site / rel).read_text(encoding="utf-8").startswith(
        "# 由 disclose import 从“监控.xlsx”的工作表“监控表”（项目支出绩效目标监控情况表（1–6月））导入。")
    r = imported(site, rel)
    held = _held("hswlj/2019/monitoring/hswlj-2019-mon-shenyi.yml")
    for name in ("project_name", "agency", "agency_label", "funds_unit", "funding", "project_attribute_options",
                 "project_type", "project_type_options"):
        assert r[name] == held[name], name
    assert "project_attribute" not in r  # no box ticked: no value
    assert (r["months"], r["budget_initial"], r["spent_to_date"]) == (6, 220, 87.57)
    assert "expected_spend" not in r  # blank on the form: never 0
    assert r["indicators"] == [
        {"level1": "产 出 指 标", "level2": "成本", "name": "年度预算执行", "target": "年度预算220万元",
         "actual": "按进度执行,已使用约40%", "likelihood": "确定能"},
        {"level1": "效 益 指 标", "level2": "社会效益", "name": "申遗宣传活动",
         "actual": "开展黄石矿冶工业遗产突出普遍价值研究、学术交流、对外宣传等工作,先后举办有社会影响力的活动5场。",
         "likelihood": "确定能"}]
    # Printed but empty on the form: not imported as text.
    assert "deviation_analysis" not in r and "suggestions" not in r
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)
    assert errors_in(site) == []


def test_self_evaluation_with_an_unmerged_two_row_indicator_header(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "自评.xlsx", yunnan_self_evaluation)
    out = _import(site, book, "--dept", "ljgczrzy")
    assert "未能对应到任何字段" not in out and "栏目名" not in out
    r = imported(site, "content/ljgczrzy/2020/evaluations/ljgczrzy-2020-evaluation-sheet1.yml")
    # 主管部门 as printed (another body than the registered one), 实施单位 under its usual label.
    assert (r["dept"], r["dept_name"], r["agency"]) == ("ljgczrzy", "丽江市自然资源和规划局", "丽江市古城区自然资源局")
    assert "agency_label" not in r and "dept_label" not in r
    assert r["funding"] == [{"unit": "万元", "columns": ["项目资金 (万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
                                                      "得分"],
                             "rows": [["年度资金总额", "7.29", "7.29", "7.29", "10.00", "100%", "10.00"],
                                      ["其中:当年财政拨款", "7.29", "7.29", "7.29", "", "100%", ""],
                                      ["上年结转资金", "", "", "", "", "", ""], ["其他资金", "", "", "", "", "", ""]]}]
    assert (r["budget_initial"], r["spent"], r["execution_rate"], r["execution_weight"], r["execution_score"]) == (
        7.29, 7.29, 100, 10, 10)
    assert r["goal_expected"] == r["goal_actual"] == "自然资源卫片执法补助经费"
    # The second header row (指标性质 | 指标值 | 度量单位) is a header, not an indicator row; ﹦ is =.
    rows = r["indicators"]
    assert [x["name"] for x in rows] == ["卫片执法补助经费", "项目验收合格率", "项目完成及时率", "违法行为责停率", "满意度"]
    assert rows[0] == {"level1": "产出指标", "level2": "数量指标", "name": "卫片执法补助经费", "operator": "=",
                       "target": "72890", "unit": "元", "actual": "72890", "weight": 10, "score": 9}
    assert [(x["operator"], x["weight"], x.get("score")) for x in rows[1:]] == [
        ("=", 20, 19), ("=", 20, 19), ("≥", 30, 27), ("≥", 10, None)]
    assert "score" not in r and "grade" not in r  # the excerpt prints no total and no grade
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)


def test_department_wide_self_evaluation_with_formula_headings_and_section_points(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "整体自评.xlsx", fujian_dept_self_evaluation)
    out = _import(site, book)
    assert "（部门整体支出绩效自评表）→ content/ndds/2018/evaluations/ndds-2018-evaluation-sheet1.yml" in out
    assert "未能对应到任何字段" not in out
    r = imported(site, "content/ndds/2018/evaluations/ndds-2018-evaluation-sheet1.yml")
    held = _held("ndds/2018/evaluations/ndds-2018-eval-dept.yml")
    assert r["title"] == "2018年中共宁德市委党史和地方志研究室部门整体支出绩效自评结果"
    for name in ("variant", "eval_type", "dept_label", "budget_code", "funds_unit", "funding", "goal_expected",
                 "goal_actual"):
        assert r[name] == held[name], name
    # The total row (合 计) gives the amount fields; the printed 93% is the form's own rounding of 92.6%.
    assert (r["budget_initial"], r["budget_full_year"], r["spent"], r["execution_rate"]) == (
        2537695, 2751417.82, 2546673.98, 93)
    # 产出 指标 (60分): the section points are data beside the level name.
    assert r["indicators"] == [split_points(row) for row in held["indicators"]]
    assert r["indicators"][0]["level1_points"] == "60"
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)
    assert errors_in(site) == []


@pytest.mark.parametrize("sheet", [goal_sheet, monitoring_sheet, evaluation_sheet])
def test_the_sample_forms_import_nothing_invented_and_no_label(site: Path, tmp_path: Path, sheet) -> None:
    book = workbook(tmp_path / "样表.xlsx", sheet)
    _import(site, book)
    [path] = [p for p in (site / "content").rglob("*.yml") if "由 disclose import" in p.read_text(encoding="utf-8")]
    r = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)


def _edited(book: Path, cells: dict[str, object]) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(book)
    for ref, value in cells.items():
        wb.active[ref] = value
    wb.save(book)
    return book


def test_a_heading_in_a_value_cell_is_reported_not_imported(site: Path, tmp_path: Path) -> None:
    # 预期目标's cell holds 年度目标 (a goal form's heading); 实际完成情况 is filled as usual.
    book = _edited(workbook(tmp_path / "自评.xlsx", evaluation_sheet), {"B11": "年度目标"})
    out = _import(site, book)
    assert "提示：自评表!B11“年度目标”是表上的栏目名，不是“年度总体目标：预期目标”的内容，未作为该栏的值导入（表上该栏可能为空）。" \
           "请核对原表；如确有内容，请手工补录。" in out
    r = imported(site, "content/jyt/2025/evaluations/jyt-2025-evaluation-sheet1.yml")
    assert "goal_expected" not in r and r["goal_actual"] == "资助家庭经济困难学生8.7万人次。"
    assert_no_label_imported(r)


def test_a_heading_in_a_duties_or_indicator_cell_is_reported_not_imported(site: Path, tmp_path: Path) -> None:
    book = _edited(workbook(tmp_path / "部门整体.xlsx", fujian_dept_goal), {"D10": "预算金额", "E15": "指标解释"})
    out = _import(site, book)
    assert "提示：部门整体目标!D10“预算金额”是表上的栏目名，不是“年度履职目标：支出项目名称”的内容" in out
    assert "提示：部门整体目标!E15“指标解释”是表上的栏目名，不是“指标解释”的内容" in out
    r = imported(site, "content/ndds/2019/goals/ndds-2019-goal-sheet1.yml")
    assert r["duties"][1] == {"function": "确保本室各人员工资及福利的发放", "task": "按时发放2019年人员福利", "amount": "11"}
    assert r["indicators"][1] == {"level1": "产出指标", "level2": "数量指标", "name": "确保日常工作正常运行", "target": "100%"}
    assert_no_label_imported(r)


def test_a_repeated_header_row_is_not_an_indicator(site: Path, tmp_path: Path) -> None:
    # Row 17 repeats the table's header (as a sheet printed over two pages does).
    heads = dict(zip(("B17", "C17", "D17", "E17", "F17", "G17"),
                     ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"), strict=True))
    book = _edited(workbook(tmp_path / "目标.xlsx", goal_sheet), heads)
    out = _import(site, book)
    assert "提示：目标申报表!D17：指标表的表头在第 17 行又出现了一次（如分页重复的表头），该行未作为指标导入。" in out
    r = imported(site, "content/jyt/2026/goals/jyt-2026-goal-150000261000000101.yml")
    assert [x["name"] for x in r["indicators"]] == ["资助学生人次", "资金发放及时率", "受助学生满意度"]
    assert_no_label_imported(r)


def test_self_evaluation_with_a_single_name_column(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "自评.xlsx", yunnan_self_evaluation_single_column)
    out = _import(site, book, "--dept", "ljgczrzy")
    assert "未能对应到任何字段" not in out and "栏目名" not in out
    r = imported(site, "content/ljgczrzy/2020/evaluations/ljgczrzy-2020-evaluation-sheet1.yml")
    # Every row, no level invented where the form prints none.
    assert [(x.get("level1"), x.get("level2"), x["name"], x["operator"], x["target"], x.get("unit"), x["weight"],
             x.get("score")) for x in r["indicators"]] == [
        (None, None, "卫片执法补助经费", "=", "72890", "元", 10, 9), (None, None, "项目验收合格率", "=", "100", "%", 20, 19),
        (None, None, "项目完成及时率", "=", "100", "%", 20, 19), (None, None, "违法行为责停率", "≥", "95", "%", 30, 27),
        (None, None, "满意度", "≥", "95", "%", 10, None)]
    assert r["goal_expected"] == "自然资源卫片执法补助经费" and r["execution_score"] == 10
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)


def test_a_column_the_indicator_table_does_not_have_is_reported_cell_by_cell(site: Path, tmp_path: Path) -> None:
    book = _edited(workbook(tmp_path / "目标.xlsx", goal_sheet), {"I14": "责任处室", "I15": "学生资助处", "I17": "学生资助处"})
    out = _import(site, book)
    assert "提示：目标申报表!I14：栏目“责任处室”不属于绩效目标的指标表，该列（目标申报表!I15“学生资助处”、目标申报表!I17“学生资助处”）" \
           "未导入。" in out
    r = imported(site, "content/jyt/2026/goals/jyt-2026-goal-150000261000000101.yml")
    assert "学生资助处" not in str(r)


def test_national_department_wide_template_with_main_tasks_and_a_budget_row(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "申报表.xlsx", national_dept_goal)
    out = _import(site, book)
    assert "（部门整体支出绩效目标表）→ content/gszfb/2021/goals/gszfb-2021-goal-sheet1.yml，2 行指标" in out
    assert "未能对应到任何字段" not in out and "栏目名" not in out
    r = imported(site, "content/gszfb/2021/goals/gszfb-2021-goal-sheet1.yml")
    assert r["duties"] == [{"task": "人民防空工作", "content": "组织全市人民防空宣传教育和防空警报试鸣"},
                           {"task": "政务服务保障", "content": "市政府会议、值班和重大活动的组织协调"}]
    # The budget row under its headings: 资金总额 and 财政拨款; 其他资金 is blank on the form, so absent (never 0).
    assert (r["funds_unit"], r["funds_total"], r["funds_fiscal"]) == ("万元", 968.1918, 968.1918)
    assert "funds_other" not in r and "funding" not in r
    assert [(x["name"], x.get("operator"), x["target"]) for x in r["indicators"]] == [
        ("防空警报试鸣次数", "≥", "1"), ("政府常务会议组织", None, "按计划召开")]
    assert set(r) == {"id", "title", "dept", "year", "dept_label", "variant", "duties", "funds_unit", "funds_total",
                      "funds_fiscal", "annual_goals", "indicators"}
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)
    assert errors_in(site) == []


def test_a_schedule_block_under_the_indicator_table_is_its_own_table(site: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = workbook(tmp_path / "目标.xlsx", goal_sheet)
    wb = load_workbook(book)
    ws = wb.active
    ws["A22"], ws["B22"], ws["E22"], ws["G22"] = "项目实施进度计划", "项目实施内容", "开始时间", "完成时间"
    ws.merge_cells("A22:A24")
    for row, (content, start, end) in enumerate((("资助资金拨付", "2026年3月", "2026年6月"),
                                                 ("资助资金发放及公示", "2026年7月", "2026年12月")), start=23):
        ws[f"B{row}"], ws[f"E{row}"], ws[f"G{row}"] = content, start, end
    wb.save(book)
    out = _import(site, book)
    assert "未能对应到任何字段，未导入" in out and out.count("未能对应到任何字段") == 1  # 填表人 only
    r = imported(site, "content/jyt/2026/goals/jyt-2026-goal-150000261000000101.yml")
    assert r["schedule"] == [{"content": "资助资金拨付", "start": "2026年3月", "end": "2026年6月"},
                             {"content": "资助资金发放及公示", "start": "2026年7月", "end": "2026年12月"}]
    assert [x["name"] for x in r["indicators"]] == ["资助学生人次", "资金发放及时率", "学生因经济困难辍学情况", "受助学生满意度"]
    assert_nothing_invented(r, book)
    assert_no_label_imported(r)
