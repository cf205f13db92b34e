"""``zarr.core.array``: the array class."""

from zarr5.api3.nodes import Array

__all__ = ["Array"]
