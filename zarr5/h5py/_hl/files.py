"""``h5py._hl.files``."""

from zarr5.h5.files import File
from zarr5.h5.group import Group

__all__ = ["File", "Group"]
