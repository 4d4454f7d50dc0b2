"""Search relevance benchmark (issue 19): recall and precision per query and overall.

    python3 benchmarks/bench_search.py [--records 150] [--seed 3] [--engine ours|pagefind|both] [--quiet]

Builds the example site (content/) and a synthetic corpus (`disclose synth`), serves each on
localhost, and runs the relevance suite (tests/browser/relevance.py) in Debian's Chromium:
`ours` types each query into the search page (templates/assets/search.js); `pagefind` gives the
same query straight to Pagefind's own search (its query segmentation and word matching, as the
site's search did before issue 19) for comparison. Expected results come from the built pages'
text, never from the index.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.build import build  # noqa: E402
from generator.model.config import load_config  # noqa: E402
from tests.browser import relevance  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.example import example_root  # noqa: E402
from tests.serving import serve  # noqa: E402

PAGEFIND_JS = """async q => {
  if (!window.__pf) {
    window.__pf = await import(new URL('../pagefind/pagefind.js', location.href).pathname);
    await window.__pf.options({baseUrl: new URL('../', location.href).pathname});
    await window.__pf.init();
  }
  const r = await window.__pf.search(q);
  return Promise.all(r.results.map(async x => (await x.data()).url));
}"""


def _synth(tmp: Path, n: int, seed: int) -> Path:
    root = tmp / "synth"
    disclose = shutil.which("disclose")
    cmd = [disclose] if disclose else [sys.executable, "-m", "generator.cli"]
    subprocess.run([*cmd, "synth", "--records", str(n), "--seed", str(seed), str(root)],
                   check=True, capture_output=True)
    return root


def _pagefind_outcomes(page, qs: list[relevance.Query]) -> list[relevance.Outcome]:
    out = []
    for q in qs:
        urls = page.evaluate(PAGEFIND_JS, q.text)
        found = [u[u.index("records/"):] for u in urls if "records/" in u]
        # Pagefind has no "no full match" state: whatever it lists is its answer.
        out.append(relevance.Outcome(q, found, True, "", []))
    return out


def segmentation(page, out: Path, qs: list[relevance.Query]) -> None:
    """How often a segmenter splits a query's Chinese into words the index holds (Pagefind finds a
    word only from its start): the browser's (Pagefind's own query path), jieba's (an index-time
    dictionary would need it in the browser too), and the index's vocabulary (this site's search)."""
    import json
    import re

    vocab: set[str] = set()
    for f in (out / "pagefind" / "dc-vocab").glob("*.json"):
        vocab.update(json.loads(f.read_text(encoding="utf-8")))
    runs = sorted({r for q in qs for r in re.findall(r"[\u3400-\u9fff]+", q.text)})
    icu = page.evaluate("rs => rs.map(r => [...new Intl.Segmenter('zh-CN', {granularity: 'word'}).segment(r)]"
                        ".map(s => s.segment))", runs)
    splits = {"Chromium Intl.Segmenter": icu}
    try:
        import jieba  # optional: only for this measurement

        jieba.setLogLevel(60)
        splits["jieba 0.42 (default dictionary)"] = [jieba.lcut(r) for r in runs]
    except ImportError:
        print("  (jieba not installed: pip install jieba to measure it too)")

    def vocab_split(text: str) -> list[str]:
        out_, i = [], 0
        while i < len(text):
            j = next((j for j in range(len(text), i, -1) if text[i:j] in vocab), i + 1)
            out_.append(text[i:j])
            i = j
        return out_

    splits["index vocabulary (search.js)"] = [vocab_split(r) for r in runs]
    print(f"  segmentation of {len(runs)} distinct Chinese runs in the queries:")
    for name, split in splits.items():
        ok = sum(1 for toks in split if all(t in vocab for t in toks))
        print(f"    {name}: {ok}/{len(runs)} ({ok / len(runs):.0%}) split into words the index holds")


def run(name: str, root: Path, out: Path, suite, engines: list[str], quiet: bool, browser) -> None:
    build(root, out)
    pages = relevance.read_pages(out)
    qs = suite(pages)
    with serve(out, urlsplit(load_config(root).site.base_url).path or "/") as url:
        for engine in engines:
            page = browser.new_page()
            page.goto(f"{url}search/")
            relevance.search_ui.wait_done(page)
            outcomes = relevance.run(page, qs) if engine == "ours" else _pagefind_outcomes(page, qs)
            if engine == engines[0]:
                segmentation(page, out, qs)
            page.close()
            lines = relevance.report(outcomes)
            print(f"\n## {name} ({sum(1 for p in pages if p.path.endswith('/'))} records, "
                  f"{len(pages)} indexed pages), engine: {engine}")
            print("\n".join(lines[-1:] if quiet else lines))
            groups: dict[str, list[relevance.Outcome]] = {}
            for o in outcomes:
                groups.setdefault(o.query.group, []).append(o)
            for group, os_ in groups.items():
                hits = sum(o.hits for o in os_)
                exp = sum(len(o.query.expected) for o in os_)
                got = sum(len(o.found) for o in os_)
                if not exp:  # queries that should match nothing: how many gave no (full) result
                    print(f"  {group}: {len(os_)} queries, with no result {sum(1 for o in os_ if not o.found)}, "
                          f"with a problem {sum(1 for o in os_ if o.problems())}")
                    continue
                print(f"  {group}: {len(os_)} queries, recall {hits / exp:.1%}, precision "
                      f"{hits / max(got, 1):.1%}, with a problem {sum(1 for o in os_ if o.problems())}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=150)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--engine", choices=["ours", "pagefind", "both"], default="ours")
    ap.add_argument("--quiet", action="store_true", help="only the totals")
    args = ap.parse_args()
    engines = ["ours", "pagefind"] if args.engine == "both" else [args.engine]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as p:
        tmp = Path(tmp_name)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            run("example site", example_root(tmp), tmp / "example-site", relevance.example_suite, engines,
                args.quiet, browser)
            run(f"synthetic corpus (--records {args.records} --seed {args.seed})", _synth(tmp, args.records, args.seed),
                tmp / "synth-site", relevance.synth_suite, engines, args.quiet, browser)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
