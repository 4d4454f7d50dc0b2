"""Content stays inside the site root (issue 17, point 5): a symbolic link under content/ whose target
leaves the site root is refused, naming the link and never the target or its text; quoted values in
messages are cut to a short excerpt."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.problems import Problem
from tests.fixtures_site import GOAL, GOAL_PATH, make_site

SECRET = "仓库以外的机密文字甲乙丙丁"
OUTSIDE_RECORD = GOAL.replace("jyt-2026-goal-xszz", "jyt-2026-goal-outside").replace(
    "2026年家庭经济困难学生资助补助资金绩效目标", SECRET)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "record.yml").write_text(OUTSIDE_RECORD, encoding="utf-8")
    (folder / "notes.txt").write_text(f"{SECRET}\n不是 YAML: [\n", encoding="utf-8")
    return folder


def _run(args: list[str]):
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("link, target", [
    ("jyt/2026/goals/jyt-2026-goal-outside.yml", "record.yml"),     # a record published from outside
    ("jyt/2026/goals/jyt-2026-goal-notes.yml", "notes.txt"),        # any file, its text in a YAML error
    ("jyt/2026/notices", "."),                                       # a whole folder
])
def test_link_leaving_the_root_is_refused_without_its_target(tmp_path: Path, outside: Path, link: str, target: str):
    root = make_site(tmp_path / "repo")
    path = root / "content" / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside / target)
    for args in (["validate", "--root", str(root)], ["validate", "--root", str(root), "--format", "json"],
                 ["build", "--root", str(root), "--out", str(tmp_path / "site")]):
        result = _run(args)
        assert result.exit_code == 1, result.output
        assert "符号链接" in result.output and f"content/{link}" in result.output
        assert SECRET not in result.output and str(outside) not in result.output
    assert not (tmp_path / "site").exists()


def test_departments_and_register_links_are_refused(tmp_path: Path, outside: Path):
    root = make_site(tmp_path / "repo")
    (root / "content" / "register.csv").symlink_to(outside / "notes.txt")
    result = _run(["build", "--root", str(root), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1 and "content/register.csv" in result.output and SECRET not in result.output
    (root / "content" / "register.csv").unlink()
    (root / "content" / "departments.yml").unlink()
    (root / "content" / "departments.yml").symlink_to(outside / "notes.txt")
    result = _run(["validate", "--root", str(root)])
    assert result.exit_code == 1 and "符号链接" in result.output and SECRET not in result.output


def test_links_inside_the_root_still_work(tmp_path: Path):
    root = make_site(tmp_path / "repo", {GOAL_PATH: None})
    shared = root / "shared"
    shared.mkdir()
    (shared / "goal.yml").write_text(GOAL, encoding="utf-8")
    (root / "content" / GOAL_PATH).parent.mkdir(parents=True, exist_ok=True)
    (root / "content" / GOAL_PATH).symlink_to(shared / "goal.yml")
    (root / "content" / "jyt" / "loop").symlink_to(root / "content" / "jyt")  # a loop ends, not hangs
    result = _run(["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output


def test_quoted_values_are_cut_to_an_excerpt():
    long = "长" * 100_000
    p = Problem("type_number", "content/x.csv", 2, "funds_total", params={"value": long})
    assert len(p.render()) < 300 and "共 100000 个字符" in p.render()
    assert len(p.to_json()["message"]) < 300


def test_a_huge_cell_is_quoted_as_an_excerpt(tmp_path: Path):
    root = make_site(tmp_path / "repo")
    header = "id,title,summary,variant,approved_on,funds_unit,funds_total\n"
    row = f"jyt-2026-goal-big,大金额,摘要,项目支出,2026-02-14,万元,{'9' * 5000}x\n"
    (root / "content" / "jyt" / "2026" / "goals" / "big.csv").write_text(header + row, encoding="utf-8")
    result = _run(["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert "9" * 200 not in result.output and "个字符" in result.output
