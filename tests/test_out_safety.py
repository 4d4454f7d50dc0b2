"""`--out` cannot destroy content (issue 17, point 4): outputs that would replace the site's sources, the
repository or a foreign folder are refused with nothing touched; a killed build leaves nothing servable
beside the site, and the next build removes what it left and says so; the site is world-readable."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.site.swap import MARKER, _exchange, work_dir
from tests.fixtures_site import PROJECT, make_site


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(path.rglob("*"))}


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "repo")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "README").write_text("own templates\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("where", ["", "content", "content/jyt", "..", "templates", ".git", ".git/site", "foreign"])
def test_out_that_would_destroy_something_is_refused_and_nothing_is_touched(site_root: Path, where: str):
    if where == "foreign":
        (site_root / "foreign").mkdir()
        (site_root / "foreign" / "notes.txt").write_text("某部门的工作笔记\n", encoding="utf-8")
    parent = site_root.parent
    before = _tree(parent)
    out = (site_root / where) if where else site_root
    result = CliRunner().invoke(main, ["build", "--root", str(site_root), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "不能输出到" in result.output and "未做任何改动" in result.output
    assert "Traceback" not in result.output
    assert _tree(parent) == before


def test_publish_refuses_the_out_before_touching_the_log(site_root: Path):
    log = site_root / "publication-log.jsonl"
    result = CliRunner().invoke(main, ["publish", "--root", str(site_root), "--out", str(site_root / "content")])
    assert result.exit_code == 1, result.output
    assert "不能输出到" in result.output
    assert not log.exists()


def test_rebuild_replaces_a_site_disclose_wrote_and_keeps_nothing_beside_it(site_root: Path, tmp_path: Path):
    out = tmp_path / "public" / "site"
    build(site_root, out)
    assert (out / MARKER).is_file()
    (out / "stale.html").write_text("old", encoding="utf-8")
    build(site_root, out)
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


def test_an_empty_existing_folder_is_accepted(site_root: Path, tmp_path: Path):
    out = tmp_path / "empty"
    out.mkdir()
    build(site_root, out)
    assert (out / "index.html").is_file()


def test_site_is_world_readable_whatever_the_umask(site_root: Path, tmp_path: Path):
    out = tmp_path / "site"
    old = os.umask(0o077)
    try:
        build(site_root, out)
    finally:
        os.umask(old)
    modes = {stat.S_IMODE(p.lstat().st_mode) for p in [out, *out.rglob("*")] if p.is_dir()}
    assert modes == {0o755}
    modes = {stat.S_IMODE(p.lstat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert modes == {0o644}


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("new", encoding="utf-8")
    (b / "x").write_text("old", encoding="utf-8")
    if not _exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) not offered here; the two-rename fallback is used")
    assert (b / "x").read_text(encoding="utf-8") == "new" and (a / "x").read_text(encoding="utf-8") == "old"


def test_a_killed_build_leaves_nothing_servable_and_the_next_build_cleans_up(tmp_path: Path):
    root = tmp_path / "example"
    root.mkdir()
    shutil.copytree(PROJECT / "content", root / "content")
    shutil.copyfile(PROJECT / "site_config.yml", root / "site_config.yml")
    out = tmp_path / "www" / "site"
    build(root, out)
    before = _tree(out)
    staged = work_dir(out) / "site" / "index.html"
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen([sys.executable, "-c", "from generator.cli import main; main()", "build",
                             "--root", str(root), "--out", str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not staged.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the build ended before it could be killed mid-way"
        assert staged.exists(), "no page was staged within 120 s"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # Beside the site only the work folder, which others cannot read; the site itself is untouched.
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, work_dir(out).name])
    assert stat.S_IMODE(work_dir(out).stat().st_mode) == 0o700
    assert _tree(out) == before

    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已清理上次被中断的构建留下的临时文件" in result.output
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


def test_leftovers_of_the_old_swap_are_removed_too(site_root: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(site_root, out)
    for name in (".site.build-abc123", ".site.old-def456"):
        (tmp_path / name / "records").mkdir(parents=True)
        (tmp_path / name / "records" / "index.html").write_text("未经泄密检查的页面", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(site_root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert ".site.build-abc123" in result.output and ".site.old-def456" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]
