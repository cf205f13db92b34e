"""Creating datasets the h5py way: argument checks, dtype guessing, layout, filters, fill value."""

from __future__ import annotations

import functools
import warnings
from contextlib import nullcontext
from typing import Any

import numcodecs
import numpy as np

from zarr5.core.chunkcache import parse_settings
from zarr5.core.creation import create_array_metadata
from zarr5.h5 import filters as h5filters
from zarr5.h5.attrs import item_type
from zarr5.h5.base import R_EMPTY, R_FILTERS, R_H5TYPE, R_LAYOUT, R_MAXSHAPE, R_TRACK, Empty, FileState
from zarr5.h5.dataset import Dataset
from zarr5.h5.dtypes import check_string_dtype, check_vlen_dtype, special_dtype, string_dtype, to_zarr
from zarr5.h5.h5config import get_config
from zarr5.h5.refs import Reference, RegionReference
from zarr5.metadata.chunks import guess_chunks
from zarr5.metadata.v3_dtypes import normalize_dtype_v3

__all__ = ["H5pyDeprecationWarning", "make_dataset"]

_FILL_TIMES = ("ifset", "alloc", "never")
_INT = frozenset({int})
# keywords that only tune HDF5's library or file layout (rdcc_*: the chunk cache): nothing to store
_IGNORED = ("track_times", "rdcc_nbytes", "rdcc_w0", "rdcc_nslots", "efile_prefix", "virtual_prefix",
            "dcpl", "dapl", "allow_unknown_filter", "fill_time", "external")


class H5pyDeprecationWarning(UserWarning):
    """h5py's deprecation warning class (its spelling, so h5py programs can filter it)."""


def guess_dtype(data: Any) -> np.dtype | None:
    """h5py's dtype for python strings and bytes (vlen), else None (numpy decides)."""
    if type(data) is str:
        return string_dtype("utf-8")
    if type(data) is bytes:  # np.bytes_ (a subclass) means fixed-length, as in h5py
        return string_dtype("ascii")
    if isinstance(data, Reference):
        return special_dtype(ref=type(data))
    return None


def as_array(data: Any, dtype: np.dtype | None) -> tuple[np.ndarray, np.dtype]:
    """``data`` as an ndarray plus the h5py dtype a new dataset of it gets."""
    if dtype is None and type(data) is np.ndarray and data.dtype.kind not in "UO":
        return np.asarray(data, order="C"), data.dtype  # numbers, records or bytes: numpy's dtype
    if dtype is None:
        dtype = guess_dtype(data)
    if dtype is not None and dtype.kind == "O":
        arr = np.array(data, dtype=object) if type(data) in (str, bytes) else np.asarray(data, dtype=object)
        return arr, dtype
    if dtype is not None:
        return np.asarray(data, dtype=dtype, order="C"), dtype
    kind = item_type(data)
    if kind is not None:
        return np.asarray(data, dtype=object), string_dtype("utf-8" if kind is str else "ascii")
    arr = np.asarray(data, order="C")
    if arr.dtype.kind == "U":
        raise TypeError(f"No conversion path for dtype: {arr.dtype!r}")
    if arr.dtype.kind == "O":
        flat = list(arr.flat)
        if flat and all(isinstance(x, Reference) for x in flat):
            # references: region references when every one is, as h5py's guess
            kind = RegionReference if all(isinstance(x, RegionReference) for x in flat) else Reference
            return arr, special_dtype(ref=kind)
        if flat and all(isinstance(x, str) for x in flat):
            return arr, string_dtype("utf-8")
        if flat and all(isinstance(x, bytes) for x in flat):
            return arr, string_dtype("ascii")
        raise TypeError(f"Object dtype {arr.dtype} has no native HDF5 equivalent")
    return arr, arr.dtype


def _shape(shape: Any) -> tuple[int, ...]:
    if type(shape) is tuple and {*map(type, shape)} <= _INT:
        return shape  # plain ints already (a new array's own shape)
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(n) for n in shape)


def _maxshape(maxshape: Any, shape: tuple[int, ...]) -> tuple | None:
    if maxshape is None:
        return None
    if isinstance(maxshape, (int, np.integer)):
        maxshape = (int(maxshape),)
    maxshape = tuple(None if m is None else int(m) for m in maxshape)
    if len(maxshape) != len(shape):
        raise ValueError(f"Dimensionality of maxshape {maxshape} does not match shape {shape}")
    for n, m in zip(shape, maxshape):
        if m is not None and m < n:
            raise ValueError(f"Maximum shape {maxshape} must not be smaller than the shape {shape}")
    return maxshape


