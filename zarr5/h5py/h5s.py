"""``h5py.h5s``: dataspaces."""

from zarr5.h5.spaces import (
    ALL,
    NULL,
    SCALAR,
    SEL_ALL,
    SEL_HYPERSLABS,
    SEL_NONE,
    SEL_POINTS,
    SIMPLE,
    UNLIMITED,
    SpaceID,
    create,
    create_simple,
)

__all__ = ["ALL", "NULL", "SCALAR", "SEL_ALL", "SEL_HYPERSLABS", "SEL_NONE", "SEL_POINTS", "SIMPLE",
           "UNLIMITED", "SpaceID", "create", "create_simple"]
