"""``zarr.storage``: zarr-python 3's store classes (names only; see zarr5.api3.stores)."""

from zarr5.api3.stores import FsspecStore, LocalStore, MemoryStore, StorePath, ZipStore
from zarr5.storage import Store

StoreLike = object  # zarr-python 3's type alias: anything make_store accepts

__all__ = ["FsspecStore", "LocalStore", "MemoryStore", "Store", "StoreLike", "StorePath", "ZipStore"]
