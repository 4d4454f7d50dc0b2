"""The publication log: events, hash chain, verify, and `disclose publish` / `disclose log verify`."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures_site import GOAL, GOAL_PATH, MONITORING_PATH, make_site

from generator.cli import main
from generator.log import publog
from generator.log.publish import publish_log
from generator.model.records import PublicRecord
from generator.problems import BuildError

T1 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
T3 = datetime(2026, 3, 3, 2, 0, tzinfo=timezone.utc)


def rec(rid: str, title: str = "标题", amount: str = "100.50", dept: str = "jyt", **extra) -> PublicRecord:
    fields = {"id": rid, "title": title, "dept": dept, "year": 2026, "approved_on": date(2026, 2, 14),
              "funds_total": Decimal(amount), "summary": None, **extra}
    rows = [{"name": "资助学生人次", "target": "85000", "weight": Decimal("10")}]
    return PublicRecord("goal", fields, rows, [])


def step(path: Path, public: list[PublicRecord], now: datetime, **kw) -> list[dict]:
    return publog.append(path, publog.plan(public, publog.read_log(path), now=now, commit="c0ffee", **kw))


def four_lines(tmp_path: Path) -> tuple[Path, list[PublicRecord]]:
    """published a, published b; updated a; withdrawn b."""
    path = tmp_path / publog.LOG_FILE
    step(path, [rec("a"), rec("b")], T1)
    final = [rec("a", amount="200")]
    step(path, [rec("a", amount="200"), rec("b")], T2)
    step(path, final, T3)
    assert [e["event"] for e in publog.read_log(path)] == ["published", "published", "updated", "withdrawn"]
    return path, final


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


# ---- record hash ----------------------------------------------------------------------------------------

def test_record_hash_is_by_value_and_ignores_empty_fields():
    base = publog.record_hash(rec("a"))
    assert base == publog.record_hash(rec("a", amount="100.5"))  # 100.50 and 100.5 are one amount
    assert base == publog.record_hash(rec("a", new_optional_field=None))  # a field added to the schemas
    assert base != publog.record_hash(rec("a", amount="100.51"))
    assert base != publog.record_hash(rec("a", title="另一个标题"))
    withheld = rec("a")
    withheld.withheld = ["funds_other"]
    assert base != publog.record_hash(withheld)
    assert len(base) == 64 and int(base, 16) >= 0


# ---- each event type ---------------------------------------------------------------------------------------

def test_published_event(tmp_path):
    path = tmp_path / publog.LOG_FILE
    new = step(path, [rec("a", title="资助资金绩效目标")], T1, pr=12, reviewer="王审核")
    assert new == [{"seq": 1, "time": "2026-03-01T02:00:00Z", "event": "published", "id": "a", "kind": "goal",
                    "dept": "jyt", "year": 2026,
                    "sha256": publog.record_hash(rec("a", title="资助资金绩效目标")),
                    "commit": "c0ffee", "pr": 12, "reviewer": "王审核", "prev": "0" * 64}]
    line = path.read_text(encoding="utf-8")
    assert line == publog.serialise(new[0]) + "\n"
    assert "资助资金绩效目标" not in line  # no content in the log: a record may become confidential later


def test_updated_event_when_the_public_content_changes(tmp_path):
    path = tmp_path / publog.LOG_FILE
    step(path, [rec("a")], T1)
    new = step(path, [rec("a", amount="999")], T2)
    assert [(e["seq"], e["event"], e["id"]) for e in new] == [(2, "updated", "a")]
    assert new[0]["sha256"] == publog.record_hash(rec("a", amount="999"))
    assert new[0]["prev"] == publog.line_hash(lines_of(path)[0])
    assert "pr" not in new[0] and "reviewer" not in new[0]  # only where the workflow gives them


def test_withdrawn_event_has_no_title_or_content(tmp_path):
    path = tmp_path / publog.LOG_FILE
    step(path, [rec("a"), rec("b", title="将被撤回的记录", dept="lcj")], T1)
    new = step(path, [rec("a")], T2)
    assert new == [{"seq": 3, "time": "2026-03-02T02:00:00Z", "event": "withdrawn", "id": "b", "kind": "goal",
                    "dept": "lcj", "year": 2026, "commit": "c0ffee", "prev": publog.line_hash(lines_of(path)[1])}]
    assert "将被撤回的记录" not in lines_of(path)[2].decode("utf-8")
    # Withdrawn stays withdrawn; publishing the same id again is a new publication.
    assert step(path, [rec("a")], T2) == []
    again = step(path, [rec("a"), rec("b", dept="lcj")], T3)
    assert [(e["event"], e["id"]) for e in again] == [("published", "b")]
    assert publog.verify(path, [rec("a"), rec("b", dept="lcj")]) == []


def test_plan_is_idempotent(tmp_path):
    path = tmp_path / publog.LOG_FILE
    public = [rec("b"), rec("a")]
    first = step(path, public, T1)
    assert [e["id"] for e in first] == ["a", "b"]  # id order: the log does not depend on file order
    before = path.read_bytes()
    assert step(path, [rec("a", amount="100.5"), rec("b")], T2) == []
    assert path.read_bytes() == before


def test_clock_going_back_is_refused(tmp_path):
    path = tmp_path / publog.LOG_FILE
    step(path, [rec("a")], T2)
    with pytest.raises(BuildError) as exc:
        step(path, [rec("a", amount="1")], T1)
    assert exc.value.problems[0].message == ("当前时间 2026-03-01T02:00:00Z 早于公开日志最后一条事件的时间 "
                                             "2026-03-02T02:00:00Z，时间不能倒退。请检查本机时钟后重试；公开日志未改动。")


# ---- verify -----------------------------------------------------------------------------------------------

def test_intact_log_verifies(tmp_path):
    path, final = four_lines(tmp_path)
    assert publog.verify(path, final) == []


def test_crlf_line_endings_still_verify(tmp_path):
    path, final = four_lines(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert publog.verify(path, final) == []


def test_tampered_line_names_that_line(tmp_path):
    path, final = four_lines(tmp_path)
    lines = lines_of(path)
    lines[1] = lines[1].replace(b'"commit":"', b'"commit":"x')
    path.write_bytes(b"".join(lines))
    problems = publog.verify(path, final)
    assert len(problems) == 1
    p = problems[0]
    assert (p.code, p.line) == ("log_chain", 2)
    assert p.render().startswith("publication-log.jsonl:2: 错误：本行写入后被改动：本行现在的哈希为 ")
    assert "而第 3 行记录的上一行哈希（prev）为 " in p.message


def test_tampered_time_names_that_line(tmp_path):
    path, final = four_lines(tmp_path)
    lines = lines_of(path)
    path.write_bytes(b"".join(lines).replace(b"2026-03-02T02:00:00Z", b"2026-03-02T09:00:00Z"))
    assert [(p.code, p.line) for p in publog.verify(path, final)] == [("log_chain", 3)]
    path.write_bytes(b"".join(lines).replace(b"2026-03-02T02:00:00Z", b"2026-02-27T02:00:00Z"))
    problems = publog.verify(path, final)
    assert [(p.code, p.line) for p in problems] == [("log_time_order", 3)]
    assert problems[0].message.startswith("时间 2026-02-27T02:00:00Z 早于第 2 行的 2026-03-01T02:00:00Z：")


def test_removed_line_names_the_line_after_the_gap(tmp_path):
    path, final = four_lines(tmp_path)
    lines = lines_of(path)
    del lines[1]
    path.write_bytes(b"".join(lines))
    problems = publog.verify(path, final)
    assert [(p.code, p.line, p.field) for p in problems] == [("log_seq", 2, "seq")]
    assert problems[0].render() == (
        "publication-log.jsonl:2: 错误：字段“序号”（seq）：序号为 3，应为 2（序号等于行号）。"
        "此行之前有 1 条事件被删除，或事件顺序被调换。请从版本库历史恢复 publication-log.jsonl。")


def test_removed_first_line(tmp_path):
    path, final = four_lines(tmp_path)
    path.write_bytes(b"".join(lines_of(path)[1:]))
    assert [(p.code, p.line) for p in publog.verify(path, final)] == [("log_seq", 1)]


def test_reordered_lines_name_the_first_moved_line(tmp_path):
    path, final = four_lines(tmp_path)
    lines = lines_of(path)
    lines[1], lines[2] = lines[2], lines[1]
    path.write_bytes(b"".join(lines))
    problems = publog.verify(path, final)
    assert [(p.code, p.line) for p in problems] == [("log_seq", 2)]
    assert "序号为 3，应为 2（序号等于行号）。此行之前有 1 条事件被删除，或事件顺序被调换。" in problems[0].message


def test_renumbered_reorder_is_still_caught_by_the_chain(tmp_path):
    path, final = four_lines(tmp_path)
    events = publog.read_log(path)
    events[1], events[2] = events[2], events[1]
    events[1]["seq"], events[2]["seq"] = 2, 3
    path.write_text("".join(publog.serialise(e) + "\n" for e in events), encoding="utf-8")
    assert [(p.code, p.line) for p in publog.verify(path, final)] == [("log_chain", 1)]


def test_malformed_lines(tmp_path):
    path, final = four_lines(tmp_path)
    lines = lines_of(path)
    path.write_bytes(b"".join(lines[:2]) + b'{"seq": 3,\n' + b"".join(lines[3:]))
    problems = publog.verify(path, final)
    assert [(p.code, p.line) for p in problems] == [("log_bad_json", 3)]
    assert problems[0].message.startswith("公开日志本行不是有效的 JSON：第 11 个字符处：")
    with pytest.raises(BuildError) as exc:
        publog.read_log(path)
    assert [p.line for p in exc.value.problems] == [3]

    path.write_bytes(lines[0] + b"\n" + b"".join(lines[1:]))
    assert [(p.code, p.line) for p in publog.verify(path, final)] == [("log_blank_line", 2)]

    bad = json.loads(lines[3])
    bad["sha256"] = "0" * 64
    path.write_bytes(b"".join(lines[:3]) + publog.serialise(bad).encode() + b"\n")
    problems = publog.verify(path, final)
    assert [(p.code, p.line, p.field) for p in problems] == [("log_withdrawn_content", 4, "sha256")]


def test_verify_compares_the_log_with_the_public_records(tmp_path):
    path, final = four_lines(tmp_path)
    changed = publog.verify(path, [rec("a", amount="300")])
    assert [(p.code, p.line) for p in changed] == [("log_hash_mismatch", 3)]
    assert changed[0].message == ("记录“a”的当前内容与它在公开日志中的最新事件（更新）所记哈希不符："
                                  "内容改动后尚未运行 disclose publish，或日志被改动。")
    assert [(p.code, p.line) for p in publog.verify(path, final + [rec("c")])] == [("log_unpublished", None)]
    assert [(p.code, p.line) for p in publog.verify(path, final + [rec("b")])] == [("log_unpublished", 4)]
    missing = publog.verify(path, [])
    assert [(p.code, p.line) for p in missing] == [("log_not_withdrawn", 3)]
    assert "日志缺少撤回（withdrawn）事件" in missing[0].message


def test_last_line_tampered_dept_is_caught_against_the_record(tmp_path):
    path, final = four_lines(tmp_path)
    step(path, final + [rec("c", dept="lcj")], datetime(2026, 3, 4, tzinfo=timezone.utc))
    path.write_bytes(path.read_bytes().replace(b'"dept":"lcj","year":2026,"sha256"', b'"dept":"mzt","year":2026,"sha256"'))
    problems = publog.verify(path, final + [rec("c", dept="lcj")])
    assert [(p.code, p.line, p.field) for p in problems] == [("log_field_mismatch", 5, "dept")]


def test_an_event_with_a_title_is_rejected(tmp_path):
    path, final = four_lines(tmp_path)
    lines = lines_of(path)
    event = json.loads(lines[0])
    event["title"] = "日志中不应有标题"
    path.write_bytes(json.dumps(event, ensure_ascii=False).encode() + b"\n")
    assert [(p.code, p.line, p.field) for p in publog.verify_chain(path)][0][1:] == (1, "title")


# ---- pages ------------------------------------------------------------------------------------------------

def test_history_and_first_published_in_china_time(tmp_path):
    path = tmp_path / publog.LOG_FILE
    step(path, [rec("a")], datetime(2026, 3, 5, 16, 30, tzinfo=timezone.utc))  # 3月6日 00:30 in Beijing
    step(path, [rec("a", amount="1")], datetime(2026, 4, 1, tzinfo=timezone.utc))
    events = publog.read_log(path)
    assert {k: [e["event"] for e in v] for k, v in publog.history(events).items()} == {"a": ["published", "updated"]}
    assert publog.first_published(events) == {"a": date(2026, 3, 6)}


# ---- publish on a site --------------------------------------------------------------------------------------

CONFIDENTIAL_PATH = "jyt/2026/goals/jyt-2026-goal-mm.yml"
CONFIDENTIAL = GOAL.replace("jyt-2026-goal-xszz", "jyt-2026-goal-mm").replace(
    "2026年家庭经济困难学生资助补助资金绩效目标", "涉密专项资金绩效目标") + "confidential: true\nconfidential_basis: 工作秘密\n"


def test_publish_log_is_idempotent(tmp_path):
    root = make_site(tmp_path)
    new = publish_log(root, commit="abc123", now=T1, pr=5, reviewer="王审核")
    assert [(e["event"], e["id"]) for e in new] == [("published", "jyt-2026-goal-xszz"),
                                                     ("published", "lcj-2026-mon-thlc")]
    log = root / publog.LOG_FILE
    before = log.read_bytes()
    assert publish_log(root, commit="def456", now=T2) == []
    assert log.read_bytes() == before


def test_confidential_record_never_reaches_the_log(tmp_path):
    root = make_site(tmp_path, {CONFIDENTIAL_PATH: CONFIDENTIAL})
    publish_log(root, commit="abc123", now=T1)
    publish_log(root, commit="abc123", now=T2)
    text = (root / publog.LOG_FILE).read_text(encoding="utf-8")
    assert "jyt-2026-goal-mm" not in text and "涉密专项资金" not in text
    assert len(text.splitlines()) == 2


def test_record_becoming_confidential_is_withdrawn_without_its_title(tmp_path):
    root = make_site(tmp_path)
    publish_log(root, commit="abc123", now=T1)
    (root / "content" / GOAL_PATH).write_text(GOAL + "confidential: true\nconfidential_basis: 工作秘密\n",
                                               encoding="utf-8")
    new = publish_log(root, commit="abc124", now=T2)
    assert [(e["event"], e["id"]) for e in new] == [("withdrawn", "jyt-2026-goal-xszz")]
    last = (root / publog.LOG_FILE).read_text(encoding="utf-8").splitlines()[-1]
    assert "title" not in json.loads(last) and "家庭经济困难" not in last


def test_publish_log_refuses_invalid_content_and_writes_nothing(tmp_path):
    root = make_site(tmp_path, {MONITORING_PATH: "id: lcj-2026-mon-thlc\n"})
    with pytest.raises(BuildError):
        publish_log(root, commit="abc123", now=T1)
    assert not (root / publog.LOG_FILE).exists()


# ---- command line ---------------------------------------------------------------------------------------------

def test_cli_log_verify(tmp_path):
    root = make_site(tmp_path)
    publish_log(root, commit="abc123", now=T1)
    (root / "content" / GOAL_PATH).write_text(GOAL.replace("12000", "12001").replace("12860.5", "12861.5"),
                                               encoding="utf-8")
    publish_log(root, commit="abc124", now=T2)
    runner = CliRunner()
    ok = runner.invoke(main, ["log", "verify", "--root", str(root)])
    assert ok.exit_code == 0, ok.output
    assert ok.output == "公开日志校验通过：共 3 条事件，哈希链完整，2 条公开记录均与日志一致。\n"

    log = root / publog.LOG_FILE
    lines = lines_of(log)
    log.write_bytes(lines[0] + lines[2])
    bad = runner.invoke(main, ["log", "verify", "--root", str(root)])
    assert bad.exit_code == 1
    assert "publication-log.jsonl:2: 错误：字段“序号”（seq）：序号为 3，应为 2（序号等于行号）。" in bad.output
    assert bad.output.rstrip().endswith("共 1 个问题，未完成。")

    log.write_bytes(b"".join(lines))
    (root / "content" / MONITORING_PATH).unlink()  # removed without publishing
    stale = runner.invoke(main, ["log", "verify", "--root", str(root)])
    assert stale.exit_code == 1 and "lcj-2026-mon-thlc" in stale.output
    chain = runner.invoke(main, ["log", "verify", "--chain-only", "--root", str(root)])
    assert chain.exit_code == 0 and chain.output == "公开日志校验通过：共 3 条事件，哈希链完整。\n"


@pytest.fixture()
def fake_build(monkeypatch):
    """Stands in for build() (the site build) so publish's own part is tested on its own."""
    import generator.build

    calls: list[tuple[Path, Path | None]] = []

    def build(root: Path, out: Path | None = None):
        calls.append((root, out))
        if (root / "FAIL").exists():
            raise BuildError([])

    monkeypatch.setattr(generator.build, "build", build)
    return calls


