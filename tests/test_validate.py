"""`disclose validate`: every bad input of issue 2 gets its exact Chinese message (file:line, field,
what is wrong, what is right) and exit status 1; good but oddly written input is read correctly."""

from __future__ import annotations

import json
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fixtures_site import GOAL, GOAL_PATH, MONITORING, MONITORING_PATH, make_site

from generator.build import read_site
from generator.cli import main

GOAL_FILE = f"content/{GOAL_PATH}"
MON_FILE = f"content/{MONITORING_PATH}"
CSV_PATH = "lcj/2026/monitoring/jc.csv"
CSV_FILE = f"content/{CSV_PATH}"
IND_PATH = "lcj/2026/monitoring/jc.indicators.csv"
IND_FILE = f"content/{IND_PATH}"

EVAL_PATH = "jyt/2026/evaluations/jyt-2026-eval-xszz.yml"
EVAL_FILE = f"content/{EVAL_PATH}"
EVALUATION = """\
id: jyt-2026-eval-xszz
title: 2025年家庭经济困难学生资助补助资金绩效自评
project_code: "150000251000000101"
eval_type: 单位自评
completed_on: 2026-03-20
funds_unit: 万元
budget_full_year: 12860.5
spent: 12600
execution_rate: 98.0
score: 92.5
grade: 优
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 资助学生人次, operator: "≥", target: "85000", unit: 人次, actual: "86120", weight: 20, score: 20}
"""

RECORDS_CSV = (
    "id,title,project_code,months,funds_unit,budget_full_year,spent_to_date,execution_rate,warning\n"
    "lcj-2026-mon-a,2026年草原生态保护补助奖励资金绩效监控,P-001,7,元,\"1,000,000\",５０００００,50.0,绿\n"
    "lcj-2026-mon-b,2026年森林防火项目绩效监控,P-002,7,元,200万元,100万元,50,黄\n"
)
CHINESE_HEADER = "记录编号,标题,项目代码,监控截止月份（1–N月）,资金单位,全年预算数,1–N月执行数,执行率（%）,预警等级\n"
INDICATORS_CSV = (
    "record_id,level1,level2,name,operator,target,unit,actual,likelihood\n"
    "lcj-2026-mon-a,产出指标,数量指标,补助面积,≥,\"１,２００\",万亩,800,确定能\n"
)

FAILED_1 = "校验未通过：1 个错误，0 个提示"
# mon-b's indicator row: with a companion table, every monitoring record needs its rows (indicators_missing).
MON_B_ROW = "lcj-2026-mon-b,效益指标,社会效益指标,防火宣传覆盖率,≥,90,%,92,\n"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["validate", "--root", str(root), *args])


def check(tmp_path: Path, records: dict[str, str | bytes | None], *args: str) -> Result:
    return run(make_site(tmp_path, records), *args)


def problems_of(result: Result) -> list[str]:
    """The problem lines (stderr, without the closing summary)."""
    return [line for line in result.stderr.splitlines() if not line.startswith("校验")]


def records_of(tmp_path: Path, records: dict[str, str | bytes | None]) -> dict[str, dict]:
    return {r.id: r for r in read_site(make_site(tmp_path, records)).records}


# ---- a clean site -------------------------------------------------------------------------------

def test_fixture_site_is_clean(tmp_path):
    result = check(tmp_path, {EVAL_PATH: EVALUATION})
    assert result.exit_code == 0, result.output
    assert result.stdout == "校验通过：3 条记录，0 个提示。\n"
    assert result.stderr == ""


# ---- reading files ------------------------------------------------------------------------------

def test_malformed_yaml_names_line_and_cause(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("summary: 资助", "summary: [资助")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:4: 错误：YAML 格式错误：方括号列表“[ ]”未闭合，或列表项之间缺少逗号。"
        "请检查缩进、冒号后的空格以及引号是否成对。"]
    assert result.stderr.splitlines()[-1].startswith(FAILED_1)


