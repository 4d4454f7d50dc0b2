"""Text from editors cannot be turned against readers (issue 17, point 1): a site whose records carry
scripts, event handlers, `javascript:` links and iframes in every field that reaches a page is built, and
every HTML file of the output is parsed: no script but the site's own, no on*= attribute, no
`javascript:` address, no iframe/object/embed. `validate` names what the page will not carry."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from tests.fixtures_site import DEPARTMENTS, GOAL, GOAL_PATH, make_site

PAYLOADS = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">',
            '<a href="javascript:window.__pwned=1">点我</a>', '<iframe src="https://evil.example/"></iframe>',
            '[点击](javascript:window.__pwned=1)', '<svg onload="window.__pwned=1"></svg>',
            '<a href="JaVa&#09;ScRiPt:window.__pwned=1">大小写</a>', '<object data="x.swf"></object>']
ATTACK = " ".join(PAYLOADS)
SHORT = " ".join(PAYLOADS[:3])  # titles and indicator names are at most 200 characters

NOTICE_PATH = "jyt/2026/notices/jyt-2026-notice-evil.yml"
NOTICE = f"""\
id: jyt-2026-notice-evil
title: '通知 {SHORT}'
summary: '摘要 {ATTACK}'
notice_type: 通知通告
issued_on: 2026-05-08
body: |-
  第一段正常文字，含 [财政厅](https://czt.nmg.gov.cn/) 链接和 **强调**。

  <script>window.__pwned=1</script>
  <img src=x onerror="window.__pwned=1">
  [点击领取](javascript:window.__pwned=1)
  <iframe src="https://evil.example/"></iframe>
  <a href="JaVa&#09;ScRiPt:window.__pwned=1">大小写</a>
  ![外站图片](https://evil.example/track.png)

  | 项目 | 金额 |
  |:--|--:|
  | 甲 | 1 |
"""
# The goal's title, summary, narrative and an indicator row carry the same payloads (escaped, never run).
EVIL_GOAL = (GOAL.replace("title: 2026年家庭经济困难学生资助补助资金绩效目标", f"title: '目标 {SHORT}'")
             .replace("summary: 资助家庭经济困难学生，保障其顺利完成学业。", f"summary: '{ATTACK}'")
             .replace("overall_goal: 健全学生资助体系，做到应助尽助。", f"overall_goal: '{ATTACK}'")
             .replace("name: 资助学生人次", f"name: '{SHORT}'"))
EVIL_DEPARTMENTS = DEPARTMENTS.replace("short_name: 林草局", f"short_name: '林草局 {SHORT}'")
DANGEROUS_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "form"}


class _Scan(HTMLParser):
    """Every executable thing in one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            own = a.get("src") and "://" not in (a["src"] or "")
            data = a.get("type") in ("application/ld+json", "application/json")
            if not (own or data):
                self.bad.append(f"<script {attrs}>")
        if tag in DANGEROUS_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=…>")
            compact = "".join((value or "").split()).lower()
            if name in ("href", "src", "action", "formaction", "data", "xlink:href") and compact.startswith(
                    ("javascript:", "vbscript:", "data:text/html")):
                self.bad.append(f"<{tag} {name}={value}>")

    handle_startendtag = handle_starttag


def scan(site: Path) -> list[str]:
    found = []
    for page in sorted(site.rglob("*.html")):
        s = _Scan()
        s.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(site)}: {b}" for b in s.bad]
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    root = make_site(tmp / "repo", {NOTICE_PATH: NOTICE, GOAL_PATH: EVIL_GOAL,
                                          "departments.yml": EVIL_DEPARTMENTS})
    out = tmp / "site"
    build(root, out)
    return root, out


def test_no_script_handler_javascript_or_iframe_in_any_page(hostile):
    _, out = hostile
    assert (out / "records" / "jyt-2026-notice-evil" / "index.html").is_file()
    assert scan(out) == []


def test_the_scan_finds_each_attack_when_it_is_there(tmp_path):
    """The scan itself is not blind: the raw payloads in a page are all caught."""
    (tmp_path / "p.html").write_text(f"<html><body>{ATTACK}</body></html>", encoding="utf-8")
    found = " ".join(scan(tmp_path))
    for what in ("<script", "onerror", "javascript:window", "<iframe>", "onload", "<object>"):
        assert what in found, what


def test_notice_keeps_its_markdown_and_drops_the_rest(hostile):
    _, out = hostile
    page = (out / "records" / "jyt-2026-notice-evil" / "index.html").read_text(encoding="utf-8")
    body = page.split('<div class="dc-body">', 1)[1].split("</div>", 1)[0]
    assert '<a href="https://czt.nmg.gov.cn/" rel="noopener noreferrer">财政厅</a>' in body
    assert "<strong>强调</strong>" in body and '<td style="text-align:right">1</td>' in body
    assert "evil.example" not in body and "__pwned" not in body


def test_escaped_fields_show_the_text_as_text(hostile):
    _, out = hostile
    page = (out / "records" / "jyt-2026-goal-xszz" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page


def test_validate_warns_naming_file_line_and_what_was_removed(hostile):
    root, _ = hostile
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "notice-evil.yml" in line and "已去除" in line]
    assert len(lines) == 1, result.output
    line = lines[0]
    assert f"{NOTICE_PATH}:9:" in line  # the <script> line of the body
    for what in ("<script> 标签及其内容", "<img> 的 onerror 属性", "“javascript:”链接", "<iframe> 标签及其内容",
                 "站外图片"):
        assert what in line, what