def _chunks(chunks: Any, shape: tuple[int, ...], maxshape: tuple | None, dtype: np.dtype,
            need_chunks: bool) -> tuple[tuple[int, ...], bool]:
    """(storage chunks, contiguous?) -- contiguous datasets are still chunked in the store."""
    itemsize = max(dtype.itemsize, 1)
    if isinstance(chunks, (int, np.integer)) and not isinstance(chunks, bool):
        chunks = (int(chunks),)
    if chunks is False and need_chunks:
        raise ValueError("Chunked format required for given storage options")
    if chunks not in (None, False, True):
        if not shape:
            raise TypeError("Scalar datasets cannot be chunked")
        chunks = tuple(int(c) for c in chunks)
        if len(chunks) != len(shape):
            raise ValueError(f"Chunk shape {chunks} must have the same rank as the data shape {shape}")
        if any(c <= 0 for c in chunks):
            raise ValueError(f"All chunk dimensions must be positive (got {chunks})")
        for n, c, m in zip(shape, chunks, maxshape or shape):
            if m is not None and c > n and c > m:
                raise ValueError(f"Chunk shape must not be greater than data shape in any dimension. "
                                 f"{chunks} is not compatible with {shape}")
        return chunks, False
    if chunks is True and not shape:
        raise TypeError("Scalar datasets cannot be chunked")
    return _auto_chunks(shape, maxshape, itemsize), not (chunks is True or need_chunks)


@functools.lru_cache(maxsize=256)
def _auto_chunks(shape: tuple[int, ...], maxshape: tuple | None, itemsize: int) -> tuple[int, ...]:
    # h5py's guess, no longer than a fixed axis (datasets are often made alike: a pure function, cached)
    auto = guess_chunks(tuple(max(n, 1) for n in shape), itemsize) if shape else ()
    return tuple(max(1, min(c, max(n, 1)) if (maxshape is None or maxshape[i] is not None) else c)
                 for i, (c, n) in enumerate(zip(auto, shape)))


_UNLIMITED = 2 ** 64 - 1


def _external(external: Any) -> list | None:
    """h5py's ``external`` argument checked and normalised to [[name, offset, size], ...]."""
    import os

    if external is None:
        return None
    if isinstance(external, (str, bytes, os.PathLike)):
        external = [(external, 0, _UNLIMITED)]
    out = []
    for entry in external:
        if not isinstance(entry, tuple):
            raise TypeError(f"external should be a list of tuples, not {entry!r}")
        if len(entry) != 3:
            raise ValueError(f"external entries must be (name, offset, size) tuples, not {entry!r}")
        name, offset, size = entry
        if not isinstance(offset, (int, np.integer)) or not isinstance(size, (int, np.integer)):
            raise TypeError(f"external offset and size must be integers: {entry!r}")
        out.append([os.fsdecode(name), int(offset), int(size)])
    return out


def _fill(fillvalue: Any, dtype: np.dtype) -> Any:
    if fillvalue is None:
        return None
    if dtype.names is not None and not isinstance(fillvalue, (np.void, np.ndarray, tuple)):
        raise ValueError(f"Fill value {fillvalue!r} cannot be converted to compound type {dtype}")
    try:
        return np.array(fillvalue, dtype=dtype)[()]
    except (TypeError, ValueError) as e:
        raise ValueError(f"Fill value {fillvalue!r} is not valid for dtype {dtype}: {e}") from None


def v3_dtype_problem(dtype: np.dtype) -> str | None:
    """Why a dataset of h5py dtype ``dtype`` cannot be stored in a Zarr v3 file, or None when it can."""
    zdtype, object_codec, _ = to_zarr(dtype.base if dtype.subdtype is not None else dtype)
    if zdtype.hasobject:
        if dtype.subdtype is None and getattr(object_codec, "codec_id", None) == "vlen-utf8":
            return None  # UTF-8 strings: Zarr v3's 'string' data type
        return (f"variable-length data other than UTF-8 strings ({dtype}) has no Zarr v3 data type; use "
                f"a fixed-size dtype, h5py.string_dtype() or a file made with zarr_format=2")
    base = zdtype.base if zdtype.subdtype is not None else zdtype
    try:
        if base.fields is not None:
            # v3's structured type (zarr-python 3's extension) is not used for HDF5 compound types
            raise ValueError("compound")
        normalize_dtype_v3(base)
    except ValueError:
        return (f"dtype {dtype} has no Zarr v3 core data type (v3 stores bool, integers, floats and "
                f"complex); use a file made with zarr_format=2")
    return None


