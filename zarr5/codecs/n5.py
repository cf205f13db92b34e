"""The N5 block format as a numcodecs codec (``n5_wrapper``): N5Store chunks as the engine sees them.

An N5 block is a header (mode, number of dimensions, the block's dimensions, fastest axis first), then
the items big-endian, compressed by N5's ``compression``. :class:`zarr5.storage.N5Store` presents an N5
array to the engine as a Zarr v2 array whose compressor is this codec wrapping that compression.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Mapping
from typing import Any

import numcodecs
import numpy as np
from numcodecs.abc import Codec
from numcodecs.compat import ensure_contiguous_ndarray_like, ensure_ndarray_like, ndarray_copy

from zarr5.codecs.registry import UNSAFE_CODEC_IDS
from zarr5.errors import UnsafeCodecError
from zarr5.storage.base import ensure_bytes
from zarr5.storage.n5 import N5_WRAPPER_ID

__all__ = ["N5ChunkWrapper"]


# the block codec -----------------------------------------------------------------------------------


class N5ChunkWrapper(Codec):
    """The N5 block format as a numcodecs codec: header, big-endian items, then an inner compressor.

    Registered under zarr-python 2.18's id ``n5_wrapper`` with the same configuration, so documents
    naming it (zarr-python's consolidated metadata of N5 stores, arrays copied out of N5 with
    ``copy_store``) decode with either library's implementation.

    Parameters
    ----------
    dtype : dtype-like
        The array's dtype (items are decoded to it).
    chunk_shape : sequence of int
        The array's chunk shape; smaller blocks (N5 writers truncate edge blocks) are padded with zeros.
    compressor_config : dict, optional
        The inner numcodecs compressor; None or ``{'id': 'raw'}`` for none.
    compressor : Codec, optional
        The inner compressor as an object (instead of ``compressor_config``).

    Examples
    --------
    >>> codec = N5ChunkWrapper('<u2', (1, 2, 3))
    >>> block = codec.encode(np.arange(1, 7, dtype='<u2').reshape(1, 2, 3))
    >>> block[:16].hex(' ', 2)
    '0000 0003 0000 0003 0000 0002 0000 0001'
    >>> codec.decode(block).tolist()
    [[[1, 2, 3], [4, 5, 6]]]
    """

    codec_id = N5_WRAPPER_ID

    def __init__(self, dtype: Any, chunk_shape: Iterable[int], compressor_config: Mapping | None = None,
                 compressor: Codec | None = None) -> None:
        self.dtype = np.dtype(dtype)
        if self.dtype.hasobject:
            raise ValueError(f"N5 blocks hold fixed-size items, not {self.dtype}")
        self.chunk_shape = tuple(int(n) for n in chunk_shape)
        if compressor is not None:
            if compressor_config is not None:
                raise ValueError("give compressor_config or compressor, not both")
            compressor_config = compressor.get_config()
        if compressor_config is not None and compressor_config.get("id") == "raw":
            compressor_config = None
        self._compressor: Codec | None = None
        self.compressor_config: dict | None = None
        if compressor_config is not None:
            codec_id = compressor_config.get("id")
            if codec_id in UNSAFE_CODEC_IDS:
                raise UnsafeCodecError(f"codec {codec_id!r} can run arbitrary code on read; refused inside "
                                       f"an N5 block")
            if codec_id == self.codec_id:
                raise ValueError("an N5 block cannot wrap another N5 block")
            self._compressor = numcodecs.get_codec(dict(compressor_config))
            self.compressor_config = self._compressor.get_config()
        self._big = self.dtype.newbyteorder(">")

    def get_config(self) -> dict[str, Any]:
        # dtype and chunk_shape make the configuration complete, so from_config(get_config()) works
        return {"id": self.codec_id, "compressor_config": self.compressor_config, "dtype": self.dtype.str,
                "chunk_shape": list(self.chunk_shape)}

    def __repr__(self) -> str:
        return (f"N5ChunkWrapper(dtype={self.dtype.str!r}, chunk_shape={self.chunk_shape!r}, "
                f"compressor={self._compressor!r})")

    def encode(self, buf: Any) -> bytes:
        """Return the N5 block holding ``buf`` (a chunk, or its items' bytes in C order)."""
        block = ensure_ndarray_like(buf)
        if block.dtype != self.dtype:
            same_item = block.dtype.kind == self.dtype.kind and block.dtype.itemsize == self.dtype.itemsize
            block = (block.astype(self.dtype) if same_item
                     else np.ascontiguousarray(block).reshape(-1).view(np.uint8).view(self.dtype))
        if block.ndim != len(self.chunk_shape):
            block = block.reshape(self.chunk_shape)  # a flat buffer from filters: one whole chunk
        block = np.ascontiguousarray(block).astype(self._big, copy=False)
        header = struct.pack(f">HH{block.ndim}I", 0, block.ndim, *block.shape[::-1])
        if self._compressor is None:
            return header + block.tobytes()
        # the array, not its bytes, goes in: Blosc shuffles by the item size it reads from it
        return header + ensure_bytes(self._compressor.encode(block))

    def decode(self, buf: Any, out: Any = None) -> Any:
        """Return the chunk stored in the N5 block ``buf`` (into ``out`` when given).

        Raises
        ------
        ValueError
            For a truncated header, a mode other than default (0) or a varlength block (1) holding
            one item per position, a block of other dimensions than the chunk, or a payload of the
            wrong size.
        """
        raw = memoryview(ensure_contiguous_ndarray_like(buf)).cast("B")
        shape, header = self._read_header(raw)
        payload = raw[header:]
        data = payload if self._compressor is None else self._compressor.decode(payload)
        items = ensure_contiguous_ndarray_like(data).reshape(-1).view(np.uint8)
        expected = math.prod(shape) * self.dtype.itemsize
        if items.nbytes != expected:
            raise ValueError(f"N5 block of shape {shape} holds {items.nbytes} bytes of data; expected "
                             f"{expected}")
        block = items.view(self._big).reshape(shape)
        if shape == self.chunk_shape:
            chunk = block.astype(self.dtype)
        else:
            # an edge block cut to the array's end (as Java N5 writes it): the rest reads as zeros
            chunk = np.zeros(self.chunk_shape, dtype=self.dtype)
            chunk[tuple(slice(0, n) for n in shape)] = block
        return ndarray_copy(chunk, out) if out is not None else chunk

    def _read_header(self, raw: memoryview) -> tuple[tuple[int, ...], int]:
        if len(raw) < 4:
            raise ValueError(f"N5 block of {len(raw)} bytes is shorter than its header")
        mode, ndim = struct.unpack_from(">HH", raw, 0)
        if mode not in (0, 1):
            raise ValueError(f"N5 block mode {mode} is not supported (only default 0 and varlength 1)")
        header = 4 + 4 * ndim + (4 if mode == 1 else 0)
        if len(raw) < header:
            raise ValueError(f"N5 block of {len(raw)} bytes is shorter than its {header}-byte header")
        shape = struct.unpack_from(f">{ndim}I", raw, 4)[::-1]
        if ndim != len(self.chunk_shape) or any(b > c for b, c in zip(shape, self.chunk_shape)):
            raise ValueError(f"N5 block of shape {shape} does not fit chunks of shape {self.chunk_shape}")
        if mode == 1:
            (count,) = struct.unpack_from(">I", raw, 4 + 4 * ndim)
            if count != math.prod(shape):
                raise ValueError(f"varlength N5 block holds {count} items for {math.prod(shape)} "
                                 f"positions; only one item per position is supported")
        return shape, header


# zarr-python registers its own class under this id when it is imported; either reads the same bytes
numcodecs.register_codec(N5ChunkWrapper)
