"""`disclose validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.base import fail, main, print_problems, root_option
from generator.problems import BuildError


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式。")
def validate(paths: tuple[Path, ...], root: Path, fmt: str) -> None:
    """校验记录文件（默认校验整个 content/），列出全部问题；有错误时退出码为 1。"""
    from generator.build import read_site

    base = root
    only = [p.resolve() for p in paths] if paths else None
    if only and len(only) == 1 and only[0] == (base / "content").resolve():
        only = None
    try:
        result = read_site(base, only=only)
    except BuildError as exc:
        fail(exc, fmt)
        return
    problems = result.problems.sorted()
    print_problems(problems, fmt)
    errors = result.problems.errors
    if fmt == "text":
        n = len(result.records)
        if errors:
            click.echo(f"校验未通过：{len(errors)} 个错误，{len(problems) - len(errors)} 个提示（共读取 {n} 条记录）。",
                       file=sys.stderr)
        else:
            click.echo(f"校验通过：{n} 条记录，{len(problems)} 个提示。")
    sys.exit(1 if errors else 0)
