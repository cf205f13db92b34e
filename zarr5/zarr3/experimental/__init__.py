"""``zarr.experimental``: only ``cache_store.CacheStore``."""
