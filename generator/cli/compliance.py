"""`disclose compliance`: timeliness and completeness per department and year, for the finance department
(the report is assembled in generator/reports/compliance_output.py).

`--fail-on-new` exits 3 when items became overdue in the last days: the daily workflow
(.github/workflows/overdue.yml) fails on it, and each new item is reported once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from generator.cli.base import fail, main, root_option
from generator.model.formatting import cn_date
from generator.problems import BuildError, Problems
from generator.reports.compliance_output import compliance_report, item_json, item_name, parse_as_of, render, to_json

NEW_OVERDUE_EXIT = 3


@main.command()
@root_option()
@click.option("--as-of", "as_of", default="today", show_default=True,
              help="统计截止日期 YYYY-MM-DD；today 表示今天（北京时间）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              help="输出格式：text（终端）、json、markdown（如 GitHub 任务摘要）。")
@click.option("--fail-on-new", is_flag=True,
              help=f"有最近转为逾期未公开的事项时退出码为 {NEW_OVERDUE_EXIT}（每日检查用）。")
@click.option("--new-within", type=click.IntRange(min=1), default=1, show_default=True,
              help="“最近转为逾期”的天数：逾期天数不超过此数的事项。")
def compliance(root: Path, as_of: str, fmt: str, fail_on_new: bool, new_within: int) -> None:
    """各部门预算绩效信息公开的及时性和完整性（《办法》第十九、二十条）与绩效监控年度汇总（《监控办法》第十二条）。"""
    try:
        day = parse_as_of(as_of)
        report, depts, catalog = compliance_report(root, day)
    except BuildError as exc:
        fail(exc, "json" if fmt == "json" else "text")
        return
    fresh = report.newly_overdue(new_within)
    if fmt == "json":
        data = to_json(report, depts, catalog)
        data["newly_overdue"] = [item_json(i, depts, catalog) for i in fresh]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        click.echo(render(report, depts, catalog, markdown=fmt == "markdown"))
    if fail_on_new and fresh:
        problems = Problems()
        problems.add("compliance_newly_overdue", as_of=cn_date(report.as_of), count=len(fresh), days=new_within,
                     items=[item_name(i, depts, catalog) for i in fresh])
        click.echo(problems[0].message, file=sys.stderr)
        sys.exit(NEW_OVERDUE_EXIT)
