"""``h5py._hl.group``."""

from zarr5.h5.group import Group
from zarr5.h5.links import ExternalLink, HardLink, SoftLink
from zarr5.h5.objects import HLObject

__all__ = ["ExternalLink", "Group", "HLObject", "HardLink", "SoftLink"]
