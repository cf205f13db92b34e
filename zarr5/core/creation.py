"""Creating arrays in a store: argument normalisation shared by the API functions and Group methods."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
from numcodecs.abc import Codec
from numcodecs.registry import codec_registry

from zarr5 import storage
from zarr5.codecs.v3.objects import V3Codec
from zarr5.core.array import Array
from zarr5.core.hierarchy import init_array
from zarr5.errors import BadCompressorError
from zarr5.metadata.chunks import normalize_chunks, normalize_shape
from zarr5.metadata.dtypes import normalize_dtype, normalize_fill_value
from zarr5.metadata.v2 import ArrayMetadata
from zarr5.metadata.v3 import ArrayMetadataV3, build_v3_metadata, parse_chunk_key_encoding
from zarr5.metadata.v3_codecs import codec_from_numcodecs
from zarr5.storage import Store

_OBJECT_CODEC_IDS = {"vlen-utf8", "vlen-bytes", "vlen-array", "json2", "json", "msgpack2", "msgpack",
                     "pickle", "categorize"}


def _compressor_config(compressor: Any) -> dict | None:
    if compressor == "default":
        compressor = storage.default_compressor
    if compressor is None:
        return None
    if not isinstance(compressor, Codec):
        raise BadCompressorError(compressor)
    return compressor.get_config()


def _filters_config(dtype: Any, filters: Any, object_codec: Any) -> tuple[dict, ...] | None:
    filters = list(filters or [])
    for f in filters:
        if not isinstance(f, Codec):
            raise TypeError(f"filters must be numcodecs Codec objects, not {type(f).__name__}: {f!r}")
    if dtype.hasobject:
        has_object_codec = bool(filters) and filters[0].codec_id in _OBJECT_CODEC_IDS
        if object_codec is not None:
            if has_object_codec and filters[0].get_config() != object_codec.get_config():
                raise ValueError(f"object_codec {object_codec!r} conflicts with the object filter "
                                 f"{filters[0]!r}")
            if not has_object_codec:
                filters.insert(0, object_codec)
        elif not filters:
            raise ValueError("missing object_codec for object array")
        else:
            # zarr 2 takes the object codec from the filters, and warns that it will stop doing so
            warnings.warn("missing object_codec for object array; this will raise a ValueError in version "
                          "3.0", FutureWarning, stacklevel=4)
            if not has_object_codec:
                raise ValueError(f"missing object_codec for object array: the first filter, {filters[0]!r}, "
                                 f"cannot encode objects")
    elif object_codec is not None:
        warnings.warn("an object_codec is only needed for object arrays", stacklevel=4)
    return tuple(f.get_config() for f in filters) or None


def build_metadata(shape: Any, chunks: Any = True, dtype: Any = None, compressor: Any = "default",
                   fill_value: Any = 0, order: str = "C", filters: Any = None, object_codec: Any = None,
                   dimension_separator: str | None = None, store: Any = None, zarr_format: int | None = None,
                   shards: Any = None, dimension_names: Any = None,
                   chunk_key_encoding: Any = None, codecs: Any = None,
                   attributes: Mapping[str, Any] | None = None) -> ArrayMetadata | ArrayMetadataV3:
    """Return validated metadata for a new array from zarr-2 creation arguments.

    ``zarr_format=3`` makes a Zarr v3 array; ``shards``, ``dimension_names``, ``chunk_key_encoding``,
    ``codecs`` and ``attributes`` (its first attributes, kept in its zarr.json; a v2 array keeps them
    in its .zattrs, which the caller writes) apply to v3 only (``codecs`` alone implies v3).
    ``codecs`` is the whole chain (of the inner chunks when ``shards`` is given): codec objects,
    ``{"name": ..., "configuration": ...}`` documents or names; a bad one raises ValueError (or
    TypeError) naming it.
    """
    if codecs is not None:
        if zarr_format == 2:
            raise ValueError("codecs= needs zarr_format=3 (Zarr v2 arrays take compressor= and filters=)")
        zarr_format = 3
    shape = normalize_shape(shape)
    dtype, object_codec = normalize_dtype(dtype, object_codec, filters=filters)
    chunks = normalize_chunks(chunks, shape, dtype.itemsize)
    if order not in ("C", "F"):
        raise ValueError(f"order must be 'C' or 'F', not {order!r}")
    if zarr_format not in (None, 2, 3):
        raise ValueError(f"zarr_format must be 2 or 3, not {zarr_format!r}")
    if zarr_format == 3:
        if dtype.hasobject:
            # v3 holds one kind of object item: variable-length strings (the 'string' data type); the
            # object codec may come as the only filter, as zarr-2 allows
            if filters and len(filters) == 1 and (object_codec is None
                                                  or filters[0].get_config() == object_codec.get_config()):
                object_codec, filters = filters[0], None
            if object_codec is None or object_codec.codec_id != "vlen-utf8" or filters:
                raise ValueError(f"dtype {dtype} (objects) has no Zarr v3 data type other than strings "
                                 f"(dtype=str, or object_codec=VLenUTF8()); use zarr_format=2 for other "
                                 f"objects")
            if shards is not None:
                raise ValueError("strings cannot be sharded in Zarr v3 by this library; leave out shards")
        if compressor is not None and compressor != "default" and not isinstance(compressor, (Codec, dict)):
            raise BadCompressorError(compressor)
        encoding = key_encoding(chunk_key_encoding, dimension_separator)
        shards, index_location = _shards(shards)
        chain = None
        if codecs is not None:
            chain = codec_documents(codecs, dtype)
            compressor = None if compressor == "default" else compressor
        return build_v3_metadata(shape, chunks, dtype, fill_value, compressor=compressor, filters=filters,
                                 codecs=chain, order=order, dimension_names=dimension_names,
                                 chunk_key_encoding=encoding, shards=shards, index_location=index_location,
                                 attributes=attributes)
    for name, value in (("shards", shards), ("dimension_names", dimension_names),
                        ("chunk_key_encoding", chunk_key_encoding)):
        if value is not None:
            raise ValueError(f"{name}= needs zarr_format=3 (Zarr v2 has no {name.replace('_', ' ')})")
    store_separator = getattr(store, "_dimension_separator", None)
    if dimension_separator is None:
        dimension_separator = store_separator
    elif store_separator not in (None, dimension_separator):
        # the store lays its chunks out one way (nested, flat): an array may not say otherwise (zarr-2)
        raise ValueError(f"dimension_separator {dimension_separator!r} conflicts with the store's "
                         f"separator {store_separator!r}")
    explicit_separator = dimension_separator is not None
    if shape == ():
        compressor = None  # one value: nothing to gain from compressing it (zarr-2 does the same)
    return ArrayMetadata(
        shape=shape,
        chunks=chunks,
        dtype=dtype,
        compressor=_compressor_config(compressor),
        fill_value=normalize_fill_value(fill_value, dtype),
        order="F" if order == "F" else "C",  # checked above
        filters=_filters_config(dtype, filters, object_codec),
        dimension_separator=dimension_separator or ".",
        explicit_separator=explicit_separator,
    )


def codec_documents(codecs: Any, dtype: np.dtype, what: str = "codecs") -> list[Any]:
    """Return ``codecs`` (one or a list of codec objects, documents or names) as v3 codec documents.

    Objects fill in what they leave to the array's ``dtype`` (blosc typesize and shuffle, bytes endian);
    a numcodecs Blosc, GZip or Zstd becomes its v3 codec, another numcodecs codec ``numcodecs.<id>``
    (as zarr-python 3 writes it). Documents pass as they are, for
    :func:`~zarr5.metadata.v3_codecs.parse_codecs` to check; anything else raises TypeError naming it.
    """
    items = [codecs] if isinstance(codecs, (V3Codec, Mapping, str, Codec)) else list(codecs)
    out: list[Any] = []
    for i, item in enumerate(items):
        if isinstance(item, V3Codec):
            out.append(item.for_dtype(dtype).to_dict())
        elif isinstance(item, Mapping):
            out.append(dict(item))
        elif isinstance(item, str):
            out.append({"name": item})
        elif isinstance(item, Codec):
            try:
                out.append(codec_from_numcodecs(item, dtype.itemsize))
            except ValueError:
                # no core v3 codec: zarr-python 3's spelling of a numcodecs codec inside a v3 chain
                config = {k: v for k, v in item.get_config().items() if k != "id"}
                out.append({"name": f"numcodecs.{item.codec_id}", "configuration": config})
        else:
            raise TypeError(f"{what}[{i}]: {item!r} is not a Zarr v3 codec (a codec object, a "
                            f"{{'name': ..., 'configuration': ...}} document or a codec name)"[:300])
    return out


def key_encoding(value: Any, dimension_separator: str | None = None) -> tuple[str, str]:
    """Return ``(name, separator)`` of a v3 chunk key encoding given as a name, a tuple, zarr-python 3's
    ``{'name': 'v2', 'separator': '.'}`` or a ``{'name': ..., 'configuration': {...}}`` document."""
    if value is None:
        return ("v2", dimension_separator) if dimension_separator else ("default", "/")
    if isinstance(value, tuple) and len(value) == 2:
        value = {"name": value[0], "configuration": {"separator": value[1]}}
    elif isinstance(value, Mapping) and "separator" in value:
        value = {"name": value.get("name"), "configuration": {"separator": value["separator"]}}
    elif hasattr(value, "to_dict"):
        value = value.to_dict()
    return parse_chunk_key_encoding(value)


def _shards(shards: Any) -> tuple[Any, str]:
    # zarr-python 3 also takes {'shape': (...), 'index_location': 'start'}
    if isinstance(shards, Mapping):
        unknown = set(shards) - {"shape", "index_location"}
        if unknown or "shape" not in shards:
            raise ValueError(f"shards {dict(shards)!r} must be a shape or {{'shape': ..., "
                             f"'index_location': 'start' | 'end'}}")
        return shards["shape"], shards.get("index_location", "end")
    return shards, "end"


# the keywords that describe a new array's metadata; others are zarr-2's to translate or ignore
# (``attributes`` is zarr5's own, for callers writing a v3 array's attributes with it)
_META_KEYWORDS = frozenset(inspect.signature(build_metadata).parameters) - {"store", "attributes"}


def _compression_codec(compression: Any, opts: Any) -> Any:
    """h5py's ``compression=`` / ``compression_opts=`` as a numcodecs compressor (zarr-2's reading)."""
    if compression is None or compression == "none":
        return None
    if compression == "default":
        return "default"
    if isinstance(compression, str):
        try:
            codec_cls = codec_registry[compression]
        except KeyError:
            raise ValueError(f"bad value for compression: {compression!r} is no known codec id") from None
        if isinstance(opts, dict):
            return codec_cls(**opts)
        if isinstance(opts, (list, tuple)):
            return codec_cls(*opts)
        return codec_cls() if opts is None else codec_cls(opts)
    if hasattr(compression, "get_config"):
        return compression  # a codec given as compression=, taken as zarr 2 does
    raise ValueError(f"bad value for compression: {compression!r}")


def compat_kwargs(kwargs: dict[str, Any], stacklevel: int = 3) -> dict[str, Any]:
    """Creation keywords read as zarr 2 reads them: h5py's ``compression``, ``compression_opts`` and
    ``fillvalue`` translated; any other keyword it does not know warned about and ignored."""
    kwargs = dict(kwargs)
    if kwargs.get("compressor", "default") != "default":
        for name in ("compression", "compression_opts"):
            if name in kwargs:
                del kwargs[name]
                warnings.warn(f"{name!r} keyword argument overridden by 'compressor'", stacklevel=stacklevel)
    elif "compression" in kwargs:
        opts = kwargs.pop("compression_opts", None)
        kwargs["compressor"] = _compression_codec(kwargs.pop("compression"), opts)
    if "fillvalue" in kwargs:
        kwargs["fill_value"] = kwargs.pop("fillvalue")
    kwargs.pop("meta_array", None)  # zarr 2 takes it; numpy is the only array type zarr5 returns
    for name in [k for k in kwargs if k not in _META_KEYWORDS]:
        del kwargs[name]
        warnings.warn(f"ignoring keyword argument {name!r}", stacklevel=stacklevel)
    return kwargs


def create_array(store: Store, *, path: str = "", overwrite: bool = False, chunk_store: Store | None = None,
                 synchronizer: Any = None, cache_metadata: bool = True, cache_attrs: bool = True,
                 read_only: bool = False, write_empty_chunks: bool = True, array_class: type[Array] = Array,
                 allow_pickle: bool | None = None, **meta_kwargs: Any) -> Array:
    """Write a new array's metadata at ``path`` and return it open as ``array_class`` (unknown keywords
    warned about and ignored, as zarr 2 does)."""
    meta = build_metadata(store=store, **compat_kwargs(meta_kwargs, stacklevel=4))
    known = _write_array_metadata(store, meta, path, overwrite, chunk_store)
    return array_class(store, path, read_only=read_only, chunk_store=chunk_store, synchronizer=synchronizer,
                       cache_metadata=cache_metadata, cache_attrs=cache_attrs,
                       write_empty_chunks=write_empty_chunks,
                       # the caller chose the codecs, Pickle among them or not
                       allow_pickle=True if uses_pickle(meta) else allow_pickle, _known=known)


def create_array_metadata(store: Store, *, path: str = "", overwrite: bool = False,
                          chunk_store: Store | None = None, room_checked: bool = False,
                          attributes: dict | None = None, **meta_kwargs: Any) -> tuple | None:
    """Write a new array's metadata at ``path``, as :func:`create_array` does, without opening it:
    return what an Array opened on it takes as ``_known`` (metadata, document, key), or None when the
    store rewrites documents (the Array then reads it back). ``room_checked``: see ``init_array``;
    ``attributes``: the array's first attributes, written with it (in a v3 array's zarr.json, as a v2
    array's .zattrs)."""
    meta = build_metadata(store=store, attributes=attributes, **compat_kwargs(meta_kwargs, stacklevel=4))
    return _write_array_metadata(store, meta, path, overwrite, chunk_store, room_checked,
                                 attributes if isinstance(meta, ArrayMetadata) else None)