def _check_v3(path: str, dtype: np.dtype, zdtype: np.dtype, pipeline: h5filters.Pipeline) -> None:
    """Refuse, naming the feature, what a dataset of a Zarr v3 file cannot store."""
    where = f"dataset {'/' + path!r} of a Zarr v3 file"
    problem = v3_dtype_problem(dtype)
    if problem is not None:
        raise TypeError(f"{where}: {problem}")
    refused = [name for name, on in (("shuffle", pipeline.shuffle), ("fletcher32", pipeline.fletcher32),
                                     ("scaleoffset", pipeline.scaleoffset is not None),
                                     ("lzf", pipeline.compression == "lzf")) if on]
    if refused:
        raise ValueError(f"{where}: the HDF5 filter(s) {', '.join(refused)} have no Zarr v3 codec; drop "
                         f"them (gzip and numcodecs Blosc/Zstd/GZip compressors work) or use a file made "
                         f"with zarr_format=2")


def make_dataset(state: FileState, path: str, shape: Any = None, dtype: Any = None, data: Any = None,
                 chunks: Any = None, maxshape: Any = None, compression: Any = None,
                 compression_opts: Any = None, shuffle: Any = None, fletcher32: Any = None,
                 scaleoffset: Any = None, fillvalue: Any = None, track_order: Any = None,
                 _parent: tuple[int, bool, bool] | None = None, **kwds: Any) -> Any:
    """Create the dataset at ``path`` from h5py's create_dataset arguments and return it.

    ``_parent``: what the caller has just found, having found no node at ``path``: (the parent's format,
    whether nothing at all is stored at ``path``, whether the parent is a stored group); the creation
    then probes none of it again."""
    codecs = kwds.pop("codecs", None)  # zarr5's own keyword: a Zarr v3 codec chain, v3 files only
    external = None
    if kwds:  # HDF5's tuning keywords, checked as h5py checks them
        unknown = set(kwds) - set(_IGNORED)
        if unknown:
            raise TypeError(f"create_dataset() got unexpected keyword arguments {sorted(unknown)}")
        if kwds.get("track_times") not in (None, True, False):
            raise TypeError(f"track_times must be either True or False, not {kwds['track_times']!r}")
        fill_time = kwds.get("fill_time")
        if fill_time is not None and (not isinstance(fill_time, str) or fill_time not in _FILL_TIMES):
            raise ValueError(f"fill_time must be one of {_FILL_TIMES}, not {fill_time!r}")
        external = _external(kwds.get("external"))
    if dtype is not None and not isinstance(dtype, np.dtype):
        dtype = np.dtype(dtype.dtype) if hasattr(dtype, "dtype") and hasattr(dtype, "_kind") \
            else np.dtype(dtype)
    empty = False
    if isinstance(data, Empty):
        dtype, data, empty = data.dtype, None, True
    elif data is not None:
        arr, dtype = as_array(data, dtype)
        if shape is not None:
            shape = _shape(shape)
            if shape != arr.shape:
                if int(np.prod(shape)) != arr.size:
                    raise ValueError(f"Shape tuple is incompatible with data (shape {shape}, "
                                     f"data {arr.shape})")
                arr = arr.reshape(shape)
        data = arr
        shape = arr.shape if dtype.subdtype is None or arr.shape[-len(dtype.shape):] != dtype.shape \
            else arr.shape[:arr.ndim - len(dtype.shape)]
    elif shape is None:
        if dtype is None:
            raise TypeError("One of data, shape or dtype must be specified")
        empty = True
    if dtype is None:
        warnings.warn("Creating a dataset without a dtype or data is deprecated; the default float32 "
                      "will be removed in h5py 4.0", H5pyDeprecationWarning, stacklevel=3)
        dtype = np.dtype("f4")
    if empty:
        if chunks not in (None, False) or maxshape is not None:
            raise TypeError("Empty datasets don't have chunks or a maximum shape (Empty dataspace)")
        shape = ()
    shape = _shape(shape)
    zdtype, object_codec, type_record = to_zarr(dtype)
    if dtype.subdtype is not None:
        # HDF5 array types: the item shape becomes trailing axes of the zarr array
        shape = shape + dtype.shape
        zdtype = np.dtype(dtype.base.str) if dtype.base.names is None else dtype.base
        type_record = dict(type_record or {}, subarray=list(dtype.shape))
    maxshape = _maxshape(maxshape, shape[:len(shape) - len(dtype.shape)] if dtype.subdtype else shape)
    if maxshape is not None and dtype.subdtype is not None:
        maxshape = maxshape + dtype.shape
    pipeline, codec = h5filters.parse(zdtype if not zdtype.hasobject else np.dtype(object), compression,
                                      compression_opts, shuffle, fletcher32, scaleoffset)
    filtered = pipeline.any
    # HDF5 external storage is contiguous yet resizable; zarr5 keeps the data in the store
    need = (filtered or codec is not None or codecs is not None
            or (maxshape is not None and external is None))
    if need and not shape and not empty:
        raise TypeError("Scalar datasets don't support chunk/filter options")
    zchunks: tuple[int, ...]
    if empty:
        zchunks, contiguous = (), True
    else:
        zchunks, contiguous = _chunks(chunks, shape, maxshape, zdtype, need)
    zarr_format = state.format_of(path.rpartition("/")[0]) if _parent is None else _parent[0]
    vacant = _parent is not None and _parent[1]
    if codecs is not None:
        if zarr_format != 3:
            raise ValueError(f"codecs= (a Zarr v3 codec chain) needs a file made with zarr_format=3; "
                             f"dataset {'/' + path!r} is in a Zarr v2 file (use compression=)")
        if filtered or codec is not None:
            raise ValueError("give either codecs= or HDF5 filter keywords (compression, shuffle, "
                             "fletcher32, scaleoffset), not both")
    if zarr_format == 3:
        _check_v3(path, dtype, zdtype, pipeline)
    filters, compressor = h5filters.to_codecs(pipeline, zdtype, codec)
    if zarr_format == 3 and isinstance(compressor, numcodecs.Zlib):
        compressor = numcodecs.GZip(level=compressor.level)  # HDF5's gzip is v3's gzip codec
    fill = _fill(fillvalue, dtype if dtype.subdtype is None else dtype.base)
    extra = dict(type_record or {})
    if external is not None:
        extra["external"] = external
    if zdtype.hasobject:
        if check_vlen_dtype(dtype) is str:
            zfill = fill.decode("utf-8") if isinstance(fill, bytes) else (fill or "")
        else:
            zfill = None
            if fill not in (None, b""):
                extra["fillvalue"] = fill.decode("utf-8", "surrogateescape") if isinstance(fill, bytes) \
                    else str(fill)
    elif kwds.get("fill_time") == "never":
        zfill = None
    else:
        zfill = 0 if fill is None else fill
    if zdtype.kind == "S" and zfill == 0 and check_string_dtype(dtype) is not None:
        zfill = b""
    reserved: dict = {}
    if empty:
        reserved[R_EMPTY] = True
    if contiguous and shape:
        reserved[R_LAYOUT] = "contiguous"
    if maxshape is not None and maxshape != shape:
        reserved[R_MAXSHAPE] = list(maxshape)
    if filtered:
        reserved[R_FILTERS] = pipeline.record()
    if extra:
        reserved[R_H5TYPE] = extra
    if track_order if track_order is not None else get_config().track_order:  # h5py's default
        reserved[R_TRACK] = True
    # a new node's attributes are written with its metadata (v3: in its zarr.json, not written, read
    # back, decoded and written again; v2: its .zattrs, where none was stored to read and merge)
    with_attrs = bool(reserved) and _parent is not None and (zarr_format == 3 or vacant)
    # the metadata is written, not opened: the dataset opens on it below without reading it back
    known = create_array_metadata(state.store, path=path, shape=shape, chunks=zchunks, dtype=zdtype,
                                  compressor=compressor, filters=filters or None, object_codec=object_codec,
                                  fill_value=zfill, order="C",
                                  zarr_format=zarr_format if zarr_format == 3 else None, codecs=codecs,
                                  room_checked=_parent is not None and _parent[2],
                                  attributes=reserved if with_attrs else None)
    if with_attrs:
        if zarr_format == 3:
            state.forget_arrays(path, below=False)  # as a write of the node's attributes does
    elif reserved:
        state.attrs(path, zarr_format).set_reserved(reserved)
    if kwds and any(kwds.get(k) is not None for k in ("rdcc_nbytes", "rdcc_nslots", "rdcc_w0")):
        # h5py's per-dataset chunk cache keywords size this dataset's share of the File's cache
        state.chunk_cache.configure(path, parse_settings(kwds.get("rdcc_nbytes"), kwds.get("rdcc_nslots"),
                                                         kwds.get("rdcc_w0"), state.chunk_cache.settings))
    # the dataset opens on what was just written, without reading it back
    dset = Dataset(state, path, _known=known, _reserved=reserved)
    if data is not None and not empty and data.size:
        # numbers stored as they are (nothing for the vocabulary to convert) filling the one chunk
        # exactly go straight to the chunk I/O; anything else takes the general write
        plain = dtype.kind in "biufc" and dtype.metadata is None and dtype == zdtype and not extra
        engine = state.array(path)
        # the new array's small chunks wait with its pending metadata (both written at flush)
        keeping = state.documents.keeping_chunks(path) if state.documents is not None else nullcontext()
        with keeping:
            if not (plain and engine.set_whole_chunk(data)):
                with engine.metadata_held():
                    dset[...] = data
    return dset
