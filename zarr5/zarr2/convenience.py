"""``zarr.convenience``: open/save/load, tree, copying and consolidated metadata."""

from zarr5.api.convenience import LazyLoader, save, save_array, save_group, tree
from zarr5.api.zarr2 import consolidate_metadata, load, open, open_consolidated
from zarr5.copying import copy_all_zarr2 as copy_all  # zarr 2 adds no _ARRAY_DIMENSIONS to HDF5 copies
from zarr5.copying import copy_store
from zarr5.copying import copy_zarr2 as copy

__all__ = ["LazyLoader", "consolidate_metadata", "copy", "copy_all", "copy_store", "load", "open",
           "open_consolidated", "save", "save_array", "save_group", "tree"]
