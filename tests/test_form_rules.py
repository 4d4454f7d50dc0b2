"""The printed forms' own rules (issue 16): funding tables, score rules, level names, tick boxes, linking
without a project code, and the plausibility warnings — each with its exact Chinese message."""

from __future__ import annotations

from pathlib import Path

from fixtures_site import make_site

from generator.build import read_site as check_site

EVAL_PATH = "jyt/2026/evaluations/jyt-2026-eval-zz.yml"
EVAL = """\
id: jyt-2026-eval-zz
title: 2025年委托业务项目支出绩效自评
eval_type: 单位自评
project_name: 委托业务项目
funds_unit: 万元
funding:
  - caption: 项目资金
    columns: ['', 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分]
    rows:
      - ['年度资金总额:', '90', '90', '81', '10', 90%, '9']
      - ['其中:本年财政拨款', '90', '90', '81', '', '', '']
      - [上年结转资金, '', '', '', '', '', '']
      - [其他资金, '', '', '', '', '', '']
score: 88
grade: 良
indicators:
  - {level1: 产出指标（50分）, level2: 数量指标, name: 委托业务项目数量, target: ≥50个, actual: '50', weight: 50, score: 50}
  - {level1: 效益指标（30分）, level2: 社会效益指标, name: 市场公平, target: 效果明显, actual: 达成预期指标, weight: 30, score: 24}
  - {level1: 满意度指标（10分）, level2: 社会公众或服务对象满意度指标, name: 公众满意度, target: ≥90%, actual: 85%, weight: 10, score: 5}
"""


def problems(tmp_path: Path, records: dict[str, str]) -> list[str]:
    validated = check_site(make_site(tmp_path, records))
    return [f"{p.severity}:{p.field}:{p.message}" for p in validated.problems if p.file.endswith(tuple(records))]


def test_a_consistent_self_evaluation_is_clean(tmp_path):
    assert problems(tmp_path, {EVAL_PATH: EVAL}) == []


def test_funding_total_must_equal_its_rows(tmp_path):
    text = EVAL.replace("['其中:本年财政拨款', '90', '90', '81'", "['其中:本年财政拨款', '90', '80', '81'")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "error:funding:资金表“项目资金”的“全年预算数”栏：年度资金总额:为 90，而其中:本年财政拨款、上年结转资金、其他资金之和为 80。"
        "合计应等于各分项之和；原表本身不相符时，在 as_printed 中说明后按原表保留。"]


def test_funding_rate_must_match_spent_over_budget(tmp_path):
    text = EVAL.replace("'10', 90%, '9'", "'10', 95%, '9'")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "error:funding:资金表“项目资金”第 1 行“年度资金总额:”：执行率“95%”与 全年执行数（81）÷ 全年预算数（90）= 90% 不符。"]


def test_an_empty_cell_stays_empty_and_a_word_is_not_an_amount(tmp_path):
    validated = check_site(make_site(tmp_path / "a", {EVAL_PATH: EVAL}))
    [record] = [r for r in validated.records if r.id == "jyt-2026-eval-zz"]
    assert record.fields["funding"][0]["rows"][2] == ["上年结转资金", "", "", "", "", "", ""]
    text = EVAL.replace("[其他资金, '', '', ''", "[其他资金, 无, '', ''")
    assert problems(tmp_path / "b", {EVAL_PATH: text}) == [
        "error:funding:资金表“项目资金”第 4 行“其他资金”的“年初预算数”为“无”，不是数字。应照表填写数字（可带 %、万元），"
        "空格子写 ''，表上印“/”照写“/”。"]


def test_an_unknown_funding_column_names_the_known_ones(tmp_path):
    text = EVAL.replace("columns: ['', 年初预算数,", "columns: ['', 年初安排数,")
    [problem] = problems(tmp_path, {EVAL_PATH: text})
    assert problem.startswith("error:funding:资金表“项目资金”的栏目“年初安排数”无法识别。可用的栏目名（表上的写法，可带单位或公式）：构成、")


def test_row_score_cannot_exceed_its_points(tmp_path):
    text = EVAL.replace("weight: 10, score: 5}", "weight: 10, score: 12}").replace("score: 88", "score: 95").replace(
        "grade: 良", "grade: 优")
    assert problems(tmp_path, {EVAL_PATH: text}) == ["error:indicators:第 3 条指标“公众满意度”：得分 12 超过分值 10。得分不能高于分值。"]


