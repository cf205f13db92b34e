"""``zarr.n5`` of the zarr-2 vocabulary: N5 containers read and written as Zarr v2 stores."""

from zarr5.codecs.n5 import N5ChunkWrapper
from zarr5.storage.n5 import ATTRS_FILE as n5_attrs_key
from zarr5.storage.n5 import N5_FORMAT, N5Store
from zarr5.storage.n5fs import N5FSStore

# the names zarr-2's n5 module exposes: Zarr's document keys, the .zarray fields N5 calls otherwise,
# and the N5 keywords kept apart from user attributes
zarr_group_meta_key, zarr_array_meta_key, zarr_attrs_key = ".zgroup", ".zarray", ".zattrs"
zarr_to_n5_keys = [("chunks", "blockSize"), ("dtype", "dataType"), ("compressor", "compression"),
                   ("shape", "dimensions")]
n5_keywords = ["n5", "dataType", "dimensions", "blockSize", "compression"]

__all__ = ["N5_FORMAT", "N5ChunkWrapper", "N5FSStore", "N5Store", "n5_attrs_key", "n5_keywords",
           "zarr_array_meta_key", "zarr_attrs_key", "zarr_group_meta_key", "zarr_to_n5_keys"]
