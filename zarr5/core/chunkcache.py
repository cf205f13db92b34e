"""Chunk cache: decoded chunks kept per array and written back later, with HDF5's semantics.

The h5py vocabulary gives each open File one :class:`FileChunkCache`; every handle of that File on an
array shares the array's :class:`ArrayChunkCache`. A partial read or write of a chunk keeps the decoded
chunk (up to ``nbytes`` per array, least recently used evicted first); a written chunk stays dirty in
memory until it is evicted or the File is flushed, closed or collected, as HDF5's chunk cache
(``rdcc_nbytes``, ``rdcc_nslots``, ``rdcc_w0``) does. ``nslots`` is what HDF5 makes of it: the size of a
hash table of chunk slots, a chunk's slot a hash of its grid coordinates (HDF5's H5D__chunk_hash_val);
collisions are not resolved, so a chunk entering an occupied slot evicts the chunk there. Hence at
most ``nslots`` chunks are kept, often fewer, and HDF5's advice holds: make it a prime well above the
number of chunks ``nbytes`` holds. A chunk written whole, or
one larger than the budget, bypasses the cache. The zarr vocabulary never uses this (zarr-python 2
writes through).

Crash behaviour: a process killed before flush loses its unflushed writes; every chunk it did write
back was one atomic store write, so the store holds each chunk old or new, never half. The File's
metadata documents are written back after its chunks (zarr5.core.metawriteback says what a kill
leaves of them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, NamedTuple

import numpy as np

# h5py's defaults (HDF5's H5Pset_chunk_cache defaults)
DEFAULT_NBYTES = 1024 * 1024
DEFAULT_NSLOTS = 521
DEFAULT_W0 = 0.75


class CacheSettings(NamedTuple):
    """``nbytes``: budget per array (0 disables); ``nslots``: hash slots per array (0 disables); ``w0``:
    HDF5's preemption weight, validated and recorded (chunks read or written whole are never kept,
    which is what HDF5's weighting favours evicting first)."""

    nbytes: int = DEFAULT_NBYTES
    nslots: int = DEFAULT_NSLOTS
    w0: float = DEFAULT_W0


DEFAULTS = CacheSettings()
_MASK64 = (1 << 64) - 1  # HDF5 hashes in a 64-bit hsize_t
DISABLED = CacheSettings(0, DEFAULT_NSLOTS, DEFAULT_W0)


def parse_settings(nbytes: Any = None, nslots: Any = None, w0: Any = None,
                   base: CacheSettings = DEFAULTS) -> CacheSettings:
    """h5py's ``rdcc_nbytes``, ``rdcc_nslots``, ``rdcc_w0`` (None keeps ``base``'s), validated."""
    out = base
    if nbytes is not None:
        if isinstance(nbytes, bool) or not isinstance(nbytes, (int, np.integer)) or nbytes < 0:
            raise ValueError(f"rdcc_nbytes must be a non-negative integer, not {nbytes!r}")
        out = out._replace(nbytes=int(nbytes))
    if nslots is not None:
        if isinstance(nslots, bool) or not isinstance(nslots, (int, np.integer)) or nslots < 0:
            raise ValueError(f"rdcc_nslots must be a non-negative integer, not {nslots!r}")
        out = out._replace(nslots=int(nslots))
    if w0 is not None:
        try:
            w = float(w0)
        except (TypeError, ValueError):
            raise ValueError(f"rdcc_w0 must be a number between 0 and 1, not {w0!r}") from None
        if not 0.0 <= w <= 1.0:
            raise ValueError(f"rdcc_w0 must be between 0 and 1, not {w0!r}")
        out = out._replace(w0=w)
    return out


