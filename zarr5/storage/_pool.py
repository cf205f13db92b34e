"""A small thread pool for batched file I/O, private to the storage layer (the engine borrows only
``run_in_slices``, with its own pool, for the runs of small-chunk writes).

It is separate from :func:`zarr5.config.executor` on purpose: the engine calls ``get_many`` from
tasks running on that pool, and waiting there on tasks queued behind ourselves could deadlock.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from zarr5 import config

# below this many items a plain loop beats the cost of handing work to threads
MIN_BATCH = 8
_MAX_THREADS = 8

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _get_pool() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            workers = max(1, min(_MAX_THREADS, config.get("max_workers")))
            _pool = ThreadPoolExecutor(workers, thread_name_prefix="zarr5-storage")
        return _pool


def map_io(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """Return ``[fn(x) for x in items]``, run on the I/O pool when the batch is big enough."""
    if len(items) < MIN_BATCH or config.get("max_workers") == 1:
        return [fn(item) for item in items]
    try:
        results = _get_pool().map(fn, items)  # every item submitted here; run as the results are read
    except RuntimeError:
        # no new threads once the interpreter shuts down (a File written back at exit): in this one
        return [fn(item) for item in items]
    return list(results)


def run_in_slices(fn: Callable[[Sequence[Any]], None], items: Sequence[Any],
                  executor: Executor | None = None, least: int = MIN_BATCH) -> None:
    """Call ``fn`` on ``items`` cut into one slice per pool thread (of at least ``least`` items), one
    of them in the calling thread: for many small items (files of a few hundred bytes), where a future
    per item costs more than the item. ``executor`` is this module's pool unless given (the engine
    passes its own). Returns when every slice is done; then raises the first error any slice raised."""
    workers = max(1, min(_MAX_THREADS, config.get("max_workers")))
    count = min(workers, len(items) // least)
    if count <= 1:
        fn(items)
        return
    size = -(-len(items) // count)
    pool = executor if executor is not None else _get_pool()
    futures, here = [], [items[:size]]
    for start in range(size, len(items), size):
        try:
            futures.append(pool.submit(fn, items[start:start + size]))
        except RuntimeError:
            # no new threads once the interpreter shuts down (a File written back at exit): this one
            here.append(items[start:start + size])
    error: BaseException | None = None
    for part in here:
        try:
            fn(part)
        except BaseException as e:
            error = error or e
    for future in futures:
        try:
            future.result()
        except BaseException as e:
            error = error or e
    if error is not None:
        raise error


def _reset_after_fork() -> None:
    # a forked child inherits the pool object but not its threads
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_reset_after_fork)
