"""`disclose publish` and `disclose log verify`: the publication log on the command line.

`publish` is the only writer of the log and the only command that reads the clock; the build reads
times from the log, so two builds of one commit are byte-identical.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from generator.cli.base import ROOT_HELP, fail, main, site_root
from generator.log import publog
from generator.problems import BuildError, Problems


def publish_log(root: Path, *, commit: str | None, now: datetime, pr: int | None = None,
                reviewer: str | None = None) -> list[dict[str, Any]]:
    """Validate and redact the site, then append one event per change to its log; returns the new events.

    Nothing is written when validation fails, the log is damaged or nothing changed.
    """
    from generator.secrecy.redact import redact
    from generator.source.pipeline import check_site

    validated = check_site(root)
    errors = [p for p in validated.problems.sorted() if p.severity == "error"]
    if errors:
        raise BuildError(errors)
    public = redact(validated.records, validated.catalog).public
    path = root / publog.LOG_FILE
    damaged = publog.verify_chain(path)
    if damaged:
        raise BuildError(damaged)
    events = publog.read_log(path)
    new = publog.plan(public, events, now=now, commit=commit, pr=pr, reviewer=reviewer)
    return publog.append(path, new)


def git_head(root: Path) -> str | None:
    """The checked-out commit, for runs outside GitHub Actions (which sets GITHUB_SHA)."""
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def _restore(path: Path, size: int | None) -> None:
    """Undo this run's appends: cut the log back to its old length (or remove a log this run created)."""
    if size is None:
        path.unlink(missing_ok=True)
        return
    with path.open("r+b") as fh:
        fh.truncate(size)


def _summary(new: list[dict[str, Any]]) -> str:
    if not new:
        return "内容无变化，公开日志未追加事件。"
    counts = {name: sum(e["event"] == name for e in new) for name in publog.EVENTS}
    parts = "、".join(f"{publog.EVENT_TITLES[name]} {n} 条" for name, n in counts.items() if n)
    return f"公开日志已追加 {len(new)} 条事件（{parts}），序号 {new[0]['seq']}–{new[-1]['seq']}。"


@main.command()
@click.option("--root", type=click.Path(file_okay=False), help=ROOT_HELP)
@click.option("--out", type=click.Path(file_okay=False), help="网站输出目录，同 disclose build 的 --out。")
@click.option("--commit", envvar="GITHUB_SHA", help="本次公开的提交编号；默认取 GITHUB_SHA，否则取 git 当前提交。")
@click.option("--pr", type=click.IntRange(min=1), help="合并请求编号（由部署流程传入）。")
@click.option("--reviewer", help="批准合并的审核人（由部署流程传入）。")
def publish(root: str | None, out: str | None, commit: str | None, pr: int | None, reviewer: str | None) -> None:
    """记录公开日志（公开、更新、撤回）并生成网站。内容无变化时不追加事件。"""
    base = site_root(root)
    try:
        from generator.build import build
    except ImportError as exc:
        problems = Problems()
        problems.add("log_build_missing", detail=str(exc))
        fail(BuildError(problems))
        return
    path = base / publog.LOG_FILE
    size = path.stat().st_size if path.is_file() else None
    try:
        new = publish_log(base, commit=commit or git_head(base), now=datetime.now(timezone.utc), pr=pr,
                          reviewer=reviewer)
    except BuildError as exc:
        fail(exc)
        return
    click.echo(_summary(new))
    try:
        build(base, Path(out).resolve() if out else None)
    except BuildError as exc:
        if new:
            _restore(path, size)
        problems = Problems(exc.problems)
        if new:
            problems.add("log_build_failed", publog.LOG_FILE, count=len(new))
        fail(BuildError(problems))
    except BaseException:
        if new:
            _restore(path, size)
        raise


@main.group("log")
def log_group() -> None:
    """公开日志（publication-log.jsonl）。"""


@log_group.command("verify")
@click.option("--root", type=click.Path(file_okay=False), help=ROOT_HELP)
@click.option("--chain-only", is_flag=True,
              help="只检查日志本身（哈希链、序号、时间），不与当前内容比对；用于尚未发布的合并请求。")
@click.option("--base", "base_ref", metavar="REF",
              help="git 版本（如 origin/main 或上次发布的日志标签）：该版本的公开日志必须原样是现在日志的开头；"
                   "截断、删除、清空或改写已有的行都不通过。")
@click.option("--against", "against", metavar="DIR_OR_URL",
              help="已发布站点的目录或网址：本仓库的公开日志必须仍含该站点 log/head.json 记下的日志头。")
def verify(root: str | None, chain_only: bool, base_ref: str | None, against: str | None) -> None:
    """校验公开日志：哈希链完整、序号连续、时间不倒退，且每条公开记录与其最新事件一致；有问题时退出码为 1。"""
    base = site_root(root)
    path = base / publog.LOG_FILE
    try:
        problems = Problems(_anchors(base, path, base_ref, against))
        if problems:
            raise BuildError(problems)
        if chain_only:
            problems = publog.verify_chain(path)
            public_count = None
        else:
            from generator.secrecy.redact import redact
            from generator.source.pipeline import check_site

            validated = check_site(base)
            errors = [p for p in validated.problems.sorted() if p.severity == "error"]
            if errors:
                raise BuildError(errors)
            public = redact(validated.records, validated.catalog).public
            problems = publog.verify(path, public)
            public_count = len(public)
    except BuildError as exc:
        fail(exc)
        return
    if problems:
        fail(BuildError(problems))
        return
    lines = len(publog.read_log(path))
    anchored = "".join(f"，{text}" for text in (f"{base_ref} 中的日志原样保留" if base_ref else "",
                                                 f"含 {against} 发布的日志头" if against else "") if text)
    if public_count is None:
        click.echo(f"公开日志校验通过：共 {lines} 条事件，哈希链完整{anchored}。")
    else:
        click.echo(f"公开日志校验通过：共 {lines} 条事件，哈希链完整{anchored}，"
                   f"{public_count} 条公开记录均与日志一致。")
    sys.exit(0)


def _anchors(base: Path, path: Path, base_ref: str | None, against: str | None) -> Problems:
    """The log checked against what lies outside it: git history and a published site."""
    from generator.log import anchor

    problems = Problems()
    if base_ref:
        data, error = anchor.git_log_bytes(base, base_ref)
        if error:
            problems.add("log_base_unreadable", base=base_ref, detail=error)
            return problems
        problems.extend(anchor.verify_prefix(path, data, base_ref))
    if against and not problems:
        problems.extend(anchor.verify_against(path, against))
    return problems
