"""The funding table's arithmetic is declared once (kinds.yml `funding: equations:`): validation checks
it and withholding a cell keeps it unsolvable — change the declaration and both follow."""

from __future__ import annotations

import shutil
from pathlib import Path

from fixtures_site import PROJECT, make_site
from test_form_rules import EVAL, EVAL_PATH

from generator.build import read_site
from generator.secrecy.redact import redact

RATIO = "    - {ratio: rate, numerator: spent, denominator: [full_year, initial, amount], scale: 100, tolerance: 0.6}\n"
WITHHELD = "id: jyt-2026-eval-zz\nwithheld_fields: ['funding:年度资金总额:全年执行数']\n"


def _site(tmp_path: Path, text: str, declared: bool = True) -> Path:
    root = make_site(tmp_path, {EVAL_PATH: text})
    if not declared:  # the site's own schemas/, without the funding table's ratio
        shutil.copytree(PROJECT / "schemas", root / "schemas", ignore=shutil.ignore_patterns("json"))
        kinds = root / "schemas" / "kinds.yml"
        source = kinds.read_text(encoding="utf-8")
        assert RATIO in source
        kinds.write_text(source.replace(RATIO, ""), encoding="utf-8")
    return root


def _total_row(root: Path) -> list[str]:
    validated = read_site(root)
    assert [p.message for p in validated.problems.errors] == []
    [record] = [r for r in redact(validated.records, validated.catalog).public if r.id == "jyt-2026-eval-zz"]
    return record.fields["funding"][0]["rows"][0]


def test_the_declared_ratio_is_checked_and_withheld_against(tmp_path: Path) -> None:
    wrong = EVAL.replace("['年度资金总额:', '90', '90', '81', '10', 90%, '9']", "['年度资金总额:', '90', '90', '81', '10', 80%, '9']")
    errors = [p.message for p in read_site(_site(tmp_path / "a", wrong)).problems.errors]
    assert errors == ["资金表“项目资金”第 1 行“年度资金总额:”：执行率“80%”与 全年执行数（81）÷ 全年预算数（90）= 90% 不符。"]
    # Withholding the total's 全年执行数 hides the rate that would give it back (90% × 90).
    row = _total_row(_site(tmp_path / "b", EVAL.replace("id: jyt-2026-eval-zz\n", WITHHELD)))
    assert row[3] == "依法不予公开" and row[5] == "依法不予公开"


def test_without_the_declaration_neither_checks_nor_withholds_the_ratio(tmp_path: Path) -> None:
    wrong = EVAL.replace("['年度资金总额:', '90', '90', '81', '10', 90%, '9']", "['年度资金总额:', '90', '90', '81', '10', 80%, '9']")
    assert [p.message for p in read_site(_site(tmp_path / "a", wrong, declared=False)).problems.errors] == []
    row = _total_row(_site(tmp_path / "b", EVAL.replace("id: jyt-2026-eval-zz\n", WITHHELD), declared=False))
    # The column sum still binds (the total's 全年执行数 and a part go), the rate is no equation any more.
    assert row[3] == "依法不予公开" and row[5] == "90%"


DEPT_GOAL_PATH = "jyt/2026/goals/jyt-2026-goal-dept.yml"
DEPT_GOAL = """\
id: jyt-2026-goal-dept
title: 2026年度部门整体支出绩效目标
variant: 部门整体支出
approved_on: 2026-02-01
withheld_fields: ['funding:基本支出:金额']
funding:
  - caption: 年度预算安排
    unit: 万元
    columns: [项目, 金额]
    rows: [[资金总额, '171.41'], [财政拨款, '150'], [其他资金, '21.41'], [项目支出, '60.8'], [基本支出, '110.61']]
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 出版年鉴, target: 1册}
"""


def test_a_withheld_expenditure_cell_is_not_recomputable_from_either_split(tmp_path: Path) -> None:
    validated = read_site(make_site(tmp_path, {DEPT_GOAL_PATH: DEPT_GOAL}))
    assert [p.message for p in validated.problems.errors] == []
    [record] = [r for r in redact(validated.records, validated.catalog).public if r.id == "jyt-2026-goal-dept"]
    shown = {row[0]: row[1] for row in record.fields["funding"][0]["rows"]}
    # 基本支出 = 资金总额 − 项目支出, and 资金总额 = 财政拨款 + 其他资金: the total goes, then one income row.
    assert shown["基本支出"] == shown["资金总额"] == shown["财政拨款"] == "依法不予公开"
    assert (shown["项目支出"], shown["其他资金"]) == ("60.8", "21.41")
