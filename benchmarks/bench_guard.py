"""The leak guard alone on an already built site (issue 18): the cost of provenance (cutting every secret
into pieces and dropping what independently public text excuses) and of scanning every output byte.

    python3 benchmarks/bench_guard.py CORPUS_ROOT BUILT_SITE

e.g. after `python3 benchmarks/bench_build.py --records 10000 --workdir W`: W/corpus-10000-1-yaml and
W/site-10000. Prints wall and CPU seconds (CPU counts the scanning worker processes too): on two idle
cores the guard takes about provenance CPU + scan CPU / 2.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.build import _public_extra, read_site  # noqa: E402
from generator.log import publog  # noqa: E402
from generator.secrecy import guard  # noqa: E402


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    root, site = Path(sys.argv[1]), Path(sys.argv[2])
    source = read_site(root, redact=True)
    events = publog.read_log(root / publog.LOG_FILE)

    class Model:  # what _public_extra reads
        catalog = source.catalog
        departments = source.departments

    extra = list(_public_extra(Model, events, root))
    wall, used = time.perf_counter(), cpu()
    automaton = guard.build_automaton(source.redacted.secrets, source.redacted.public, extra,
                                      source.config.guard.min_length, source.catalog.public_names)
    pieces = len(automaton.pieces) if automaton else 0
    print(f"provenance: {time.perf_counter() - wall:.1f} s wall, {cpu() - used:.1f} s CPU, {pieces:,} pieces")
    wall, used = time.perf_counter(), cpu()
    found = guard.scan(site, automaton)
    files = sum(1 for p in site.rglob("*") if p.is_file())
    print(f"scan of {files:,} files: {time.perf_counter() - wall:.1f} s wall, {cpu() - used:.1f} s CPU, "
          f"{len(found)} findings")
    print("load average while measuring:", ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
