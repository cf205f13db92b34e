"""zarr-2's array creation functions: create, empty, zeros, ones, full, array, open_array, *_like."""

from __future__ import annotations

from typing import Any

from zarr5.core import Array, Group
from zarr5.core.creation import (
    array_from_data,
    build_metadata,
    compat_kwargs,
    create_array,
    like_kwargs,
    uses_pickle,
)
from zarr5.core.hierarchy import contains_array, contains_group, init_array
from zarr5.errors import ArrayNotFoundError, ContainsArrayError, ContainsGroupError
from zarr5.storage import normalize_path
from zarr5.storage.resolve import normalize_store_arg

_MODES = ("r", "r+", "a", "w", "w-", "x")

# (array class, group class) a vocabulary's functions return; zarr5's own are the engine's
NodeClasses = tuple[type[Array], type[Group]]
NATIVE_CLASSES: NodeClasses = (Array, Group)


def check_mode(mode: str) -> str:
    if mode not in _MODES:
        raise ValueError(f"invalid mode {mode!r}; expected one of {', '.join(_MODES)}")
    return mode


def create(shape: Any, chunks: Any = True, dtype: Any = None, compressor: Any = "default",
           fill_value: Any = 0, order: str = "C", store: Any = None, synchronizer: Any = None,
           overwrite: bool = False, path: str | None = None, chunk_store: Any = None, filters: Any = None,
           cache_metadata: bool = True, cache_attrs: bool = True, read_only: bool = False,
           object_codec: Any = None, dimension_separator: str | None = None, write_empty_chunks: bool = True,
           *, zarr_version: int | None = None, meta_array: Any = None, storage_options: dict | None = None,
           zarr_format: int | None = None, shards: Any = None, dimension_names: Any = None,
           chunk_key_encoding: Any = None, codecs: Any = None, _node_classes: NodeClasses = NATIVE_CLASSES,
           **kwargs: Any) -> Array:
    """Create an array (zarr-2's ``zarr.create``); ``zarr_format=3`` writes Zarr v3 (``shards=`` to shard,
    ``codecs=`` for any v3 codec chain: codec objects or ``{"name": ..., "configuration": ...}``)."""
    zarr_format = format_arg(zarr_format, zarr_version)
    store = normalize_store_arg(store, mode="w" if overwrite else "a", storage_options=storage_options)
    chunk_store = None if chunk_store is None else normalize_store_arg(chunk_store)
    return create_array(store, path=normalize_path(path), overwrite=overwrite, chunk_store=chunk_store,
                        synchronizer=synchronizer, cache_metadata=cache_metadata, cache_attrs=cache_attrs,
                        read_only=read_only, write_empty_chunks=write_empty_chunks, shape=shape,
                        chunks=chunks, dtype=dtype, compressor=compressor, fill_value=fill_value, order=order,
                        filters=filters, object_codec=object_codec, dimension_separator=dimension_separator,
                        zarr_format=zarr_format, shards=shards, dimension_names=dimension_names,
                        chunk_key_encoding=chunk_key_encoding, codecs=codecs, array_class=_node_classes[0],
                        **kwargs)


def format_arg(zarr_format: int | None, zarr_version: int | None) -> int | None:
    """One format number from zarr-python 3's ``zarr_format`` and zarr-python 2's ``zarr_version``."""
    if zarr_format is not None and zarr_version is not None and zarr_format != zarr_version:
        raise ValueError(f"zarr_format={zarr_format!r} and zarr_version={zarr_version!r} disagree")
    value = zarr_format if zarr_format is not None else zarr_version
    if value not in (None, 2, 3):
        raise ValueError(f"zarr_format must be 2 or 3, not {value!r}")
    return value


def empty(shape: Any, **kwargs: Any) -> Array:
    kwargs.setdefault("fill_value", None)
    return create(shape=shape, **kwargs)


def zeros(shape: Any, **kwargs: Any) -> Array:
    return create(shape=shape, fill_value=0, **kwargs)


def ones(shape: Any, **kwargs: Any) -> Array:
    return create(shape=shape, fill_value=1, **kwargs)


def full(shape: Any, fill_value: Any, **kwargs: Any) -> Array:
    return create(shape=shape, fill_value=fill_value, **kwargs)


