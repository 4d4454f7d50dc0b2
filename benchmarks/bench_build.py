"""Region-scale build benchmark (issue 7): synthesise N records, build them, report per stage.

    python3 benchmarks/bench_build.py --records 10000 --records 100000 [--seed 1] [--workdir DIR]

For each N it prints every stage's wall time and the peak RSS reached by the end of it (this
process; Pagefind is a child process and reported apart), one line per shard (department × year:
records, seconds), the total output size, the median record page size, an upper bound of what a
first search query downloads, and the times of two rebuilds with the shard cache: nothing changed,
and one record's text changed (which shards were rebuilt). The first build starts from an empty
cache (.disclose-cache/ of the corpus is deleted). Corpora are cached in --workdir (default
benchmarks/out/, gitignored).
"""

from __future__ import annotations

import argparse
import gzip as gz
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.build import BuildReport, build  # noqa: E402
from generator.shards.store import CACHE_DIR  # noqa: E402


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def synth(n: int, seed: int, fmt: str, workdir: Path) -> Path:
    out = workdir / f"corpus-{n}-{seed}-{fmt}"
    if not (out / "content").is_dir():
        subprocess.run([sys.executable, "-m", "generator", "synth", "--records", str(n), "--seed", str(seed),
                        "--format", fmt, str(out)], check=True)
    return out


def timed_build(root: Path, out: Path) -> tuple[dict[str, float], dict[str, float], float, BuildReport]:
    rss: dict[str, float] = {}
    order: list[str] = []

    def progress(label: str) -> None:
        if order:
            rss[order[-1]] = _rss_mb()
        order.append(label)

    start = time.perf_counter()
    report = build(root, out, progress=progress)
    total = time.perf_counter() - start
    if order:
        rss[order[-1]] = _rss_mb()
    names = list(report.timings)
    return report.timings, {names[i]: rss[label] for i, label in enumerate(order) if i < len(names)}, total, report


def first_query_bytes(site: Path) -> int:
    """Upper bound of a first search: the engine, entry, metadata, every filter index (the page
    loads them to show counts), the largest index chunk, the four largest vocabulary files (the
    query's characters pick them) and the ten largest result fragments (the first page of results)."""
    pf = site / "pagefind"
    names = ["pagefind.js", "pagefind-entry.json"]
    total = sum((pf / n).stat().st_size for n in names if (pf / n).exists())
    total += sum(p.stat().st_size for p in pf.glob("wasm.*.pagefind"))
    total += sum(p.stat().st_size for p in pf.glob("*.pf_meta"))
    total += sum(p.stat().st_size for p in (pf / "filter").glob("*"))
    chunks = sorted((p.stat().st_size for p in (pf / "index").glob("*")), reverse=True)
    total += chunks[0] if chunks else 0
    vocab = sorted((len(gz.compress(p.read_bytes())) for p in (pf / "dc-vocab").glob("*.json")), reverse=True)
    total += sum(vocab[:4])
    fragments = sorted((p.stat().st_size for p in (pf / "fragment").glob("*")), reverse=True)
    return total + sum(fragments[:10])


