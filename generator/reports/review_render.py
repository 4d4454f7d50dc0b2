"""The review as Chinese Markdown (job summary, pull-request comment) and as JSON.

The Markdown starts with MARKER so the workflow finds and updates its one comment, and puts the counts
before DETAILS so a comment too long for GitHub can be cut there. Every value comes from public
records; withheld items appear as ids, field names and numbers only.
"""

from __future__ import annotations

import html
import re
from typing import Any

from generator.model.catalog import Catalog
from generator.model.departments import short_name
from generator.model.formatting import WITHHELD_TEXT, cn_date, display, plain, size_text
from generator.model.records import PublicRecord
from generator.problems import Problems
from generator.reports import deadlines
from generator.reports.review import Changed, FieldChange, Review, row_label

MARKER = "<!-- disclose-review -->"
DETAILS = "<!-- disclose-review:details -->"
MAX_CELL = 300  # characters of one value in a table; the preview site shows the rest
REASONS = {"deleted": "已删除", "confidential": "改为不予公开（整条记录）", "unreadable": "本次无法读取（见校验错误）"}
EMPTY = "（空）"
HIDDEN_BEFORE = "（原内容不再显示）"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_SAFE_CODE = re.compile(r"^[\w.\-/:~^@{}]+$")


def md(text: Any) -> str:
    """Text safe in a Markdown table cell or list item: no HTML, no markup, one line."""
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
    return "<br>".join(escaped.splitlines())


def code(text: Any) -> str:
    text = str(text)
    return f"`{text}`" if _SAFE_CODE.match(text) else md(text)


def _clip(text: str) -> str:
    if len(text) <= MAX_CELL:
        return text
    return text[:MAX_CELL] + f"……（共 {len(text)} 字，完整内容见预览站点）"


def value_text(value: Any, spec: dict[str, Any] | None = None) -> str:
    shown = display(value, spec)
    return md(_clip(shown)) if shown.strip() else EMPTY


def _spec(catalog: Catalog, kind: str, name: str) -> dict[str, Any] | None:
    k = catalog.kinds.get(kind)
    return (k.by_name.get(name) if k else None) or catalog.indicator_by_name.get(name)


def _kind_title(catalog: Catalog | None, kind: str) -> str:
    if catalog and kind in catalog.kinds:
        return catalog.kinds[kind].title
    return kind


def _dept(review: Review, code_: str) -> str:
    known = review.head.departments if code_ in review.head.departments else review.base_side.departments
    name = short_name(known, code_)
    return f"{name}（{code_}）" if name != code_ else str(code_)


# ---- Markdown ---------------------------------------------------------------------------------------

def markdown(review: Review) -> str:
    catalog = review.catalog
    out = [MARKER, "## 公开内容审核摘要", ""]
    out.append(f"本摘要比较基准版本 {code(review.base)}（提交 `{review.base_commit[:12]}`）与本次修改后的内容，"
               f"列出合并后网站将新增、修改、撤下的内容，以及新增的不予公开内容。审核日期：{cn_date(review.today)}。")
    out += ["", "| 项目 | 数量 |", "|---|---:|"]
    rows = sum(n - before for _, n, before in review.withheld_rows)
    fields = sum(len(names) for _, names in review.withheld_fields)
    for label, n in (("新公开的记录", len(review.new)), ("内容有变化的记录", len(review.changed)),
                     ("撤下（不再公开）的记录", len(review.withdrawn)),
                     ("新增整条不予公开的记录", len(review.withheld_records)),
                     ("新增不予公开的指标行", rows), ("新增不予公开的字段", fields),
                     ("校验错误", len(review.errors))):
        out.append(f"| {label} | {n} |")
    out.append("")
    if review.errors:
        out.append(f"**校验未通过：{len(review.errors)} 个错误，须改正后才能合并。**")
    else:
        out.append("校验通过。")
    if review.head.catalog is None:
        out.append("修改后的站点无法读取（见下方校验问题），未能与基准版本比较。")
    base_errors = len(review.base_side.errors)
    if base_errors:
        out.append(f"（基准版本本身有 {base_errors} 个校验错误，其中无法读取的记录在下文可能显示为新公开。）")
    out += ["", DETAILS]
    if not catalog:
        return "\n".join(out + [""] + _problems(review))
    out += _new(review, catalog) + _changed(review, catalog) + _withdrawn(review, catalog) + _attachments(review)
    out += _withheld(review, catalog) + _allow_list(review) + _deadlines(review, catalog) + _problems(review)
    if not (review.new or review.changed or review.withdrawn or review.withheld_records or review.withheld_rows
            or review.withheld_fields or review.problems):
        out += ["", "与基准版本相比，公开内容没有变化。"]
    return "\n".join(out) + "\n"