def test_yaml_colon_inside_a_value(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("overall_goal: 健全", "overall_goal: 目标: 健全")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:17: 错误：YAML 格式错误：此处不能出现“字段: 值”（可能是冒号后缺少空格、值里含有“: ”却没加引号，"
        "或本行缩进不对）。请检查缩进、冒号后的空格以及引号是否成对。"]


def test_two_documents_in_one_file(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL + "---\nid: another\n"})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:23: 错误：YAML 格式错误：文件中只能有一条记录（不要使用 --- 分隔多条）。"
        "请检查缩进、冒号后的空格以及引号是否成对。"]


def test_duplicate_yaml_key(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL + "title: 另一个标题\n"})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:23: 错误：字段“标题”（title）：键“title”重复出现（第一次在第 2 行）。"
        "同一字段只能写一次，请删除或合并其中一处。"]


def test_duplicate_key_inside_an_indicator_row(tmp_path):
    text = GOAL.replace('name: 资助学生人次, operator', 'name: 资助学生人次, name: 人次, operator')
    result = check(tmp_path, {GOAL_PATH: text})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:21: 错误：字段“name”：键“name”重复出现（第一次在第 21 行）。"
        "同一字段只能写一次，请删除或合并其中一处。"]


def test_yaml_anchors_that_nest_are_refused_not_expanded(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL + "agency: &a [*a]\n"})
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert problems_of(result) == [
        f"{GOAL_FILE}:23: 错误：YAML 格式错误：不支持 YAML 锚点和别名（&名称 / *名称）重复引用列表或映射，"
        "请把内容直接写出来。请检查缩进、冒号后的空格以及引号是否成对。"]


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# 只有注释\n"])
def test_empty_file(tmp_path, text):
    result = check(tmp_path, {GOAL_PATH: text})
    assert result.exit_code == 1
    assert problems_of(result) == [f"{GOAL_FILE}: 错误：文件为空。请填写记录内容，或删除该文件。"]


def test_empty_csv_file(tmp_path):
    result = check(tmp_path, {CSV_PATH: ""})
    assert result.exit_code == 1
    assert problems_of(result) == [f"{CSV_FILE}: 错误：文件为空。请填写记录内容，或删除该文件。"]


def test_top_level_list_is_not_a_record(tmp_path):
    result = check(tmp_path, {GOAL_PATH: "- id: a\n- id: b\n"})
    assert result.exit_code == 1
    assert problems_of(result) == [f"{GOAL_FILE}:1: 错误：文件内容应为“字段: 值”形式的一条记录，实际为列表。"]