def measured_first_query(site: Path, query: str) -> int | None:
    """Open /search/ in headless Chromium, type `query`, and add up every byte fetched from
    /pagefind/ until results show; text assets (JS, CSS, JSON) counted gzipped, as any server sends
    them (Pagefind's own index files are gzip already). None when Playwright or Chromium is missing."""
    import gzip as gz

    from tests.serving import serve

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    fetched: dict[str, int] = {}
    try:
        with serve(site) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            page = browser.new_page()

            def on_response(response) -> None:
                if "/pagefind/" in response.url:
                    body = response.body()
                    text = response.url.endswith((".js", ".css", ".json"))
                    fetched[response.url] = len(gz.compress(body)) if text else len(body)

            page.on("response", on_response)
            page.goto(f"{url}search/")
            page.fill("#dc-search-input", query)
            page.wait_for_function("q => { const l = document.getElementById('dc-search-results');"
                                   " return l.dataset.state === 'done' && l.dataset.query === q; }",
                                   arg=query, timeout=60_000)
            page.wait_for_timeout(1000)
            browser.close()
    except Exception as exc:  # no Chromium here: say so, keep the other figures
        print(f"(first query not measured: {exc.__class__.__name__})", file=sys.stderr)
        return None
    return sum(fetched.values())


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def change_one_record(root: Path) -> str:
    """An editor's typical edit: one goal's overall goal text (its title, which other shards' pages
    show as a link, is left alone). Returns the file changed."""
    path = next(p for p in sorted((root / "content").rglob("*.yml"))
                if "/goals/" in p.as_posix() and "\noverall_goal: " in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\noverall_goal: ", "\noverall_goal: 修订：", 1), encoding="utf-8")
    return path.relative_to(root).as_posix()


def shard_lines(report: BuildReport) -> dict[str, dict]:
    made = report.shards
    if made is None:
        return {}
    return {sid: {"records": len(made.manifests[sid].pages), "s": round(made.seconds.get(sid, 0), 2),
                  "built": sid in made.built} for sid in sorted(made.folders)}


def run(n: int, seed: int, fmt: str, workdir: Path, rebuild: bool = True) -> dict:
    corpus = synth(n, seed, fmt, workdir)
    out = workdir / f"site-{n}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(corpus / CACHE_DIR, ignore_errors=True)  # a full build from a cold cache
    timings, rss, total, report = timed_build(corpus, out)
    pages = [p.stat().st_size for p in (out / "records").glob("*/index.html")]
    result = {
        "records": n, "format": fmt, "total_s": round(total, 1),
        "stages": {k: {"s": round(v, 1), "peak_rss_mb": round(rss.get(k, 0))} for k, v in timings.items()},
        "pagefind_peak_rss_mb": round(_rss_mb(resource.RUSAGE_CHILDREN)),
        "output_mb": round(dir_size(out) / 1e6, 1),
        "median_record_page_kb": round(statistics.median(pages) / 1024, 1) if pages else 0,
        "first_query_kb": round(first_query_bytes(out) / 1024, 1),
        "shards": shard_lines(report),
    }
    measured = measured_first_query(out, "义务教育")
    result["first_query_measured_kb"] = round(measured / 1024, 1) if measured else None
    print(json.dumps(result, ensure_ascii=False), flush=True)  # before the rebuild, which takes as long
    result["rebuild_one_change_s"] = result["rebuild_unchanged_s"] = None
    if not rebuild:
        return result
    timings, _, total, report = timed_build(corpus, out)
    result["rebuild_unchanged_s"] = round(total, 1)
    result["rebuild_unchanged_stages"] = {k: round(v, 1) for k, v in timings.items()}
    result["changed_file"] = change_one_record(corpus)
    timings, _, total, report = timed_build(corpus, out)
    result["rebuild_one_change_s"] = round(total, 1)
    result["rebuild_one_change_stages"] = {k: round(v, 1) for k, v in timings.items()}
    result["rebuilt_shards"] = report.shards.built if report.shards else None
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["yaml", "csv"], default="yaml")
    parser.add_argument("--workdir", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the rebuild after one change")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}", flush=True)
    for n in args.records or [10_000]:
        result = run(n, args.seed, args.format, args.workdir, rebuild=not args.no_rebuild)
        print(f"\n== {n:,} records ({args.format}) ==")
        print(f"{'stage':<10}{'wall s':>9}{'peak RSS MB':>14}")
        for name, s in result["stages"].items():
            print(f"{name:<10}{s['s']:>9.1f}{s['peak_rss_mb']:>14}")
        print(f"{'total':<10}{result['total_s']:>9.1f}   (Pagefind peak RSS {result['pagefind_peak_rss_mb']} MB)")
        print(f"\n{'shard':<14}{'records':>8}{'wall s':>9}")
        for sid, line in result["shards"].items():
            print(f"{sid:<14}{line['records']:>8}{line['s']:>9.2f}")
        print(f"output {result['output_mb']} MB; median record page {result['median_record_page_kb']} KB; "
              f"first search query {result['first_query_measured_kb']} KB measured (static upper bound "
              f"{result['first_query_kb']} KB)")
        if result["rebuild_one_change_s"] is not None:
            print(f"rebuild, nothing changed: {result['rebuild_unchanged_s']} s {result['rebuild_unchanged_stages']}")
            print(f"rebuild after one change ({result['changed_file']}): {result['rebuild_one_change_s']} s, "
                  f"shards rebuilt {result['rebuilt_shards']} {result['rebuild_one_change_stages']}")
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
