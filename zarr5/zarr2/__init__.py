"""zarr5's zarr-python-2.18-shaped vocabulary: what ``import zarr`` gives after ``zarr5.install("zarr")``.

Names and module layout only; the behaviour lives in the engine and ``zarr5.api``.
zarr 2's submodules are bound as attributes, as ``import zarr`` binds them (``zarr.hierarchy.Group``,
``zarr.storage.init_array``, ...); numcodecs is re-exported here and in ``zarr.codecs``, as zarr 2 does
(``zarr.Blosc``). ``zarr.Group`` is the class zarr groups are: an h5py group is not one.
"""

from zarr5.zarr2 import (
    attrs,
    codecs,
    convenience,
    core,
    creation,
    errors,
    hierarchy,
    indexing,
    meta,
    n5,
    storage,
    sync,
    types,
    util,
    version,
)
from zarr5.zarr2.attrs import Attributes
from zarr5.zarr2.codecs import *  # noqa: F403 -- zarr 2 puts numcodecs' names at its top level
from zarr5.zarr2.convenience import (
    LazyLoader,
    consolidate_metadata,
    copy,
    copy_all,
    copy_store,
    load,
    open,
    open_consolidated,
    save,
    save_array,
    save_group,
    tree,
)
from zarr5.zarr2.core import Array
from zarr5.zarr2.creation import (
    array,
    create,
    empty,
    empty_like,
    full,
    full_like,
    ones,
    ones_like,
    open_array,
    open_like,
    zeros,
    zeros_like,
)
from zarr5.zarr2.errors import CopyError, MetadataError
from zarr5.zarr2.hierarchy import Group, group, open_group
from zarr5.zarr2.n5 import N5FSStore, N5Store
from zarr5.zarr2.storage import (
    ABSStore,
    DBMStore,
    DictStore,
    DirectoryStore,
    FSStore,
    KVStore,
    LMDBStore,
    LRUStoreCache,
    MemoryStore,
    MongoDBStore,
    NestedDirectoryStore,
    RedisStore,
    SQLiteStore,
    TempStore,
    ZipStore,
)
from zarr5.zarr2.sync import ProcessSynchronizer, ThreadSynchronizer

__zarr5_vocabulary__ = True  # tells this module from zarr-python itself
__version__ = version.version  # the zarr-python API level this vocabulary follows

__all__ = [  # noqa: F405 -- numcodecs' names come by the star import and stay out of this list
    "ABSStore", "Array", "Attributes", "CopyError", "DBMStore", "DictStore", "DirectoryStore", "FSStore",
    "Group", "KVStore", "LMDBStore", "LRUStoreCache", "LazyLoader", "MemoryStore", "MetadataError",
    "MongoDBStore", "N5FSStore", "N5Store", "NestedDirectoryStore", "ProcessSynchronizer", "RedisStore",
    "SQLiteStore", "TempStore", "ThreadSynchronizer", "ZipStore", "array", "attrs", "codecs",
    "consolidate_metadata", "convenience", "copy", "copy_all", "copy_store", "core", "create", "creation",
    "empty", "empty_like", "errors", "full", "full_like", "group", "hierarchy", "indexing", "load", "meta",
    "n5", "ones", "ones_like", "open", "open_array", "open_consolidated", "open_group", "open_like", "save",
    "save_array", "save_group", "storage", "sync", "tree", "types", "util", "version", "zeros",
    "zeros_like",
]
