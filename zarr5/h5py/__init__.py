"""zarr5's h5py-shaped vocabulary: what ``import h5py`` gives after ``zarr5.install("h5py")``.

Names and module layout only; the behaviour lives in ``zarr5.h5``. The layout is
h5py's: ``h5py.version``, ``h5py._hl.{files,group,dataset,datatype,attrs,base,dims,filters,selections,
vds,compat}``, ``get_config()`` and the low-level modules ``h5, h5a, h5d, h5ds, h5f, h5g, h5l, h5o, h5p,
h5r, h5s, h5t, h5z``. What each version answer says, and why, is in docs/porting-from-h5py.md.
"""

from zarr5.h5 import (
    AttributeManager,
    Dataset,
    Datatype,
    Empty,
    ExternalLink,
    File,
    Group,
    H5pyDeprecationWarning,
    HardLink,
    MultiBlockSlice,
    Reference,
    RegionReference,
    SoftLink,
    check_complex_dtype,
    check_dtype,
    check_enum_dtype,
    check_opaque_dtype,
    check_ref_dtype,
    check_string_dtype,
    check_vlen_dtype,
    complex_compat_dtype,
    enum_dtype,
    is_empty_dataspace,
    is_hdf5,
    opaque_dtype,
    ref_dtype,
    regionref_dtype,
    special_dtype,
    string_dtype,
    vlen_dtype,
)
from zarr5.h5.h5config import get_config
from zarr5.h5.objects import HLObject
from zarr5.h5py import (  # h5py imports its low-level modules eagerly
    h5,
    h5a,
    h5d,
    h5ds,
    h5f,
    h5g,
    h5l,
    h5o,
    h5p,
    h5r,
    h5s,
    h5t,
    h5z,
    version,  # a module, as in h5py
)
from zarr5.h5py._bind import bind, unbind
from zarr5.h5py._hl import filters

__zarr5_vocabulary__ = True  # zarr5.hdf5lib tells this module from the real h5py by it
__zarr5_bind__ = bind  # zarr5.install calls it once the vocabulary holds the name "h5py"
__zarr5_unbind__ = unbind
__version__ = version.version
UNLIMITED = h5s.UNLIMITED

__all__ = [
    "AttributeManager", "Dataset", "Datatype", "Empty", "ExternalLink", "File", "Group",
    "H5pyDeprecationWarning", "HLObject", "HardLink", "MultiBlockSlice", "Reference", "RegionReference",
    "SoftLink", "UNLIMITED", "__version__", "check_complex_dtype", "check_dtype", "check_enum_dtype",
    "check_opaque_dtype", "check_ref_dtype", "check_string_dtype", "check_vlen_dtype",
    "complex_compat_dtype", "enum_dtype", "filters", "get_config", "h5", "h5a", "h5d", "h5ds", "h5f",
    "h5g", "h5l", "h5o", "h5p", "h5r", "h5s", "h5t", "h5z", "is_empty_dataspace", "is_hdf5",
    "opaque_dtype", "ref_dtype", "regionref_dtype", "special_dtype", "string_dtype", "version",
    "vlen_dtype",
]
