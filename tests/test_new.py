"""`disclose new`: a skeleton lists every field of its kind (from schemas/) under a Chinese comment,
and validates once its required fields are filled."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from fixtures_site import make_site

from generator.build import read_site
from generator.cli import main
from generator.model.catalog import load_catalog

CATALOG = load_catalog()


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def sample(spec: dict[str, Any]) -> str:
    """A valid value for a field, chosen from what the schema says about it."""
    c = spec.get("constraints", {})
    if c.get("enum"):
        return c["enum"][0]
    if spec["type"] == "date":
        return "2026-03-02"
    if spec["type"] in ("integer", "number"):
        return str(c.get("minimum", 1))
    if "pattern" in c:
        return '"P2026001"'
    return f"示例{spec['title']}"


def required_names(kind) -> set[str]:
    names = {f["name"] for f in kind.fields if f.get("constraints", {}).get("required")}
    return names | {rule["field"] for rule in kind.required_when}


def fill(text: str, kind) -> str:
    """Fill each empty required line, the way an editor would: in place, leaving the comments."""
    row_specs = CATALOG.indicator_by_name
    row_required = {n for n, s in row_specs.items() if s.get("constraints", {}).get("required")}
    out = []
    for line in text.splitlines():
        top = re.fullmatch(r"(\w+):", line)
        row = re.fullmatch(r"(\s+(?:- )?)(\w+):", line)
        if top and top.group(1) in required_names(kind):
            line = f"{line} {sample(kind.by_name[top.group(1)])}"
        elif row and row.group(2) == "target":
            line = f'{line} "100"'  # the example row's 指标性质 is ≥: a quantitative target
        elif row and row.group(2) in row_required:
            line = f"{line} {sample(row_specs[row.group(2)])}"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


@pytest.mark.parametrize("name", list(CATALOG.kinds))
def test_skeleton_has_every_field_and_validates_once_required_fields_are_filled(site: Path, name: str) -> None:
    kind = CATALOG.kinds[name]
    result = run("new", name, "--dept", "jyt", "--year", "2026", "--root", str(site))
    assert result.exit_code == 0, result.output
    rel = f"content/jyt/2026/{kind.folder}/jyt-2026-{name.replace('_', '-')}-001.yml"
    assert result.output == f"已生成：{rel}。请填写注释中标为“必填”的字段，然后运行 disclose validate {rel}\n"
    path = site / rel
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for spec in kind.fields:
        at = next(i for i, line in enumerate(lines) if re.match(rf"{spec['name']}:( |$)", line))
        comment = lines[at - 1]
        assert comment.startswith(f"# {spec['title']}（"), comment
        for value in spec.get("constraints", {}).get("enum", []):
            assert value in comment
    assert ("indicators:" in lines) == kind.has_indicators
    if kind.has_indicators:
        for column in CATALOG.indicator_fields_for(kind):
            if column != "record_id":
                assert re.search(rf"^\s+(- )?{column}:", text, re.M), column
    data = yaml.safe_load(text)
    assert (data["id"], data["dept"], data["year"]) == (f"jyt-2026-{name.replace('_', '-')}-001", "jyt", 2026)

    before = read_site(site).problems.errors
    assert {p.field for p in before if p.code == "required" and p.file == rel} >= (
        {f["name"] for f in kind.fields if f.get("constraints", {}).get("required")} - {"id", "dept", "year"})

    path.write_text(fill(text, kind), encoding="utf-8")
    assert [p.render() for p in read_site(site).problems.errors] == []


def test_comments_say_type_range_and_condition() -> None:
    from generator.editor.skeleton import skeleton

    kind = CATALOG.kinds["monitoring"]
    text = skeleton(CATALOG, kind, "lcj", 2026, "lcj-2026-monitoring-001", "content/x.yml")
    assert "# 年度（必填）：预算年度。填写整数。取值 2000–2100。\nyear: 2026\n" in text
    assert "\nwithheld_fields: []\n" in text and "\nconfidential: false\n" in text
    assert "（完成目标可能性为“有可能或完全不可能”时必填）" in text
    goal = skeleton(CATALOG, CATALOG.kinds["goal"], "jyt", 2026, "jyt-2026-goal-001", "content/x.yml")
    # Forms without a project code exist (project_name links them): the code is optional.
    assert "# 项目代码（可选）：" in goal
    assert "填写数字（可带千分位逗号），单位见资金单位（funds_unit）。不小于 0。\nfunds_other:\n" in goal
    assert "  - level1: 产出指标\n" in goal


def test_ids_count_up_and_files_are_not_overwritten(site: Path) -> None:
    assert run("new", "notice", "--dept", "jyt", "--year", "2026", "--root", str(site)).exit_code == 0
    result = run("new", "notice", "--dept", "jyt", "--year", "2026", "--root", str(site))
    assert "content/jyt/2026/notices/jyt-2026-notice-002.yml" in result.output
    result = run("new", "notice", "--dept", "jyt", "--year", "2026", "--id", "jyt-2026-notice-001", "--root", str(site))
    assert result.exit_code == 1
    assert "content/jyt/2026/notices/jyt-2026-notice-001.yml: 错误：文件已存在，未覆盖。" in result.output


def test_print_shows_the_skeleton_without_writing(site: Path) -> None:
    result = run("new", "goal", "--dept", "jyt", "--year", "2026", "--id", "jyt-2026-goal-zz", "--print",
                 "--root", str(site))
    assert result.exit_code == 0
    assert result.output.startswith("# 绩效目标：一个文件一条记录（content/jyt/2026/goals/jyt-2026-goal-zz.yml）。\n")
    assert not (site / "content/jyt/2026/goals/jyt-2026-goal-zz.yml").exists()


@pytest.mark.parametrize("args, message", [
    (["goals", "--dept", "jyt", "--year", "2026"], "错误：未知的记录类别“goals”。可选：goal（绩效目标）、"),
    (["goal", "--dept", "xyz", "--year", "2026"],
     "content/departments.yml: 错误：字段“部门代码”（--dept）：部门代码“xyz”未在 content/departments.yml 中登记。已登记的部门代码：jyt、lcj。"),
    (["goal", "--dept", "jyt", "--year", "26x"], "错误：字段“年度”（--year）：值“26x”不是整数。"),
    (["goal", "--dept", "jyt", "--year", "1999"], "错误：字段“年度”（--year）：值 1999 小于允许的最小值 2000。"),
    (["goal", "--year", "2026"], "错误：字段“部门代码”（--dept）：必填字段缺失或为空。"),
    (["goal", "--dept", "jyt", "--year", "2026", "--id", "项目/1"], "错误：字段“记录编号”（--id）：记录编号“项目/1”不能用作网址路径"),
])
def test_bad_options_get_chinese_messages(site: Path, args: list[str], message: str) -> None:
    result = run("new", *args, "--root", str(site))
    assert result.exit_code == 1
    assert message in result.output
    assert not list((site / "content").glob("*/*/*/*-001.yml"))


def test_the_funding_example_is_a_table_validation_accepts() -> None:
    import re

    import yaml

    from generator.editor.skeleton import skeleton
    from generator.model.funding import column_keys

    for name in ("goal", "monitoring", "evaluation"):
        text = skeleton(CATALOG, CATALOG.kinds[name], "jyt", 2026, "x", "content/x.yml")
        block = re.search(r"\nfunding:\n((?:#   .*\n)+)", text).group(1)
        [table] = yaml.safe_load("".join(line[1:] + "\n" for line in block.splitlines()))
        assert None not in column_keys(table["columns"], CATALOG.funding), name
        assert all(len(row) == len(table["columns"]) for row in table["rows"])
