"""The zarr-2 API: creation functions, open modes, errors, save/load, consolidation."""

from __future__ import annotations

import pickle

import numcodecs
import numpy as np
import pytest

import zarr5
from zarr5.errors import (
    ArrayNotFoundError,
    BadCompressorError,
    ContainsArrayError,
    ContainsGroupError,
    GroupNotFoundError,
    PathNotFoundError,
    ReadOnlyError,
)


def test_creators_fill_values():
    assert zarr5.zeros(5, chunks=2)[:].tolist() == [0.0] * 5
    assert zarr5.ones(5, chunks=2, dtype="i2")[:].tolist() == [1] * 5
    assert zarr5.full(5, 7, chunks=2, dtype="u1")[:].tolist() == [7] * 5
    assert zarr5.empty(5, chunks=2).fill_value is None
    z = zarr5.create(5, dtype="f8", fill_value=np.nan)
    assert np.isnan(z[:]).all()


def test_default_compressor_is_blosc_lz4_and_switchable():
    z = zarr5.zeros(10)
    assert z.compressor == numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)
    old = zarr5.storage.default_compressor
    zarr5.storage.default_compressor = numcodecs.Zstd(level=1)
    try:
        assert zarr5.zeros(10).compressor == numcodecs.Zstd(level=1)
    finally:
        zarr5.storage.default_compressor = old
    assert zarr5.zeros(10, compressor=None).compressor is None
    with pytest.raises(BadCompressorError):
        zarr5.zeros(10, compressor="gzip")


def test_chunks_arguments():
    assert zarr5.zeros((10000, 10000), chunks=True, dtype="i4").chunks == (625, 625)
    assert zarr5.zeros((10000, 10000), chunks=False, dtype="i4").chunks == (10000, 10000)
    assert zarr5.zeros((100, 50), chunks=(10, None)).chunks == (10, 50)
    assert zarr5.zeros((100, 50), chunks=(10, -1)).chunks == (10, 50)
    assert zarr5.zeros((100, 50), chunks=7).chunks == (7, 7)


def test_shorthand_dtypes():
    assert zarr5.empty(3, dtype=str).filters == [numcodecs.VLenUTF8()]
    assert zarr5.empty(3, dtype=bytes).filters == [numcodecs.VLenBytes()]
    assert zarr5.empty(3, dtype="array:i8").filters == [numcodecs.VLenArray("<i8")]
    with pytest.raises(ValueError, match="object_codec"):
        zarr5.empty(3, dtype=object)


def test_open_modes(tmp_path):
    path = str(tmp_path / "a.zarr")
    with pytest.raises(PathNotFoundError):
        zarr5.open(path, mode="r")
    z = zarr5.open(path, mode="w", shape=(4,), dtype="i4", chunks=2)
    z[:] = [1, 2, 3, 4]
    with pytest.raises(ContainsArrayError):
        zarr5.open_array(path, mode="w-", shape=(4,))
    with pytest.raises(ContainsArrayError):
        zarr5.open_group(path, mode="a")
    r = zarr5.open(path, mode="r")
    assert r.read_only
    with pytest.raises(ReadOnlyError):
        r[0] = 5
    assert zarr5.open(path, mode="r+")[:].tolist() == [1, 2, 3, 4]
    g = zarr5.open(path, mode="w")
    assert isinstance(g, zarr5.Group)
    with pytest.raises(ContainsGroupError):
        zarr5.open_array(path, mode="a", shape=3)
    with pytest.raises(ArrayNotFoundError):
        zarr5.open_array(str(tmp_path / "none.zarr"), mode="r")
    with pytest.raises(GroupNotFoundError):
        zarr5.open_group(str(tmp_path / "none.zarr"), mode="r")
    with pytest.raises(ValueError, match="invalid mode"):
        zarr5.open(path, mode="q")


def test_save_load_roundtrip(tmp_path):
    path = str(tmp_path / "s.zarr")
    a = np.arange(10)
    zarr5.save(path, a)
    np.testing.assert_array_equal(zarr5.load(path), a)
    zarr5.save(path, a, b=a * 2)
    loaded = zarr5.load(path)
    assert sorted(loaded) == ["arr_0", "b"]
    np.testing.assert_array_equal(loaded["b"], a * 2)


def test_resize_deletes_chunks_outside(tmp_path):
    z = zarr5.zeros((10, 10), chunks=(5, 5), store=str(tmp_path / "r.zarr"), dtype="i4")
    z[:] = 1
    assert z.nchunks_initialized == 4
    z.resize(5, 5)
    assert z.nchunks_initialized == 1
    z.resize(10, 10)
    assert z[:].sum() == 25
    z.shape = (3, 3)
    assert z.shape == (3, 3)


def test_append_returns_new_shape():
    a = np.arange(20, dtype="i4").reshape(4, 5)
    z = zarr5.array(a, chunks=(2, 2))
    assert z.append(a) == (8, 5)
    assert z.append(np.vstack([a, a]), axis=1) == (8, 10)
    np.testing.assert_array_equal(z[:4, 5:], a)
    with pytest.raises(ValueError):
        z.append(np.zeros((3, 3)))


