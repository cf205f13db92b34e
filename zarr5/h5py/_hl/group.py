"""``h5py._hl.group``."""

from zarr5.h5.base import HLObject
from zarr5.h5.group import Group
from zarr5.h5.links import ExternalLink, HardLink, SoftLink

__all__ = ["ExternalLink", "Group", "HLObject", "HardLink", "SoftLink"]
