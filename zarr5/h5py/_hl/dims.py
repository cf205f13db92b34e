"""``h5py._hl.dims``."""

from zarr5.h5.dims import DimensionManager, DimensionProxy

__all__ = ["DimensionManager", "DimensionProxy"]
