"""``h5py._hl.datatype``."""

from zarr5.h5.group import Datatype

__all__ = ["Datatype"]
