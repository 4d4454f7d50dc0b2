"""`disclose publish` and `disclose log verify`: the publication log on the command line
(the work is in generator/log/publish.py)."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from generator.cli.base import fail, main, root_option
from generator.log import publog
from generator.problems import BuildError


@main.command()
@root_option()
@click.option("--out", type=click.Path(file_okay=False), help="网站输出目录，同 disclose build 的 --out。")
@click.option("--commit", envvar="GITHUB_SHA", help="本次公开的提交编号；默认取 GITHUB_SHA，否则取 git 当前提交。")
@click.option("--pr", type=click.IntRange(min=1), help="合并请求编号（由部署流程传入）。")
@click.option("--reviewer", help="批准合并的审核人（由部署流程传入）。")
def publish(root: Path, out: str | None, commit: str | None, pr: int | None, reviewer: str | None) -> None:
    """记录公开日志（公开、更新、撤回）并生成网站。内容无变化时不追加事件。"""
    try:
        import generator.build  # noqa: F401 (publishing without a builder would log what is never shown)
    except ImportError as exc:
        fail(BuildError.one("log_build_missing", detail=str(exc)))
        return
    from generator.log.publish import git_head
    from generator.log.publish import publish as run_publish

    try:
        run_publish(root, Path(out).resolve() if out else None, commit=commit or git_head(root),
                    now=datetime.now(timezone.utc), pr=pr, reviewer=reviewer, say=click.echo)
    except BuildError as exc:
        fail(exc)


@main.group("log")
def log_group() -> None:
    """公开日志（publication-log.jsonl）。"""


@log_group.command("verify")
@root_option()
@click.option("--chain-only", is_flag=True,
              help="只检查日志本身（哈希链、序号、时间），不与当前内容比对；用于尚未发布的合并请求。")
@click.option("--base", "base_ref", metavar="REF",
              help="git 版本（如 origin/main 或上次发布的日志标签）：该版本的公开日志必须原样是现在日志的开头；"
                   "截断、删除、清空或改写已有的行都不通过。")
@click.option("--against", "against", metavar="DIR_OR_URL",
              help="已发布站点的目录或网址：本仓库的公开日志必须仍含该站点 log/head.json 记下的日志头。")
def verify(root: Path, chain_only: bool, base_ref: str | None, against: str | None) -> None:
    """校验公开日志：哈希链完整、序号连续、时间不倒退，且每条公开记录与其最新事件一致；有问题时退出码为 1。"""
    from generator.log import anchor
    from generator.log.publish import verify_site

    path = root / publog.LOG_FILE
    try:
        anchored = anchor.check(root, path, base_ref, against)
        if anchored:
            raise BuildError(anchored)
        problems, public_count = (publog.verify_chain(path), None) if chain_only else verify_site(root)
    except BuildError as exc:
        fail(exc)
        return
    if problems:
        fail(BuildError(problems))
        return
    lines = len(publog.read_log(path))
    held = "".join(f"，{text}" for text in (f"{base_ref} 中的日志原样保留" if base_ref else "",
                                             f"含 {against} 发布的日志头" if against else "") if text)
    if public_count is None:
        click.echo(f"公开日志校验通过：共 {lines} 条事件，哈希链完整{held}。")
    else:
        click.echo(f"公开日志校验通过：共 {lines} 条事件，哈希链完整{held}，{public_count} 条公开记录均与日志一致。")
    sys.exit(0)
