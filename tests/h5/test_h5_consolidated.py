"""A read-only File on a consolidated store reads every metadata document from .zmetadata alone."""

from __future__ import annotations

import numpy as np
import pytest

import zarr5
from zarr5.errors import ReadOnlyError
from zarr5.storage import MemoryStore

METADATA = (".zarray", ".zgroup", ".zattrs", "zarr.json", ".zmetadata")


class CountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.metadata_reads: list[str] = []

    def __getitem__(self, key):
        if key.rsplit("/", 1)[-1] in METADATA:
            self.metadata_reads.append(key)
        return super().__getitem__(key)


def test_walk_and_attributes_cost_one_metadata_read():
    store = CountingStore()
    with zarr5.File(store, "w") as f:
        for i in range(50):
            d = f.create_dataset(f"g{i % 5}/d{i}", data=np.arange(4) * i, chunks=(2,))
            d.attrs["i"] = i
    zarr5.consolidate_metadata(store)
    store.metadata_reads.clear()
    seen = {}
    with zarr5.File(store, "r") as f:
        f.visititems(lambda name, obj: seen.__setitem__(name, dict(obj.attrs)))
        assert f["g3/d8"][...].tolist() == [0, 8, 16, 24]
    assert len(seen) == 55 and seen["g1/d6"] == {"i": 6}
    assert store.metadata_reads == [".zmetadata"]


def test_consolidated_file_opened_read_only_refuses_writes():
    store = MemoryStore()
    with zarr5.File(store, "w") as f:
        f["x"] = np.arange(3)
    zarr5.consolidate_metadata(store)
    with zarr5.File(store, "r") as f, pytest.raises((ValueError, OSError, ReadOnlyError)):
        f["x"][0] = 5
