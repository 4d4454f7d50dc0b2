"""Nothing flagged ever reaches a published byte (issue 4): canaries planted in a confidential
record, a confidential row and a withheld field are searched for in every output file, after
gzip decompression and HTML unescaping, while the public parts of the same records are present."""

from __future__ import annotations

import gzip
import html
from pathlib import Path

import pytest

from generator.build import build
from generator.problems import BuildError
from tests.fixtures_site import make_site

CANARY_RECORD = "绝密测试金丝雀甲一号扑火装备部署方案"
CANARY_RECORD_ID = "lcj-2026-goal-canaryrecord"
CANARY_ROW = "金丝雀乙二号无人机巡护架次"
CANARY_FIELD = "金丝雀丙三号实施单位名称"
CANARY_AMOUNT = "7,777,123.45"

CONFIDENTIAL_RECORD = f"""\
id: {CANARY_RECORD_ID}
title: {CANARY_RECORD}
summary: 该记录整体涉密，任何输出中都不得出现。
confidential: true
confidential_basis: 可能危及公共安全
variant: 部门整体支出
approved_on: 2026-02-10
dept_functions: 边境林区防火设施布设详情金丝雀
indicators:
  - {{level1: 产出指标, level2: 数量指标, name: 前置扑火物资储备点金丝雀, operator: "≥", target: "12", unit: 个}}
"""

PARTLY_WITHHELD = f"""\
id: jyt-2026-goal-partly
title: 2026年高校基本建设项目绩效目标
summary: 公开部分可见的高校基本建设项目。
variant: 项目支出
project_code: "150000261000000909"
agency: {CANARY_FIELD}
withheld_fields: [agency, funds_other]
approved_on: 2026-02-14
funds_unit: 元
funds_total: 8,000,000.00
funds_fiscal: 222,876.55
funds_carryover: 0
funds_other: 7,777,123.45
overall_goal: 完成公开可见的教学楼主体工程建设。
indicators:
  - {{level1: 产出指标, level2: 数量指标, name: 新建教学楼面积公开可见, operator: "≥", target: "12000", unit: 平方米}}
  - {{level1: 产出指标, level2: 质量指标, name: {CANARY_ROW}, operator: "≥", target: "40", unit: 架次, confidential: true}}
"""

CANARIES = [CANARY_RECORD, CANARY_RECORD_ID, CANARY_ROW, CANARY_FIELD, CANARY_AMOUNT,
            "7777123.45", "边境林区防火设施布设详情金丝雀", "前置扑火物资储备点金丝雀"]


def _all_output_text(site: Path) -> dict[str, str]:
    out = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = html.unescape(data.decode("utf-8", errors="ignore"))
        # Pagefind puts zero-width spaces between the Chinese words it segments.
        out[path.relative_to(site).as_posix()] = text.replace("\u200b", "")
    return out


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory) -> tuple[Path, Path]:
    root = make_site(tmp_path_factory.mktemp("canary"), {
        "lcj/2026/goals/lcj-2026-goal-canaryrecord.yml": CONFIDENTIAL_RECORD,
        "jyt/2026/goals/jyt-2026-goal-partly.yml": PARTLY_WITHHELD,
    })
    out = root / "site"
    build(root, out)
    return root, out


def test_no_canary_in_any_output_byte(canary_site):
    _, out = canary_site
    texts = _all_output_text(out)
    assert any(name.startswith("pagefind/") and name.endswith(".pf_fragment") for name in texts)
    for name, text in texts.items():
        for canary in CANARIES:
            assert canary not in text, f"{canary} leaked into {name}"


def test_public_parts_of_the_same_records_are_present(canary_site):
    _, out = canary_site
    page = (out / "records" / "jyt-2026-goal-partly" / "index.html").read_text(encoding="utf-8")
    assert "新建教学楼面积公开可见" in page
    assert "完成公开可见的教学楼主体工程建设。" in page
    assert "依法不予公开" in page
    # funds_other is withheld, so the total (which would reveal it) is withheld too; fiscal stays.
    assert "222,876.55" in page
    assert "8,000,000.00" not in page
    assert not (out / "records" / CANARY_RECORD_ID).exists()
    fragments = _all_output_text(out)
    assert any("新建教学楼面积公开可见" in t for n, t in fragments.items() if n.endswith(".pf_fragment"))


def test_withheld_record_absent_from_downloads_sitemap_and_feed(canary_site):
    _, out = canary_site
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "jyt-2026-goal-partly" in sitemap
    assert CANARY_RECORD_ID not in sitemap
    bulk = (out / "data" / "goal-2026.csv").read_text(encoding="utf-8")
    assert "jyt-2026-goal-partly" in bulk and CANARY_FIELD not in bulk


