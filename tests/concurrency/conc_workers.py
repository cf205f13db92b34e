"""Child-process side of the concurrency and crash tests (imported by the children, not collected).

Children start with the 'forkserver' method: a fresh single-threaded server process forks each child,
so no child inherits the parent's thread pools or locks (forking a process that runs threads can
leave a lock held forever in the child). The server preloads numpy and zarr5, so a child starts in
milliseconds instead of the ~0.3 s a 'spawn' child needs to import them.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import random
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import zarr5

# every child gets this long before the parent gives up on it (a hang, never a timing assertion)
JOIN_TIMEOUT = 120.0


def context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context the tests use: forkserver where it exists, spawn elsewhere."""
    if sys.platform == "win32" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # preloading only helps if the server is not running yet; it is harmless otherwise
    ctx.set_forkserver_preload(["numpy", "numcodecs", "zarr5", "conc_workers"])
    return ctx


def child_setup() -> None:
    """Settings every child applies first: no Blosc threads, a one-thread zarr5 pool."""
    import numcodecs

    # Blosc's global thread pool is not fork-safe and gains nothing with 8 busy processes on few cores
    numcodecs.blosc.use_threads = False
    zarr5.config.set(max_workers=1)


def run_all(target: Callable[..., Any], args: Sequence[tuple], ctx: Any = None) -> list[Any]:
    """Run ``target(*a, barrier, queue)`` for each ``a`` in ``args`` in its own process.

    All children wait on one barrier before their real work, so they overlap as much as the cores
    allow. Each child puts one result on the queue; the results come back in the order of ``args``
    (each child's first argument is its rank). A child that fails fails the caller.
    """
    ctx = ctx or context()
    barrier = ctx.Barrier(len(args))
    queue = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*a, barrier, queue), daemon=True) for a in args]
    for p in procs:
        p.start()
    results: dict[int, Any] = {}
    try:
        for _ in procs:
            rank, result = queue.get(timeout=JOIN_TIMEOUT)
            if isinstance(result, BaseException):
                raise AssertionError(f"child {rank} failed: {result!r}") from result
            results[rank] = result
    finally:
        for p in procs:
            p.join(JOIN_TIMEOUT)
            if p.is_alive():
                p.kill()
                p.join()
    bad = [p.exitcode for p in procs if p.exitcode != 0]
    assert not bad, f"children exited with codes {bad}"
    return [results[a[0]] for a in args]


def _report(queue: Any, rank: int, work: Callable[[], Any]) -> None:
    try:
        queue.put((rank, work()))
    except BaseException as e:  # the parent re-raises it; a child must never die silently
        queue.put((rank, RuntimeError(f"{type(e).__name__}: {e}")))


def _sync(sync_path: str | None) -> zarr5.ProcessSynchronizer | None:
    return None if sync_path is None else zarr5.ProcessSynchronizer(sync_path)


# overlapping, chunk-unaligned region writes ---------------------------------------------------------


def region_values(start: int, stop: int) -> np.ndarray:
    """What every writer stores in [start, stop): a function of the index only, so order cannot matter."""
    return np.arange(start + 1, stop + 1, dtype="i4")


# process p writes [24k + 3p, 24k + 3p + 4) for each k: 4 elements, the last one shared with process
# p + 1's region, so regions overlap, straddle chunk edges (chunks of 50) and every chunk is shared
_BLOCK, _STEP, _WIDTH = 24, 3, 4
CHUNK = 50


def workload(n_procs: int, regions_per_proc: int, seed: int) -> tuple[int, list[list[tuple[int, int]]]]:
    """(array length, one list of regions per process, each list in its own random order)."""
    length = _BLOCK * regions_per_proc + 1
    out = []
    for p in range(n_procs):
        regions = [(_BLOCK * k + _STEP * p, _BLOCK * k + _STEP * p + _WIDTH) for k in range(regions_per_proc)]
        # random order spreads concurrent writers over the chunks instead of marching in step
        random.Random(seed * 100 + p).shuffle(regions)
        out.append(regions)
    return length, out


def serial_result(length: int, per_writer: list[list[tuple[int, int]]]) -> np.ndarray:
    """The array after every writer's regions are written one after another (in any order)."""
    expected = np.zeros(length, dtype="i4")
    for regions in per_writer:
        for start, stop in regions:
            expected[start:stop] = region_values(start, stop)
    return expected


def write_regions(rank: int, store_path: str, sync_path: str | None, regions: list[tuple[int, int]],
                  barrier: Any, queue: Any) -> None:
    """Write each region with its own ``z[start:stop] = ...`` (a read-modify-write of its edge chunks)."""

    def work() -> int:
        child_setup()
        z = zarr5.open_array(store_path, mode="r+", synchronizer=_sync(sync_path))
        barrier.wait()
        for start, stop in regions:
            z[start:stop] = region_values(start, stop)
        return len(regions)

    _report(queue, rank, work)


