"""Turning what users pass as ``store=`` (None, a path, a mapping, a store) into a Store."""

from __future__ import annotations

import os
import sys
from typing import Any

from zarr5.storage.base import KVStore, Store, is_mapping_like
from zarr5.storage.directory import DirectoryStore
from zarr5.storage.fsspec import FSStore
from zarr5.storage.memory import MemoryStore
from zarr5.storage.n5 import N5Store
from zarr5.storage.singlefile import SingleFileStore, holds_zip
from zarr5.storage.zip import ZipStore

# zarr / h5py open modes -> zipfile modes ('r+' must not truncate, 'w-' must not clobber)
_ZIP_MODES = {"r": "r", "r+": "a", "a": "a", "w": "w", "w-": "x", "x": "x"}
_ONEFILE_MODES = {"r": "r", "r+": "r+", "a": "a", "w": "w"}


def normalize_store_arg(store: Any, storage_options: dict | None = None, mode: str = "a", *,
                        default: str = "kv", zarr_version: int | None = None) -> Store:
    """Return a :class:`Store` for ``store``.

    - ``None``: a new in-memory store, ``KVStore({})`` if ``default='kv'`` else ``MemoryStore()``;
    - a path (str or os.PathLike): ``ZipStore`` if it ends with ``.zip`` (opened per ``mode``),
      ``N5Store`` if it ends with ``.n5``, ``SingleFileStore`` if it is an existing file holding a ZIP
      archive (what the h5py vocabulary makes of ``data.h5``), otherwise ``DirectoryStore``;
    - a URL (``s3://...``, ``memory://...``, ``simplecache::s3://...``: anything with ``://`` or
      ``::``) gives an ``FSStore`` (opened per ``mode``, with ``storage_options``);
    - an fsspec mapper (``fsspec.get_mapper(url)``): an ``FSStore`` on its file system and root;
    - a Store: itself; any other ``MutableMapping``: wrapped in ``KVStore``.

    ``storage_options`` and ``mode`` may come positionally, in zarr-2's order; ``zarr_version`` is
    zarr-2's: None or 2 (this function makes v2 stores; v3 hierarchies live in the same stores).
    """
    if default not in ("kv", "memory"):
        raise ValueError(f"invalid default {default!r}: expected 'kv' or 'memory'")
    if zarr_version not in (None, 2):
        raise ValueError(f"invalid zarr_version {zarr_version!r}: zarr-2's normalize_store_arg makes "
                         "version 2 stores")
    if store is None:
        return KVStore({}) if default == "kv" else MemoryStore()
    if isinstance(store, os.PathLike):
        store = os.fspath(store)
    if isinstance(store, bytes):
        store = os.fsdecode(store)
    if isinstance(store, str):
        return _store_from_path(store, mode, storage_options)
    # storage_options are ignored for ready-made stores, as in zarr-python 2
    if isinstance(store, Store):
        return store
    # a mapper exists only if fsspec was imported to make it, so fsspec is never imported here
    mapping_module = sys.modules.get("fsspec.mapping")
    if mapping_module is not None and isinstance(store, mapping_module.FSMap):
        # an fsspec mapper: the same files through FSStore's batched access, its settings kept
        fs_store = FSStore(store.root, mode=mode, fs=store.fs,
                           missing_exceptions=getattr(store, "missing_exceptions", None))
        fs_store._map = store  # zarr-2 code reads the mapper it gave back as store.map
        return fs_store
    if is_mapping_like(store):
        return KVStore(store)
    raise TypeError(f"cannot use {type(store).__module__}.{type(store).__qualname__} as a store: expected "
                    "None, a path, a zarr5 Store or a MutableMapping")


def _store_from_path(path: str, mode: str, storage_options: dict | None) -> Store:
    if "://" in path or "::" in path:
        return FSStore(path, mode=mode, **(storage_options or {}))
    if storage_options:
        raise ValueError(f"storage_options can only be given with a URL, not with the local path {path!r}")
    if path.endswith(".zip"):
        if mode not in _ZIP_MODES:
            raise ValueError(f"invalid mode {mode!r}: expected one of {sorted(_ZIP_MODES)}")
        return ZipStore(path, mode=_ZIP_MODES[mode])
    if path.endswith(".n5"):
        return N5Store(path)
    if os.path.isfile(path) and _is_zip_file(path):
        # a single file written by the h5py vocabulary (data.h5): the same store, whatever its name
        return SingleFileStore(path, mode=_ONEFILE_MODES.get(mode, "a"))
    return DirectoryStore(path)


def _is_zip_file(path: str) -> bool:
    with open(path, "rb") as f:
        return holds_zip(f)


def store_type_name(store: Any) -> str:
    """The store's type as ``.info`` shows it: 'zarr5.storage.DirectoryStore', 'builtins.dict', ..."""
    cls = type(store)
    if isinstance(store, Store) and cls.__module__.startswith("zarr5.storage"):
        return f"zarr5.storage.{cls.__qualname__}"
    return f"{cls.__module__}.{cls.__qualname__}"