def test_100_mb_file_is_refused_without_reading_it(tmp_path):
    root = make_site(tmp_path)
    huge = root / "content" / "lcj" / "2026" / "monitoring" / "huge.csv"
    with huge.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    tracemalloc.start()
    try:
        result = run(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1
    assert problems_of(result) == [
        "content/lcj/2026/monitoring/huge.csv: 错误：文件过大（100.0 MB），超过上限 50.0 MB。"
        "请把记录拆分到多个较小的文件后再提交。"]
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB: the file was read"


# ---- encodings and CSV --------------------------------------------------------------------------

def test_gbk_csv_is_read_correctly_with_a_warning(tmp_path):
    csv_bytes = RECORDS_CSV.encode("gbk")
    result = check(tmp_path, {CSV_PATH: csv_bytes})
    assert result.exit_code == 0, result.output
    assert problems_of(result) == [
        f"{CSV_FILE}: 提示：文件编码为 GB18030，已按该编码正确读取。建议用 UTF-8 编码另存（Excel：另存为“CSV UTF-8（逗号分隔）”）。"]
    assert result.stdout == "校验通过：4 条记录，1 个提示。\n"
    records = records_of(tmp_path / "again", {CSV_PATH: csv_bytes})
    assert records["lcj-2026-mon-a"].fields["title"] == "2026年草原生态保护补助奖励资金绩效监控"
    assert records["lcj-2026-mon-b"].fields["warning"] == "黄"


def test_gb18030_only_characters_survive(tmp_path):
    # 𠀀 (U+20000) exists in GB18030 but not in GBK: the superset must be used to decode.
    text = RECORDS_CSV.replace("森林防火项目", "森林防火𠀀项目")
    records = records_of(tmp_path, {CSV_PATH: text.encode("gb18030")})
    assert records["lcj-2026-mon-b"].fields["title"] == "2026年森林防火𠀀项目绩效监控"


def test_bom_prefixed_utf8_csv(tmp_path):
    data = b"\xef\xbb\xbf" + RECORDS_CSV.encode("utf-8")
    result = check(tmp_path, {CSV_PATH: data})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    records = records_of(tmp_path / "again", {CSV_PATH: data})
    # The BOM must not stick to the first header cell ("\ufeffid" would be an unknown column).
    assert records["lcj-2026-mon-a"].fields["id"] == "lcj-2026-mon-a"
    assert records["lcj-2026-mon-a"].fields["title"] == "2026年草原生态保护补助奖励资金绩效监控"


def test_csv_header_in_chinese_titles(tmp_path):
    text = CHINESE_HEADER + RECORDS_CSV.split("\n", 1)[1]
    result = check(tmp_path, {CSV_PATH: text})
    assert result.exit_code == 0, result.output
    a = records_of(tmp_path / "again", {CSV_PATH: text})["lcj-2026-mon-a"].fields
    assert (a["id"], a["months"], a["budget_full_year"], a["warning"]) == ("lcj-2026-mon-a", 7, Decimal(1000000), "绿")


def test_csv_header_variants_excel_users_type(tmp_path):
    # A required-column star, half-width brackets, a capitalised name, trailing empty columns.
    header = "*ID,标题,项目代码,监控截止月份(1–N月),资金单位,全年预算数,1–N月执行数,执行率(%),预警等级,,\n"
    body = "".join(line + ",,\n" for line in RECORDS_CSV.splitlines()[1:])
    result = check(tmp_path, {CSV_PATH: header + body})
    assert result.exit_code == 0, result.output


def test_csv_unknown_column_with_hint(tmp_path):
    result = check(tmp_path, {CSV_PATH: RECORDS_CSV.replace(",warning\n", ",warnig\n", 1)})
    assert result.exit_code == 1
    [problem] = problems_of(result)
    # Each allowed field with its Chinese title; the unknown name is not repeated in brackets.
    assert problem.startswith(f"{CSV_FILE}:1: 错误：字段“warnig”：未知字段“warnig”。是否想写“warning”（预警等级）？"
                              "本类记录可用的字段：id（记录编号）、title（标题）、dept（部门代码）、year（年度）、")


def test_csv_row_with_a_missing_comma(tmp_path):
    text = RECORDS_CSV.replace("P-002,7,元", "P-002 7,元")
    result = check(tmp_path, {CSV_PATH: text})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{CSV_FILE}:3: 错误：本行有 8 列，表头有 9 列。请检查是否多了或少了逗号（含逗号的内容须用英文双引号括起）。"]


def test_companion_indicator_rows_are_read(tmp_path):
    records = records_of(tmp_path, {CSV_PATH: RECORDS_CSV, IND_PATH: INDICATORS_CSV})
    [row] = records["lcj-2026-mon-a"].rows
    assert (row["name"], row["target"], row["actual"], row["likelihood"]) == ("补助面积", "1200", "800", "确定能")
    assert records["lcj-2026-mon-b"].rows == []


def test_confidential_indicator_rows_are_marked_from_csv_and_yaml(tmp_path):
    text = INDICATORS_CSV.replace("record_id,", "record_id,confidential,note,").replace(
        "lcj-2026-mon-a,", "lcj-2026-mon-a,是,  ,") + "lcj-2026-mon-a,否,,满意度,服务对象满意度指标,农牧民满意度,≥,90,%,92,确定能\n"
    records = records_of(tmp_path, {CSV_PATH: RECORDS_CSV, IND_PATH: text.replace(",满意度,", ",满意度指标,")})
    secret, public = records["lcj-2026-mon-a"].rows
    assert (secret["confidential"], secret["note"], public["confidential"]) == (True, None, False)
    goal = records["jyt-2026-goal-xszz"].rows
    assert [row["confidential"] for row in goal] == [False, False]
    yaml_rows = records_of(tmp_path / "yaml", {GOAL_PATH: GOAL.replace('unit: "%"}', 'unit: "%", confidential: true}')})
    assert [row["confidential"] for row in yaml_rows["jyt-2026-goal-xszz"].rows] == [False, True]


def test_companion_orphan_record_id(tmp_path):
    text = INDICATORS_CSV + MON_B_ROW + "lcj-2026-mon-x,产出指标,数量指标,巡护次数,≥,100,次,60,确定能\n"
    result = check(tmp_path, {CSV_PATH: RECORDS_CSV, IND_PATH: text})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{IND_FILE}:4: 错误：字段“记录编号”（record_id）：指标行所属的记录编号“lcj-2026-mon-x”在对应的记录表 {CSV_FILE} "
        "中不存在。请改为该表中某条记录的编号，或先在记录表中补上这条记录。"]


