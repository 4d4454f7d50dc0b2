"""`disclose inspect`: the government website inspection items a built site can be checked for
(generator/inspect/). Exit 1 on a single-veto item, a broken internal link or a missing attachment."""

from __future__ import annotations

import sys

import click

from generator.cli.base import ROOT_HELP, fail, main, site_root
from generator.cli.compliance import parse_as_of
from generator.problems import BuildError


@main.command()
@click.option("--root", type=click.Path(file_okay=False), help=ROOT_HELP)
@click.option("--site", "site_dir", type=click.Path(file_okay=False),
              help="要检查的网站目录，默认为站点目录下的 site/。")
@click.option("--as-of", "as_of", default="today", show_default=True,
              help="检查日期 YYYY-MM-DD，用于判断首页和栏目是否及时更新；today 表示今天（北京时间）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="输出格式：text（终端）、json、markdown（拉取请求评论或任务摘要）。")
@click.option("--fail-on", "fail_on", type=click.Choice(["veto", "errors"]), default="veto", show_default=True,
              help="何时退出码为 1：veto 为任一单项否决项或站点自身的链接、附件错误；errors 只看站点自身的错误"
                   "（拉取请求和发布时用：首页、栏目是否及时更新不取决于一次合并）。")
def inspect(root: str | None, site_dir: str | None, as_of: str, fmt: str, fail_on: str) -> None:
    """按政府网站检查指标（国办秘函〔2019〕19号）检查生成的网站：链接、附件、栏目更新、搜索、页脚标识等。"""
    from generator.inspect import inspect_site
    from generator.inspect.scorecard import render
    from generator.model.catalog import load_catalog
    from generator.model.config import load_config

    base = site_root(root)
    site = (base / "site") if site_dir is None else site_root(site_dir)
    try:
        day = parse_as_of(as_of)
        card = inspect_site(site, base, load_config(base), load_catalog(base), day)
    except BuildError as exc:
        fail(exc, "json" if fmt == "json" else "text")
        return
    click.echo(render(card, fmt), nl=False)
    sys.exit(1 if (card.site_errors if fail_on == "errors" else card.failed) else 0)
