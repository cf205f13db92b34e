"""The v3 chunk pipeline: the interface of :class:`zarr5.codecs.pipeline.ChunkPipeline` over a v3 chain."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from zarr5.codecs.pipeline import check_out
from zarr5.codecs.v3.array_codecs import VlenUtf8Codec
from zarr5.codecs.v3.chain import CodecChain
from zarr5.codecs.v3.fill import is_fill
from zarr5.codecs.v3.sharding import ShardCodec

__all__ = ["V3ArrayLike", "V3Pipeline"]


class V3ArrayLike(Protocol):
    """What the pipeline reads of an array's metadata (``ArrayMetadataV3`` has all of it)."""

    # read-only: the metadata is a frozen dataclass
    @property
    def dtype(self) -> np.dtype: ...
    @property
    def chunk_shape(self) -> tuple[int, ...]: ...
    @property
    def fill_value(self) -> Any: ...
    @property
    def codecs(self) -> Sequence[dict]: ...
    @property
    def order(self) -> str: ...


class V3Pipeline:
    """Encode and decode the chunks (for a sharded array: whole shards) of one v3 array.

    ``sharding`` is the :class:`~zarr5.codecs.v3.sharding.ShardCodec` when the chain is
    ``sharding_indexed`` alone (what zarr-python 3 and tensorstore write), for partial reads and
    writes of shards; else None, and whole chunks go through :meth:`encode` / :meth:`decode`.

    Examples
    --------
    >>> from zarr5.metadata.v3 import build_v3_metadata
    >>> p = V3Pipeline(build_v3_metadata((4, 4), (2, 2), 'i4', order='F', compressor=None))
    >>> p.decode(p.encode(np.arange(4, dtype='i4').reshape(2, 2)), key='c/0/0')
    array([[0, 1],
           [2, 3]], dtype=int32)
    >>> p.order, p.sharding is None
    ('F', True)
    """

    def __init__(self, meta: V3ArrayLike) -> None:
        self.dtype = np.dtype(meta.dtype)
        self.chunk_shape = tuple(int(n) for n in meta.chunk_shape)
        self.order = meta.order
        self.fill_value = meta.fill_value
        self.size = math.prod(self.chunk_shape)
        self.nbytes = self.size * self.dtype.itemsize
        self.chain = CodecChain(meta.codecs, self.dtype, self.chunk_shape, meta.fill_value)
        ab = self.chain.array_bytes
        only = not self.chain.array_array and not self.chain.bytes_bytes
        self.sharding: ShardCodec | None = ab if isinstance(ab, ShardCodec) and only else None
        # strings: the numcodecs codec that checks a written value can be stored, before any chunk is
        self.object_codec = ab.codec if isinstance(ab, VlenUtf8Codec) else None

    def __repr__(self) -> str:
        return f"V3Pipeline({self.chain!r}, order={self.order!r})"

    def encode(self, chunk: np.ndarray) -> bytes:
        """Return the stored bytes of ``chunk`` (a chunk-shaped array of the pipeline's dtype)."""
        arr = np.asarray(chunk)
        if arr.shape != self.chunk_shape:
            raise ValueError(f"chunk has shape {arr.shape}; expected {self.chunk_shape}")
        return self.chain.encode(arr.astype(self.dtype, copy=False))

    def decode(self, data: Any, key: str = "", out: np.ndarray | None = None) -> np.ndarray:
        """Return the chunk stored as ``data``; with ``out``, decode into it and return it.

        ``out`` must be chunk-shaped, of the pipeline's dtype and writable; when it is laid out in the
        pipeline's order and the chain ends in Blosc, the bytes are decompressed straight into it.

        Raises
        ------
        CorruptChunkError
            Naming ``key`` when a codec fails or the decoded data is not one chunk of the dtype.
        """
        if out is not None:
            check_out(out, self.chunk_shape, self.dtype)  # a caller's mistake, not a bad chunk
        return self.chain.decode(data, key, out=out)

    def is_fill(self, chunk: np.ndarray, fill_value: Any) -> bool:
        """Return True when every item of ``chunk`` has the bytes of ``fill_value`` (so it is not stored)."""
        return is_fill(chunk, fill_value)
