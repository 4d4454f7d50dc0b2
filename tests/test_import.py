"""`disclose import`: sample workbooks in the forms' usual Excel layouts become records that validate
and carry the values on the forms; every cell left out is reported by sheet and cell."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fixtures_site import make_site
from import_checks import errors_in, imported, run
from openpyxl import Workbook, load_workbook
from xlsx_samples import dept_goal_sheet, evaluation_sheet, goal_sheet, monitoring_sheet, workbook

GOAL_FILE = "content/jyt/2026/goals/jyt-2026-goal-150000261000000101.yml"
MON_FILE = "content/lcj/2026/monitoring/lcj-2026-monitoring-150000261000000202.yml"
EVAL_FILE = "content/jyt/2025/evaluations/jyt-2025-evaluation-sheet1.yml"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


def test_goal_form_becomes_a_valid_record_with_the_forms_values(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "目标.xlsx", goal_sheet)
    result = run("import", str(book), "--out", str(site))
    assert result.exit_code == 0, result.output
    assert f"已导入：工作表“目标申报表”（项目支出绩效目标申报表）→ {GOAL_FILE}，4 行指标" in result.output
    assert "导入的 1 条记录已通过校验。" in result.output
    assert errors_in(site) == []
    r = imported(site, GOAL_FILE)
    assert r["title"] == "2026年家庭经济困难学生资助补助资金绩效目标"
    assert (r["dept"], r["year"], r["variant"]) == ("jyt", 2026, "项目支出")
    assert r["project_code"] == "150000261000000101"
    assert r["agency"] == "内蒙古自治区学生资助管理中心"
    assert r["contact"] == "张某某 0471-1234567"
    # As printed: the form says 经常性 (项目性质 is free text now that forms print other wordings).
    assert (r["project_attribute"], r["project_nature"]) == ("延续项目", "经常性")
    # The sheet prints months, not days: kept as printed, no 1st or 31st invented.
    assert r["period_text"] == "2026年1月-2026年12月" and "period_start" not in r and "period_end" not in r
    assert r["funds_unit"] == "万元"
    assert (r["funds_total"], r["funds_fiscal"], r["funds_carryover"], r["funds_other"]) == (12860.5, 12000, 760.5, 100)
    assert r["project_funds_total"] == 38000
    assert r["overall_goal"] == "健全学生资助体系，做到应助尽助。"
    assert r["annual_goals"] == ["按时足额发放国家助学金、奖学金。", "资助家庭经济困难学生不少于8.5万人次。"]
    rows = r["indicators"]
    assert [row["level1"] for row in rows] == ["产出指标", "产出指标", "效益指标", "满意度指标"]  # merged down
    assert rows[0] == {"level1": "产出指标", "level2": "数量指标", "name": "资助学生人次", "operator": "≥",
                       "target": "85000", "unit": "人次"}
    assert rows[2]["operator"] == "定性" and rows[2]["target"] == "有效避免"
    # “服务对象满意度” is kept as the form prints it (an accepted variant, never renamed); “≥95%” is split and
    # kept as written.
    assert rows[3] == {"level1": "满意度指标", "level2": "服务对象满意度", "name": "受助学生满意度",
                       "operator": "≥", "target": "95", "target_text": "≥95%", "unit": "%"}


def test_yaml_keeps_chinese_readable_and_quotes_codes_and_targets(site: Path, tmp_path: Path) -> None:
    run("import", str(workbook(tmp_path / "目标.xlsx", goal_sheet)), "--out", str(site))
    text = (site / GOAL_FILE).read_text(encoding="utf-8")
    assert "title: 2026年家庭经济困难学生资助补助资金绩效目标\n" in text
    assert "\\u" not in text
    assert 'project_code: "150000261000000101"\n' in text
    assert 'target: "85000"\n' in text
    assert "funds_total: 12860.5\n" in text
    assert text.startswith("# 由 disclose import 从“目标.xlsx”的工作表“目标申报表”（项目支出绩效目标申报表）导入。\n")
    assert "# 尚需补填 approved_on（批复日期，YYYY-MM-DD）" in text


def test_every_cell_left_out_is_reported_by_sheet_and_cell(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "forms.xlsx", goal_sheet, monitoring_sheet, evaluation_sheet)
    result = run("import", str(book), "--out", str(site))
    out = result.output
    assert f"{book}: 提示：目标申报表!A20“填表人：李某某”：未能对应到任何字段，未导入。" in out
    # The funding rows by source and the monitoring form's 年初目标 are imported now, not left out.
    assert "监控表!B7" not in out and "监控表!B8" not in out and "自评表!B8" not in out
    # Titles, subtitles, unit cells, labels, the indicator table and the total weight are all read.
    assert out.count("未能对应到任何字段") == 1
    assert result.exit_code == 0, out


def test_monitoring_form_with_two_row_header_and_ticks(site: Path, tmp_path: Path) -> None:
    result = run("import", str(workbook(tmp_path / "监控.xlsx", monitoring_sheet)), "--out", str(site))
    assert result.exit_code == 0, result.output
    assert errors_in(site) == []
    r = imported(site, MON_FILE)
    assert r["title"] == "2026年退化林修复项目绩效监控情况"
    assert (r["dept"], r["months"], r["funds_unit"]) == ("lcj", 7, "万元")  # 林草局 → lcj; 1-7月 → 7
    assert (r["budget_initial"], r["budget_full_year"], r["spent_to_date"], r["expected_spend"]) == (3000, 3200, 1600,
                                                                                                      3150)
    assert r["execution_rate"] == 50  # 0.5 formatted as a percentage
    assert r["goal_progress"] == "已完成退化林修复11.5万亩，进度符合预期。"
    first, second = r["indicators"]
    assert first["likelihood"] == "确定能" and first["target"] == "20" and first["unit"] == "万亩"
    assert first["actual"] == "11.5" and first["expected"] == "20"
    assert second == {"level1": "产出指标", "level2": "质量指标", "name": "苗木成活率", "operator": "≥", "target": "85",
                      "target_text": "≥85%", "unit": "%", "actual": "80%", "expected": "83%",
                      "deviation_category": "其他", "deviation_reason": "春季干旱，部分苗木需补植",
                      "likelihood": "有可能", "corrective_measures": "秋季补植并加强管护"}


def test_self_evaluation_form_with_funds_matrix_and_total_row(site: Path, tmp_path: Path) -> None:
    result = run("import", str(workbook(tmp_path / "自评.xlsx", evaluation_sheet)), "--out", str(site))
    assert result.exit_code == 0, result.output
    assert errors_in(site) == []
    r = imported(site, EVAL_FILE)
    assert r["title"] == "2025年学生资助补助资金绩效自评结果"
    assert (r["eval_type"], r["dept"], r["year"]) == ("单位自评", "jyt", 2025)
    assert (r["budget_initial"], r["budget_full_year"], r["spent"]) == (12000, 12860.5, 12600)
    assert (r["execution_rate"], r["execution_weight"], r["execution_score"]) == (98, 10, 9.8)
    # Every source row as the sheet prints it, blank cells blank (never 0), the sheet's own column labels,
    # the block heading beside it as the caption (with the unit it prints).
    assert r["funding"] == [{"caption": "项目资金（万元）", "unit": "万元", "columns": ["", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"],
                             "rows": [["年度资金总额", "12000", "12860.5", "12600", "10", "98%", "9.8"],
                                      ["其中：当年财政拨款", "12000", "12000", "11800", "", "", ""],
                                      ["上年结转资金", "0", "760.5", "700", "", "", ""],
                                      ["其他资金", "0", "100", "100", "", "", ""]]}]
    assert r["goal_expected"] == "资助家庭经济困难学生8.5万人次。"
    assert r["goal_actual"] == "资助家庭经济困难学生8.7万人次。"
    # The 总分 row's score column; the sheet prints no grade, so none is imported (never worked out).
    assert r["score"] == 93.5 and "grade" not in r
    assert (r["conclusion"], r["problems"], r["measures"]) == (
        "项目总体完成年度目标，自评等级为优。", "受助学生满意度未达目标。", "加强政策宣传，提高资助工作透明度。")
    rows = r["indicators"]
    assert [(x["weight"], x["score"]) for x in rows] == [(25, 25), (25, 24), (30, 30), (10, 4.7)]
    assert rows[1]["operator"] == "=" and rows[1]["target"] == "100" and rows[1]["target_text"] == "＝100%"
    assert rows[1]["deviation_analysis"] == "个别学校上报延迟，已督促整改"
    assert rows[0]["target"] == "8.5" and rows[0]["unit"] == "万人次" and rows[0]["actual"] == "8.7万人次"


def test_one_workbook_with_all_three_forms(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "forms.xlsx", goal_sheet, monitoring_sheet, evaluation_sheet)
    result = run("import", str(book), "--out", str(site))
    assert result.exit_code == 0, result.output
    for rel in (GOAL_FILE, MON_FILE, "content/jyt/2025/evaluations/jyt-2025-evaluation-sheet3.yml"):
        assert (site / rel).is_file()
    assert "导入的 3 条记录已通过校验。" in result.output
    assert errors_in(site) == []


def test_only_the_chosen_kind_is_imported(site: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "forms.xlsx", goal_sheet, monitoring_sheet)
    result = run("import", str(book), "--out", str(site), "--kind", "monitoring")
    assert result.exit_code == 0, result.output
    assert "提示：工作表“目标申报表”是项目支出绩效目标申报表，不是 --kind 指定的项目支出绩效目标监控情况表，已跳过。" in result.output
    assert not (site / GOAL_FILE).exists() and (site / MON_FILE).is_file()


def test_kind_option_reads_a_sheet_whose_title_is_unusual(site: Path, tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", goal_sheet)
    wb = load_workbook(path)
    wb.active["A1"] = "附表1"
    wb.save(path)
    assert "没有找到可导入的工作表" in run("import", str(path), "--out", str(site)).output
    result = run("import", str(path), "--out", str(site), "--kind", "goal")
    assert result.exit_code == 0, result.output
    assert imported(site, GOAL_FILE)["funds_total"] == 12860.5


def test_units_in_yuan_and_amounts_typed_with_their_unit(site: Path, tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", goal_sheet)
    wb = load_workbook(path)
    ws = wb.active
    ws["G2"] = None
    ws["A8"] = "项目资金"
    ws["C8"], ws["C9"], ws["C10"], ws["C11"] = "1,286.05万元", "1,200万元", "76.05万元", "10万元"
    wb.save(path)
    assert run("import", str(path), "--out", str(site)).exit_code == 0
    r = imported(site, GOAL_FILE)
    assert r["funds_unit"] == "万元" and r["funds_total"] == 1286.05 and r["funds_fiscal"] == 1200
    ws["C8"], ws["C9"], ws["C10"], ws["C11"] = 12860500, 12000000, 760500, 100000
    ws["G2"] = "单位：元"
    wb.save(path)
    assert run("import", str(path), "--out", str(site), "--force").exit_code == 0
    r = imported(site, GOAL_FILE)
    assert r["funds_unit"] == "元" and r["funds_total"] == 12860500
    assert errors_in(site) == []


def test_missing_unit_and_missing_operator_are_pointed_out(site: Path, tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", goal_sheet)
    wb = load_workbook(path)
    ws = wb.active
    ws["G2"], ws["A8"], ws["E16"] = None, "项目资金", None
    wb.save(path)
    result = run("import", str(path), "--out", str(site))
    assert "提示：工作表“目标申报表”：没有找到金额单位（如“单位：万元”），金额已按表上数字导入。" in result.output
    # The sheet prints no operator for this row: none is imported (never a guessed =).
    assert "计算符号" not in result.output
    r = imported(site, GOAL_FILE)
    assert "funds_unit" not in r and "operator" not in r["indicators"][1] and r["indicators"][1]["target"] == "100"


def test_department_and_year_when_the_form_does_not_say(site: Path, tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", goal_sheet)
    wb = load_workbook(path)
    ws = wb.active
    ws["B5"], ws["A2"] = "某某委员会", None
    wb.save(path)
    result = run("import", str(path), "--out", str(site))
    assert result.exit_code == 1
    # One message naming the department the sheet prints and the entry to add for it.
    assert "错误：工作表“目标申报表”：表上的部门“某某委员会”未在 content/departments.yml 中登记。请在该文件中添加一项：" \
           "“- code: 部门代码（自定，英文字母和数字）”，下一行“  name: 某某委员会”；或用 --dept 指定已登记的部门代码" \
           "（jyt、lcj）。" in result.output
    assert "错误：工作表“目标申报表”：标题和表头中都没有年度。请用 --year 指定年度，如 --year 2026。" in result.output
    result = run("import", str(path), "--out", str(site), "--dept", "jyt", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert imported(site, GOAL_FILE)["dept"] == "jyt"


def test_an_existing_record_is_not_overwritten_without_force(site: Path, tmp_path: Path) -> None:
    book = str(workbook(tmp_path / "x.xlsx", goal_sheet))
    assert run("import", book, "--out", str(site)).exit_code == 0
    (site / GOAL_FILE).write_text((site / GOAL_FILE).read_text(encoding="utf-8") + "# 手工补充\n", encoding="utf-8")
    result = run("import", book, "--out", str(site))
    assert result.exit_code == 1
    assert f"{GOAL_FILE}: 错误：文件已存在，未覆盖。如确需用新内容覆盖，请加 --force" in result.output
    assert "# 手工补充" in (site / GOAL_FILE).read_text(encoding="utf-8")
    assert run("import", book, "--out", str(site), "--force").exit_code == 0
    assert "# 手工补充" not in (site / GOAL_FILE).read_text(encoding="utf-8")


def test_files_that_cannot_be_imported(site: Path, tmp_path: Path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("import", str(xls), "--out", str(site))
    assert result.exit_code == 1
    assert "错误：不能导入“.xls”格式的文件。请在 Excel 中打开后“另存为”Excel 工作簿（.xlsx）再导入。" in result.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    result = run("import", str(broken), "--out", str(site))
    assert result.exit_code == 1 and "错误：无法打开 Excel 文件：" in result.output
    result = run("import", str(tmp_path / "missing.xlsx"), "--out", str(site))
    assert result.exit_code == 1 and "错误：无法读取文件：文件不存在。" in result.output
    empty = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active["A1"] = "部门预算收支总表"
    wb.save(empty)
    result = run("import", str(empty), "--out", str(site))
    assert result.exit_code == 1
    assert "提示：工作表“Sheet”的标题中没有“项目支出绩效目标申报表”、“项目支出绩效目标监控情况表”、“项目支出绩效自评表”" in result.output
    assert "错误：没有找到可导入的工作表" in result.output


def test_bad_options_get_chinese_messages(site: Path, tmp_path: Path) -> None:
    book = str(workbook(tmp_path / "x.xlsx", goal_sheet))
    result = run("import", book, "--out", str(site), "--kind", "notice")
    assert result.exit_code == 1
    assert "错误：未知的记录类别“notice”。可选：goal（绩效目标）、monitoring（绩效监控情况）、evaluation（部门评价结果）。" in result.output
    result = run("import", book, "--out", str(site), "--year", "二〇二六")
    assert result.exit_code == 1 and "值“二〇二六”不是整数" in result.output


def test_imported_record_with_errors_fails_with_the_validation_message(site: Path, tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", goal_sheet)
    wb = load_workbook(path)
    wb.active["C11"] = 200  # the parts no longer add up to 年度资金总额
    wb.save(path)
    result = run("import", str(path), "--out", str(site))
    assert result.exit_code == 1
    assert f"{GOAL_FILE}:" in result.output and "金额不相符" in result.output
    assert "导入的记录有 1 个错误需要改正（见上），改正后运行 disclose validate 复查。" in result.output


def test_department_wide_goal_form(site: Path, tmp_path: Path) -> None:
    result = run("import", str(workbook(tmp_path / "部门.xlsx", dept_goal_sheet)), "--out", str(site))
    assert result.exit_code == 0, result.output
    assert "未能对应到任何字段" not in result.output
    r = imported(site, "content/lcj/2026/goals/lcj-2026-goal-sheet1.yml")
    assert r["title"] == "2026年内蒙古自治区林业和草原局部门整体支出绩效目标"
    assert (r["variant"], r["funds_unit"], r["funds_total"], r["funds_fiscal"]) == ("部门整体支出", "万元", 52000, 52000)
    assert r["dept_functions"] == "负责全区林业和草原及其生态保护修复的监督管理。"
    assert r["annual_goals"] == ["完成营造林任务。", "森林草原火灾受害率控制在规定范围内。"]
    assert r["indicators"] == [{"level1": "产出指标", "level2": "数量指标", "name": "营造林面积", "operator": "≥",
                                "target": "800", "target_text": "800万亩", "unit": "万亩"}]
    assert errors_in(site) == []


def test_a_department_by_close_name_and_an_invalid_record_is_not_written(site: Path, tmp_path: Path) -> None:
    path = workbook(tmp_path / "y.xlsx", goal_sheet)
    wb = load_workbook(path)
    ws = wb.active
    ws["B5"] = "内蒙古自治区教育听"  # a typo of the registered 内蒙古自治区教育厅
    ws["F14"] = "目标值"
    for row in range(15, 19):
        ws[f"D{row}"] = None  # no indicator names: no indicator rows can be read
    wb.save(path)
    result = run("import", str(path), "--out", str(site))
    assert "提示：工作表“目标申报表”：表上的部门“内蒙古自治区教育听”按相近名称对应到已登记的“内蒙古自治区教育厅”（jyt）。" \
           "如不对，请用 --dept 指定。" in result.output
    assert "绩效目标没有任何绩效指标行" in result.output
    assert f"{GOAL_FILE}: 错误：导入的记录有 1 个错误，未写入（见上列问题）。" in result.output
    assert result.exit_code == 1 and not (site / GOAL_FILE).exists()
    kept = run("import", str(path), "--out", str(site), "--keep-invalid")
    assert kept.exit_code == 1 and (site / GOAL_FILE).is_file()
    beside = (site / (GOAL_FILE + ".problems.txt")).read_text(encoding="utf-8")
    assert "绩效目标没有任何绩效指标行" in beside


def dept_goal_single_column_sheet(ws) -> None:
    """A department-wide goal laid out with merged cells and a single 指标名称 column (no level columns)."""
    ws.merge_cells("A1:E1")
    ws["A1"] = "2026年部门整体支出绩效目标表"
    ws["E2"] = "单位：万元"
    ws["A3"] = "部门名称"
    ws.merge_cells("B3:E3")
    ws["B3"] = "内蒙古自治区教育厅"
    ws["A4"] = "部门职能职责概述"
    ws.merge_cells("B4:E4")
    ws["B4"] = "负责全区教育事业发展规划和学生资助工作。"
    ws["A6"], ws["B6"], ws["C6"] = "指标名称", "指标值", "绩效标准"
    ws["A7"], ws["B7"], ws["C7"] = "资助学生人次", "≥85000人次", "计划标准"
    ws["A8"], ws["B8"], ws["C8"] = "受助学生满意度", "优良", "历史标准"


def test_department_wide_goal_with_a_single_name_column(site: Path, tmp_path: Path) -> None:
    result = run("import", str(workbook(tmp_path / "部门.xlsx", dept_goal_single_column_sheet)), "--out", str(site))
    assert result.exit_code == 0, result.output
    assert "未能对应到任何字段" not in result.output
    [path] = list((site / "content" / "jyt" / "2026" / "goals").glob("jyt-2026-goal-sheet*.yml"))
    r = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (r["variant"], r["dept"], r["funds_unit"]) == ("部门整体支出", "jyt", "万元")
    assert r["dept_functions"] == "负责全区教育事业发展规划和学生资助工作。"
    # Both rows, no level invented; a text target gets no operator; the printed value is kept.
    assert [(x.get("level1"), x["name"], x.get("operator"), x.get("standard")) for x in r["indicators"]] == [
        (None, "资助学生人次", "≥", "计划标准"), (None, "受助学生满意度", None, "历史标准")]
    assert r["indicators"][0]["target_text"] == "≥85000人次" and r["indicators"][1]["target"] == "优良"
    assert "grade" not in r and "project_code" not in r and "period_start" not in r
