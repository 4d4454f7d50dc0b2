"""Downloads for people (issue 22): CSV with a byte-order mark, bulk .xlsx with Chinese headers and units,
one unit per amount column, indicator rows beside each record, formulas never live in a workbook."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.build import build
from tests.fixtures_site import GOAL, GOAL_PATH, make_site

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def example(example_build) -> Path:
    return example_build.site


def test_every_csv_starts_with_the_byte_order_mark(example: Path) -> None:
    files = sorted(example.rglob("*.csv"))
    assert len(files) > 60  # bulk, per record, indicators, departments, the log
    assert [f.relative_to(example).as_posix() for f in files if not f.read_bytes().startswith(b"\xef\xbb\xbf")] == []


def test_bulk_workbook_has_chinese_headers_units_and_frozen_header(example: Path) -> None:
    book = openpyxl.load_workbook(example / "data" / "goal-2025.xlsx")
    assert book.sheetnames == ["记录", "绩效指标"]
    records, indicators = book["记录"], book["绩效指标"]
    for sheet in (records, indicators):
        header = [c.value for c in sheet[1]]
        assert all(CJK.search(h) for h in header), header
        assert sheet.freeze_panes == "A2"
        assert all((sheet.column_dimensions[c.column_letter].width or 0) >= 8 for c in sheet[1])
    header = [c.value for c in records[1]]
    amount_columns = [i for i, h in enumerate(header) if h.endswith("（万元）")]
    assert "年度资金总额（万元）" in header and len(amount_columns) >= 4
    rows = {r[0]: r for r in records.iter_rows(min_row=2, values_only=True)}
    unit = header.index("资金单位")
    # One unit per amount column: every row says 万元, including the record filed in 元.
    assert {r[unit] for r in rows.values()} == {"万元"}
    kswb = rows["jyt-2025-goal-kswb"]  # content: funds_unit 元, funds_total 42,004,300.00
    assert Decimal(str(kswb[header.index("年度资金总额（万元）")])) == Decimal("4200.43")
    ind_header = [c.value for c in indicators[1]]
    assert ind_header[0] == "记录编号" and "三级指标" in ind_header
    assert {r[0] for r in indicators.iter_rows(min_row=2, values_only=True)} <= set(rows)


def test_bulk_csv_amounts_in_one_unit(example: Path) -> None:
    text = (example / "data" / "goal-2025.csv").read_text(encoding="utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert {r["funds_unit"] for r in rows.values()} == {"万元"}
    assert Decimal(rows["jyt-2025-goal-kswb"]["funds_total"]) == Decimal("4200.43")
    # A record's own CSV keeps the unit it was filed in.
    own = (example / "records/jyt-2025-goal-kswb/jyt-2025-goal-kswb.csv").read_text(encoding="utf-8-sig")
    assert next(csv.DictReader(io.StringIO(own)))["funds_unit"] == "元"


def test_record_downloads_include_indicator_rows(example: Path) -> None:
    folder = example / "records" / "jyt-2025-goal-kswb"
    rows = list(csv.DictReader(io.StringIO((folder / "jyt-2025-goal-kswb.indicators.csv").read_text(
        encoding="utf-8-sig"))))
    names = [r["name"] for r in rows]
    assert "组织国家教育考试次数" in names and {r["record_id"] for r in rows} == {"jyt-2025-goal-kswb"}
    assert "试卷保密室视频监控接入路数" not in names  # the confidential row stays out
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="jyt-2025-goal-kswb.indicators.csv"' in page


def test_open_data_page_explains_the_files_in_plain_chinese(example: Path) -> None:
    page = (example / "data" / "index.html").read_text(encoding="utf-8")
    assert "用 Excel 或 WPS 查看" in page and "不会乱码" in page and "万元" in page
    assert 'href="goal-2025.xlsx"' in page and 'href="goal-2025-indicators.csv"' in page
    assert page.index("下载哪个文件") < page.index("技术说明") < page.index("datapackage.json")


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    formula = '=HYPERLINK("https://evil.example/","点击领取补贴")'
    goal = GOAL.replace("summary: 资助家庭经济困难学生，保障其顺利完成学业。", f"summary: '{formula}'")
    root = make_site(tmp_path, {GOAL_PATH: goal})
    build(root, root / "site")
    sheet = openpyxl.load_workbook(root / "site" / "data" / "goal-2026.xlsx")["记录"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("摘要") + 1)
    assert cell.value == formula and cell.data_type == "s"
