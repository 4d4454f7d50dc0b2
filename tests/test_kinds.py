"""Record kinds are data: a new kind is one Table Schema plus one kinds.yml entry (no Python, no
template), and a broken kinds.yml is reported like a broken record (file, line, key; exit 1)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.fixtures_site import PROJECT, make_site

INSPECTION_SCHEMA = {
    "fields": [
        {"name": "checked_units", "type": "integer", "title": "抽查单位数",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "findings", "type": "string", "title": "抽查发现", "constraints": {"required": True}},
    ],
    "primaryKey": ["id"],
}
INSPECTION_ENTRY = """\
  inspection:
    title: 绩效抽查结果
    folder: inspections
    basis: 《预算绩效管理信息公开管理办法》第十五条
    form: 绩效抽查情况表
    schema: inspection.schema.json
    indicators: false
    deadline: completed
    sections: [findings]
"""
INSPECTION_PATH = "jyt/2026/inspections/jyt-2026-insp-001.yml"
INSPECTION = """\
id: jyt-2026-insp-001
title: 2026年学生资助资金绩效抽查结果
summary: 抽查了资助资金的发放情况。
completed_on: 2026-05-20
checked_units: 12
findings: 抽查的十二所学校均已按时足额发放资助资金。
"""


def _own_schemas(root: Path) -> Path:
    """The site's own copy of the project's schemas/ (the catalog reads it instead of the project's)."""
    shutil.copytree(PROJECT / "schemas", root / "schemas", ignore=shutil.ignore_patterns("json"))
    return root / "schemas" / "kinds.yml"


def _add_kind(kinds: Path) -> None:
    (kinds.parent / "inspection.schema.json").write_text(json.dumps(INSPECTION_SCHEMA, ensure_ascii=False),
                                                         encoding="utf-8")
    text = kinds.read_text(encoding="utf-8")
    marker = "# Reports and tables attached to a record"
    kinds.write_text(text.replace(marker, INSPECTION_ENTRY + marker, 1), encoding="utf-8")


def test_a_new_kind_needs_one_schema_and_one_kinds_entry(tmp_path: Path) -> None:
    root = make_site(tmp_path, {INSPECTION_PATH: INSPECTION})
    _add_kind(_own_schemas(root))
    runner = CliRunner()

    checked = runner.invoke(main, ["validate", "--root", str(root)])
    assert checked.exit_code == 0, checked.output
    assert "3 条记录" in checked.output

    made = runner.invoke(main, ["new", "inspection", "--dept", "lcj", "--year", "2026", "--root", str(root)])
    assert made.exit_code == 0, made.output
    skeleton = (root / "content/lcj/2026/inspections/lcj-2026-inspection-001.yml")
    assert skeleton.is_file(), made.output
    text = skeleton.read_text(encoding="utf-8")
    assert "抽查单位数" in text and "checked_units" in text
    skeleton.unlink()  # an unfilled skeleton does not validate, by design

    built = runner.invoke(main, ["build", "--root", str(root)])
    assert built.exit_code == 0, built.output
    site = root / "site"
    page = (site / "records/jyt-2026-insp-001/index.html").read_text(encoding="utf-8")
    assert "2026年学生资助资金绩效抽查结果" in page
    assert "抽查的十二所学校均已按时足额发放资助资金。" in page
    assert "抽查单位数" in page
    assert (site / "inspections/index.html").is_file()  # the kind's own column

    record = json.loads((site / "records/jyt-2026-insp-001/jyt-2026-insp-001.json").read_text(encoding="utf-8"))
    assert (record["kind"], record["kind_title"]) == ("inspection", "绩效抽查结果")
    assert record["fields"]["checked_units"] == 12
    assert record["publication"]["due"] == "2026-06-20"  # deadline: completed, one month by default
    with (site / "data/inspection-2026.csv").open(encoding="utf-8-sig") as fh:  # CSV downloads carry a BOM
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["checked_units"]) for r in rows] == [("jyt-2026-insp-001", "12")]

    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "inspection-2026")
    assert resource["title"] == "2026年绩效抽查结果"
    assert "checked_units" in [f["name"] for f in resource["schema"]["fields"]]


