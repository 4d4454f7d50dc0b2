"""Reports and attachments (issue 11): checked like records, shipped beside their record without
document properties, listed, downloadable, found by a phrase inside them, and never shipped — not
even a sentence of them — when they or their record are confidential."""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from generator.build import build, read_site
from generator.documents import doctext
from generator.log.publish import publish_log
from generator.model.records import Attachment, PublicRecord
from generator.problems import BuildError
from generator.reports.review import attachment_changes, read_side
from generator.reports.review_render import markdown
from generator.secrecy import guard
from generator.secrecy.redact import redact
from tests.fixtures_site import GOAL, GOAL_PATH, make_site

RID = "jyt-2026-goal-xszz"
FOLDER = "jyt/2026/goals"
PDF_PHRASE = "zebra harvest lantern quarterly"
DOCX_PHRASE = "学生资助政策宣传覆盖全部盟市旗县"
SECRET_ATTACHMENT = "金丝雀丁四号附件内容为内部审议稿不得公开"
SECRET_RECORD_ATTACHMENT = "金丝雀戊五号涉密记录附件中的边境设施位置说明"
CANARY_FIELD = "金丝雀丙三号实施单位名称"


def minimal_pdf(lines: list[str], info: dict[str, str] | None = None) -> bytes:
    """A one-page PDF with Helvetica text (ASCII), and document properties when `info` is given."""
    content = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> >>",
               f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if info:
        objects.append("<< " + " ".join(f"/{k} ({v})" for k, v in info.items()) + " >>")
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    info_ref = f" /Info {len(objects)} 0 R" if info else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def make_docx(paragraphs: list[str], comment: str | None = None) -> bytes:
    document = docx.Document()
    props = document.core_properties
    props.author, props.title, props.comments = "张起草", "初稿第三版", "内部备注：待处长审核"
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
    if comment:
        document.add_comment(paragraph.runs, text=comment, author="李审核")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_ofd(text: str, author: str) -> bytes:
    buf = io.BytesIO()
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0"><ofd:DocBody>'
                              f"<ofd:DocInfo><ofd:DocID>abc</ofd:DocID><ofd:Title>内部草稿</ofd:Title>"
                              f"<ofd:Author>{author}</ofd:Author></ofd:DocInfo>"
                              "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        z.writestr("Doc_0/Document.xml", f'<ofd:Document {ns}><ofd:Pages><ofd:Page ID="1" '
                                         'BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/Pages/Page_0/Content.xml",
                   f'<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject ID="2">'
                   f'<ofd:TextCode X="0" Y="0">{text}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content>'
                   "</ofd:Page>")
    return buf.getvalue()


def _goal(attachments: str, extra: str = "") -> str:
    return GOAL + extra + "attachments:\n" + attachments


def _errors(root: Path) -> list:
    return [p for p in read_site(root).problems.errors]


# ---- validation ----------------------------------------------------------------------------------

PDF = minimal_pdf(["Annual report"])


