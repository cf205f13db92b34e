"""MemoryStore and KVStore under the store contract."""

from __future__ import annotations

import pickle

import pytest

from zarr5.storage import DictStore, KVStore, MemoryStore

from .contract import StoreContract

IN_MEMORY = "keys live in this process's memory, in the store object: nothing to close and reopen"


class TestMemoryStore(StoreContract):
    no_read_only = "MemoryStore has no read-only mode (zarr-python 2's has none either)"
    no_persistence = "MemoryStore: " + IN_MEMORY

    @pytest.fixture
    def store(self) -> MemoryStore:
        return MemoryStore()


class TestKVStoreOverDict(StoreContract):
    no_read_only = "KVStore has no read-only mode (zarr-python 2's has none either)"
    no_persistence = "KVStore over a dict: " + IN_MEMORY

    @pytest.fixture
    def store(self) -> KVStore:
        return KVStore({})


def test_kvstore_sees_the_mapping_it_wraps() -> None:
    backing: dict = {}
    store = KVStore(backing)
    store["a/b"] = bytearray(b"1")
    assert backing == {"a/b": b"1"}
    assert store == KVStore({"a/b": b"1"})
    assert repr(store) == "<zarr5.storage.KVStore: dict>"


def test_memory_store_dimension_separator() -> None:
    assert MemoryStore().dimension_separator is None
    assert MemoryStore(dimension_separator="/").dimension_separator == "/"
    with pytest.raises(ValueError, match="dimension_separator"):
        MemoryStore(dimension_separator="-")


def test_dictstore_warns_when_made_and_when_unpickled_as_zarr2s_does() -> None:
    with pytest.warns(DeprecationWarning, match="MemoryStore"):
        store = DictStore()
    store["a"] = b"1"
    data = pickle.dumps(store)
    with pytest.warns(DeprecationWarning, match="MemoryStore"):
        again = pickle.loads(data)
    assert type(again) is DictStore and again["a"] == b"1"
