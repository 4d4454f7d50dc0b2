"""The 当前位置 breadcrumb of every page that is not the home page or a record (record and attachment
pages draw their own, with the record's kind and year): worked out from the page's path, because
the small MkDocs navigation does not hold the year, department and month pages."""

from __future__ import annotations

import re
from html import escape
from typing import Any

import yaml

# Top folders that are not a record kind, with the title their section carries.
SECTIONS = {"depts": "按部门", "log": "公开日志", "search": "检索", "data": "开放数据", "compliance": "公开情况考核",
            "about": "公开说明", "conformance": "无障碍与规范", "guide": "编辑指南"}
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def trail(rel: str, m: Any) -> list[tuple[str, str]]:
    """(title, path from the site root) of the sections above the page at `rel` (…/index.md)."""
    parts = rel.split("/")[:-1]
    if not parts:
        return []
    kinds = {k.folder: k.title for k in m.catalog.kinds.values()}
    top = parts[0]
    out = [(kinds.get(top) or SECTIONS.get(top) or top, f"{top}/")]
    if top == "depts" and len(parts) >= 3:
        out.append((m.dept_short(parts[1]), f"depts/{parts[1]}/"))
    return out


def _title(text: str) -> str:
    front = _FRONT.match(text)
    if front:
        try:
            meta = yaml.safe_load(front.group(1)) or {}
        except yaml.YAMLError:
            meta = {}
        if isinstance(meta, dict) and meta.get("title"):
            return str(meta["title"])
    heading = re.search(r"^# (.+)$", text, re.M)
    return heading.group(1).strip() if heading else ""


def with_crumbs(rel: str, text: str, m: Any) -> str:
    """The page's Markdown with the breadcrumb put right after its front matter."""
    if rel == "index.md" or rel.startswith("records/"):
        return text
    root = "../" * rel.count("/")
    above = trail(rel, m)[:-1] if rel.count("/") == 1 else trail(rel, m)
    items = [f'<li><a href="{root or "./"}">首页</a></li>']
    items += [f'<li><a href="{root}{path}">{escape(title)}</a></li>' for title, path in above]
    items.append(f'<li><span aria-current="page">{escape(_title(text))}</span></li>')
    nav = ('<nav class="dc-crumbs" aria-label="当前位置"><span class="dc-crumbs__label">当前位置：</span>'
           f"<ol>{''.join(items)}</ol></nav>\n\n")
    front = _FRONT.match(text)
    at = front.end() if front else 0
    return text[:at] + nav + text[at:]
