"""LRUStoreCache: the contract (with and without evictions) plus counting and invalidation."""

from __future__ import annotations

import pickle

import pytest

from zarr5.errors import ReadOnlyError
from zarr5.storage import DirectoryStore, KVStore, LRUStoreCache, MemoryStore

from .contract import StoreContract

IN_MEMORY = "keys live in this process's memory, in the store object: nothing to close and reopen"


class TestLRUStoreCacheUnbounded(StoreContract):
    no_read_only = "LRUStoreCache over a MemoryStore: MemoryStore has no read-only mode"
    no_persistence = "LRUStoreCache over a MemoryStore: " + IN_MEMORY

    @pytest.fixture
    def store(self) -> LRUStoreCache:
        return LRUStoreCache(MemoryStore(), max_size=None)


class TestLRUStoreCacheEvicting(StoreContract):
    no_read_only = "LRUStoreCache over a MemoryStore: MemoryStore has no read-only mode"
    no_persistence = "LRUStoreCache over a MemoryStore: " + IN_MEMORY

    @pytest.fixture
    def store(self) -> LRUStoreCache:
        return LRUStoreCache(MemoryStore(), max_size=16)  # most values fit, few at once


class TestLRUStoreCacheOverDirectory(StoreContract):
    @pytest.fixture
    def store(self, tmp_path) -> LRUStoreCache:
        return LRUStoreCache(DirectoryStore(tmp_path), max_size=2**20)

    def reopen(self, store: LRUStoreCache) -> LRUStoreCache:
        return LRUStoreCache(DirectoryStore(store.store.path), max_size=2**20)

    def open_read_only(self, store: LRUStoreCache) -> LRUStoreCache:
        return LRUStoreCache(DirectoryStore(store.store.path, read_only=True), max_size=2**20)


def test_a_value_too_large_to_cache_replaces_the_cached_one() -> None:
    cache = LRUStoreCache(MemoryStore(), max_size=16)
    cache["k"] = b"small"
    assert cache["k"] == b"small"  # cached
    cache["k"] = b"y" * 100  # too large to keep: the cached b"small" must go too
    assert cache["k"] == b"y" * 100


def test_hits_and_misses() -> None:
    backing = {"a": b"1", "b": b"22"}
    cache = LRUStoreCache(backing, max_size=None)
    assert (cache["a"], cache["a"], cache["b"]) == (b"1", b"1", b"22")
    assert (cache.hits, cache.misses) == (1, 2)
    assert cache.get_many(["a", "b", "missing"]) == {"a": b"1", "b": b"22"}
    assert (cache.hits, cache.misses) == (3, 3)  # the missing key was asked of the store
    cache["c"] = b"333"  # written values are cached too
    assert cache["c"] == b"333" and cache.hits == 4


def test_lru_eviction_order() -> None:
    cache = LRUStoreCache(KVStore({"a": b"1" * 4, "b": b"2" * 4, "c": b"3" * 4, "big": b"x" * 9}), max_size=8)
    cache["a"], cache["b"]
    cache["a"]  # b is now least recently used
    cache["c"]  # evicts b
    assert list(cache._values_cache) == ["a", "c"] and cache._current_size == 8
    cache["big"]  # larger than the whole cache: never cached, evicts nothing
    assert list(cache._values_cache) == ["a", "c"]
    hits = cache.hits
    cache["a"], cache["b"]
    assert cache.hits == hits + 1


def test_stale_until_invalidated() -> None:
    backing = {"a": b"1"}
    cache = LRUStoreCache(backing, max_size=None)
    assert cache["a"] == b"1" and list(cache) == ["a"] and "z" not in cache and cache.listdir() == ["a"]
    backing["a"] = b"changed behind the cache"
    backing["z"] = b"new"
    assert cache["a"] == b"1" and list(cache) == ["a"] and "z" not in cache
    cache.invalidate_keys()
    assert sorted(cache) == ["a", "z"] and "z" in cache and cache.listdir() == ["a", "z"]
    assert cache["a"] == b"1"  # values still cached
    cache.invalidate_values()
    assert cache["a"] == b"changed behind the cache"
    del backing["z"]
    cache.invalidate()
    assert list(cache) == ["a"] and cache._current_size == 0


def test_writes_through_the_cache_invalidate() -> None:
    cache = LRUStoreCache(MemoryStore(), max_size=None)
    cache["g/a"] = b"1"
    assert cache.listdir("g") == ["a"]
    cache.set_many({"g/b": b"2"})
    assert cache.listdir("g") == ["a", "b"] and len(cache) == 2
    cache.delete_many(["g/a"])
    assert cache.listdir("g") == ["b"] and "g/a" not in cache
    with pytest.raises(KeyError):
        cache["g/a"]
    cache.rename("g", "h")
    assert list(cache) == ["h/b"] and cache["h/b"] == b"2"
    cache.rmdir("h")
    assert list(cache) == [] and cache._current_size == 0


def test_read_only_follows_the_store(tmp_path) -> None:
    DirectoryStore(tmp_path)["k"] = b"v"
    cache = LRUStoreCache(DirectoryStore(tmp_path, read_only=True), max_size=None)
    assert cache.read_only
    with pytest.raises(ReadOnlyError):
        cache["k"] = b"w"
    assert cache["k"] == b"v"


def test_pickle_starts_cold() -> None:
    cache = LRUStoreCache(MemoryStore(), max_size=100)
    cache["k"] = b"v"
    copy = pickle.loads(pickle.dumps(cache))
    assert copy["k"] == b"v" and (copy.hits, copy.misses) == (0, 1)


def test_invalid_max_size() -> None:
    with pytest.raises(ValueError, match="max_size"):
        LRUStoreCache({}, max_size=-1)