def test_source_files_never_ship(canary_site):
    _, out = canary_site
    names = [p.name for p in out.rglob("*")]
    assert not any(n.endswith((".yml", ".yaml")) for n in names)
    assert ".git" not in names and "content" not in names
    assert "departments.yml" not in names


def test_template_that_prints_a_secret_fails_and_keeps_the_previous_site(canary_site, tmp_path):
    root, _ = canary_site
    out = tmp_path / "site"
    build(root, out)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    pages = root / "templates" / "pages"
    pages.mkdir(parents=True)
    try:
        (pages / "about.md").write_text(f"# 说明\n\n一个有缺陷的模板打印了 {CANARY_FIELD}。\n", encoding="utf-8")
        with pytest.raises(BuildError) as info:
            build(root, out)
    finally:
        (pages / "about.md").unlink()
        pages.rmdir()
        (root / "templates").rmdir()
    messages = [p.message for p in info.value.problems]
    assert any("about/index.html" in m and "jyt-2026-goal-partly" in m for m in messages), messages
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "work folder left behind"


def test_withdrawn_record_disappears_from_next_build(tmp_path):
    root = make_site(tmp_path, {"jyt/2026/goals/jyt-2026-goal-partly.yml": PARTLY_WITHHELD})
    out = root / "site"
    build(root, out)
    assert (out / "records" / "jyt-2026-goal-partly" / "index.html").is_file()
    path = root / "content" / "jyt/2026/goals/jyt-2026-goal-partly.yml"
    path.write_text(PARTLY_WITHHELD.replace("withheld_fields:", "confidential: true\nconfidential_basis: 工作秘密\nwithheld_fields:"),
                    encoding="utf-8")
    build(root, out)
    texts = _all_output_text(out)
    assert not (out / "records" / "jyt-2026-goal-partly").exists()
    for name, text in texts.items():
        assert "2026年高校基本建设项目绩效目标" not in text, name
        assert "新建教学楼面积公开可见" not in text, name


def test_guard_finds_a_secret_inside_a_gzipped_segmented_pagefind_fragment(tmp_path):
    from generator.secrecy.guard import check
    from generator.secrecy.redact import Secret

    fragment = '{"content":"' + "\u200b".join("前置扑火物资储备点") + '"}'
    (tmp_path / "pagefind" / "fragment").mkdir(parents=True)
    (tmp_path / "pagefind" / "fragment" / "zh-cn_1.pf_fragment").write_bytes(
        gzip.compress(b"pagefind_dcd" + fragment.encode()))
    problems = check(tmp_path, [Secret("前置扑火物资储备点", "lcj-x（content/x.yml）", "涉密记录")], [], [], 4)
    assert [p.params["output"] for p in problems] == ["pagefind/fragment/zh-cn_1.pf_fragment"]
    assert "lcj-x" in problems[0].message


def test_withheld_counts_are_shown_only_when_configured_and_never_titles(tmp_path):
    records = {"lcj/2026/goals/lcj-2026-goal-canaryrecord.yml": CONFIDENTIAL_RECORD}
    root = make_site(tmp_path / "a", records)
    build(root, root / "site")
    page = (root / "site" / "depts" / "lcj" / "index.html").read_text(encoding="utf-8")
    assert "依法不予公开（《办法》第六条）" not in page
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("withheld_display: none", "withheld_display: counts"),
                      encoding="utf-8")
    build(root, root / "site")
    page = (root / "site" / "depts" / "lcj" / "index.html").read_text(encoding="utf-8")
    assert "依法不予公开（《办法》第六条）：绩效目标 1 条" in page
    assert CANARY_RECORD not in page


@pytest.mark.parametrize("written", [
    "<td>边境林区&amp;防火设施&lt;布设&gt;详图</td>",     # escaped by Jinja/markupsafe
    '{"content":"边境林区&防火设施<布设>详图"}',          # inside a JSON string
    "<p>边境林区&#38;防火设施&#60;布设&#62;详图</p>",     # numeric character references
    '{"c":"边境林区\\u0026防火设施"}',                   # JSON \u escapes
])
def test_guard_sees_a_secret_however_the_output_escapes_it(tmp_path, written):
    from generator.secrecy.guard import check
    from generator.secrecy.redact import Secret

    (tmp_path / "page.html").write_text(written, encoding="utf-8")
    problems = check(tmp_path, [Secret("边境林区&防火设施<布设>详图", "x（content/x.yml）", "涉密记录")], [], [], 4)
    assert [p.params["output"] for p in problems] == ["page.html"]
