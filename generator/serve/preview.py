"""`disclose serve`: a live preview on this computer while an editor writes records.

The site is built with the same `build()` as `disclose build`, each time into a new directory under a
temporary folder (never `site/`). The server always serves the last build that passed, so a saved
mistake (a validation error, the leak guard) leaves the last good preview in the browser; the
problems go to the terminal and to /__disclose__/status.json, which the pages poll (serve_http.py).
Changes under content/, templates/, schemas/ and to site_config.yml start a rebuild after a short
quiet period, so saving several files at once builds once.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import shutil
import socket
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.build import build
from generator.log.publog import LOG_FILE
from generator.model.config import CONFIG_FILE
from generator.problems import BuildError, Problem, Problems
from generator.serve.http import handler_for

WATCHED_DIRS = ("content", "templates", "schemas")
WATCHED_FILES = (CONFIG_FILE, LOG_FILE)
DEFAULT_HOST = "127.0.0.1"
# Editors save several files at once, and some editors write a file in two steps: wait until quiet.
DEBOUNCE = 0.3
POLL_SECONDS = 1.0
# Events that mean a file changed; inotify also reports files being opened, which every build does.
_CHANGE_EVENTS = frozenset({"created", "deleted", "modified", "moved"})
_BIND_DETAIL = {errno.EACCES: "没有权限使用该端口（1024 以下的端口需要管理员权限）",
                errno.EADDRNOTAVAIL: "本机没有这个地址"}


def is_loopback(host: str) -> bool:
    """True when every address `host` names is this computer only (127.0.0.0/8, ::1)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(ipaddress.ip_address(str(i[4][0]).split("%")[0]).is_loopback for i in infos)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every watched file, for watching by polling."""
    paths = [root / name for name in WATCHED_FILES]
    paths += [p for d in WATCHED_DIRS if (root / d).is_dir() for p in (root / d).rglob("*")]
    found = {}
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            found[str(path)] = (st.st_mtime_ns, st.st_size)
    return found


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _bind(host: str, port: int, handler: Any) -> ThreadingHTTPServer:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("PreviewServer", (ThreadingHTTPServer,), {"address_family": family})
    try:
        return server_class((host, port), handler)
    except (OSError, OverflowError) as exc:
        problems = Problems()
        if getattr(exc, "errno", None) == errno.EADDRINUSE:
            problems.add("serve_port_in_use", port=port)
        else:
            detail = _BIND_DETAIL.get(getattr(exc, "errno", None) or 0) or getattr(exc, "strerror", None) or exc
            problems.add("serve_bind_failed", host=host, port=port, detail=detail)
        raise BuildError(problems) from None


class Preview:
    """The preview server, its builder and its watcher. `start()` returns at once; `stop()` ends all."""

    def __init__(self, root: Path, host: str = DEFAULT_HOST, port: int = 8000, *, allow_remote: bool = False,
                 watch: str = "auto", log: Callable[[str], None] = _stderr):
        if not allow_remote and not is_loopback(host):
            # Unreviewed records must not reach the network by accident; the CLI passes
            # allow_remote only when the editor typed --host, and warns.
            raise ValueError(f"{host} 不是本机地址；只有明确指定 --host 时才在其他地址上开放预览")
        self.root = root.resolve()
        self.log = log
        self.watch_mode = watch
        self._lock = threading.Lock()
        self._site: Path | None = None
        self._previous: Path | None = None
        self._status: dict[str, Any] = {"build": 0, "ok": None, "building": True, "attempts": 0,
                                        "headline": "", "problems": []}
        self._changed = threading.Event()
        self._changed_path: Path | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._observer: Any = None
        self._server = _bind(host, port, handler_for(self))
        self.work = Path(tempfile.mkdtemp(prefix="disclose-preview-"))

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    # -- what the HTTP handler reads ------------------------------------------------------------------

    def current(self) -> Path | None:
        with self._lock:
            return self._site

    def status(self) -> dict[str, Any]:
        with self._lock:
            return {**self._status, "problems": list(self._status["problems"])}

    # -- lifecycle --------------------------------------------------------------------------------------

    def start(self) -> None:
        self._spawn(self._server.serve_forever)
        self._spawn(self._builder)
        self._start_watching()

    def stop(self) -> None:
        self._stop.set()
        if self._observer is not None:
            self._observer.stop()
        if self._threads:
            self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            # A build under way is not waited for to the end: Ctrl-C should stop the preview promptly.
            thread.join(timeout=2)
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self) -> Preview:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True, name=f"disclose-serve-{target.__name__}")
        thread.start()
        self._threads.append(thread)

    # -- building ---------------------------------------------------------------------------------------

    def changed(self, path: Path) -> None:
        """Note a change to a watched file; the builder rebuilds once things are quiet."""
        self._changed_path = path
        self._changed.set()

    def _builder(self) -> None:
        self.build_once()
        while not self._stop.is_set():
            if not self._changed.wait(0.5):
                continue
            while self._changed.is_set():
                self._changed.clear()
                if self._stop.wait(DEBOUNCE):
                    return
            if self._changed_path is not None:
                self.log(f"检测到改动：{self._relative(self._changed_path)}")
            self.build_once()

    def build_once(self) -> bool:
        """Build a new preview; on failure keep serving the last good one. True when it was built."""
        with self._lock:
            self._status["attempts"] += 1
            self._status["building"] = True
            attempt = self._status["attempts"]
        self.log("正在生成预览…")
        started = time.perf_counter()
        try:
            report = build(self.root, self.work / f"build-{attempt}")
        except BuildError as exc:
            return self._failed(list(exc.problems))
        except Exception as exc:  # a bug in one build must not take down the preview being looked at
            problems = Problems()
            problems.add("serve_build_crashed", detail=f"{type(exc).__name__}: {exc}")
            return self._failed(problems)
        if self._stop.is_set():
            return False
        for problem in report.warnings:
            self.log(problem.render())
        with self._lock:
            stale, self._previous, self._site = self._previous, self._site, report.out
            self._status.update(build=self._status["build"] + 1, ok=True, building=False, headline="", problems=[])
            number = self._status["build"]
        # The build before the last is removed, not the last: a request may still be reading from it.
        if stale is not None:
            shutil.rmtree(stale, ignore_errors=True)
        self.log(f"预览已更新（第 {number} 版，{report.public} 条公开记录，用时 "
                 f"{time.perf_counter() - started:.1f} 秒）：{self.url}")
        return True

    def _failed(self, problems: list[Problem]) -> bool:
        if self._stop.is_set():
            return False  # Ctrl-C also stops the build's own subprocesses; that is not the editor's mistake
        lines = [p.render() for p in problems]
        kept = "浏览器中仍显示上一次成功生成的预览" if self.current() is not None else "预览尚未生成"
        headline = f"预览未更新：生成失败，共 {len(lines)} 个问题。{kept}；改正并保存后会自动重新生成。"
        for line in lines:
            self.log(line)
        self.log(headline)
        with self._lock:
            self._status.update(ok=False, building=False, headline=headline, problems=lines)
        return False

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- watching ---------------------------------------------------------------------------------------

    def watched(self, path: Path) -> bool:
        try:
            rel = path.relative_to(self.root)
        except ValueError:
            return False
        return bool(rel.parts) and (rel.parts[0] in WATCHED_DIRS or rel.as_posix() in WATCHED_FILES)

    def _start_watching(self) -> None:
        mode = self.watch_mode
        if mode == "auto":
            try:
                self._observer = self._watchdog()
                return
            except (ImportError, OSError):  # no watchdog, or the system's limit on watches reached
                mode = "poll"
        if mode == "poll":
            self._spawn(self._poll)

    def _watchdog(self) -> Any:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        preview = self

        class Events(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.event_type not in _CHANGE_EVENTS or (event.is_directory and event.event_type == "modified"):
                    return
                for raw in (event.src_path, getattr(event, "dest_path", "")):
                    path = Path(os.fsdecode(raw)) if raw else None
                    if path is not None and preview.watched(path):
                        preview.changed(path)

        observer = Observer()
        handler = Events()
        observer.schedule(handler, str(self.root), recursive=False)
        for name in WATCHED_DIRS:
            if (self.root / name).is_dir():
                observer.schedule(handler, str(self.root / name), recursive=True)
        observer.daemon = True
        observer.start()
        return observer

    def _poll(self) -> None:
        before = snapshot(self.root)
        while not self._stop.wait(POLL_SECONDS):
            now = snapshot(self.root)
            if now != before:
                differ = sorted(set(now.items()) ^ set(before.items()))
                before = now
                self.changed(Path(differ[0][0]))
