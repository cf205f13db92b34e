"""``zarr.n5`` of the zarr-2 vocabulary: N5 containers read and written as Zarr v2 stores."""

from zarr5.storage.n5 import ATTRS_FILE as n5_attrs_key
from zarr5.storage.n5 import N5_FORMAT, N5ChunkWrapper, N5Store
from zarr5.storage.n5fs import N5FSStore

__all__ = ["N5_FORMAT", "N5ChunkWrapper", "N5FSStore", "N5Store", "n5_attrs_key"]
