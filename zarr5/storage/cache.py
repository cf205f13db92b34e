"""LRUStoreCache: an in-memory least-recently-used cache in front of a slower store.

Values are cached up to ``max_size`` bytes (``None`` = no limit), evicting the least recently used
first; key listings (``keys``, ``__contains__``, ``listdir``) are cached until the next write or
delete made through the cache. Changes made to the underlying store behind the cache's back are
not seen until :meth:`LRUStoreCache.invalidate`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any

from zarr5.storage.base import (
    KVStore,
    ReopenedWhenUnpickled,
    Store,
    ensure_bytes,
    normalize_key,
    normalize_path,
)


class LRUStoreCache(ReopenedWhenUnpickled, Store):
    """Cache values and key listings of ``store`` in memory.

    Parameters
    ----------
    store : Store or MutableMapping
        The store holding the data.
    max_size : int or None
        Most bytes of values to hold; a value larger than this is never cached.

    Examples
    --------
    >>> from zarr5.storage import MemoryStore
    >>> cache = LRUStoreCache(MemoryStore(), max_size=2**20)
    >>> cache["a"] = b"xyz"
    >>> cache.invalidate_values()
    >>> cache["a"], cache["a"], (cache.hits, cache.misses)
    (b'xyz', b'xyz', (1, 1))
    """

    def __init__(self, store: Store | MutableMapping, max_size: int | None) -> None:
        if max_size is not None and max_size < 0:
            raise ValueError(f"max_size must be None or >= 0, not {max_size!r}")
        self._store = store if isinstance(store, Store) else KVStore(store)
        self._max_size = max_size
        self._mutex = threading.Lock()
        self._init_caches()
        self.hits = self.misses = 0

    def _init_caches(self) -> None:
        self._values_cache: OrderedDict[str, bytes] = OrderedDict()
        self._current_size = 0
        self._keys_cache: list[str] | None = None
        self._contains_cache: dict[str, bool] = {}
        self._listdir_cache: dict[str, list[str]] = {}

    # the wrapped store decides what we may do
    @property
    def read_only(self) -> bool:  # type: ignore[override]
        return self._store.read_only

    @property
    def dimension_separator(self) -> str | None:  # type: ignore[override]
        return self._store.dimension_separator

    @property
    def _dimension_separator(self) -> str | None:  # type: ignore[override]
        return self._store.dimension_separator

    @property
    def store(self) -> Store:
        return self._store

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        # caches are not worth shipping: the copy starts cold
        return (self._store, self._max_size), {}

    def close(self) -> None:
        self._store.close()

    # invalidation
    def invalidate(self) -> None:
        """Forget every cached value and listing."""
        with self._mutex:
            self._init_caches()

    def invalidate_values(self) -> None:
        """Forget the cached values."""
        with self._mutex:
            self._values_cache.clear()
            self._current_size = 0

    def invalidate_keys(self) -> None:
        """Forget the cached key listings."""
        with self._mutex:
            self._invalidate_keys()

    def _invalidate_keys(self) -> None:
        self._keys_cache = None
        self._contains_cache.clear()
        self._listdir_cache.clear()

    def _drop_value(self, key: str) -> None:
        value = self._values_cache.pop(key, None)
        if value is not None:
            self._current_size -= len(value)

    def _cache_value(self, key: str, value: bytes) -> None:
        size = len(value)
        self._drop_value(key)  # first: a new value too large to keep must not leave the old one cached
        if self._max_size is not None and size > self._max_size:
            return  # would evict everything and still not fit
        if self._max_size is not None:
            while self._current_size + size > self._max_size:
                _, old = self._values_cache.popitem(last=False)
                self._current_size -= len(old)
        self._values_cache[key] = value
        self._current_size += size

    # reads
    def __getitem__(self, key: str) -> bytes:
        key = normalize_key(key)
        with self._mutex:
            value = self._values_cache.get(key)
            if value is not None:
                self.hits += 1
                self._values_cache.move_to_end(key)
                return value
        # fetched outside the lock: a slow store must not serialize every reader
        value = self._store[key]
        if not isinstance(value, bytes):
            value = ensure_bytes(value)
        with self._mutex:
            self.misses += 1
            self._cache_value(key, value)
        return value

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = [normalize_key(k) for k in keys]
        out: dict[str, bytes] = {}
        with self._mutex:
            for key in keys:
                value = self._values_cache.get(key)
                if value is not None:
                    self.hits += 1
                    self._values_cache.move_to_end(key)
                    out[key] = value
        missing = [k for k in keys if k not in out]
        if missing:
            # one batched request for everything not cached
            fetched = {k: ensure_bytes(v) for k, v in self._store.get_many(missing).items()}
            with self._mutex:
                self.misses += len(missing)
                for key, value in fetched.items():
                    self._cache_value(key, value)
            out.update(fetched)
        return out

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        with self._mutex:
            found = self._contains_cache.get(key)
        if found is None:
            found = key in self._store
            with self._mutex:
                self._contains_cache[key] = found
        return found

    def _keys(self) -> list[str]:
        with self._mutex:
            keys = self._keys_cache
        if keys is None:
            keys = list(self._store.keys())
            with self._mutex:
                self._keys_cache = keys
        return keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def listdir(self, path: str = "") -> list[str]:
        path = normalize_path(path)
        with self._mutex:
            listing = self._listdir_cache.get(path)
        if listing is None:
            listing = self._store.listdir(path)
            with self._mutex:
                self._listdir_cache[path] = listing
        return list(listing)

    def list_prefix(self, path: str = "") -> list[str]:
        return self._store.list_prefix(path)

    def getsize(self, path: str = "") -> int:
        return self._store.getsize(path)

    # writes go through, then the caches follow
    def __setitem__(self, key: str, value: Any) -> None:
        key = normalize_key(key)
        value = ensure_bytes(value)
        self._store[key] = value
        with self._mutex:
            self._invalidate_keys()
            self._cache_value(key, value)

    def __delitem__(self, key: str) -> None:
        key = normalize_key(key)
        try:
            del self._store[key]
        finally:
            with self._mutex:
                self._invalidate_keys()
                self._drop_value(key)

    def set_many(self, items: Mapping[str, Any]) -> None:
        checked = {normalize_key(k): ensure_bytes(v) for k, v in items.items()}
        self._store.set_many(checked)
        with self._mutex:
            self._invalidate_keys()
            for key, value in checked.items():
                self._cache_value(key, value)

    def delete_many(self, keys: Iterable[str]) -> None:
        keys = [normalize_key(k) for k in keys]
        try:
            self._store.delete_many(keys)
        finally:
            with self._mutex:
                self._invalidate_keys()
                for key in keys:
                    self._drop_value(key)

    def rmdir(self, path: str = "") -> None:
        try:
            self._store.rmdir(path)
        finally:
            self.invalidate()

    def rename(self, src_path: str, dst_path: str) -> None:
        try:
            self._store.rename(src_path, dst_path)
        finally:
            self.invalidate()

    def clear(self) -> None:
        try:
            self._store.clear()
        finally:
            self.invalidate()

    def __repr__(self) -> str:
        return f"<zarr5.storage.LRUStoreCache: {self._store!r} max_size={self._max_size}>"
