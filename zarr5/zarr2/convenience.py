"""``zarr.convenience``: open/save/load, tree, copying and consolidated metadata."""

from zarr5.api.convenience import (
    LazyLoader,
    consolidate_metadata,
    load,
    open,
    open_consolidated,
    save,
    save_array,
    save_group,
    tree,
)
from zarr5.copying import copy, copy_all, copy_store

__all__ = ["LazyLoader", "consolidate_metadata", "copy", "copy_all", "copy_store", "load", "open",
           "open_consolidated", "save", "save_array", "save_group", "tree"]
