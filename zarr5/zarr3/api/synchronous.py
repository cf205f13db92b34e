"""``zarr.api.synchronous``: zarr-python 3's functions (names only; behaviour in zarr5.api3)."""

from zarr5.api3.creation import (
    array,
    consolidate_metadata,
    create,
    create_array,
    create_group,
    create_hierarchy,
    empty,
    empty_like,
    from_array,
    full,
    full_like,
    group,
    load,
    ones,
    ones_like,
    open,
    open_array,
    open_consolidated,
    open_group,
    open_like,
    save,
    save_array,
    save_group,
    tree,
    zeros,
    zeros_like,
)

__all__ = [
    "array", "consolidate_metadata", "create", "create_array", "create_group", "create_hierarchy",
    "empty", "empty_like", "from_array", "full", "full_like", "group", "load", "ones", "ones_like",
    "open", "open_array", "open_consolidated", "open_group", "open_like", "save", "save_array",
    "save_group", "tree", "zeros", "zeros_like",
]
