"""Chunk I/O: the only code that joins a store, a codec pipeline and indexing projections."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal

import numpy as np

from zarr5 import config
from zarr5.codecs.blosc_planes import selection_key
from zarr5.codecs.pipeline import ChunkPipeline
from zarr5.core.paths import prefix
from zarr5.core.prefault import prefaulted
from zarr5.errors import ObjectCodecError, ReadOnlyError
from zarr5.indexing import ChunkProjection
from zarr5.metadata.v2 import ArrayMetadata
from zarr5.metadata.v3 import ArrayMetadataV3
from zarr5.storage import Store
from zarr5.storage._pool import run_in_slices


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _map(func: Any, items: list[Any], chunk_nbytes: int, group_small: bool = False) -> list[Any]:
    """``[func(x) for x in items]``, on the shared pool when that pays: large chunks one per task;
    small ones inline, or with ``group_small`` in groups big enough that a task's work outweighs the
    pool hop and the GIL hand-offs."""
    per_task = _per_task(chunk_nbytes)
    if len(items) <= 1 or config.get("max_workers") == 1:
        return [func(item) for item in items]
    if per_task == 1:
        return list(config.executor().map(func, items))
    if not group_small or len(items) <= per_task:
        return [func(item) for item in items]
    groups = [items[i:i + per_task] for i in range(0, len(items), per_task)]
    done = config.executor().map(lambda group: [func(item) for item in group], groups)
    return [result for group in done for result in group]


# small chunks to a store with a native set_many: encoded this many at a time, then stored in one call
_GROUP_CHUNKS = 16
# and split between the workers this many at a time
_GROUP_WINDOW = 1024


def _per_task(chunk_nbytes: int) -> int:
    # how many chunks one pool task codes: enough to carry min_parallel_bytes of work
    return max(1, -(-config.get("min_parallel_bytes") // max(chunk_nbytes, 1)))


class ChunkIO:
    """Reads and writes the chunks of one array for the projections an indexer yields."""

    # pipeline: a ChunkPipeline (v2) or V3Pipeline (v3); the engine uses what both offer, and
    # partial decoding or sharding only where the pipeline says it can
    def __init__(self, chunk_store: Store, path: str, meta: ArrayMetadata | ArrayMetadataV3, pipeline: Any,
                 synchronizer: Any = None, write_empty_chunks: bool = True) -> None:
        self.store = chunk_store
        self.meta = meta
        self.pipeline = pipeline
        self.synchronizer = synchronizer
        self.write_empty_chunks = write_empty_chunks
        self._prefix = prefix(path)
        # a v3 array's chunk keys follow its chunk key encoding; a v2 array's, its dimension separator
        self._v3_meta = meta if isinstance(meta, ArrayMetadataV3) else None
        self._v3 = self._v3_meta is not None
        self._sep = "" if isinstance(meta, ArrayMetadataV3) else meta.dimension_separator
        if not isinstance(meta, ArrayMetadataV3) and not meta.explicit_separator:
            # a .zarray naming no separator is read with the store's (zarr-2's rule): nested stores
            # held '/'-separated chunks before the metadata could say so
            self._sep = getattr(chunk_store, "_dimension_separator", None) or self._sep
        # the chunk shape a reader decodes (and indexing works on); sharded arrays override it
        self.read_chunks: tuple[int, ...] = meta.chunks
        # the h5py vocabulary's write-back chunk cache (zarr5.core.chunkcache); None: write through
        self.cache: Any = None

    # keys
    def chunk_key(self, coords: tuple[int, ...]) -> str:
        if self._v3_meta is not None:
            return self._prefix + self._v3_meta.chunk_key(coords)
        return self._prefix + (self._sep.join(map(str, coords)) if coords else "0")

    def chunk_coords(self, key: str) -> tuple[int, ...]:
        """The grid coordinates of a stored chunk key (inverse of :meth:`chunk_key`)."""
        name = key[len(self._prefix):]
        if self._v3_meta is not None:
            coords = self._v3_meta.parse_chunk_key(name)
            if coords is None:
                raise KeyError(f"{key!r} is not a chunk key of this array")
            return coords
        return tuple(int(c) for c in name.replace("/", ".").split(".")) if self.meta.shape else ()

    def count_initialized(self) -> int:
        if self.cache is None:
            return len(self.stored_chunk_keys())
        with self.cache.lock:  # written chunks still held by the cache count as initialized
            return len(set(self.stored_chunk_keys()) | set(self.cache.dirty_keys()))

    def stored_chunk_keys(self) -> list[str]:
        """Keys of the chunks present in the store (found by listing, not by probing each chunk)."""
        if self._v3_meta is not None:
            parse = self._v3_meta.parse_chunk_key
            base = self._prefix.rstrip("/")
            stored = (k[len(self._prefix):] for k in self.store.list_prefix(base))
            return [self._prefix + n for n in stored if parse(n) is not None]
        ndim = len(self.meta.shape)
        base = self._prefix.rstrip("/")
        pattern = re.compile(r"^\d+$")
        if ndim == 0:
            return [self._prefix + "0"] if self._prefix + "0" in self.store else []
        if self._sep == ".":
            names = self.store.listdir(base)
            return [self._prefix + n for n in names
                    if len(n.split(".")) == ndim and all(pattern.match(p) for p in n.split("."))]
        keys = [""]
        for _ in range(ndim):
            keys = [f"{k}/{n}".lstrip("/") for k in keys
                    for n in self.store.listdir(self._prefix + k if k else base) if pattern.match(n)]
        return [self._prefix + k for k in keys if self._prefix + k in self.store]

    def _fill_chunk(self) -> np.ndarray:
        fill = self.meta.fill_value
        if fill is None and not self.meta.dtype.hasobject:
            # zarr-2 leaves the memory undefined; zero bytes are a kinder, deterministic undefined
            return np.zeros(self.read_chunks, dtype=self.meta.dtype, order=self.meta.order)
        chunk = np.empty(self.read_chunks, dtype=self.meta.dtype, order=self.meta.order)
        chunk[...] = fill
        return chunk

    def _lock(self, key: str) -> Any:
        return contextlib.nullcontext() if self.synchronizer is None else self.synchronizer[key]

    # reading
    def read(self, projections: Iterable[ChunkProjection], out: np.ndarray, fields: Any = None,
             fresh: bool = False) -> None:
        """Fill ``out`` from the chunks the projections name; missing chunks give the fill value.
        ``fresh``: ``out`` was just allocated, so its pages are not yet mapped."""
        if self.cache is not None:
            self._read_cached(projections, out, fields)
            return
        local = getattr(self.store, "cheap_gets", False)
        small = self.pipeline.nbytes < config.get("min_parallel_bytes")
        if local and (small or config.get("max_workers") == 1):
            # small chunks from a local store: one plain loop, no batches (see _map)
            self._read_inline(projections, out, fields)
            return
        if local:
            projections = list(projections)
            if projections and all(not p.is_complete and self._partial_span(p.chunk_selection) is not None
                                   for p in projections):
                # a small part of every chunk (a row of C-order chunks): Blosc's partial decode holds the
                # GIL, so pool threads would only take turns; one plain loop. A read that also decodes
                # whole chunks (all() stops at the first) keeps the pool for those
                self._read_inline(projections, out, fields)
                return
        # pool tasks decode large chunks: one more thread maps a fresh result's pages ahead of them
        with prefaulted(out) if fresh else contextlib.nullcontext():
            self._read_pooled(projections, out, fields, local)

    def _read_pooled(self, projections: Iterable[ChunkProjection], out: np.ndarray, fields: Any,
                     local: bool) -> None:
        if local:
            # one task per worker, each fetching and decoding chunks from one shared queue until it is
            # empty: bytes are decoded while still hot, no worker idles while chunks are left, and the
            # threads hand the GIL to each other once per chunk, not once per pool task and future
            # (one column of ten 4 MB chunks: 28 -> 10 context switches per read)
            items = list(projections)
            tasks = min(len(items), config.get("max_workers"))
            if tasks <= 1:
                for p in items:
                    self._fetch_and_read(p, out, fields)
                return
            queue = iter(items)  # next() on a list iterator is atomic under the GIL
            failed: list[bool] = []

            def drain() -> None:
                for p in queue:
                    if failed:
                        return  # another task failed: the read raises, the chunks left are not needed
                    try:
                        self._fetch_and_read(p, out, fields)
                    except BaseException:
                        failed.append(True)
                        raise

            executor = config.executor()
            futures = [executor.submit(drain) for _ in range(tasks)]
            # every task ends before the read returns or raises: none writes into out after that
            errors = [f.exception() for f in futures]
            first = next((e for e in errors if e is not None), None)
            if first is not None:
                raise first
            return
        for batch in _batches(projections, config.get("batch_chunks")):
            keys = [self.chunk_key(p.chunk_coords) for p in batch]
            raw = self.store.get_many(keys)
            _map(lambda item: self._read_one(item[0], item[1], item[2], out, fields),
                 [(p, k, raw.get(k)) for p, k in zip(batch, keys)], self.pipeline.nbytes)

    def _read_inline(self, projections: Iterable[ChunkProjection], out: np.ndarray, fields: Any) -> None:
        chunk_key, get, read_one = self.chunk_key, self._get, self._read_one
        decode_into = getattr(self.pipeline, "decode_into", None)
        # a chunk that covers its region exactly decodes straight into out: settle once what can be
        if (decode_into is None or fields is not None or out.dtype != self.meta.dtype
                or not out.flags.writeable or self.meta.dtype.hasobject):
            for p in projections:
                key = chunk_key(p.chunk_coords)
                read_one(p, key, get(key), out, fields)
            return
        shape, c_order = self.read_chunks, self.meta.order == "C"
        for p in projections:
            key = chunk_key(p.chunk_coords)
            data = get(key)
            if data is not None and p.is_complete:
                sel = p.out_selection
                if all(type(s) is slice for s in sel):
                    target = out[tuple(sel) + (Ellipsis,)]  # Ellipsis keeps 0-d results views
                    flags = target.flags
                    if target.shape == shape and (flags.c_contiguous if c_order else flags.f_contiguous):
                        decode_into(data, key, target)
                        continue
            read_one(p, key, data, out, fields)

    def _read_cached(self, projections: Iterable[ChunkProjection], out: np.ndarray, fields: Any) -> None:
        # cached chunks (dirty ones too) answer first; a chunk read in part is kept decoded
        cache, keep = self.cache, self._cacheable()
        with cache.lock:
            for p in projections:
                key = self.chunk_key(p.chunk_coords)
                chunk = cache.get(key)
                if chunk is None:
                    if p.is_complete or not keep:
                        self._read_one(p, key, self._get(key), out, fields)
                        continue
                    chunk = self._load_for_cache(key)
                    if chunk is None:
                        self.fill_out(p, out, fields)
                        continue
                    cache.put(key, p.chunk_coords, chunk, dirty=False)
                out[p.out_selection] = (chunk if fields is None else chunk[fields])[p.chunk_selection]

    # one chunk's block through the chunk cache: the h5py vocabulary's dset[i] and dset[a:b] loops
    def cached_chunk(self, coords: tuple[int, ...], whole: bool) -> tuple[str, np.ndarray] | None:
        """``(key, decoded chunk)`` of the chunk at ``coords`` from the chunk cache, reading and keeping
        it when it is stored; None when the cache has no say (none, an uncacheable chunk, a block
        ``whole`` that covers the chunk, which bypasses the cache) or, for a chunk not stored, None too:
        the caller then takes the general path. Callers hold ``cache.lock``."""
        cache = self.cache
        if cache is None or whole or not self._cacheable():
            return None
        key = self.chunk_key(coords)
        chunk = cache.get(key)
        if chunk is None:
            chunk = self._load_for_cache(key)
            if chunk is None:
                return None
            cache.put(key, coords, chunk, dirty=False)
        return key, chunk

    def write_cached_block(self, coords: tuple[int, ...], inner: tuple, value: Any, whole: bool) -> bool:
        """``chunk[inner] = value`` in the cached chunk at ``coords``, left dirty (the chunk is read
        first when not cached, the fill value when not stored); False when the cache has no say."""
        cache = self.cache
        if cache is None or whole or self.store.read_only or not self._cacheable():
            return False
        key = self.chunk_key(coords)
        with cache.lock:
            chunk = self._cached_for_write(cache, key)
            chunk[inner] = value
            cache.put(key, coords, chunk, dirty=True)
        return True

    def _cached_for_write(self, cache: Any, key: str) -> np.ndarray:
        """The chunk at ``key`` ready to be written in place: the cached one (copied first if it is a
        view of bytes read), else read from the store, else a new chunk of fill values. Callers hold
        ``cache.lock``."""
        chunk = cache.get(key)
        if chunk is None:
            loaded = self._load_for_cache(key, writable=True)
            return self._fill_chunk() if loaded is None else loaded
        return self._writable(chunk)

    def _load_for_cache(self, key: str, writable: bool = False) -> np.ndarray | None:
        """The stored chunk ``key`` decoded for the chunk cache (None: not stored), writable if asked
        (else maybe a view of the stored bytes). An uncompressed chunk from a store that reads into a
        buffer (DirectoryStore) lands straight in its array: no bytes object, no copy before a write."""
        read_into = self._raw_reader()
        if read_into is not None:
            chunk = np.empty(self.read_chunks, dtype=self.meta.dtype, order=self.meta.order)
            n = read_into(key, _flat_bytes(chunk))
            if n is None:
                return None
            if n == chunk.nbytes:
                return chunk
            # another size: the usual read below reports the corrupt chunk
        data = self._get(key)
        return None if data is None else self._decoded(key, data, writable)

    def _raw_reader(self) -> Any:
        # chunks stored as their items' bytes (no filters, no compressor), and a store that can read into
        # a buffer: its read_into, else None (worked out once per pipeline: zarr 2 lets one be swapped)
        pipeline = self.pipeline
        known = self.__dict__.get("_raw_known")
        if known is not None and known[0] is pipeline:
            return known[1]
        reader = None
        if type(pipeline) is ChunkPipeline and pipeline.compressor is None and not pipeline.filters \
                and pipeline.dtype == self.meta.dtype and pipeline.chunk_shape == self.read_chunks \
                and not pipeline.dtype.hasobject and pipeline.dtype.subdtype is None:
            reader = getattr(self.store, "read_into", None)
        self._raw_known = (pipeline, reader)
        return reader

    def _fetch_and_read(self, p: ChunkProjection, out: np.ndarray, fields: Any) -> None:
        key = self.chunk_key(p.chunk_coords)
        self._read_one(p, key, self._get(key), out, fields)

    def _get(self, key: str) -> bytes | None:
        try:
            return self.store[key]
        except KeyError:
            return None

    def _read_one(self, p: ChunkProjection, key: str, data: bytes | None, out: np.ndarray,
                  fields: Any) -> None:
        if data is None:
            self.fill_out(p, out, fields)
            return
        if p.is_complete and fields is None and all(isinstance(s, slice) for s in p.out_selection):
            target = out[tuple(p.out_selection) + (Ellipsis,)]  # Ellipsis keeps 0-d results views
            # a chunk that covers its region exactly decodes straight into the output
            if target.shape == self.read_chunks and _contiguous(target, self.meta.order):
                self.pipeline.decode(data, key, out=target)
                return
        span = None if p.is_complete else self._partial_span(p.chunk_selection)
        if span is None and not p.is_complete:
            picked = self._read_picked(p, key, data)
            if picked is not None:
                out[p.out_selection] = picked if fields is None else picked[fields]
                return
        if self.meta.dtype.hasobject:
            chunk = self.pipeline.decode(data, key)
        else:
            # decode into this thread's scratch chunk: a fresh chunk-sized buffer per chunk costs a
            # page fault per 4 kB page, more than the decompression itself
            scratch = _scratch(self.read_chunks, self.meta.dtype, self.meta.order)
            if span is not None:
                # a small part of a large chunk: decompress only the blocks that hold it
                chunk = self.pipeline.decode_items(data, key, *span, out=scratch)
            else:
                decode_into = getattr(self.pipeline, "decode_into", None)
                chunk = (decode_into(data, key, scratch) if decode_into is not None
                         else self.pipeline.decode(data, key, out=scratch))
        if fields is not None:
            chunk = chunk[fields]
        out[p.out_selection] = chunk[p.chunk_selection]

    def _read_picked(self, p: ChunkProjection, key: str, data: Any) -> np.ndarray | None:
        """The items of a sliver that needs every block of a large chunk (a column of C-order chunks),
        picked from its byte-shuffled Blosc planes without the unshuffle pass; None when that does not
        apply (the usual whole decode follows)."""
        decode_selected = getattr(self.pipeline, "decode_selected", None)
        if decode_selected is None or self.pipeline.nbytes < (1 << 18):
            return None
        picked = selection_key(p.chunk_selection, self.read_chunks)
        if picked is None:
            return None
        scratch = _scratch(self.read_chunks, self.meta.dtype, self.meta.order)
        return decode_selected(data, key, picked[0], picked[1], scratch)

    def fill_out(self, p: ChunkProjection, out: np.ndarray, fields: Any) -> None:
        """A chunk that is not stored reads as the fill value (undefined without one)."""
        fill = self.meta.fill_value
        if fill is not None:
            out[p.out_selection] = fill if fields is None else np.asarray(fill, self.meta.dtype)[fields]

    def _partial_span(self, selection: tuple) -> tuple[int, int] | None:
        """The flat item range ``(start, stop)`` a selection reads, when partial decoding pays off."""
        if not getattr(self.pipeline, "partial_decodable", False) or self.pipeline.nbytes < (1 << 18):
            return None
        shape = self.read_chunks
        if len(selection) != len(shape):
            return None
        # the flat indices of the selection's lowest and highest corners, in the chunk's memory order
        start = stop = 0
        axes = range(len(shape)) if self.meta.order == "C" else range(len(shape) - 1, -1, -1)
        for axis in axes:
            sel, n = selection[axis], shape[axis]
            if type(sel) is slice:
                r = range(*sel.indices(n))
                if not r:
                    return None
                low, high = (r[0], r[-1]) if r.step > 0 else (r[-1], r[0])
            elif isinstance(sel, (int, np.integer)):
                low = high = int(sel)
            else:
                a = np.asarray(sel)
                if a.size == 0 or a.dtype == bool:
                    return None
                low, high = int(a.min()), int(a.max())
            start = start * n + low
            stop = stop * n + high
        stop += 1
        return (start, stop) if (stop - start) * 2 <= self.pipeline.size else None

    # writing
    def write(self, projections: Iterable[ChunkProjection], value: Any, fields: Any = None) -> None:
        """Write ``value`` (already broadcast to the indexer's out_shape, or a scalar) to the chunks."""
        if self.store.read_only:
            raise ReadOnlyError("cannot write chunks: the store is read-only")
        if self.meta.dtype.hasobject and fields is None:
            self._check_objects(value)
        # under a lock, or to a local store, each chunk is stored right after it is encoded (by a pool task
        # for large chunks); otherwise one batch call per batch (remote stores batch requests)
        if self.cache is not None:
            self._write_cached(projections, value, fields)
            return
        local = getattr(self.store, "cheap_gets", False)
        if local and self.synchronizer is None and (_per_task(self.pipeline.nbytes) > 1
                                                    or config.get("max_workers") == 1):
            if getattr(self.store, "native_set_many", False) and config.get("max_workers") > 1:
                for window in _batches(projections, _GROUP_WINDOW):  # (a bounded list at a time)
                    self._write_groups(window, value, fields)
                return
            # small chunks to a local store, no lock: encoded and stored one after the other on this
            # thread (what _map does for them), without the batches, the lambda or the lock check
            write, chunk_key = self._write_unlocked, self.chunk_key
            for p in projections:
                write(p, chunk_key(p.chunk_coords), value, fields, True)
            return
        store_in_task = self.synchronizer is not None or local
        batch_chunks = config.get("batch_chunks") * _per_task(self.pipeline.nbytes)
        for batch in _batches(projections, batch_chunks):
            # small chunks to a local store are written inline: their file creates and renames serialize
            # on the directory's lock and on the GIL, so pool threads only add hand-offs (measured: one
            # thread 42 ms per 1,000 chunks of 80 kB, two 47-68 ms); for a remote store the pool encodes
            results = _map(lambda p: self._write_one(p, value, fields, store_in_task), batch,
                           self.pipeline.nbytes, group_small=not local)
            if not store_in_task:
                self.store.set_many({k: v for k, v in results if v is not None})
                self.store.delete_many([k for k, v in results if v is None])

    def _write_groups(self, projections: list[ChunkProjection], value: Any, fields: Any) -> None:
        """Small chunks to a store whose ``set_many`` writes a group of files with the GIL released
        once: the projections are cut into one run per worker (this thread taking one), and each run
        encodes a group of chunks, then stores it in one call, so one thread's files are written while
        another encodes (1,000 chunks of 80 kB: 25 ms on two threads, 40 ms encoding and writing each
        chunk in turn on one; see docs/benchmarks.md). Errors are raised once every run has ended."""
        def run(part: Sequence[ChunkProjection]) -> None:
            self._write_run(part, value, fields)

        if threading.current_thread().name.startswith("zarr5"):
            run(projections)  # a pool worker already: it must not wait on tasks queued behind it
        else:
            run_in_slices(run, projections, config.executor(), least=_GROUP_CHUNKS)

    def _write_run(self, projections: Sequence[ChunkProjection], value: Any, fields: Any) -> None:
        # encode a group, store it in one set_many (deleting the chunks that came out all fill value)
        write, chunk_key, store = self._write_unlocked, self.chunk_key, self.store
        for start in range(0, len(projections), _GROUP_CHUNKS):
            encoded: dict[str, Any] = {}
            empty = []
            for p in projections[start:start + _GROUP_CHUNKS]:
                key, data = write(p, chunk_key(p.chunk_coords), value, fields, False)
                if data is None:
                    empty.append(key)
                else:
                    encoded[key] = data
            if encoded:
                store.set_many(encoded)
            if empty:
                store.delete_many(empty)

    def _write_cached(self, projections: Iterable[ChunkProjection], value: Any, fields: Any) -> None:
        # a chunk written in part is merged into its cached copy and left dirty (written back on
        # eviction, flush or close); a chunk written whole bypasses the cache, as in HDF5
        cache, keep = self.cache, self._cacheable()
        with cache.lock:
            for p in projections:
                key = self.chunk_key(p.chunk_coords)
                if (p.is_complete and fields is None) or not keep:
                    cache.drop(key)
                    self._write_one(p, value, fields, store_in_task=True, key=key)
                    continue
                chunk = self._cached_for_write(cache, key)
                self.merged_chunk(p, value, fields, lambda c=chunk: c)  # merged in place
                cache.put(key, p.chunk_coords, chunk, dirty=True)

    def _cacheable(self) -> bool:
        # object chunks stay uncached: a written object is kept as given (a list, say), where a
        # stored one reads back as its codec decodes it, and their size in memory is unknown
        return self.cache.fits(self.pipeline.nbytes) and not self.meta.dtype.hasobject

    def store_chunk(self, key: str, chunk: np.ndarray) -> None:
        """Store a decoded chunk (a cache write-back): encoded, or deleted when it is all fill value
        and empty chunks are not written."""
        if self.write_empty_chunks or not self.pipeline.is_fill(chunk, self.meta.fill_value):
            write_back = getattr(self.store, "write_back", None)  # a store's cheaper replacement, if any
            if write_back is None:
                self.store[key] = self.pipeline.encode(chunk)
            elif self._raw_reader() is not None and chunk.dtype == self.meta.dtype \
                    and chunk.shape == self.read_chunks and _contiguous(chunk, self.meta.order):
                write_back(key, _flat_bytes(chunk))  # stored as its items' bytes: no encoded copy
            else:
                write_back(key, self.pipeline.encode(chunk))
        else:
            self.store.delete_many([key])

    def _write_one(self, p: ChunkProjection, value: Any, fields: Any, store_in_task: bool,
                   key: str | None = None) -> tuple[str, bytes | None]:
        if key is None:  # (the caller's, when it has it already)
            key = self.chunk_key(p.chunk_coords)
        if self.synchronizer is None:  # no lock to take: a thousand small chunks pay no context manager
            return self._write_unlocked(p, key, value, fields, store_in_task)
        with self.synchronizer[key]:
            return self._write_unlocked(p, key, value, fields, store_in_task)

    def _write_unlocked(self, p: ChunkProjection, key: str, value: Any, fields: Any,
                        store_in_task: bool) -> tuple[str, bytes | None]:
        chunk = self.merged_chunk(p, value, fields, lambda: self._existing_chunk(key))
        encoded = None
        if self.write_empty_chunks or not self.pipeline.is_fill(chunk, self.meta.fill_value):
            flags = chunk.flags
            if not (flags.c_contiguous if self.meta.order == "C" else flags.f_contiguous) \
                    and chunk.dtype == self.meta.dtype and not chunk.dtype.hasobject \
                    and chunk.shape == self.read_chunks:
                # gather a strided chunk into this thread's scratch buffer: memory already touched,
                # where a fresh copy pays a page fault per 4 kB page (encoding keeps no reference)
                scratch = _scratch(self.read_chunks, self.meta.dtype, self.meta.order)
                scratch[...] = chunk
                chunk = scratch
            encoded = self.pipeline.encode(chunk)
        if store_in_task:
            # under a lock the write must land before the lock is released
            if encoded is None:
                self.store.delete_many([key])
            else:
                self.store[key] = encoded
            # stored: drop the bytes now, so the next encode reuses their (already touched) memory
            # instead of a batch's worth of encoded chunks living until the batch ends
            return key, None
        return key, encoded

    def _check_objects(self, value: Any) -> None:
        """Encode the new objects once before any chunk is written, so a value the object codec
        cannot hold fails the whole call instead of leaving it half applied."""
        # a v2 chain starts with its object codec; a v3 one holds it as its array -> bytes codec
        codec = getattr(self.pipeline, "object_codec", None) or next(iter(self.pipeline.filters), None)
        if codec is None:
            raise ObjectCodecError("cannot write object array without object codec")
        if np.ndim(value) == 0:
            items = np.empty(1, dtype=object)
            items[0] = value[()] if isinstance(value, np.ndarray) else value
        else:
            items = np.array(value, dtype=object).reshape(-1)  # a writable copy: vlen codecs need one
        try:
            codec.encode(items)
        except Exception as e:
            raise TypeError(f"cannot store the value with the object codec {codec!r}: {e}") from e

    def merged_chunk(self, p: ChunkProjection, value: Any, fields: Any, existing: Any) -> np.ndarray:
        """The chunk ``p`` names after writing ``value`` into it; ``existing()`` reads the old one."""
        scalar = (value.ndim if type(value) is np.ndarray else np.ndim(value)) == 0
        part = value if scalar else value[p.out_selection]
        shape = self.read_chunks
        if p.is_complete and fields is None:
            # the chunk is replaced whole, so it need not be read
            if scalar and not self.meta.dtype.hasobject and not self._is_edge(p.chunk_coords):
                return np.full(shape, part, dtype=self.meta.dtype, order=self.meta.order)
            if isinstance(part, np.ndarray) and part.shape == shape:
                return part  # the value is exactly this chunk: encode it without a copy
            chunk = self._fill_chunk()
            _put(chunk, p.chunk_selection, part)
            return chunk
        chunk = existing()
        _put(chunk if fields is None else chunk[fields], p.chunk_selection, part)
        return chunk

    def _is_edge(self, coords: tuple[int, ...]) -> bool:
        # an edge chunk's padding must keep the fill value, whatever is written in bounds
        return any((c + 1) * n > s for c, n, s in zip(coords, self.read_chunks, self.meta.shape))

    def _existing_chunk(self, key: str) -> np.ndarray:
        try:
            data = self.store[key]
        except KeyError:
            return self._fill_chunk()
        return self._decoded(key, data)

    def _decoded(self, key: str, data: bytes, writable: bool = True) -> np.ndarray:
        """A stored chunk decoded into an array of its own, writable unless ``writable`` is False (an
        uncompressed chunk is then a view of the stored bytes: the chunk cache copies it on first write)."""
        chunk = self.pipeline.decode(data, key)
        if writable and not chunk.flags.writeable:
            chunk = chunk.copy(order=self.meta.order)
        return chunk

    def _writable(self, chunk: np.ndarray) -> np.ndarray:
        # a cached chunk kept as read (a view of the stored bytes) is copied before its first change
        return chunk if chunk.flags.writeable else chunk.copy(order=self.meta.order)

    def delete_chunks(self, keys: Iterable[str]) -> None:
        self.store.delete_many(list(keys))


_local = threading.local()


def _scratch(shape: tuple[int, ...], dtype: np.dtype, order: Literal["C", "F"]) -> np.ndarray:
    """A per-thread chunk buffer, reused while chunks keep their shape, dtype and order."""
    buf = getattr(_local, "buf", None)
    if buf is None or buf.shape != shape or buf.dtype != dtype or not _contiguous(buf, order):
        buf = _local.buf = np.empty(shape, dtype=dtype, order=order)
    return buf


def _flat_bytes(chunk: np.ndarray) -> np.ndarray:
    """The bytes of a chunk contiguous in its memory order, as a flat view (no copy)."""
    return chunk.reshape(-1, order="A").view(np.uint8)


def _contiguous(a: np.ndarray, order: str) -> bool:
    return bool(a.flags.c_contiguous if order == "C" else a.flags.f_contiguous)


def _put(target: np.ndarray, selection: tuple, part: Any) -> None:
    """``target[selection] = part``, keeping a boxed object (a list, an array) as one element."""
    if isinstance(part, np.ndarray) and part.ndim == 0 and part.dtype == object:
        if all(isinstance(s, (int, np.integer)) for s in selection):
            # a full integer index on an object array stores the object itself, not the box
            target[selection] = part[()]
        else:
            target[selection][...] = part
        return
    target[selection] = part
