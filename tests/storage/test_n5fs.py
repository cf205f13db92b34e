"""N5FSStore: N5Store's contract and layout over fsspec file systems (local and memory://), and
interop with N5Store and with zarr-python 2.18's N5FSStore."""

from __future__ import annotations

import json
import uuid
import warnings
from pathlib import Path

import fsspec
import numcodecs
import numpy as np
import pytest

import zarr5
from zarr5.errors import InvalidKeyError, MetadataError
from zarr5.storage import N5FSStore, N5Store

from .test_n5 import TestN5Store, _attributes, _files, codec_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import zarr  # zarr-python 2.18.7, the reference implementation
    from zarr.n5 import N5ChunkWrapper as ZarrN5ChunkWrapper
    from zarr.n5 import N5FSStore as ZarrN5FSStore

pytestmark = pytest.mark.filterwarnings("ignore:The N5FSStore is deprecated:FutureWarning")


class TestN5FSStoreLocal(TestN5Store):
    """N5Store's contract (its N5-shaped tree, its replaced tests) over a local path through fsspec."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> N5FSStore:  # type: ignore[override]
        return N5FSStore(str(tmp_path / "store.n5"))

    def reopen(self, store: N5FSStore) -> N5FSStore:  # type: ignore[override]
        store.close()
        return N5FSStore(store.path)

    def open_read_only(self, store: N5FSStore) -> N5FSStore:  # type: ignore[override]
        return N5FSStore(store.path, mode="r")


class TestN5FSStoreMemory(TestN5Store):
    """The same over fsspec's memory file system (no local files at all)."""

    @pytest.fixture
    def store(self) -> N5FSStore:  # type: ignore[override]
        url = f"memory://n5fs-{uuid.uuid4().hex}/store.n5"
        yield N5FSStore(url)
        fs = fsspec.filesystem("memory")
        if fs.exists(url):
            fs.rm(url, recursive=True)

    def reopen(self, store: N5FSStore) -> N5FSStore:  # type: ignore[override]
        return N5FSStore(store.url)

    def open_read_only(self, store: N5FSStore) -> N5FSStore:  # type: ignore[override]
        return N5FSStore(store.url, mode="r")

    def test_getsize(self, store: N5FSStore) -> None:  # type: ignore[override]
        self._fill(store)
        assert store.getsize("a/c") == 100 and store.getsize("a/b") > 8 + 9 and store.getsize("x") == 0


def test_same_files_as_n5store(tmp_path: Path) -> None:
    data = np.arange(7 * 9, dtype="<i4").reshape(7, 9)
    for store in [N5Store(tmp_path / "dir.n5"), N5FSStore(str(tmp_path / "fs.n5"))]:
        z = zarr5.zeros(data.shape, chunks=(3, 4), dtype="<i4", store=store, path="g/a",
                        compressor=numcodecs.Zlib(1))
        z[...] = data
        z.attrs["unit"] = "nm"
    assert _files(str(tmp_path / "dir.n5")) == _files(str(tmp_path / "fs.n5"))
    # each reads what the other wrote, chunk keys in the Zarr view
    fs_store = N5FSStore(str(tmp_path / "dir.n5"))
    assert np.array_equal(zarr5.open_array(fs_store, path="g/a", mode="r")[...], data)
    assert fs_store.listdir("g/a")[:4] == [".zarray", ".zattrs", "0.0", "0.1"]
    assert "g/a/2.2" in fs_store and "g/a/2.9" not in fs_store
    assert _attributes(str(tmp_path / "fs.n5"), "g/a")["dimensions"] == [9, 7]


def test_zarr_python_reads_and_writes_ours(tmp_path: Path) -> None:
    path = str(tmp_path / "c.n5")
    data = np.arange(20, dtype=">u2").reshape(4, 5)
    zarr5.array(data, chunks=(2, 2), store=N5FSStore(path), path="a")
    with codec_of(ZarrN5ChunkWrapper):
        theirs = zarr.open_array(ZarrN5FSStore(path), path="a", mode="r+")
        assert np.array_equal(theirs[...], data)
        theirs[3, 4] = 99
        theirs.attrs["by"] = "zarr"
    again = zarr5.open_array(N5FSStore(path), path="a")
    assert again[3, 4] == 99 and again.attrs.asdict() == {"by": "zarr"}


def test_separator_ignored_with_a_warning_and_bad_keys_named(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="dimension_separator='/'"):
        store = N5FSStore(str(tmp_path / "c.n5"), dimension_separator="/")
    assert store.dimension_separator == "."
    with pytest.raises(InvalidKeyError, match="'a/attributes.json/x'"):
        store["a/attributes.json/x"] = b"{}"
    with pytest.raises(MetadataError, match="'a/attributes.json'|a/attributes.json"):
        store["a/attributes.json"] = b"[]"
    with pytest.raises(InvalidKeyError, match=r"'\.\./x'"):
        store["../x"] = b"1"
    # a document N5 cannot hold is refused before anything is written
    with pytest.raises(ValueError, match="N5 keywords"):
        store.set_many({"b/0": b"1", "b/.zattrs": json.dumps({"dimensions": 1}).encode()})
    assert list(store) == []
    # N5's own document reads under its name (zarr-2 code does that), but is never listed
    store[".zgroup"] = b'{"zarr_format": 2}'
    assert json.loads(store["attributes.json"]) == {"n5": "2.0.0"} and "attributes.json" in store
    assert list(store) == [".zgroup"] and "a/attributes.json" not in store
    # a node's own document may be written under its name, as zarr 2 allows, and deleted so
    store.set_many({"a/attributes.json": b'{"foo": "bar"}'})
    assert json.loads(store["a/.zattrs"]) == {"foo": "bar"} and "a/.zgroup" in store
    del store["a/.zarray"]  # N5 keeps one document per node: any of its Zarr documents takes it
    assert "a/attributes.json" not in store and "a/.zgroup" not in store