def test_points_add_up_to_the_total(tmp_path):
    text = EVAL.replace("weight: 30, score: 24}", "weight: 25, score: 24}")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "error:indicators:各指标分值之和 85 加预算执行分值 10 为 95，应等于总分值 100。",
        "error:indicators:一级指标“效益指标”标明 30 分，而其下各指标分值之和为 25。"]


def test_scores_add_up_to_the_total_score_and_the_grade_follows(tmp_path):
    text = EVAL.replace("score: 88\ngrade: 良", "score: 91\ngrade: 良")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "error:grade:评价等级“良”与得分 91 不符：按评分标准应为“优”（优 ≥ 90，良 80 至不足 90，中 60 至不足 80，差 < 60）。",
        "error:score:各指标得分之和 79 加预算执行得分 9 为 88，与总分 91 不符。"]


def test_as_printed_keeps_a_published_inconsistency_as_a_warning(tmp_path):
    text = EVAL.replace("score: 88\n", "score: 91\nas_printed: 原表总分印为 91，与各项得分之和不符。\n").replace("grade: 良", "grade: 优")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "warning:score:按原表保留（as_printed）：各指标得分之和 79 加预算执行得分 9 为 88，与总分 91 不符。"]


def test_level_names_as_forms_print_them(tmp_path):
    text = EVAL.replace("level2: 数量指标", "level2: 数量类")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "error:level2:第 1 条指标：二级指标“数量类”不是绩效表使用的名称。可用：数量指标、质量指标、时效指标、成本指标、经济效益指标、"
        "社会效益指标、生态效益指标、环境效益指标、可持续影响指标、服务对象满意度指标、社会公众或服务对象满意度指标、满意度指标、"
        "经济成本指标、社会成本指标、生态环境成本指标、数量、质量、时效、成本、经济效益、社会效益、生态效益、可持续影响、满意度、"
        "服务对象满意度。"]
    validated = check_site(make_site(tmp_path / "b", {EVAL_PATH: EVAL}))
    [record] = [r for r in validated.records if r.id == "jyt-2026-eval-zz"]
    # Section points are data beside the level name; the variant level-2 wording is kept as printed.
    assert [(r["level1"], r["level1_points"]) for r in record.rows] == [("产出指标", "50"), ("效益指标", "30"),
                                                                       ("满意度指标", "10")]
    assert record.rows[2]["level2"] == "社会公众或服务对象满意度指标"
    # A text target, a period target: no operator invented.
    assert record.rows[1]["operator"] is None and record.rows[1]["target"] == "效果明显"


def test_a_ticked_option_must_be_one_the_form_prints(tmp_path):
    text = EVAL.replace("funds_unit: 万元\n", "funds_unit: 万元\nproject_type: 常年性\n"
                        "project_type_options: [常年性项目, 延续性项目, 一次性项目]\n")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "error:project_type:勾选的“常年性”不在表上印的选项中：常年性项目、延续性项目、一次性项目。"]


GOAL_PATH = "jyt/2026/goals/jyt-2026-goal-zz.yml"
GOAL = """\
id: jyt-2026-goal-zz
title: 2026年委托业务项目绩效目标
variant: 项目支出
project_name: 委托业务项目
period_text: 2023.07-2024.01
funds_unit: 元
funds_total: 250
indicators:
  - {level1: 产出指标, level2: 时效指标, name: 服务周期, target: 2023.07-2024.01}
"""


def test_no_indicator_rows_is_an_error(tmp_path):
    text = GOAL.split("indicators:")[0]
    assert problems(tmp_path, {GOAL_PATH: text}) == [
        "error:indicators:绩效目标没有任何绩效指标行。表上的指标请逐行写在 indicators 下（表上印的空行也可照录）。"]


def test_a_period_target_and_no_project_code_are_fine(tmp_path):
    validated = check_site(make_site(tmp_path, {GOAL_PATH: GOAL.replace("funds_unit: 元\nfunds_total: 250\n", "")}))
    assert [p.message for p in validated.problems if p.file.endswith(GOAL_PATH)] == []
    [record] = [r for r in validated.records if r.id == "jyt-2026-goal-zz"]
    assert record.fields["period_text"] == "2023.07-2024.01" and record.fields.get("period_start") is None