def _allow_list(review: Review) -> list[str]:
    """The phrases editors declared public although a secret contains them: the reviewer approves each."""
    if not review.allow_list:
        return []
    out = ["", "### 公开表述清单（content/public-phrases.yml）", "",
           "以下文字虽出现在不予公开的内容中，编辑声明其本身公开，泄密检查不再查找。请逐条确认理由成立。", "",
           "| 文字 | 理由 | 本次新增 |", "|---|---|---|"]
    out += [f"| {md(text)} | {md(reason)} | {'是' if added else ''} |" for text, reason, added in review.allow_list]
    return out


def _new(review: Review, catalog: Catalog) -> list[str]:
    if not review.new:
        return []
    out = ["", f"### 新公开的记录（{len(review.new)} 条）", "", "| 记录编号 | 标题 | 类别 | 部门 | 年度 |",
           "|---|---|---|---|---|"]
    for rec, was_withheld in review.new:
        note = "（原为不予公开）" if was_withheld else ""
        out.append(f"| {code(rec.id)} | {md(rec.fields.get('title') or '')}{note} | {_kind_title(catalog, rec.kind)} "
                   f"| {md(_dept(review, rec.dept))} | {md(rec.year)} |")
    return out


def _field_cell(change: FieldChange, catalog: Catalog, kind: str, side: str) -> str:
    if side == "old":
        if change.old_withheld:
            return WITHHELD_TEXT
        if change.new_withheld:
            return HIDDEN_BEFORE
        return value_text(change.old, _spec(catalog, kind, change.name))
    if change.new_withheld:
        return f"**{WITHHELD_TEXT}**"
    return value_text(change.new, _spec(catalog, kind, change.name))


def _changed_one(c: Changed, catalog: Catalog, review: Review) -> list[str]:
    rec = c.record
    out = ["", f"#### {code(rec.id)} {md(rec.fields.get('title') or '')}",
           "", f"{_kind_title(catalog, rec.kind)} · {md(_dept(review, rec.dept))} · {md(rec.year)} 年度"]
    if c.fields:
        out += ["", "| 字段 | 原内容 | 新内容 |", "|---|---|---|"]
        for f in c.fields:
            out.append(f"| {md(f.title)}（{code(f.name)}） | {_field_cell(f, catalog, rec.kind, 'old')} "
                       f"| {_field_cell(f, catalog, rec.kind, 'new')} |")
    if c.rows_added or c.rows_removed or c.rows_changed:
        out += ["", "绩效指标："]
        for row in c.rows_added:
            out.append(f"- 新增：{md(row_label(row))}{_target(row)}")
        for row in c.rows_removed:
            out.append(f"- 删除：{md(row_label(row))}{_target(row)}")
        for rc in c.rows_changed:
            parts = "；".join(f"{md(f.title)} {value_text(f.old, _spec(catalog, rec.kind, f.name))} → "
                             f"{value_text(f.new, _spec(catalog, rec.kind, f.name))}" for f in rc.fields)
            out.append(f"- 修改：{md(rc.label)}：{parts}")
    return out


def _target(row: dict[str, Any]) -> str:
    target = " ".join(display(row.get(k)) for k in ("operator", "target", "unit") if row.get(k) not in (None, ""))
    return f"（指标值：{md(target)}）" if target else ""