# attributes -----------------------------------------------------------------------------------------


def add_attributes(rank: int, store_path: str, sync_path: str | None, count: int, barrier: Any,
                   queue: Any) -> None:
    """Add ``count`` distinct attributes to the group and ``count`` to its member 'data'.

    The member is reached through the group, so it uses the synchronizer it inherits.
    """

    def work() -> int:
        child_setup()
        root = zarr5.open_group(store_path, mode="r+", synchronizer=_sync(sync_path))
        member = root["data"]
        barrier.wait()
        for j in range(count):
            root.attrs[f"p{rank}_{j}"] = [rank, j]
            member.attrs[f"p{rank}_{j}"] = {"rank": rank, "j": j}
        return 2 * count

    _report(queue, rank, work)


def require_groups(rank: int, store_path: str, sync_path: str | None, names: list[str], barrier: Any,
                   queue: Any) -> None:
    """Require every group of ``names`` (the same names in every process, as zarr 2's own test does)."""

    def work() -> list[str]:
        child_setup()
        root = zarr5.open_group(store_path, mode="r+", synchronizer=_sync(sync_path))
        barrier.wait()
        return [root.require_group(name).path for name in names]

    _report(queue, rank, work)


# appends --------------------------------------------------------------------------------------------


def append_rows(rank: int, store_path: str, sync_path: str | None, count: int, barrier: Any,
                queue: Any) -> None:
    """Append ``count`` rows, each filled with ``rank * 1000 + j`` so every row names its writer."""

    def work() -> int:
        child_setup()
        z = zarr5.open_array(store_path, mode="r+", synchronizer=_sync(sync_path))
        barrier.wait()
        for j in range(count):
            z.append(np.full((1, z.shape[1]), rank * 1000 + j, dtype=z.dtype))
        return count

    _report(queue, rank, work)


# crash safety ---------------------------------------------------------------------------------------

CRASH_SHAPE = (96, 96)
CRASH_CHUNKS = (8, 8)


def crash_base() -> np.ndarray:
    """Pass ``k`` stores ``crash_base() + k`` in array 'a', so a chunk's content names its pass."""
    return np.arange(np.prod(CRASH_SHAPE), dtype="i4").reshape(CRASH_SHAPE) * 1000


def open_crash_store(kind: str, path: str) -> zarr5.storage.Store:
    """The store of one crash-test round: a directory-like path opened as ``kind``."""
    if kind == "directory":
        return zarr5.DirectoryStore(path)
    if kind == "nested":
        return zarr5.NestedDirectoryStore(path)
    if kind == "sqlite":
        return zarr5.SQLiteStore(path)
    if kind == "lmdb":
        return zarr5.LMDBStore(path)
    raise ValueError(f"unknown store kind {kind!r}")


def write_pass(store: zarr5.storage.Store, k: int) -> None:
    """Pass ``k``: rewrite every chunk and metadata document of the crash hierarchy, in this order.

    'a' (every chunk) := crash_base() + k; 'a'.fill_value := k (rewrites .zarray); 'b' (empty chunks
    not written) := k everywhere on odd passes, its fill value 0 on even ones (every chunk deleted);
    then the .zattrs of the root, 'a' and 'b' := crash_attrs(k).
    """
    root = zarr5.open_group(store, mode="r+")
    a = root["a"]
    b = zarr5.Array(store, "b", write_empty_chunks=False)
    a[...] = crash_base() + k
    a.fill_value = k
    b[...] = k if k % 2 else 0
    root.attrs.put(crash_attrs(k))
    a.attrs.put(crash_attrs(k))
    b.attrs.update(crash_attrs(k))
    if hasattr(store, "flush"):
        store.flush()


def rewrite_forever(kind: str, path: str, start: int, ready: Any) -> None:
    """Write passes start + 1, start + 2, ... until killed."""
    child_setup()
    store = open_crash_store(kind, path)
    ready.set()
    k = start
    while True:
        k += 1
        write_pass(store, k)


def crash_attrs(k: int) -> dict:
    # a document whose every part depends on k, so a mix of two versions is detectable
    return {"pass": k, "payload": [k] * (k % 7 + 1), "name": f"pass-{k}"}


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


# locks ----------------------------------------------------------------------------------------------


def probe_lock(rank: int, sync_path: str, key: str, library: str, barrier: Any, queue: Any) -> None:
    """Report whether this process can take the lock of ``key`` right now (never waits for it)."""

    def work() -> bool:
        barrier.wait()
        if library == "zarr":
            import zarr.sync  # zarr-python 2, to show both libraries use the same lock files

            lock = zarr.sync.ProcessSynchronizer(sync_path)[key]
        else:
            lock = zarr5.ProcessSynchronizer(sync_path)[key]
        taken = lock.acquire(blocking=False)
        if taken:
            lock.release()
        return bool(taken)

    _report(queue, rank, work)
