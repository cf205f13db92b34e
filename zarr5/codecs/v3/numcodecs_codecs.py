"""numcodecs codecs inside a v3 chain (``numcodecs.delta``, ``numcodecs.lzma``, ...), as zarr-python 3
writes them: an array -> array filter keeps the chunk's shape (it may change the dtype: ``astype``), a
bytes -> bytes codec maps bytes to bytes."""

from __future__ import annotations

from typing import Any

import numcodecs
import numpy as np

from zarr5.codecs.v3.base import ArrayArrayCodec, BytesBytesCodec, as_buffer

__all__ = ["NumcodecsArrayArray", "NumcodecsBytesBytes"]


class NumcodecsArrayArray(ArrayArrayCodec):
    """A numcodecs filter on a chunk of ``shape`` and ``dtype``; ``out_dtype`` is what it hands on."""

    def __init__(self, cid: str, config: dict, dtype: np.dtype, out_dtype: np.dtype) -> None:
        self.name = f"numcodecs.{cid}"
        self.codec = numcodecs.get_codec({"id": cid, **config})
        self.dtype, self.out_dtype = np.dtype(dtype), np.dtype(out_dtype)

    def resolve_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        return shape

    def encode(self, arr: np.ndarray) -> np.ndarray:
        out = np.asarray(self.codec.encode(np.ascontiguousarray(arr, dtype=self.dtype)))
        return out.view(self.out_dtype).reshape(arr.shape) if out.dtype != self.out_dtype else out.reshape(
            arr.shape)

    def decode(self, arr: np.ndarray) -> np.ndarray:
        out = np.asarray(self.codec.decode(np.ascontiguousarray(arr)))
        return out.view(self.dtype).reshape(arr.shape) if out.dtype != self.dtype else out.reshape(arr.shape)


class NumcodecsBytesBytes(BytesBytesCodec):
    """A numcodecs compressor or checksum on bytes."""

    def __init__(self, cid: str, config: dict) -> None:
        self.name = f"numcodecs.{cid}"
        self.codec = numcodecs.get_codec({"id": cid, **config})

    def encode(self, data: Any) -> bytes:
        out = self.codec.encode(as_buffer(data))
        return out.tobytes() if isinstance(out, np.ndarray) else bytes(out)

    def decode(self, data: Any, key: str) -> Any:
        out = self.codec.decode(as_buffer(data))
        return out