def test_companion_row_problems_name_the_companion_file(tmp_path):
    text = INDICATORS_CSV.replace(",确定能\n", ",有可能\n").replace("数量指标", "数量指") + MON_B_ROW
    result = check(tmp_path, {CSV_PATH: RECORDS_CSV, IND_PATH: text})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{IND_FILE}:2: 错误：字段“纠偏措施”（corrective_measures）：第 1 条指标“补助面积”：完成目标可能性为"
        "“有可能或完全不可能”时，须填写此字段。",
        f"{IND_FILE}:2: 错误：字段“偏差原因说明”（deviation_reason）：第 1 条指标“补助面积”：完成目标可能性为"
        "“有可能或完全不可能”时，须填写此字段。",
        f"{IND_FILE}:2: 错误：字段“二级指标”（level2）：第 1 条指标：二级指标“数量指”不是绩效表使用的名称。可用：数量指标、"
        "质量指标、时效指标、成本指标、经济效益指标、社会效益指标、生态效益指标、环境效益指标、可持续影响指标、服务对象满意度指标、"
        "社会公众或服务对象满意度指标、满意度指标、经济成本指标、社会成本指标、生态环境成本指标、数量、质量、时效、成本、经济效益、"
        "社会效益、生态效益、可持续影响、满意度、服务对象满意度。"]


def test_companion_without_its_table(tmp_path):
    result = check(tmp_path, {"lcj/2026/monitoring/jc2.indicators.csv": INDICATORS_CSV})
    assert result.exit_code == 1
    assert problems_of(result) == [
        "content/lcj/2026/monitoring/jc2.indicators.csv: 错误：找不到本指标表对应的记录表 jc2.csv。"
        "指标表须与记录表放在同一目录，文件名为“记录表名.indicators.csv”。"]


def test_companion_without_record_id_column(tmp_path):
    text = INDICATORS_CSV.replace("record_id,", "", 1).replace("lcj-2026-mon-a,", "", 1)
    result = check(tmp_path, {CSV_PATH: RECORDS_CSV, IND_PATH: text})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{IND_FILE}:1: 错误：字段“记录编号”（record_id）：指标表缺少“记录编号”（record_id）一栏，"
        f"无法确定各行指标属于 {CSV_FILE} 中的哪条记录。"]


def test_empty_columns_a_kind_does_not_use_are_fine(tmp_path):
    # A companion with every indicator column (as exported from a template): monitoring has no weight/score,
    # but empty cells there say nothing. A filled one is an error.
    header = INDICATORS_CSV.splitlines()[0] + ",weight,score\n"
    body = INDICATORS_CSV.splitlines()[1] + ",,\n"
    other = MON_B_ROW.replace("\n", ",,\n")
    assert check(tmp_path / "a", {CSV_PATH: RECORDS_CSV, IND_PATH: header + body + other}).exit_code == 0
    result = check(tmp_path / "b", {CSV_PATH: RECORDS_CSV, IND_PATH: header + body.replace(",,\n", ",10,\n") + other})
    assert result.exit_code == 1
    [problem] = problems_of(result)
    assert problem.startswith(f"{IND_FILE}:2: 错误：字段“weight”：第 1 条指标：字段“weight”不属于绩效监控情况的指标表。")
    assert "level1（一级指标）" in problem and "name（三级指标）" in problem and "warning（预警等级）" in problem


