"""变更记录 names what changed (issue 22): an update's log event lists the changed fields by name, read
from the previous version in git; the record page shows their Chinese titles; a withheld value is never
read into the log or the page."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from generator.build import build
from generator.log import publog
from generator.log.publish import publish_log
from tests.fixtures_site import GOAL_PATH, make_site
from tests.test_review import git

UTC = timezone.utc


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "content" / GOAL_PATH
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _publish(root: Path, day: int) -> list[dict]:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"day {day}")
    head = git(root, "rev-parse", "HEAD").strip()
    return publish_log(root, commit=head, now=datetime(2026, 3, day, 2, 0, tzinfo=UTC))


def test_update_names_the_changed_fields(tmp_path: Path) -> None:
    root = make_site(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    _publish(root, 1)
    _edit(root, "summary: 资助家庭经济困难学生，保障其顺利完成学业。", "summary: 资助家庭经济困难学生，确保应助尽助。")
    _edit(root, 'target: "85000"', 'target: "86000"')
    _edit(root, "funds_other: 100\n", "funds_other: 100\nwithheld_fields: [agency]\n")
    [event] = [e for e in _publish(root, 5) if e["id"] == "jyt-2026-goal-xszz"]
    assert event["event"] == "updated"
    assert event["changed"] == ["summary", "agency", "indicators"]
    # The log stays valid, and the withheld value is not in it.
    log = (root / publog.LOG_FILE).read_text(encoding="utf-8")
    assert not publog.verify_chain(root / publog.LOG_FILE)
    assert "学生资助管理中心" not in log
    assert json.loads(log.splitlines()[-1])["changed"] == ["summary", "agency", "indicators"]
    build(root, root / "site")
    page = (root / "site/records/jyt-2026-goal-xszz/index.html").read_text(encoding="utf-8")
    assert "更新（改动：摘要、实施单位、绩效指标）" in page


def test_without_the_previous_commit_the_update_has_no_list(tmp_path: Path) -> None:
    root = make_site(tmp_path / "plain")
    publish_log(root, commit="not-a-commit", now=datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    _edit(root, "summary: 资助家庭经济困难学生，保障其顺利完成学业。", "summary: 改写的摘要。")
    [event] = publish_log(root, commit=None, now=datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    assert event["event"] == "updated" and "changed" not in event
