"""``zarr.storage`` of the zarr-2 vocabulary: the stores and the module-level storage functions."""

from zarr5.storage import *  # noqa: F403 -- the engine's stores are zarr-2's stores
from zarr5.storage import __all__  # noqa: F401
