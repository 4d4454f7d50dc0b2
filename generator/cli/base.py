"""The `disclose` command. Messages for editors are in Simplified Chinese; bad input never ends in
a traceback: every stage raises BuildError with its problems, and this module prints them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from generator.problems import BuildError, Problem, Problems

ROOT_HELP = "站点目录（含 content/ 和 site_config.yml），默认为当前目录。"


def site_root(root: str | None) -> Path:
    return Path(root or ".").resolve()


def root_option(help: str = ROOT_HELP):  # noqa: A002 (click's own word)
    """The one `--root` option of every command: the site directory as a resolved Path (default: here)."""
    return click.option("--root", type=click.Path(file_okay=False), help=help,
                        callback=lambda _ctx, _param, value: site_root(value))


def print_problems(problems: list[Problem], fmt: str = "text", stream=None) -> None:
    stream = stream or sys.stderr
    if fmt == "json":
        counted = Problems(problems)
        json.dump({"ok": not counted.errors, "errors": len(counted.errors), "warnings": len(counted.warnings),
                   "problems": [p.to_json() for p in problems]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for p in problems:
        click.echo(p.render(), file=stream)


def _echo_err(text: str) -> None:
    try:
        click.echo(text, err=True)
    except BrokenPipeError:
        pass


def fail(exc: BuildError, fmt: str = "text") -> None:
    print_problems(exc.problems, fmt)
    if fmt != "json":
        click.echo(f"共 {len(exc.problems)} 个问题，未完成。", file=sys.stderr)
    sys.exit(1)


def _quiet_broken_pipe() -> None:
    """The reader went away (`disclose … | head`): stop without a word. Python would otherwise complain
    when it flushes stdout at exit, so stdout goes to /dev/null first (the recipe of Python's signal docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a real file (a test runner): nothing will be flushed to a closed pipe
    sys.exit(1)


class _Guarded(click.Group):
    """Every command ends in 0 (all well), 1 (the input or the command line has problems) or 2 (a bug of
    ours), always with a Chinese message: bad input is a problem list (BuildError), a bug one Chinese
    sentence rather than a traceback (DISCLOSE_DEBUG=1 shows it); a closed pipe ends quietly."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except click.UsageError as exc:
            # click's own report, in Chinese (chinese.py), but ending in 1: a wrong command line is input
            try:
                exc.show()
            except BrokenPipeError:
                pass
            sys.exit(1)
        except click.ClickException as exc:
            _echo_err(f"错误：{exc.format_message()}")
            sys.exit(1)
        except click.Abort:
            _echo_err("已中断，未完成。")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BuildError as exc:
            fail(exc)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, BrokenPipeError):
            raise
        except Exception as exc:
            if os.environ.get("DISCLOSE_DEBUG"):
                raise
            click.echo(f"内部错误：{exc.__class__.__name__}：{exc}。这是本工具的缺陷，不是记录的问题；"
                       "请设置 DISCLOSE_DEBUG=1 重新运行，并把输出报告给维护者。", err=True)
            sys.exit(2)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="budget-disclosure", message="disclose %(version)s")
def main() -> None:
    """预算绩效管理信息公开专栏生成工具：校验记录、去除涉密内容、生成可检索的静态网站。"""
