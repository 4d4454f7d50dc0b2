"""Two builds of the same commit are byte-identical: times come from the log, never the clock, and
Pagefind's filter index (written in hash-map order) is canonicalised."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from generator.build import build
from generator.log.publish import publish_log
from tests.fixtures_site import make_site
from tests.test_confidentiality import PARTLY_WITHHELD


def _digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_of_one_commit_are_byte_identical(tmp_path):
    root = make_site(tmp_path, {"jyt/2026/goals/jyt-2026-goal-partly.yml": PARTLY_WITHHELD})
    publish_log(root, commit="abc123", now=datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    build(root, tmp_path / "one")
    build(root, tmp_path / "two")
    one, two = _digest(tmp_path / "one"), _digest(tmp_path / "two")
    assert any(name.endswith(".pf_filter") for name in one)
    assert one == two
    page = (tmp_path / "one" / "records" / "jyt-2026-goal-partly" / "index.html").read_text(encoding="utf-8")
    assert "2026年3月1日" in page  # first published, from the log (Beijing time)
