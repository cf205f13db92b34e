"""The v3 ``transpose`` (array -> array) and ``bytes`` (array -> bytes) codecs."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from zarr5.codecs.v3.base import ArrayArrayCodec, ArrayBytesCodec, as_buffer
from zarr5.errors import CorruptChunkError

__all__ = ["BytesCodec", "TransposeCodec"]


class TransposeCodec(ArrayArrayCodec):
    """Permute a chunk's axes: encoded axis ``i`` is decoded axis ``order[i]``.

    Examples
    --------
    >>> t = TransposeCodec([1, 0])
    >>> t.encode(np.zeros((2, 3))).shape, t.resolve_shape((2, 3))
    ((3, 2), (3, 2))
    """

    name = "transpose"

    def __init__(self, order: list[int] | tuple[int, ...]) -> None:
        self.order = tuple(int(i) for i in order)
        if sorted(self.order) != list(range(len(self.order))):
            raise ValueError(f"transpose order {list(order)!r} is not a permutation of the axes")
        self.inverse = tuple(int(i) for i in np.argsort(self.order))

    def resolve_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(shape[i] for i in self.order)

    def encode(self, arr: np.ndarray) -> np.ndarray:
        return arr.transpose(self.order)

    def decode(self, arr: np.ndarray) -> np.ndarray:
        return arr.transpose(self.inverse)


class BytesCodec(ArrayBytesCodec):
    """Lay an array's items out in C order with the given byte order.

    Parameters
    ----------
    dtype : numpy.dtype
        The (native) dtype of the arrays it encodes.
    shape : tuple of int
        The shape of the arrays it encodes.
    endian : {'little', 'big'} or None
        The stored byte order; None only for one-byte items.

    Examples
    --------
    >>> c = BytesCodec(np.dtype('u2'), (2,), 'big')
    >>> c.encode(np.array([1, 2], 'u2'))
    b'\\x00\\x01\\x00\\x02'
    >>> c.decode(b'\\x00\\x01\\x00\\x02', key='c/0')
    array([1, 2], dtype=uint16)
    """

    name = "bytes"

    def __init__(self, dtype: np.dtype, shape: tuple[int, ...], endian: str | None) -> None:
        self.dtype = np.dtype(dtype)
        self.shape = tuple(shape)
        self.endian = endian
        prefix: Literal["<", ">", "="] = "<" if endian == "little" else ">" if endian == "big" else "="
        # void items have no byte order; numpy keeps '|' for them whatever is asked
        self.stored = self.dtype.newbyteorder(prefix) if self.dtype.itemsize > 1 else self.dtype
        self.native = self.stored == self.dtype or self.stored.isnative
        self.nbytes = math.prod(self.shape) * self.dtype.itemsize

    def encoded_size(self) -> int:
        return self.nbytes

    def encode(self, arr: np.ndarray) -> bytes:
        if not self.native:
            arr = arr.astype(self.stored)
        return arr.tobytes(order="C")

    def decode(self, data: Any, key: str, out: np.ndarray | None = None) -> np.ndarray:
        buf = as_buffer(data)
        if len(buf) != self.nbytes:
            raise CorruptChunkError(f"chunk {key!r} decodes to {len(buf)} bytes; a chunk of shape "
                                    f"{self.shape} and dtype {self.dtype} has {self.nbytes}")
        arr = np.frombuffer(buf, dtype=self.stored).reshape(self.shape)
        if out is not None:
            out[...] = arr  # converts the byte order on the way, if it differs
            return out
        return arr if self.native else arr.astype(self.dtype)


class VlenUtf8Codec(ArrayBytesCodec):
    """``vlen-utf8``: a chunk of strings as numcodecs' VLenUTF8 writes it (an item count, then each
    item's length and UTF-8 bytes), as zarr-python 3 stores its ``string`` data type.

    Examples
    --------
    >>> c = VlenUtf8Codec((2,))
    >>> c.decode(c.encode(np.array(['a', 'bc'], dtype=object)), key='c/0').tolist()
    ['a', 'bc']
    """

    name = "vlen-utf8"

    def __init__(self, shape: tuple[int, ...]) -> None:
        import numcodecs

        self.shape = tuple(shape)
        self.codec = numcodecs.VLenUTF8()

    def encoded_size(self) -> None:
        return None  # the size depends on the strings

    def encode(self, arr: np.ndarray) -> bytes:
        return bytes(self.codec.encode(np.ascontiguousarray(arr, dtype=object).reshape(-1)))

    def decode(self, data: Any, key: str, out: np.ndarray | None = None) -> np.ndarray:
        items = self.codec.decode(as_buffer(data))
        if items.size != math.prod(self.shape):
            raise CorruptChunkError(f"chunk {key!r} holds {items.size} strings; a chunk of shape "
                                    f"{self.shape} has {math.prod(self.shape)}")
        arr = items.reshape(self.shape)
        if out is not None:
            out[...] = arr
            return out
        return arr
