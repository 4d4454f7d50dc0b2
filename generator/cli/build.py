"""`disclose build`."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from generator.cli.base import fail, main, print_problems, root_option
from generator.problems import BuildError


def run_build(root: Path, out: Path | None) -> None:
    from generator.build import build

    def progress(msg: str) -> None:
        click.echo(msg, err=True)

    try:
        report = build(root, out, progress=progress)
    except BuildError as exc:
        fail(exc)
        return
    except OSError as exc:  # a full disk or an unwritable --out: say which file, keep the old site
        fail(BuildError.one("build_failed", detail=f"无法读写 {exc.filename or ''}：{exc.strerror or exc}"))
        return
    except KeyboardInterrupt:
        fail(BuildError.one("build_failed", detail="构建被中断"))
        return
    if report.cleaned:
        click.echo(f"已清理上次被中断的构建留下的临时文件：{'、'.join(report.cleaned)}。", err=True)
    if report.warnings:
        print_problems(report.warnings)
    total = sum(report.timings.values())
    click.echo(f"构建完成：{report.public} 条公开记录（共 {report.records} 条，其余依法不予公开），"
               f"输出到 {report.out}，用时 {total:.1f} 秒。")
    out = shlex.quote(str(report.out))
    click.echo(f"查看网站：运行 disclose serve（本机实时预览），或运行 python3 -m http.server -d {out}"
               " 后用浏览器打开 http://127.0.0.1:8000/（检索功能须经网页服务器访问，不能直接双击打开文件）。")


@main.command()
@root_option()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="输出目录，默认为站点目录下的 site/。")
def build(root: Path, out: Path | None) -> None:
    """校验、去除涉密内容、生成页面与开放数据、建立检索索引、泄密检查，全部通过后才替换输出目录。"""
    run_build(root, out)
    sys.exit(0)