def test_pickle_in_memory_carries_data_disk_only_path(tmp_path):
    z1 = zarr5.array(np.arange(100000))
    s = pickle.dumps(z1)
    assert len(s) > 5000
    z2 = pickle.loads(s)
    assert z1 == z2
    np.testing.assert_array_equal(z1[:], z2[:])
    z3 = zarr5.open(str(tmp_path / "w.zarr"), mode="w", shape=100000, dtype="i8")
    z3[:] = np.arange(100000)
    s = pickle.dumps(z3)
    assert len(s) < 200
    z4 = pickle.loads(s)
    assert z3 == z4
    np.testing.assert_array_equal(z3[:], z4[:])


def test_array_properties():
    z = zarr5.zeros((10, 7), chunks=(3, 3), dtype="<f4")
    assert (z.ndim, z.size, z.itemsize, z.nbytes) == (2, 70, 4, 280)
    assert z.cdata_shape == (4, 3) and z.nchunks == 12 and z.nchunks_initialized == 0
    z[0] = 1
    assert z.nchunks_initialized == 3
    assert len(z) == 10
    assert [row.tolist() for row in z.islice(0, 2)][0] == [1.0] * 7
    assert np.asarray(z).shape == (10, 7)
    d1 = z.hexdigest()
    z[5, 5] = 3
    assert z.hexdigest() != d1
    z.fill_value = 9
    assert z[9, 6] == 9 and z.fill_value == 9


def test_info_report():
    z = zarr5.zeros((1000,), chunks=(100,), dtype="i8")
    z[:] = 42
    text = repr(z.info)
    assert "Type               : zarr5.core.Array" in text
    assert "Chunks initialized : 10/10" in text
    assert "No. bytes          : 8000 (7.8K)" in text


def test_write_empty_chunks_false_deletes_fill_chunks():
    store = zarr5.MemoryStore()
    z = zarr5.zeros(100, chunks=10, store=store, write_empty_chunks=False)
    z[:] = 1
    assert z.nchunks_initialized == 10
    z[:50] = 0
    assert z.nchunks_initialized == 5


def test_wrong_shape_write_is_value_error_and_leaves_data():
    z = zarr5.array(np.arange(10), chunks=3)
    with pytest.raises(ValueError, match="broadcast"):
        z[:5] = np.arange(4)
    np.testing.assert_array_equal(z[:], np.arange(10))


def test_out_of_bounds_index_names_axis():
    z = zarr5.zeros((3, 4))
    with pytest.raises(IndexError):
        z[3, 0]
    with pytest.raises(IndexError):
        z[0, -5]


def test_structured_fields():
    a = np.array([(b"aaa", 1, 4.2), (b"bbb", 2, 8.4), (b"ccc", 3, 12.6)],
                 dtype=[("foo", "S3"), ("bar", "i4"), ("baz", "f8")])
    z = zarr5.array(a)
    np.testing.assert_array_equal(z["foo"], a["foo"])
    assert z.get_basic_selection(slice(0, 2), fields="bar").tolist() == [1, 2]
    z["bar"] = 7
    assert z[:]["bar"].tolist() == [7, 7, 7]
    assert z[:]["foo"].tolist() == [b"aaa", b"bbb", b"ccc"]


def test_object_arrays():
    z = zarr5.empty(5, dtype=object, object_codec=numcodecs.JSON())
    z[0] = 42
    z[1] = "foo"
    z[2] = ["bar", "baz", "qux"]
    z[3] = {"a": 1, "b": 2.2}
    assert z[:].tolist() == [42, "foo", ["bar", "baz", "qux"], {"a": 1, "b": 2.2}, None]
    r = zarr5.empty(4, dtype="array:i8")
    r[0] = np.array([1, 3, 5])
    assert r[0].tolist() == [1, 3, 5] and r[3].tolist() == []


def test_datetimes():
    z = zarr5.array(["2007-07-13", "2006-01-13", "2010-08-13"], dtype="M8[D]")
    assert z[0] == np.datetime64("2007-07-13")
    z[0] = "1999-12-31"
    assert str(z[0]) == "1999-12-31"


def test_consolidated_metadata_read_only_metadata_writable_data(tmp_path):
    store = zarr5.DirectoryStore(str(tmp_path / "c.zarr"))
    root = zarr5.group(store)
    root.zeros("a/b", shape=10, chunks=5)
    root.attrs["x"] = 1
    zarr5.consolidate_metadata(store)
    c = zarr5.open_consolidated(store)
    assert c["a/b"].shape == (10,)
    c["a/b"][:] = 3
    assert zarr5.open(str(tmp_path / "c.zarr"))["a/b"][:].tolist() == [3] * 10
    with pytest.raises(ReadOnlyError):
        c.create_group("new")
    with pytest.raises(ReadOnlyError):
        c.attrs["y"] = 2
