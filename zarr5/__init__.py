"""zarr5: Zarr storage with zarr-python 2's API and h5py's API over one engine.

``import zarr5 as zarr`` gives zarr-python 2's vocabulary (``zeros``, ``open``, ``group``, ``Array``,
stores, ``copy_all``); ``import zarr5 as h5py`` gives h5py's (``File``, ``Dataset``, ...).
"""

from zarr5 import config, errors, storage
from zarr5.api import (
    LazyLoader,
    array,
    consolidate_metadata,
    create,
    empty,
    empty_like,
    full,
    full_like,
    group,
    load,
    ones,
    ones_like,
    open,
    open_array,
    open_consolidated,
    open_group,
    open_like,
    save,
    save_array,
    save_group,
    tree,
    zeros,
    zeros_like,
)
from zarr5.api.convenience import info
from zarr5.copying import copy, copy_all, copy_store
from zarr5.core import Array, Attributes, ProcessSynchronizer, ThreadSynchronizer
from zarr5.formats import which_format

# the h5py vocabulary; its Group also answers isinstance() for zarr groups, and Group(store) called the
# zarr-2 way still builds a zarr group
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
    check_string_dtype,
    check_vlen_dtype,
    complex_compat_dtype,
    enum_dtype,
    filters,
    is_hdf5,
    opaque_dtype,
    ref_dtype,
    regionref_dtype,
    special_dtype,
    string_dtype,
    version,
    vlen_dtype,
)
from zarr5.install import install
from zarr5.release import __version__  # the one place the version is written
from zarr5.storage import (
    ABSStore,
    DBMStore,
    DirectoryStore,
    FSStore,
    KVStore,
    LMDBStore,
    LRUStoreCache,
    MemoryStore,
    MongoDBStore,
    N5Store,
    NestedDirectoryStore,
    RedisStore,
    SQLiteStore,
    TempStore,
    ZipStore,
)

__all__ = [
    "Array", "Attributes", "DBMStore", "DirectoryStore", "FSStore", "Group", "KVStore", "LMDBStore",
    "LRUStoreCache",
    "LazyLoader", "MemoryStore", "N5Store", "NestedDirectoryStore", "ProcessSynchronizer", "SQLiteStore",
    "TempStore",
    "ThreadSynchronizer", "ZipStore", "__version__", "array", "config", "consolidate_metadata", "copy",
    "copy_all", "copy_store", "create", "empty", "empty_like", "errors", "full", "full_like", "group", "load",
    "ones", "ones_like", "open", "open_array", "open_consolidated", "open_group", "open_like", "save",
    "save_array", "save_group", "storage", "tree", "zeros", "zeros_like",
    # the stores on servers (Redis, MongoDB, Azure Blob), as zarr-python 2's top level has them
    "ABSStore", "MongoDBStore", "RedisStore",
    # both vocabularies, any format: what a path holds, and a report on any object
    "info", "which_format",
    # bind a vocabulary under the name of the library it replaces (zarr5.install("h5py"))
    "install",
    # h5py vocabulary
    "AttributeManager", "Dataset", "Datatype", "Empty", "ExternalLink", "File", "H5pyDeprecationWarning",
    "HardLink", "MultiBlockSlice", "Reference", "RegionReference", "SoftLink", "check_complex_dtype",
    "check_dtype", "check_enum_dtype", "check_opaque_dtype", "check_string_dtype", "check_vlen_dtype",
    "complex_compat_dtype", "enum_dtype", "filters", "is_hdf5", "opaque_dtype", "ref_dtype",
    "regionref_dtype", "special_dtype", "string_dtype", "version", "vlen_dtype",
]
