"""``zarr.experimental.cache_store``: ``CacheStore`` (behaviour in zarr5.api3.cache_store)."""

from zarr5.api3.cache_store import CacheStore

__all__ = ["CacheStore"]
