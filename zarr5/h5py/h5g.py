"""``h5py.h5g``: the group handle and link kinds."""

from zarr5.h5.ids import GroupID

UNKNOWN, GROUP, DATASET, TYPE, LINK, UDLINK = -1, 0, 1, 2, 3, 4

__all__ = ["DATASET", "GROUP", "GroupID", "LINK", "TYPE", "UDLINK", "UNKNOWN"]