@pytest.mark.parametrize(("entry", "files", "code", "message"), [
    ("  - {path: nothere.pdf, title: 年度报告}\n", {}, "attachment_missing",
     "第 1 个附件：找不到文件“nothere.pdf”。附件路径相对于记录文件所在的目录 content/jyt/2026/goals/，文件名须与实际一致（区分大小写）。"
     "请改正路径，或把文件放到该目录下后一并提交。"),
    ("  - {path: Report.pdf, title: 年度报告}\n", {"report.pdf": PDF}, "attachment_missing",
     "第 1 个附件：找不到文件“Report.pdf”。附件路径相对于记录文件所在的目录 content/jyt/2026/goals/，文件名须与实际一致（区分大小写）。"
     "同一目录下有“report.pdf”，是否指它？请改正路径，或把文件放到该目录下后一并提交。"),
    ("  - {path: report.doc, title: 年度报告}\n", {"report.doc": b"\xd0\xcf\x11\xe0"}, "attachment_type",
     "第 1 个附件“report.doc”：不支持的附件类型“.doc”。可用的类型：.pdf、.docx、.xlsx、.ofd（在 site_config.yml 的 "
     "attachments.types 中设置）。Word 97–2003 的 .doc 和 .wps 文件请另存为 .docx 或 PDF。"),
    ("  - {path: report.pdf, title: 年度报告}\n", {"report.pdf": b"<html>not a pdf</html>"}, "attachment_content",
     "第 1 个附件“report.pdf”：文件内容不是 PDF 格式（扩展名为 .pdf，但文件开头不是 %PDF）。可能是改过扩展名的其他文件，"
     "请用原软件打开后另存为 PDF 再提交。"),
    ("  - {path: report.docx, title: 年度报告}\n", {"report.docx": PDF}, "attachment_content",
     "第 1 个附件“report.docx”：文件内容不是 DOCX 格式（扩展名为 .docx，但文件开头不是 PK（zip））。可能是改过扩展名的其他文件，"
     "请用原软件打开后另存为 DOCX 再提交。"),
    ("  - {path: ../../report.pdf, title: 年度报告}\n", {}, "attachment_outside",
     "第 1 个附件“../../report.pdf”：路径超出了记录所在的目录 content/jyt/2026/goals/。附件须放在记录文件旁边或其下的子目录中，"
     "路径相对于该目录书写，如 content/jyt/2026/goals/报告.pdf 写成“报告.pdf”；不能含“..”，也不能以“/”或盘符开头。"),
    ("  - {path: /etc/passwd.pdf, title: 年度报告}\n", {}, "attachment_outside", None),
    ("  - {path: report.pdf, title: 年度报告}\n  - {path: 附件/report.pdf, title: 又一份}\n",
     {"report.pdf": PDF, "附件/report.pdf": PDF}, "attachment_duplicate",
     "第 2 个附件“附件/report.pdf”与第 1 个附件“report.pdf”文件名相同。同一记录的附件在网站上按文件名存放，须各不相同："
     "请删除重复的一项，或把其中一个文件改名。"),
    ("  - {path: report.docx, title: 年度报告}\n", {"report.docx": make_docx(["正文"], comment="这里再改改")},
     "attachment_review_marks",
     "第 1 个附件“report.docx”：文件中含有批注。批注和修订记录中常有起草人姓名和草稿内容，不能公开：请在 Word/WPS/Excel 中"
     "接受或拒绝全部修订、删除全部批注后另存，再提交。"),
    ("  - title: 年度报告\n", {}, "required", "必填字段缺失或为空。"),
    ("  - 年度报告.pdf\n", {}, "attachment_not_mapping",
     "第 1 个附件应写成“path: 文件名”和“title: 附件标题”两行（每个附件一项，以“- ”开头）。"),
])
def test_each_attachment_error_names_file_line_and_field(tmp_path, entry, files, code, message):
    root = make_site(tmp_path, {GOAL_PATH: _goal(entry), **{f"{FOLDER}/{k}": v for k, v in files.items()}})
    errors = [p for p in _errors(root) if p.code == code]
    assert len(errors) == 1, _errors(root)
    problem = errors[0]
    assert problem.file == f"content/{GOAL_PATH}"
    first = GOAL.count("\n") + 2  # the line after `attachments:`
    assert problem.line == first + entry.count("\n") - 1
    assert problem.field in ("attachments", "path")
    if message:
        assert problem.message == message
    assert problem.render().startswith(f"content/{GOAL_PATH}:{problem.line}: 错误：字段“")


def test_over_size_attachment(tmp_path):
    root = make_site(tmp_path, {GOAL_PATH: _goal("  - {path: big.pdf, title: 年度报告}\n"),
                                f"{FOLDER}/big.pdf": PDF + b"%" + b"0" * 30_000})
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "attachments:\n  max_mb: 0.01\n", encoding="utf-8")
    [problem] = _errors(root)
    assert problem.code == "attachment_too_large"
    assert problem.message == ("第 1 个附件“big.pdf”：文件过大（30 KB），超过上限 10 KB。请压缩后再提交（如导出 PDF 时降低图片分辨率），"
                               "或拆分为几个附件；上限在 site_config.yml 的 attachments.max_mb 中设置。")