# ---- numbers and amounts ------------------------------------------------------------------------

def test_full_width_digits_and_thousands_separators(tmp_path):
    text = (GOAL.replace("funds_total: 12860.5", "funds_total: １２,８６０.５")
            .replace("funds_fiscal: 12000", "funds_fiscal: \"12，000\"")
            .replace('target: "85000"', 'target: "８５，０００"'))
    result = check(tmp_path, {GOAL_PATH: text})
    assert result.exit_code == 0, result.output
    goal = records_of(tmp_path / "again", {GOAL_PATH: text})["jyt-2026-goal-xszz"]
    assert goal.fields["funds_total"] == Decimal("12860.5")
    assert goal.fields["funds_fiscal"] == Decimal("12000")
    assert goal.rows[0]["target"] == "85000"


def test_csv_thousands_separators_and_full_width(tmp_path):
    a = records_of(tmp_path, {CSV_PATH: RECORDS_CSV})["lcj-2026-mon-a"].fields
    assert (a["budget_full_year"], a["spent_to_date"]) == (Decimal(1000000), Decimal(500000))


def test_a_misplaced_separator_is_not_taken_for_thousands(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("funds_other: 100", 'funds_other: "1,00"')})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:16: 错误：字段“其他资金”（funds_other）：值“1,00”不是有效的数字。"
        "应填写数字，如 1250 或 1,250.50（金额可带“元”或“万元”）。"]


def test_amounts_in_wan_yuan_converted_to_the_records_unit(tmp_path):
    text = (GOAL.replace("funds_unit: 万元", "funds_unit: 元")
            .replace("funds_total: 12860.5", "funds_total: 12,860.5万元")
            .replace("funds_fiscal: 12000", "funds_fiscal: 12000万")
            .replace("funds_carryover: 760.5", "funds_carryover: 7605000")
            .replace("funds_other: 100", "funds_other: 1000000元"))
    result = check(tmp_path, {GOAL_PATH: text})
    assert result.exit_code == 0, result.output
    f = records_of(tmp_path / "again", {GOAL_PATH: text})["jyt-2026-goal-xszz"].fields
    assert (f["funds_unit"], f["funds_total"], f["funds_fiscal"], f["funds_carryover"], f["funds_other"]) == (
        "元", Decimal("128605000"), Decimal("120000000"), Decimal("7605000"), Decimal("1000000"))


def test_csv_amounts_in_wan_yuan(tmp_path):
    b = records_of(tmp_path, {CSV_PATH: RECORDS_CSV})["lcj-2026-mon-b"].fields
    assert (b["budget_full_year"], b["spent_to_date"]) == (Decimal(2000000), Decimal(1000000))


def test_unit_taken_from_the_amounts_when_funds_unit_is_left_out(tmp_path):
    text = (GOAL.replace("funds_unit: 万元\n", "").replace("funds_total: 12860.5", "funds_total: 12860.5万元")
            .replace("funds_other: 100", "funds_other: 1000000元"))
    f = records_of(tmp_path, {GOAL_PATH: text})["jyt-2026-goal-xszz"].fields
    assert (f["funds_unit"], f["funds_total"], f["funds_other"]) == ("万元", Decimal("12860.5"), Decimal("100"))


def test_wan_yuan_on_a_field_that_is_no_amount(tmp_path):
    result = check(tmp_path, {MONITORING_PATH: MONITORING.replace("execution_rate: 50.0", "execution_rate: 50万元")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{MON_FILE}:10: 错误：字段“执行率（%）”（execution_rate）：值“50万元”不是有效的数字。"
        "应填写数字，如 1250 或 1,250.50（金额可带“元”或“万元”）。"]


# ---- fields and values --------------------------------------------------------------------------

def test_unknown_field_with_did_you_mean(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("summary:", "sumary:")})
    assert result.exit_code == 1
    [problem] = problems_of(result)
    assert problem.startswith(f"{GOAL_FILE}:3: 错误：字段“sumary”：未知字段“sumary”。是否想写“summary”（摘要）？"
                              "本类记录可用的字段：id（记录编号）、title（标题）、dept（部门代码）、year（年度）、summary（摘要）、")


