"""What h5py-style calls ask of the store: a new dataset is not read back, an attribute is written
in one read-modify-write, and every result stays the same as before these shortcuts."""

from __future__ import annotations

import numpy as np
import pytest

import zarr5
from zarr5.storage import DirectoryStore, MemoryStore


class CountingStore(MemoryStore):
    """A MemoryStore that counts reads and writes per key name (the last path segment)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: dict[str, int] = {}
        self.writes: dict[str, int] = {}

    def __getitem__(self, key):
        name = key.rsplit("/", 1)[-1]
        self.reads[name] = self.reads.get(name, 0) + 1
        return super().__getitem__(key)

    def __setitem__(self, key, value):
        name = key.rsplit("/", 1)[-1]
        self.writes[name] = self.writes.get(name, 0) + 1
        super().__setitem__(key, value)

    def reset(self) -> None:
        self.reads.clear()
        self.writes.clear()


def test_a_new_dataset_is_not_read_back() -> None:
    store = CountingStore()
    f = zarr5.File(store, "w")
    store.reset()
    d = f.create_dataset("d", (10,), dtype="i4", maxshape=(None,), chunks=(5,))
    assert store.reads.get(".zarray", 0) == 0
    assert store.writes == {}  # the documents wait for flush, as HDF5's metadata does
    assert (d.shape, d.maxshape, d.chunks, d.dtype) == ((10,), (None,), (5,), np.dtype("i4"))
    f.flush()
    assert store.writes == {".zarray": 1, ".zattrs": 1}
    store.reset()
    e = f.create_dataset("e", data=np.arange(6.0))
    assert store.reads.get(".zarray", 0) == 0  # the write of the data finds the pending document
    assert store.writes == {}  # the new array's small chunk waits with its metadata, past the chunk cache
    assert e[...].tolist() == list(np.arange(6.0))
    assert f["e"].chunks is None  # contiguous, as recorded when it was made
    f.close()
    assert store.writes == {"0": 1, ".zarray": 1, ".zattrs": 1}


def test_an_attribute_write_or_delete_is_one_write() -> None:
    store = CountingStore()
    f = zarr5.File(store, "w")
    d = f.create_dataset("d", (3,), dtype="f8")
    f.flush()
    store.reset()
    d.attrs["units"] = np.float32(2.5)
    assert store.writes == {}  # kept until flush
    assert d.attrs["units"] == np.float32(2.5) and d.attrs["units"].dtype == np.float32
    f.flush()
    assert store.writes == {".zattrs": 1}
    store.reset()
    del d.attrs["units"]
    for i in range(5):
        d.attrs[f"a{i}"] = i
    assert store.writes == {}
    assert "units" not in d.attrs and d.attrs["a4"] == 4
    f.flush()
    assert store.writes == {".zattrs": 1}  # six writes of one document: one store write


def test_attribute_order_is_kept_by_the_single_write(tmp_path) -> None:
    with zarr5.File(str(tmp_path / "o.zarr"), "w", track_order=True) as f:
        g = f.create_group("g")
        for name in ("zeta", "alpha", "mid"):
            g.attrs[name] = len(name)
        g.attrs["alpha"] = 10  # replacing keeps its place
        del g.attrs["zeta"]
        assert list(g.attrs) == ["alpha", "mid"]
        assert g.attrs["alpha"] == 10


@pytest.mark.parametrize("kind", ["memory", "directory"])
def test_creating_over_an_existing_name_still_fails(kind, tmp_path) -> None:
    # a directory store answers "nothing here" with one stat; the memory store probes each document
    store = MemoryStore() if kind == "memory" else DirectoryStore(str(tmp_path / "s.zarr"))
    f = zarr5.File(store, "w")
    f.create_dataset("d", (2,), dtype="i1")
    f.create_group("g")
    f["link"] = zarr5.SoftLink("/d")
    for name in ("d", "g", "link"):
        with pytest.raises(ValueError, match="already exists"):
            f.create_dataset(name, (2,), dtype="i1")


def test_visit_passes_names_without_opening_objects() -> None:
    store = CountingStore()
    f = zarr5.File(store, "w")
    g = f.create_group("g")
    for i in range(3):
        g.create_dataset(f"d{i}", data=np.arange(4))
    f.create_dataset("top", data=np.arange(2))
    store.reset()
    names: list[str] = []
    assert f.visit(names.append) is None
    assert names == ["g", "g/d0", "g/d1", "g/d2", "top"]
    assert store.reads.get(".zarray", 0) == 0  # names only: no dataset's metadata is read
    found = f.visititems(lambda name, obj: name if getattr(obj, "shape", None) == (2,) else None)
    assert found == "top"
    assert f.visit(lambda name: name if name.endswith("d1") else None) == "g/d1"


def test_a_new_datasets_small_chunks_wait_for_flush_and_large_ones_do_not(monkeypatch) -> None:
    from zarr5.core import metawriteback

    store = CountingStore()
    f = zarr5.File(store, "w")
    store.reset()
    f.create_dataset("small", data=np.arange(1000.0), chunks=(500,))  # two 4 kB chunks: kept
    assert store.writes == {}
    f.create_dataset("large", data=np.arange(10_000.0))  # one 80 kB chunk: over 64 kB, written now
    assert store.writes == {"0": 1}
    monkeypatch.setattr(metawriteback, "KEPT_CHUNKS_TOTAL", 10_000)  # 8 kB kept already: full
    f.create_dataset("more", data=np.arange(500.0))
    assert store.writes == {"0": 2}
    g = zarr5.File(store, "r+")  # another File of the same store in this process sees it all
    assert g["small"][...].tolist() == list(np.arange(1000.0)) and g["more"][-1] == 499.0
    f.close()
    assert {"small/.zarray", "small/0", "small/1"} <= set(store)
    assert zarr5.open_array(store, path="small", mode="r")[...].tolist() == list(np.arange(1000.0))


def test_a_kept_chunk_written_again_is_never_written_stale(tmp_path) -> None:
    path = str(tmp_path / "s.zarr")
    f = zarr5.File(path, "w")
    d = f.create_dataset("d", data=np.arange(10.0))  # kept back
    d[...] = np.full(10, 7.0)  # a whole-chunk write after the creation goes to the store at once
    e = f.create_dataset("e", data=np.arange(10.0))
    e[3] = -1.0  # a partial write: the chunk cache reads the kept chunk and writes back at flush
    assert e[...].tolist() == [0.0, 1.0, 2.0, -1.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    f.close()
    g = zarr5.open_group(path, mode="r")
    assert g["d"][...].tolist() == [7.0] * 10
    assert g["e"][...].tolist() == [0.0, 1.0, 2.0, -1.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]


def test_read_into_is_offered_only_over_a_store_that_has_it(tmp_path) -> None:
    # a store without read_into keeps its readers' view of the bytes read (no copy into a new chunk)
    from zarr5.core.metawriteback import MetadataWriteBack

    assert getattr(MetadataWriteBack(MemoryStore()), "read_into", None) is None
    over_directory = MetadataWriteBack(DirectoryStore(str(tmp_path / "d")))
    over_directory["k"] = b"abc"
    out = bytearray(3)
    assert over_directory.read_into("k", out) == 3 and out == b"abc"
