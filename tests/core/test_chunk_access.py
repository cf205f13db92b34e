"""Only the chunks a selection touches are read or written; whole-chunk writes read nothing."""

from __future__ import annotations

import numpy as np
import pytest

import zarr5
from zarr5.storage import MemoryStore


class CountingStore(MemoryStore):
    """A MemoryStore that records which chunk keys were read and written."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []
        self.writes: list[str] = []

    def __getitem__(self, key):
        if not key.split("/")[-1].startswith("."):
            self.reads.append(key)
        return super().__getitem__(key)

    def get_many(self, keys):
        keys = list(keys)
        self.reads.extend(k for k in keys if not k.split("/")[-1].startswith("."))
        return {k: MemoryStore.__getitem__(self, k) for k in keys if k in self}

    def __setitem__(self, key, value):
        if not key.split("/")[-1].startswith("."):
            self.writes.append(key)
        super().__setitem__(key, value)

    def reset(self) -> None:
        self.reads.clear()
        self.writes.clear()


@pytest.fixture
def arr():
    store = CountingStore()
    z = zarr5.zeros((100, 100), chunks=(10, 10), dtype="i4", store=store)
    z[:] = np.arange(10000).reshape(100, 100)
    store.reset()
    return z, store


def test_basic_read_touches_only_needed_chunks(arr):
    z, store = arr
    z[5:25, 95:]
    assert sorted(store.reads) == ["0.9", "1.9", "2.9"]


@pytest.mark.parametrize("getter, selection, chunks", [
    ("get_orthogonal_selection", ([3, 55], slice(0, 15)), {"0.0", "0.1", "5.0", "5.1"}),
    ("get_coordinate_selection", ([3, 55, 99], [0, 50, 99]), {"0.0", "5.5", "9.9"}),
    ("get_block_selection", (1, slice(2, 4)), {"1.2", "1.3"}),
])
def test_advanced_reads_touch_only_needed_chunks(arr, getter, selection, chunks):
    z, store = arr
    getattr(z, getter)(selection)
    assert set(store.reads) == chunks and len(store.reads) == len(chunks)


def test_mask_read_touches_only_needed_chunks(arr):
    z, store = arr
    mask = np.zeros((100, 100), dtype=bool)
    mask[0, 0] = mask[99, 99] = True
    assert z.vindex[mask].tolist() == [0, 9999]
    assert sorted(store.reads) == ["0.0", "9.9"]


def test_whole_chunk_writes_do_not_read(arr):
    z, store = arr
    z[10:30, :] = 1
    assert store.reads == []
    assert sorted(store.writes) == sorted(f"{i}.{j}" for i in (1, 2) for j in range(10))


def test_partial_chunk_write_reads_and_writes_only_that_chunk(arr):
    z, store = arr
    z[11, 11] = -1
    assert store.reads == ["1.1"] and store.writes == ["1.1"]
    assert z[11, 11] == -1 and z[11, 12] == 1112
