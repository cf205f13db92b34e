"""``zarr.core``: the Array class (zarr-python 2's rules: ``zarr5.api.zarr2``)."""

from zarr5.api.zarr2 import Array

__all__ = ["Array"]