def array(data: Any, **kwargs: Any) -> Array:
    """Create an array filled with ``data`` (numpy array, zarr5 Array, h5py Dataset, list ...)."""
    storage_options = kwargs.pop("storage_options", None)
    store = normalize_store_arg(kwargs.pop("store", None), storage_options=storage_options)
    path = normalize_path(kwargs.pop("path", None))
    kwargs["zarr_format"] = format_arg(kwargs.pop("zarr_format", None), kwargs.pop("zarr_version", None))
    kwargs.pop("meta_array", None)
    kwargs["array_class"] = kwargs.pop("_node_classes", NATIVE_CLASSES)[0]
    if "chunk_store" in kwargs and kwargs["chunk_store"] is not None:
        kwargs["chunk_store"] = normalize_store_arg(kwargs["chunk_store"])
    return array_from_data(store, data, path=path, **kwargs)


def empty_like(a: Any, **kwargs: Any) -> Array:
    return empty(**like_kwargs(a, kwargs))


def zeros_like(a: Any, **kwargs: Any) -> Array:
    return zeros(**like_kwargs(a, kwargs))


def ones_like(a: Any, **kwargs: Any) -> Array:
    return ones(**like_kwargs(a, kwargs))


def full_like(a: Any, **kwargs: Any) -> Array:
    kwargs = like_kwargs(a, kwargs)
    if hasattr(a, "fill_value"):  # from a plain numpy array, fill_value must be given (TypeError)
        kwargs.setdefault("fill_value", a.fill_value)
    return full(**kwargs)


def open_like(a: Any, path: Any, **kwargs: Any) -> Array:
    kwargs = like_kwargs(a, kwargs)
    if isinstance(a, Array):
        kwargs.setdefault("fill_value", a.fill_value)
    return open_array(path, **kwargs)


def open_array(store: Any = None, mode: str = "a", shape: Any = None, chunks: Any = True, dtype: Any = None,
               compressor: Any = "default", fill_value: Any = 0, order: str = "C", synchronizer: Any = None,
               filters: Any = None, cache_metadata: bool = True, cache_attrs: bool = True,
               path: str | None = None, object_codec: Any = None, chunk_store: Any = None,
               storage_options: dict | None = None, partial_decompress: bool = False,
               write_empty_chunks: bool = True, *, zarr_version: int | None = None,
               dimension_separator: str | None = None, meta_array: Any = None,
               allow_pickle: bool | None = None,
               zarr_format: int | None = None, shards: Any = None, dimension_names: Any = None,
               chunk_key_encoding: Any = None, codecs: Any = None,
               _node_classes: NodeClasses = NATIVE_CLASSES, **kwargs: Any) -> Array:
    """Open an array, creating it as ``mode`` allows (zarr-2's ``zarr.open_array``).

    An existing array opens in whichever format it is stored; a new one is Zarr v2 unless
    ``zarr_format=3``.
    """
    check_mode(mode)
    zarr_format = format_arg(zarr_format, zarr_version)
    if kwargs:  # h5py's spellings translated, anything else warned about and ignored, as zarr 2 does
        extra = compat_kwargs({"compressor": compressor, "fill_value": fill_value, **kwargs})
        compressor, fill_value = extra.pop("compressor"), extra.pop("fill_value")
    store = normalize_store_arg(store, mode=mode, storage_options=storage_options)
    chunk_store = None if chunk_store is None else normalize_store_arg(chunk_store, mode=mode)
    path = normalize_path(path)
    must_create = False
    if mode in ("r", "r+"):
        if contains_group(store, path):
            raise ContainsGroupError(path)
        if not contains_array(store, path):
            raise ArrayNotFoundError(path)
    elif mode == "w":
        must_create = True
    elif mode == "a":
        if contains_group(store, path):
            raise ContainsGroupError(path)
        must_create = not contains_array(store, path)
    else:
        if contains_group(store, path):
            raise ContainsGroupError(path)
        if contains_array(store, path):
            raise ContainsArrayError(path)
        must_create = True
    if must_create:
        if shape is None:
            raise TypeError(f"open_array() needs shape= to create an array at {path or '/'!r} "
                            f"(mode {mode!r})")
        meta = build_metadata(shape, chunks=chunks, dtype=dtype, compressor=compressor, fill_value=fill_value,
                              order=order, filters=filters, object_codec=object_codec,
                              dimension_separator=dimension_separator, store=store, zarr_format=zarr_format,
                              shards=shards, dimension_names=dimension_names,
                              chunk_key_encoding=chunk_key_encoding, codecs=codecs)
        init_array(store, meta, path=path, overwrite=mode == "w", chunk_store=chunk_store)
        if uses_pickle(meta):
            allow_pickle = True  # the caller chose the codecs
    return _node_classes[0](store, path, read_only=mode == "r", chunk_store=chunk_store,
                            synchronizer=synchronizer, cache_metadata=cache_metadata, cache_attrs=cache_attrs,
                            write_empty_chunks=write_empty_chunks, allow_pickle=allow_pickle)
