"""zarr-2's copy / copy_all / copy_store contract: signatures, log lines, counts, if_exists, dry_run."""

from __future__ import annotations

import io

import h5py
import numcodecs
import numpy as np
import pytest
import zarr as zarr2

import zarr5
from zarr5.errors import CopyError


@pytest.fixture
def h5src(tmp_path):
    f = h5py.File(tmp_path / "src.h5", "w")
    f.create_dataset("foo/bar/baz", data=np.arange(100), chunks=(50,))
    f.create_dataset("spam", data=np.arange(100, 200), chunks=(30,), compression="gzip")
    f["foo"].attrs["title"] = "foo group"
    yield f
    f.close()


def _lines(log: io.StringIO) -> list[str]:
    return log.getvalue().splitlines()


def test_copy_log_lines_and_counts_as_zarr2(h5src, tmp_path):
    dest = zarr5.open_group(str(tmp_path / "d.zarr"), mode="w")
    log = io.StringIO()
    assert zarr5.copy(h5src["foo"], dest, log=log) == (3, 0, 800)
    assert _lines(log) == ["copy /foo", "copy /foo/bar", "copy /foo/bar/baz (100,) int64",
                           "all done: 3 copied, 0 skipped, 800 bytes copied"]
    assert dest["foo"].attrs["title"] == "foo group"


def test_copy_if_exists(h5src, tmp_path):
    dest = zarr5.open_group(str(tmp_path / "d.zarr"), mode="w")
    zarr5.copy_all(h5src, dest)
    with pytest.raises(CopyError, match="already exists"):
        zarr5.copy_all(h5src, dest)
    log = io.StringIO()
    assert zarr5.copy_all(h5src, dest, if_exists="skip", log=log) == (2, 2, 0)
    assert "skip /spam (100,) int64" in _lines(log)
    assert zarr5.copy_all(h5src, dest, if_exists="replace") == (4, 0, 1600)
    # every chunk is stored and no copy was interrupted: skip_initialized skips both arrays
    assert zarr5.copy_all(h5src, dest, if_exists="skip_initialized") == (2, 2, 0)
    with pytest.raises(ValueError, match="if_exists"):
        zarr5.copy_all(h5src, dest, if_exists="nope")


def test_copy_dry_run_writes_nothing(h5src, tmp_path):
    dest = zarr5.open_group(str(tmp_path / "d.zarr"), mode="w")
    log = io.StringIO()
    assert zarr5.copy_all(h5src, dest, dry_run=True, log=log) == (4, 0, 0)
    assert _lines(log)[-1] == "dry run: 4 copied, 0 skipped"
    assert list(dest.keys()) == []


def test_copy_shallow_and_without_attrs(h5src, tmp_path):
    dest = zarr5.open_group(str(tmp_path / "d.zarr"), mode="w")
    assert zarr5.copy(h5src["foo"], dest, shallow=True, without_attrs=True) == (1, 0, 0)
    assert list(dest["foo"].keys()) == [] and dict(dest["foo"].attrs) == {}


def test_copy_refuses_bad_arguments(h5src, tmp_path):
    with pytest.raises(ValueError, match="dest must be a group"):
        zarr5.copy(h5src["spam"], np.zeros(3))
    with pytest.raises(TypeError, match="name"):
        zarr5.copy(h5src, zarr5.group())
    with h5py.File(tmp_path / "o.h5", "w") as out, pytest.raises(ValueError, match="skip_initialized"):
        zarr5.copy_all(zarr5.group(), out, if_exists="skip_initialized")


def test_copy_create_kws_apply_to_every_array(h5src, tmp_path):
    dest = zarr5.open_group(str(tmp_path / "d.zarr"), mode="w")
    zarr5.copy_all(h5src, dest, compressor=numcodecs.Zstd(level=2), chunks=(25,))
    for path in ("foo/bar/baz", "spam"):
        arr = zarr2.open_array(str(tmp_path / "d.zarr" / path), mode="r")
        assert arr.chunks == (25,) and arr.compressor == numcodecs.Zstd(level=2)
        assert np.array_equal(arr[:], h5src[path][:])


def test_copy_keeps_compression_and_copies_chunks_raw(h5src, tmp_path):
    dest = zarr5.File(str(tmp_path / "d.zarr"), "w")
    zarr5.copy_all(h5src, dest)
    assert dest["spam"].compression == "gzip" and dest["spam"].chunks == (30,)
    # the zarr chunk is HDF5's chunk, byte for byte
    assert (tmp_path / "d.zarr" / "spam" / "1").read_bytes() == h5src["spam"].id.read_direct_chunk((30,))[1]


