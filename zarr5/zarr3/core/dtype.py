"""``zarr.core.dtype``: the same data type objects as ``zarr.dtype``."""

from zarr5.zarr3.dtype import *  # noqa: F403
from zarr5.zarr3.dtype import __all__  # noqa: F401
