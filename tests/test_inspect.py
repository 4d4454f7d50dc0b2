"""`disclose inspect` (issue 22): the government website inspection items checkable from a built site
and its log. Planted faults are found and fail the command; the example site passes."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.log.publish import publish_log
from tests.fixtures_site import GOAL, GOAL_PATH, PROJECT, make_site

UTC = timezone.utc


def _inspect(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["inspect", "--root", str(root), *args])
    return result.exit_code, result.output


def _items(output: str) -> dict[str, dict]:
    return {i["item"]: i for i in json.loads(output)["items"]}


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    """The monitoring table published 2026-01-10 and not since (stale by 2026-09-10), the goal
    2026-09-01; five record kinds have no record (empty columns); a broken link and a missing anchor."""
    root = make_site(tmp_path_factory.mktemp("planted"), {GOAL_PATH: None})
    publish_log(root, commit="0" * 40, now=datetime(2026, 1, 10, 2, 0, tzinfo=UTC))
    (root / "content" / GOAL_PATH).parent.mkdir(parents=True, exist_ok=True)
    (root / "content" / GOAL_PATH).write_text(GOAL, encoding="utf-8")
    publish_log(root, commit="1" * 40, now=datetime(2026, 9, 1, 2, 0, tzinfo=UTC))
    build(root, root / "site")
    page = root / "site" / "goals" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", '<a href="../no-such-column/">坏链接</a>'
                                 '<a href="../monitoring/#no-such-anchor">坏锚点</a></article>', 1), encoding="utf-8")
    return root


def test_planted_faults_are_found_and_fail(planted: Path) -> None:
    code, out = _inspect(planted, "--as-of", "2026-09-10", "--format", "json")
    assert code == 1
    items = _items(out)
    links = items["链接可用性"]
    assert not links["ok"] and links["blocking"]
    assert any("goals/index.html → ../no-such-column/" in d and "页面不存在" in d for d in links["details"])
    assert any("#no-such-anchor" in d and "锚点" in d for d in links["details"])
    empty = items["无空白栏目"]
    assert not empty["ok"] and empty["category"] == "单项否决"  # five empty columns: the national threshold
    assert sorted(d.split("（")[0] for d in empty["details"]) == sorted(
        ["事前评估结果", "部门评价结果", "财政评价结果", "绩效监控报告", "通知公告与工作动态"])
    stale = items["栏目及时更新"]
    assert not stale["ok"]
    assert [d.split("（")[0] for d in stale["details"]] == ["绩效监控情况"]
    assert "243 天未更新" in stale["details"][0]
    assert items["首页及时更新"]["ok"]  # the goal of 9-01 is 9 days old


def test_home_page_not_updated_is_a_veto(planted: Path) -> None:
    code, out = _inspect(planted, "--as-of", "2026-10-01", "--format", "json")
    home = _items(out)["首页及时更新"]
    assert code == 1 and not home["ok"] and home["verdict"] == "否决"
    assert "30 天" in home["summary"]


@pytest.fixture(scope="module")
def example(example_build) -> Path:
    return example_build.root


def test_example_site_passes(example: Path) -> None:
    code, out = _inspect(example, "--as-of", "2026-11-25", "--format", "json")
    assert code == 0, out
    items = _items(out)
    for name in ("首页及时更新", "无空白栏目", "链接可用性", "附件可下载", "不加载外部资源", "站内搜索可用",
                 "页脚标识信息", "我为政府网站找错入口"):
        assert items[name]["ok"], (name, items[name])
    search = items["站内搜索可用"]["summary"]
    assert "找到对应页面 30 次" in search and "检索 30 次" in search


def test_text_and_markdown_scorecards_in_chinese(example: Path) -> None:
    code, text = _inspect(example, "--as-of", "2026-11-25")
    assert code == 0 and text.startswith("政府网站检查") and "结论：" in text and "[通过] 链接可用性" in text
    _, md = _inspect(example, "--as-of", "2026-11-25", "--format", "markdown")
    assert md.startswith("<!-- disclose-inspect -->\n## 政府网站检查")
    assert "| 链接可用性 | 扣分 | ✅ 通过 |" in md


def test_mislabelled_or_missing_attachment_fails(example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(example / "site", site)
    docs = sorted(site.glob("records/*/*.docx"))
    assert docs, "the example ships a .docx attachment"
    docs[0].write_bytes(b"%PDF-1.7 not a word file")
    data = sorted((site / "data").glob("*.csv"))[0]
    data.unlink()
    code, out = _inspect(example, "--site", str(site), "--as-of", "2026-11-25", "--format", "json")
    files = _items(out)["附件可下载"]
    assert code == 1 and not files["ok"]
    assert any(docs[0].name in d and "内容不是 .docx" in d for d in files["details"])
    assert any(data.name in d and "文件不存在" in d for d in files["details"])


def test_search_that_cannot_answer_is_found(example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(example / "site", site)
    for chunk in (site / "pagefind" / "index").iterdir():
        chunk.write_bytes(b"")
    code, out = _inspect(example, "--site", str(site), "--as-of", "2026-11-25", "--format", "json")
    assert not _items(out)["站内搜索可用"]["ok"]


def test_external_resource_and_missing_footer_are_found(example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(example / "site", site)
    about = site / "about" / "index.html"
    html = about.read_text(encoding="utf-8")
    html = html.replace("</head>", '<script src="https://cdn.example.com/x.js"></script></head>', 1)
    html = html.replace("网站标识码：1500000021", "", 1)
    about.write_text(html, encoding="utf-8")
    _, out = _inspect(example, "--site", str(site), "--as-of", "2026-11-25", "--format", "json")
    items = _items(out)
    assert items["不加载外部资源"]["details"] == ["about/index.html：<script> 引用外部资源 https://cdn.example.com/x.js"]
    assert items["页脚标识信息"]["details"] == ["about/index.html：缺少网站标识码"]


def test_no_site_is_a_chinese_message(tmp_path: Path) -> None:
    root = make_site(tmp_path)
    code, out = _inspect(root)
    assert code == 1 and "没有生成好的网站" in out


def test_fail_on_errors_ignores_the_content_age_but_not_broken_links(planted: Path, example: Path) -> None:
    # The example is 183+ days stale in some columns and, in 2027, on its home page: a veto, not a bug.
    assert _inspect(example, "--as-of", "2027-06-01")[0] == 1
    assert _inspect(example, "--as-of", "2027-06-01", "--fail-on", "errors")[0] == 0
    assert _inspect(planted, "--as-of", "2026-09-10", "--fail-on", "errors")[0] == 1


def test_pull_request_and_publish_workflows_run_it() -> None:
    import yaml

    for name, job in (("pr.yml", "check"), ("publish.yml", "publish")):
        workflow = yaml.safe_load((PROJECT / ".github/workflows" / name).read_text(encoding="utf-8"))
        runs = [s.get("run", "") for s in workflow["jobs"][job]["steps"]]
        at = next(i for i, r in enumerate(runs) if "disclose inspect --site site" in r)
        assert any(r.startswith("disclose build") or "disclose publish" in r for r in runs[:at]), name
    pr = (PROJECT / ".github/workflows/pr.yml").read_text(encoding="utf-8")
    assert "<!-- disclose-inspect -->" in pr
