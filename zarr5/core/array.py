"""Array: a chunked, compressed N-dimensional array in a store (the zarr-2 vocabulary)."""

from __future__ import annotations

import contextlib
import hashlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from zarr5.codecs.pipeline import ChunkPipeline
from zarr5.core import paths
from zarr5.core.chunk_io import ChunkIO
from zarr5.core.info import array_info_items
from zarr5.core.metacache import codecs_for, decode_v2, decode_v3
from zarr5.core.node import Node
from zarr5.core.policy import pickle_allowed
from zarr5.core.sharding import ShardedChunkIO
from zarr5.core.values import _as_scalar, field_dtype, has_ellipsis, prepare_value
from zarr5.core.views import SelectionView, VectorView
from zarr5.errors import ArrayNotFoundError, ReadOnlyError
from zarr5.indexing import (
    BasicIndexer,
    BlockIndexer,
    ChunkProjection,
    CoordinateIndexer,
    MaskIndexer,
    OrthogonalIndexer,
    chunk_grid_shape,
    classify_selection,
    is_integer,
    pop_fields,
)
from zarr5.metadata.chunks import normalize_shape
from zarr5.metadata.v2 import ArrayMetadata
from zarr5.metadata.v3 import ZARR_JSON, ArrayMetadataV3
from zarr5.storage import Store, normalize_path
from zarr5.storage.resolve import normalize_store_arg

# every indexer has shape, out_shape and iterates over ChunkProjections
_INDEXERS: dict[str, type[BasicIndexer] | type[OrthogonalIndexer] | type[CoordinateIndexer]] = {
    "basic": BasicIndexer,
    "orthogonal": OrthogonalIndexer,
    "coordinate": CoordinateIndexer,
    "mask": MaskIndexer,
    "block": BlockIndexer,
}


