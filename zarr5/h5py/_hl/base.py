"""``h5py._hl.base``."""

from zarr5.h5.base import Empty, is_empty_dataspace, product
from zarr5.h5.files import is_hdf5
from zarr5.h5.group import ItemsViewHDF5, KeysViewHDF5, ValuesViewHDF5
from zarr5.h5.newdset import guess_dtype
from zarr5.h5.objects import HLObject

__all__ = ["Empty", "HLObject", "ItemsViewHDF5", "KeysViewHDF5", "ValuesViewHDF5", "guess_dtype",
           "is_empty_dataspace", "is_hdf5", "product"]
