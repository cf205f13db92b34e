"""``zarr.types``: the type aliases zarr 2's signatures use."""

from typing import Literal

DIMENSION_SEPARATOR = Literal[".", "/"]
MEMORY_ORDER = Literal["C", "F"]
ZARR_VERSION = Literal[2, 3]

__all__ = ["DIMENSION_SEPARATOR", "MEMORY_ORDER", "ZARR_VERSION"]
