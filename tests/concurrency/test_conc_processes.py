"""Real processes writing one store: with a ProcessSynchronizer nothing is lost, without one it is.

Every test starts 8 children (forkserver, see conc_workers.py) that wait on one barrier and then
write at once. Outcomes are checked against the serial result; nothing here measures time.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from conc_workers import (
    CHUNK,
    add_attributes,
    append_rows,
    probe_lock,
    require_groups,
    run_all,
    serial_result,
    workload,
    write_regions,
)

import zarr5

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks and forkserver")

N_PROCS = 8


# overlapping, chunk-unaligned regions -------------------------------------------------------------


def _run_regions(tmp_path, name: str, synchronized: bool, regions_per_proc: int,
                 seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Run the workload in 8 processes; return (the array as stored, the serial result)."""
    store_path = str(tmp_path / f"{name}.zarr")
    length, regions = workload(N_PROCS, regions_per_proc, seed)
    zarr5.zeros(length, chunks=CHUNK, dtype="i4", store=store_path)
    sync_path = str(tmp_path / f"{name}.sync") if synchronized else None
    counts = run_all(write_regions, [(p, store_path, sync_path, regions[p]) for p in range(N_PROCS)])
    assert counts == [regions_per_proc] * N_PROCS
    return zarr5.open_array(store_path, mode="r")[:], serial_result(length, regions)


def test_overlapping_unaligned_writes_with_process_synchronizer_equal_serial(tmp_path):
    actual, expected = _run_regions(tmp_path, "synced", synchronized=True, regions_per_proc=60, seed=0)
    # 8 processes x 60 writes, each a read-modify-write of one or two shared chunks: nothing lost
    np.testing.assert_array_equal(actual, expected)


def test_same_writes_without_synchronizer_lose_updates(tmp_path):
    # the tutorial's warning made visible: two processes read the same chunk, each merges its own
    # region, and the second write discards the first one's; a lost element reads as the fill value 0
    lost = []
    for attempt in range(3):
        actual, expected = _run_regions(tmp_path, f"unsynced{attempt}", synchronized=False,
                                        regions_per_proc=60, seed=attempt)
        # a lost element is back at the fill value; any other value would be a torn write
        assert ((actual == expected) | (actual == 0)).all()
        lost.append(int(np.count_nonzero(actual != expected)))
        if lost[-1]:
            break
    assert lost[-1] > 0, f"no update was lost in {len(lost)} unsynchronized runs"


def test_distinct_chunks_need_no_synchronizer(tmp_path):
    # each process owns whole chunks: every write replaces a chunk without reading it, so none is lost
    store_path = str(tmp_path / "aligned.zarr")
    per_proc = 12
    zarr5.zeros(N_PROCS * per_proc * CHUNK, chunks=CHUNK, dtype="i4", store=store_path)
    regions = [[((p + N_PROCS * k) * CHUNK, (p + N_PROCS * k + 1) * CHUNK) for k in range(per_proc)]
               for p in range(N_PROCS)]
    run_all(write_regions, [(p, store_path, None, regions[p]) for p in range(N_PROCS)])
    actual = zarr5.open_array(store_path, mode="r")[:]
    np.testing.assert_array_equal(actual, serial_result(actual.size, regions))


# attributes -----------------------------------------------------------------------------------------


def test_attributes_from_eight_processes_lose_no_key(tmp_path):
    store_path = str(tmp_path / "attrs.zarr")
    root = zarr5.open_group(store_path, mode="w")
    root.zeros("data", shape=10, chunks=5)
    count = 25
    written = run_all(add_attributes, [(p, store_path, str(tmp_path / "attrs.sync"), count)
                                       for p in range(N_PROCS)])
    assert sum(written) == 2 * count * N_PROCS
    root = zarr5.open_group(store_path, mode="r")
    want = {f"p{p}_{j}" for p in range(N_PROCS) for j in range(count)}
    assert set(root.attrs) == want
    assert set(root["data"].attrs) == want
    assert all(root.attrs[f"p{p}_{j}"] == [p, j] for p in range(N_PROCS) for j in range(count))
    assert root["data"].attrs["p7_3"] == {"rank": 7, "j": 3}


def test_require_group_from_eight_processes_makes_each_group_once(tmp_path):
    # zarr 2 checks and creates a member under its group's lock: no process finds a group "already
    # there" halfway through another's creation
    store_path = str(tmp_path / "groups.zarr")
    zarr5.open_group(store_path, mode="w")
    names = [f"g{i // 4}" for i in range(200)] + ["deep/er/g"]  # each name required 4 times in a row
    paths = run_all(require_groups, [(p, store_path, str(tmp_path / "groups.sync"), names)
                                     for p in range(N_PROCS)])
    assert paths == [names] * N_PROCS
    root = zarr5.open_group(store_path, mode="r")
    assert sorted(root.group_keys()) == sorted({f"g{i // 4}" for i in range(200)} | {"deep"})
    assert root["deep/er/g"].path == "deep/er/g"


# appends --------------------------------------------------------------------------------------------


def test_appends_from_eight_processes_keep_every_row(tmp_path):
    store_path = str(tmp_path / "append.zarr")
    zarr5.zeros((0, 3), chunks=(4, 3), dtype="i4", store=store_path)
    count = 10
    run_all(append_rows, [(p, store_path, str(tmp_path / "append.sync"), count) for p in range(N_PROCS)])
    z = zarr5.open_array(store_path, mode="r")
    assert z.shape == (N_PROCS * count, 3)
    rows = z[:]
    # each append reserved its own rows under the .zarray lock: every row whole, none twice, none lost
    assert (rows == rows[:, :1]).all()
    assert sorted(rows[:, 0].tolist()) == sorted(p * 1000 + j for p in range(N_PROCS) for j in range(count))
    # and each process's rows appear in the order it appended them
    for p in range(N_PROCS):
        mine = [v for v in rows[:, 0].tolist() if v // 1000 == p]
        assert mine == sorted(mine)


# the locks across processes ---------------------------------------------------------------------


@pytest.mark.parametrize("library", ["zarr5", "zarr"])
def test_a_held_lock_excludes_other_processes(tmp_path, library):
    if library == "zarr":
        pytest.importorskip("zarr.sync")
    sync = zarr5.ProcessSynchronizer(tmp_path / "locks")
    args = [(0, str(tmp_path / "locks"), "foo/0.0", library)]
    with sync["foo/0.0"]:
        # zarr-python 2's ProcessSynchronizer names lock files the same way, so it is excluded too
        assert run_all(probe_lock, args) == [False]
        assert run_all(probe_lock, [(0, str(tmp_path / "locks"), "foo/0.1", library)]) == [True]
    assert run_all(probe_lock, args) == [True]