class ArrayChunkCache:
    """The decoded chunks of one array, shared by every handle of one File on it.

    ``io`` is the array's chunk I/O (the latest handle's): it encodes and stores write-backs.
    Callers hold ``lock`` around a whole read or write, so one call sees one state of the cache.
    """

    def __init__(self, settings: CacheSettings, lock: threading.RLock) -> None:
        self.settings = settings
        self.lock = lock
        self.io: Any = None
        # HDF5's scaled_encode_bits of axes 1...: the hash's shifts (None: not worked out yet)
        self._bits: tuple[int, ...] | None = None
        self._entries: OrderedDict[str, list] = OrderedDict()  # key -> [chunk, dirty, coords, slot]
        self._slots: dict[int, str] = {}  # hash slot -> the key held there
        self._nbytes = 0

    def bind(self, io: Any) -> None:
        """Use ``io`` for write-backs; a changed chunk layout (chunks, dtype, order) empties the cache
        first, writing back with the chunk I/O the chunks were decoded by; a changed grid (a resize)
        rehashes the chunks kept, as HDF5 does."""
        with self.lock:
            old = self.io
            self.io = io
            if old is None:
                return  # a new cache: nothing kept yet (the hash's shifts are worked out on first use)
            if _layout(io) != _layout(old):
                self.io = old
                self.flush()
                self.clear()
                self.io = io
            bits = _encode_bits(io.meta.shape, io.read_chunks)[1:]  # the first axis is never shifted
            if bits != self._bits:
                self._bits = bits
                self._rehash()

    def fits(self, chunk_nbytes: int) -> bool:
        return self.settings.nslots > 0 and 0 < chunk_nbytes <= self.settings.nbytes

    def slot(self, coords: tuple[int, ...]) -> int:
        """The hash slot of the chunk at grid ``coords``: HDF5's value (first coordinate, each next one
        shifted in by its axis' bits and xor-ed), modulo ``nslots``."""
        shifts = self._bits
        if shifts is None:
            shifts = self._bits = _encode_bits(self.io.meta.shape, self.io.read_chunks)[1:]
        val = coords[0] if coords else 0
        for c, bits in zip(coords[1:], shifts):
            val = ((val << bits) & _MASK64) ^ c
        return val % self.settings.nslots

    def get(self, key: str) -> np.ndarray | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: str, coords: tuple[int, ...], chunk: np.ndarray, dirty: bool) -> None:
        entry = self._entries.get(key)
        if entry is not None:
            self._nbytes -= entry[0].nbytes
            entry[0], entry[1] = chunk, entry[1] or dirty
            self._entries.move_to_end(key)
        else:
            slot = self.slot(coords)
            held = self._slots.get(slot)
            if held is not None:
                self._evict(held)  # a collision: the chunk in the slot gives way, as in HDF5
            self._entries[key] = [chunk, dirty, coords, slot]
            self._slots[slot] = key
        self._nbytes += chunk.nbytes
        while len(self._entries) > 1 and self._nbytes > self.settings.nbytes:
            self._evict(next(iter(self._entries)))

    def _evict(self, key: str) -> None:
        chunk, dirty, _, slot = self._entries[key]
        self.drop(key)
        if dirty:
            self.io.store_chunk(key, chunk)  # evicted: written back, as HDF5 does

    def _rehash(self) -> None:
        # the grid changed shape: every kept chunk takes its new slot; one found there gives way
        entries = list(self._entries.items())
        self._slots.clear()
        for key, entry in entries:
            if key not in self._entries:
                continue  # already evicted by an earlier collision
            slot = self.slot(entry[2])
            held = self._slots.get(slot)
            if held is not None:
                self._evict(held)
            entry[3] = slot
            self._slots[slot] = key

    def drop(self, key: str) -> None:
        """Forget ``key`` (its stored chunk is being replaced whole: a cached copy would be stale)."""
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._nbytes -= entry[0].nbytes
            if self._slots.get(entry[3]) == key:
                del self._slots[entry[3]]

    def drop_where(self, outside: Any) -> None:
        """Forget the chunks whose key satisfies ``outside(key)`` (chunks a resize deleted)."""
        with self.lock:
            for key in [k for k in self._entries if outside(k)]:
                self.drop(key)

    def dirty_keys(self) -> list[str]:
        return [k for k, entry in self._entries.items() if entry[1]]

    def flush(self) -> None:
        """Write every dirty chunk back to the store (they stay cached, clean)."""
        with self.lock:
            for key, entry in self._entries.items():
                if entry[1]:
                    self.io.store_chunk(key, entry[0])
                    entry[1] = False

    def clear(self) -> None:
        with self.lock:
            self._entries.clear()
            self._slots.clear()
            self._nbytes = 0


def _layout(io: Any) -> tuple:
    # what decoded chunks depend on: their shape, dtype, order, and the keys they are stored under
    return io.read_chunks, io.meta.dtype, io.meta.order, io.chunk_key((0,) * len(io.read_chunks))


def _encode_bits(shape: tuple[int, ...], chunks: tuple[int, ...]) -> tuple[int, ...]:
    """Per axis, the bits that hold its number of chunks rounded up to a power of two (HDF5's
    scaled_encode_bits, from H5VM_power2up and H5VM_log2_gen)."""
    return tuple(max(-(-n // c) - 1, 0).bit_length() if c else 0 for n, c in zip(shape, chunks))


class FileChunkCache:
    """The chunk caches of one open File: one :class:`ArrayChunkCache` per array path."""

    def __init__(self, settings: CacheSettings = DISABLED) -> None:
        self.settings = settings
        self.lock = threading.RLock()
        self._arrays: dict[str, ArrayChunkCache] = {}
        self._own: dict[str, CacheSettings] = {}  # per-dataset settings (create_dataset(rdcc_*=...))

    @property
    def enabled(self) -> bool:
        return self.settings.nbytes > 0 or any(s.nbytes > 0 for s in self._own.values())

    def configure(self, path: str, settings: CacheSettings) -> None:
        """Give the array at ``path`` its own settings (h5py's per-dataset rdcc_* keywords)."""
        with self.lock:
            self._own[path] = settings
            cache = self._arrays.get(path)
            if cache is not None:
                cache.flush()
                cache.clear()
                cache.settings = settings

    def for_array(self, path: str, io: Any) -> ArrayChunkCache | None:
        """The cache the chunk I/O ``io`` of the array at ``path`` uses (None: no caching)."""
        settings = self._own.get(path, self.settings)
        if settings.nbytes <= 0 or settings.nslots <= 0:
            return None
        with self.lock:
            cache = self._arrays.get(path)
            if cache is None:
                cache = self._arrays[path] = ArrayChunkCache(settings, self.lock)
            cache.bind(io)
            return cache

    def flush(self, path: str = "") -> None:
        """Write back the dirty chunks of the arrays at or under ``path`` ('' : all of them)."""
        with self.lock:
            for p, cache in list(self._arrays.items()):
                if _under(p, path):
                    cache.flush()

    def discard(self, path: str = "", keep_settings: bool = False) -> None:
        """Forget, unwritten, the cached chunks of the arrays at or under ``path`` (deleted, or to be
        read again); open handles keep their (now empty) caches, still flushed with the File."""
        with self.lock:
            for p, cache in self._arrays.items():
                if _under(p, path):
                    cache.clear()
            if not keep_settings:
                for p in [p for p in self._own if _under(p, path)]:
                    del self._own[p]


def _under(p: str, path: str) -> bool:
    path = path.strip("/")
    return not path or p == path or p.startswith(path + "/")