def _write_array_metadata(store: Store, meta: Any, path: str, overwrite: bool, chunk_store: Store | None,
                          room_checked: bool = False, attributes: dict | None = None) -> tuple | None:
    key, document = init_array(store, meta, path=path, overwrite=overwrite, chunk_store=chunk_store,
                               room_checked=room_checked, attributes=attributes)
    return None if getattr(store, "rewrites_documents", False) else (meta, document, key)


def uses_pickle(meta: ArrayMetadata | ArrayMetadataV3) -> bool:
    """Whether the array's codecs include Pickle (allowed when the caller created the array)."""
    if isinstance(meta, ArrayMetadataV3):
        return False
    configs = list(meta.filters or ()) + ([meta.compressor] if meta.compressor else [])
    return any(c.get("id") == "pickle" for c in configs)


def like_kwargs(a: Any, kwargs: dict) -> dict:
    """Fill ``kwargs`` with the shape, chunks, dtype and codecs of ``a`` where not given."""
    out = dict(kwargs)
    out.setdefault("shape", getattr(a, "shape", None) if hasattr(a, "shape") else len(a))
    chunks = getattr(a, "chunks", None)
    if chunks is None and getattr(a, "chunklen", None) is not None:
        chunks = (a.chunklen,) + tuple(a.shape[1:])  # a bcolz carray's chunks
    if chunks is not None:
        out.setdefault("chunks", chunks)
    if hasattr(a, "dtype"):
        out.setdefault("dtype", a.dtype)
    if isinstance(a, Array):
        out.setdefault("compressor", a.compressor)
        out.setdefault("order", a.order)
        out.setdefault("filters", a.filters)
    else:
        out.setdefault("order", getattr(a, "order", "C") if getattr(a, "order", "C") in ("C", "F") else "C")
    return out


