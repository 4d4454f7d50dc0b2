"""Record pages without the theme's indentation: smaller, and the same page to a reader."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from generator.site.compact import compact_html

BLOCKS = {"html", "head", "body", "div", "p", "table", "tbody", "tr", "td", "th", "h1", "nav", "style", "script"}


class _Text(HTMLParser):
    """What a browser shows, whitespace-collapsed (none at the edge of a block), plus the text of
    pre/script/style kept exactly."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.exact: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.shown.append(f"<{tag} {sorted(attrs)}>")

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        self.shown.append(f"</{tag}>")

    def handle_data(self, data):
        if set(self.stack) & {"pre", "textarea", "script", "style"}:
            self.exact.append(data)
        self.shown.append(data)

    def result(self):
        shown = re.sub(r"\s+", " ", "".join(self.shown)).strip()
        blocks = "|".join(BLOCKS)
        shown = re.sub(rf" ?(</?(?:{blocks})\b[^>]*>) ?", r"\1", shown)
        return shown, self.exact


def seen(html: str):
    p = _Text()
    p.feed(html)
    return p.result()


PAGE = """<!doctype html>
<html>
  <head>
    <script>
      var a = "two  spaces";
      if (a) {
          console.log(a);
      }
    </script>
    <style>
      .x  { color: red }
    </style>
  </head>
  <body>
    <p>
      资助学生人次
      <span>≥</span> <span>85000</span>
    </p>
    <pre>
  第一行
      缩进的第二行
</pre>
    <textarea>
   保留
</textarea>
    <ul>
      <li class="md-tabs__item">
        <a href="../..">
          首页
        </a>
      </li>
      <li class="md-tabs__item">
        <a href="../../goals/">公开信息</a>
      </li>
    </ul>
    <table>
      <tr>
        <th>一级指标</th>
        <td>产出指标</td>
      </tr>
    </table>
  </body>
</html>
"""


def test_compaction_keeps_what_a_reader_sees_and_code_exactly():
    small = compact_html(PAGE)
    outside = re.sub(r"<(pre|textarea|script|style)\b.*?</\1>", "", small, flags=re.S)
    assert "\n " not in outside and len(small) < len(PAGE)
    assert seen(small) == seen(PAGE)
    assert "<pre>\n  第一行\n      缩进的第二行\n</pre>" in small
    assert 'var a = "two  spaces";\n      if (a) {\n          console.log(a);' in small
    # Inline elements keep the whitespace between them (a space stays a space, a break a break).
    assert "<span>≥</span> <span>85000</span>" in small
    # … and so do list items, which the theme's tabs show inline-block; a break beside a block's tag goes.
    assert "</a>\n</li>\n<li" in small
    assert "<table><tr><th>一级指标</th><td>产出指标</td></tr></table>" in small
    assert "<p>资助学生人次\n<span>" in small

