"""Stores: one module per backend, all honouring the contract in :mod:`zarr5.storage.base`."""

from numcodecs import Blosc

from zarr5.storage.abs import ABSStore
from zarr5.storage.base import BaseStore, KVStore, Store, ensure_bytes, normalize_key, normalize_path
from zarr5.storage.cache import LRUStoreCache
from zarr5.storage.consolidated import ConsolidatedMetadataStore, consolidate_store_metadata
from zarr5.storage.dbm import DBMStore
from zarr5.storage.directory import DirectoryStore, NestedDirectoryStore, TempStore
from zarr5.storage.fsspec import FSStore
from zarr5.storage.functions import (
    array_meta_key,
    atexit_rmglob,
    atexit_rmtree,
    attrs_key,
    data_root,
    getsize,
    group_meta_key,
    listdir,
    meta_root,
    normalize_storage_path,
    rename,
    rmdir,
)
from zarr5.storage.lmdb import LMDBStore
from zarr5.storage.memory import DictStore, MemoryStore
from zarr5.storage.mongodb import MongoDBStore
from zarr5.storage.n5 import N5Store
from zarr5.storage.n5fs import N5FSStore
from zarr5.storage.redis import RedisStore
from zarr5.storage.resolve import normalize_store_arg, store_type_name
from zarr5.storage.sqlite import SQLiteStore
from zarr5.storage.zip import ZipStore

# the compressor of new arrays when none is named; zarr-2 code assigns to it (tutorial)
default_compressor = Blosc()

__all__ = [
    "ABSStore",
    "BaseStore",
    "ConsolidatedMetadataStore",
    "DBMStore",
    "DictStore",
    "DirectoryStore",
    "FSStore",
    "KVStore",
    "LMDBStore",
    "LRUStoreCache",
    "MemoryStore",
    "MongoDBStore",
    "N5FSStore",
    "N5Store",
    "NestedDirectoryStore",
    "RedisStore",
    "SQLiteStore",
    "Store",
    "TempStore",
    "ZipStore",
    "array_meta_key",
    "atexit_rmglob",
    "atexit_rmtree",
    "attrs_key",
    "consolidate_store_metadata",
    "data_root",
    "default_compressor",
    "ensure_bytes",
    "getsize",
    "group_meta_key",
    "listdir",
    "meta_root",
    "normalize_key",
    "normalize_path",
    "normalize_storage_path",
    "normalize_store_arg",
    "rename",
    "rmdir",
    "store_type_name",
]
