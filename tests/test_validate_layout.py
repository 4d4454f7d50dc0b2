"""`disclose validate` on where files are, the department registry, record shapes, and the real
command run as a subprocess."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from click.testing import CliRunner
from fixtures_site import DEPARTMENTS, GOAL, GOAL_PATH, make_site
from test_validate import CSV_PATH, IND_PATH, INDICATORS_CSV, MON_B_ROW, RECORDS_CSV, check, problems_of

from generator.build import read_site
from generator.cli import main

GOAL_FILE = f"content/{GOAL_PATH}"
FOLDERS = "goals、pre-assessments、evaluations、fiscal-evaluations、monitoring、monitoring-reports、notices"
NOTICE = """\
id: jyt-2026-notice-1
title: 关于公开2026年部门预算绩效目标的通知
notice_type: 通知通告
issued_on: 2026-03-01
body: |
  现将2026年部门预算项目绩效目标予以公开。
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 公开项目数, operator: "≥", target: "10", unit: 个}
"""


def test_record_outside_a_kind_folder(tmp_path):
    result = check(tmp_path, {"jyt/2026/goal/x.yml": GOAL, "jyt/goals/y.yml": GOAL})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"content/jyt/2026/goal/x.yml: 错误：文件位置不对：记录应放在 content/<部门代码>/<年度>/<类别目录>/ 下，类别目录可为：{FOLDERS}。",
        f"content/jyt/goals/y.yml: 错误：文件位置不对：记录应放在 content/<部门代码>/<年度>/<类别目录>/ 下，类别目录可为：{FOLDERS}。"]


def test_attachments_and_notes_beside_records_are_ignored(tmp_path):
    result = check(tmp_path, {"jyt/2026/goals/说明.md": "# 说明\n", "jyt/2026/goals/附件/表.yml": "不是记录: [\n"})
    assert result.exit_code == 0, result.output


def test_unsupported_file_type(tmp_path):
    result = check(tmp_path, {"jyt/2026/goals/x.json": "{}"})
    assert result.exit_code == 1
    assert problems_of(result) == ["content/jyt/2026/goals/x.json: 错误：不支持的文件类型“.json”。记录文件应为 .yml、.yaml 或 .csv。"]


def test_indicators_on_a_kind_without_them(tmp_path):
    result = check(tmp_path, {"jyt/2026/notices/jyt-2026-notice-1.yml": NOTICE})
    assert result.exit_code == 1
    assert problems_of(result) == [
        "content/jyt/2026/notices/jyt-2026-notice-1.yml:7: 错误：字段“绩效指标”（indicators）：通知公告与工作动态没有绩效指标表，不应填写 indicators。"]


def test_indicators_not_a_list(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL.split("indicators:")[0] + "indicators: 三条\n"})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:20: 错误：字段“绩效指标”（indicators）：应为列表（YAML 中每项一行，以“- ”开头），实际为单个值“三条”。"]


def test_indicator_row_that_is_not_a_mapping(tmp_path):
    result = check(tmp_path, {GOAL_PATH: GOAL + "  - 仅有文字\n"})
    assert result.exit_code == 1
    assert problems_of(result) == [f"{GOAL_FILE}:23: 错误：字段“绩效指标”（indicators）：第 3 条指标应为“字段: 值”的形式。"]


def test_list_where_one_value_belongs_is_said_once(tmp_path):
    row = "  - {level1: [产出指标, 效益指标], level2: 数量指标, name: 覆盖学校, operator: 定性, target: 全覆盖}\n"
    result = check(tmp_path, {GOAL_PATH: GOAL.replace("summary: 资助家庭经济困难学生，保障其顺利完成学业。", "summary: [甲, 乙]")
                              + row})
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"{GOAL_FILE}:3: 错误：字段“摘要”（summary）：值的写法不对：应为单个值，实际为列表。",
        f"{GOAL_FILE}:23: 错误：字段“一级指标”（level1）：值的写法不对：应为单个值，实际为列表。"]


def test_withheld_fields_in_csv_separated_by_semicolons(tmp_path):
    text = RECORDS_CSV.replace(",warning\n", ",warning,withheld_fields\n", 1).replace(",绿\n", ",绿,spent_to_date；execution_rate\n")
    text = text.replace(",黄\n", ",黄,\n")
    [record] = [r for r in read_site(make_site(tmp_path, {CSV_PATH: text})).records if r.id == "lcj-2026-mon-a"]
    assert record.fields["withheld_fields"] == ["spent_to_date", "execution_rate"]


def test_registry_problems(tmp_path):
    text = DEPARTMENTS + "- code: jyt\n  name: 重复登记\n- code: Bad Code\n  nam: 某厅\n"
    result = check(tmp_path, {"departments.yml": text})
    assert result.exit_code == 1
    assert problems_of(result) == [
        "content/departments.yml:9: 错误：字段“部门代码”（code）：部门代码“jyt”重复：content/departments.yml:1 已登记该代码。每个部门只登记一次。",
        "content/departments.yml:11: 错误：字段“部门代码”（code）：值“Bad Code”的格式不对：英文字母、数字、连字符，用作网址和目录名。",
        "content/departments.yml:11: 错误：字段“nam”：未知字段“nam”。是否想写“name”（部门名称）？本类记录可用的字段："
        "code（部门代码）、name（部门名称）、short_name（简称）、portal_url（门户网站地址）。",
        "content/departments.yml:11: 错误：字段“部门名称”（name）：必填字段缺失或为空。"]


def test_empty_registry_is_one_problem_not_one_per_record(tmp_path):
    result = check(tmp_path, {"departments.yml": "[]\n"})
    assert result.exit_code == 1
    assert problems_of(result) == ["content/departments.yml: 错误：文件为空。请填写记录内容，或删除该文件。"]


def test_missing_registry(tmp_path):
    root = make_site(tmp_path)
    (root / "content" / "departments.yml").unlink()
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert problems_of(result) == ["content/departments.yml: 错误：缺少部门登记表 content/departments.yml。"]


def test_validate_a_companion_file_checks_it_with_its_table(tmp_path):
    text = INDICATORS_CSV.replace("产出指标", "产出") + MON_B_ROW
    root = make_site(tmp_path, {CSV_PATH: RECORDS_CSV, IND_PATH: text})
    result = CliRunner().invoke(main, ["validate", "--root", str(root), str(root / "content" / IND_PATH)])
    assert result.exit_code == 1
    assert problems_of(result) == [
        f"content/{IND_PATH}:2: 错误：字段“一级指标”（level1）：第 1 条指标：一级指标“产出”不是绩效表使用的名称。"
        "可用：产出指标、效益指标、满意度指标、成本指标、投入指标、过程指标、决策指标、项目管理指标。"]


def test_the_installed_command(tmp_path):
    root = make_site(tmp_path, {GOAL_PATH: GOAL.replace("approved_on: 2026-02-14", "approved_on: 2026-02-30")})
    # This interpreter's console script when installed (not another install found on PATH), else the
    # same entry point through this interpreter.
    script = Path(sysconfig.get_path("scripts")) / "disclose"
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from generator.cli import main; main()"]
    proc = subprocess.run([*command, "validate", "--root", str(root)], capture_output=True, text=True,
                          encoding="utf-8")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"{GOAL_FILE}:11: 错误：字段“批复日期”（approved_on）：值“2026-02-30”不是有效日期。应写成 YYYY-MM-DD（如 2026-03-05），"
        "且该日期在日历上存在。",
        "校验未通过：1 个错误，0 个提示（共读取 2 条记录）。"]
    assert "Traceback" not in proc.stderr
