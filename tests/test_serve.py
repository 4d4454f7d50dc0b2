"""`disclose serve` (issue 9, point 4): a saved change reaches the preview; a broken one leaves the last
good preview served and says what is wrong; the reload script lives only in the preview.

The loops below wait for the preview to catch up, up to a generous bound; they do not time it.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.problems import Problem
from generator.serve.http import MARKER, PREFIX, script_tag
from generator.serve.preview import Preview, is_loopback, snapshot
from tests.fixtures_site import GOAL, GOAL_PATH, make_site

PAGE = "records/jyt-2026-goal-xszz/"
OLD_TITLE = "2026年家庭经济困难学生资助补助资金绩效目标"
NEW_TITLE = "2026年家庭经济困难学生资助补助资金绩效目标（预览改动）"
BOUND = 30.0
# Preview requests must not go through a proxy set in the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> tuple[int, str]:
    try:
        with _OPENER.open(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def status(preview: Preview) -> dict:
    code, text = fetch(preview.url + PREFIX.lstrip("/") + "status.json")
    assert code == 200
    return json.loads(text)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"preview did not catch up within {BOUND:.0f} s: {what}"
        time.sleep(0.2)


def edit_goal(root: Path, old: str, new: str) -> None:
    path = root / "content" / GOAL_PATH
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site-root")


@pytest.mark.parametrize("watch", ["auto", "poll"])
def test_a_saved_title_reaches_the_served_page(site: Path, watch: str):
    log: list[str] = []
    with Preview(site, port=0, watch=watch, log=log.append) as preview:
        wait_for(lambda: status(preview)["build"] == 1, "first build")
        code, page = fetch(preview.url + PAGE)
        assert code == 200 and f"<title>{OLD_TITLE} - " in page
        assert script_tag(1) in page

        edit_goal(site, f"title: {OLD_TITLE}", f"title: {NEW_TITLE}")
        wait_for(lambda: NEW_TITLE in fetch(preview.url + PAGE)[1], "the new title")

        assert status(preview) == {"build": 2, "ok": True, "building": False, "attempts": 2,
                                   "headline": "", "problems": []}
        assert script_tag(2) in fetch(preview.url + PAGE)[1]
    assert f"检测到改动：content/{GOAL_PATH}" in log
    assert any(line.startswith("预览已更新（第 2 版，2 条公开记录，用时 ") for line in log)
    assert not preview.work.exists()  # stopping removes the temporary preview


def test_a_broken_edit_keeps_the_last_good_page_and_reports_the_problem(site: Path):
    log: list[str] = []
    with Preview(site, port=0, log=log.append) as preview:
        wait_for(lambda: status(preview)["build"] == 1, "first build")

        edit_goal(site, "funds_total: 12860.5", "funds_total: 一万二")
        wait_for(lambda: status(preview)["ok"] is False, "the failed build")

        problem = (f"content/{GOAL_PATH}:13: 错误：字段“年度资金总额”（funds_total）：值“一万二”不是有效的数字。"
                   "应填写数字，如 1250 或 1,250.50（金额可带“元”或“万元”）。")
        headline = ("预览未更新：生成失败，共 1 个问题。浏览器中仍显示上一次成功生成的预览；"
                    "改正并保存后会自动重新生成。")
        now = status(preview)
        assert (now["build"], now["headline"], now["problems"]) == (1, headline, [problem])
        assert problem in log and headline in log
        code, page = fetch(preview.url + PAGE)
        assert code == 200 and f"<title>{OLD_TITLE} - " in page and script_tag(1) in page

        # Fixed and saved: a new preview, and the banner's reason is gone.
        edit_goal(site, "funds_total: 一万二", "funds_total: 12860.5")
        wait_for(lambda: status(preview)["build"] == 2, "the repaired build")
        assert status(preview)["ok"] is True and status(preview)["problems"] == []


def test_until_a_first_build_passes_every_page_explains_and_waits(site: Path):
    (site / "content" / GOAL_PATH).write_text(GOAL.replace("approved_on: 2026-02-14", "approved_on: 2026-02-30"),
                                            encoding="utf-8")
    with Preview(site, port=0, log=lambda _: None) as preview:
        wait_for(lambda: status(preview)["ok"] is False, "the failed first build")
        assert status(preview)["build"] == 0
        code, page = fetch(preview.url + PAGE)
        assert code == 503
        assert "预览尚未生成：记录有问题" in page and "预览尚未生成；改正并保存后会自动重新生成。" in page
        assert "值“2026-02-30”不是有效日期" in page and script_tag(0) in page

        edit_goal(site, "approved_on: 2026-02-30", "approved_on: 2026-02-14")
        wait_for(lambda: fetch(preview.url + PAGE)[0] == 200, "the repaired first build")


def test_the_preview_is_the_build_plus_only_the_reload_script(site: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["build", "--root", str(site), "--out", str(tmp_path / "built")])
    assert result.exit_code == 0, result.output
    # The build says where the site is and how to look at it.
    assert f"输出到 {tmp_path / 'built'}" in result.output
    assert f"python3 -m http.server -d {tmp_path / 'built'}" in result.output and "disclose serve" in result.output
    leaked = [p for p in (tmp_path / "built").rglob("*")
              if p.is_file() and (PREFIX.encode() in p.read_bytes() or MARKER.encode() in p.read_bytes())]
    assert leaked == []

    with Preview(site, port=0, log=lambda _: None) as preview:
        wait_for(lambda: status(preview)["build"] == 1, "first build")
        built = (preview.current() / PAGE / "index.html").read_text(encoding="utf-8")
        assert PREFIX not in built
        served = fetch(preview.url + PAGE)[1]
        assert served.replace(script_tag(1), "") == built
        code, script = fetch(preview.url + PREFIX.lstrip("/") + "reload.js")
        assert code == 200 and "location.reload()" in script and f'"{PREFIX}status.json"' in script
        assert "http" not in script  # nothing fetched from elsewhere
        code, page = fetch(preview.url + "records/no-such-record/")
        assert code == 404 and "预览中没有这个页面" in page and script_tag(1) in page


def test_only_loopback_without_an_explicit_host():
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.10", "::"))
    with pytest.raises(ValueError):
        Preview(Path("."), host="0.0.0.0", port=0)


def test_an_explicit_remote_host_warns_in_chinese_and_ctrl_c_stops_cleanly(site: Path):
    cmd = [sys.executable, "-c", "from generator.cli import main; main()",
           "serve", "--root", str(site), "--host", "0.0.0.0", "--port", "0"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    # Should the preview never report, the reads below end (at EOF) instead of hanging the test run.
    guard = threading.Timer(4 * BOUND, proc.kill)
    guard.start()
    try:
        lines: list[str] = []
        while not any(line.startswith(("预览已更新", "预览未更新")) for line in lines):
            line = proc.stderr.readline()
            assert line, "\n".join(lines)
            lines.append(line.rstrip("\n"))
        assert lines[-1].startswith("预览已更新"), "\n".join(lines)
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=BOUND)
    finally:
        guard.cancel()
        if proc.poll() is None:
            proc.kill()
    warning = "注意：" + Problem("serve_remote_host", params={"host": "0.0.0.0"}).message
    assert lines[0] == warning
    assert "只应在可信的内部网络中这样做" in warning
    assert lines[1].startswith("预览地址：http://0.0.0.0:")
    assert proc.returncode == 0
    assert rest.splitlines()[-1] == "预览已停止。" and "Traceback" not in rest


def test_a_port_in_use_is_a_chinese_error(site: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--root", str(site), "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr == (f"错误：端口 {port} 已被占用（可能已有一个预览在运行）。请先停止它，或用 --port 换一个端口，"
                             "如 --port 8001；--port 0 表示任选一个空闲端口。\n")


def test_polling_sees_a_saved_file(site: Path):
    before = snapshot(site)
    assert str(site / "site_config.yml") in before and str(site / "content" / GOAL_PATH) in before
    edit_goal(site, f"title: {OLD_TITLE}", f"title: {NEW_TITLE}")
    assert snapshot(site) != before
