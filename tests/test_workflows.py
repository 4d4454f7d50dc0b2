"""The GitHub workflows: actionlint and zizmor (offline) find nothing, every action is pinned to a commit,
permissions start from none, and what the workflows rely on (the review's marker, the README's secret and
variable names) is what the code and the documentation say."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from generator.reports.review_render import DETAILS, MARKER

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
OURS = [WORKFLOWS / "pr.yml", WORKFLOWS / "publish.yml", WORKFLOWS / "platform.yml",
        WORKFLOWS / "build-matrix.yml"]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def tool(name: str) -> str:
    """The test extra installs these beside Python; a missing one is a broken install, not a skip."""
    here = Path(sysconfig.get_path("scripts")) / name
    found = str(here) if here.is_file() else shutil.which(name)
    assert found, f"{name} not installed: run python3 -m pip install -e '.[test]'"
    return found


def all_workflows() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_actionlint_finds_nothing():
    # shellcheck (also from the test extra) lets actionlint check every `run:` script too
    env_path = f"{Path(tool('shellcheck')).parent}:{Path(tool('actionlint')).parent}"
    out = subprocess.run([tool("actionlint"), "-no-color", *map(str, all_workflows())], capture_output=True,
                         text=True, cwd=ROOT, timeout=120, env={"PATH": env_path + ":/usr/bin:/bin"})
    assert out.returncode == 0 and out.stdout == "", out.stdout + out.stderr


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_zizmor_finds_nothing(persona):
    paths = all_workflows() if persona == "regular" else OURS
    out = subprocess.run([tool("zizmor"), "--offline", "--no-progress", "--format", "json", "--persona", persona,
                          *map(str, paths)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    findings = json.loads(out.stdout or "[]")
    assert findings == [], json.dumps(findings, ensure_ascii=False, indent=1)[:4000]
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_actions_are_pinned_and_permissions_start_from_none(path):
    text = path.read_text(encoding="utf-8")
    workflow = load(path)
    assert workflow["permissions"] == {}
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, job_id
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert uses
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), (ref, comment)
    for job_id, step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, job_id
        # untrusted text reaches scripts only through the environment
        assert "${{" not in step.get("run", ""), (job_id, step.get("name"))


def test_pr_workflow_runs_the_review_and_updates_one_comment():
    workflow = load(WORKFLOWS / "pr.yml")
    assert set(workflow[True]) == {"pull_request"}  # never pull_request_target: PR code runs with a read-only token
    runs = "\n".join(step.get("run", "") for _, step in steps(workflow))
    assert 'disclose review --base "origin/${BASE_REF}"' in runs and "$GITHUB_STEP_SUMMARY" in runs
    for command in ("ruff check .", "python -m pytest", "disclose validate", "disclose log verify --chain-only",
                    "disclose build --out site", "python -m pip install -e '.[test]'"):
        assert command in runs, command
    assert MARKER in runs and DETAILS in runs
    assert workflow["jobs"]["comment"]["permissions"] == {"pull-requests": "write"}
    assert not any(s.get("uses", "").startswith("actions/checkout@") for s in workflow["jobs"]["comment"]["steps"])
    checkout = next(s for _, s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    jobs = {job.get("name") for job in workflow["jobs"].values()}
    assert {"审核摘要", "校验与测试"} <= jobs
    for name in ("审核摘要", "校验与测试"):  # the required status checks the README asks for
        assert f"`{name}`" in README


def test_pr_workflow_checks_the_log_against_the_base_branch():
    runs = "\n".join(step.get("run", "") for _, step in steps(load(WORKFLOWS / "pr.yml")))
    assert 'disclose log verify --chain-only --base "origin/${BASE_REF}"' in runs


def test_publish_workflow():
    workflow = load(WORKFLOWS / "publish.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    runs = "\n".join(step.get("run", "") for _, step in steps(workflow))
    # The log is checked against the last published head's tag first, then appended, verified, pushed,
    # and the new head tagged.
    order = [runs.index(s) for s in ('--base "$last"', "disclose publish", "disclose log verify\n", "HEAD:main",
                                     'git tag -a "$tag" -F site/log/head.json')]
    assert order == sorted(order)
    assert "[skip ci]" in runs
    jobs = workflow["jobs"]
    assert jobs["pages"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["pages"]["if"] == "vars.DEPLOY_TARGET != 's3'" and jobs["s3"]["if"] == "vars.DEPLOY_TARGET == 's3'"
    assert "disclose deploy site --to" in runs and "--endpoint" in runs and "aws s3" not in runs


def test_readme_names_every_secret_variable_and_environment_the_workflows_read():
    section = README.split("## Review and deploy", 1)[1].split("\n## ", 1)[0]
    text = "".join(p.read_text(encoding="utf-8") for p in OURS)
    names = set(re.findall(r"\b(?:secrets|vars)\.([A-Z0-9_]+)", text))
    assert names >= {"PUBLISH_TOKEN", "DEPLOY_TARGET", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID",
                     "S3_SECRET_ACCESS_KEY"}
    for name in names:
        assert f"`{name}`" in section, name
    for path in OURS:
        for job in load(path)["jobs"].values():
            env = job.get("environment", {}).get("name")
            if env:
                assert f"`{env}`" in section, env
    assert "must be private" in section and "CODEOWNERS.example" in section


def test_codeowners_template_maps_every_department():
    owners = (ROOT / ".github" / "CODEOWNERS.example").read_text(encoding="utf-8")
    departments = yaml.safe_load((ROOT / "content" / "departments.yml").read_text(encoding="utf-8"))
    for dept in departments:
        assert re.search(rf"^/content/{dept['code']}/\s+@\S+", owners, flags=re.M), dept["code"]


def _script(path: Path, job: str, name: str) -> tuple[str, dict]:
    step = next(s for s in load(path)["jobs"][job]["steps"] if s.get("name") == name)
    return step["run"], step.get("env", {})


FAKE_GH = """#!/bin/sh
# Records each call; answers the comment listing with $FAKE_ID (empty: no comment yet).
echo "$*" >> "$CALLS"
case "$*" in
  *--paginate*) [ -n "$FAKE_ID" ] && echo "$FAKE_ID" ;;
  *"body=@comment.md"*) cp comment.md "$SENT" ;;
