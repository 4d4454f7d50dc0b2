"""Real published forms in, real forms out (issue 16): every transcription in tests/corpus/real_forms/ has a
record in tests/corpus/real_forms/records/ that loads, validates, renders, and holds every value of the
transcription — nothing dropped, nothing added — and its page shows every one of them.

Values are compared as printed, after folding what the transcriptions say is not evidence (character
width, white space from PDF extraction) and writing plain numbers plainly (10.00 is 10). Personal lines
(填表人, 联系电话 …) are left out of records on purpose: the transcriber removed their contents, and the
format never publishes them. Tick boxes (□ / √) are compared option by option.
"""

from __future__ import annotations

import html
import re
import shutil
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import build
from generator.build import read_site as check_site

CORPUS = Path(__file__).parent / "corpus" / "real_forms"
RECORDS = CORPUS / "records"
PROJECT = Path(__file__).resolve().parents[1]
TRANSCRIPTIONS = sorted(CORPUS.glob("[0-9][0-9]_*.yml"))
PERSONAL = ("填表人", "联系电话", "项目负责人", "财务负责人", "填报人", "联系人", "联络电话", "单位负责人签字")
REMOVED = "[已删除]"
# Record fields that classify or identify the record rather than copy a printed value.
OWN_FIELDS = {"id", "title", "dept", "year", "variant", "eval_type", "months", "months_from", "source_url",
              "as_printed", "confidential", "withheld_fields", "group", "level1_points"}
# 1、常年性项目 □ √ 2、延续性项目 □  or  新增项目□延续项目√ : each option with its box, ticked when √.
TICK = re.compile(r"(?:\d+、)?\s*([^□√\d、\s]+)\s*(□\s*√|□|√)")


def canon(value: Any) -> str:
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    try:
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        pass
    return text


def transcription_values(t: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(printed values, printed labels) of a transcription; empty and personal values left out."""
    values, labels = [t["title"]] if not t["title"].startswith("(") else [], []
    for label, value in t.get("fields") or []:
        labels.append(label)
        if not any(p in label for p in PERSONAL):
            values.append(value)
    for table in t.get("tables") or []:
        labels += [*table["columns"], table["name"]]
        for row in table["rows"]:
            labels.append(row[0])
            values += row
    for label, value in t.get("texts") or []:
        labels.append(label)
        values.append(value)
    keep = [v for v in values if v and v.strip() and REMOVED not in v and not any(p == v for p in PERSONAL)]
    return keep, labels


def record_values(data: Any) -> list[str]:
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in OWN_FIELDS and key != "indicators":
                out += record_values(value)
        for row in data.get("indicators") or []:
            out += record_values(row)
    elif isinstance(data, list):
        for item in data:
            out += record_values(item)
    elif data is not None and str(data).strip():
        out.append(str(data))
    return out


def _records() -> dict[str, tuple[Path, dict[str, Any]]]:
    out = {}
    for path in RECORDS.glob("*/*/*/*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["source_url"]] = (path, data)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(RECORDS, root / "content")
    shutil.copyfile(PROJECT / "site_config.yml", root / "site_config.yml")
    validated = check_site(root)
    build(root, root / "site")
    return root, validated


def test_the_corpus_is_what_the_issue_asks():
    provinces = {yaml.safe_load(p.read_text(encoding="utf-8"))["province"].split()[0] for p in TRANSCRIPTIONS}
    assert len(TRANSCRIPTIONS) >= 15 and len(provinces - {"未确定"}) >= 5


def test_every_transcription_has_a_record_and_every_record_a_transcription():
    records = _records()
    urls = [yaml.safe_load(p.read_text(encoding="utf-8"))["source_url"] for p in TRANSCRIPTIONS]
    assert sorted(urls) == sorted(records)


def test_every_record_validates_without_errors(built):
    _, validated = built
    assert [p.render() for p in validated.problems.errors] == []
    assert len(validated.records) == len(TRANSCRIPTIONS)


@pytest.mark.parametrize("path", TRANSCRIPTIONS, ids=[p.stem for p in TRANSCRIPTIONS])
def test_nothing_dropped_nothing_added_and_the_page_shows_it(built, path):
    root, _ = built
    t = yaml.safe_load(path.read_text(encoding="utf-8"))
    _, data = _records()[t["source_url"]]
    printed, labels = transcription_values(t)
    held = record_values(data)
    held_set = {canon(v) for v in held}
    page = (root / "site" / "records" / data["id"] / "index.html").read_text(encoding="utf-8")
    article = page.split('class="dc-record"', 1)[1].split("</article>", 1)[0]
    cells = [canon(html.unescape(re.sub(r"<[^>]+>", "", c)))
             for c in re.findall(r"<(?:td|th|p|h1|h2|caption)[^>]*>(.*?)</(?:td|th|p|h1|h2|caption)>", article, re.S)]
    text = canon(html.unescape(re.sub(r"<[^>]+>", "", article)))
    dropped, unshown = [], []
    for value in printed:
        ticks = TICK.findall(unicodedata.normalize("NFKC", value)) if "□" in value else []
        if ticks and canon(value) not in held_set:
            # A tick-box line: every option is held and shown, the ticked one ticked.
            for option, mark in ticks:
                if canon(option) not in held_set:
                    dropped.append(option)
                if ("☑" if "√" in mark else "☐") + canon(option) not in text:
                    unshown.append(option)
            continue
        c = canon(value)
        if c not in held_set:
            dropped.append(value)
        if c not in cells and not (len(c) >= 6 and c in text):
            unshown.append(value)
    assert dropped == [], f"{path.name}: values of the form the record does not hold"
    assert unshown == [], f"{path.name}: values of the form its page does not show"
    # Nothing added: every value the record holds was printed (whole, or a part of a printed cell such as
    # 产出指标 of 产出指标(50分)), or is a label the form prints (主管部门栏目名 and the like).
    sources = [canon(v) for v in printed + labels + [t["title"]]]
    added = [v for v in held if canon(v) not in sources and not any(canon(v) in s for s in sources)]
    assert added == [], f"{path.name}: values the record holds that the form does not print"


def test_the_page_caption_follows_the_form_family(built):
    root, _ = built
    def caption(rid: str) -> str:
        page = (root / "site" / "records" / rid / "index.html").read_text(encoding="utf-8")
        return re.search(r"<caption>([^<]*)：基本信息</caption>", page).group(1)
    assert caption("ndds-2019-goal-dept") == "部门整体支出绩效目标表"
    assert caption("ndds-2018-eval-dept") == "部门整体支出绩效自评表"
    assert caption("xthw-2023-goal-wupaoche") == "项目支出绩效目标申报表"
    assert caption("hswlj-2019-mon-shenyi") == "项目支出绩效目标监控情况表（1–6月）"


def test_downloads_hold_the_tables_and_revalidate(built):
    import json

    from frictionless import Package

    root, _ = built
    report = Package(str(root / "site" / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    one = json.loads((root / "site" / "records" / "ndds-2019-goal-dept" / "ndds-2019-goal-dept.json")
                     .read_text(encoding="utf-8"))
    assert one["fields"]["funding"][0]["rows"][2] == ["基本支出", "110.61"]
    assert one["fields"]["duties"][0]["amount"] == "49.8"
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO((root / "site" / "data" / "goal-2019.csv").read_text(encoding="utf-8-sig"))))
    [row] = [r for r in rows if r["id"] == "ndds-2019-goal-dept"]
    assert json.loads(row["funding"])[0]["rows"][0] == ["资金总额", "171.41"]
