"""The one helper for work on all cores: same result as one process, state that cannot be pickled
reaches the workers (through fork), nothing is left behind in the calling process."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from generator.util import parallel


def _work(state, chunk):
    return [(state["f"](x), os.getpid()) for x in chunk]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="fork only")
def test_parallel_equals_sequential_and_state_is_not_pickled(monkeypatch):
    state = {"f": lambda x: x * x}  # a lambda cannot be pickled: it must travel by fork
    items = list(range(parallel.MIN_ITEMS + 7))
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    many = parallel.map_chunks(_work, items, state)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    one = parallel.map_chunks(_work, items, state)
    assert len(one) == 1 and len(many) > 2
    assert [v for part in many for v, _ in part] == [v for part in one for v, _ in part] == [x * x for x in items]
    assert {pid for part in many for _, pid in part} - {os.getpid()}, "no worker process ran"
    assert parallel._worker == {}  # set in the workers only


def test_few_items_run_here():
    items = list(range(parallel.MIN_ITEMS - 1))
    result = parallel.map_chunks(_work, items, {"f": abs})
    assert len(result) == 1 and {pid for _, pid in result[0]} == {os.getpid()}
