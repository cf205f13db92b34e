"""Two dask worker processes write chunk-unaligned regions of one zarr5 array through a
ProcessSynchronizer: the result is exact, and the array travels to the workers as a path."""

from __future__ import annotations

import os
import pathlib
import pickle

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="the dask tests need dask[array] (pip install '.[test]')")
distributed = pytest.importorskip("distributed", reason="the dask tests need dask[distributed]")

import zarr5  # noqa: E402


def test_two_worker_processes_write_unaligned_regions(tmp_path: pathlib.Path) -> None:
    sync = zarr5.ProcessSynchronizer(str(tmp_path / "locks"))
    target = zarr5.open_array(str(tmp_path / "out.zarr"), mode="w", shape=(120, 100), chunks=(25, 30),
                              dtype="i8", fill_value=-1, synchronizer=sync)
    expected = np.arange(120 * 100, dtype="i8").reshape(120, 100)
    # 13 x 17 blocks straddle the 25 x 30 chunks: most chunks are shared by several writers, so an
    # unsynchronized read-modify-write would lose some of them
    source = da.from_array(expected, chunks=(13, 17))
    assert len(pickle.dumps(target)) < 700  # the array pickles as a path and a lock directory

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        with distributed.get_task_stream(client) as stream:
            da.store(source, target, lock=False)
        workers = {task["worker"] for task in stream.data}
        pids = set(client.run(os.getpid).values())

    # both workers took part, and they are processes of their own
    assert len(workers) == 2 and len(pids) == 2 and os.getpid() not in pids
    np.testing.assert_array_equal(zarr5.open_array(str(tmp_path / "out.zarr"), mode="r")[:], expected)
