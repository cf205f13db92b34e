"""``h5py._hl.filters`` (``h5py.filters``): the filter names this build encodes and decodes; ``h5z``
as h5py's filters module carries it."""

from zarr5.h5.filters import decode, encode
from zarr5.h5py import h5z

__all__ = ["decode", "encode", "h5z"]
