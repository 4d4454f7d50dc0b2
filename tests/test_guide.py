"""The editor's guide: published as a page, in Chinese, covering every validation message (the table
is generated from the catalogue, so a new message code without a guide entry fails here)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import markdown
from click.testing import CliRunner

from generator.cli import main
from generator.editor.guide import BEGIN, END, GUIDE, refresh
from generator.model.catalog import load_catalog
from generator.problems.messages import CATALOGUE, SEVERITY
from generator.site.render import make_environment

PROJECT = Path(__file__).resolve().parents[1]
TEXT = (PROJECT / GUIDE).read_text(encoding="utf-8")


def rendered() -> str:
    catalog = load_catalog(PROJECT)
    env = make_environment(PROJECT)
    return env.get_template("pages/guide.md").render(kinds=catalog.kinds, m=SimpleNamespace(catalog=catalog),
                                                     root="../")


def test_every_message_code_is_in_the_guide() -> None:
    missing = [code for code in CATALOGUE if f"| `{code}` |" not in TEXT]
    assert missing == [], f"运行 disclose guide 更新 {GUIDE}：缺少 {missing}"
    assert refresh(TEXT) == TEXT, f"运行 disclose guide 更新 {GUIDE}"


def test_message_table_says_error_or_warning_and_shows_placeholders_as_ellipsis() -> None:
    table = TEXT[TEXT.index(BEGIN):TEXT.index(END)]
    assert "| `file_empty` | 错误 | 文件为空。请填写记录内容，或删除该文件。 |" in table
    warning = next(code for code, level in SEVERITY.items() if level == "warning")
    assert f"| `{warning}` | 提示 |" in table
    assert "{" not in table and "}" not in table  # no placeholders, nothing Jinja would read


def test_guide_renders_as_a_page_with_the_kinds_fields_and_rules() -> None:
    page = rendered()
    catalog = load_catalog(PROJECT)
    for kind in catalog.kinds.values():
        assert f"| {kind.title} | `{kind.folder}` | {kind.form} |" in page
        assert f"### {kind.title}（`{kind.folder}`）" in page
        for spec in kind.fields:
            assert f"| `{spec['name']}` | {spec['title']} |" in page
    for needed in ("第六条", "第七条", "第十一条", "第十二条", "8 月 31 日前", "confidential: true", "withheld_fields",
                   "confidential_basis", "disclose import", "disclose new", "disclose validate", "审核人逐项检查",
                   "| `as_printed` | 按原表保留说明 |"):
        assert needed in page, needed
    html = markdown.markdown(page, extensions=["tables", "fenced_code"])
    assert html.count("<table>") == len(catalog.kinds) + 3
    assert "content/&lt;部门代码&gt;/&lt;年度&gt;/&lt;类别目录&gt;/" in html  # text, not an HTML tag


def test_guide_command_refreshes_and_checks(tmp_path: Path) -> None:
    path = tmp_path / GUIDE
    path.parent.mkdir(parents=True)
    path.write_text(f"# 指南\n\n{BEGIN}\n| 旧表 |\n{END}\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["guide", "--root", str(tmp_path), "--check"])
    assert result.exit_code == 1
    assert "templates/pages/guide.md: 错误：本文件中自动生成的“校验提示一览”已过期" in result.output
    assert runner.invoke(main, ["guide", "--root", str(tmp_path)]).exit_code == 0
    assert "| `file_empty` |" in path.read_text(encoding="utf-8")
    assert runner.invoke(main, ["guide", "--root", str(tmp_path), "--check"]).exit_code == 0
