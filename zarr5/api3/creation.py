"""zarr-python 3's synchronous functions (``zarr.api.synchronous``) over zarr5's engine.

Its keywords are translated here: ``compressors``/``serializer``/``filters`` become a v3 codec chain
(or a v2 compressor and filters), ``chunks='auto'`` zarr5's chunk guess, ``config`` the array's run-time
settings, ``attributes`` the new node's attributes. New nodes are Zarr v3 unless ``zarr_format=2``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
from numcodecs.abc import Codec

from zarr5.api import convenience as _conv
from zarr5.api import hierarchy as _hier
from zarr5.api3 import config as _config
from zarr5.api3.dtypes import ZDType
from zarr5.api3.errors import node_not_found
from zarr5.api3.nodes import Array, Group
from zarr5.api3.stores import make_store
from zarr5.codecs.v3.objects import BytesCodec, V3Codec, VLenUTF8Codec, ZstdCodec
from zarr5.core.creation import create_array as _create_array
from zarr5.core.hierarchy import contains_array, contains_group
from zarr5.errors import ContainsArrayError, ContainsGroupError
from zarr5.metadata.dtypes import normalize_dtype

__all__ = [
    "array", "consolidate_metadata", "create", "create_array", "create_group", "create_hierarchy",
    "empty", "empty_like", "from_array", "full", "full_like", "group", "load", "ones", "ones_like",
    "open", "open_array", "open_consolidated", "open_group", "open_like", "save", "save_array",
    "save_group", "tree", "zeros", "zeros_like",
]

_MODES = ("r", "r+", "a", "w", "w-", "x")


def _list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (V3Codec, Mapping, str, Codec)):
        return [value]
    return list(value)


def codec_keywords(dtype: Any, zarr_format: int, filters: Any = "auto", compressors: Any = "auto",
                   serializer: Any = "auto", compressor: Any = "auto", codecs: Any = None) -> dict:
    """The engine's creation keywords for zarr-python 3's ``filters``/``serializer``/``compressors``."""
    if compressor != "auto":
        compressors = compressor
    if zarr_format == 2:
        comps = _list(None if compressors == "auto" else compressors)
        if compressors == "auto":
            import numcodecs

            comps = [numcodecs.Zstd(level=0)]
        if len(comps) > 1:
            raise ValueError(f"a Zarr v2 array takes at most one compressor, not {comps!r}")
        return {"compressor": comps[0] if comps else None,
                "filters": None if filters in ("auto", None) else _list(filters)}
    if codecs is not None:
        return {"codecs": codecs}
    strings = np.dtype(dtype).kind == "O"
    # a numcodecs filter becomes numcodecs.<id> in the chain, as zarr-python 3 writes it
    chain: list[Any] = list(_list(None if filters == "auto" else filters))
    if serializer == "auto":
        serializer = VLenUTF8Codec() if strings else BytesCodec()
    chain.append(serializer)
    chain += _list([ZstdCodec(level=0)] if compressors == "auto" else compressors)
    return {"codecs": chain}


def create_array(store: Any, *, name: str | None = None, shape: Any = None, dtype: Any = None,
                 data: Any = None, chunks: Any = "auto", shards: Any = None, filters: Any = "auto",
                 compressors: Any = "auto", serializer: Any = "auto", fill_value: Any = None,
                 order: str | None = None, zarr_format: int | None = 3, attributes: dict | None = None,
                 chunk_key_encoding: Any = None, dimension_names: Any = None,
                 storage_options: dict | None = None, overwrite: bool = False, config: Any = None,
                 write_data: bool = True, compressor: Any = "auto", codecs: Any = None) -> Array:
    """Create an array (zarr-python 3's ``zarr.create_array``); with ``data`` its shape, dtype and values."""
    if data is not None:
        data = data if hasattr(data, "dtype") else np.asarray(data)
        shape = data.shape if shape is None else shape
        dtype = data.dtype if dtype is None else dtype
    if shape is None:
        raise TypeError("create_array() needs shape= (or data=)")
    if dtype is None:
        raise TypeError("create_array() needs dtype= (or data=)")
    zarr_format = zarr_format or _config.config.get("default_zarr_format")
    if isinstance(dtype, ZDType):
        dtype = str if dtype.kind == "O" else dtype.to_native_dtype()
    store, path = make_store(store, mode="w" if overwrite else "a", storage_options=storage_options,
                             path=name)
    if dtype in (str, "str", "string") or (isinstance(dtype, np.dtype) and dtype.kind in "UT"
                                           and zarr_format == 3):
        dtype = str
    zdtype = normalize_dtype(dtype)[0]
    cfg = dict(config or {}) if not hasattr(config, "order") else {
        "order": config.order, "write_empty_chunks": config.write_empty_chunks}
    if order is not None:
        cfg.setdefault("order", order)
    cfg.setdefault("write_empty_chunks", _config.config.get("array.write_empty_chunks"))
    if isinstance(chunks, str) and chunks == "auto":
        chunks = True
    if shards is not None and not isinstance(shards, Mapping) and isinstance(shards, str):
        raise ValueError(f"shards {shards!r}: give the shard shape (zarr5 does not pick one for 'auto')")
    kw = codec_keywords(zdtype, zarr_format, filters, compressors, serializer, compressor, codecs)
    if zarr_format == 3 and zdtype.kind == "O":
        kw = {}  # strings: the engine writes vlen-utf8 (zarr-python 3's way)
    made = _create_array(store, path=path, overwrite=overwrite, shape=shape, chunks=chunks, dtype=dtype,
                         fill_value=fill_value, zarr_format=zarr_format, shards=shards,
                         dimension_names=dimension_names, chunk_key_encoding=chunk_key_encoding, **kw)
    arr = Array(store, path, _known=made.known_metadata, config=cfg)
    if attributes:
        arr.attrs.update(attributes)
    if data is not None and write_data and arr.size:
        arr[...] = data
    return arr


def from_array(store: Any, *, data: Any, **kwargs: Any) -> Array:
    """Create an array shaped, typed and filled like ``data`` (an array of either vocabulary or numpy)."""
    for k in ("chunks", "fill_value"):
        if hasattr(data, k):
            kwargs.setdefault(k, getattr(data, k))
    return create_array(store, data=np.asarray(data[...]) if hasattr(data, "oindex") else data, **kwargs)


def create(shape: Any, *, chunks: Any = True, dtype: Any = None, compressor: Any = "auto",
           fill_value: Any = None, order: str | None = None, store: Any = None, overwrite: bool = False,
           path: str | None = None, zarr_format: int | None = None, mode: str | None = None,
           codecs: Any = None, dimension_names: Any = None, chunk_key_encoding: Any = None,
           filters: Any = None, attributes: dict | None = None, storage_options: dict | None = None,
           config: Any = None, write_empty_chunks: bool | None = None, chunk_shape: Any = None,
           dimension_separator: str | None = None, **kwargs: Any) -> Array:
    """Create an array the older way (zarr-python 3's ``zarr.create``)."""
    if kwargs:
        raise TypeError(f"create() got unexpected keyword arguments: {', '.join(sorted(kwargs))}")
    if mode == "w":
        overwrite = True
    if chunk_shape is not None:
        chunks = chunk_shape
    cfg = dict(config or {})
    if write_empty_chunks is not None:
        cfg["write_empty_chunks"] = write_empty_chunks
    if chunk_key_encoding is None and dimension_separator is not None:
        chunk_key_encoding = {"name": "v2", "separator": dimension_separator}
    return create_array(store, name=path, shape=shape, dtype=dtype or "f8", chunks=chunks,
                        fill_value=fill_value,
                        order=order, zarr_format=zarr_format or 3, overwrite=overwrite, codecs=codecs,
                        dimension_names=dimension_names, chunk_key_encoding=chunk_key_encoding,
                        filters=filters if filters is not None else "auto", attributes=attributes,
                        storage_options=storage_options, config=cfg, compressor=compressor)


def empty(shape: Any, **kwargs: Any) -> Array:
    return create(shape, **kwargs)


def zeros(shape: Any, **kwargs: Any) -> Array:
    return create(shape, fill_value=0, **kwargs)


def ones(shape: Any, **kwargs: Any) -> Array:
    return create(shape, fill_value=1, **kwargs)


def full(shape: Any, fill_value: Any, **kwargs: Any) -> Array:
    return create(shape, fill_value=fill_value, **kwargs)


def _like(a: Any, kwargs: dict) -> dict:
    kwargs.setdefault("shape", a.shape)
    kwargs.setdefault("dtype", a.dtype)
    if hasattr(a, "chunks"):
        kwargs.setdefault("chunks", a.chunks)
    return kwargs


def empty_like(a: Any, **kwargs: Any) -> Array:
    return create(**_like(a, kwargs))


def zeros_like(a: Any, **kwargs: Any) -> Array:
    return create(fill_value=0, **_like(a, kwargs))


def ones_like(a: Any, **kwargs: Any) -> Array:
    return create(fill_value=1, **_like(a, kwargs))


def full_like(a: Any, **kwargs: Any) -> Array:
    kwargs.setdefault("fill_value", getattr(a, "fill_value", None))
    return create(**_like(a, kwargs))


def open_like(a: Any, path: str, **kwargs: Any) -> Array:
    return open_array(path, **_like(a, kwargs))


def array(data: Any, **kwargs: Any) -> Array:
    """Create an array filled with ``data``."""
    store = kwargs.pop("store", None)
    path = kwargs.pop("path", None)
    if "chunks" not in kwargs:
        kwargs["chunks"] = "auto"
    return create_array(store, name=path, data=np.asarray(data) if not hasattr(data, "dtype") else data,
                        overwrite=kwargs.pop("overwrite", False), **kwargs)


def open_array(store: Any = None, *, zarr_format: int | None = None, path: str = "",
               storage_options: dict | None = None, mode: str = "a", **kwargs: Any) -> Array:
    """Open an existing array; with ``shape=`` and a mode that allows it, create it."""
    store_, path_ = make_store(store, mode=mode, storage_options=storage_options, path=path)
    config = kwargs.pop("config", None)
    if mode != "w" and contains_array(store_, path_):
        if mode in ("w-", "x"):
            raise ContainsArrayError(path_)
        return Array(store_, path_, read_only=mode == "r" or getattr(store_, "read_only", False) is True,
                     config=config)
    if mode in ("r", "r+") or "shape" not in kwargs:
        if contains_group(store_, path_):
            raise ContainsGroupError(path_)
        raise node_not_found("array", store_, path_)
    return create(store=store_, path=path_, zarr_format=zarr_format, overwrite=mode == "w", config=config,
                  **kwargs)


def create_group(store: Any, *, path: str | None = None, zarr_format: int | None = None,
                 overwrite: bool = False, attributes: dict | None = None,
                 storage_options: dict | None = None) -> Group:
    """Create a group (zarr-python 3's ``zarr.create_group``); Zarr v3 unless ``zarr_format=2``."""
    return open_group(store, mode="w" if overwrite else "w-", path=path, zarr_format=zarr_format,
                      attributes=attributes, storage_options=storage_options)


def open_group(store: Any = None, *, mode: str = "a", path: str | None = None,
               zarr_format: int | None = None, attributes: dict | None = None,
               storage_options: dict | None = None, use_consolidated: Any = None,
               cache_attrs: Any = None, synchronizer: Any = None, chunk_store: Any = None,
               meta_array: Any = None) -> Group:
    """Open a group, creating it as ``mode`` allows (zarr-python 3's ``zarr.open_group``)."""
    if mode not in _MODES:
        raise ValueError(f"invalid mode {mode!r}; expected one of {', '.join(_MODES)}")
    store_, path_ = make_store(store, mode=mode, storage_options=storage_options, path=path)
    existed = contains_group(store_, path_)
    if mode in ("w-", "x") and contains_group(store_, path_):
        raise ContainsGroupError(path_)
    if mode in ("r", "r+") and not existed:
        if contains_array(store_, path_):
            raise ContainsArrayError(path_)
        raise node_not_found("group", store_, path_)
    fmt = zarr_format or _config.config.get("default_zarr_format")
    g = _hier.open_group(store_, mode="a" if mode in ("w-", "x") else mode, path=path_, zarr_format=fmt)
    group = Group(store_, path_, read_only=g.read_only)
    if attributes and (mode == "w" or not existed):
        group.attrs.update(attributes)
    return group


def group(store: Any = None, *, overwrite: bool = False, path: str | None = None,
          zarr_format: int | None = None, attributes: dict | None = None,
          storage_options: dict | None = None, **kwargs: Any) -> Group:
    """Open the group at ``store``/``path``, or create it (zarr-python 3's ``zarr.group``)."""
    return open_group(store, mode="w" if overwrite else "a", path=path, zarr_format=zarr_format,
                      attributes=attributes, storage_options=storage_options)


def open(store: Any = None, *, mode: str = "a", zarr_format: int | None = None,  # noqa: A001
         path: str | None = None, storage_options: dict | None = None, **kwargs: Any) -> Array | Group:
    """Open an array or a group (zarr-python 3's ``zarr.open``); ``shape=`` creates an array."""
    store_, path_ = make_store(store, mode=mode, storage_options=storage_options, path=path)
    if "shape" in kwargs or contains_array(store_, path_) and mode != "w":
        return open_array(store_, zarr_format=zarr_format, path=path_, mode=mode, **kwargs)
    if mode in ("r", "r+") and not contains_group(store_, path_):
        raise node_not_found("node", store_, path_)
    return open_group(store_, mode=mode, path=path_, zarr_format=zarr_format, **kwargs)


def save_array(store: Any, arr: Any, *, zarr_format: int | None = None, path: str | None = None,
               storage_options: dict | None = None, **kwargs: Any) -> None:
    """Write ``arr`` as an array at ``store``/``path`` (replacing what is there)."""
    create_array(store, name=path, data=np.asarray(arr), zarr_format=zarr_format or 3, overwrite=True,
                 storage_options=storage_options, **kwargs)


def save_group(store: Any, *args: Any, zarr_format: int | None = None, path: str | None = None,
               storage_options: dict | None = None, **kwargs: Any) -> None:
    """Write each array of ``args`` (named arr_0, ...) and ``kwargs`` into a new group."""
    if not args and not kwargs:
        raise ValueError("at least one array must be provided")
    g = open_group(store, mode="w", path=path, zarr_format=zarr_format, storage_options=storage_options)
    for name, a in [(f"arr_{i}", a) for i, a in enumerate(args)] + list(kwargs.items()):
        g.create_array(name, data=np.asarray(a), chunks="auto")


def save(store: Any, *args: Any, zarr_format: int | None = None, path: str | None = None,
         **kwargs: Any) -> None:
    """One array without names: an array; otherwise a group of them."""
    if len(args) == 1 and not kwargs:
        save_array(store, args[0], zarr_format=zarr_format, path=path)
    else:
        save_group(store, *args, zarr_format=zarr_format, path=path, **kwargs)


def load(store: Any, path: str | None = None, zarr_format: int | None = None) -> Any:
    """An array's values as numpy, or a group's arrays as a lazy mapping of them."""
    store_, path_ = make_store(store, mode="r", path=path)
    return _conv.load(store_, path=path_)


def tree(grp: Any, expand: bool | None = None, level: int | None = None) -> Any:
    return grp.tree(expand=expand, level=level)


def consolidate_metadata(store: Any, path: str | None = None, zarr_format: int | None = None) -> Group:
    """Write the hierarchy's metadata into its root document; return the root group."""
    store_, path_ = make_store(store, path=path)
    _conv.consolidate_metadata(store_, path=path_)
    return Group(store_, path_)


def create_hierarchy(*, store: Any, nodes: Mapping[str, Any], overwrite: bool = False) -> Iterator[
        tuple[str, Array | Group]]:
    """Create the groups and arrays that ``nodes`` ({path: GroupMetadata or ArrayV3Metadata}) describe,
    and the groups above them; yield ``(path, node)`` for each."""
    from zarr5.api3.metadata import ArrayV2Metadata, GroupMetadata
    from zarr5.core.hierarchy import init_array
    from zarr5.metadata.v3 import ArrayMetadataV3

    store_, _ = make_store(store, mode="w" if overwrite else "a")
    wanted = {k.strip("/"): v for k, v in nodes.items()}
    for path in list(wanted):
        parts = path.split("/") if path else []
        for depth in range(len(parts)):
            wanted.setdefault("/".join(parts[:depth]), None)  # implicit parent groups
    for path in sorted(wanted, key=lambda p: (p.count("/") + bool(p), p)):
        meta = wanted[path]
        if meta is None or isinstance(meta, GroupMetadata):
            fmt = meta.zarr_format if meta is not None else 3
            attrs = dict(meta.attributes) if meta is not None else None
            yield path, open_group(store_, mode="w" if overwrite else "a", path=path, zarr_format=fmt,
                                   attributes=attrs)
        elif isinstance(meta, ArrayV2Metadata):
            raise TypeError(f"create_hierarchy: {path!r}: Zarr v2 array metadata is not supported here")
        else:
            engine = ArrayMetadataV3.decode(meta.to_dict())
            init_array(store_, engine, path=path, overwrite=overwrite)
            yield path, Array(store_, path)


def open_consolidated(store: Any, *args: Any, **kwargs: Any) -> Group:
    kwargs.pop("use_consolidated", None)
    return open_group(store, *args, **kwargs)
