"""The v3 bytes -> bytes codecs: ``blosc``, ``gzip``, ``zstd`` (through numcodecs) and ``crc32c``."""

from __future__ import annotations

from typing import Any

import numcodecs
import numpy as np

from zarr5.codecs.bounded import decode_bounded
from zarr5.codecs.v3.base import BytesBytesCodec, as_buffer
from zarr5.errors import CorruptChunkError

__all__ = ["BloscCodec", "Crc32cCodec", "GzipCodec", "ZstdCodec", "crc32c"]

_SHUFFLES = {"noshuffle": 0, "shuffle": 1, "bitshuffle": 2}
# Blosc writes a 16-byte header holding the decoded and encoded sizes, so it can be checked up front
_BLOSC_HEADER = 16


class BloscCodec(BytesBytesCodec):
    """Blosc compression; ``typesize`` is the item size the shuffle works on."""

    name = "blosc"

    def __init__(self, cname: str, clevel: int, shuffle: str, typesize: int, blocksize: int = 0) -> None:
        self.typesize = int(typesize)
        self.codec = numcodecs.Blosc(cname=cname, clevel=clevel, shuffle=_SHUFFLES[shuffle],
                                     blocksize=blocksize)

    def encode(self, data: Any) -> bytes:
        buf = np.frombuffer(as_buffer(data), dtype=np.uint8)
        if self.typesize > 1 and buf.size % self.typesize == 0:
            # numcodecs takes the shuffle's item size from the buffer, so the bytes go as typesize items
            buf = buf.view(f"V{self.typesize}")
        return bytes(self.codec.encode(buf))

    def decode(self, data: Any, key: str) -> Any:
        nbytes = self._check_header(data, key)
        out = np.empty(nbytes, dtype=np.uint8)
        self.codec.decode(data, out=out)
        return out

    def decode_into(self, data: Any, key: str, out: np.ndarray) -> None:
        """Decompress straight into ``out`` (a writable contiguous array), releasing the GIL."""
        target = out.reshape(-1).view(np.uint8)
        nbytes = self._check_header(data, key)
        if nbytes != target.nbytes:
            raise CorruptChunkError(f"chunk {key!r} decodes to {nbytes} bytes; expected {target.nbytes}")
        self.codec.decode(data, out=target)

    def _check_header(self, data: Any, key: str) -> int:
        raw = as_buffer(data)
        if len(raw) < _BLOSC_HEADER:
            raise CorruptChunkError(f"chunk {key!r} is truncated: {len(raw)} bytes is shorter than a Blosc "
                                    f"header")
        cbytes = int.from_bytes(raw[12:16], "little")
        if cbytes != len(raw):
            raise CorruptChunkError(f"chunk {key!r} is truncated or padded: its Blosc header says {cbytes} "
                                    f"bytes, {len(raw)} are stored")
        return int.from_bytes(raw[4:8], "little")


class GzipCodec(BytesBytesCodec):
    """gzip (RFC 1952) compression."""

    name = "gzip"

    def __init__(self, level: int) -> None:
        self.codec = numcodecs.GZip(level=level)

    def encode(self, data: Any) -> bytes:
        return bytes(self.codec.encode(as_buffer(data)))

    def decode(self, data: Any, key: str) -> Any:
        return self.codec.decode(as_buffer(data))

    def decode_bounded(self, data: Any, key: str, limit: int) -> Any:
        return decode_bounded(self.codec, as_buffer(data), limit)


class ZstdCodec(BytesBytesCodec):
    """Zstandard compression, optionally with zstd's own content checksum."""

    name = "zstd"

    def __init__(self, level: int, checksum: bool = False) -> None:
        self.codec = numcodecs.Zstd(level=level, checksum=checksum)

    def encode(self, data: Any) -> bytes:
        return bytes(self.codec.encode(as_buffer(data)))

    def decode(self, data: Any, key: str) -> Any:
        return self.codec.decode(as_buffer(data))

    def decode_bounded(self, data: Any, key: str, limit: int) -> Any:
        decode_bounded(self.codec, as_buffer(data), limit)  # checks the declared size
        return self.codec.decode(as_buffer(data))


class Crc32cCodec(BytesBytesCodec):
    """Append the CRC32C (Castagnoli) of the data as 4 little-endian bytes; decoding verifies it.

    Examples
    --------
    >>> c = Crc32cCodec()
    >>> c.encode(b'abc')
    b'abc\\xb7?K6'
    >>> bytes(c.decode(c.encode(b'abc'), key='k'))
    b'abc'
    """

    name = "crc32c"

    def encode(self, data: Any) -> bytes:
        buf = as_buffer(data)
        return bytes(buf) + crc32c(buf).to_bytes(4, "little")

    def decode(self, data: Any, key: str) -> Any:
        buf = as_buffer(data)
        if len(buf) < 4:
            raise CorruptChunkError(f"chunk {key!r} is truncated: {len(buf)} bytes cannot hold a CRC32C")
        stored = int.from_bytes(buf[-4:], "little")
        actual = crc32c(buf[:-4])
        if stored != actual:
            raise CorruptChunkError(f"chunk {key!r} fails its CRC32C check: stored {stored:#010x}, "
                                    f"computed {actual:#010x}")
        return buf[:-4]

    def encoded_size(self, size: int) -> int:
        return size + 4


# CRC32C ---------------------------------------------------------------------------------------------


def _table() -> list[int]:
    poly = 0x82F63B78  # the Castagnoli polynomial, bit-reversed
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE: list[int] | None = None


def _crc32c_python(data: Any) -> int:
    # the slow fallback when no compiled CRC32C package is installed; exact, one byte at a time
    global _TABLE
    if _TABLE is None:
        _TABLE = _table()
    table, crc = _TABLE, 0xFFFFFFFF
    for b in bytes(data):
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _pick_crc32c() -> Any:
    try:
        from crc32c import crc32c as fast  # the 'crc32c' package numcodecs also uses
        return fast
    except ImportError:
        pass
    try:
        import google_crc32c

        return lambda data: google_crc32c.value(bytes(data))
    except ImportError:
        return _crc32c_python


#: ``crc32c(data) -> int``: the CRC32C of a bytes-like object
crc32c = _pick_crc32c()
