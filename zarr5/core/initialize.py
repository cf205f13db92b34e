"""zarr-python 2's ``init_array`` / ``init_group`` / ``contains_*``: their signatures over the engine.

These take zarr-2's keyword arguments (``shape``, ``chunks``, ``dtype``, ... with zarr-2's defaults:
``fill_value=None``, ``compressor='default'``) and any store: a zarr5 store, a ``dict`` or another
``MutableMapping`` (worked on in place). The engine's rules (:mod:`zarr5.core.hierarchy`) decide
what is refused: an existing node raises ``ContainsArrayError`` / ``ContainsGroupError`` unless
``overwrite=True``, which clears ``path`` (in ``chunk_store`` too) first.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from numcodecs.registry import codec_registry

from zarr5.core import hierarchy
from zarr5.core.creation import build_metadata
from zarr5.errors import MetadataError
from zarr5.metadata import Metadata2, v1
from zarr5.storage import KVStore, Store
from zarr5.storage.base import is_mapping_like
from zarr5.storage.functions import normalize_storage_path


def _as_store(store: MutableMapping) -> Store:
    if isinstance(store, Store):
        return store
    if not is_mapping_like(store):
        raise TypeError(f"cannot use {type(store).__module__}.{type(store).__qualname__} as a store: "
                        "expected a zarr5 Store or a MutableMapping")
    return KVStore(store)  # writes go to the mapping itself


def _replace_parent_arrays(store: Store, path: str, chunk_store: Store | None) -> None:
    # with overwrite, zarr-2 turns an array standing where a parent group must be into a group
    parts = path.split("/")[:-1]
    for depth in range(len(parts) + 1):
        parent = "/".join(parts[:depth])
        if hierarchy.contains_array(store, parent):
            hierarchy.init_group(store, path=parent, overwrite=True, chunk_store=chunk_store)


def init_array(store: MutableMapping, shape: Any, chunks: Any = True, dtype: Any = None,
               compressor: Any = "default", fill_value: Any = None, order: str = "C", overwrite: bool = False,
               path: Any = None, chunk_store: MutableMapping | None = None, filters: Any = None,
               object_codec: Any = None, dimension_separator: str | None = None,
               storage_transformers: Any = ()) -> None:
    """Write the ``.zarray`` of a new array at ``path`` (and ``.zgroup`` for each missing parent).

    Examples
    --------
    >>> store = {}
    >>> init_array(store, shape=(100, 100), chunks=(10, 10), dtype="i4", path="a/b")
    >>> sorted(store)
    ['.zgroup', 'a/.zgroup', 'a/b/.zarray']
    """
    if storage_transformers:
        raise ValueError("storage_transformers need a Zarr v3 array, which zarr-2's init_array does not make")
    path = normalize_storage_path(path)
    target = _as_store(store)
    chunks_target = None if chunk_store is None else _as_store(chunk_store)
    if not compressor:
        compressor = None  # zarr-2 takes compressor=[] (and any other false value) for none
    elif compressor == "none":
        compressor = None
    meta = build_metadata(shape, chunks=chunks, dtype=dtype, compressor=compressor, fill_value=fill_value,
                          order=order, filters=filters, object_codec=object_codec,
                          dimension_separator=dimension_separator, store=target)
    if overwrite and path:
        _replace_parent_arrays(target, path, chunks_target)
    hierarchy.init_array(target, meta, path=path, overwrite=overwrite, chunk_store=chunks_target)


# zarr-2's older name
init_store = init_array


def init_group(store: MutableMapping, overwrite: bool = False, path: Any = None,
               chunk_store: MutableMapping | None = None) -> None:
    """Write the ``.zgroup`` of a new group at ``path`` (and of each missing parent)."""
    path = normalize_storage_path(path)
    target = _as_store(store)
    chunks_target = None if chunk_store is None else _as_store(chunk_store)
    if overwrite and path:
        _replace_parent_arrays(target, path, chunks_target)
    hierarchy.init_group(target, path=path, overwrite=overwrite, chunk_store=chunks_target)


def contains_array(store: MutableMapping, path: Any = None) -> bool:
    """True if an array's metadata document is stored at ``path``."""
    return hierarchy.contains_array(store, normalize_storage_path(path))


def contains_group(store: MutableMapping, path: Any = None, explicit_only: bool = True) -> bool:
    """True if a group's metadata document is stored at ``path`` (v2 groups are always explicit)."""
    return hierarchy.contains_group(store, normalize_storage_path(path))


def migrate_1to2(store: MutableMapping) -> None:
    """Rewrite a Zarr format 1 array (``meta``, ``attrs``) as a v2 array (``.zarray``, ``.zattrs``).

    Version 1 had no hierarchies: the store holds one array, at its root. Its ``compression`` and
    ``compression_opts`` become a compressor configuration; nothing is changed if they name no codec.
    """
    meta = v1.decode_metadata(store["meta"])
    compression = meta.pop("compression")
    options = meta.pop("compression_opts")
    if compression in (None, "none"):
        compressor = None
    else:
        try:
            codec_cls = codec_registry[compression]
        except KeyError:
            raise MetadataError(f"meta: unknown compression {compression!r}") from None
        codec = codec_cls(**options) if isinstance(options, dict) else codec_cls(options)
        compressor = codec.get_config()
    meta.update(compressor=compressor, filters=None)
    document = Metadata2.encode_array_metadata(meta)
    attrs = store["attrs"]
    # the new documents first: a failure part-way leaves the version 1 ones readable
    store[".zarray"] = document
    store[".zattrs"] = attrs
    del store["meta"]
    del store["attrs"]


__all__ = ["contains_array", "contains_group", "init_array", "init_group", "init_store", "migrate_1to2"]
