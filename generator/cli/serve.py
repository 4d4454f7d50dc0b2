"""`disclose serve`: the live preview (generator/serve.py) from the command line."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from generator.cli.base import main, root_option
from generator.problems import BuildError, Problem


@main.command()
@root_option()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="端口；0 表示任选一个空闲端口。")
@click.option("--host", help="监听地址，默认 127.0.0.1（只有本机能访问）。指定其他地址会让同一网络中的计算机也能访问。")
def serve(root: Path, port: int, host: str | None) -> None:
    """本机实时预览：生成网站并在浏览器中查看；保存记录、模板或配置后几秒内自动重新生成并刷新页面。"""
    from generator.serve.preview import DEFAULT_HOST, Preview, is_loopback

    explicit = host is not None
    host = host if explicit else DEFAULT_HOST
    if not is_loopback(host):
        click.echo("注意：" + Problem("serve_remote_host", params={"host": host}).message, err=True)
    try:
        preview = Preview(root, host, port, allow_remote=explicit)
    except BuildError as exc:
        for problem in exc.problems:
            click.echo("错误：" + problem.message, err=True)
        sys.exit(1)
    click.echo(f"预览地址：{preview.url}", err=True)
    click.echo("保存改动后几秒内自动重新生成，浏览器中的页面随之刷新；按 Ctrl-C 停止。", err=True)
    # `kill` (as from a service manager) stops as cleanly as Ctrl-C: the temporary preview is removed.
    signal.signal(signal.SIGTERM, _interrupt)
    preview.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    click.echo("预览已停止。", err=True)
    sys.exit(0)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