def test_250_yuan_beside_a_project_in_wan_yuan_is_suspect(tmp_path):
    evaluation = EVAL.replace("id: jyt-2026-eval-zz", "id: jyt-2026-eval-zz\nproject_code: P-7").replace(
        "project_name: 委托业务项目", "project_name: 委托业务项目")
    goal = GOAL.replace("project_name: 委托业务项目", "project_name: 委托业务项目\nproject_code: P-7")
    assert problems(tmp_path, {GOAL_PATH: goal, EVAL_PATH: evaluation}) == [
        "warning:funds_unit:金额单位可能写错：本记录以“元”为单位，最大金额仅 250，而同一项目的记录 jyt-2026-eval-zz 以“万元”为单位。"
        "请核对是否应为“万元”。"]


def test_a_total_ten_thousand_times_its_rows_is_suspect(tmp_path):
    text = GOAL.replace("funds_total: 250\n", "funds_total: 2500000\nfunds_fiscal: 250\n")
    assert problems(tmp_path, {GOAL_PATH: text}) == [
        "error:funds_total:金额不相符：年度资金总额为 2,500,000，而其中：财政拨款 + 上年结转 + 其他资金之和为 250。"
        "应满足：年度资金总额 = 其中：财政拨款 + 上年结转 + 其他资金。",
        "warning:funds_total:年度资金总额 2,500,000 与分项之和 250 相差约一万倍：可能有金额按“元”、有金额按“万元”填写。请统一单位。"]


def test_a_rate_printed_with_a_zero_budget_is_kept_with_a_warning(tmp_path):
    text = EVAL.replace("[上年结转资金, '', '', '', '', '', '']", "[上年结转资金, '0', '0', '0', '', 0.00%, '']")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "warning:funding:资金表“项目资金”第 3 行“上年结转资金”：全年预算数为 0，表上仍印有执行率“0.00%”。已按原表保留，请核对。"]
    flat = ("id: jyt-2026-eval-yy\ntitle: 2025年另一项目绩效自评\neval_type: 单位自评\nfunds_unit: 万元\n"
            "budget_full_year: 0\nspent: 0\nexecution_rate: 100\n")
    assert problems(tmp_path / "b", {"jyt/2026/evaluations/jyt-2026-eval-yy.yml": flat}) == [
        "warning:execution_rate:全年预算数（A）为 0，表上仍印有执行率 100%。已按原表保留，请核对。"]


def test_a_rate_printed_to_the_whole_percent_is_the_forms_rounding(tmp_path):
    # 2,546,673.98 ÷ 2,751,417.82 = 92.56 %: the form prints 93 %; 92 % or 93.5 % is a mistake.
    flat = ("id: jyt-2026-eval-yy\ntitle: 2025年另一项目绩效自评\neval_type: 单位自评\nfunds_unit: 元\n"
            "budget_full_year: 2751417.82\nspent: 2546673.98\nexecution_rate: {rate}\n")
    path = "jyt/2026/evaluations/jyt-2026-eval-yy.yml"
    assert problems(tmp_path / "a", {path: flat.format(rate=93)}) == []
    for rate in ("92", "93.5"):
        assert problems(tmp_path / rate, {path: flat.format(rate=rate)}) == [
            f"error:execution_rate:执行率 {rate}% 与 全年执行数（B）（2,546,673.98）÷ 全年预算数（A）（2,751,417.82）= 92.6% 不符。"
            "请按公式重新计算，保留一位小数。"]


def test_a_self_evaluation_contradicting_itself(tmp_path):
    text = EVAL.replace("weight: 50, score: 50}", "weight: 50, score: 45}").replace("score: 88", "score: 83")
    assert problems(tmp_path, {EVAL_PATH: text}) == [
        "warning:indicators:第 1 条指标“委托业务项目数量”：实际完成值 50 已达到指标值 ≥50个，得分 45 却低于分值 50，"
        "且未填写偏差原因分析及改进措施。请核对得分或说明原因。"]


