"""``h5py.h5p``: property lists (creation settings) and their classes."""

from zarr5.h5.spaces import (
    CRT_ORDER_INDEXED,
    CRT_ORDER_TRACKED,
    PropClassID,
    PropDCID,
    PropFCID,
    PropGCID,
    PropID,
)
from zarr5.h5.spaces import create_plist as create

DEFAULT = None  # "the library's defaults", as h5py spells it
DATASET_CREATE = PropClassID("DATASET_CREATE", PropDCID)
GROUP_CREATE = PropClassID("GROUP_CREATE", PropGCID)
FILE_CREATE = PropClassID("FILE_CREATE", PropFCID)
OBJECT_CREATE = PropClassID("OBJECT_CREATE", PropID)
FILE_ACCESS = PropClassID("FILE_ACCESS", PropID)
DATASET_ACCESS = PropClassID("DATASET_ACCESS", PropID)
DATASET_XFER = PropClassID("DATASET_XFER", PropID)
LINK_CREATE = PropClassID("LINK_CREATE", PropID)
LINK_ACCESS = PropClassID("LINK_ACCESS", PropID)
ATTRIBUTE_CREATE = PropClassID("ATTRIBUTE_CREATE", PropID)
OBJECT_COPY = PropClassID("OBJECT_COPY", PropID)

__all__ = ["ATTRIBUTE_CREATE", "CRT_ORDER_INDEXED", "CRT_ORDER_TRACKED", "DATASET_ACCESS", "DATASET_CREATE",
           "DATASET_XFER", "DEFAULT", "FILE_ACCESS", "FILE_CREATE", "GROUP_CREATE", "LINK_ACCESS",
           "LINK_CREATE", "OBJECT_COPY", "OBJECT_CREATE", "PropClassID", "PropDCID", "PropFCID",
           "PropGCID", "PropID", "create"]
