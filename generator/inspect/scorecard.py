"""The inspection scorecard: one line per inspection item, in Chinese, as text, JSON or Markdown.

Categories follow 国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》: 单项否决 items fail the whole site;
扣分 items cost points. `blocking` marks what makes `disclose inspect` exit 1: every failed single-veto
item, and the site's own bugs (a broken internal link, a missing or mislabelled attachment).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

VETO = "单项否决"
DEDUCT = "扣分"
NORM = "规范要求"
SHOWN = 20  # details listed per item; the rest are counted


@dataclass
class Finding:
    item: str  # 检查项
    category: str  # VETO / DEDUCT / NORM
    ok: bool
    summary: str  # one sentence: what was checked and found
    details: list[str] = field(default_factory=list)
    blocking: bool = False  # a failure of this item makes the command exit 1
    site_error: bool = False  # the site's own bug (a broken link or attachment), not the content's age

    @property
    def verdict(self) -> str:
        if self.ok:
            return "通过"
        return "否决" if self.category == VETO else ("扣分" if self.category == DEDUCT else "不符合")


@dataclass
class Scorecard:
    site: str
    as_of: date
    pages: int
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(f.blocking and not f.ok for f in self.findings)

    @property
    def site_errors(self) -> bool:
        """Only the site's own bugs: what a pull request or a deploy must not add, whatever the content's age."""
        return any(f.site_error and not f.ok for f in self.findings)

    @property
    def conclusion(self) -> str:
        if any(f.category == VETO and not f.ok for f in self.findings):
            return "不合格：存在单项否决问题"
        bad = [f for f in self.findings if not f.ok]
        if any(f.blocking for f in bad):
            return "需整改：存在站点自身的错误链接或附件问题"
        if bad:
            return f"基本合格：{len(bad)} 项需改进"
        return "合格：全部检查项通过"


def _detail_lines(f: Finding) -> list[str]:
    lines = f.details[:SHOWN]
    if len(f.details) > SHOWN:
        lines.append(f"……另有 {len(f.details) - SHOWN} 处")
    return lines


def to_text(card: Scorecard) -> str:
    out = [f"政府网站检查（{card.site}，检查日期 {_cn(card.as_of)}，共 {card.pages} 个页面）",
           f"结论：{card.conclusion}", ""]
    for f in card.findings:
        out.append(f"[{f.verdict}] {f.item}（{f.category}）：{f.summary}")
        out += [f"    - {d}" for d in _detail_lines(f)]
    out += [""] + [f"说明：{n}" for n in card.notes]
    return "\n".join(out).rstrip() + "\n"


def to_markdown(card: Scorecard) -> str:
    mark = {"通过": "✅ 通过", "否决": "❌ 否决", "扣分": "⚠️ 扣分", "不符合": "⚠️ 不符合"}
    out = ["<!-- disclose-inspect -->", "## 政府网站检查", "",
           f"**结论：{card.conclusion}**（检查日期 {_cn(card.as_of)}，共 {card.pages} 个页面）", "",
           "| 检查项 | 类别 | 结果 | 情况 |", "|---|---|---|---|"]
    for f in card.findings:
        out.append(f"| {_md(f.item)} | {f.category} | {mark[f.verdict]} | {_md(f.summary)} |")
    for f in card.findings:
        if f.details and not f.ok:
            out += ["", f"### {f.item}", ""] + [f"- {_md(d)}" for d in _detail_lines(f)]
    if card.notes:
        out += [""] + [f"> {n}" for n in card.notes]
    return "\n".join(out) + "\n"


def to_json(card: Scorecard) -> dict[str, Any]:
    return {"site": card.site, "as_of": card.as_of.isoformat(), "pages": card.pages, "passed": not card.failed,
            "conclusion": card.conclusion, "notes": card.notes,
            "items": [{"item": f.item, "category": f.category, "ok": f.ok, "verdict": f.verdict,
                       "blocking": f.blocking, "summary": f.summary, "details": f.details} for f in card.findings]}


def render(card: Scorecard, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(to_json(card), ensure_ascii=False, indent=2) + "\n"
    return to_markdown(card) if fmt == "markdown" else to_text(card)


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
