"""The pre-commit hooks: `disclose validate` on the record files a commit changes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fixtures_site import GOAL, GOAL_PATH, make_site

from generator.cli import main

PROJECT = Path(__file__).resolve().parents[1]
OFFERED = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
LOCAL = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]


def hook(hooks: list[dict], hook_id: str) -> dict:
    return next(h for h in hooks if h["id"] == hook_id)


@pytest.mark.parametrize("hooks", [OFFERED, LOCAL], ids=["offered", "local"])
def test_validate_hook_selects_record_files_only(hooks: list[dict]) -> None:
    h = hook(hooks, "disclose-validate")
    assert shlex.split(h["entry"]) == ["disclose", "validate"]
    assert h.get("pass_filenames", True) is True
    files = re.compile(h["files"])
    for path in ("content/jyt/2026/goals/jyt-2026-goal-xszz.yml", "content/jyt/2026/goals/targets.csv",
                 "content/jyt/2026/goals/targets.indicators.csv", "content/departments.yml"):
        assert files.search(path), path
    for path in ("content/jyt/2026/goals/附件.pdf", "generator/cli/base.py", "README.md", "site_config.yml"):
        assert not files.search(path), path


def test_validate_hook_stops_a_commit_with_a_broken_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, {GOAL_PATH: GOAL.replace("variant: 项目支出", "variant: 项目")})
    monkeypatch.chdir(site)  # pre-commit runs hooks from the repository root, with paths relative to it
    args = shlex.split(hook(OFFERED, "disclose-validate")["entry"])[1:] + [f"content/{GOAL_PATH}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert f"content/{GOAL_PATH}:4: 错误：字段“目标表类型”（variant）：值“项目”不在可选范围内。" in result.output
    (site / "content" / GOAL_PATH).write_text(GOAL, encoding="utf-8")
    assert CliRunner().invoke(main, args).exit_code == 0


def test_local_hooks_keep_generated_files_current() -> None:
    assert hook(LOCAL, "disclose-schema")["entry"] == "disclose schema --check"
    assert hook(LOCAL, "disclose-guide")["entry"] == "disclose guide --check"
    assert re.search(hook(LOCAL, "disclose-schema")["files"], "schemas/kinds.yml")
    assert re.search(hook(LOCAL, "disclose-guide")["files"], "generator/problems/messages.py")
