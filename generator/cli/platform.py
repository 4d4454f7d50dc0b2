"""`disclose platform build`: the region's unified disclosure platform from its member sites' published output."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.base import main


@main.group()
def platform() -> None:
    """统一公开平台：汇集各级站点（自治区本级、盟市、旗县）已发布的内容。"""


@platform.command("build")
@click.option("--sites", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="成员站点清单 platform.yml（members: 名称、层级、行政区划代码、已发布站点的网址或目录）。")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="平台输出目录。")
@click.option("--state", "state_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="平台状态目录（各成员上次成功获取的副本和日志进度），默认为输出目录旁的 <输出目录名>.state。")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="读取成员站点每个文件的超时（秒）。")
@click.option("--member-timeout", type=float, default=300.0, show_default=True,
              help="读取一个成员站点全部文件的总时限（秒）；超过即本次不更新该站点，保留上次的副本。")
def platform_build(sites: Path, out: Path, state_dir: Path | None, timeout: float, member_timeout: float) -> None:
    """读取各成员站点已发布的站点清单、公开日志和检索索引，校验后生成统一平台；
    某个成员站点读取失败时保留其上次成功获取的副本并报告，不影响平台生成。"""
    from generator.platform.build import build_platform

    report = build_platform(sites, out, state_dir, timeout, member_budget=member_timeout)
    for line in report.messages:
        click.echo(line, err=True)
    ok = sum(1 for m in report.members if not m.error)
    click.echo(f"已生成统一公开平台：{out}（{len(report.members)} 个成员站点，{ok} 个本次已更新）。")
