"""`disclose compliance`'s report: timeliness and completeness per department and year, assembled from
what the site may publish (public records, the log, the resolved register), and its text, Markdown and
JSON forms. Its output can therefore go to a public job summary.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.log import publog
from generator.model.catalog import Catalog
from generator.model.departments import short_name
from generator.model.formatting import CHINA_TIME, cn_date
from generator.problems import BuildError
from generator.reports.compliance import Item, Report, Tally, assess


def parse_as_of(text: str) -> date:
    if text.strip().lower() == "today":
        return datetime.now(CHINA_TIME).date()  # deadlines are counted in China time
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BuildError.one("compliance_bad_as_of", "命令行", value=text) from None


def compliance_report(root: Path, as_of: date) -> tuple[Report, dict[str, Any], Catalog]:
    """Validate, redact, read the log and the register, and assess; BuildError on bad input."""
    from generator.build import read_site
    from generator.source.register import resolve

    site = read_site(root, redact=True)
    assert site.redacted is not None and site.register is not None
    events = publog.read_log(root / publog.LOG_FILE)
    resolved = resolve(site.register, site.records, site.catalog)
    report = assess(site.redacted.public, resolved, events, site.catalog, site.config, site.departments, as_of)
    return report, site.departments, site.catalog


def _dept(code: str, depts: dict[str, Any]) -> str:
    return short_name(depts, code)


def _what(i: Item) -> str:
    """An item as the public may see it: its record's title, else its project code."""
    if i.title:
        return i.title
    return f"项目代码 {i.project_code}" if i.project_code else "（部门整体，无项目代码）"


def _where(i: Item) -> str:
    return f"记录 {i.record_id}" if i.record_id else f"登记表第 {i.line} 行"


def item_name(i: Item, depts: dict[str, Any], catalog: Catalog) -> str:
    return f"{_dept(i.dept, depts)}{i.year}年{catalog.kinds[i.kind].title}“{_what(i)}”（{_where(i)}）"


def _n(value: Any) -> str:
    return "—" if value is None else str(value)


def _tally_cells(t: Tally, withheld: bool) -> list[str]:
    cells = [str(t.expected), str(t.published), str(t.on_time), str(t.late), str(t.missing), str(t.not_due)]
    if withheld:
        cells.append(str(t.withheld))
    return cells + [_n(t.mean_delay), _n(t.worst_delay)]


def _round_cell(part, n_label: str) -> str:
    t = part.tally
    text = part.status
    counts = [f"{label} {n}" for n, label in ((t.on_time, "按时"), (t.late, "逾期"), (t.missing, "逾期未公开"),
                                             (t.not_due, "未到期")) if n]
    if t.expected:
        text += f"（{'，'.join(counts) or f'{n_label} {t.published}/{t.expected}'}）"
    if part.last:
        text += f"，最近公开于 {cn_date(part.last)}"
    return text