@pytest.mark.parametrize("edit, marker, words", [
    # a required key left out (this used to end in exit 2, 内部错误)
    (lambda t: t.replace("    basis: 《预算绩效管理信息公开管理办法》第十三条\n", "", 1),
     "  goal:", ["kinds.goal.basis", "公开依据"]),
    # a typo in a section name (this used to be accepted silently)
    (lambda t: t.replace("sections: [goal_target, goal_progress,", "sections: [goal_target, goal_progres,"),
     "sections: [goal_target, goal_progres,", ["kinds.monitoring.sections[2]", "是否想写“goal_progress”"]),
    # the form family's caption keyed on a field the kind does not have
    (lambda t: t.replace("captions: {field: variant, values: {项目支出: 项目支出绩效目标申报表",
                         "captions: {field: varient, values: {项目支出: 项目支出绩效目标申报表"),
     "captions: {field: varient", ["kinds.goal.captions.field", "是否想写“variant”"]),
    # a funding total row mapped to an amount field the kind does not have
    (lambda t: t.replace("funding_total: {funds_total: amount}", "funding_total: {fund_total: amount}"),
     "funding_total: {fund_total", ["kinds.goal.funding_total.fund_total", "是否想写“funds_total”"]),
    # an unknown key
    (lambda t: t.replace("    folder: notices\n", "    folder: notices\n    sectoins: [body]\n"),
     "sectoins: [body]", ["kinds.notice.sectoins", "是否想写“sections”"]),
    # a deadline that is none of the three
    (lambda t: t.replace("    deadline: approved\n", "    deadline: approval\n", 1),
     "deadline: approval", ["kinds.goal.deadline", "approved、completed、none"]),
    # a schema file that does not exist
    (lambda t: t.replace("schema: notice.schema.json", "schema: notices.schema.json"),
     "schema: notices.schema.json", ["kinds.notice.schema", "notices.schema.json", "不存在"]),
    # two kinds in one folder
    (lambda t: t.replace("folder: notices", "folder: goals"),
     "    folder: goals\n    basis: 《预算绩效管理信息公开管理办法》第十七条", ["kinds.notice.folder", "goals", "goal"]),
    # a sum over a field the kind does not have
    (lambda t: t.replace("parts: [funds_fiscal, funds_carryover, funds_other]",
                         "parts: [funds_fiscal, funds_carryover, funds_others]"),
     "funds_others", ["kinds.goal.sums[1].parts[3]", "funds_others"]),
    # a funding-table equation without its denominator columns
    (lambda t: t.replace("denominator: [full_year, initial, amount], ", ""),
     "{ratio: rate, numerator: spent", ["funding.equations[2]", "denominator（栏目列表"]),
    # a flag written as text
    (lambda t: t.replace("    indicators: true\n", "    indicators: 有\n", 1),
     "indicators: 有", ["kinds.goal.indicators", "true 或 false"]),
    # a field of the kind's schema without a Chinese title, or with a type nothing reads
    (lambda t: t.replace("schema: notice.schema.json", "schema: broken.schema.json"),
     "schema: broken.schema.json", ["kinds.notice.schema", "broken.schema.json", "缺少中文标题"]),
    # YAML that does not parse
    (lambda t: t.replace("    title: 绩效目标\n", "    title: 绩效目标\n   folder: x\n", 1),
     "   folder: x", ["YAML"]),
])
@pytest.mark.parametrize("command", [["validate"], ["build"]])
def test_a_broken_kinds_entry_is_a_located_chinese_problem(tmp_path: Path, edit, marker, words, command) -> None:
    """`marker` is the text on the line the problem must name (its first line, in the edited file)."""
    root = make_site(tmp_path)
    kinds = _own_schemas(root)
    text = edit(kinds.read_text(encoding="utf-8"))
    kinds.write_text(text, encoding="utf-8")
    (kinds.parent / "broken.schema.json").write_text('{"fields": [{"name": "body", "type": "string"}]}',
                                                     encoding="utf-8")
    where = f"schemas/kinds.yml:{text[:text.index(marker)].count(chr(10)) + 1}"
    result = CliRunner().invoke(main, [*command, "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert where in result.output, result.output
    for word in words:
        assert word in result.output, result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert not (root / "site").exists()

