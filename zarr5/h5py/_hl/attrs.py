"""``h5py._hl.attrs``."""

from zarr5.h5.attrs import AttributeManager
from zarr5.h5.base import Empty

__all__ = ["AttributeManager", "Empty"]
