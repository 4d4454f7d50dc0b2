"""Charts and machine-readable descriptions (issue 8), without a browser: a withheld execution rate
never reaches a chart, pages without data have no chart, JSON-LD cannot break out of its <script>."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.site.jsonld import script_safe
from tests.fixtures_site import MONITORING, make_site

WITHHELD_RATE = MONITORING.replace("id: lcj-2026-mon-thlc", "id: lcj-2026-mon-thlc\nwithheld_fields: [execution_rate]")
PUBLIC_RATE = (MONITORING.replace("lcj-2026-mon-thlc", "lcj-2026-mon-trlb")
               .replace("退化林修复项目", "天然林保护项目")
               .replace('project_code: "150000261000000202"', 'project_code: "150000261000000203"')
               .replace("spent_to_date: 1600", "spent_to_date: 2000").replace("execution_rate: 50.0", "execution_rate: 62.5"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("charts"), {
        "lcj/2026/monitoring/lcj-2026-mon-thlc.yml": WITHHELD_RATE,
        "lcj/2026/monitoring/lcj-2026-mon-trlb.yml": PUBLIC_RATE,
    })
    build(root, root / "site")
    return root / "site"


def _charts(html: str) -> str:
    found = re.search(r'<div class="dc-charts".*?\n</div>', html, re.S)
    assert found, "页面上没有图表"
    return found.group(0)


def test_withheld_execution_rate_never_reaches_a_chart(built: Path) -> None:
    record = json.loads((built / "records/lcj-2026-mon-thlc/lcj-2026-mon-thlc.json").read_text(encoding="utf-8"))
    assert "execution_rate" in record["withheld_fields"]
    for page in ("depts/lcj/index.html", "index.html"):
        charts = _charts((built / page).read_text(encoding="utf-8"))
        assert "62.5%" in charts
        assert "50.0%" not in charts and "退化林修复" not in charts
        assert "共 1 个项目" in charts


def test_chart_is_inline_svg_with_title_desc_and_data_table(built: Path) -> None:
    charts = _charts((built / "depts/lcj/index.html").read_text(encoding="utf-8"))
    svg = re.search(r"<svg[^>]*>.*?</svg>", charts, re.S).group(0)
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "<script" not in charts
    # The period is stated (a 1–7月 rate is not a whole year's) and the reference line is labelled.
    assert '<caption>2026年绩效监控情况（1–7月）：各项目预算执行率：数据</caption>' in charts
    assert "执行率为 1–7 月执行数占全年预算数的比例" in charts
    assert re.search(r'<line class="dc-chart__ref"[^>]*/><text class="dc-chart__reflabel"[^>]*>100%：全年预算全部执行</text>',
                     svg)
    assert '<th scope="col">执行率（%）</th>' in charts


def test_a_department_without_rates_or_grades_has_no_chart(built: Path) -> None:
    html = (built / "depts/jyt/index.html").read_text(encoding="utf-8")
    assert "dc-charts" not in html and "执行与评价概览" not in html


def test_json_ld_cannot_close_its_script_element() -> None:
    text = script_safe({"name": "</script><script>alert(1)</script>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>&"


def test_record_page_head_carries_its_dataset(built: Path) -> None:
    html = (built / "records/lcj-2026-mon-trlb/index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(found.group(1))
    assert data["@type"] == "Dataset" and data["identifier"] == "lcj-2026-mon-trlb"
    assert data["temporalCoverage"] == "2026"
    catalog = json.loads((built / "catalog.jsonld").read_text(encoding="utf-8"))
    assert {d["dct:identifier"] for d in catalog["dcat:dataset"]} == {"departments", "goal-2026", "monitoring-2026"}


def test_catalog_lists_every_bulk_file_with_its_format(built: Path) -> None:
    """Each bulk table is offered as CSV and as an Excel workbook; the DCAT catalogue names both, so a
    harvester (a national open-data portal) finds the workbook too."""
    catalog = json.loads((built / "catalog.jsonld").read_text(encoding="utf-8"))
    listed = {d["dcat:downloadURL"]["@id"].rsplit("/data/", 1)[1]: d
              for ds in catalog["dcat:dataset"] for d in ds["dcat:distribution"]}
    bulk = {p.name for p in (built / "data").iterdir() if p.suffix in (".csv", ".xlsx")}
    assert set(listed) == bulk and any(n.endswith(".xlsx") for n in bulk)
    for name, dist in listed.items():
        assert dist["dct:format"] == name.rsplit(".", 1)[1].upper()
        assert dist["dcat:byteSize"]["@value"] == str((built / "data" / name).stat().st_size)
    assert listed["goal-2026.xlsx"]["dcat:mediaType"]["@id"].endswith("spreadsheetml.sheet")
