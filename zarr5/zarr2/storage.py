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

__all__ = [*_engine_names, "contains_array", "contains_group", "init_array", "init_group", "init_store",
           "migrate_1to2"]