def _changed(review: Review, catalog: Catalog) -> list[str]:
    if not review.changed:
        return []
    out = ["", f"### 内容有变化的记录（{len(review.changed)} 条）"]
    for c in review.changed:
        out += _changed_one(c, catalog, review)
    return out


def _withdrawn(review: Review, catalog: Catalog) -> list[str]:
    if not review.withdrawn:
        return []
    out = ["", f"### 撤下的记录（{len(review.withdrawn)} 条）", "",
           "合并后这些记录的页面和数据将从网站上撤下，公开日志记一条撤回事件。", "",
           "| 记录编号 | 原因 | 原标题 | 类别 | 部门 |", "|---|---|---|---|---|"]
    for w in review.withdrawn:
        before = w.before
        # A record made confidential is named by its id only: its title is withheld now.
        title = "—" if w.reason == "confidential" else md(before.fields.get("title") or "")
        out.append(f"| {code(before.id)} | {REASONS[w.reason]} | {title} | {_kind_title(catalog, before.kind)} "
                   f"| {md(_dept(review, before.dept))} |")
    return out


ATTACHMENT_CHANGES = {"added": "新增", "changed": "更换", "removed": "撤下"}


def _attachments(review: Review) -> list[str]:
    if not review.attachments:
        return []
    out = ["", f"### 附件变化（{len(review.attachments)} 个）", "", "| 记录编号 | 附件 | 变化 | 原大小 | 新大小 |",
           "|---|---|---|---:|---:|"]
    for a in review.attachments:
        old = size_text(a.old_size) if a.old_size is not None else "—"
        new = size_text(a.new_size) if a.new_size is not None else "—"
        title = "—（改为不予公开）" if a.title is None else md(a.title)
        out.append(f"| {code(a.record)} | {title}（{code(a.name)}） | {ATTACHMENT_CHANGES[a.change]} | {old} "
                   f"| {new} |")
    return out


def _withheld(review: Review, catalog: Catalog) -> list[str]:
    if not (review.withheld_records or review.withheld_rows or review.withheld_fields):
        return []
    out = ["", "### 新增的不予公开内容（仅供审核人）", "",
           "请审核人确认以下内容确属依法不予公开的范围，且已填写依据。此处只列编号、字段名和数量，不显示内容。"]
    if review.withheld_records:
        out += ["", "整条记录不予公开：" + "、".join(code(rid) for rid in review.withheld_records)]
    if review.withheld_rows:
        out += ["", "不予公开的指标行："]
        for rid, n, before in review.withheld_rows:
            was = f"（原为 {before} 行）" if before else ""
            out.append(f"- {code(rid)}：{n} 行{was}")
    if review.withheld_fields:
        out += ["", "不予公开的字段："]
        for rid, names in review.withheld_fields:
            kind = _kind_of(review, rid)
            titles = "、".join(f"{md(_field_title(catalog, kind, n))}（{code(n)}）" for n in names)
            out.append(f"- {code(rid)}：{titles}")
    return out


def _kind_of(review: Review, rid: str) -> str | None:
    rec = review.head.records.get(rid)
    return rec.kind if rec else None


def _field_title(catalog: Catalog, kind: str | None, name: str) -> str:
    return catalog.kinds[kind].title_of(name) if kind in catalog.kinds else name


def _deadlines(review: Review, catalog: Catalog) -> list[str]:
    if not review.deadlines:
        return []
    out = ["", "### 公开时限", "", f"尚未公开的记录按今天（{cn_date(review.today)}）合并并公开计算。", "",
           "| 记录编号 | 类别 | 应公开日期 | 公开日期 | 状态 |", "|---|---|---|---|---|"]
    for d in review.deadlines:
        out.append(f"| {code(d.record.id)} | {_kind_title(catalog, d.record.kind)} | {cn_date(d.due) or '—'} "
                   f"| {cn_date(d.published) if d.published else '今天（合并后）'} | {deadline_text(d)} |")
    return out


