"""Work on all cores: one helper for the stages that do the same thing to many items (loading YAML
files, writing record pages, scanning output files for secrets).

The state the work needs (the catalog, the renderer, the automaton) reaches the worker processes
through the pool's initializer: with fork, the child inherits it and nothing is pickled, so it may
hold things that cannot be pickled. Results come back in the items' order, so parallel work gives
exactly what one process gives. Where fork does not exist, or for few items, the work runs here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more (fork, start-up, results back) than it saves.
MIN_ITEMS = 500
# The build machines have 2–4 cores; more workers only add memory.
MAX_WORKERS = 4
# Chunks per worker: small enough that one slow chunk does not leave the other cores idle.
CHUNKS_PER_WORKER = 8

# Set by `_start` in each worker process only, never in the calling process.
_worker: dict[str, Any] = {}


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def map_chunks(fn: Callable[[S, list[T]], R], items: Sequence[T], state: S, min_items: int = MIN_ITEMS) -> list[R]:
    """`fn(state, chunk)` for consecutive chunks of `items`, in order; one chunk when run here.
    `min_items`: fewer items than this run here (lower it for items that each cost much)."""
    jobs = workers()
    if jobs < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(state, list(items))]
    size = -(-len(items) // (jobs * CHUNKS_PER_WORKER))
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start, initargs=(fn, state)) as pool:
        return pool.map(_run, chunks)


def _start(fn: Callable, state: Any) -> None:
    _worker["fn"], _worker["state"] = fn, state


def _run(chunk: list) -> Any:
    return _worker["fn"](_worker["state"], chunk)