def test_records_without_code_link_by_dept_and_name_and_ambiguity_is_reported(tmp_path):
    other = EVAL.replace("id: jyt-2026-eval-zz", "id: jyt-2026-eval-a1\nproject_code: A-1").replace(
        "title: 2025年", "title: 2024年")
    third = EVAL.replace("id: jyt-2026-eval-zz", "id: jyt-2026-eval-b2\nproject_code: B-2").replace(
        "title: 2025年", "title: 2023年")
    found = problems(tmp_path, {EVAL_PATH: EVAL, "jyt/2026/evaluations/jyt-2026-eval-a1.yml": other,
                                "jyt/2026/evaluations/jyt-2026-eval-b2.yml": third})
    assert found == ["warning:project_name:本记录没有项目代码，按“部门 + 项目名称”关联时，“委托业务项目”对应多个项目代码（A-1、B-2），"
                     "无法确定属于哪个项目。请填写项目代码。"]


def test_a_withheld_funding_cell_cannot_be_recomputed(tmp_path):
    from generator.secrecy.redact import redact

    text = EVAL.replace("[上年结转资金, '', '', '', '', '', '']", "[上年结转资金, '0', '7', '6', '', '', '']").replace(
        "['年度资金总额:', '90', '90', '81', '10', 90%, '9']", "['年度资金总额:', '90', '97', '87', '10', 89.7%, '9']"
    ).replace("id: jyt-2026-eval-zz\n", "id: jyt-2026-eval-zz\nwithheld_fields: ['funding:上年结转资金:全年执行数']\n")
    validated = check_site(make_site(tmp_path, {EVAL_PATH: text}))
    assert [p.message for p in validated.problems.errors] == []
    redacted = redact(validated.records, validated.catalog)
    [record] = [r for r in redacted.public if r.id == "jyt-2026-eval-zz"]
    rows = record.fields["funding"][0]["rows"]
    # The cell, and the column total that would give it back (87 − 81 = 6), read 依法不予公开; the total
    # row's rate would give the total back (89.7% × 97), so it goes too.
    assert rows[2][3] == "依法不予公开" and rows[0][3] == "依法不予公开" and rows[0][5] == "依法不予公开"
    assert rows[1][3] == "81" and rows[2][2] == "7"
    assert {s.text for s in redacted.secrets if s.record.startswith("jyt-2026-eval-zz")} >= {"6", "87", "89.7%"}
    wrong = text.replace("funding:上年结转资金:全年执行数", "funding:上年结余:全年执行数")
    [problem] = [p for p in check_site(make_site(tmp_path / "b", {EVAL_PATH: wrong})).problems.errors]
    assert problem.message == ("不予公开字段中的“funding:上年结余:全年执行数”找不到对应的资金表格子。应写成 funding:行名:栏名（某一格），"
                               "或 funding:行名（整行）；本记录资金表的行：年度资金总额、本年财政拨款、上年结转资金、其他资金。")


def test_an_amount_field_and_its_total_row_cell_are_withheld_together(tmp_path):
    from generator.secrecy.redact import redact

    text = EVAL.replace("funds_unit: 万元\n", "funds_unit: 万元\nbudget_full_year: 90\nspent: 81\nexecution_rate: 90\n"
                        "withheld_fields: [spent]\n")
    validated = check_site(make_site(tmp_path, {EVAL_PATH: text}))
    assert [p.message for p in validated.problems.errors] == []
    [record] = [r for r in redact(validated.records, validated.catalog).public if r.id == "jyt-2026-eval-zz"]
    rows = record.fields["funding"][0]["rows"]
    # spent is the total row's 全年执行数: hidden there too, with what recomputes it (the rate, a part).
    assert "spent" not in record.fields and "execution_rate" not in record.fields
    assert rows[0][3] == "依法不予公开" and rows[0][5] == "依法不予公开" and rows[1][3] == "依法不予公开"
    assert "81" not in [c for row in rows for c in row]
    # The other way round: a withheld total-row cell hides the amount field holding the same number.
    text = text.replace("withheld_fields: [spent]", "withheld_fields: ['funding:年度资金总额:全年执行数']")
    validated = check_site(make_site(tmp_path / "b", {EVAL_PATH: text}))
    [record] = [r for r in redact(validated.records, validated.catalog).public if r.id == "jyt-2026-eval-zz"]
    assert "spent" not in record.fields and "81" not in [c for row in record.fields["funding"][0]["rows"] for c in row]
