"""`disclose build`."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from generator.cli.base import fail, main, print_problems, root_option
from generator.problems import BuildError


def run_build(root: Path, out: Path | None, shard: str | None = None, merge: list[Path] | None = None,
              cache: bool = True) -> None:
    from generator.build import build, build_shard

    def progress(msg: str) -> None:
        click.echo(msg, err=True)

    try:
        if shard is not None:
            assert out is not None
            report = build_shard(root, shard, out, progress=progress, cache=cache)
        else:
            report = build(root, out, progress=progress, shards=merge, cache=cache)
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
    if shard is not None:
        click.echo(f"分片 {shard} 构建完成：{report.public} 条公开记录，输出到 {report.out}，用时 {total:.1f} 秒。"
                   "全部分片构建后，用 disclose build --merge 目录… 合并成网站。")
        return
    if report.shards is not None and merge is None:
        made = report.shards
        click.echo(f"分片：新建 {len(made.built)} 个，沿用缓存 {len(made.reused)} 个"
                   "（缓存目录 .disclose-cache/，可随时删除）。", err=True)
    click.echo(f"构建完成：{report.public} 条公开记录（共 {report.records} 条，其余依法不予公开），"
               f"输出到 {report.out}，用时 {total:.1f} 秒。")
    out = shlex.quote(str(report.out))
    click.echo(f"查看网站：运行 disclose serve（本机实时预览），或运行 python3 -m http.server -d {out}"
               " 后用浏览器打开 http://127.0.0.1:8000/（检索功能须经网页服务器访问，不能直接双击打开文件）。")


@main.command()
@root_option()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录，默认为站点目录下的 site/；与 --shard 同用时为该分片的输出目录（必填）。")
@click.option("--list-shards", is_flag=True, help="列出本站的分片编号（部门代码-年度），每行一个，不构建。")
@click.option("--shard", metavar="分片编号",
              help="只构建这一个分片（其记录页、附件及其文字页、逐条下载文件和分片清单），供多台机器并行构建后合并。")
@click.option("--merge", is_flag=True,
              help="把命令行上给出的各分片目录合并成网站（跨分片页面、检索索引、泄密检查），缺少、过期或被改动的分片拒绝合并。")
@click.option("--no-cache", is_flag=True, help="不使用 .disclose-cache/ 中缓存的分片，全部重新生成。")
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path), metavar="[分片目录]…")
def build(root: Path, out: Path | None, list_shards: bool, shard: str | None, merge: bool, no_cache: bool,
          dirs: tuple[Path, ...]) -> None:
    """校验、去除涉密内容、生成页面与开放数据、建立检索索引、泄密检查，全部通过后才替换输出目录。

    页面按分片（部门×年度）生成，未改动的分片沿用缓存；也可用 --list-shards、--shard、--merge 在多台机器上分片构建。"""
    detail = _option_problem(out, list_shards, shard, merge, dirs)
    if detail:
        fail(BuildError.one("build_options", detail=detail))
    if list_shards:
        from generator.build import list_shards as shard_ids

        for sid in shard_ids(root):
            click.echo(sid)
        sys.exit(0)
    run_build(root, out, shard, list(dirs) if merge else None, cache=not no_cache)
    sys.exit(0)


def _option_problem(out: Path | None, list_shards: bool, shard: str | None, merge: bool,
                    dirs: tuple[Path, ...]) -> str | None:
    chosen = [name for name, on in (("--list-shards", list_shards), ("--shard", shard is not None),
                                    ("--merge", merge)) if on]
    if len(chosen) > 1:
        return f"{'、'.join(chosen)} 不能同时使用"
    if shard is not None and out is None:
        return "--shard 须同时用 --out 指定该分片的输出目录"
    if dirs and not merge:
        return f"多出的参数 {' '.join(str(d) for d in dirs)}：只有 --merge 之后才能列出分片目录"
    return None
