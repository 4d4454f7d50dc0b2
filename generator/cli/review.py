"""`disclose review`: the reviewers' view of a pull request, for the job summary and one PR comment."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import click

from generator.cli.base import fail, main, root_option
from generator.problems import BuildError


def _today() -> date:
    from generator.model.formatting import CHINA_TIME

    # Deadlines are counted in China Standard Time, whatever the runner's zone.
    return datetime.now(CHINA_TIME).date()


@main.command()
@click.option("--base", "base", required=True, metavar="REF",
              help="基准版本（git 分支、标签或提交），如 origin/main：与它比较，列出合并后网站的变化。")
@root_option()
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              help="输出格式：markdown（作业摘要、合并请求评论）或 json。")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="计算公开时限所用的日期（YYYY-MM-DD），默认为今天（北京时间）。")
def review(base: str, root: Path, fmt: str, today: datetime | None) -> None:
    """审核摘要：与基准版本相比，合并后将新公开、修改、撤下的记录，新增的不予公开内容（只列编号和数量），
    校验错误和公开时限。有校验错误时退出码为 1，否则为 0。"""
    from generator.reports.review import review as run_review
    from generator.reports.review_render import markdown, to_json

    try:
        result = run_review(root, base, today.date() if today else _today())
    except BuildError as exc:
        fail(exc)
        return
    if fmt == "json":
        json.dump(to_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        click.echo(markdown(result), nl=False)
    sys.exit(1 if result.errors else 0)
