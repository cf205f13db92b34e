"""zarr-2's group functions: group and open_group."""

from __future__ import annotations

from typing import Any

from zarr5.api.creation import NATIVE_CLASSES, NodeClasses, check_mode, format_arg
from zarr5.core import Group
from zarr5.core.hierarchy import contains_array, contains_group, init_group
from zarr5.errors import ContainsArrayError, ContainsGroupError, GroupNotFoundError
from zarr5.storage import normalize_path
from zarr5.storage.resolve import normalize_store_arg


def group(store: Any = None, overwrite: bool = False, chunk_store: Any = None, cache_attrs: bool = True,
          synchronizer: Any = None, path: str | None = None, *, zarr_version: int | None = None,
          meta_array: Any = None, storage_options: dict | None = None,
          zarr_format: int | None = None, _node_classes: NodeClasses = NATIVE_CLASSES) -> Group:
    """Create a group, or open the one already at ``path`` (zarr-2's ``zarr.group``)."""
    zarr_format = format_arg(zarr_format, zarr_version) or 2
    store = normalize_store_arg(store, mode="w" if overwrite else "a", storage_options=storage_options,
                                default="memory")
    chunk_store = None if chunk_store is None else normalize_store_arg(chunk_store)
    path = normalize_path(path)
    if overwrite or not contains_group(store, path):
        init_group(store, path=path, overwrite=overwrite, chunk_store=chunk_store, zarr_format=zarr_format)
    return _node_classes[1](store, path, read_only=False, chunk_store=chunk_store, cache_attrs=cache_attrs,
                            synchronizer=synchronizer)


def open_group(store: Any = None, mode: str = "a", cache_attrs: bool = True, synchronizer: Any = None,
               path: str | None = None, chunk_store: Any = None, storage_options: dict | None = None, *,
               zarr_version: int | None = None, meta_array: Any = None, allow_pickle: bool | None = None,
               zarr_format: int | None = None, _node_classes: NodeClasses = NATIVE_CLASSES) -> Group:
    """Open a group, creating it as ``mode`` allows (zarr-2's ``zarr.open_group``).

    An existing group opens in whichever format it is stored; a new one is Zarr v2 unless
    ``zarr_format=3``.
    """
    check_mode(mode)
    zarr_format = format_arg(zarr_format, zarr_version) or 2
    store = normalize_store_arg(store, mode=mode, storage_options=storage_options, default="memory")
    chunk_store = None if chunk_store is None else normalize_store_arg(chunk_store, mode=mode)
    path = normalize_path(path)
    if mode in ("r", "r+"):
        if not contains_group(store, path):
            if contains_array(store, path):
                raise ContainsArrayError(path)
            raise GroupNotFoundError(path)
    elif mode == "w":
        init_group(store, path=path, overwrite=True, chunk_store=chunk_store, zarr_format=zarr_format)
    elif mode == "a":
        if not contains_group(store, path):
            if contains_array(store, path):
                raise ContainsArrayError(path)
            init_group(store, path=path, chunk_store=chunk_store, zarr_format=zarr_format)
    else:
        if contains_array(store, path):
            raise ContainsArrayError(path)
        if contains_group(store, path):
            raise ContainsGroupError(path)
        init_group(store, path=path, chunk_store=chunk_store, zarr_format=zarr_format)
    return _node_classes[1](store, path, read_only=mode == "r", chunk_store=chunk_store,
                            cache_attrs=cache_attrs, synchronizer=synchronizer, allow_pickle=allow_pickle)