def test_missing_required_field(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("variant: 项目支出\n", "")})
    assert result.exit_code == 1
    assert problems_of(result) == [f"{GOAL_FILE}:1: 错误：字段“目标表类型”（variant）：必填字段缺失或为空。"]


def test_required_field_left_empty(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("title: 2026年家庭经济困难学生资助补助资金绩效目标", "title:")})
    assert result.exit_code == 1
    assert problems_of(result) == [f"{GOAL_FILE}:2: 错误：字段“标题”（title）：必填字段缺失或为空。"]


def test_wrong_enum_value(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("variant: 项目支出", "variant: 项目")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:4: 错误：字段“目标表类型”（variant）：值“项目”不在可选范围内。可选值：项目支出、部门整体支出。"]


def test_wrong_enum_value_in_an_indicator_row(tmp_path):
    result = check(tmp_path, {MONITORING_PATH: MONITORING.replace("likelihood: 确定能", "likelihood: 能")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{MON_FILE}:21: 错误：字段“完成目标可能性”（likelihood）：值“能”不在可选范围内。可选值：确定能、有可能、完全不可能。"]


def test_duplicate_id_across_two_files(tmp_path):
    result = check(tmp_path, {"jyt/2026/goals/copy.yml": GOAL})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:1: 错误：字段“记录编号”（id）：记录编号“jyt-2026-goal-xszz”重复："
        "content/jyt/2026/goals/copy.yml:1 已使用该编号。记录编号须全站唯一且长期不变。"]


@pytest.mark.parametrize("bad", ["../x", "a b", "a/b", ".hidden", "x.html", "记录一"])
def test_id_that_is_not_a_safe_path_segment(tmp_path, bad):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("id: jyt-2026-goal-xszz", f'id: "{bad}"')})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:1: 错误：字段“记录编号”（id）：记录编号“{bad}”不能用作网址路径：只能含英文字母、数字、连字符（-）"
        "和下划线（_），须以字母或数字开头，不能含空格、斜杠、点或“..”，最长 80 个字符。例如：jyt-2026-goal-001。"]


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "2026/03/05", "2026年3月5日"])
def test_impossible_or_misformatted_date(tmp_path, bad):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("approved_on: 2026-02-14", f"approved_on: {bad}")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:11: 错误：字段“批复日期”（approved_on）：值“{bad}”不是有效日期。"
        "应写成 YYYY-MM-DD（如 2026-03-05），且该日期在日历上存在。"]


def test_dept_and_year_must_match_the_folder(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL + "dept: lcj\nyear: 2025\n"})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:23: 错误：字段“部门代码”（dept）：值“lcj”与文件所在目录不一致（目录表示应为“jyt”）。"
        "请把文件移到正确目录，或改正该值。",
        f"{GOAL_FILE}:24: 错误：字段“年度”（year）：值“2025”与文件所在目录不一致（目录表示应为“2026”）。"
        "请把文件移到正确目录，或改正该值。"]


def test_full_width_year_matches_its_folder(tmp_path):
    assert check(tmp_path, {GOAL_PATH: GOAL + "year: ２０２６\n"}).exit_code == 0


def test_unknown_dept(tmp_path):
    text = GOAL.replace("jyt-2026-goal-xszz", "mzt-2026-goal-1")
    result = check(tmp_path, {GOAL_PATH: None, "mzt/2026/goals/mzt-2026-goal-1.yml": text})
    assert result.exit_code == 1
    assert problems_of(result) == [
        "content/mzt/2026/goals/mzt-2026-goal-1.yml:1: 错误：字段“部门代码”（dept）：部门代码“mzt”未在 "
        "content/departments.yml 中登记。已登记的部门代码：jyt、lcj。"]


# ---- rules a table schema cannot say ------------------------------------------------------------

