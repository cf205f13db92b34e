"""zarr-python 3's experimental ``CacheStore``: a store whose values are also kept in a second store.

Reads look in ``cache_store`` first (a hit), else read ``store`` and keep the value (a miss); writes go
to ``store`` and, with ``cache_set_data``, to the cache too. ``max_size`` bounds the cached bytes (the
least recently used values leave first), ``max_age_seconds`` how long a cached value is trusted.
Listings and partial reads go to ``store``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from zarr5.storage import Store

__all__ = ["CacheStore"]


class CacheStore(Store):
    """``store`` with its values cached in ``cache_store`` (see the module docstring)."""

    def __init__(self, store: Store, *, cache_store: Store, max_age_seconds: int | str = "infinity",
                 max_size: int | None = None, cache_set_data: bool = True) -> None:
        if isinstance(max_age_seconds, str) and max_age_seconds != "infinity":
            raise ValueError(f"max_age_seconds {max_age_seconds!r} must be a number of seconds or 'infinity'")
        self._store = store
        self._cache = cache_store
        self.max_age_seconds = max_age_seconds
        self.max_size = max_size
        self.cache_set_data = cache_set_data
        self._lock = threading.Lock()
        self._order: OrderedDict[str, int] = OrderedDict()  # key -> size, least recently used first
        self._inserted: dict[str, float] = {}
        self._size = 0
        self.hits = self.misses = self.evictions = 0

    # bookkeeping
    def _fresh(self, key: str) -> bool:
        if self.max_age_seconds == "infinity":
            return True
        return time.monotonic() - self._inserted.get(key, 0.0) < float(self.max_age_seconds)

    def _forget(self, key: str) -> None:
        size = self._order.pop(key, None)
        if size is not None:
            self._size -= size
        self._inserted.pop(key, None)

    def _keep(self, key: str, value: Any) -> None:
        size = len(memoryview(value).cast("B")) if not isinstance(value, (bytes, bytearray)) else len(value)
        if self.max_size is not None and size > self.max_size:
            return
        with self._lock:
            self._forget(key)
            while self.max_size is not None and self._size + size > self.max_size and self._order:
                old = next(iter(self._order))
                self._forget(old)
                self._cache.pop(old, None)
                self.evictions += 1
            self._cache[key] = value
            self._order[key] = size
            self._size += size
            self._inserted[key] = time.monotonic()

    def _drop(self, key: str) -> None:
        with self._lock:
            self._forget(key)
        self._cache.pop(key, None)

    # the mapping
    def __getitem__(self, key: str) -> bytes:
        if key in self._order and self._fresh(key):
            try:
                value = self._cache[key]
            except KeyError:
                pass
            else:
                self.hits += 1
                with self._lock:
                    if key in self._order:
                        self._order.move_to_end(key)
                return value
        self.misses += 1
        try:
            value = self._store[key]
        except KeyError:
            self._drop(key)
            raise
        self._keep(key, value)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._store[key] = value
        if self.cache_set_data:
            self._keep(key, value)
        else:
            self._drop(key)

    def __delitem__(self, key: str) -> None:
        del self._store[key]
        self._drop(key)

    def __contains__(self, key: object) -> bool:
        return key in self._store

    def __iter__(self) -> Iterator[str]:
        return iter(self._store)

    def __len__(self) -> int:
        return len(self._store)

    def listdir(self, path: str = "") -> list[str]:
        return self._store.listdir(path)

    def rmdir(self, path: str = "") -> None:
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        for key in [k for k in list(self._order) if k.startswith(prefix)]:
            self._drop(key)
        self._store.rmdir(path)

    def getsize(self, path: str = "") -> int:
        return self._store.getsize(path)

    def get_partial_values(self, ranges: Any) -> list[bytes | None]:
        return self._store.get_partial_values(ranges)

    @property
    def read_only(self) -> bool:
        return bool(getattr(self._store, "read_only", False))

    @property
    def url(self) -> str:
        return getattr(self._store, "url", repr(self._store))

    # reports
    def cache_info(self) -> dict[str, Any]:
        """What the cache holds: its store type, limits, size in bytes and key counts."""
        return {"cache_store_type": type(self._cache).__name__, "max_age_seconds": self.max_age_seconds,
                "max_size": self.max_size, "current_size": self._size, "cache_set_data": self.cache_set_data,
                "tracked_keys": len(self._inserted), "cached_keys": len(self._order)}

    def cache_stats(self) -> dict[str, Any]:
        """Hits, misses and evictions so far."""
        total = self.hits + self.misses
        return {"hits": self.hits, "misses": self.misses, "evictions": self.evictions,
                "total_requests": total, "hit_rate": self.hits / total if total else 0.0}

    async def clear_cache(self) -> None:
        """Empty the cache (a coroutine, as in zarr-python 3: ``asyncio.run(store.clear_cache())``)."""
        with self._lock:
            for key in list(self._order):
                self._cache.pop(key, None)
            self._order.clear()
            self._inserted.clear()
            self._size = 0

    def __repr__(self) -> str:
        return (f"CacheStore(store={self._store!r}, cache_store={self._cache!r}, "
                f"max_age_seconds={self.max_age_seconds}, max_size={self.max_size}, "
                f"current_size={self._size}, cached_keys={len(self._order)})")
