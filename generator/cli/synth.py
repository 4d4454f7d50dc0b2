"""`disclose synth`: write a synthetic corpus (a whole site directory) for tests and benchmarks."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from generator.cli.base import fail, main
from generator.problems import BuildError

# Below this many records the corpus is written in a moment: no progress lines.
PROGRESS_FROM = 5000


@main.command()
@click.option("--records", "-n", type=int, required=True, help="记录总条数（各类记录合计）。")
@click.option("--seed", type=int, default=1, show_default=True,
              help="随机种子：条数、种子和格式相同，生成的文件逐字节相同。")
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default="yaml", show_default=True,
              help="yaml：每条记录一个 YAML 文件；"
                   "csv：每个部门、年度、类别一张记录表及其指标伴随表（.indicators.csv）。")
@click.option("--jobs", "-j", type=int, default=None, help="并行进程数，默认为 CPU 核数（结果与进程数无关）。")
@click.option("--levels", is_flag=True,
              help="生成整个地区：自治区本级、盟市、旗县各为一个独立站点目录（各有配置、记录和公开日志），"
                   "外加统一公开平台的成员清单 platform.yml；--records 为每个站点的记录条数。")
@click.option("--leagues", type=int, default=2, show_default=True, help="与 --levels 一起使用：盟市个数。")
@click.option("--counties", type=int, default=3, show_default=True,
              help="与 --levels 一起使用：旗县个数（分属各盟市）。")
@click.argument("out", type=click.Path(path_type=Path))
def synth(records: int, seed: int, fmt: str, jobs: int | None, levels: bool, leagues: int, counties: int,
          out: Path) -> None:
    """生成合成测试语料：在输出目录写出完整站点（site_config.yml 和 content/），供测试和性能基准使用。

    内容为虚构地区“塞北自治区”的各类绩效信息，含少量涉密记录、涉密指标行和不予公开字段，
    其中每个不予公开的值都带有唯一的 CANARY-编号，便于检查泄密。
    """
    from generator.synth.corpus import synthesise

    if levels:
        _region(out, records, seed, fmt, leagues, counties)
        return
    started = time.perf_counter()
    step = max(1, records // 20)
    shown = [0]

    def progress(done: int, total: int, depts_done: int, depts: int) -> None:
        if total < PROGRESS_FROM or (done - shown[0] < step and depts_done < depts):
            return
        shown[0] = done
        click.echo(f"已生成 {done:,} / {total:,} 条记录（{depts_done}/{depts} 个部门），"
                   f"用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)

    try:
        result = synthesise(out, records, seed, fmt=fmt, jobs=jobs, progress=progress)
    except BuildError as exc:
        fail(exc)
        return
    click.echo(f"已在 {out} 生成合成语料：{result.records:,} 条记录，{result.departments} 个部门，"
               f"{result.first_year}—{result.last_year} 年，{result.files:,} 个文件（{fmt}），"
               f"用时 {time.perf_counter() - started:.1f} 秒。")


def _region(out: Path, records: int, seed: int, fmt: str, leagues: int, counties: int) -> None:
    from generator.synth.region import synthesise_region

    try:
        members = synthesise_region(out, records, seed, leagues=leagues, counties=counties, fmt=fmt)
    except BuildError as exc:
        fail(exc)
        return
    for m in members:
        click.echo(f"  {m.level}  {m.division_code}  {m.title}：{out / m.name}")
    click.echo(f"已在 {out} 生成合成地区：{len(members)} 个站点，每个站点 {records:,} 条记录；"
               f"成员清单 {out / 'platform.yml'}。")