def test_sum_mismatch(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("funds_other: 100", "funds_other: 200")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:13: 错误：字段“年度资金总额”（funds_total）：金额不相符：年度资金总额为 12,860.5，"
        "而其中：财政拨款 + 上年结转 + 其他资金之和为 12,960.5。应满足：年度资金总额 = 其中：财政拨款 + 上年结转 + 其他资金。"]


def test_execution_rate_mismatch(tmp_path):
    result = check(tmp_path, {MONITORING_PATH: MONITORING.replace("execution_rate: 50.0", "execution_rate: 60")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{MON_FILE}:10: 错误：字段“执行率（%）”（execution_rate）：执行率 60% 与 1–N月执行数（1,600）÷ "
        "全年预算数（3,200）= 50% 不符。请按公式重新计算，保留一位小数。"]


def test_execution_rate_rounded_to_one_decimal_is_accepted(tmp_path):
    text = EVALUATION.replace("execution_rate: 98.0", "execution_rate: 97.97")
    assert check(tmp_path, {EVAL_PATH: text}).exit_code == 0


def test_grade_does_not_match_score(tmp_path):
    result = check(tmp_path, {EVAL_PATH: EVALUATION.replace("score: 92.5", "score: 85")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{EVAL_FILE}:11: 错误：字段“评价等级”（grade）：评价等级“优”与得分 85 不符：按评分标准应为“良”"
        "（优 ≥ 90，良 80 至不足 90，中 60 至不足 80，差 < 60）。"]


@pytest.mark.parametrize("likelihood", ["有可能", "完全不可能"])
def test_likely_miss_needs_reason_and_measures(tmp_path, likelihood):
    result = check(tmp_path, {MONITORING_PATH: MONITORING.replace("likelihood: 确定能", f"likelihood: {likelihood}")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{MON_FILE}:13: 错误：字段“纠偏措施”（corrective_measures）：第 1 条指标“退化林修复面积”："
        "完成目标可能性为“有可能或完全不可能”时，须填写此字段。",
        f"{MON_FILE}:13: 错误：字段“偏差原因说明”（deviation_reason）：第 1 条指标“退化林修复面积”："
        "完成目标可能性为“有可能或完全不可能”时，须填写此字段。"]
    fixed = MONITORING.replace("likelihood: 确定能", f"likelihood: {likelihood}\n    deviation_reason: 苗木调运推迟"
                               "\n    corrective_measures: 加快调运，9月底前完成栽植")
    assert check(tmp_path / "fixed", {MONITORING_PATH: fixed}).exit_code == 0


def test_quantitative_target_must_be_a_number(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace('target: "95"', "target: 较高")})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:22: 错误：字段“指标值”（target）：第 2 条指标“受助学生满意度”：定量指标（指标性质为“≥”）的指标值应为数字，"
        "实际为“较高”。定性指标请把指标性质写为“定性”。"]


def test_confidential_without_basis(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL + "confidential: true\n"})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:23: 错误：字段“不予公开依据”（confidential_basis）：整条记录不予公开（confidential: true）时，"
        "必须填写不予公开依据 confidential_basis，可选：国家秘密、工作秘密、可能危及国家安全、可能危及公共安全、"
        "可能危及经济安全、可能危及社会稳定。"]
    assert check(tmp_path / "ok", {GOAL_PATH: GOAL + "confidential: 是\nconfidential_basis: 工作秘密\n"}).exit_code == 0


def test_withheld_fields_naming_an_unknown_field(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL + "withheld_fields: [fundz_other]\n"})
    assert result.exit_code == 1
    [problem] = problems_of(result)
    assert problem.startswith(
        f"{GOAL_FILE}:23: 错误：字段“不予公开字段”（withheld_fields）：不予公开字段中的“fundz_other”不是本类记录的字段。"
        "是否想写“funds_other”（其他资金）？可填写的字段：summary（摘要）、project_code（项目代码）、")
    assert "confidential" not in problem.split("可填写的字段：")[1]


def test_withheld_fields_naming_an_identity_field(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL + "withheld_fields: [title]\n"})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:23: 错误：字段“不予公开字段”（withheld_fields）：“title”是记录的标识字段，不能单独不予公开；"
        "如整条记录需要保密，请设置 confidential: true 并填写 confidential_basis。"]


