"""The HTTP side of `disclose serve`: the built preview as it is, plus a small reload script.

The script is added to HTML responses as they are sent, never written to a file, so the built files
are byte for byte what `disclose build` makes. It polls /__disclose__/status.json and reloads the page
when a newer preview has been built; when the last build failed it shows the problems in a banner
while the page stays the last good preview. Everything is served from this process: no outside script.
"""

from __future__ import annotations

import html
import io
import json
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

PREFIX = "/__disclose__/"
STATUS_PATH = PREFIX + "status.json"
SCRIPT_PATH = PREFIX + "reload.js"
MARKER = "disclose-preview-reload"

RELOAD_JS = """\
(function () {
  "use strict";
  var shown = Number(document.currentScript.getAttribute("data-build"));
  var box = null;
  function banner(s) {
    var failed = s.ok === false;
    if (!failed && !s.building) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "disclose-preview-status";
      box.setAttribute("role", "status");
      box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:100000;max-height:50vh;overflow:auto;" +
        "margin:0;padding:.6em 1em;font:14px/1.6 sans-serif;color:#fff;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.style.background = failed ? "#b71c1c" : "#37474f";
    var lines = s.building ? ["正在重新生成预览…"] : [];
    if (failed) { lines = lines.concat([s.headline], s.problems); }
    box.textContent = lines.join("\\n");
  }
  function poll() {
    fetch("STATUS_PATH", {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.build !== shown) { location.reload(); return; }
        banner(s);
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 1000);
})();
""".replace("STATUS_PATH", STATUS_PATH)


class Source(Protocol):
    """What the handler needs from the preview: the directory of the last good build and the status."""

    def current(self) -> Path | None: ...

    def status(self) -> dict[str, Any]: ...


def script_tag(build: int) -> str:
    return f'<script id="{MARKER}" src="{SCRIPT_PATH}" data-build="{build}"></script>'


def inject(page: bytes, build: int) -> bytes:
    """The page with the reload script before its last </body> (or at its end)."""
    tag = script_tag(build).encode()
    at = page.rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def _page(title: str, paragraphs: list[str], build: int) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{html.escape(title)}</title>'
            '</head><body style="font:16px/1.7 sans-serif;max-width:48em;margin:4em auto;padding:0 1em">'
            f'<h1>{html.escape(title)}</h1>{body}<p><a href="/">回到首页</a></p>{script_tag(build)}'
            '</body></html>').encode()


def waiting_page(status: dict[str, Any]) -> bytes:
    """Shown until the first build succeeds."""
    if status["ok"] is False:
        return _page("预览尚未生成：记录有问题", [status["headline"], *status["problems"]], status["build"])
    return _page("正在生成预览，请稍候…", ["生成完成后本页会自动刷新。"], status["build"])


def not_found_page(build: int) -> bytes:
    return _page("预览中没有这个页面", ["请检查网址。如果这是刚添加的记录，生成完成后本页会自动刷新。"], build)


def handler_for(source: Source) -> type[SimpleHTTPRequestHandler]:
    class Handler(_PreviewHandler):
        preview = source
    return Handler


class _PreviewHandler(SimpleHTTPRequestHandler):
    preview: Source

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Each request reads the build that is current when it arrives; a rebuild never changes a
        # directory in place, so a request is served from one build throughout.
        self.site = self.preview.current()
        self.build = self.preview.status()["build"]
        super().__init__(*args, directory=str(self.site or "."), **kwargs)

    def send_head(self) -> io.BytesIO | None:  # type: ignore[override]
        path = urlsplit(self.path).path
        if path == STATUS_PATH:
            data = json.dumps(self.preview.status(), ensure_ascii=False).encode()
            return self._bytes(HTTPStatus.OK, "application/json; charset=utf-8", data)
        if path == SCRIPT_PATH:
            return self._bytes(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_JS.encode())
        if self.site is None:
            return self._bytes(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8",
                               waiting_page(self.preview.status()))
        target = Path(self.translate_path(self.path))
        if target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            return self._bytes(HTTPStatus.OK, "text/html; charset=utf-8", inject(target.read_bytes(), self.build))
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        body = self._bytes(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", not_found_page(self.build))
        if self.command != "HEAD":
            self.wfile.write(body.getvalue())

    def _bytes(self, code: int, ctype: str, data: bytes) -> io.BytesIO:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def end_headers(self) -> None:
        # A preview changes under the same URLs: the browser must never show a cached page.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal is for build progress and problems, not one line per request
