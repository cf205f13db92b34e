"""``h5py.h5r``: reference kinds and classes."""

from zarr5.h5.refs import Reference, RegionReference

OBJECT, DATASET_REGION = 0, 1

__all__ = ["DATASET_REGION", "OBJECT", "Reference", "RegionReference"]
