"""Attachment text pages keep the document's structure (issue 22): Word headings become headings,
numbered and bulleted paragraphs a list, tables a table (merged cells once); Excel sheets a heading
and a table each; PDF text stays one paragraph per line."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import openpyxl

from generator.build import build
from generator.documents.structure import blocks
from tests.fixtures_site import GOAL, GOAL_PATH, make_site

FOLDER = GOAL_PATH.rsplit("/", 1)[0]


def _report() -> bytes:
    document = docx.Document()
    document.add_heading("资助补助资金绩效自评报告", level=1)
    document.add_heading("一、项目基本情况", level=2)
    document.add_paragraph("资金覆盖各学段。")
    document.add_paragraph("按学期足额发放", style="List Bullet")
    document.add_paragraph("未发现因贫失学", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["指标", "年度目标", "实际完成"], ["资助人次", "≥8.5万", "8.63万"], ["合计", "", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 0).merge(table.cell(2, 2)).text = "全部完成"
    document.add_heading("二、改进措施", level=2)
    document.add_paragraph("按月核对名单。")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _sheet() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标完成情况"
    sheet.append(["指标", "目标", "完成"])
    sheet.append(["资助人次", "8.5", "8.63"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_word_structure_is_kept() -> None:
    got = blocks(_report(), "docx", "")
    assert [(b["kind"], b.get("level")) for b in got if b["kind"] != "table"] == [
        ("h", 1), ("h", 2), ("p", None), ("li", None), ("li", None), ("h", 2), ("p", None)]
    [table] = [b for b in got if b["kind"] == "table"]
    assert table["rows"] == [["指标", "年度目标", "实际完成"], ["资助人次", "≥8.5万", "8.63万"], ["全部完成"]]


def test_excel_sheets_become_tables_and_pdf_stays_lines() -> None:
    got = blocks(_sheet(), "xlsx", "")
    assert got == [{"kind": "h", "level": 1, "text": "指标完成情况"},
                   {"kind": "table", "rows": [["指标", "目标", "完成"], ["资助人次", "8.5", "8.63"]]}]
    assert blocks(b"%PDF-1.4", "pdf", "第一行\n\n第二行") == [{"kind": "p", "text": "第一行"},
                                                              {"kind": "p", "text": "第二行"}]
    # A file the structured reader cannot read keeps its plain lines.
    assert blocks(b"not a zip", "docx", "原文") == [{"kind": "p", "text": "原文"}]


def test_text_page_shows_headings_lists_and_tables(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        GOAL_PATH: GOAL + "attachments:\n  - {path: xszz/report.docx, title: 绩效自评报告}\n",
        f"{FOLDER}/xszz/report.docx": _report(),
    })
    build(root, root / "site")
    page = (root / "site/records/jyt-2026-goal-xszz/report.docx.html").read_text(encoding="utf-8")
    text = page[page.index('class="dc-attachment-text"'):]
    assert re.search(r"<h3>资助补助资金绩效自评报告</h3>\s*<h4>一、项目基本情况</h4>", text)
    assert re.search(r"<ul>\s*<li>按学期足额发放</li>\s*<li>未发现因贫失学</li>\s*</ul>", text)
    assert '<th scope="col">年度目标</th>' in text and "<td>全部完成</td>" in text
    assert "<caption>附件中的表格 1</caption>" in text
