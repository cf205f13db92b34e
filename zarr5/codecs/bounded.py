"""Decompression that stops at the chunk's size: a hostile chunk cannot expand into gigabytes.

zlib, gzip, bz2 and LZMA are decompressed here with the standard library's output limits; LZ4 and Zstd
declare their decoded size in a header, which is checked before numcodecs decodes them (Blosc is
checked the same way in the pipeline). Valid chunks decode to exactly the bytes numcodecs gives.
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from typing import Any

__all__ = ["decode_bounded"]

_ZSTD_MAGIC = 0xFD2FB528


def decode_bounded(codec: Any, data: Any, limit: int) -> bytes | None:
    """``codec.decode(data)`` for the codecs named above, refusing (ValueError) more than ``limit``
    decoded bytes; None when this module has no bounded path for the codec (the caller decodes)."""
    cid = getattr(codec, "codec_id", None)
    if cid == "zlib":
        return _stream(zlib.decompressobj(), bytes(data), limit, "zlib")
    if cid == "gzip":
        return _gzip(bytes(data), limit)
    if cid == "bz2":
        return _stream(bz2.BZ2Decompressor(), bytes(data), limit, "bz2")
    if cid == "lzma":
        return _stream(lzma.LZMADecompressor(format=codec.format, filters=codec.filters), bytes(data), limit,
                       "lzma")
    if cid == "lz4":
        view = memoryview(data).cast("B")
        declared = int.from_bytes(view[:4], "little") if len(view) >= 4 else 0
        _check_declared(declared, limit, "lz4")
    elif cid == "zstd":
        content_size = _zstd_content_size(data)
        if content_size is not None:
            _check_declared(content_size, limit, "zstd")
    return None


def _check_declared(declared: int, limit: int, name: str) -> None:
    if declared > limit:
        raise ValueError(f"{name} header declares {declared} decoded bytes, more than the chunk's {limit}")


def _stream(decompressor: Any, data: bytes, limit: int, name: str) -> bytes:
    out = decompressor.decompress(data, limit + 1)  # one byte more than allowed shows an overflow
    if len(out) > limit:
        raise ValueError(f"{name} data decodes to more than the chunk's {limit} bytes")
    if not decompressor.eof:
        raise ValueError(f"{name} stream is truncated")
    return out


def _gzip(data: bytes, limit: int) -> bytes:
    # gzip files may hold several members one after another; like GzipFile, read them all
    out = bytearray()
    rest = data
    while rest:
        d = zlib.decompressobj(wbits=31)
        out += d.decompress(rest, limit + 1 - len(out))
        if len(out) > limit:
            raise ValueError(f"gzip data decodes to more than the chunk's {limit} bytes")
        if not d.eof:
            raise ValueError("gzip stream is truncated")
        rest = d.unused_data
        if not rest.strip(b"\0"):
            break  # trailing zero padding, which GzipFile skips too
    return bytes(out)


def _zstd_content_size(data: Any) -> int | None:
    """The decoded size a Zstd frame header declares, or None when it declares none."""
    b = memoryview(data).cast("B")
    if len(b) < 5 or int.from_bytes(b[:4], "little") != _ZSTD_MAGIC:
        return None
    descriptor = b[4]
    single_segment = (descriptor >> 5) & 1
    pos = 5 + (0 if single_segment else 1) + (0, 1, 2, 4)[descriptor & 3]
    size = (1 if single_segment else 0, 2, 4, 8)[descriptor >> 6]
    if size == 0 or len(b) < pos + size:
        return None
    value = int.from_bytes(b[pos:pos + size], "little")
    return value + 256 if size == 2 else value
