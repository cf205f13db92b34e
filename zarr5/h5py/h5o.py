"""``h5py.h5o``: object kinds and ``get_info``."""

from zarr5.h5.ids import ObjectID
from zarr5.h5.lowlevel import TYPE_DATASET, TYPE_GROUP, TYPE_NAMED_DATATYPE, ObjInfo
from zarr5.h5.lowlevel import obj_get_info as get_info

COPY_SHALLOW_HIERARCHY_FLAG, COPY_EXPAND_SOFT_LINK_FLAG, COPY_EXPAND_EXT_LINK_FLAG = 0x0001, 0x0002, 0x0004
COPY_EXPAND_REFERENCE_FLAG, COPY_WITHOUT_ATTR_FLAG = 0x0008, 0x0010

__all__ = ["COPY_EXPAND_EXT_LINK_FLAG", "COPY_EXPAND_REFERENCE_FLAG", "COPY_EXPAND_SOFT_LINK_FLAG",
           "COPY_SHALLOW_HIERARCHY_FLAG", "COPY_WITHOUT_ATTR_FLAG", "ObjInfo", "ObjectID", "TYPE_DATASET",
           "TYPE_GROUP", "TYPE_NAMED_DATATYPE", "get_info"]
