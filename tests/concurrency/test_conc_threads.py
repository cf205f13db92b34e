"""Threads of one process writing one array: the synchronizers make overlapping writes exact.

The same overlapping, chunk-unaligned workload as the process tests, run by 8 threads, with the
engine's own thread pool on (2 workers) so chunk writes of one call also run in parallel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conc_workers import CHUNK, region_values, serial_result, workload

import zarr5

N_THREADS = 8


def _run_threads(work: Callable[[int], Any]) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(N_THREADS)

    def run(rank: int) -> None:
        try:
            barrier.wait()
            work(rank)
        except BaseException as e:  # re-raised by the test thread
            errors.append(e)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def _synchronizers(tmp_path) -> dict[str, Any]:
    return {"thread": zarr5.ThreadSynchronizer(), "process": zarr5.ProcessSynchronizer(tmp_path / "locks")}


@pytest.fixture(autouse=True)
def _two_pool_workers():
    with zarr5.config.using(max_workers=2):
        yield


@pytest.mark.parametrize("kind", ["thread", "process"])
@pytest.mark.parametrize("store_kind", ["memory", "directory"])
def test_overlapping_unaligned_writes_from_threads_equal_serial(tmp_path, kind, store_kind):
    sync = _synchronizers(tmp_path)[kind]
    length, regions = workload(N_THREADS, 40, seed=3)
    store = zarr5.MemoryStore() if store_kind == "memory" else zarr5.DirectoryStore(tmp_path / "t.zarr")
    z = zarr5.zeros(length, chunks=CHUNK, dtype="i4", store=store, synchronizer=sync)

    def work(rank: int) -> None:
        for start, stop in regions[rank]:
            z[start:stop] = region_values(start, stop)

    _run_threads(work)
    np.testing.assert_array_equal(z[:], serial_result(length, regions))


def test_multi_chunk_writes_from_threads_equal_serial(tmp_path):
    # each write spans several chunks, so the engine's pool runs several locked merges at once
    sync = zarr5.ProcessSynchronizer(tmp_path / "locks")
    z = zarr5.zeros((60, 60), chunks=(7, 9), dtype="i4", store=zarr5.MemoryStore(), synchronizer=sync)
    boxes = [[(r, c, r + 11, c + 13) for r in range(t, 48, 8) for c in range(t % 3, 46, 9)]
             for t in range(N_THREADS)]
    value = np.arange(3600, dtype="i4").reshape(60, 60) + 1

    def work(rank: int) -> None:
        for r0, c0, r1, c1 in boxes[rank]:
            z[r0:r1, c0:c1] = value[r0:r1, c0:c1]

    _run_threads(work)
    expected = np.zeros((60, 60), dtype="i4")
    for per_thread in boxes:
        for r0, c0, r1, c1 in per_thread:
            expected[r0:r1, c0:c1] = value[r0:r1, c0:c1]
    np.testing.assert_array_equal(z[:], expected)


def test_distinct_chunks_from_threads_need_no_synchronizer(tmp_path):
    z = zarr5.zeros(N_THREADS * 10 * CHUNK, chunks=CHUNK, dtype="i4", store=zarr5.DirectoryStore(tmp_path))

    def work(rank: int) -> None:
        for k in range(10):
            start = (rank + N_THREADS * k) * CHUNK
            z[start:start + CHUNK] = region_values(start, start + CHUNK)

    _run_threads(work)
    np.testing.assert_array_equal(z[:], np.arange(1, z.size + 1, dtype="i4"))


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_attributes_from_threads_lose_no_key(tmp_path, kind):
    sync = _synchronizers(tmp_path)[kind]
    root = zarr5.open_group(str(tmp_path / "g.zarr"), mode="w", synchronizer=sync)
    member = root.zeros("data", shape=4)

    def work(rank: int) -> None:
        # each thread opens its own objects, as separate programs would (no shared cache)
        g = zarr5.open_group(str(tmp_path / "g.zarr"), mode="r+", synchronizer=sync)
        for j in range(20):
            g.attrs[f"t{rank}_{j}"] = j
            g["data"].attrs.update({f"t{rank}_{j}": j})

    _run_threads(work)
    want = {f"t{t}_{j}" for t in range(N_THREADS) for j in range(20)}
    root.attrs.refresh()
    member.attrs.refresh()
    assert set(root.attrs) == want and set(member.attrs) == want


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_appends_and_resizes_from_threads(tmp_path, kind):
    sync = _synchronizers(tmp_path)[kind]
    store = zarr5.DirectoryStore(tmp_path / "a.zarr")
    zarr5.zeros((0, 2), chunks=(3, 2), dtype="i4", store=store)

    def work(rank: int) -> None:
        z = zarr5.open_array(store, mode="r+", synchronizer=sync)  # each thread caches its own metadata
        for j in range(6):
            z.append([[rank, j], [rank, j]])

    _run_threads(work)
    z = zarr5.open_array(store, mode="r")
    assert z.shape == (N_THREADS * 12, 2)
    pairs = sorted(map(tuple, z[:].tolist()))
    assert pairs == sorted([(t, j) for t in range(N_THREADS) for j in range(6)] * 2)


@pytest.mark.parametrize("kind", ["thread", "process"])
def test_v3_appends_and_attributes_share_the_zarr_json_lock(tmp_path, kind):
    # in Zarr v3 the attributes live in zarr.json beside the shape: both updates take that one lock
    sync = _synchronizers(tmp_path)[kind]
    path = str(tmp_path / "v3.zarr")
    zarr5.zeros((0, 2), chunks=(3, 2), dtype="i4", store=path, zarr_format=3)

    def work(rank: int) -> None:
        z = zarr5.open_array(path, mode="r+", synchronizer=sync)
        for j in range(5):
            z.append([[rank, j]])
            z.attrs[f"t{rank}_{j}"] = j

    _run_threads(work)
    z = zarr5.open_array(path, mode="r")
    assert z.zarr_format == 3 and z.shape == (N_THREADS * 5, 2)
    assert sorted(map(tuple, z[:].tolist())) == sorted((t, j) for t in range(N_THREADS) for j in range(5))
    assert set(z.attrs) == {f"t{t}_{j}" for t in range(N_THREADS) for j in range(5)}
