"""zarr5's zarr-python-2.18-shaped vocabulary: what ``import zarr`` gives after ``zarr5.install("zarr")``.

Names and module layout only; the behaviour lives in the engine and ``zarr5.api``.
"""

from zarr5 import config, errors
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
from zarr5.copying import copy, copy_all, copy_store
from zarr5.core import Array, Attributes, ProcessSynchronizer, ThreadSynchronizer
from zarr5.h5 import Group  # answers isinstance() for zarr groups today; zarr-2's own class replaces it
from zarr5.zarr2 import storage
from zarr5.zarr2.storage import (
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

__zarr5_vocabulary__ = True  # tells this module from zarr-python itself
__version__ = "2.18.7"  # the zarr-python API level this vocabulary follows

__all__ = [
    "Array", "Attributes", "DBMStore", "DirectoryStore", "FSStore", "Group", "KVStore", "LMDBStore",
    "LRUStoreCache", "LazyLoader", "MemoryStore", "N5Store", "NestedDirectoryStore", "ProcessSynchronizer",
    "SQLiteStore", "TempStore", "ThreadSynchronizer", "ZipStore", "array", "config", "consolidate_metadata",
    "copy", "copy_all", "copy_store", "create", "empty", "empty_like", "errors", "full", "full_like", "group",
    "load", "ones", "ones_like", "open", "open_array", "open_consolidated", "open_group", "open_like", "save",
    "save_array", "save_group", "storage", "tree", "zeros", "zeros_like",
    "ABSStore", "MongoDBStore", "RedisStore",
]
