"""dask over zarr5 arrays, in one process: chunking seen by from_array, writes through da.store."""

from __future__ import annotations

import pathlib
import pickle

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="the dask tests need dask[array] (pip install '.[test]')")
dask = pytest.importorskip("dask")

import zarr5  # noqa: E402
from zarr5.storage import DirectoryStore  # noqa: E402


@pytest.fixture
def z(tmp_path: pathlib.Path) -> zarr5.Array:
    arr = zarr5.open_array(str(tmp_path / "a.zarr"), mode="w", shape=(300, 200), chunks=(30, 40), dtype="f8")
    arr[:] = np.arange(300 * 200, dtype="f8").reshape(300, 200)
    return arr


def test_from_array_follows_the_chunks(z: zarr5.Array) -> None:
    x = da.from_array(z, chunks=z.chunks)
    assert x.chunks == ((30,) * 10, (40,) * 5)
    # left to choose, dask picks blocks that are whole multiples of the stored chunks
    with dask.config.set({"array.chunk-size": "100KiB"}):
        auto = da.from_array(z)
    assert all(c % 30 == 0 for c in auto.chunks[0][:-1]) and all(c % 40 == 0 for c in auto.chunks[1][:-1])
    assert auto.numblocks != (1, 1)
    np.testing.assert_array_equal(auto.sum(axis=0).compute(), z[:].sum(axis=0))
    np.testing.assert_array_equal(x[17:211, 5:190].compute(scheduler="threads"), z[17:211, 5:190])


def test_store_writes_unaligned_blocks(tmp_path: pathlib.Path) -> None:
    target = zarr5.open_array(str(tmp_path / "t.zarr"), mode="w", shape=(100, 90), chunks=(20, 20),
                              dtype="i4", synchronizer=zarr5.ThreadSynchronizer())
    # blocks of 7 x 11 never line up with chunks of 20 x 20: neighbours share chunks
    x = da.arange(100 * 90, dtype="i4", chunks=7 * 90).reshape(100, 90).rechunk((7, 11))
    da.store(x, target, lock=False, scheduler="threads")
    np.testing.assert_array_equal(target[:], np.arange(100 * 90, dtype="i4").reshape(100, 90))


def test_store_with_aligned_blocks_needs_no_lock(tmp_path: pathlib.Path) -> None:
    target = zarr5.zeros((64, 64), chunks=(16, 16), dtype="u2", store=DirectoryStore(tmp_path / "u.zarr"))
    x = da.ones((64, 64), chunks=(16, 32), dtype="u2") * 3
    da.store(x, target, lock=False, scheduler="threads")
    assert target[:].sum() == 3 * 64 * 64 and target.nchunks_initialized == 16


def test_to_zarr5_style_round_trip(z: zarr5.Array, tmp_path: pathlib.Path) -> None:
    # the helper users write: create a like-shaped zarr5 array and store into it
    x = da.from_array(z, chunks=z.chunks) * 2
    out = zarr5.open_array(str(tmp_path / "out.zarr"), mode="w", shape=x.shape, chunks=z.chunks,
                           dtype=x.dtype)
    x.store(out, lock=False)
    np.testing.assert_array_equal(out[:], z[:] * 2)


def test_pickles_without_data(z: zarr5.Array) -> None:
    blob = pickle.dumps(z)
    assert len(blob) < 500, len(blob)  # a path and options; the 480 kB of data stay on disk
    sync = zarr5.ProcessSynchronizer(str(z.store.path) + ".sync")
    synced = zarr5.open_array(z.store, mode="r+", synchronizer=sync)
    assert len(pickle.dumps(synced)) < 700
    graph = pickle.dumps(da.from_array(z, chunks=z.chunks).__dask_graph__())
    assert len(graph) < 20_000, len(graph)


def test_from_array_over_an_h5py_style_dataset(tmp_path: pathlib.Path) -> None:
    data = np.arange(200 * 300, dtype="f4").reshape(200, 300)
    with zarr5.File(str(tmp_path / "f.zarr"), "w") as f:
        ds = f.create_dataset("x", data=data, chunks=(20, 30))
        x = da.from_array(ds, chunks=ds.chunks)
        assert x.chunks == ((20,) * 10, (30,) * 10)
        with dask.config.set({"array.chunk-size": "64KiB"}):
            auto = da.from_array(ds)
        assert all(c % 20 == 0 for c in auto.chunks[0][:-1]) and all(c % 30 == 0 for c in auto.chunks[1][:-1])
        np.testing.assert_array_equal(auto[15:185, 7:290].compute(scheduler="threads"), data[15:185, 7:290])
