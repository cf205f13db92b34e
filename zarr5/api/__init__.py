"""The zarr-2 vocabulary's public functions."""

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
from zarr5.api.creation import (
    array,
    create,
    empty,
    empty_like,
    full,
    full_like,
    ones,
    ones_like,
    open_array,
    open_like,
    zeros,
    zeros_like,
)
from zarr5.api.hierarchy import group, open_group

__all__ = [
    "LazyLoader", "array", "consolidate_metadata", "create", "empty", "empty_like", "full", "full_like",
    "group", "load", "ones", "ones_like", "open", "open_array", "open_consolidated", "open_group",
    "open_like", "save", "save_array", "save_group", "tree", "zeros", "zeros_like",
]