def sections(report: Report, depts: dict[str, Any], catalog: Catalog) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, header, rows) for the text and Markdown outputs."""
    head = ["部门", "年度", "类别", "应公开", "已公开", "按时", "逾期", "逾期未公开", "未到期"]
    if report.show_withheld:
        head.append("依法不予公开")
    head += ["平均逾期（天）", "最长逾期（天）"]
    rows = []
    for dept, year, kinds, total in report.groups():
        for kind, tally in kinds:
            rows.append([_dept(dept, depts), str(year), catalog.kinds[kind].title,
                         *_tally_cells(tally, report.show_withheld)])
        rows.append([_dept(dept, depts), str(year), "合计", *_tally_cells(total, report.show_withheld)])
    out = [("各部门公开情况", head, rows)]
    out.append((f"逾期未公开事项（{len(report.overdue)} 项）",
                ["部门", "年度", "类别", "事项", "来源", "应公开日期", "已逾期（天）"],
                [[_dept(i.dept, depts), str(i.year), catalog.kinds[i.kind].title, _what(i), _where(i),
                  cn_date(i.due), str(i.days)] for i in report.overdue]))
    out.append((f"逾期公开事项（{len(report.late)} 项）",
                ["部门", "年度", "类别", "事项", "应公开日期", "公开日期", "逾期（天）", "说明"],
                [[_dept(i.dept, depts), str(i.year), catalog.kinds[i.kind].title, _what(i), cn_date(i.due),
                  cn_date(i.published), str(i.days), "已说明延期原因" if i.explained else ""]
                 for i in report.late]))
    out.append(("绩效监控年度汇总（《监控办法》第十二条）",
                ["年度", "报送截止日", "部门", "绩效监控情况表", "绩效监控报告"],
                [[str(r.year), cn_date(r.due), _dept(r.dept, depts), _round_cell(r.tables, "已公开"),
                  _round_cell(r.report, "已公开")] for r in report.rounds]))
    out.append((f"需关注的项目：目标完全不可能完成或红色预警（{len(report.flags)} 项）",
                ["部门", "年度", "项目", "项目代码", "情况"],
                [[_dept(f.dept, depts), str(f.year), f"{f.title}（{f.record_id}）", f.project_code or "",
                  "；".join(f.reasons)] for f in report.flags]))
    return out


def _summary(report: Report) -> str:
    t = report.total()
    text = (f"截至 {cn_date(report.as_of)}：应公开 {t.expected} 项，已公开 {t.published} 项"
            f"（按时 {t.on_time}，逾期 {t.late}），逾期未公开 {t.missing} 项，未到期 {t.not_due} 项")
    if t.delays:
        text += f"；逾期公开的平均逾期 {t.mean_delay} 天，最长 {t.worst_delay} 天"
    if report.show_withheld and t.withheld:
        text += f"；依法不予公开 {t.withheld} 项"
    text += "。"
    if not report.register:
        text += "未提供应公开事项登记表（content/register.csv），只统计已有的记录。"
    return text


def render(report: Report, depts: dict[str, Any], catalog: Catalog, markdown: bool) -> str:
    title = "预算绩效管理信息公开情况考核"
    lines = [f"# {title}" if markdown else title, "", _summary(report)]
    for heading, header, rows in sections(report, depts, catalog):
        lines += ["", f"## {heading}" if markdown else f"{heading}："]
        if not rows:
            lines += ["", "无。"] if markdown else ["  无。"]
            continue
        if markdown:
            lines += ["", _md_row(header), "|" + "---|" * len(header)]
            lines += [_md_row(r) for r in rows]
        else:
            lines += ["  " + "  ".join(f"{h}：{c}" for h, c in zip(header, r, strict=True) if c) for r in rows]
    return "\n".join(lines)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _tally_json(t: Tally, withheld: bool) -> dict[str, Any]:
    data = {"expected": t.expected, "published": t.published, "on_time": t.on_time, "late": t.late,
            "missing": t.missing, "not_due": t.not_due, "mean_delay": t.mean_delay, "worst_delay": t.worst_delay}
    if withheld:
        data["withheld"] = t.withheld
    return data


def item_json(i: Item, depts: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    return {"dept": i.dept, "dept_name": _dept(i.dept, depts), "year": i.year, "kind": i.kind,
            "kind_title": catalog.kinds[i.kind].title, "status": i.status, "record_id": i.record_id,
            "title": i.title, "project_code": i.project_code, "register_line": i.line,
            "due": i.due.isoformat() if i.due else None,
            "published": i.published.isoformat() if i.published else None, "days": i.days,
            "delay_explained": i.explained}


def to_json(report: Report, depts: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    w = report.show_withheld

    def part(p) -> dict[str, Any]:
        return {"status": p.status, **_tally_json(p.tally, w), "last_published": p.last.isoformat() if p.last else None}

    return {
        "as_of": report.as_of.isoformat(),
        "register": report.register,
        "total": _tally_json(report.total(), w),
        "groups": [{"dept": d, "year": y, "kind": k, "kind_title": catalog.kinds[k].title, **_tally_json(t, w)}
                   for (d, y, k), t in report.tallies.items()],
        "items": [item_json(i, depts, catalog) for i in report.items],
        "monitoring_round": [{"year": r.year, "due": r.due.isoformat(), "dept": r.dept, "tables": part(r.tables),
                              "report": part(r.report)} for r in report.rounds],
        "flags": [{"dept": f.dept, "year": f.year, "record_id": f.record_id, "title": f.title,
                   "project_code": f.project_code, "reasons": f.reasons} for f in report.flags],
    }