def test_cli_publish_appends_then_builds(tmp_path, fake_build, monkeypatch):
    monkeypatch.setenv("GITHUB_SHA", "0123abcd")
    root = make_site(tmp_path / "site")
    runner = CliRunner()
    result = runner.invoke(main, ["publish", "--root", str(root), "--out", str(tmp_path / "out"), "--pr", "9",
                                  "--reviewer", "王审核"])
    assert result.exit_code == 0, result.output
    assert result.output == "公开日志已追加 2 条事件（公开 2 条），序号 1–2。\n"
    assert fake_build == [(root, (tmp_path / "out").resolve())]
    events = publog.read_log(root / publog.LOG_FILE)
    assert {(e["commit"], e["pr"], e["reviewer"]) for e in events} == {("0123abcd", 9, "王审核")}
    again = runner.invoke(main, ["publish", "--root", str(root)])
    assert again.exit_code == 0 and again.output == "内容无变化，公开日志未追加事件。\n"
    assert len(fake_build) == 2 and len(publog.read_log(root / publog.LOG_FILE)) == 2


def test_cli_publish_undoes_its_events_when_the_build_fails(tmp_path, fake_build):
    root = make_site(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["publish", "--root", str(root), "--commit", "aaa"]).exit_code == 0
    log = root / publog.LOG_FILE
    before = log.read_bytes()
    (root / "content" / MONITORING_PATH).unlink()
    (root / "FAIL").touch()
    result = runner.invoke(main, ["publish", "--root", str(root), "--commit", "bbb"])
    assert result.exit_code == 1
    assert "站点构建失败，本次未发布；本次新增的 1 条公开日志事件已撤销，公开日志恢复原状。" in result.output
    assert log.read_bytes() == before


def test_cli_publish_on_a_first_run_that_fails_leaves_no_log(tmp_path, fake_build):
    root = make_site(tmp_path)
    (root / "FAIL").touch()
    result = CliRunner().invoke(main, ["publish", "--root", str(root), "--commit", "aaa"])
    assert result.exit_code == 1
    assert not (root / publog.LOG_FILE).exists()
