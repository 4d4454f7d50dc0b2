"""Material's shipped assets, trimmed to what the site runs and with no loader for another host.

Material's JavaScript bundle can load a ResizeObserver polyfill and Mermaid from unpkg.com, and fetch
repository facts from api.github.com or a GitLab host. None of these runs here (every supported browser
has ResizeObserver, no page has a Mermaid diagram, no repository is configured), and the
Content-Security-Policy would block them; the addresses are still replaced by `about:invalid#…`, so no
shipped file names a host to load from. Source maps and Material's own search (lunr and its worker: the
site searches with Pagefind) are not shipped at all.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

NEUTRAL = b"about:invalid#"
LOADERS = re.compile(rb"https://(?:unpkg\.com/|api\.github\.com/|(?=\$\{))")
SOURCE_MAP = re.compile(rb"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)")
UNUSED = ("javascripts/lunr", "javascripts/workers")


def neutralise(site: Path) -> None:
    assets = site / "assets"
    for name in UNUSED:
        shutil.rmtree(assets / name, ignore_errors=True)
    for path in sorted(assets.rglob("*.map")):
        path.unlink()
    for path in sorted(assets.glob("javascripts/*.js")) + sorted(assets.glob("stylesheets/*.css")):
        data = path.read_bytes()
        clean = SOURCE_MAP.sub(b"", LOADERS.sub(NEUTRAL, data))
        if clean != data:
            path.write_bytes(clean)
