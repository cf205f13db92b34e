"""``h5py.h5a``: attribute handles."""

from zarr5.h5.ids import AttrID
from zarr5.h5.lowlevel import attr_count as get_num_attrs
from zarr5.h5.lowlevel import attr_create as create
from zarr5.h5.lowlevel import attr_delete as delete
from zarr5.h5.lowlevel import attr_exists as exists
from zarr5.h5.lowlevel import attr_open as open  # noqa: A001 -- h5py's name

__all__ = ["AttrID", "create", "delete", "exists", "get_num_attrs", "open"]
