"""What a record page's bytes are: the median of each part over every record page of a built site.

    python3 benchmarks/page_bytes.py [SITE]        # SITE: a built site (default: build the example)

Prints, for the record pages (`records/<id>/index.html`), the median page size and the median size
of each part: the theme's head, its JSON-LD, the toolbar and header, tabs, the drawer navigation,
the breadcrumbs, the record itself, its search keys, the publication block (dates, related records,
downloads), the footer, Material's inline configuration and the scripts. Sizes are UTF-8 bytes of
the file as written (a Chinese character is three bytes); parts that a page lacks count as 0.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (part, regular expression of its first match) in page order; what no part claims is "other".
PARTS = [
    ("JSON-LD", r'<script type="application/ld\+json">.*?</script>'),
    ("head (rest)", r"<!doctype html>.*?</head>"),
    ("toolbar", r'<div data-md-component="announce">.*?</div>\s*</div>\s*</aside>\s*</div>'),
    ("header", r"<header\b.*?</header>"),
    ("tabs", r'<nav class="md-tabs".*?</nav>'),
    ("drawer nav", r'<div class="md-sidebar md-sidebar--primary".*?(?=<div class="md-sidebar md-sidebar--secondary"|'
                   r'<div class="md-content")'),
    ("toc sidebar", r'<div class="md-sidebar md-sidebar--secondary".*?(?=<div class="md-content")'),
    ("breadcrumbs", r'<nav class="dc-crumbs".*?</nav>'),
    ("search keys", r"<span data-pagefind-index-attrs[^>]*></span>"),
    ("record", r'<article class="dc-record".*?</article>'),
    ("publication", r'<section class="dc-publication">.*?</section>'),
    ("print footer", r'<p class="dc-print-only dc-print-footer">.*?</p>'),
    ("back-to-top", r'<button type="button" class="md-top.*?</button>'),
    ("footer", r"<footer\b.*?</footer>"),
    ("__config", r'<script id="__config".*?</script>'),
]


def parts_of(page: str) -> dict[str, int]:
    sizes: dict[str, int] = {}
    rest = page
    for name, pattern in PARTS:
        m = re.search(pattern, rest, re.S)
        if m is None:
            sizes[name] = 0
            continue
        sizes[name] = len(m.group(0).encode("utf-8"))
        rest = rest[:m.start()] + rest[m.end():]  # a part inside another is counted once
    sizes["other (scripts, wrappers)"] = len(rest.encode("utf-8"))
    return sizes


def record_pages(site: Path) -> list[Path]:
    return sorted(site.glob("records/*/index.html"))


def median_page_bytes(site: Path) -> float:
    return statistics.median(p.stat().st_size for p in record_pages(site))


def report(site: Path) -> None:
    pages = record_pages(site)
    if not pages:
        sys.exit(f"no record pages under {site}/records/")
    each = [parts_of(p.read_text(encoding="utf-8")) for p in pages]
    sizes = [p.stat().st_size for p in pages]
    print(f"{len(pages)} record pages; median {statistics.median(sizes) / 1024:.1f} KB "
          f"(min {min(sizes) / 1024:.1f}, max {max(sizes) / 1024:.1f})")
    print(f"{'part':<28}{'median bytes':>14}")
    for name in each[0]:
        print(f"{name:<28}{statistics.median(e[name] for e in each):>14.0f}")


def main() -> None:
    if len(sys.argv) > 1:
        report(Path(sys.argv[1]))
        return
    from generator.build import build

    with tempfile.TemporaryDirectory() as tmp:
        build(ROOT, Path(tmp) / "site")
        report(Path(tmp) / "site")


if __name__ == "__main__":
    main()
