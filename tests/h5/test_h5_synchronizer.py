"""File(..., synchronizer=...) locks chunk and attribute writes of every dataset in the file."""

from __future__ import annotations

import threading

import numpy as np

import zarr5


class RecordingSynchronizer(zarr5.ThreadSynchronizer):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    def __getitem__(self, item: str) -> threading.Lock:
        self.keys.append(item)
        return super().__getitem__(item)


def test_file_synchronizer_locks_chunks_and_attributes(tmp_path):
    sync = RecordingSynchronizer()
    with zarr5.File(str(tmp_path / "s.h5"), "w", synchronizer=sync) as f:
        d = f.create_dataset("x", shape=(10,), chunks=(5,), dtype="i4")
        d[3:7] = 1
        d.attrs["units"] = "m"
    assert {"x/0", "x/1"} <= set(sync.keys)
    assert "x/.zattrs" in sync.keys


def test_threads_writing_overlapping_regions_lose_nothing(tmp_path):
    sync = zarr5.ThreadSynchronizer()
    with zarr5.File(str(tmp_path / "t.h5"), "w", synchronizer=sync) as f:
        d = f.create_dataset("x", shape=(100,), chunks=(10,), dtype="i8")

        def add(offset: int) -> None:
            for i in range(offset, 100, 4):
                d[i] = i  # each write is a read-modify-write of a chunk shared with other threads

        threads = [threading.Thread(target=add, args=(k,)) for k in range(4)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        np.testing.assert_array_equal(d[:], np.arange(100))