esac
exit 0
"""


@pytest.mark.parametrize("existing", ["4711", ""])
def test_comment_step_updates_its_one_comment_in_place(tmp_path, existing):
    run, _ = _script(WORKFLOWS / "pr.yml", "comment", "发表或更新评论")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    review = f"{MARKER}\n## 公开内容审核摘要\n\n{DETAILS}\n\n### 新公开的记录（1 条）\n"
    (tmp_path / "review.md").write_text(review, encoding="utf-8")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CALLS": str(tmp_path / "calls"), "SENT": str(tmp_path / "sent"),
           "FAKE_ID": existing, "REPO": "org/content", "PR": "12", "RUN_URL": "https://example.org/run/1",
           "LC_ALL": "C.UTF-8"}
    out = subprocess.run(["bash", "-e", "-c", run], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    calls = (tmp_path / "calls").read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("api --paginate repos/org/content/issues/12/comments --jq ")
    assert MARKER in calls[0] and "github-actions[bot]" in calls[0]
    if existing:
        assert calls[1] == "api --method PATCH repos/org/content/issues/comments/4711 -F body=@comment.md"
    else:
        assert calls[1] == "api --method POST repos/org/content/issues/12/comments -F body=@comment.md"
    assert (tmp_path / "sent").read_text(encoding="utf-8") == review


def test_comment_step_cuts_a_long_review_at_the_details(tmp_path):
    run, _ = _script(WORKFLOWS / "pr.yml", "comment", "发表或更新评论")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    head = f"{MARKER}\n## 公开内容审核摘要\n\n| 新公开的记录 | 9000 |\n\n{DETAILS}\n"
    (tmp_path / "review.md").write_text(head + "| `x` | 很长的标题 |\n" * 9000, encoding="utf-8")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CALLS": str(tmp_path / "calls"), "SENT": str(tmp_path / "sent"),
           "FAKE_ID": "", "REPO": "org/content", "PR": "12", "RUN_URL": "https://example.org/run/1",
           "LC_ALL": "C.UTF-8"}
    out = subprocess.run(["bash", "-e", "-c", run], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "sent").read_text(encoding="utf-8") == \
        head + "\n审核摘要较长，完整内容见本次检查的作业摘要：https://example.org/run/1\n"


def _git(cwd: Path, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True, env=env).stdout


def test_log_commit_step_pushes_only_a_changed_log_and_rebases_over_a_new_merge(tmp_path):
    run, _ = _script(WORKFLOWS / "publish.yml", "publish", "提交公开日志")
    remote = tmp_path / "org" / "content.git"
    remote.mkdir(parents=True)
    _git(remote, "init", "-q", "--bare", "-b", "main")
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q", "-b", "main")
    (work / "publication-log.jsonl").write_text("{}\n", encoding="utf-8")
    _git(work, "add", ".")
    _git(work, "commit", "-q", "-m", "base")
    _git(work, "push", "-q", str(remote), "main")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "PUSH_TOKEN": "t0ken",
           "SERVER": f"file://{tmp_path}", "REPO": "org/content"}

    nothing = subprocess.run(["bash", "-e", "-c", run], cwd=work, env=env, capture_output=True, text=True)
    assert nothing.returncode == 0, nothing.stderr
    assert "公开内容无变化" in nothing.stdout
    assert _git(remote, "rev-list", "--count", "main").strip() == "1"

    # another merge lands on main while this publish runs
    other = tmp_path / "other"
    _git(tmp_path, "clone", "-q", str(remote), str(other))
    (other / "content.yml").write_text("x\n", encoding="utf-8")
    _git(other, "add", ".")
    _git(other, "commit", "-q", "-m", "merge")
    _git(other, "push", "-q", "origin", "main")

    (work / "publication-log.jsonl").write_text("{}\n{}\n", encoding="utf-8")
    pushed = subprocess.run(["bash", "-e", "-c", run], cwd=work, env=env, capture_output=True, text=True)
    assert pushed.returncode == 0, pushed.stderr
    log = _git(remote, "log", "--format=%s", "main").splitlines()
    assert log[0].startswith("公开日志：") and log[0].endswith("[skip ci]") and log[1:] == ["merge", "base"]
    assert _git(remote, "show", "main:publication-log.jsonl") == "{}\n{}\n"
    assert "t0ken" not in pushed.stdout + pushed.stderr


def test_build_matrix_workflow_lists_builds_merges_checks_and_deploys():
    workflow = load(WORKFLOWS / "build-matrix.yml")
    assert workflow["concurrency"] == {"group": "publish", "cancel-in-progress": False}  # never beside publish.yml
    jobs = workflow["jobs"]
    assert jobs["shards"]["needs"] == "plan" and jobs["site"]["needs"] == ["plan", "shards"]
    assert jobs["deploy"]["needs"] == "site" and jobs["deploy"]["environment"] == {"name": "s3"}
    assert jobs["shards"]["strategy"]["matrix"]["batch"] == "${{ fromJSON(needs.plan.outputs.batches) }}"
    runs = "\n".join(step.get("run", "") for _, step in steps(workflow))
    order = [runs.index(s) for s in ("disclose build --list-shards",
                                     'disclose build --shard "$id" --out "shards/${id}"',
                                     'disclose build --merge "${dirs[@]}" --out site',
                                     "disclose inspect --site site --fail-on errors", "disclose deploy site --to")]
    assert order == sorted(order)
    uses = [s["uses"].split("@")[0] for _, s in steps(workflow) if "uses" in s]
    assert uses.count("actions/upload-artifact") == 2 and uses.count("actions/download-artifact") == 2


@pytest.mark.parametrize("count", [0, 3, 45])
def test_build_matrix_spreads_the_shards_over_at_most_twenty_jobs(tmp_path, count):
    run, env = _script(WORKFLOWS / "build-matrix.yml", "plan", "列出分片")
    ids = [f"d{i % 7}-{2020 + i // 7}" for i in range(count)]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "disclose").write_text("#!/bin/sh\nprintf '%s' \"$FAKE_IDS\"\n", encoding="utf-8")
    (bin_dir / "disclose").chmod(0o755)
    fake_env = {**env, "PATH": f"{bin_dir}:{Path(sys.executable).parent}:/usr/bin:/bin",
                "FAKE_IDS": "".join(f"{i}\n" for i in ids), "GITHUB_OUTPUT": str(tmp_path / "out"),
                "LC_ALL": "C.UTF-8"}
    out = subprocess.run(["bash", "-e", "-c", run], cwd=tmp_path, env=fake_env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    outputs = dict(line.split("=", 1) for line in (tmp_path / "out").read_text(encoding="utf-8").splitlines())
    assert outputs["count"] == str(count)
    batches = json.loads(outputs["batches"])
    assert len(batches) == min(count, 20)
    assert sorted(i for b in batches for i in b.split()) == sorted(ids)  # each shard in exactly one job
