"""A File reads a dataset's metadata once: every handle of the File shares it, so a resize through one
handle is seen by all at once; each call checks it is current (one stat on a directory store), so other
writers are seen at the next call; writers that rewrite a document behind it make it read again."""

from __future__ import annotations

import numpy as np
import pytest

import zarr5
from zarr5.h5 import File
from zarr5.storage import DirectoryStore, MemoryStore


class CountingStore(DirectoryStore):
    """A DirectoryStore that counts reads per key name (the last path segment)."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.reads: dict[str, int] = {}

    def __getitem__(self, key):
        name = key.rsplit("/", 1)[-1]
        self.reads[name] = self.reads.get(name, 0) + 1
        return super().__getitem__(key)


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_element_reads_writes_and_resizes_read_no_metadata(zarr_format, tmp_path) -> None:
    # a directory store answers "unchanged" with one stat: the document is not read again
    store = CountingStore(str(tmp_path / "s.zarr"))
    f = File(store, "w", zarr_format=zarr_format)
    d = f.create_dataset("d", shape=(0, 3), maxshape=(None, 3), chunks=(4, 3), dtype="f8")
    store.reads.clear()
    for n in range(10):
        d.resize(n + 1, axis=0)
        d[n] = np.arange(3.0) + n
    for n in range(10):
        assert d[n].tolist() == [n, n + 1.0, n + 2.0]
    assert d[2:5, 1].tolist() == [3.0, 4.0, 5.0]
    if zarr_format == 2:
        assert store.reads.get(".zarray", 0) == 0
    else:
        # a v3 resize rewrites zarr.json, which also holds the attributes: it reads them first, from
        # the File's pending document (metadata is written back at flush), not from the store
        assert store.reads.get("zarr.json", 0) == 0
    f.close()
    with File(store, "r") as g:
        np.testing.assert_array_equal(g["d"][...], np.arange(10)[:, None] + np.arange(3.0))


def test_a_resize_through_another_handle_is_seen_at_once(tmp_path) -> None:
    with File(str(tmp_path / "a.zarr"), "w") as f:
        a = f.create_dataset("x", shape=(2,), maxshape=(None,), chunks=(4,), dtype="i4")
        b = f["x"]
        c = f["/x"]
        b.resize((7,))
        assert a.shape == c.shape == (7,) and len(a) == 7
        a[6] = 42
        assert b[6] == 42 and c[...].tolist() == [0] * 6 + [42]
        c.id.extend((9,))
        assert a.shape == b.shape == (9,)
        a.resize(3, axis=0)  # shrinking: every handle reads the new extent, and nothing beyond it
        assert b[...].tolist() == [0, 0, 0]
        with pytest.raises(IndexError):
            b[5]


def test_flushed_writes_and_resizes_are_seen_by_a_second_file_and_the_zarr_vocabulary(tmp_path) -> None:
    path = str(tmp_path / "b.zarr")
    f = File(path, "w")
    d = f.create_dataset("x", shape=(4,), maxshape=(None,), chunks=(4,), dtype="f8")
    d.resize((6,))
    d[5] = 2.5
    f.flush()
    with File(path, "r") as g:
        assert g["x"].shape == (6,) and g["x"][5] == 2.5
    z = zarr5.open(path, mode="r")["x"]
    assert z.shape == (6,) and z[5] == 2.5
    f.close()


def test_another_files_resize_is_seen_at_the_next_call(tmp_path) -> None:
    # the metadata is checked on every call (a stat of the document on a directory store)
    path = str(tmp_path / "c.zarr")
    with File(path, "w") as f:
        f.create_dataset("x", data=np.arange(4), maxshape=(None,), chunks=(2,))
    reader = File(path, "r")
    r = reader["x"]
    assert r.shape == (4,)
    with File(path, "a") as w:
        w["x"].resize((6,))
        w["x"][4:] = [40, 50]
    assert r.shape == (6,) and r[...].tolist() == [0, 1, 2, 3, 40, 50]
    z = zarr5.open(path, mode="r+")["x"]
    z.resize(3)
    assert r.shape == (3,) and r[...].tolist() == [0, 1, 2]
    r.refresh()  # h5py's SWMR call: reads everything again
    assert r[...].tolist() == [0, 1, 2]
    reader.close()


def test_dimension_names_then_resize_keeps_both() -> None:
    # dimension labels rewrite a v3 array's zarr.json behind the File's Array; a later resize keeps them
    f = File(MemoryStore(), "w", zarr_format=3)
    d = f.create_dataset("d", shape=(2, 3), maxshape=(None, 3), chunks=(2, 3), dtype="i4")
    d.dims[0].label = "time"
    d.dims[1].label = "x"
    d.resize(5, axis=0)
    assert d._array.meta.dimension_names == ("time", "x")
    assert d._array.meta.shape == (5, 3)
    assert [dim.label for dim in f["d"].dims] == ["time", "x"]


def test_v3_attribute_write_then_resize_keeps_both() -> None:
    f = File(MemoryStore(), "w", zarr_format=3)
    d = f.create_dataset("d", shape=(2,), maxshape=(None,), chunks=(2,), dtype="i4")
    other = f["d"]
    other.attrs["units"] = "m"
    assert d._array.meta.attributes["units"] == "m"  # the shared Array read the rewritten document
    d.resize((4,))
    assert dict(d.attrs) == {"units": "m"} and other.shape == (4,)
    assert d._array.meta.attributes["units"] == "m"


def test_deleted_and_recreated_dataset_is_read_anew(tmp_path) -> None:
    with File(str(tmp_path / "d.zarr"), "w") as f:
        f.create_dataset("x", data=np.arange(5))
        del f["x"]
        f.create_dataset("x", data=np.arange(3.0) / 2, chunks=(2,))
        assert f["x"].shape == (3,) and f["x"].dtype == np.float64
        assert f["x"][...].tolist() == [0.0, 0.5, 1.0]
        f.move("x", "y")
        f.create_dataset("x", data=np.zeros((2, 2), dtype="i2"))
        assert (f["x"].shape, f["y"].shape) == ((2, 2), (3,))


def test_copy_with_new_codecs_writes_with_them(tmp_path) -> None:
    # zarr5.copy from HDF5 with compressor= rewrites the new array's .zarray before its data is written
    h5py = pytest.importorskip("h5py")
    import numcodecs

    src = str(tmp_path / "s.h5")
    with h5py.File(src, "w") as h:
        h.create_dataset("v", data=np.arange(1000, dtype="i4"), chunks=(100,))
    with h5py.File(src, "r") as h, File(str(tmp_path / "t.zarr"), "w") as f:
        zarr5.copy(h["v"], f, compressor=numcodecs.Zlib(level=3))
        assert f["v"][...].tolist() == list(range(1000))
    z = zarr5.open(str(tmp_path / "t.zarr"), mode="r")["v"]
    assert z.compressor == numcodecs.Zlib(level=3)
    assert z[...].tolist() == list(range(1000))


def test_how_a_dataset_was_made_is_read_once_per_file(tmp_path) -> None:
    store = CountingStore(str(tmp_path / "m.zarr"))
    f = File(store, "w")
    f.create_dataset("d", shape=(3,), maxshape=(None,), chunks=(2,), dtype="i2")
    f.flush()  # its documents reach the store (until then they are this File's pending metadata)
    assert f["d"].maxshape == (None,)
    store.reads.clear()
    for _ in range(5):
        assert f["d"].maxshape == (None,) and f["d"].chunks == (2,) and f["d"].shape == (3,)
    assert store.reads.get(".zattrs", 0) == 0  # new handles: a stat says the record is unchanged
    # a dataset made anew under the name by another File, with the same .zarray but another record
    # (no maxshape): its attributes file changed, so the next handle reads it
    with File(str(tmp_path / "m.zarr"), "a") as g:
        del g["d"]
        g.create_dataset("d", shape=(3,), chunks=(2,), dtype="i2")
    assert f["d"].maxshape == (3,) and f["d"].chunks == (2,)
    f.close()