def test_types_are_a_setting(tmp_path):
    root = make_site(tmp_path, {GOAL_PATH: _goal("  - {path: report.pdf, title: 年度报告}\n"),
                                f"{FOLDER}/report.pdf": PDF})
    config = root / "site_config.yml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + "attachments:\n  types: [DOCX, .xlsx]\n", encoding="utf-8")
    [problem] = _errors(root)
    assert problem.code == "attachment_type" and problem.params["allowed"] == [".docx", ".xlsx"]
    config.write_text(base + "attachments:\n  types: [pdf, doc]\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        read_site(root)
    assert err.value.problems[0].message == "配置项“attachments.types”的值“doc”无效，可选：pdf、docx、xlsx、ofd。"


def test_a_valid_attachment_is_read_once_with_its_text(tmp_path):
    root = make_site(tmp_path, {GOAL_PATH: _goal("  - {path: 报告/report.pdf, title: 年度报告}\n"),
                                f"{FOLDER}/报告/report.pdf": minimal_pdf([PDF_PHRASE])})
    validated = read_site(root)
    assert validated.problems.errors == []
    [a] = next(r for r in validated.records if r.id == RID).attachments
    assert (a.name, a.title, a.file_type, a.confidential) == ("report.pdf", "年度报告", "pdf", False)
    assert a.text == PDF_PHRASE
    assert a.file == f"content/{FOLDER}/报告/report.pdf"


# ---- documents ---------------------------------------------------------------------------------------

def test_metadata_is_stripped_and_the_copy_is_deterministic():
    pdf = minimal_pdf([PDF_PHRASE], {"Author": "Zhang San", "Title": "Draft v3", "Subject": "internal"})
    assert doctext.metadata_left(pdf, "pdf") == ["Author", "Subject", "Title"]
    clean = doctext.strip(pdf, "pdf")
    assert clean == doctext.strip(pdf, "pdf")
    assert doctext.metadata_left(clean, "pdf") == []
    assert PdfReader(io.BytesIO(clean)).metadata is None
    assert doctext.extract_text(clean, "pdf") == PDF_PHRASE

    word = make_docx([DOCX_PHRASE])
    assert {"author", "title", "comments"} <= set(doctext.metadata_left(word, "docx"))
    clean = doctext.strip(word, "docx")
    assert clean == doctext.strip(word, "docx")
    assert doctext.metadata_left(clean, "docx") == []
    props = docx.Document(io.BytesIO(clean)).core_properties
    assert (props.author, props.title, props.comments, props.last_modified_by) == ("", "", "", "")
    assert DOCX_PHRASE in doctext.extract_text(clean, "docx")
    assert not any(n.startswith("docProps/thumbnail") for n in zipfile.ZipFile(io.BytesIO(clean)).namelist())


def test_xlsx_and_ofd_text_and_properties():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.properties.creator, workbook.properties.title = "王填表", "内部底稿"
    workbook.active["A1"], workbook.active["B2"] = "资金执行表", 12688.4
    buf = io.BytesIO()
    workbook.save(buf)
    xlsx = buf.getvalue()
    assert doctext.content_matches(xlsx, "xlsx") and not doctext.content_matches(xlsx, "docx")
    assert {"creator", "title"} <= set(doctext.metadata_left(xlsx, "xlsx"))
    clean = doctext.strip(xlsx, "xlsx")
    assert doctext.metadata_left(clean, "xlsx") == []
    assert "资金执行表" in doctext.extract_text(clean, "xlsx") and "12688.4" in doctext.extract_text(clean, "xlsx")

    ofd = make_ofd("监控报告正文&amp;附表", "赵起草")
    assert doctext.content_matches(ofd, "ofd")
    assert doctext.extract_text(ofd, "ofd") == "监控报告正文&附表"
    assert doctext.metadata_left(ofd, "ofd") == ["Author", "Title"]
    clean = doctext.strip(ofd, "ofd")
    assert doctext.metadata_left(clean, "ofd") == []
    assert "赵起草" not in doctext.guard_text(clean, "ofd")
    assert "<ofd:DocID>abc</ofd:DocID>" in zipfile.ZipFile(io.BytesIO(clean)).read("OFD.xml").decode()


def test_the_guard_fails_a_shipped_document_that_keeps_its_properties(tmp_path):
    (tmp_path / "records" / "x").mkdir(parents=True)
    (tmp_path / "records" / "x" / "report.docx").write_bytes(make_docx(["正文"]))
    problems = guard.check(tmp_path, [], [], [], 4)
    assert [p.code for p in problems] == ["attachment_metadata_left"]
    assert problems[0].params["output"] == "records/x/report.docx"
    assert "author" in problems[0].params["props"]


def test_the_guard_reads_withheld_attachments_line_by_line(tmp_path):
    from generator.secrecy.redact import Secret

    line = "Border watchtower grid coordinates"
    secrets = [Secret(f"{line}\n短行\n", "x（content/x.yml）", "不予公开的附件 plan.pdf")]
    (tmp_path / "page.html").write_text(f"<p>{line}</p>", encoding="utf-8")
    [problem] = guard.check(tmp_path, secrets, [], [], 4)
    assert problem.code == "leak_found" and problem.params["output"] == "page.html"
    assert problem.params["what"] == "不予公开的附件 plan.pdf"
    # A line standing in the public reports of three other projects is template wording; in fewer, a quote.
    def public(rid: str, text: str, project: str = "", dept: str = "jyt") -> PublicRecord:
        a = Attachment("r.docx", "报告", False, "docx", 1, "0" * 64, Path("r.docx"), "content/r.docx", text)
        return PublicRecord("goal", {"id": rid, "project_code": project, "dept": dept}, [], [], (a,))

    template = [public("a", f"x {line} y"), public("b", line), public("c", line, dept="lcj")]
    assert guard.build_automaton(secrets, template, [], 4) is None
    assert guard.build_automaton(secrets, template[:2], [], 4) is not None
    # The public report of the same project may share it (one report template, two versions).
    same = [Secret(line, "x", "不予公开的附件 plan.pdf", "x", "P1")]
    assert guard.build_automaton(same, [public("y", line, "P1")], [], 4) is None
    # A withheld field is not excused by one public report of another project.
    withheld = [Secret(line, "x", "不予公开字段 agency", "x", "P1")]
    assert guard.build_automaton(withheld, [public("y", line, "P2")], [], 4) is not None


# ---- the built site ----------------------------------------------------------------------------------

CONFIDENTIAL_RECORD = """\
id: lcj-2026-goal-secret
title: 2026年边境防火设施建设绩效目标
confidential: true
confidential_basis: 可能危及公共安全
variant: 部门整体支出
approved_on: 2026-02-10
attachments:
  - {path: lcj-2026-goal-secret/plan.pdf, title: 边境防火设施布设方案}
  - {path: lcj-2026-goal-secret/plan.docx, title: 布设方案说明}
"""


def _text(path: Path) -> str:
    """Everything a reader could get out of an output file: documents through their text and XML."""
    data = path.read_bytes()
    kind = guard.document_type(path)
    if kind:
        return doctext.guard_text(data, kind)
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return html.unescape(data.decode("utf-8", errors="ignore")).replace("\u200b", "")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    root = make_site(tmp_path_factory.mktemp("attachments"), {
        GOAL_PATH: _goal("  - {path: xszz/report.pdf, title: 年度绩效目标说明}\n"
                         "  - {path: xszz/report.docx, title: 资助政策宣传情况报告}\n"
                         "  - {path: xszz/draft.docx, title: 内部审议稿, confidential: true}\n"
                         "  - {path: xszz/notice.ofd, title: 公开通知（OFD）}\n"),
        f"{FOLDER}/xszz/notice.ofd": make_ofd("OFD版通知正文", "赵起草"),
        f"{FOLDER}/xszz/report.pdf": minimal_pdf([PDF_PHRASE, "Budget section"], {"Author": "Zhang San"}),
        f"{FOLDER}/xszz/report.docx": make_docx(["一、宣传情况", DOCX_PHRASE + "，印发宣传材料。"]),
        f"{FOLDER}/xszz/draft.docx": make_docx([SECRET_ATTACHMENT + "，请勿外传。"]),
        "lcj/2026/goals/lcj-2026-goal-secret.yml": CONFIDENTIAL_RECORD,
        "lcj/2026/goals/lcj-2026-goal-secret/plan.pdf": minimal_pdf(["Border watchtower grid coordinates"]),
        "lcj/2026/goals/lcj-2026-goal-secret/plan.docx": make_docx([SECRET_RECORD_ATTACHMENT]),
    })
    publish_log(root, commit="abc123", now=datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))
    out = root / "site"
    build(root, out)
    return root, out