def test_copy_zarr5_to_zarr5_and_zarr_python_sources(tmp_path):
    z2 = zarr2.open_group(str(tmp_path / "z2.zarr"), mode="w")
    z2.create_dataset("a/b", data=np.arange(20).reshape(4, 5), chunks=(2, 5), compressor=numcodecs.Zlib(3))
    z2["a"].attrs["note"] = {"nested": [1, 2]}
    z2.create_dataset("s", data=np.array(["x", "yy"], dtype=object), object_codec=numcodecs.VLenUTF8())
    dest = zarr5.open_group(str(tmp_path / "d.zarr"), mode="w")
    log = io.StringIO()
    assert zarr5.copy_all(z2, dest, log=log) == (3, 0, 176)
    assert dest["a/b"].compressor == numcodecs.Zlib(3)
    assert dest["a"].attrs["note"] == {"nested": [1, 2]}
    again = zarr5.open_group(str(tmp_path / "e.zarr"), mode="w")
    zarr5.copy(dest["a"], again, chunks=(1, 1))
    assert again["a/b"].chunks == (1, 1) and np.array_equal(again["a/b"][:], np.arange(20).reshape(4, 5))
    assert list(zarr2.open_group(str(tmp_path / "d.zarr"), mode="r")["s"][:]) == ["x", "yy"]


def test_copy_zarr_to_hdf5_exports_unicode_and_objects(tmp_path):
    src = zarr5.open_group(str(tmp_path / "s.zarr"), mode="w")
    src.array("u", np.array(["α", "bb"]))
    src.array("o", np.array(["x", "yz"], dtype=object), object_codec=numcodecs.VLenUTF8())
    src.attrs.update(meta={"a": 1}, none=None, words=["a", "b"])
    with h5py.File(tmp_path / "o.h5", "w") as out:
        zarr5.copy_all(src, out)
        assert list(out["u"].asstr()[:]) == ["α", "bb"]
        assert list(out["o"].asstr()[:]) == ["x", "yz"]
        assert out.attrs["meta"] == '{"a": 1}' and list(out.attrs["words"]) == ["a", "b"]


def test_copy_store_includes_excludes_if_exists_dry_run(tmp_path):
    src = zarr5.MemoryStore()
    root = zarr5.group(src)
    root.create_dataset("foo/bar", data=np.arange(10), chunks=(5,))
    root.create_dataset("spam", data=np.arange(4), chunks=(4,))
    dst = zarr5.MemoryStore()
    log = io.StringIO()
    n = zarr5.copy_store(src, dst, excludes="^spam", includes=r"spam/\.zarray", log=log)
    assert n[:2] == (6, 0) and "spam/0" not in dst and "spam/.zarray" in dst
    with pytest.raises(CopyError):
        zarr5.copy_store(src, dst)
    assert zarr5.copy_store(src, dst, if_exists="skip")[:2] == (1, 6)
    assert zarr5.copy_store(src, zarr5.MemoryStore(), dry_run=True) == (7, 0, 0)
    moved = zarr5.MemoryStore()
    assert zarr5.copy_store(src, moved, source_path="foo", dest_path="x/y")[0] == 4
    assert np.array_equal(zarr5.open_group(moved)["x/y/bar"][:], np.arange(10))
    with pytest.raises(ValueError):
        zarr5.copy_store(src, dst, if_exists="skip_initialized")


def test_interrupted_copy_is_marked_and_resumes(h5src, tmp_path):
    path = str(tmp_path / "d.zarr")
    dest = zarr5.File(path, "w")

    class Boom(Exception):
        pass

    def stop_at_spam(msg: str) -> None:
        if msg.startswith("copy /spam"):
            raise Boom

    with pytest.raises(Boom):
        zarr5.copy_all(h5src, dest, log=stop_at_spam)
    assert dest._state.attrs("").get_reserved("_zarr5_incomplete") is True
    assert zarr5.copy_all(h5src, dest, if_exists="skip_initialized") == (3, 1, 800)
    assert dest._state.attrs("").get_reserved("_zarr5_incomplete") is None
    assert np.array_equal(dest["spam"][:], np.arange(100, 200))
