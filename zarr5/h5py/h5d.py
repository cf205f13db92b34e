"""``h5py.h5d``: dataset handles, layouts and ``create``."""

from zarr5.h5.ids import DatasetID
from zarr5.h5.lowlevel import dataset_create as create
from zarr5.h5.lowlevel import dataset_open as open  # noqa: A001 -- h5py's name
from zarr5.h5.spaces import CHUNKED, COMPACT, CONTIGUOUS, VIRTUAL

FILL_TIME_ALLOC, FILL_TIME_NEVER, FILL_TIME_IFSET = 0, 1, 2

__all__ = ["CHUNKED", "COMPACT", "CONTIGUOUS", "DatasetID", "FILL_TIME_ALLOC", "FILL_TIME_IFSET",
           "FILL_TIME_NEVER", "VIRTUAL", "create", "open"]
