"""Stores: one module per backend, all honouring the contract in :mod:`zarr5.storage.base`."""

from zarr5.storage.base import KVStore, Store, normalize_key, normalize_path
from zarr5.storage.memory import MemoryStore

__all__ = ["KVStore", "MemoryStore", "Store", "normalize_key", "normalize_path"]
