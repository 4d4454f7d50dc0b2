"""The leak guard against a careless editor (issue 18, points 1–3): a piece of a secret in public text is
a leak unless that text is public on its own; one normalisation for secrets and output; clauses down
to guard.min_length. Each case is planted in a fixture site and fails validation (naming both places)
or the build, leaving the site built before it untouched."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from generator.build import build
from generator.build import read_site as check_site
from generator.problems import BuildError
from generator.secrecy import guard
from generator.secrecy.fold import digits_key, fold, fold_bytes
from generator.secrecy.redact import Secret
from tests.fixtures_site import GOAL, GOAL_PATH, MONITORING, MONITORING_PATH, make_site

SECRET_TITLE = "边境林区防火瞭望塔布设方案"
SECRET_CONTACT = "王守林 0471-6945123"
SECRET_ID = "lcj-2026-goal-border"
CONFIDENTIAL = f"""\
id: {SECRET_ID}
title: {SECRET_TITLE}
summary: 瞭望塔选址依据卫星热点分布，配套建设无人机起降平台。
confidential: true
confidential_basis: 可能危及公共安全
variant: 项目支出
project_code: "150000261000000777"
contact: {SECRET_CONTACT}
approved_on: 2026-02-10
"""
CONFIDENTIAL_PATH = f"lcj/2026/goals/{SECRET_ID}.yml"
NOTICE_PATH = "lcj/2026/notices/lcj-2026-notice-fh.yml"


def notice(body: str) -> str:
    return ("id: lcj-2026-notice-fh\ntitle: 关于森林防火工作的通知\nsummary: 森林防火工作安排。\n"
            f"notice_type: 通知通告\nissued_on: 2026-03-01\nbody: \"{body}\"\n")


def _quotes(root: Path) -> list:
    return [p for p in check_site(root).problems if p.code == "quote_of_secret"]


def _site_untouched(root: Path, records: dict[str, str]) -> None:
    """Build a clean site, plant `records`, and prove the build fails and the site is as before."""
    out = root / "site"
    build(root, out)
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for rel, text in records.items():
        (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / rel).write_text(text, encoding="utf-8")
    with pytest.raises(BuildError):
        build(root, out)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# ---- 1. provenance, not excuses ------------------------------------------------------------------------

def test_a_notice_quoting_a_confidential_title_contact_and_id_fails_validation_naming_both(tmp_path):
    root = make_site(tmp_path, {CONFIDENTIAL_PATH: CONFIDENTIAL})
    body = f"经研究，{SECRET_TITLE}由{SECRET_CONTACT}负责（编号 {SECRET_ID}）。"
    _site_untouched(root, {NOTICE_PATH: notice(body)})
    quotes = _quotes(root)
    assert {q.file for q in quotes} == {f"content/{NOTICE_PATH}"}
    sources = {q.params["source"].split(" ")[-1] for q in quotes}
    assert {"title", "contact", "id"} <= sources, sources
    message = quotes[0].render()
    assert f"content/{NOTICE_PATH}:" in message and f"content/{CONFIDENTIAL_PATH}:" in message
    assert SECRET_TITLE not in message and "6945123" not in message  # masked: a build log is no leak


def test_a_withheld_amount_repeated_in_the_same_record_fails(tmp_path):
    goal = GOAL.replace("approved_on:", "withheld_fields: [funds_other]\napproved_on:").replace(
        "summary: 资助家庭经济困难学生，保障其顺利完成学业。", "summary: 资助家庭经济困难学生，其他资金 100.00 万元。")
    root = make_site(tmp_path)
    _site_untouched(root, {GOAL_PATH: goal})
    [quote] = _quotes(root)
    assert quote.file == f"content/{GOAL_PATH}" and quote.field == "summary"
    assert "funds_other" in quote.params["source"]


def test_a_withheld_total_copied_into_another_record_fails(tmp_path):
    goal = GOAL.replace("approved_on:", "withheld_fields: [funds_total]\napproved_on:")
    root = make_site(tmp_path, {GOAL_PATH: goal})
    _site_untouched(root, {NOTICE_PATH: notice("学生资助补助资金全年安排12860.5万元。")})
    [quote] = _quotes(root)
    assert quote.file == f"content/{NOTICE_PATH}" and "funds_total" in quote.params["source"]


def test_a_short_number_in_another_record_is_chance_not_a_quote(tmp_path):
    monitoring = MONITORING.replace("completed_on:", "withheld_fields: [spent_to_date]\ncompleted_on:")
    root = make_site(tmp_path, {MONITORING_PATH: monitoring, NOTICE_PATH: notice("全年培训1600人次。")})
    assert _quotes(root) == []


def test_a_withheld_number_equal_to_another_records_amount_as_the_bulk_files_print_it_builds(tmp_path):
    """A monitoring table filed in 元 is published in the bulk downloads in 万元; a withheld total that
    happens to equal that 万元 value is chance (found at 10,000 synthetic records: a withheld score
    87.06 against another record's 870,600 元), not a leak of the goal's secret."""
    goal = GOAL.replace("approved_on:", "withheld_fields: [funds_total]\napproved_on:")
    monitoring = MONITORING.replace("funds_unit: 万元", "funds_unit: 元").replace(
        "budget_initial: 3000", "budget_initial: 128605000").replace(
        "budget_full_year: 3200", "budget_full_year: 128605000").replace("spent_to_date: 1600", "spent_to_date: 64302500")
    root = make_site(tmp_path, {GOAL_PATH: goal, MONITORING_PATH: monitoring})
    build(root, root / "site")
    bulk = (root / "site" / "data" / "monitoring-2026.csv").read_text(encoding="utf-8-sig")
    assert "12860.5" in bulk  # the monitoring table's 128,605,000 元, as the bulk file prints it
    page = (root / "site" / "records" / "jyt-2026-goal-xszz" / "index.html").read_text(encoding="utf-8")
    assert "12860.5" not in page and "12,860.5" not in page  # the goal's own total stays withheld


def test_the_same_project_shares_its_name_and_template_wording_builds(tmp_path):
    # A public goal and a confidential monitoring table of one project share its name and code.
    monitoring = (MONITORING.replace('project_code: "150000261000000202"', 'project_code: "150000261000000101"')
                  .replace("title: 2026年退化林修复项目绩效目标监控情况",
                           "title: 2026年家庭经济困难学生资助补助资金绩效目标监控情况")
                  .replace("completed_on:", "confidential: true\nconfidential_basis: 工作秘密\ncompleted_on:")
                  .replace("lcj-2026-mon-thlc", "jyt-2026-mon-xszz"))
    root = make_site(tmp_path, {MONITORING_PATH: None, "jyt/2026/monitoring/jyt-2026-mon-xszz.yml": monitoring})
    assert _quotes(root) == []
    build(root, root / "site")


def test_a_reviewed_allow_list_lets_a_phrase_stay_public_and_review_shows_it(tmp_path):
    root = make_site(tmp_path, {CONFIDENTIAL_PATH: CONFIDENTIAL,
                                NOTICE_PATH: notice("配套建设无人机起降平台，方便群众观看。")})
    assert [q.params["hint"] for q in _quotes(root)] == ["配套…（共 11 个字符）"]
    (root / "content" / "public-phrases.yml").write_text(
        "- text: 配套建设无人机起降平台\n  reason: 已在政府工作报告中公开\n", encoding="utf-8")
    assert _quotes(root) == []
    build(root, root / "site")
    from generator.reports.review import allow_list_lines

    assert allow_list_lines(root) == ["配套建设无人机起降平台（理由：已在政府工作报告中公开）"]


def test_a_malformed_allow_list_entry_is_a_located_problem(tmp_path):
    root = make_site(tmp_path, {"public-phrases.yml": "- text: 只有文字没有理由\n"})
    [problem] = [p for p in check_site(root).problems if p.code == "public_phrase_bad"]
    assert problem.file == "content/public-phrases.yml" and problem.line == 1


# ---- 2. one normalisation ------------------------------------------------------------------------------

INVISIBLE = ["\u00ad", "\u2063", "\u180e", "\ufe00", "\u3000", "\u200b", "\u2060", "\ufeff", "\u202e", " ", "\u00a0",
             "\U000e0041"]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_an_invisible_character_inside_a_quote_cannot_hide_it(tmp_path, char):
    hidden = char.join(SECRET_TITLE[:6]) + SECRET_TITLE[6:]
    root = make_site(tmp_path, {CONFIDENTIAL_PATH: CONFIDENTIAL, NOTICE_PATH: notice(f"详见{hidden}。")})
    assert [q.file for q in _quotes(root)] == [f"content/{NOTICE_PATH}"]
    # …and in output bytes, however they got there.
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "page.html").write_text(f"<p>{hidden}</p>", encoding="utf-8")
    assert [p.code for p in guard.check(tmp_path / "out", [Secret(SECRET_TITLE, "x", "涉密记录")], [], [], 4)] \
        == ["leak_found"]


@pytest.mark.parametrize("char", INVISIBLE[:5], ids=[f"U+{ord(c):04X}" for c in INVISIBLE[:5]])
def test_a_secret_written_with_an_invisible_character_is_still_found(tmp_path, char):
    secret = "前置扑火" + char + "物资储备点"
    (tmp_path / "page.html").write_text("<p>前置扑火物资储备点</p>", encoding="utf-8")
    assert len(guard.check(tmp_path, [Secret(secret, "x", "涉密记录")], [], [], 4)) == 1


def test_a_withheld_value_holding_a_zero_width_space_is_found(tmp_path):
    (tmp_path / "page.html").write_text("<p>金丝雀实施单位</p>", encoding="utf-8")
    assert len(guard.check(tmp_path, [Secret("金丝雀\u200b实施单位", "x", "不予公开字段 agency")], [], [], 4)) == 1


@pytest.mark.parametrize("written, plain", [
    ("⽕灾⾼发区", "火灾高发区"),          # Kangxi radicals (U+2F55, U+2F7C)
    ("⼼理健康辅导", "心理健康辅导"),        # Kangxi radical heart (U+2F3C)
    ("⺠族团结进步", "民族团结进步"),        # CJK radicals supplement (U+2EA0), not NFKC's
    ("金\uf900丝雀", "金豈丝雀"),           # CJK compatibility ideograph U+F900 → 豈
    ("ＣＡＮＡＲＹ－７７", "CANARY-77"),     # full-width Latin and digits
    ("①号塔", "1号塔"),                     # circled digit
])
def test_look_alike_characters_fold_to_the_same_text(written, plain):
    assert fold(written) == fold(plain)
    assert fold_bytes(written.encode()) == fold(plain).encode()


def test_a_kangxi_radical_quote_fails_validation(tmp_path):
    secret = CONFIDENTIAL.replace(f"title: {SECRET_TITLE}", "title: 边境火灾高发区心理疏导站方案")
    root = make_site(tmp_path, {CONFIDENTIAL_PATH: secret, NOTICE_PATH: notice("关于边境⽕灾⾼发区⼼理疏导站方案的说明")})
    assert [q.file for q in _quotes(root)] == [f"content/{NOTICE_PATH}"]


@pytest.mark.parametrize("written", ["0471 6945123", "0471.6945123", "(0471)6945123", "0471—694—5123",
                                     "０４７１－６９４５１２３", "04716945123"])
def test_a_phone_number_is_matched_by_its_digits(tmp_path, written):
    root = make_site(tmp_path, {CONFIDENTIAL_PATH: CONFIDENTIAL, NOTICE_PATH: notice(f"咨询电话：{written}。")})
    assert [q.file for q in _quotes(root)] == [f"content/{NOTICE_PATH}"]
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "page.html").write_text(f"<p>电话 {written}</p>", encoding="utf-8")
    assert len(guard.check(tmp_path / "out", [Secret("0471-6945123", "x", "涉密记录")], [], [], 4)) == 1


def test_digits_key_keeps_amounts_as_written():
    assert digits_key("0471-6945123") == digits_key("(0471) 694 5123") == "04716945123"
    assert digits_key("15010519900101123x") == "15010519900101123X"
    assert digits_key("12,860.50") is None and digits_key("760.5") is None and digits_key("2026") is None


def test_fold_bytes_equals_fold_on_mixed_text():
    text = "前\u00ad置 扑火（物资）…储备\u3000点，ＡＢ ⽕ e\u0301\u200b x\n\ttab"
    assert fold_bytes(text.encode()) == fold(text).encode()
    assert unicodedata.is_normalized("NFKC", fold(text))


# ---- 3. finer pieces -------------------------------------------------------------------------------------

def test_a_clause_quoted_between_chinese_commas_fails(tmp_path):
    root = make_site(tmp_path, {CONFIDENTIAL_PATH: CONFIDENTIAL,
                                NOTICE_PATH: notice("今年，瞭望塔选址依据卫星热点分布，请周知。")})
    [quote] = _quotes(root)
    assert quote.params["hint"] == f"瞭望…（共 {len('瞭望塔选址依据卫星热点分布')} 个字符）"


def test_pieces_split_at_clause_marks_down_to_min_length():
    assert guard.pieces("甲乙丙丁戊，己庚辛、壬癸子丑：寅卯辰巳午未", 4) == {"甲乙丙丁戊", "壬癸子丑", "寅卯辰巳午未"}
    assert guard.pieces("amount 1,234.56 and plan", 4) == {"amount", "1,234.56", "plan"}
    assert guard.pieces("边境 林区 防火", 4) == {"边境林区防火"}  # spaces typed inside Chinese text


def test_the_whole_example_site_and_template_headings_still_build(tmp_path):
    from tests.fixtures_site import PROJECT

    assert [p.render() for p in check_site(PROJECT).problems if p.code == "quote_of_secret"] == []
