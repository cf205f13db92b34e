"""``zarr.core``: the Array class."""

from zarr5.core import Array

__all__ = ["Array"]