def test_public_attachments_are_shipped_listed_and_downloadable(built):
    _, site = built
    folder = site / "records" / RID
    assert (folder / "report.pdf").is_file() and (folder / "report.docx").is_file()
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<a href="report.pdf" type="application/pdf">年度绩效目标说明</a>（PDF，1 KB）' in page
    assert "资助政策宣传情况报告</a>（DOCX，" in page
    data = json.loads((folder / f"{RID}.json").read_text(encoding="utf-8"))
    by_name = {a["url"].rsplit("/", 1)[1]: a for a in data["attachments"]}
    assert set(by_name) == {"report.pdf", "report.docx", "notice.ofd"}
    for name, entry in by_name.items():
        shipped = (folder / name).read_bytes()
        assert entry["size"] == len(shipped)
        assert entry["sha256"] == hashlib.sha256(shipped).hexdigest()
        assert entry["url"] == f"https://czt.nmg.gov.cn/yjgk/records/{RID}/{name}"
    assert by_name["report.pdf"]["type"] == "pdf" and by_name["report.pdf"]["title"] == "年度绩效目标说明"
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert f'<link rel="enclosure" href="https://czt.nmg.gov.cn/yjgk/records/{RID}/report.pdf"' in feed


def test_a_phrase_inside_a_pdf_or_a_docx_is_found_by_the_search(built):
    _, site = built
    fragments = [_text(p) for p in (site / "pagefind" / "fragment").iterdir()]
    for phrase, page in ((PDF_PHRASE, "report.pdf.html"), (DOCX_PHRASE, "report.docx.html")):
        found = [f for f in fragments if phrase in f]
        assert found, phrase
        assert any(f'"url":"/records/{RID}/{page}"' in f for f in found)
    text_page = (site / "records" / RID / "report.docx.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="类别">绩效目标</span>' in text_page
    assert 'href="report.docx"' in text_page and 'href="./"' in text_page


def test_shipped_documents_carry_no_metadata(built):
    _, site = built
    pdf = (site / "records" / RID / "report.pdf").read_bytes()
    assert PdfReader(io.BytesIO(pdf)).metadata is None and b"Zhang San" not in pdf
    props = docx.Document(site / "records" / RID / "report.docx").core_properties
    assert (props.author, props.title, props.comments) == ("", "", "")
    assert "张起草" not in doctext.guard_text((site / "records" / RID / "report.docx").read_bytes(), "docx")
    ofd = (site / "records" / RID / "notice.ofd").read_bytes()
    assert doctext.metadata_left(ofd, "ofd") == [] and "OFD版通知正文" in doctext.extract_text(ofd, "ofd")


def test_confidential_attachments_are_absent_from_every_output(built):
    root, site = built
    outputs = {p.relative_to(site).as_posix(): _text(p) for p in site.rglob("*") if p.is_file()}
    assert not (site / "records" / RID / "draft.docx").exists()
    assert not (site / "records" / "lcj-2026-goal-secret").exists()
    for canary in (SECRET_ATTACHMENT, "内部审议稿", "draft.docx", SECRET_RECORD_ATTACHMENT, "Border watchtower",
                   "plan.pdf", "plan.docx", "边境防火设施布设方案", "布设方案说明"):
        assert [name for name, text in outputs.items() if canary in text] == [], canary


def test_a_public_pdf_quoting_a_withheld_field_fails_the_build(tmp_path):
    goal = GOAL.replace("agency: 内蒙古自治区学生资助管理中心", f"agency: {CANARY_FIELD}")
    goal = goal.replace("approved_on:", "withheld_fields: [agency]\napproved_on:")
    root = make_site(tmp_path, {
        GOAL_PATH: goal + "attachments:\n  - {path: report.pdf, title: 年度报告}\n",
        f"{FOLDER}/report.pdf": minimal_pdf(["Implemented by CANARY-AGENCY-7731 under contract"]),
    })
    # The PDF's text is Latin (Helvetica): the withheld value is too, so the report can quote it.
    path = root / "content" / GOAL_PATH
    path.write_text(path.read_text(encoding="utf-8").replace(CANARY_FIELD, "CANARY-AGENCY-7731"), encoding="utf-8")
    # Validation already names both places: the report quoting it and the withheld field.
    with pytest.raises(BuildError) as err:
        build(root, tmp_path / "site")
    [quote] = [p for p in err.value.problems if p.code == "quote_of_secret"]
    assert quote.file == f"content/{GOAL_PATH}" and "附件 report.pdf" in quote.message
    assert f"content/{GOAL_PATH}:" in quote.params["source"] and quote.params["what"] == "不予公开字段 agency"
    assert not (tmp_path / "site").exists()
    # Had it reached the output some other way, the guard reads the shipped PDF's text.
    shipped = tmp_path / "out" / "records" / RID
    shipped.mkdir(parents=True)
    (shipped / "report.pdf").write_bytes(doctext.strip((root / "content" / FOLDER / "report.pdf").read_bytes(), "pdf"))
    from generator.secrecy.redact import Secret

    [leak] = guard.check(tmp_path / "out", [Secret("CANARY-AGENCY-7731", "x", "不予公开字段 agency", "x")], [], [], 4)
    assert leak.code == "leak_found" and leak.params["output"] == f"records/{RID}/report.pdf"
    assert leak.message.startswith(f"泄密检查未通过：输出文件 records/{RID}/report.pdf 含有不予公开的内容“CA…")


def test_a_public_report_sharing_template_lines_with_a_withheld_one_still_builds(tmp_path):
    heading = "一、项目基本情况及绩效目标设定依据"
    root = make_site(tmp_path, {
        GOAL_PATH: _goal("  - {path: a.docx, title: 公开报告}\n  - {path: b.docx, title: 内部稿, confidential: true}\n"),
        f"{FOLDER}/a.docx": make_docx([heading, "公开的正文内容，介绍资助政策执行情况。"]),
        f"{FOLDER}/b.docx": make_docx([heading, SECRET_ATTACHMENT + "。"]),
    })
    build(root, tmp_path / "site")
    assert heading in (tmp_path / "site" / "records" / RID / "a.docx.html").read_text(encoding="utf-8")


def test_redaction_keeps_attachment_text_for_the_guard_only(tmp_path):
    root = make_site(tmp_path, {
        GOAL_PATH: _goal("  - {path: b.docx, title: 内部稿, confidential: true}\n"),
        f"{FOLDER}/b.docx": make_docx([SECRET_ATTACHMENT]),
    })
    validated = read_site(root)
    redacted = redact(validated.records, validated.catalog)
    public = next(r for r in redacted.public if r.id == RID)
    assert public.attachments == ()
    assert redacted.withheld.attachments == {RID: 1}
    assert any(SECRET_ATTACHMENT in s.text and s.what == "不予公开的附件 b.docx" for s in redacted.secrets)


# ---- review and the log ------------------------------------------------------------------------------

def test_review_lists_added_changed_and_removed_attachments(tmp_path):
    base = make_site(tmp_path / "base", {
        GOAL_PATH: _goal("  - {path: a.pdf, title: 甲}\n  - {path: b.pdf, title: 乙}\n"),
        f"{FOLDER}/a.pdf": PDF, f"{FOLDER}/b.pdf": PDF})
    head = make_site(tmp_path / "head", {
        GOAL_PATH: _goal("  - {path: a.pdf, title: 甲}\n  - {path: c.pdf, title: 丙}\n"),
        f"{FOLDER}/a.pdf": minimal_pdf(["New version of the report"]), f"{FOLDER}/c.pdf": PDF})
    changes = attachment_changes(read_side(base), read_side(head))
    assert [(c.name, c.change, c.old_size, c.new_size) for c in changes] == [
        ("a.pdf", "changed", len(PDF), len(minimal_pdf(["New version of the report"]))),
        ("b.pdf", "removed", len(PDF), None),
        ("c.pdf", "added", None, len(PDF)),
    ]


def test_review_markdown_shows_attachment_sizes(tmp_path):
    from datetime import date

    from generator.reports.review import AttachmentChange, Review, Side

    review = Review(base="main", base_commit="0" * 40, today=date(2026, 3, 1), head=Side(), base_side=Side(),
                    new=[], changed=[], withdrawn=[], withheld_records=[], withheld_rows=[], withheld_fields=[],
                    problems=[], deadlines=[],
                    attachments=[AttachmentChange(RID, "a.pdf", "年度报告", "changed", 1536, 3 * 1024 * 1024),
                                 AttachmentChange(RID, "b.pdf", None, "removed", 2048, None)])
    review.head.catalog = read_site(make_site(tmp_path)).catalog
    text = markdown(review)
    assert f"| `{RID}` | 年度报告（`a.pdf`） | 更换 | 2 KB | 3.0 MB |" in text
    assert f"| `{RID}` | —（改为不予公开）（`b.pdf`） | 撤下 | 2 KB | — |" in text


def test_record_hash_changes_with_an_attachment_only_when_there_is_one(tmp_path):
    from generator.log.publog import record_hash

    plain_root = make_site(tmp_path / "plain")
    with_root = make_site(tmp_path / "with", {GOAL_PATH: _goal("  - {path: a.pdf, title: 甲}\n"),
                                             f"{FOLDER}/a.pdf": PDF})
    changed_root = make_site(tmp_path / "changed", {GOAL_PATH: _goal("  - {path: a.pdf, title: 甲}\n"),
                                                   f"{FOLDER}/a.pdf": minimal_pdf(["Another"])})

    def hashes(root: Path) -> dict[str, str]:
        v = read_site(root)
        return {r.id: record_hash(r) for r in redact(v.records, v.catalog).public}

    plain, with_, changed = hashes(plain_root), hashes(with_root), hashes(changed_root)
    assert plain["lcj-2026-mon-thlc"] == with_["lcj-2026-mon-thlc"]
    assert len({plain[RID], with_[RID], changed[RID]}) == 3
