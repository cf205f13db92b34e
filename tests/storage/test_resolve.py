"""normalize_store_arg and store_type_name."""

from __future__ import annotations

import collections
import pathlib

import pytest

from zarr5.storage import (
    DirectoryStore,
    FSStore,
    KVStore,
    MemoryStore,
    SQLiteStore,
    ZipStore,
    normalize_store_arg,
    store_type_name,
)


def test_none() -> None:
    store = normalize_store_arg(None)
    assert type(store) is KVStore and store._mutable_mapping == {}
    assert type(normalize_store_arg(None, default="memory")) is MemoryStore
    with pytest.raises(ValueError, match="default"):
        normalize_store_arg(None, default="disk")


def test_paths(tmp_path: pathlib.Path) -> None:
    d = normalize_store_arg(str(tmp_path / "x.zarr"))
    assert type(d) is DirectoryStore and d.path == str(tmp_path / "x.zarr")
    assert normalize_store_arg(tmp_path / "x.zarr") == d
    z = normalize_store_arg(tmp_path / "x.zip", mode="w")
    assert type(z) is ZipStore and z.mode == "w"
    z["k"] = b"v"
    z.close()
    for mode, zip_mode in [("r", "r"), ("r+", "a"), ("a", "a")]:
        z = normalize_store_arg(str(tmp_path / "x.zip"), mode=mode)
        assert z.mode == zip_mode and z["k"] == b"v"
        z.close()
    with pytest.raises(FileExistsError):
        normalize_store_arg(tmp_path / "x.zip", mode="w-")


@pytest.mark.parametrize("url", ["memory://resolve-test/data.zarr", "simplecache::memory://resolve-test/x",
                                 "file:///tmp/x"])
def test_urls_give_fsstore(url: str) -> None:
    pytest.importorskip("fsspec")
    store = normalize_store_arg(url, mode="r")
    assert type(store) is FSStore and store.read_only  # no request is made until a key is used


def test_storage_options_need_a_url(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="storage_options"):
        normalize_store_arg(str(tmp_path), storage_options={"anon": True})


def test_stores_and_mappings() -> None:
    store = MemoryStore()
    assert normalize_store_arg(store) is store
    backing: dict = {}
    wrapped = normalize_store_arg(backing)
    assert type(wrapped) is KVStore and wrapped._mutable_mapping is backing
    assert type(normalize_store_arg(collections.OrderedDict())) is KVStore
    with pytest.raises(TypeError, match="cannot use builtins.int as a store"):
        normalize_store_arg(42)


def test_store_type_name(tmp_path: pathlib.Path) -> None:
    assert store_type_name(KVStore({})) == "zarr5.storage.KVStore"
    assert store_type_name(MemoryStore()) == "zarr5.storage.MemoryStore"
    assert store_type_name(DirectoryStore(tmp_path)) == "zarr5.storage.DirectoryStore"
    with SQLiteStore(":memory:") as s:
        assert store_type_name(s) == "zarr5.storage.SQLiteStore"
    assert store_type_name({}) == "builtins.dict"

    class MyStore(MemoryStore):
        pass

    assert store_type_name(MyStore()) == f"{__name__}.test_store_type_name.<locals>.MyStore"
