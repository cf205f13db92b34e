"""Arrays that re-read their metadata (cache_metadata=False, every h5py-style dataset) read it once per
call, rebuild nothing while the document is unchanged, and see every change another handle makes."""

from __future__ import annotations

import numpy as np

import zarr5
from zarr5.storage import MemoryStore


class MetadataCountingStore(MemoryStore):
    """A MemoryStore that counts reads of metadata documents."""

    def __init__(self) -> None:
        super().__init__()
        self.metadata_reads = 0

    def __getitem__(self, key):
        if key.endswith((".zarray", "zarr.json")):
            self.metadata_reads += 1
        return super().__getitem__(key)


def test_h5_reads_and_writes_read_the_metadata_once_per_call() -> None:
    store = MetadataCountingStore()
    f = zarr5.File(store, "w")
    d = f.create_dataset("d", data=np.arange(20), maxshape=(None,), chunks=(5,))
    ops = (lambda: d[3], lambda: d[2:9], lambda: d.__setitem__(4, -1), lambda: d.__setitem__(slice(0, 2), 7))
    for op in ops:
        store.metadata_reads = 0
        op()
        assert store.metadata_reads == 0  # the document is the File's pending one, not yet stored
    f.flush()
    for op in ops:
        store.metadata_reads = 0
        op()
        assert store.metadata_reads == 1
    assert d[:6].tolist() == [7, 7, 2, 3, -1, 5]


def test_unchanged_metadata_keeps_the_engine_and_a_change_rebuilds_it() -> None:
    store = MemoryStore()
    a = zarr5.zeros((10,), chunks=(5,), dtype="i4", store=store)
    uncached = zarr5.Array(store, cache_metadata=False)
    engine = uncached._io
    assert uncached[...].tolist() == [0] * 10
    assert uncached._io is engine  # same stored document: nothing decoded or rebuilt
    a.resize(12)
    a[10:] = 9
    assert uncached.shape == (12,)
    assert uncached[...].tolist() == [0] * 10 + [9, 9]
    assert uncached._io is not engine


def test_h5_dataset_sees_a_resize_made_through_the_zarr_api() -> None:
    store = MemoryStore()
    f = zarr5.File(store, "w")
    d = f.create_dataset("d", data=np.arange(6), maxshape=(None,), chunks=(4,))
    f.flush()  # the zarr vocabulary sees the File's metadata once flushed, as another program would
    z = zarr5.open_array(store, path="d", mode="r+")
    z.resize(9)
    z[6:] = [60, 70, 80]
    assert d.shape == (9,)
    assert d[-3:].tolist() == [60, 70, 80]
    d[8] = 81
    assert z[8] == 81
