"""Corrupt chunks and metadata raise errors naming their key; failed calls leave data intact."""

from __future__ import annotations

import numpy as np
import pytest

import zarr5
from zarr5.errors import CorruptChunkError, InvalidKeyError, MetadataError, UnsafeCodecError


def test_corrupt_chunk_names_its_key():
    store = zarr5.MemoryStore()
    z = zarr5.array(np.arange(20), chunks=5, store=store, path="a/b")
    store["a/b/2"] = b"not blosc at all"
    with pytest.raises(CorruptChunkError, match="a/b/2"):
        z[:]
    assert z[:10].tolist() == list(range(10))


def test_truncated_chunk_names_its_key(tmp_path):
    z = zarr5.open(str(tmp_path / "t.zarr"), mode="w", shape=100, chunks=50, dtype="i8")
    z[:] = np.arange(100)
    path = tmp_path / "t.zarr" / "1"
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.raises(CorruptChunkError, match="'1'"):
        zarr5.open(str(tmp_path / "t.zarr"), mode="r")[60]


@pytest.mark.parametrize("doc", [b"{", b"[]", b'{"zarr_format": 2}', b'{"zarr_format": 2, "shape": [-1]}'])
def test_malformed_zarray_names_key(doc):
    store = zarr5.MemoryStore()
    zarr5.zeros(4, store=store, path="x")
    store["x/.zarray"] = doc
    with pytest.raises(MetadataError, match=r"x/\.zarray"):
        zarr5.open_array(store, path="x", mode="r")


def test_unknown_codec_is_metadata_error():
    store = zarr5.MemoryStore()
    zarr5.zeros(4, store=store)
    meta = store[".zarray"].replace(b'"blosc"', b'"no-such-codec"')
    store[".zarray"] = meta
    with pytest.raises(MetadataError, match="no-such-codec"):
        zarr5.open_array(store, mode="r")


def test_pickle_codec_refused_on_open_unless_allowed():
    import numcodecs

    store = zarr5.MemoryStore()
    z = zarr5.empty(3, dtype=object, object_codec=numcodecs.Pickle(), store=store)
    z[0] = {"a": 1}
    with pytest.raises(UnsafeCodecError):
        zarr5.open_array(store, mode="r")
    assert zarr5.open_array(store, mode="r", allow_pickle=True)[0] == {"a": 1}


def test_member_names_that_escape_are_refused():
    root = zarr5.group()
    for bad in ("../x", "a/../../b", "a\\b", "a\x00b"):
        with pytest.raises(InvalidKeyError):
            root.create_group(bad)
    assert list(root.keys()) == []
    # runs of '/' escape nothing: they collapse, as zarr 2 reads member names
    assert root.create_group("a//b").path == "a/b" and list(root.keys()) == ["a"]


def test_get_basic_selection_out():
    z = zarr5.array(np.arange(12).reshape(3, 4), chunks=2)
    out = np.zeros((2, 4), dtype=z.dtype)
    result = z.get_basic_selection(slice(1, 3), out=out)
    assert result is out
    np.testing.assert_array_equal(out, np.arange(4, 12).reshape(2, 4))


def test_wrong_dtype_value_is_type_or_value_error():
    z = zarr5.zeros(3, dtype="i4")
    with pytest.raises((TypeError, ValueError)):
        z[0] = "not a number"
    assert z[:].tolist() == [0, 0, 0]


def test_object_write_with_a_bad_value_changes_nothing():
    z = zarr5.array(["a"] * 10, dtype=str, chunks=2)
    with pytest.raises(TypeError, match="object codec"):
        z[:] = ["b"] * 9 + [5]
    assert z[:].tolist() == ["a"] * 10
