"""The v3 ``sharding_indexed`` codec: many inner chunks in one stored object, found through an index.

A shard holds the encoded inner chunks back to back and an index of ``chunks_per_shard + (2,)`` uint64
(offset, nbytes) pairs, in C order of the inner chunks, encoded with its own fixed-size codecs and placed
at the ``start`` or ``end`` of the shard. An inner chunk that is not stored (all fill value) has both
numbers ``2**64 - 1``. Offsets count from the start of the shard, index included.

The engine uses the parts one by one: fetch the index with one range read (:meth:`ShardCodec.index_range`,
:meth:`ShardCodec.decode_index`), then only the inner chunks it needs (:meth:`ShardCodec.locate`,
:meth:`ShardCodec.decode_inner`); and rewrites a shard from its stored inner chunks and the changed ones
(:meth:`ShardCodec.split`, :meth:`ShardCodec.encode_inner`, :meth:`ShardCodec.assemble`) without
decoding the rest. As an array -> bytes codec it also encodes and decodes whole shards.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from zarr5.codecs.v3.base import ArrayBytesCodec, as_buffer
from zarr5.codecs.v3.chain import CodecChain
from zarr5.codecs.v3.fill import is_fill
from zarr5.errors import CorruptChunkError

__all__ = ["EMPTY", "ShardCodec"]

#: the index entry of an inner chunk that is not stored
EMPTY = np.uint64(2**64 - 1)


class ShardCodec(ArrayBytesCodec):
    """Encode and decode the shards of one array, whole or inner chunk by inner chunk.

    Parameters
    ----------
    config : mapping
        The normalised ``sharding_indexed`` configuration (``chunk_shape``, ``codecs``,
        ``index_codecs``, ``index_location``).
    dtype : numpy.dtype
        The array's (native) dtype.
    shard_shape : tuple of int
        The shape of a shard (the array's chunk grid), a multiple of ``chunk_shape``.
    fill_value : scalar
        What inner chunks that are not stored read as.

    Examples
    --------
    >>> conf = {'chunk_shape': [2], 'codecs': [{'name': 'bytes', 'configuration': {'endian': 'little'}}],
    ...         'index_codecs': [{'name': 'bytes', 'configuration': {'endian': 'little'}},
    ...                          {'name': 'crc32c'}], 'index_location': 'end'}
    >>> sc = ShardCodec(conf, np.dtype('u1'), (6,), 0)
    >>> shard = sc.assemble({(2,): sc.encode_inner(np.array([7, 8], 'u1'))})
    >>> len(shard), sc.index_range()
    (54, ('suffix', 52))
    >>> sc.decode(shard, key='c/0')
    array([0, 0, 0, 0, 7, 8], dtype=uint8)
    """

    name = "sharding_indexed"

    def __init__(self, config: Mapping[str, Any], dtype: np.dtype, shard_shape: tuple[int, ...],
                 fill_value: Any) -> None:
        self.dtype = np.dtype(dtype)
        self.shard_shape = tuple(int(n) for n in shard_shape)
        self.inner_chunk_shape = tuple(int(n) for n in config["chunk_shape"])
        if len(self.inner_chunk_shape) != len(self.shard_shape) or any(
                c <= 0 or s % c for s, c in zip(self.shard_shape, self.inner_chunk_shape)):
            raise ValueError(f"inner chunk shape {self.inner_chunk_shape} does not divide the shard shape "
                             f"{self.shard_shape}")
        self.chunks_per_shard = tuple(s // c for s, c in zip(self.shard_shape, self.inner_chunk_shape))
        self.index_location = config.get("index_location", "end")
        if self.index_location not in ("start", "end"):
            raise ValueError(f"index_location {self.index_location!r} must be 'start' or 'end'")
        self.fill_value = fill_value
        self.inner = CodecChain(config["codecs"], self.dtype, self.inner_chunk_shape, fill_value)
        self.index_chain = CodecChain(config["index_codecs"], np.dtype("u8"), self.chunks_per_shard + (2,),
                                      None)
        size = self.index_chain.encoded_size()
        if size is None:
            raise ValueError("the shard index codecs must have a fixed encoded size")
        self.index_nbytes: int = size
        self.n_inner = math.prod(self.chunks_per_shard)

    def __repr__(self) -> str:
        return (f"ShardCodec(shard_shape={self.shard_shape}, inner_chunk_shape={self.inner_chunk_shape}, "
                f"inner={self.inner!r}, index_location={self.index_location!r})")

    # the index -------------------------------------------------------------------------------------

    def index_range(self) -> tuple[str, int]:
        """Return how to fetch the index with one range read: ``('suffix' | 'prefix', index_nbytes)``."""
        return ("suffix" if self.index_location == "end" else "prefix", self.index_nbytes)

    def empty_index(self) -> np.ndarray:
        """Return an index in which no inner chunk is stored."""
        return np.full(self.chunks_per_shard + (2,), EMPTY, dtype=np.uint64)

    def encode_index(self, index: np.ndarray) -> bytes:
        """Return the stored bytes of ``index`` (shape ``chunks_per_shard + (2,)``, uint64)."""
        index = np.asarray(index, dtype=np.uint64)
        if index.shape != self.chunks_per_shard + (2,):
            raise ValueError(f"index has shape {index.shape}; expected {self.chunks_per_shard + (2,)}")
        return self.index_chain.encode(index)

    def decode_index(self, index_bytes: Any, key: str) -> np.ndarray:
        """Return the index stored as ``index_bytes``: a writable uint64 array ``chunks_per_shard + (2,)``.

        Raises
        ------
        CorruptChunkError
            Naming ``key`` when the bytes have the wrong size, fail their checksum, or hold an entry
            with only one of offset and nbytes marked empty.
        """
        buf = as_buffer(index_bytes)
        if len(buf) != self.index_nbytes:
            raise CorruptChunkError(f"shard {key!r}: its index has {len(buf)} bytes; expected "
                                    f"{self.index_nbytes}")
        index = np.array(self.index_chain.decode(buf, f"{key} (shard index)"), dtype=np.uint64)
        empty = index == EMPTY
        if np.any(empty[..., 0] != empty[..., 1]):
            raise CorruptChunkError(f"shard {key!r}: its index has entries with only one of offset and "
                                    f"nbytes empty")
        return index

    def read_index(self, shard: Any, key: str) -> np.ndarray:
        """Return the decoded index of the whole stored shard ``shard``."""
        buf = as_buffer(shard)
        if len(buf) < self.index_nbytes:
            raise CorruptChunkError(f"shard {key!r} is truncated: {len(buf)} bytes cannot hold its "
                                    f"{self.index_nbytes}-byte index")
        part = buf[len(buf) - self.index_nbytes:] if self.index_location == "end" else buf[:self.index_nbytes]
        return self.decode_index(part, key)

    def locate(self, index: np.ndarray, coords: tuple[int, ...]) -> tuple[int, int] | None:
        """Return ``(offset, nbytes)`` of the inner chunk at ``coords``, or None when it is not stored."""
        offset, nbytes = index[tuple(coords)]
        if offset == EMPTY:
            return None
        return int(offset), int(nbytes)

    # inner chunks ----------------------------------------------------------------------------------

    def inner_coords(self) -> Iterator[tuple[int, ...]]:
        """Yield the coordinates of every inner chunk of a shard, in C order."""
        return np.ndindex(*self.chunks_per_shard)

    def shard_of(self, coords: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Return (shard position, position in the shard) of the inner chunk at ``coords`` of the array's
        inner chunk grid (the grid of ``inner_chunk_shape`` over the whole array).

        Examples
        --------
        >>> conf = {'chunk_shape': [2, 2], 'codecs': [{'name': 'bytes', 'configuration': {}}],
        ...         'index_codecs': [{'name': 'bytes', 'configuration': {'endian': 'little'}}]}
        >>> ShardCodec(conf, np.dtype('u1'), (4, 6), 0).shard_of((5, 4))
        ((2, 1), (1, 1))
        """
        return (tuple(c // n for c, n in zip(coords, self.chunks_per_shard)),
                tuple(c % n for c, n in zip(coords, self.chunks_per_shard)))

    def inner_selection(self, coords: tuple[int, ...]) -> tuple[slice, ...]:
        """Return the part of a shard that the inner chunk at ``coords`` covers."""
        return tuple(slice(i * c, (i + 1) * c) for i, c in zip(coords, self.inner_chunk_shape))

    def encode_inner(self, chunk: np.ndarray) -> bytes:
        """Return the stored bytes of one inner chunk (of ``inner_chunk_shape``)."""
        chunk = np.asarray(chunk)
        if chunk.shape != self.inner_chunk_shape:
            raise ValueError(f"inner chunk has shape {chunk.shape}; expected {self.inner_chunk_shape}")
        return self.inner.encode(chunk.astype(self.dtype, copy=False))

    def decode_inner(self, data: Any, key: str, out: np.ndarray | None = None) -> np.ndarray:
        """Return one inner chunk stored as ``data``; ``key`` names it in errors (e.g. ``'c/0/0 [1, 2]'``).

        ``out`` (inner-chunk-shaped, of the dtype, writable; a view into a shard or a result is fine)
        receives the values when given.
        """
        if out is not None and (out.shape != self.inner_chunk_shape or out.dtype != self.dtype
                                or not out.flags.writeable):
            # a caller's mistake, not a bad chunk: checked before any decoding
            raise ValueError(f"out has shape {out.shape} and dtype {out.dtype}; expected a writable "
                             f"{self.inner_chunk_shape} array of {self.dtype}")
        return self.inner.decode(data, key, out=out)

    def is_fill_inner(self, chunk: np.ndarray) -> bool:
        """Return True when every item of the inner chunk equals the fill value (it need not be stored)."""
        return is_fill(chunk, self.fill_value)

    def assemble(self, encoded: Mapping[tuple[int, ...], Any]) -> bytes:
        """Return a whole shard holding the encoded inner chunks ``encoded`` (coords -> bytes).

        Inner chunks not in ``encoded`` are not stored (they read as the fill value). The chunks are laid
        out in C order of their coordinates, the index before or after them.
        """
        index = self.empty_index()
        offset = self.index_nbytes if self.index_location == "start" else 0
        parts = []
        for coords in sorted(tuple(int(i) for i in c) for c in encoded):
            if len(coords) != len(self.chunks_per_shard) or not all(
                    0 <= i < n for i, n in zip(coords, self.chunks_per_shard)):
                raise ValueError(f"inner chunk {coords} is outside a shard of {self.chunks_per_shard} chunks")
            data = as_buffer(encoded[coords])
            index[coords] = (offset, len(data))
            offset += len(data)
            parts.append(data)
        head = self.encode_index(index)
        return b"".join([head, *parts] if self.index_location == "start" else [*parts, head])

    def split(self, shard: Any, key: str) -> dict[tuple[int, ...], bytes]:
        """Return every inner chunk stored in the whole shard ``shard``: coords -> encoded bytes.

        Raises
        ------
        CorruptChunkError
            Naming ``key`` when the index is bad or points outside the shard's data.
        """
        buf = as_buffer(shard)
        index = self.read_index(buf, key)
        out = {}
        for coords in self.inner_coords():
            where = self._checked(index, coords, len(buf), key)
            if where is not None:
                out[coords] = bytes(buf[where[0]:where[0] + where[1]])
        return out

    def _checked(self, index: np.ndarray, coords: tuple[int, ...], size: int,
                 key: str) -> tuple[int, int] | None:
        where = self.locate(index, coords)
        if where is None:
            return None
        start, stop = (self.index_nbytes, size) if self.index_location == "start" else (
            0, size - self.index_nbytes)
        if where[0] < start or where[0] + where[1] > stop:
            raise CorruptChunkError(f"shard {key!r}: the index places inner chunk {list(coords)} at bytes "
                                    f"[{where[0]}, {where[0] + where[1]}), outside the shard's data "
                                    f"[{start}, {stop})")
        return where

    # as an array -> bytes codec --------------------------------------------------------------------

    def encode(self, arr: np.ndarray) -> bytes:
        """Return a whole shard for ``arr`` (of the shard shape); inner chunks of fill value are left out."""
        encoded = {}
        for coords in self.inner_coords():
            chunk = arr[self.inner_selection(coords)]
            if not self.is_fill_inner(chunk):
                encoded[coords] = self.inner.encode(chunk)
        return self.assemble(encoded)

    def encoded_size(self) -> None:
        return None

    def decode(self, data: Any, key: str, out: np.ndarray | None = None) -> np.ndarray:
        """Return the whole shard stored as ``data``; with ``out``, decode into it."""
        buf = as_buffer(data)
        index = self.read_index(buf, key)
        if out is None:
            out = np.empty(self.shard_shape, dtype=self.dtype)
        for coords in self.inner_coords():
            where = self._checked(index, coords, len(buf), key)
            target = out[self.inner_selection(coords)]
            if where is None:
                target[...] = self.fill_value
            else:
                self.inner.decode(buf[where[0]:where[0] + where[1]], f"{key} {list(coords)}", out=target)
        return out
