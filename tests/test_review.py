"""`disclose review --base REF`: a throwaway git repository with one commit of a fixture site, then each kind
of change in the working tree, checked in the Markdown and the JSON. The review goes on a pull request, so
it may name withheld records but must never show a withheld value."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import read_site
from generator.cli import main
from generator.reports.review_render import DETAILS, MARKER
from generator.secrecy.redact import redact, secret_texts
from tests.fixtures_site import GOAL, GOAL_PATH, MONITORING_PATH, make_site

EXTRA_PATH = "jyt/2026/goals/jyt-2026-goal-jsjy.yml"
EXTRA = (GOAL.replace("jyt-2026-goal-xszz", "jyt-2026-goal-jsjy")
         .replace("2026年家庭经济困难学生资助补助资金绩效目标", "2026年教师教育专项资金绩效目标")
         .replace("150000261000000101", "150000261000000103")
         .replace("funds_total: 12860.5", "funds_total: 600").replace("funds_fiscal: 12000", "funds_fiscal: 500")
         .replace("funds_carryover: 760.5", "funds_carryover: 60").replace("funds_other: 100", "funds_other: 40")
         .replace("资助学生人次", "培训教师人次").replace("受助学生满意度", "参训教师满意度"))
NEW_PATH = "jyt/2026/goals/jyt-2026-goal-xqjy.yml"
NEW = (GOAL.replace("jyt-2026-goal-xszz", "jyt-2026-goal-xqjy")
       .replace("2026年家庭经济困难学生资助补助资金绩效目标", "2026年学前教育发展资金绩效目标")
       .replace("150000261000000101", "150000261000000104"))
TODAY = "2026-03-01"
ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(root: Path, *args: str) -> str:
    out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=ENV, check=True)
    return out.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "repo", {EXTRA_PATH: EXTRA})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(root: Path, *extra: str) -> tuple[int, str, dict]:
    runner = CliRunner()
    args = ["review", "--base", "main", "--root", str(root), "--today", TODAY]
    md = runner.invoke(main, [*args, *extra])
    js = runner.invoke(main, [*args, *extra, "--format", "json"])
    assert md.exit_code == js.exit_code, (md.output, js.output)
    assert md.exception is None or isinstance(md.exception, SystemExit), md.output
    return md.exit_code, md.stdout, json.loads(js.stdout)


def secrets_of(root: Path) -> set[str]:
    """What the working tree withholds, less the ids the review may name and anything also public."""
    validated = read_site(root)
    redacted = redact(validated.records, validated.catalog)
    public = set()
    for rec in redacted.public:
        for value in [*rec.fields.values(), *(v for row in rec.rows for v in row.values())]:
            public.update(secret_texts(value))
    ids = set(redacted.withheld.records)
    return {s.text for s in redacted.secrets if len(s.text) >= 4 and s.text not in public and s.text not in ids}


def assert_no_secrets(root: Path, *outputs: str) -> None:
    secrets = secrets_of(root)
    assert secrets  # the test would prove nothing without them
    for out in outputs:
        leaked = sorted(s for s in secrets if s in out)
        assert not leaked, leaked


def section(md: str, heading: str) -> str:
    return md.split(heading, 1)[1].split("\n### ", 1)[0]


def test_no_changes(repo):
    code, md, js = run(repo)
    assert code == 0
    assert md.startswith(MARKER + "\n## 公开内容审核摘要\n")
    assert DETAILS in md
    assert "| 新公开的记录 | 0 |" in md and "校验通过。" in md
    assert "与基准版本相比，公开内容没有变化。" in md
    assert js["ok"] is True and js["compared"] is True
    assert js["counts"] == {"new": 0, "changed": 0, "withdrawn": 0, "withheld_records": 0, "withheld_rows": 0,
                            "withheld_fields": 0, "errors": 0, "warnings": 0, "base_errors": 0}
    assert js["base"] == "main" and js["base_commit"] == git(repo, "rev-parse", "HEAD").strip()


def test_new_record(repo):
    (repo / "content" / NEW_PATH).write_text(NEW, encoding="utf-8")
    code, md, js = run(repo)
    assert code == 0
    new = section(md, "### 新公开的记录（1 条）")
    assert "| `jyt-2026-goal-xqjy` | 2026年学前教育发展资金绩效目标 | 绩效目标 | 教育厅（jyt） | 2026 |" in new
    assert "http" not in new and "](" not in new  # nothing to link to before the site is built
    assert js["new"] == [{"id": "jyt-2026-goal-xqjy", "kind": "goal", "kind_title": "绩效目标", "dept": "jyt",
                          "year": 2026, "title": "2026年学前教育发展资金绩效目标", "was_withheld": False}]
    # approved 2026-02-14 + 20 days = 2026-03-06; merged on 2026-03-01 it is on time
    assert js["deadlines"] == [{"id": "jyt-2026-goal-xqjy", "kind": "goal", "due": "2026-03-06", "published": None,
                                "status": "按时", "days_left": 5, "text": "按时（距应公开日期还有 5 天）"}]
    assert "| `jyt-2026-goal-xqjy` | 绩效目标 | 2026年3月6日 | 今天（合并后） | 按时（距应公开日期还有 5 天） |" in md


def test_overdue_new_record(repo):
    (repo / "content" / NEW_PATH).write_text(NEW, encoding="utf-8")
    _, md, js = run(repo, "--today", "2026-04-01")
    assert js["deadlines"][0]["status"] == "逾期"
    assert "逾期 26 天，未填写延期公开原因（delay_reason）" in section(md, "### 公开时限")


def test_changed_field(repo):
    edit(repo, GOAL_PATH, "summary: 资助家庭经济困难学生，保障其顺利完成学业。", "summary: 资助家庭经济困难学生。")
    edit(repo, GOAL_PATH, "funds_total: 12860.5", "funds_total: 12870.5")
    edit(repo, GOAL_PATH, "funds_other: 100", "funds_other: 110")
    code, md, js = run(repo)
    assert code == 0
    changed = section(md, "### 内容有变化的记录（1 条）")
    assert "#### `jyt-2026-goal-xszz` 2026年家庭经济困难学生资助补助资金绩效目标" in changed
    assert "| 摘要（`summary`） | 资助家庭经济困难学生，保障其顺利完成学业。 | 资助家庭经济困难学生。 |" in changed
    assert "| 年度资金总额（`funds_total`） | 12,860.50 | 12,870.50 |" in changed
    assert "| 其他资金（`funds_other`） | 100.00 | 110.00 |" in changed
    assert "绩效指标：" not in changed
    [entry] = js["changed"]
    assert [(f["field"], f["title"], f["old"], f["new"]) for f in entry["fields"]] == [
        ("summary", "摘要", "资助家庭经济困难学生，保障其顺利完成学业。", "资助家庭经济困难学生。"),
        ("funds_total", "年度资金总额", 12860.5, 12870.5), ("funds_other", "其他资金", 100, 110)]
    assert entry["rows"] == {"added": [], "removed": [], "changed": []}
    assert js["new"] == [] and js["withdrawn"] == []


def test_changed_indicator_rows(repo):
    edit(repo, GOAL_PATH, 'target: "85000"', 'target: "90000"')
    edit(repo, GOAL_PATH, "  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 受助学生满意度, operator: \"≥\", "
                          "target: \"95\", unit: \"%\"}\n",
         "  - {level1: 效益指标, level2: 社会效益指标, name: 辍学率, operator: \"≤\", target: \"1\", unit: \"%\"}\n")
    _, md, js = run(repo)
    changed = section(md, "### 内容有变化的记录（1 条）")
    assert "- 修改：产出指标 / 数量指标 / 资助学生人次：指标值 85000 → 90000" in changed
    assert "- 新增：效益指标 / 社会效益指标 / 辍学率（指标值：≤ 1 %）" in changed
    assert "- 删除：满意度指标 / 服务对象满意度指标 / 受助学生满意度（指标值：≥ 95 %）" in changed
    rows = js["changed"][0]["rows"]
    assert [r["label"] for r in rows["added"]] == ["效益指标 / 社会效益指标 / 辍学率"]
    assert [r["label"] for r in rows["removed"]] == ["满意度指标 / 服务对象满意度指标 / 受助学生满意度"]
    assert rows["changed"] == [{"label": "产出指标 / 数量指标 / 资助学生人次", "fields": [
        {"field": "target", "title": "指标值", "old": "85000", "new": "90000", "old_withheld": False,
         "new_withheld": False}]}]


def test_deleted_record(repo):
    (repo / "content" / EXTRA_PATH).unlink()
    _, md, js = run(repo)
    assert "| `jyt-2026-goal-jsjy` | 已删除 | 2026年教师教育专项资金绩效目标 | 绩效目标 | 教育厅（jyt） |" in \
        section(md, "### 撤下的记录（1 条）")
    assert js["withdrawn"] == [{"id": "jyt-2026-goal-jsjy", "kind": "goal", "kind_title": "绩效目标", "dept": "jyt",
                                "year": 2026, "title": "2026年教师教育专项资金绩效目标", "reason": "deleted",
                                "reason_title": "已删除"}]
    assert js["counts"]["withheld_records"] == 0


def test_record_made_confidential(repo):
    edit(repo, MONITORING_PATH, "months: 7\n", "months: 7\nconfidential: true\nconfidential_basis: 国家秘密\n")
    code, md, js = run(repo)
    assert code == 0
    assert "| `lcj-2026-mon-thlc` | 改为不予公开（整条记录） | — | 绩效监控情况 | 林草局（lcj） |" in md
    assert "整条记录不予公开：`lcj-2026-mon-thlc`" in section(md, "### 新增的不予公开内容（仅供审核人）")
    assert js["withheld"]["records"] == ["lcj-2026-mon-thlc"]
    assert js["withdrawn"][0]["reason"] == "confidential" and "title" not in js["withdrawn"][0]
    assert "2026年退化林修复项目绩效目标监控情况" not in md + json.dumps(js, ensure_ascii=False)
    assert_no_secrets(repo, md, json.dumps(js, ensure_ascii=False))


def test_new_confidential_record_is_named_but_not_shown(repo):
    (repo / "content" / NEW_PATH).write_text(NEW.replace("variant: 项目支出", "variant: 项目支出\nconfidential: true\n"
                                                         "confidential_basis: 国家秘密"), encoding="utf-8")
    _, md, js = run(repo)
    assert js["new"] == [] and js["withheld"]["records"] == ["jyt-2026-goal-xqjy"]
    assert "2026年学前教育发展资金绩效目标" not in md
    assert_no_secrets(repo, md, json.dumps(js, ensure_ascii=False))


def test_field_withheld(repo):
    edit(repo, GOAL_PATH, "funds_unit: 万元\n", "funds_unit: 万元\nwithheld_fields: [funds_carryover]\n")
    _, md, js = run(repo)
    withheld = section(md, "### 新增的不予公开内容（仅供审核人）")
    # the carry-over and one more member of its sum, so it cannot be worked out from the others
    assert "- `jyt-2026-goal-xszz`：年度资金总额（`funds_total`）、上年结转（`funds_carryover`）" in withheld
    assert js["withheld"]["fields"] == [{"id": "jyt-2026-goal-xszz", "fields": [
        {"name": "funds_total", "title": "年度资金总额"}, {"name": "funds_carryover", "title": "上年结转"}]}]
    changed = section(md, "### 内容有变化的记录（1 条）")
    assert "| 上年结转（`funds_carryover`） | （原内容不再显示） | **依法不予公开** |" in changed
    fields = {f["field"]: f for f in js["changed"][0]["fields"]}
    assert fields["funds_carryover"] == {"field": "funds_carryover", "title": "上年结转", "old": None, "new": None,
                                         "old_withheld": False, "new_withheld": True}
    out = md + json.dumps(js, ensure_ascii=False)
    for value in ("760.5", "760.50", "12,860.50", "12860.5"):
        assert value not in out
    assert_no_secrets(repo, md, json.dumps(js, ensure_ascii=False))


def test_field_no_longer_withheld_shows_the_new_value(repo):
    edit(repo, GOAL_PATH, "funds_unit: 万元\n", "funds_unit: 万元\nwithheld_fields: [funds_carryover]\n")
    git(repo, "commit", "-q", "-am", "withhold")
    edit(repo, GOAL_PATH, "withheld_fields: [funds_carryover]\n", "")
    _, md, js = run(repo)
    assert "| 上年结转（`funds_carryover`） | 依法不予公开 | 760.50 |" in md
    assert js["withheld"] == {"records": [], "rows": [], "fields": []}


def test_row_withheld(repo):
    edit(repo, GOAL_PATH, 'name: 受助学生满意度, operator: "≥"', 'name: 受助学生满意度, confidential: true, operator: "≥"')
    _, md, js = run(repo)
    assert "- `jyt-2026-goal-xszz`：1 行" in section(md, "### 新增的不予公开内容（仅供审核人）")
    assert js["withheld"]["rows"] == [{"id": "jyt-2026-goal-xszz", "count": 1, "before": 0}]
    assert js["changed"][0]["rows"] == {"added": [], "removed": [], "changed": []}  # not listed as removed
    assert "受助学生满意度" not in md + json.dumps(js, ensure_ascii=False)
    assert_no_secrets(repo, md, json.dumps(js, ensure_ascii=False))


def test_validation_error_fails_and_still_reports(repo):
    edit(repo, GOAL_PATH, "funds_fiscal: 12000", "funds_fiscal: 一万二")
    (repo / "content" / NEW_PATH).write_text(NEW, encoding="utf-8")
    code, md, js = run(repo)
    assert code == 1
    assert "| 校验错误 | 1 |" in md and "**校验未通过：1 个错误，须改正后才能合并。**" in md
    problems = section(md, "### 校验问题（1 个错误，0 个提示）")
    assert "- 错误 `content/jyt/2026/goals/jyt-2026-goal-xszz.yml:14`：字段“其中：财政拨款”（`funds_fiscal`）：" \
           "值“一万二”不是有效的数字。" in problems
    assert js["ok"] is False
    [problem] = js["problems"]
    assert (problem["file"], problem["line"], problem["field"], problem["code"]) == \
        ("content/jyt/2026/goals/jyt-2026-goal-xszz.yml", 14, "funds_fiscal", "type_number")
    assert [r["id"] for r in js["new"]] == ["jyt-2026-goal-xqjy"]  # the rest is still reviewed


def test_validation_error_in_a_confidential_record_shows_no_value(repo):
    edit(repo, MONITORING_PATH, "months: 7\n", "months: 7\nconfidential: true\nconfidential_basis: 国家秘密\n")
    edit(repo, MONITORING_PATH, "budget_initial: 3000", "budget_initial: 约三千零一万")
    code, md, js = run(repo)
    assert code == 1
    assert "约三千零一万" not in md + json.dumps(js, ensure_ascii=False)
    [problem] = js["problems"]
    assert problem["code"] == "review_masked" and problem["field"] == "budget_initial"
    assert problem["message"] == "此处涉及不予公开的内容，审核摘要不显示具体说明（问题代码 type_number）。" \
                                 "请编辑人员在本地运行 disclose validate 查看并改正。"
    assert "- 错误 `content/lcj/2026/monitoring/lcj-2026-mon-thlc.yml:9`：字段“年初预算数”（`budget_initial`）：" \
           "此处涉及不予公开的内容" in md


def test_unreadable_record_is_withdrawn_as_unreadable(repo):
    (repo / "content" / EXTRA_PATH).write_text("id: [unclosed\n", encoding="utf-8")
    code, _, js = run(repo)
    assert code == 1
    assert [(w["id"], w["reason"]) for w in js["withdrawn"]] == [("jyt-2026-goal-jsjy", "unreadable")]


def test_markdown_escapes_titles(repo):
    edit(repo, GOAL_PATH, "title: 2026年家庭经济困难学生资助补助资金绩效目标",
         "title: 2026年资助|资金 <!-- disclose-review --> *绩效目标*")
    _, md, _ = run(repo)
    assert md.count(MARKER) == 1
    assert "2026年资助\\|资金 &lt;!-- disclose-review --&gt; \\*绩效目标\\*" in md


def test_unknown_base_is_a_chinese_error(repo):
    result = CliRunner().invoke(main, ["review", "--base", "origin/nope", "--root", str(repo)])
    assert result.exit_code == 1
    assert "找不到 git 版本“origin/nope”" in result.output
    option = CliRunner().invoke(main, ["review", "--base", "--output=/tmp/x", "--root", str(repo)])
    assert option.exit_code == 1 and "找不到 git 版本“--output=/tmp/x”" in option.output


def test_not_a_git_repository(tmp_path):
    root = make_site(tmp_path / "plain")
    result = CliRunner().invoke(main, ["review", "--base", "main", "--root", str(root)])
    assert result.exit_code == 1
    assert "不在 git 版本库中" in result.output


def test_site_in_a_subdirectory_and_a_base_without_content(tmp_path):
    top = tmp_path / "top"
    top.mkdir()
    (top / "README.md").write_text("x", encoding="utf-8")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "empty")
    root = make_site(top / "site")
    _, _, js = run(root)
    assert sorted(r["id"] for r in js["new"]) == ["jyt-2026-goal-xszz", "lcj-2026-mon-thlc"]
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "site")
    edit(root, MONITORING_PATH, "warning: 绿", "warning: 黄")
    _, _, js = run(root)
    assert [c["id"] for c in js["changed"]] == ["lcj-2026-mon-thlc"] and js["new"] == []


def test_unreadable_configuration_reports_only_the_problem(repo):
    (repo / "site_config.yml").write_text("site: [\n", encoding="utf-8")
    code, md, js = run(repo)
    assert code == 1
    assert js["withdrawn"] == [] and js["new"] == [] and js["counts"]["errors"] >= 1
    assert js["problems"][0]["file"] == "site_config.yml"
    assert "**校验未通过" in md and "修改后的站点无法读取（见下方校验问题），未能与基准版本比较。" in md
    assert js["compared"] is False
