"""Every command ends in 0, 1 (input or command line) or 2 (internal) with a Chinese message, and a
reader that closes the pipe early (`disclose … | head`) ends it quietly (issue 17, point 8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.fixtures_site import PROJECT, make_site

COMMANDS = [["validate"], ["build"], ["serve"], ["publish"], ["log", "verify"], ["new"], ["import"], ["schema"],
            ["review"], ["compliance"], ["synth"], ["guide"], ["deploy"]]


@pytest.mark.parametrize("args", [["--nope"], ["build", "--nope"], ["compliance", "--format", "xx"], ["new"],
                                  ["serve", "--port", "99999"], ["review", "--today", "2026-13-01"], ["nosuch"]])
def test_a_wrong_command_line_is_exit_1_in_chinese(args: list[str]):
    result = CliRunner().invoke(main, args, prog_name="disclose")
    assert result.exit_code == 1, result.output
    assert "错误：" in result.output and "--help”查看帮助" in result.output
    assert "Usage:" not in result.output and "Error:" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args", COMMANDS)
def test_every_command_has_help_and_exits_0(args: list[str]):
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output


def _cli(args: list[str], **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.Popen([sys.executable, "-c", "from generator.cli import main; main()", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_a_closed_pipe_ends_quietly(tmp_path: Path):
    """`disclose validate --format json | head -c 100`: far more than a pipe holds, the reader gone early."""
    notice = "id: {id}\ntitle: 通知{n}\nsummary: 摘要\nnotice_type: 通知通告\nissued_on: 2026-05-08\nbody: '<script>x</script>正文'\n"
    records = {f"jyt/2026/notices/jyt-2026-notice-n{n}.yml": notice.format(id=f"jyt-2026-notice-n{n}", n=n)
               for n in range(400)}
    root = make_site(tmp_path, records)
    proc = _cli(["validate", "--root", str(root), "--format", "json"])
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(100)
    proc.stdout.close()  # the reader goes away, as `head` does
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert head.startswith(b"{")
    assert err == b"", err.decode(errors="replace")
    assert proc.returncode in (0, 1)


def test_the_same_command_read_to_the_end_succeeds(tmp_path: Path):
    root = make_site(tmp_path)
    proc = _cli(["validate", "--root", str(root), "--format", "json"])
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and out.startswith(b"{") and b"Traceback" not in err
