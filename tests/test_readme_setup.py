"""The README's two set-up lines (issue 23): their only copy is in the README, between the markers
`<!-- ci:setup -->` and `<!-- /ci:setup -->`; `.ci/run` reads them from there and runs them as written,
in a fresh clone, with the distribution's python3 and each other supported Python. CI running them is the
proof that they work on a fresh machine; these tests keep the pieces together. The one test here that
runs them itself is opt-in (DISCLOSE_TEST_README_SETUP=1), as it installs everything into a new clone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = ROOT / ".ci" / "run"
STOCK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def setup_lines(readme: str) -> list[str]:
    block = readme.split("<!-- ci:setup -->\n", 1)[1].split("<!-- /ci:setup -->", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith(("```", "#"))]


BUILD_LINE, TEST_LINE = setup_lines(README)


def ci(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(cwd / ".ci" / "run"), *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=60)


def test_the_readme_has_two_setup_lines_that_install_into_a_venv_only():
    assert README.count("<!-- ci:setup -->") == 1 and README.count("<!-- /ci:setup -->") == 1
    assert len(setup_lines(README)) == 2
    assert BUILD_LINE == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/disclose build"
    assert TEST_LINE == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    # Nothing in the README installs into the system's Python.
    for global_install in ("python3 -m pip install", "pip install --user", "--break-system-packages", "sudo pip"):
        assert global_install not in README


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_each_line_parses_as_shell():
    for line in (BUILD_LINE, TEST_LINE):
        proc = subprocess.run(["bash", "-n", "-c", line], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr


def test_the_chinese_quick_start_gives_the_same_lines():
    quick = README.split("## 中文快速上手", 1)[1].split("\n## ", 1)[0]
    assert f"`{BUILD_LINE}`" in quick
    assert f"`{TEST_LINE}`" in quick


def test_ci_runs_the_lines_it_reads_from_the_readme():
    proc = ci("--print-setup")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [BUILD_LINE, TEST_LINE]


def copy_of_ci(tmp_path: Path, readme: str) -> Path:
    (tmp_path / ".ci").mkdir()
    shutil.copy(CI, tmp_path / ".ci" / "run")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    return tmp_path


def test_ci_reads_the_readme_not_a_copy_of_it(tmp_path):
    changed = README.replace(TEST_LINE, TEST_LINE + " -x").replace(BUILD_LINE, BUILD_LINE + " && echo 改过")
    proc = ci("--print-setup", cwd=copy_of_ci(tmp_path, changed))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [BUILD_LINE + " && echo 改过", TEST_LINE + " -x"]


@pytest.mark.parametrize("edit", [
    lambda readme: readme.replace(TEST_LINE, "echo skipped"),                       # would test nothing
    lambda readme: readme.replace(TEST_LINE, TEST_LINE + "\n" + TEST_LINE),         # a third line
    lambda readme: readme.replace("<!-- ci:setup -->", "<!-- setup -->"),           # markers gone
], ids=["no-pytest", "three-lines", "no-markers"])
def test_ci_stops_when_the_readme_lines_are_not_what_it_runs(tmp_path, edit):
    proc = ci("--print-setup", cwd=copy_of_ci(tmp_path, edit(README)))
    assert proc.returncode == 1
    assert "README.md" in proc.stderr


def test_the_supported_python_versions_are_stated_alike_and_tested():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    versions = [c.rsplit(":: ", 1)[1] for c in project["classifiers"]
                if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert versions, "pyproject.toml names no supported Python version"
    assert project["requires-python"] == f">={versions[0]}"
    english = re.search(r"Supported Python versions: ([\d., and]+?) \(", README)
    assert english and re.split(r", | and ", english.group(1)) == versions
    assert f"支持的 Python 版本：{'、'.join(versions)}。" in README
    proc = ci("--print-versions")  # the versions .ci/run runs the set-up lines with
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == versions


@pytest.mark.skipif(not (ROOT / ".git").exists() or shutil.which("git") is None, reason="needs a git clone")
def test_the_venv_and_the_built_site_are_git_ignored():
    for path in (".venv/", ".venv/bin/python", "site/index.html"):
        proc = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", path])
        assert proc.returncode == 0, f"{path} is not git-ignored"


@pytest.mark.skipif(os.environ.get("DISCLOSE_TEST_README_SETUP") != "1",
                    reason=".ci/run runs the README's set-up lines; DISCLOSE_TEST_README_SETUP=1 runs them here too")
def test_the_readme_lines_work_in_a_fresh_clone_with_the_distributions_python(tmp_path):
    python = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else shutil.which("python3")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)  # the committed state
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python3").write_text(f'#!/bin/sh\nexec {python} "$@"\n', encoding="utf-8")
    (tmp_path / "bin" / "python3").chmod(0o755)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DISCLOSE_TEST_README_SETUP", "PYTEST_ADDOPTS")}
    env["PATH"] = f"{tmp_path / 'bin'}:{STOCK_PATH}"

    build = subprocess.run(["bash", "-c", BUILD_LINE], cwd=clone, env=env, capture_output=True, text=True,
                           encoding="utf-8", timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert (clone / "site" / "index.html").is_file()
    assert build.stdout.rstrip().endswith("http://127.0.0.1:8000/")
    # The test line again reuses .venv; here its pytest runs only this file (CI runs the whole suite).
    env["PYTEST_ADDOPTS"] = "tests/test_readme_setup.py"
    tests = subprocess.run(["bash", "-c", TEST_LINE], cwd=clone, env=env, capture_output=True, text=True,
                           encoding="utf-8", timeout=900)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-3000:]
    assert re.search(r"\d+ passed", tests.stdout)