def deadline_text(d: Any) -> str:
    if d.status == deadlines.LATE:
        late = f"逾期 {-d.days_left} 天" if d.days_left is not None else "逾期"
        return f"{late}，未填写延期公开原因（delay_reason）"
    if d.days_left is not None and d.status == deadlines.ON_TIME:
        return f"按时（距应公开日期还有 {d.days_left} 天）"
    if d.days_left is not None and d.status == deadlines.LATE_EXPLAINED:
        return f"逾期 {-d.days_left} 天（已说明原因）"
    return d.status


def _problems(review: Review) -> list[str]:
    if not review.problems:
        return []
    errors, warnings = review.errors, Problems(review.problems).warnings
    out = ["", f"### 校验问题（{len(errors)} 个错误，{len(warnings)} 个提示）", ""]
    for p in errors + warnings:
        label = p.label
        where = code(p.where) if p.file else "（未知文件）"
        field_ = f"字段“{md(p.field_title or p.field)}”（{code(p.field)}）：" if p.field else ""
        out.append(f"- {label} {where}：{field_}{md(p.message)}")
    return out


# ---- JSON -------------------------------------------------------------------------------------------

def _record(review: Review, rec: PublicRecord, title: bool = True) -> dict[str, Any]:
    data = {"id": rec.id, "kind": rec.kind, "kind_title": _kind_title(review.catalog, rec.kind),
            "dept": rec.dept, "year": rec.year}
    if title:
        data["title"] = rec.fields.get("title")
    return data


def _change(f: FieldChange) -> dict[str, Any]:
    return {"field": f.name, "title": f.title, "old": None if f.new_withheld else plain(f.old),
            "new": None if f.new_withheld else plain(f.new), "old_withheld": f.old_withheld,
            "new_withheld": f.new_withheld}


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {"label": row_label(row), **{k: plain(v) for k, v in row.items()}}


def to_json(review: Review) -> dict[str, Any]:
    catalog = review.catalog
    return {
        "base": review.base, "base_commit": review.base_commit, "today": review.today.isoformat(),
        "ok": not review.errors, "compared": review.head.catalog is not None,
        "counts": {"new": len(review.new), "changed": len(review.changed), "withdrawn": len(review.withdrawn),
                   "withheld_records": len(review.withheld_records),
                   "withheld_rows": sum(n - before for _, n, before in review.withheld_rows),
                   "withheld_fields": sum(len(names) for _, names in review.withheld_fields),
                   "errors": len(review.errors), "warnings": len(review.problems) - len(review.errors),
                   "base_errors": len(review.base_side.errors)},
        "new": [{**_record(review, rec), "was_withheld": was} for rec, was in review.new],
        "changed": [{**_record(review, c.record), "fields": [_change(f) for f in c.fields],
                     "rows": {"added": [_row(r) for r in c.rows_added], "removed": [_row(r) for r in c.rows_removed],
                              "changed": [{"label": rc.label, "fields": [_change(f) for f in rc.fields]}
                                          for rc in c.rows_changed]}}
                    for c in review.changed],
        "withdrawn": [{**_record(review, w.before, title=w.reason != "confidential"), "reason": w.reason,
                       "reason_title": REASONS[w.reason]} for w in review.withdrawn],
        "withheld": {
            "records": review.withheld_records,
            "rows": [{"id": rid, "count": n, "before": before} for rid, n, before in review.withheld_rows],
            "fields": [{"id": rid, "fields": [{"name": n, "title": _field_title(catalog, _kind_of(review, rid), n)
                                               if catalog else n} for n in names]}
                       for rid, names in review.withheld_fields],
        },
        "deadlines": [{"id": d.record.id, "kind": d.record.kind, "due": d.due.isoformat() if d.due else None,
                       "published": d.published.isoformat() if d.published else None, "status": d.status,
                       "days_left": d.days_left, "text": deadline_text(d)} for d in review.deadlines],
        "problems": [p.to_json() for p in review.problems],
        "attachments": [{"id": a.record, "name": a.name, "title": a.title, "change": a.change,
                         "old_size": a.old_size, "new_size": a.new_size} for a in review.attachments],
        "allow_list": [{"text": t, "reason": r, "added": a} for t, r, a in review.allow_list],
    }
