"""``zarr.storage`` of the zarr-2 vocabulary: the stores and the module-level storage functions."""

from zarr5.core.initialize import (
    contains_array,
    contains_group,
    init_array,
    init_group,
    init_store,
    migrate_1to2,
)
from zarr5.storage import *  # noqa: F403 -- the engine's stores are zarr-2's stores
from zarr5.storage import __all__ as _engine_names
from zarr5.storage.base import StoreLike

DEFAULT_ZARR_VERSION = 2  # the format zarr-2's functions write when none is named

__all__ = [*_engine_names, "DEFAULT_ZARR_VERSION", "StoreLike", "contains_array", "contains_group",
           "init_array", "init_group", "init_store", "migrate_1to2"]
