"""``h5py._hl.selections``."""

from zarr5.h5.selection import MultiBlockSlice

__all__ = ["MultiBlockSlice"]