def array_from_data(store: Store, data: Any, **kwargs: Any) -> Array:
    """Create an array shaped and typed like ``data`` and write ``data`` into it."""
    if not hasattr(data, "shape") or not hasattr(data, "dtype"):
        data = _asarray(data, kwargs.get("dtype"))
    kwargs = dict(kwargs)
    kwargs.setdefault("shape", data.shape)
    if kwargs.get("dtype") is None:  # dtype=None, as zarr 2 reads it: the data's own
        kwargs["dtype"] = data.dtype
    chunks = getattr(data, "chunks", None)
    if chunks is None and getattr(data, "chunklen", None) is not None:
        chunks = (data.chunklen,) + tuple(data.shape[1:])  # a bcolz carray's chunks, as zarr 2 reads them
    if "chunks" not in kwargs and chunks is not None:
        kwargs["chunks"] = chunks
    read_only = kwargs.pop("read_only", False)  # the data goes in first; read-only applies after
    z = create_array(store, **kwargs)
    if z.size:
        z[...] = data
    z.read_only = read_only
    return z


def _asarray(data: Any, dtype: Any) -> Any:
    if dtype is None:
        return np.asarray(data)
    if dtype in (str, bytes, object, "O", "|O") or (isinstance(dtype, str) and dtype.startswith("array:")):
        return np.asarray(data, dtype=object)
    return np.asarray(data, dtype=normalize_dtype(dtype)[0])
