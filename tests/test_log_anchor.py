"""The anchored publication log (issue 18, point 6): a build refuses a broken chain; `log verify --base`
proves the log at a git ref is an unchanged prefix; the site publishes its chain head and
`log verify --against` catches a history rewritten with every hash recomputed."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.log import anchor, publog
from generator.log.publish import publish_log
from generator.problems import BuildError
from tests.fixtures_site import GOAL, GOAL_PATH, make_site
from tests.serving import LocalServer

T1 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 3, 20, 2, 0, tzinfo=timezone.utc)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def _site(tmp_path: Path) -> Path:
    """A site in a git repository whose log has three events over two publications, committed."""
    root = make_site(tmp_path)
    publish_log(root, commit="c1", now=T1)
    goal = root / "content" / GOAL_PATH
    goal.write_text(GOAL.replace("按时足额发放国家助学金、奖学金。", "按时足额发放国家助学金。"), encoding="utf-8")
    publish_log(root, commit="c2", now=T2)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "published")
    assert len(publog.read_log(root / publog.LOG_FILE)) == 3
    return root


def _forge(path: Path, days: int = 10) -> None:
    """What a forger with write access does: every event moved earlier, renumbered, every hash recomputed."""
    events = publog.read_log(path)
    path.unlink()
    moved = []
    for e in events:
        e = {k: v for k, v in e.items() if k not in ("prev", "seq")}
        e["time"] = publog.format_time(publog.parse_time(e["time"]) - timedelta(days=days))
        moved.append(e)
    for seq, e in enumerate(moved, start=1):
        e["seq"] = seq
    publog.append(path, moved)
    assert not publog.verify_chain(path), "the forged chain verifies on its own"


def _verify(root: Path, *args: str):
    return CliRunner().invoke(main, ["log", "verify", "--root", str(root), "--chain-only", *args])


def test_build_refuses_a_broken_chain_and_keeps_the_site(tmp_path):
    root = _site(tmp_path)
    out = root / "site"
    build(root, out)
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    path = root / publog.LOG_FILE
    lines = path.read_bytes().split(b"\n")
    lines[0] = lines[0].replace(b"2026-03-01T02:00:00Z", b"2026-02-01T02:00:00Z")
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(BuildError) as err:
        build(root, out)
    assert [p.code for p in err.value.problems] == ["log_chain"]
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_the_site_publishes_the_chain_head(tmp_path):
    root = _site(tmp_path)
    build(root, root / "site")
    events = publog.read_log(root / publog.LOG_FILE)
    published = json.loads((root / "site" / anchor.HEAD_FILE).read_text(encoding="utf-8"))
    assert published == {"seq": 3, "hash": publog.line_hash(publog._lines(root / publog.LOG_FILE)[-1]),
                         "time": events[-1]["time"]}


def _truncate(path: Path) -> None:
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:2]))


def _delete_middle(path: Path) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + lines[2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _remove(path: Path) -> None:
    path.unlink()


def _rewrite_old_line(path: Path) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0].replace(b'"commit":"c1"', b'"commit":"c9"') + b"".join(lines[1:]))


@pytest.mark.parametrize("tamper", [_truncate, _delete_middle, _empty, _remove, _rewrite_old_line, _forge],
                         ids=["truncated", "line deleted", "emptied", "removed", "old line rewritten", "rehashed"])
def test_verify_base_fails_any_change_to_what_the_base_holds(tmp_path, tamper):
    root = _site(tmp_path)
    assert _verify(root, "--base", "HEAD").exit_code == 0
    tamper(root / publog.LOG_FILE)
    result = _verify(root, "--base", "HEAD")
    assert result.exit_code == 1, result.output
    assert "HEAD" in result.output and "publication-log.jsonl" in result.output


def test_verify_base_accepts_appended_events_and_a_base_without_a_log(tmp_path):
    root = _site(tmp_path)
    goal = root / "content" / GOAL_PATH
    goal.write_text(goal.read_text(encoding="utf-8").replace("12860.5", "12861.5").replace("12000", "12001"),
                    encoding="utf-8")
    assert publish_log(root, commit="c3", now=T2 + timedelta(days=1))
    result = _verify(root, "--base", "HEAD")
    assert result.exit_code == 0, result.output
    assert "HEAD 中的日志原样保留" in result.output
    _git(root, "rm", "-q", "--cached", publog.LOG_FILE)
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "no log")
    assert _verify(root, "--base", "HEAD").exit_code == 0
    unknown = _verify(root, "--base", "no-such-ref")
    assert unknown.exit_code == 1 and "找不到版本“no-such-ref”" in unknown.output


def test_a_rewritten_history_fails_against_an_earlier_build_and_the_base(tmp_path):
    """Moving every event ten days earlier turns late publications into timely ones on the compliance
    page; the chain verifies, the earlier copy of the site and git do not."""
    root = _site(tmp_path)
    earlier = tmp_path / "kept-copy"
    build(root, earlier)
    assert _verify(root, "--against", str(earlier)).exit_code == 0
    _forge(root / publog.LOG_FILE)
    assert _verify(root).exit_code == 0  # the chain alone cannot tell
    against = _verify(root, "--against", str(earlier))
    assert against.exit_code == 1 and "已发布的历史被改写" in against.output, against.output
    assert _verify(root, "--base", "HEAD").exit_code == 1


def test_a_truncated_log_fails_against_an_earlier_build(tmp_path):
    root = _site(tmp_path)
    build(root, tmp_path / "kept")
    _truncate(root / publog.LOG_FILE)
    result = _verify(root, "--against", str(tmp_path / "kept"))
    assert result.exit_code == 1 and "只有 2 行" in result.output


def test_verify_against_a_url(tmp_path):
    root = _site(tmp_path)
    build(root, tmp_path / "kept")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "kept"))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = LocalServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert _verify(root, "--against", url).exit_code == 0
        _forge(root / publog.LOG_FILE)
        assert _verify(root, "--against", url).exit_code == 1
        missing = _verify(root, "--against", url + "nothing/")
        assert missing.exit_code == 1 and "无法读取" in missing.output
    finally:
        server.shutdown()
        server.server_close()
