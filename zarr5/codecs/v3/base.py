"""The three kinds of Zarr v3 codec, as small abstract classes.

Contract: an array -> array codec maps a chunk-shaped array to another array (``encode``/``decode``,
``resolve_shape`` gives the shape it hands on); an array -> bytes codec maps an array of a known shape and
dtype to bytes and back, optionally decoding into a caller's ``out``; a bytes -> bytes codec maps bytes
to bytes, and says its output size when that is fixed (``encoded_size``). Codecs hold no mutable state,
so one instance may encode and decode from many threads at once. Errors about stored data are
:class:`~zarr5.errors.CorruptChunkError` naming the key.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

__all__ = ["ArrayArrayCodec", "ArrayBytesCodec", "BytesBytesCodec", "as_buffer"]


def as_buffer(data: Any) -> memoryview:
    """Return ``data`` (bytes, bytearray, memoryview, numpy array) as a flat unsigned-byte memoryview."""
    if isinstance(data, np.ndarray):
        data = np.ascontiguousarray(data).reshape(-1).view(np.uint8)
    view = memoryview(data)
    return view if view.format == "B" and view.ndim == 1 else view.cast("B")


class ArrayArrayCodec(ABC):
    """A codec from an array to an array of the same items (e.g. ``transpose``)."""

    name: str

    @abstractmethod
    def resolve_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """Return the shape of what :meth:`encode` makes of an array of ``shape``."""

    @abstractmethod
    def encode(self, arr: np.ndarray) -> np.ndarray:
        """Return the encoded array (may be a view)."""

    @abstractmethod
    def decode(self, arr: np.ndarray) -> np.ndarray:
        """Return the decoded array (may be a view)."""


class ArrayBytesCodec(ABC):
    """A codec from an array of one shape and dtype to bytes (``bytes``, ``sharding_indexed``)."""

    name: str

    @abstractmethod
    def encode(self, arr: np.ndarray) -> bytes:
        """Return the bytes stored for ``arr``."""

    @abstractmethod
    def decode(self, data: Any, key: str, out: np.ndarray | None = None) -> np.ndarray:
        """Return the array stored as ``data``; with ``out`` (of the shape and dtype), fill and return it."""

    def encoded_size(self) -> int | None:
        """Return the size of every encoding, or None when it depends on the data."""
        return None


class BytesBytesCodec(ABC):
    """A codec from bytes to bytes (compression, checksums)."""

    name: str

    @abstractmethod
    def encode(self, data: Any) -> bytes:
        """Return the encoding of ``data``."""

    @abstractmethod
    def decode(self, data: Any, key: str) -> Any:
        """Return the bytes encoded as ``data`` (bytes-like)."""

    def decode_bounded(self, data: Any, key: str, limit: int) -> Any:
        """:meth:`decode`, refusing output longer than ``limit`` bytes before producing it where the
        codec can (compressors); others decode and the caller checks the size."""
        return self.decode(data, key)

    def encoded_size(self, size: int) -> int | None:
        """Return the encoded size of ``size`` input bytes, or None when it depends on the data."""
        return None
