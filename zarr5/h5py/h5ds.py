"""``h5py.h5ds``: dimension scales through dataset handles."""

from zarr5.h5.lowlevel import ds_attach_scale as attach_scale
from zarr5.h5.lowlevel import ds_detach_scale as detach_scale
from zarr5.h5.lowlevel import ds_get_label as get_label
from zarr5.h5.lowlevel import ds_get_num_scales as get_num_scales
from zarr5.h5.lowlevel import ds_get_scale_name as get_scale_name
from zarr5.h5.lowlevel import ds_is_attached as is_attached
from zarr5.h5.lowlevel import ds_is_scale as is_scale
from zarr5.h5.lowlevel import ds_iterate as iterate
from zarr5.h5.lowlevel import ds_set_label as set_label
from zarr5.h5.lowlevel import ds_set_scale as set_scale

__all__ = ["attach_scale", "detach_scale", "get_label", "get_num_scales", "get_scale_name", "is_attached",
           "is_scale", "iterate", "set_label", "set_scale"]
