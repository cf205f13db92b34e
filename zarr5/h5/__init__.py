"""The h5py vocabulary: ``import zarr5 as h5py`` runs h5py programs on zarr stores.

A thin facade over the engine (zarr5.core): every byte goes through core Arrays, Groups and
Attributes; what HDF5 has and Zarr v2 lacks is kept under reserved ``_zarr5_`` attributes
(see docs/porting-from-h5py.md).
"""

from zarr5.h5 import filters
from zarr5.h5.attrs import AttributeManager
from zarr5.h5.base import Empty, is_empty_dataspace, provide
from zarr5.h5.dataset import Dataset
from zarr5.h5.dtypes import (
    check_complex_dtype,
    check_dtype,
    check_enum_dtype,
    check_opaque_dtype,
    check_ref_dtype,
    check_string_dtype,
    check_vlen_dtype,
    complex_compat_dtype,
    enum_dtype,
    opaque_dtype,
    special_dtype,
    string_dtype,
    vlen_dtype,
)
from zarr5.h5.files import File, is_hdf5
from zarr5.h5.group import Datatype, Group
from zarr5.h5.ids import object_of
from zarr5.h5.links import ExternalLink, HardLink, SoftLink
from zarr5.h5.newdset import H5pyDeprecationWarning
from zarr5.h5.refs import Reference, RegionReference
from zarr5.h5.selection import MultiBlockSlice
from zarr5.h5.version import version

# the classes lower modules create without importing them (zarr5.h5.base.provide says why)
provide(group=Group, dataset=Dataset, datatype=Datatype, file=File, object_of=object_of)

ref_dtype = special_dtype(ref=Reference)
regionref_dtype = special_dtype(ref=RegionReference)

__all__ = [
    "AttributeManager", "Dataset", "Datatype", "Empty", "ExternalLink", "File", "Group",
    "H5pyDeprecationWarning", "HardLink", "MultiBlockSlice", "Reference", "RegionReference", "SoftLink",
    "check_complex_dtype", "check_dtype", "check_enum_dtype", "check_opaque_dtype", "check_ref_dtype",
    "check_string_dtype", "complex_compat_dtype",
    "check_vlen_dtype", "enum_dtype", "filters", "is_empty_dataspace", "is_hdf5", "opaque_dtype",
    "ref_dtype", "regionref_dtype", "special_dtype", "string_dtype", "version", "vlen_dtype",
]