# ---- reporting ----------------------------------------------------------------------------------

def test_every_problem_in_one_run(tmp_path):
    result = check(tmp_path, {
        GOAL_PATH: GOAL.replace("variant: 项目支出", "variant: 项目").replace("2026-02-14", "2026-02-30"),
        MONITORING_PATH: MONITORING.replace("execution_rate: 50.0", "execution_rate: 60"),
        "lcj/2026/monitoring/broken.yml": "id: [x\n",
    })
    assert result.exit_code == 1
    assert [p.split(": 错误")[0] for p in problems_of(result)] == [
        f"{GOAL_FILE}:4", f"{GOAL_FILE}:11", "content/lcj/2026/monitoring/broken.yml:2", f"{MON_FILE}:10"]
    assert result.stderr.splitlines()[-1] == "校验未通过：4 个错误，0 个提示（共读取 2 条记录）。"


def test_json_output(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("variant: 项目支出", "variant: 项目"), CSV_PATH: RECORDS_CSV.encode("gbk")},
                   "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"ok", "errors", "warnings", "problems"}
    assert (data["ok"], data["errors"], data["warnings"]) == (False, 1, 1)
    error, warning = data["problems"]  # sorted by file
    assert error == {
        "code": "enum", "file": GOAL_FILE, "line": 4, "field": "variant", "field_title": "目标表类型",
        "params": {"value": "项目", "allowed": "项目支出、部门整体支出"}, "severity": "error",
        "message": "值“项目”不在可选范围内。可选值：项目支出、部门整体支出。"}
    assert (warning["code"], warning["severity"], warning["file"], warning["line"]) == (
        "encoding_converted", "warning", CSV_FILE, None)


def test_json_output_when_clean(tmp_path):
    result = check(tmp_path, {}, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ok": True, "errors": 0, "warnings": 0, "problems": []}


def test_validate_one_path(tmp_path):
    root = make_site(tmp_path, {MONITORING_PATH: MONITORING.replace("execution_rate: 50.0", "execution_rate: 60")})
    result = run(root, str(root / "content" / GOAL_PATH))
    assert result.exit_code == 0, result.output
    assert result.stdout == "校验通过：1 条记录，0 个提示。\n"


def test_no_content_directory(tmp_path):
    result = run(tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path.resolve()}: 错误：未找到 content/ 目录。请在站点目录（含 content/ 和 site_config.yml）中运行，"
        "或用 --root 指定站点目录。")


# ---- the project's own examples: last, another helper may still be writing them ------------------

def test_zz_project_examples_are_clean():
    result = run(Path(__file__).resolve().parents[1])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("校验通过：")


def test_validation_does_not_write_into_what_load_read(tmp_path):
    """Values the folder supplies (dept, year) and the unit read from 万元 amounts go to the typed
    record only; what load read stays as written (the indicator rows aside: they are handed over)."""
    import copy

    from generator.model.catalog import load_catalog
    from generator.source.load import load_content
    from generator.source.validate import validate

    goal = GOAL.replace("funds_unit: 万元\n", "").replace("funds_total: 12860.5", "funds_total: 12860.5万元")
    goal = goal.replace("funds_fiscal: 12000", "funds_fiscal: 0").replace("funds_carryover: 760.5", "funds_carryover: 1,2")
    root = make_site(tmp_path, {GOAL_PATH: goal})
    catalog = load_catalog(root)
    loaded = load_content(root, catalog)
    before = [(r.kind, copy.deepcopy(r.values), copy.deepcopy(r.origin)) for r in loaded.records]
    result = validate(loaded, catalog)
    assert [(r.kind, r.values, r.origin) for r in loaded.records] == before
    record = next(r for r in result.records if r.kind == "goal")
    assert (record.fields["dept"], record.fields["year"], record.fields["funds_unit"]) == ("jyt", 2026, "万元")
    codes = [p.code for p in result.problems]
    # The refused amount keeps the sum rule quiet: one problem, not two.
    assert "type_number" in codes and "sum_mismatch" not in codes
