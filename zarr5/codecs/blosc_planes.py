"""A few items of a byte-shuffled Blosc chunk, read without unshuffling it.

Blosc's byte shuffle splits every block of ``bsz`` bytes into ``typesize`` planes of ``bsz // typesize``
bytes (plane ``p`` holds byte ``p`` of each item), leaving the last ``bsz % typesize`` bytes of a block
as they were. Decompressing a chunk with its header's shuffle bit cleared leaves those planes in place,
which skips the unshuffle pass (a third of the time of a 4 MB lz4 chunk in numcodecs' SSE2 build); the
bytes of the few items a sliver (one column of a chunk) wants are then picked from the planes.

Only Blosc 1 chunks with the byte shuffle qualify: not bit-shuffled, not stored as a plain copy, items
wider than one byte and blocks a whole number of items long (every Blosc 1 writer makes them so).
"""

from __future__ import annotations

import math
import struct
import threading
from typing import Any

import numpy as np

# header flag bits (c-blosc's blosc.h; 0x08 is unused by Blosc 1, so a chunk setting it is left alone),
# and the formats whose 16-byte header this module knows
_SHUFFLE, _MEMCPYED, _BITSHUFFLE, _UNKNOWN = 0x01, 0x02, 0x04, 0x08
_FORMATS = (1, 2)
# format version, flags, typesize, decoded size, block size, stored size (little-endian, 16 bytes)
_HEADER = struct.Struct("<BxBBIII").unpack_from

_local = threading.local()
# plane_positions' answers (a dict keeps insertion order: the first key is the oldest)
_CACHED_SELECTIONS, _CACHED_BYTES = 64, 1 << 17  # at most 8 MB
_positions: dict[tuple, tuple[np.ndarray, tuple[int, ...]]] = {}
_positions_lock = threading.Lock()


def shuffled_layout(data: Any, nbytes: int) -> tuple[int, int] | None:
    """``(typesize, blocksize)`` of a Blosc chunk of ``nbytes`` decoded bytes whose blocks are byte-shuffled
    planes, else None (another layout, or a header that does not add up: the usual decode reports it)."""
    if len(data) < 16:
        return None
    version, flags, typesize, size, blocksize, cbytes = _HEADER(data)
    if version not in _FORMATS or flags & (_MEMCPYED | _BITSHUFFLE | _UNKNOWN) or not flags & _SHUFFLE \
            or typesize < 2 or size != nbytes or cbytes != len(data) or not 0 < blocksize <= nbytes \
            or blocksize % typesize:
        return None
    return typesize, blocksize


def unshuffled(data: Any) -> memoryview:
    """A copy of ``data`` in this thread's reused buffer with the header's shuffle bit cleared:
    decompressing it leaves every block as its planes."""
    size = len(data)
    whole = getattr(_local, "buf", None)
    if whole is None or len(whole) < size:
        whole = _local.buf = bytearray(max(size, 1 << 16))
    buf = memoryview(whole)[:size]
    buf[:] = data
    buf[2] &= ~_SHUFFLE
    return buf


def gather(planes: np.ndarray, positions: np.ndarray, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """The items whose bytes sit at ``positions`` (from :func:`plane_positions`) of the decoded ``planes``
    (flat bytes), as a new array of ``dtype`` and ``shape``."""
    return planes.take(positions).view(dtype).reshape(shape)


def plane_positions(chunk_shape: tuple[int, ...], order: str, itemsize: int, selection: tuple,
                    blocksize: int, typesize: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """Where the bytes of the items a basic ``selection`` picks lie in a chunk decoded as planes, and the
    selection's shape: ``(positions, shape)``, positions of shape ``shape + (itemsize,)``. ``selection``
    holds ints and ``(start, stop, step)`` triples (see :func:`selection_key`). Cached (the chunks of one
    column share their selection, and programs read the same columns again): up to
    ``_CACHED_SELECTIONS`` answers of at most ``_CACHED_BYTES`` each, the oldest dropped first."""
    key = (chunk_shape, order, itemsize, selection, blocksize, typesize)
    found = _positions.get(key)
    if found is not None:
        return found
    found = _plane_positions(*key)
    if found[0].nbytes <= _CACHED_BYTES:
        with _positions_lock:
            if len(_positions) >= _CACHED_SELECTIONS:
                del _positions[next(iter(_positions))]
            _positions[key] = found
    return found


def _plane_positions(chunk_shape: tuple[int, ...], order: str, itemsize: int, selection: tuple,
                    blocksize: int, typesize: int) -> tuple[np.ndarray, tuple[int, ...]]:
    # the flat item index of each picked item, in the chunk's memory order
    strides = [math.prod(chunk_shape[i + 1:]) for i in range(len(chunk_shape))] if order == "C" else \
        [math.prod(chunk_shape[:i]) for i in range(len(chunk_shape))]
    ranges = [np.arange(*s, dtype=np.int64) * stride
              for s, stride in zip(selection, strides) if type(s) is tuple]
    base = sum(s * stride for s, stride in zip(selection, strides) if type(s) is int)
    shape = tuple(len(r) for r in ranges)
    items = np.full(shape, base, dtype=np.int64)
    for axis, r in enumerate(ranges):
        items += r.reshape((-1,) + (1,) * (len(ranges) - axis - 1))
    nbytes = math.prod(chunk_shape) * itemsize
    offsets = items[..., None] * itemsize + np.arange(itemsize, dtype=np.int64)
    # byte o of the chunk: block o // blocksize, byte r of that block, planes of bsz // typesize bytes
    block, r = np.divmod(offsets, blocksize)
    bsz = np.where(block == nbytes // blocksize, nbytes % blocksize, blocksize)
    plane = bsz // typesize
    in_planes = r < plane * typesize  # a block's trailing bsz % typesize bytes are not shuffled
    positions = np.where(in_planes, block * blocksize + (r % typesize) * plane + r // typesize, offsets)
    positions.flags.writeable = False  # shared by every caller of the cache
    return positions, shape


def selection_key(selection: tuple, chunk_shape: tuple[int, ...]) -> tuple[tuple, int] | None:
    """A basic selection (ints and slices, one per axis) as a hashable key of ints and
    ``(start, stop, step)`` triples, and how many items it picks; None for any other selection."""
    if len(selection) != len(chunk_shape):
        return None
    key: list[Any] = []
    count = 1
    for s, n in zip(selection, chunk_shape):
        if type(s) is slice:
            triple = s.indices(n)
            count *= len(range(*triple))
            key.append(triple)
        elif isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_)):
            i = int(s)
            if not -n <= i < n:
                return None
            key.append(i % n)
        else:
            return None
    return tuple(key), count
