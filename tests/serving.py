"""One local web server for every test and benchmark that opens a built site in a browser.

It serves the site under the path of its configured address (/yjgk/ for the example), as the portal
will: a link that assumes the site sits at the server's root gets a 404 here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# What a production server should send; the test server sends the same, so downloads can be checked.
CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".jsonl": "application/jsonl; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".xml": "application/xml",
    ".js": "text/javascript",
    ".css": "text/css",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class LocalServer(ThreadingHTTPServer):
    # Chromium opens several connections at once for the search index; with socketserver's default
    # listen backlog of 5, a loaded CI machine refused some of them (an intermittently empty search).
    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (a timeout under test, a closed tab) is not the server's error


class PrefixHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def __init__(self, *args: Any, prefix: str, slow: dict[str, float] | None = None, **kwargs: Any):
        self.prefix = prefix
        self.slow = slow or {}
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        # A slow network for chosen files (tests of what a page does while they load).
        for part, seconds in self.slow.items():
            if part in self.path:
                time.sleep(seconds)
        super().do_GET()

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0outside-the-site")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(directory: Path, prefix: str = "/", slow: dict[str, float] | None = None) -> Iterator[str]:
    """Serves `directory` at http://127.0.0.1:<free port><prefix>; yields that address. `slow` maps a
    piece of a path to the seconds each request holding it waits before it is answered."""
    handler = partial(PrefixHandler, directory=str(directory), prefix=prefix, slow=slow)
    server = LocalServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
