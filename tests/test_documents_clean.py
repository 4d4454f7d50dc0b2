"""Documents ship clean (issue 18, point 4): each test builds its document in the test.

DOCX: text boxes (a phrase split over runs), headers, footers, customXml, document variables and hidden
text are read by the guard; the shipped copy has no hidden text, customXml or variables, and the text
page shows no hidden text. PDF: the copy has no earlier revision, embedded file, JavaScript, form or
annotation. XLSX: hidden sheets, rows and columns are refused naming them; external links and names
pointing outside do not ship."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText

from generator.build import build
from generator.build import read_site as check_site
from generator.documents import doctext
from generator.problems import BuildError
from tests.fixtures_site import GOAL, GOAL_PATH, make_site

FOLDER = GOAL_PATH.rsplit("/", 1)[0]
RID = "jyt-2026-goal-xszz"
TEXTBOX = ('<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
           '<w:p><w:r><w:t>边境防火</w:t></w:r><w:r><w:t>瞭望塔布设方案</w:t></w:r></w:p>'
           '</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')
HIDDEN = '<w:p><w:r><w:t>公开段落。</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的内部意见甲乙</w:t></w:r></w:p>'


def word(body: str = "正文第一段。", header: str = "页眉文字丙丁", extra: str = TEXTBOX + HIDDEN,
         custom: str = "客户数据金丝雀", variable: str = "文档变量金丝雀") -> bytes:
    document = docx.Document()
    document.add_paragraph(body)
    document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = "页脚文字戊己"
    buf = io.BytesIO()
    document.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr", extra.encode() + b"<w:sectPr", 1)
            if info.filename == "word/settings.xml":
                data = data.replace(b"</w:settings>", f'<w:docVars><w:docVar w:name="v" w:val="{variable}"/>'
                                    f"</w:docVars></w:settings>".encode())
            z.writestr(info, data)
        z.writestr("customXml/item9.xml", f"<root><secret>{custom}</secret></root>")
    return out.getvalue()


def test_docx_text_reads_text_boxes_headers_and_footers_but_not_hidden_text():
    data = word()
    text = doctext.extract_text(data, "docx")
    assert "边境防火瞭望塔布设方案" in text  # one phrase, although written in two runs
    assert "页眉文字丙丁" in text and "页脚文字戊己" in text and "公开段落。" in text
    assert "隐藏的内部意见甲乙" not in text
    guard = doctext.guard_text(data, "docx")
    for secret in ("隐藏的内部意见甲乙", "客户数据金丝雀", "文档变量金丝雀", "边境防火瞭望塔布设方案"):
        assert secret in guard


def test_docx_shipped_copy_drops_hidden_text_custom_xml_and_variables():
    data = word()
    assert {"customXml", "文档变量（docVars）", "隐藏文字"} <= set(doctext.metadata_left(data, "docx"))
    clean = doctext.strip(data, "docx")
    assert doctext.metadata_left(clean, "docx") == []
    names = zipfile.ZipFile(io.BytesIO(clean)).namelist()
    assert not any(n.startswith("customXml/") for n in names)
    assert "隐藏的内部意见甲乙" not in doctext.guard_text(clean, "docx")
    assert "客户数据金丝雀" not in doctext.guard_text(clean, "docx")
    assert "公开段落。" in doctext.extract_text(clean, "docx")
    assert doctext.strip(data, "docx") == clean  # deterministic
    docx.Document(io.BytesIO(clean))  # still a Word document


def test_a_public_report_quoting_a_confidential_title_in_a_text_box_fails_validation(tmp_path):
    confidential = ("id: lcj-2026-goal-border\ntitle: 边境防火瞭望塔布设方案\nconfidential: true\n"
                    "confidential_basis: 可能危及公共安全\nvariant: 部门整体支出\napproved_on: 2026-02-10\n")
    root = make_site(tmp_path, {
        "lcj/2026/goals/lcj-2026-goal-border.yml": confidential,
        GOAL_PATH: GOAL + "attachments:\n  - {path: report.docx, title: 年度报告}\n",
        f"{FOLDER}/report.docx": word(),
    })
    quotes = [p for p in check_site(root).problems if p.code == "quote_of_secret"]
    assert [q.file for q in quotes] == [f"content/{GOAL_PATH}"] and "附件 report.docx" in quotes[0].message


def test_hidden_text_of_a_public_report_reaches_no_output(tmp_path):
    root = make_site(tmp_path, {GOAL_PATH: GOAL + "attachments:\n  - {path: report.docx, title: 年度报告}\n",
                                f"{FOLDER}/report.docx": word()})
    build(root, root / "site")
    page = (root / "site" / "records" / RID / "report.docx.html").read_text(encoding="utf-8")
    assert "公开段落" in page
    for path in (root / "site").rglob("*"):
        if path.is_file():
            text = doctext.guard_text(path.read_bytes(), "docx") if path.suffix == ".docx" else \
                path.read_bytes().decode("utf-8", errors="ignore")
            for secret in ("隐藏的内部意见甲乙", "客户数据金丝雀", "文档变量金丝雀"):
                assert secret not in text, (secret, path)


# ---- PDF ---------------------------------------------------------------------------------------------

def _pdf_with_everything() -> bytes:
    """A PDF with an earlier revision (incremental update), an embedded file, JavaScript, a note and a
    form field."""
    from tests.test_attachments import minimal_pdf

    first = minimal_pdf(["OLDREVISIONTEXT"])
    reader = PdfReader(io.BytesIO(first))
    writer = PdfWriter(clone_from=reader)
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("JSCANARYCODE")})
    writer.add_attachment("draft.txt", b"EMBEDDEDCANARY")
    writer.add_annotation(0, FreeText(text="NOTECANARY", rect=(50, 550, 200, 650)))

    field = DictionaryObject({NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("f"),
                              NameObject("/V"): TextStringObject("FORMCANARY"),
                              NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
                              NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4)})
    ref = writer._add_object(field)
    writer.pages[0][NameObject("/Annots")].append(ref)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([ref])})
    buf = io.BytesIO()
    writer.write(buf)
    # An incremental update that replaces the page's text: the old revision stays in the file.
    data = buf.getvalue()
    update = PdfWriter(io.BytesIO(data), incremental=True)
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 720 Td (NEW-TEXT) Tj ET")
    update.pages[0][NameObject("/Contents")] = update._add_object(stream)
    out = io.BytesIO()
    update.write(out)
    return out.getvalue()


def test_pdf_copy_drops_revisions_attachments_scripts_forms_and_annotations():
    data = _pdf_with_everything()
    for canary in (b"OLDREVISIONTEXT", b"JSCANARYCODE", b"NOTECANARY", b"FORMCANARY"):
        assert canary in data, canary
    left = doctext.metadata_left(data, "pdf")
    assert {"嵌入文件或脚本（Names）", "打开动作（OpenAction）", "表单域（AcroForm）", "注释或表单控件（Annots）",
            "增量更新的早期版本"} <= set(left)
    clean = doctext.strip(data, "pdf")
    assert doctext.metadata_left(clean, "pdf") == []
    for canary in (b"OLDREVISIONTEXT", b"JSCANARYCODE", b"NOTECANARY", b"FORMCANARY", b"EMBEDDEDCANARY",
                   b"/JavaScript", b"/EmbeddedFile"):
        assert canary not in clean, canary
    assert "NEW-TEXT" in doctext.extract_text(clean, "pdf")


# ---- XLSX --------------------------------------------------------------------------------------------

def workbook(hide: bool = True, external: bool = False) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公开表"
    ws.append(["项目", "金额"])
    ws.append(["甲", 100])
    ws.append(["乙", 200])
    if hide:
        ws.row_dimensions[3].hidden = True
        ws.column_dimensions["B"].hidden = True
        secret = wb.create_sheet("内部测算")
        secret.append(["不公开的测算"])
        secret.sheet_state = "hidden"
    if external:
        from openpyxl.workbook.defined_name import DefinedName

        wb.defined_names["外部"] = DefinedName("外部", attr_text="[1]Sheet1!$A$1")
        wb.defined_names["本表"] = DefinedName("本表", attr_text="'公开表'!$A$1")
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if not external:
        return data
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.'
                                    b'org/officeDocument/2006/relationships/externalLink" '
                                    b'Target="externalLinks/externalLink1.xml"/></Relationships>')
            z.writestr(info, body)
        z.writestr("xl/externalLinks/externalLink1.xml", '<externalLink><externalBook r:id="rId1" xmlns:r="x">'
                   "<sheetNames><sheetName val=\"C:\\Users\\zhang\\内部预算.xlsx\"/></sheetNames>"
                   "</externalBook></externalLink>")
    return out.getvalue()


def test_hidden_sheets_rows_and_columns_are_named():
    assert set(doctext.hidden_content(workbook(), "xlsx")) == {
        "工作表“公开表”的隐藏行 3", "工作表“公开表”的隐藏列 B", "隐藏工作表“内部测算”"}
    assert doctext.hidden_content(workbook(hide=False), "xlsx") == []


def test_a_workbook_with_hidden_content_is_refused_naming_it_and_the_site_stays(tmp_path):
    root = make_site(tmp_path, {GOAL_PATH: GOAL + "attachments:\n  - {path: table.xlsx, title: 资金表}\n",
                                f"{FOLDER}/table.xlsx": workbook(hide=False)})
    out = root / "site"
    build(root, out)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    (root / "content" / FOLDER / "table.xlsx").write_bytes(workbook())
    with pytest.raises(BuildError) as err:
        build(root, out)
    [problem] = [p for p in err.value.problems if p.code == "attachment_hidden"]
    assert "隐藏工作表“内部测算”" in problem.message and "隐藏行 3" in problem.message
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before


def test_external_links_and_names_pointing_outside_do_not_ship():
    data = workbook(hide=False, external=True)
    assert {"外部链接（externalLinks）", "指向外部的定义名称"} <= set(doctext.metadata_left(data, "xlsx"))
    clean = doctext.strip(data, "xlsx")
    assert doctext.metadata_left(clean, "xlsx") == []
    names = zipfile.ZipFile(io.BytesIO(clean)).namelist()
    assert not any(n.startswith("xl/externalLinks/") for n in names)
    workbook_xml = zipfile.ZipFile(io.BytesIO(clean)).read("xl/workbook.xml").decode()
    assert "[1]" not in workbook_xml and "本表" in workbook_xml
    assert "内部预算" not in doctext.guard_text(clean, "xlsx")
    openpyxl.load_workbook(io.BytesIO(clean))  # still opens