class Array(Node):
    """A Zarr array at ``path`` in ``store``.

    Parameters follow zarr-python 2's ``zarr.core.Array``: ``store``, ``path``, ``read_only``,
    ``chunk_store`` (chunks kept apart from metadata), ``synchronizer``, ``cache_metadata``,
    ``cache_attrs``, ``write_empty_chunks``. ``allow_pickle`` must be set to read arrays whose
    codecs include Pickle, which runs code on read; left as None, the vocabulary decides (zarr5's own
    refuses, the zarr-2 vocabulary's subclass follows ``zarr5.config``'s ``zarr2_allow_pickle``).

    A vocabulary with zarr-python 2's stricter rules subclasses it (``zarr5.api.zarr2.Array``):
    here written values broadcast as in numpy, and slices may step backwards.
    """

    # whether Pickle is decoded when the caller did not say (zarr5's own vocabulary: never)
    _zarr2_pickle_policy = False

    def __init__(self, store: Store, path: str | None = None, read_only: bool = False,
                 chunk_store: Store | None = None, synchronizer: Any = None, cache_metadata: bool = True,
                 cache_attrs: bool = True, partial_decompress: bool = False, write_empty_chunks: bool = True,
                 zarr_version: int | None = None, meta_array: Any = None, *,
                 allow_pickle: bool | None = None, _known: tuple[Any, bytes | None, str] | None = None,
                 _chunk_cache: Any = None, _revalidate: bool = False) -> None:
        # a plain mapping (a dict) or a path is made a store, as zarr 2 does; a Store is taken as it is
        self._store = store if isinstance(store, Store) else normalize_store_arg(store)
        self._chunk_store = (chunk_store if chunk_store is None or isinstance(chunk_store, Store)
                             else normalize_store_arg(chunk_store))
        # the h5py vocabulary's per-File chunk cache (zarr5.core.chunkcache.FileChunkCache), else None
        self._chunk_cache = _chunk_cache
        self._path = normalize_path(path)
        self._read_only = bool(read_only)
        self._synchronizer = synchronizer
        self._cache_metadata = cache_metadata
        self._write_empty_chunks = write_empty_chunks
        self._allow_pickle = allow_pickle
        self._raw: bytes | None = None
        self._meta_key = ""
        self._held = False  # inside metadata_held(): no re-reads
        # ``_revalidate`` (the h5py vocabulary): a re-read first asks the store for a cheap token of the
        # document (a directory store's stat) and reads nothing while it is unchanged
        self._token_of = getattr(self._store, "stat_token", None) if _revalidate else None
        self._token: Any = None
        if _known is None:
            self._load_metadata()
        else:
            # just written by the caller (creation): no need to read the document back
            meta, raw, self._meta_key = _known
            self._set_metadata(meta, raw)
            if self._token_of is not None:
                self._token = self._token_of(self._meta_key)
        self._init_attrs(self._meta.zarr_format, cache_attrs)

    # metadata
    def _load_metadata(self) -> None:
        token = None
        if self._token_of is not None and self._meta_key:
            # taken before the read: a write landing in between makes the next check read again
            token = self._token_of(self._meta_key)
            if token is not None and token == self._token:
                return  # the document's file is unchanged: nothing read
        self._token = token
        p = paths.prefix(self._path)
        known_key, known_raw = self._meta_key, self._raw
        try:
            self._meta_key = p + paths.ARRAY_KEY
            raw = self._store[self._meta_key]
            if self._meta_key == known_key and raw == known_raw:
                return  # the document is unchanged: keep its metadata, codecs and chunk I/O
            meta: ArrayMetadata | ArrayMetadataV3 = decode_v2(raw, self._meta_key)
        except KeyError:
            self._meta_key = p + ZARR_JSON
            try:
                raw = self._store[self._meta_key]
            except KeyError:
                raise ArrayNotFoundError(self._path) from None
            if self._meta_key == known_key and raw == known_raw:
                return
            node = decode_v3(raw, self._meta_key)
            if not isinstance(node, ArrayMetadataV3):
                raise ArrayNotFoundError(self._path) from None
            meta = node
        self._set_metadata(meta, raw)

    def _set_metadata(self, meta: ArrayMetadata | ArrayMetadataV3, raw: bytes | None = None) -> None:
        self._meta = meta
        self._raw = raw  # the stored document this was decoded from (None: not known)
        allow_pickle = pickle_allowed(self._allow_pickle, self._zarr2_pickle_policy)
        filters, self._compressor, pipeline = codecs_for(meta, raw, allow_pickle, self._meta_key)
        if isinstance(meta, ArrayMetadata) and filters:
            # a structured fill value holding objects is decoded by the object codec just allowed
            meta = self._meta = meta.with_object_fill(filters[0])
        self._codec_filters = list(filters)
        io_class = ShardedChunkIO if getattr(pipeline, "sharding", None) is not None else ChunkIO
        self._io = io_class(self.chunk_store, self._path, meta, pipeline, self._synchronizer,
                            self._write_empty_chunks)
        if self._chunk_cache is not None and io_class is ChunkIO:
            self._io.cache = self._chunk_cache.for_array(self._path, self._io)
        # indexing works on the chunks a reader decodes: a shard's inner chunks for sharded arrays
        self._grid_chunks = self._io.read_chunks

    @property
    def _filters(self) -> list:
        """The filter codecs chunks go through (zarr 2's private name, which its users reach for)."""
        return self._codec_filters

    @_filters.setter
    def _filters(self, filters: Any) -> None:
        # as in zarr 2, this open array alone encodes and decodes with other filters from now on
        # (the metadata are not rewritten); object arrays then need an object codec among them
        meta = self._meta
        if isinstance(meta, ArrayMetadataV3):
            raise TypeError("a Zarr v3 array has a codec chain, not v2 filters")
        self._codec_filters = list(filters or ())
        self._io.pipeline = ChunkPipeline(meta.dtype, meta.chunks, meta.order, self._codec_filters or None,
                                          self._compressor)

    def _check_value(self, kind: str, value: Any, shape: tuple[int, ...]) -> Any:
        """Return the value to write to a ``kind`` selection of ``shape`` (numpy's result shape); here
        as given, for numpy's broadcasting. A vocabulary with stricter rules refuses values here."""
        return value

    def _refresh_metadata(self) -> None:
        if not self._cache_metadata and not self._held:
            self._load_metadata()

    @property
    def known_metadata(self) -> tuple[ArrayMetadata | ArrayMetadataV3, bytes | None, str]:
        """``(metadata, stored bytes, key)`` as last read, without reading the store again: the bytes
        are None when not known. Another Array opened on this node takes it as ``_known``, so a node
        just written is not read back."""
        return self._meta, self._raw, self._meta_key

    def metadata_held(self) -> _HeldMetadata:
        """``with array.metadata_held(): ...``: an array that re-reads its metadata on every access
        (``cache_metadata=False``) reads it once on entry and uses that copy until the block ends, so
        one operation sees one shape throughout and reads the document once."""
        return _HeldMetadata(self)

    def _write_metadata(self, meta: ArrayMetadata | ArrayMetadataV3) -> None:
        self._check_writable()
        if isinstance(meta, ArrayMetadataV3):
            # zarr.json also holds the attributes: keep the ones stored now, not the cached ones
            self._attrs.refresh()
            meta = meta.with_attributes(self._attrs._document())
        elif not meta.explicit_separator:
            # zarr-2 names the separator in every .zarray it rewrites; do the same so the bytes agree
            meta = meta.replace(explicit_separator=True)
        self._store[self._meta_key] = meta.encode()
        self._set_metadata(meta)
        if self._token_of is not None:
            self._token = self._token_of(self._meta_key)  # what was just written is current

    def _check_writable(self) -> None:
        if self._read_only:
            raise ReadOnlyError(f"array {self.name or '/'!r} is read-only")

    # identity (store, chunk_store, path, synchronizer, attrs come from Node)
    @property
    def name(self) -> str | None:
        return paths.display_name(self._path) if self._path else None

    @property
    def basename(self) -> str | None:
        return paths.basename(self._path) if self._path else None

    @property
    def read_only(self) -> bool:
        return self._read_only

    @read_only.setter
    def read_only(self, value: bool) -> None:
        self._read_only = bool(value)
        self._attrs.read_only = bool(value)

    @property
    def meta(self) -> ArrayMetadata | ArrayMetadataV3:
        """The array's metadata document (a frozen dataclass; ArrayMetadataV3 for a Zarr v3 array)."""
        self._refresh_metadata()
        return self._meta

    # shape and type
    @property
    def shape(self) -> tuple[int, ...]:
        return self.meta.shape

    @shape.setter
    def shape(self, value: Any) -> None:
        self.resize(value)

    @property
    def chunks(self) -> tuple[int, ...]:
        self._refresh_metadata()
        return self._grid_chunks

    @property
    def shards(self) -> tuple[int, ...] | None:
        """The shard shape of a sharded (Zarr v3) array, else None."""
        meta = self.meta
        return meta.chunks if self._grid_chunks != meta.chunks else None

    @property
    def zarr_format(self) -> int:
        return self.meta.zarr_format

    @property
    def codecs(self) -> tuple[dict, ...] | None:
        """The v3 codec chain (None for Zarr v2 arrays, which have ``filters`` and ``compressor``)."""
        meta = self.meta
        return meta.codecs if isinstance(meta, ArrayMetadataV3) else None

    @property
    def dimension_names(self) -> tuple[str | None, ...] | None:
        meta = self.meta
        return meta.dimension_names if isinstance(meta, ArrayMetadataV3) else None

    @property
    def dtype(self) -> np.dtype:
        return self.meta.dtype

    @property
    def compressor(self) -> Any:
        self._refresh_metadata()
        return self._compressor

    @property
    def filters(self) -> list | None:
        self._refresh_metadata()
        return list(self._codec_filters) if self._codec_filters else None

    @property
    def fill_value(self) -> Any:
        return self.meta.fill_value

    @fill_value.setter
    def fill_value(self, value: Any) -> None:
        from zarr5.metadata.dtypes import normalize_fill_value

        self._write_metadata(self.meta.replace(fill_value=normalize_fill_value(value, self.dtype)))

    @property
    def order(self) -> str:
        return self.meta.order

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)  # exact: an int64 product wraps for huge virtual arrays

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.size * self.itemsize

    @property
    def nbytes_stored(self) -> int:
        """Bytes held in the store for this array: metadata, attributes and chunks."""
        total = self._store.getsize(self._path)
        if self._chunk_store is not None and self._chunk_store is not self._store:
            total += self._chunk_store.getsize(self._path)
        return total

    @property
    def cdata_shape(self) -> tuple[int, ...]:
        # a 0-d array is one chunk, which zarr 2 counts along one axis
        return chunk_grid_shape(self.shape, self.chunks) if self.shape else (1,)

    @property
    def nchunks(self) -> int:
        return math.prod(self.cdata_shape)

    @property
    def nchunks_initialized(self) -> int:
        self._refresh_metadata()
        return self._io.count_initialized()

    @property
    def initialized(self) -> int:
        return self.nchunks_initialized

    @property
    def write_empty_chunks(self) -> bool:
        return self._write_empty_chunks

    @property
    def is_view(self) -> bool:
        return False

    # reading
    def __getitem__(self, selection: Any) -> Any:
        fields, selection = pop_fields(selection)
        keep_0d = has_ellipsis(selection)
        kind, selection = classify_selection(selection, self.shape)
        return self._get(kind, selection, fields=fields, keep_0d=keep_0d)

    def _get(self, kind: str, selection: Any, out: np.ndarray | None = None, fields: Any = None,
             keep_0d: bool | None = None) -> Any:
        self._refresh_metadata()
        indexer = _INDEXERS[kind](selection, self._meta.shape, self._grid_chunks)
        out_dtype = field_dtype(self._meta.dtype, fields)
        if out is not None:
            target = out
            expected = indexer.shape
            if target.shape[:len(expected)] != tuple(expected):
                raise ValueError(f"out has shape {target.shape}, the selection needs {indexer.shape}")
            buffer = target.reshape(indexer.out_shape + target.shape[len(expected):]) \
                if indexer.out_shape != indexer.shape else target
        else:
            buffer = np.empty(indexer.out_shape, dtype=out_dtype, order=self._meta.order)
        self._io.read(indexer, buffer, fields, fresh=out is None)
        result = buffer.reshape(indexer.shape + buffer.shape[len(indexer.out_shape):]) \
            if indexer.out_shape != indexer.shape else buffer
        if out is not None:
            if result is not out and not np.shares_memory(result, out):
                out[...] = result
            return out
        if keep_0d is None:
            keep_0d = has_ellipsis(selection)
        if result.ndim == 0 and not keep_0d:
            return result[()]  # numpy: a[()] and a[i, j] give scalars, a[...] a 0-d array
        return result

    # one chunk's block, from the chunk cache: ints and step-1 slices that stay inside one chunk
    def _one_chunk_block(self, selection: tuple) -> tuple[tuple, tuple, bool, tuple] | None:
        """``(chunk coords, selection inside the chunk, whether it covers the chunk's stored part,
        result shape)`` for a selection of ints and step-1 slices (missing trailing axes: whole) that
        lies in one chunk and is not empty; None for anything else."""
        shape, chunks = self._meta.shape, self._grid_chunks
        if not shape or len(selection) > len(shape) or len(chunks) != len(shape):
            return None
        if len(selection) == 1 == len(shape) and type(selection[0]) is int:
            # dset[i] of a 1-d array, the commonest call: the loop below, unrolled
            length, size, at = shape[0], chunks[0], selection[0]
            if at < 0:
                at += length
            if not 0 <= at < length:
                return None
            held = at // size
            return (held,), (at - held * size,), size == 1 or length == at + 1 == held * size + 1, ()
        coords: list[int] = []
        inner: list[int | slice] = []
        out_shape: list[int] = []
        whole = True
        for axis, (n, c) in enumerate(zip(shape, chunks)):
            s = selection[axis] if axis < len(selection) else slice(None)
            k = None
            if type(s) is int:
                i = s + n if s < 0 else s
                if not 0 <= i < n:
                    return None
                start, stop = i, i + 1
                k = i // c
                inner.append(i - k * c)
            elif type(s) is slice and (s.step is None or s.step == 1) and \
                    (s.start is None or type(s.start) is int) and (s.stop is None or type(s.stop) is int):
                start, stop, _ = s.indices(n)
                if stop <= start:
                    return None
                k = start // c
                inner.append(slice(start - k * c, stop - k * c))
                out_shape.append(stop - start)
            else:
                return None
            if (stop - 1) // c != k:
                return None
            coords.append(k)
            whole = whole and start == k * c and stop == min(n, (k + 1) * c)
        return tuple(coords), tuple(inner), whole, tuple(out_shape)

    def cached_block(self, selection: tuple) -> Any:
        """``self[selection]`` answered from the chunk cache when the selection is ints and step-1
        slices inside one stored chunk (a scalar for ints only, else a new array); None otherwise, and
        the caller takes the general path. Checks the metadata is current, as every read does."""
        self._refresh_metadata()
        block = self._one_chunk_block(selection)
        io = self._io
        if block is None or io.cache is None:
            return None
        coords, inner, whole, out_shape = block
        with io.cache.lock:
            found = io.cached_chunk(coords, whole)
            if found is None:
                return None
            part = found[1][inner]
            return part.copy() if out_shape else part

    def set_cached_block(self, selection: tuple, value: Any) -> bool:
        """``self[selection] = value`` into the chunk cache, for a selection as :meth:`cached_block`
        takes, not covering its chunk (whole chunks bypass the cache), and a scalar or a value of the
        selection's exact shape; False when it does not apply (the caller takes the general path)."""
        self._check_writable()
        self._refresh_metadata()
        block = self._one_chunk_block(selection)
        if block is None or self._io.cache is None:
            return False
        coords, inner, whole, out_shape = block
        dtype = self._meta.dtype
        if dtype.hasobject or dtype.subdtype is not None:
            return False
        kind = type(value)
        if (kind is float and dtype.kind == "f") or (kind is int and dtype.kind in "iu"):
            pass  # numpy stores (or refuses, out of range) a Python float or int as a conversion would
        elif np.isscalar(value) or (isinstance(value, np.ndarray) and value.ndim == 0):
            value = _as_scalar(value, dtype)
        else:
            try:
                value = np.asarray(value, dtype=dtype)
            except (ValueError, TypeError):
                return False  # the general path raises the error
            if value.shape != out_shape:
                return False
        return self._io.write_cached_block(coords, inner, value, whole)

    def get_basic_selection(self, selection: Any = Ellipsis, out: np.ndarray | None = None,
                            fields: Any = None) -> Any:
        return self._get("basic", selection, out, fields)

    def get_orthogonal_selection(self, selection: Any, out: np.ndarray | None = None,
                                 fields: Any = None) -> Any:
        return self._get("orthogonal", selection, out, fields)

    def get_coordinate_selection(self, selection: Any, out: np.ndarray | None = None,
                                 fields: Any = None) -> Any:
        return self._get("coordinate", selection, out, fields)

    def get_mask_selection(self, selection: Any, out: np.ndarray | None = None, fields: Any = None) -> Any:
        return self._get("mask", selection, out, fields)

    def get_block_selection(self, selection: Any, out: np.ndarray | None = None, fields: Any = None) -> Any:
        return self._get("block", selection, out, fields)

    # writing
    def __setitem__(self, selection: Any, value: Any) -> None:
        fields, selection = pop_fields(selection)
        kind, selection = classify_selection(selection, self.shape)
        self._set(kind, selection, value, fields=fields)

    def _set(self, kind: str, selection: Any, value: Any, fields: Any = None) -> None:
        self._check_writable()
        self._refresh_metadata()
        meta = self._meta
        indexer = _INDEXERS[kind](selection, meta.shape, self._grid_chunks)
        value = self._check_value(kind, value, tuple(indexer.shape))
        value = prepare_value(value, indexer, field_dtype(meta.dtype, fields))
        self._io.write(indexer, value, fields)

    def set_basic_selection(self, selection: Any, value: Any, fields: Any = None) -> None:
        self._set("basic", selection, value, fields)

    def set_whole_chunk(self, value: Any) -> bool:
        """``self[...] = value`` when the array is one chunk and ``value`` is exactly it (an ndarray of
        the array's shape and dtype, C-contiguous, no objects): the chunk's one projection goes to the
        chunk I/O with no indexer built. False, having written nothing, for any other value or array."""
        self._check_writable()
        self._refresh_metadata()
        meta = self._meta
        shape = tuple(meta.shape)
        if type(value) is not np.ndarray or value.shape != shape or not shape \
                or self._grid_chunks != shape or type(self._io) is not ChunkIO \
                or value.dtype != meta.dtype or meta.dtype.hasobject or meta.order != "C" \
                or not value.flags.c_contiguous:
            return False
        value = self._check_value("basic", value, shape)
        zeros = (0,) * len(shape)
        # what the basic indexer makes of [...] on a one-chunk array
        projection = ChunkProjection(zeros, tuple(map(slice, zeros, shape, (1,) * len(shape))),
                                     tuple(map(slice, zeros, shape)), True)
        self._io.write((projection,), value)
        return True

    def set_orthogonal_selection(self, selection: Any, value: Any, fields: Any = None) -> None:
        self._set("orthogonal", selection, value, fields)

    def set_coordinate_selection(self, selection: Any, value: Any, fields: Any = None) -> None:
        self._set("coordinate", selection, value, fields)

    def set_mask_selection(self, selection: Any, value: Any, fields: Any = None) -> None:
        self._set("mask", selection, value, fields)

    def set_block_selection(self, selection: Any, value: Any, fields: Any = None) -> None:
        self._set("block", selection, value, fields)

    @property
    def oindex(self) -> SelectionView:
        return SelectionView(self, "orthogonal")

    @property
    def vindex(self) -> VectorView:
        return VectorView(self)

    @property
    def blocks(self) -> SelectionView:
        return SelectionView(self, "block")

    # numpy protocol and iteration
    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        a = np.asarray(self[...])
        return a if dtype is None else a.astype(dtype)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self) -> Iterator[Any]:
        return self.islice()

    def islice(self, start: int | None = None, end: int | None = None) -> Iterator[Any]:
        """Iterate over rows ``start`` to ``end`` of the first axis, decoding one chunk row at a time.

        As in zarr 2, ``start`` and ``end`` are non-negative integers (ValueError otherwise) and an
        ``end`` past the array is its length.
        """
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        start = 0 if start is None else start
        end = self.shape[0] if end is None else end
        for name, value in (("start", start), ("end", end)):
            if not is_integer(value) or value < 0:
                raise ValueError(f"islice {name} must be a non-negative integer, not {value!r}")
        start, end = int(start), min(int(end), self.shape[0])
        return self._islice(start, end)

    def _islice(self, start: int, end: int) -> Iterator[Any]:
        step = self.chunks[0]
        block_start = start
        while block_start < end:
            block_end = min(end, (block_start // step + 1) * step)
            block = self[block_start:block_end]
            yield from block
            block_start = block_end

    # resizing
    def resize(self, *args: Any) -> None:
        """Change the shape; chunks wholly outside the new shape are deleted from the store."""
        self._check_writable()
        new_shape = normalize_shape(args[0] if len(args) == 1 else args)
        with self._meta_lock():
            self._resize(new_shape)

    @contextlib.contextmanager
    def _meta_lock(self) -> Iterator[None]:
        """Hold the synchronizer's lock on .zarray, with the metadata re-read under it (another
        process may have resized since they were cached)."""
        if self._synchronizer is None:
            yield
            return
        with self._synchronizer[self._meta_key]:
            self._load_metadata()
            yield

    def _resize(self, new_shape: tuple[int, ...]) -> None:
        old = self.meta
        if len(new_shape) != len(old.shape):
            raise ValueError(f"new shape {new_shape} must have {len(old.shape)} dimensions like {old.shape}")
        new_grid = chunk_grid_shape(new_shape, old.chunks)
        old_grid = chunk_grid_shape(old.shape, old.chunks)
        self._write_metadata(old.replace(shape=new_shape))
        if all(n >= o for n, o in zip(new_grid, old_grid)):
            return  # the grid only grew: no stored chunk can lie outside it, so none is listed

        def outside(key: str) -> bool:
            return any(c >= g for c, g in zip(self._io.chunk_coords(key), new_grid))

        if self._io.cache is not None:
            self._io.cache.drop_where(outside)  # cached chunks the resize deletes are not written back
        self._io.delete_chunks([k for k in self._io.stored_chunk_keys() if outside(k)])

    def append(self, data: Any, axis: int = 0) -> tuple[int, ...]:
        """Append ``data`` along ``axis``; return the new shape."""
        self._check_writable()
        data = np.asanyarray(data) if not hasattr(data, "shape") else data
        # one lock over resize and write: concurrent appends each get their own rows
        with self._meta_lock():
            return self._append(data, axis)

    def _append(self, data: Any, axis: int) -> tuple[int, ...]:
        shape = self.shape
        if len(data.shape) != len(shape):
            raise ValueError(f"data has {len(data.shape)} dimensions, the array has {len(shape)}")
        axis = axis + len(shape) if axis < 0 else axis
        if not 0 <= axis < len(shape):
            raise ValueError(f"axis {axis} is out of range for an array of {len(shape)} dimensions")
        for i, (a, b) in enumerate(zip(shape, data.shape)):
            if i != axis and a != b:
                raise ValueError(f"shape of data to append {data.shape} does not match the array's shape "
                                 f"{shape} on axis {i}")
        new_shape = tuple(s + data.shape[axis] if i == axis else s for i, s in enumerate(shape))
        self._resize(new_shape)
        region = tuple(slice(shape[axis], new_shape[axis]) if i == axis else slice(None)
                       for i in range(len(shape)))
        self[region] = data
        return new_shape

    # reports
    def info_items(self) -> list[tuple[str, str]]:
        return array_info_items(self)

    @property
    def _dimension_separator(self) -> str:
        # zarr 2's private name for the separator in chunk keys
        meta = self._meta
        return meta.dimension_separator if isinstance(meta, ArrayMetadata) else (meta.separator or "/")

    def _chunk_key(self, coords: tuple[int, ...]) -> str:
        """The store key of the chunk at ``coords`` (zarr 2's private name, which its users reach for)."""
        return self._io.chunk_key(coords)

    def digest(self, hashname: str = "sha1") -> bytes:
        """A hash of the metadata, attributes and every chunk, in chunk order."""
        h = hashlib.new(hashname)
        for coords in np.ndindex(*chunk_grid_shape(self.shape, self._meta.chunks)):
            h.update(self.chunk_store.get(self._io.chunk_key(coords), b""))
        h.update(self._store.get(self._meta_key, b""))
        h.update(self._store.get(self._attrs.key, b""))
        return h.digest()

    def hexdigest(self, hashname: str = "sha1") -> str:
        return self.digest(hashname).hex()

    def __repr__(self) -> str:
        name = f" {self.name!r}" if self.name else ""
        ro = " read-only" if self.read_only else ""
        return f"<zarr5.core.Array{name} {self.shape} {self.dtype}{ro}>"

    def __eq__(self, other: object) -> bool:
        return self._same_node(other)

    __hash__ = Node.__hash__

    # pickling: the store decides whether data travel (in-memory) or only a path (on disk);
    # options left at their defaults are not written, which keeps on-disk arrays' pickles small
    def __reduce__(self) -> tuple:
        options = {"read_only": self._read_only, "chunk_store": self._chunk_store,
                   "synchronizer": self._synchronizer, "cache_metadata": self._cache_metadata,
                   "cache_attrs": self._attrs.cache, "write_empty_chunks": self._write_empty_chunks,
                   "allow_pickle": self._allow_pickle}
        changed = {k: v for k, v in options.items() if v != _DEFAULT_OPTIONS[k]}
        if type(self) is not Array:  # a vocabulary's subclass comes back as itself
            return (_rebuild_array, (self._store, self._path, changed, type(self)))
        return (_rebuild_array, (self._store, self._path, changed) if changed else (self._store, self._path))

    # views and conversions
    def astype(self, dtype: Any) -> np.ndarray:
        return self[...].astype(dtype)

    def view(self, **kwargs: Any) -> Array:
        """Another Array over the same data; ``filters=`` makes it decode with other filters (zarr 2)."""
        v = type(self)(self._store, self._path, read_only=kwargs.get("read_only", self._read_only),
                       chunk_store=self._chunk_store,
                       synchronizer=kwargs.get("synchronizer", self._synchronizer),
                       allow_pickle=self._allow_pickle)
        if kwargs.get("filters") is not None:
            v._filters = kwargs["filters"]
        return v


_DEFAULT_OPTIONS = {"read_only": False, "chunk_store": None, "synchronizer": None, "cache_metadata": True,
                    "cache_attrs": True, "write_empty_chunks": True, "allow_pickle": None}


def open_shared_array(store: Store, path: str, *, read_only: bool, synchronizer: Any = None,
                      known: tuple[Any, bytes | None, str] | None = None, chunk_cache: Any = None) -> Array:
    """The Array a facade shares between all its handles on one node (the h5py vocabulary's File keeps
    one per dataset): its metadata is checked on every call, by a cheap store token (a stat) where the
    store offers one; codecs that run code on read are refused; ``chunk_cache`` (a FileChunkCache) holds
    its chunks; ``known`` (metadata, stored bytes, key) was just written by the caller, not read back."""
    return Array(store, path, read_only=read_only, cache_metadata=False, synchronizer=synchronizer,
                 allow_pickle=False, _known=known, _chunk_cache=chunk_cache, _revalidate=True)


def _rebuild_array(store: Store, path: str, options: dict | None = None,
                   cls: type[Array] | None = None) -> Array:
    return (cls or Array)(store, path, **(options or {}))


class _HeldMetadata:
    """The context manager of :meth:`Array.metadata_held` (a class: cheaper than a generator)."""

    __slots__ = ("array", "outer")

    def __init__(self, array: Array) -> None:
        self.array = array
        self.outer = False

    def __enter__(self) -> None:
        array = self.array
        self.outer = not array._held
        if self.outer:
            array._refresh_metadata()
            array._held = True

    def __exit__(self, *exc: Any) -> None:
        if self.outer:
            self.array._held = False
