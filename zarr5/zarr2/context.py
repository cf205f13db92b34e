"""``zarr.context``: the per-key context zarr 2 passes to a store's ``getitems``."""

from typing import Any, TypedDict


class Context(TypedDict, total=False):
    """What a store may learn about a key it reads: ``meta_array``, an array of the wanted output type."""

    meta_array: Any


__all__ = ["Context"]
