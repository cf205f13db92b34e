"""A v3 codec chain: array -> array codecs, one array -> bytes codec, bytes -> bytes codecs.

:class:`CodecChain` is built from the normalised configurations of
:func:`zarr5.metadata.v3_codecs.parse_codecs` (plain dicts, so this package does not import metadata).
Encoding runs the codecs in order; decoding runs them backwards, into the caller's array when one is
given: through transposes as views, and with Blosc as the first decoder, straight into its memory.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from zarr5.codecs.v3.array_codecs import BytesCodec, TransposeCodec, VlenUtf8Codec
from zarr5.codecs.v3.base import ArrayArrayCodec, ArrayBytesCodec, BytesBytesCodec
from zarr5.codecs.v3.bytes_codecs import BloscCodec, Crc32cCodec, GzipCodec, ZstdCodec
from zarr5.codecs.v3.numcodecs_codecs import NumcodecsArrayArray, NumcodecsBytesBytes
from zarr5.errors import CorruptChunkError

__all__ = ["CodecChain"]


class CodecChain:
    """Encode and decode arrays of one shape and dtype with a v3 codec chain.

    Parameters
    ----------
    configs : sequence of dict
        ``{"name": ..., "configuration": {...}}`` entries, checked already (see ``parse_codecs``).
    dtype : numpy.dtype
        The (native) dtype of the arrays.
    shape : tuple of int
        The shape of the arrays (a chunk, an inner chunk, or a shard index).
    fill_value : scalar
        The array's fill value: what a sharding codec reads for inner chunks it does not hold.

    Examples
    --------
    >>> chain = CodecChain([{'name': 'bytes', 'configuration': {'endian': 'little'}},
    ...                     {'name': 'gzip', 'configuration': {'level': 1}}], np.dtype('i4'), (3,), 0)
    >>> chain.decode(chain.encode(np.arange(3, dtype='i4')), key='c/0')
    array([0, 1, 2], dtype=int32)
    """

    def __init__(self, configs: Sequence[Mapping[str, Any]], dtype: np.dtype, shape: tuple[int, ...],
                 fill_value: Any) -> None:
        self.dtype = np.dtype(dtype)
        self.shape = tuple(int(n) for n in shape)
        # transposes, and numcodecs filters (numcodecs.delta, ...) as zarr-python 3 writes them
        self.array_array: list[ArrayArrayCodec] = []
        array_bytes: ArrayBytesCodec | None = None
        self.bytes_bytes: list[BytesBytesCodec] = []
        inner_shape = self.shape
        inner_dtype = self.dtype  # numcodecs filters may hand on another dtype (astype)
        for config in configs:
            name, conf = config["name"], config.get("configuration") or {}
            if name.startswith("numcodecs.") and array_bytes is None:
                cid = name[len("numcodecs."):]
                out_dtype = np.dtype(conf["astype"]) if conf.get("astype") is not None and cid in (
                    "delta", "fixedscaleoffset") else inner_dtype
                self.array_array.append(NumcodecsArrayArray(cid, conf, inner_dtype, out_dtype))
                inner_dtype = out_dtype
            elif name.startswith("numcodecs."):
                self.bytes_bytes.append(NumcodecsBytesBytes(name[len("numcodecs."):], conf))
            elif name == "transpose":
                codec = TransposeCodec(conf["order"])
                inner_shape = codec.resolve_shape(inner_shape)
                self.array_array.append(codec)
            elif name == "bytes":
                array_bytes = BytesCodec(inner_dtype, inner_shape, conf.get("endian"))
            elif name == "vlen-utf8":
                array_bytes = VlenUtf8Codec(inner_shape)
            elif name == "sharding_indexed":
                # imported here: the sharding codec builds chains of its own
                from zarr5.codecs.v3.sharding import ShardCodec
                array_bytes = ShardCodec(conf, self.dtype, inner_shape, fill_value)
            elif name == "blosc":
                self.bytes_bytes.append(BloscCodec(conf["cname"], conf["clevel"], conf["shuffle"],
                                                   conf.get("typesize", self.dtype.itemsize),
                                                   conf.get("blocksize", 0)))
            elif name == "gzip":
                self.bytes_bytes.append(GzipCodec(conf["level"]))
            elif name == "zstd":
                self.bytes_bytes.append(ZstdCodec(conf.get("level", 0), conf.get("checksum", False)))
            elif name == "crc32c":
                self.bytes_bytes.append(Crc32cCodec())
            else:
                raise ValueError(f"unknown v3 codec {name!r}")
        if array_bytes is None:
            raise ValueError(f"codec chain {[c['name'] for c in configs]} has no array -> bytes codec")
        self.array_bytes: ArrayBytesCodec = array_bytes
        self.encoded_shape = inner_shape
        # transposes alone are one permutation of the axes, so decoding can land in the caller's array
        # through a view; a numcodecs filter changes values, so then decoding goes through a new array
        self.direct = all(isinstance(c, TransposeCodec) for c in self.array_array)
        perm = list(range(len(self.shape)))
        for aa in self.array_array:
            if isinstance(aa, TransposeCodec):
                perm = [perm[i] for i in aa.order]
        self.permutation = tuple(perm)
        self.nbytes = math.prod(self.shape) * self.dtype.itemsize

    def __repr__(self) -> str:
        names = ([c.name for c in self.array_array] + [self.array_bytes.name]
                 + [c.name for c in self.bytes_bytes])
        return f"CodecChain({names}, dtype={self.dtype}, shape={self.shape})"

    def encoded_size(self) -> int | None:
        """Return the size of every encoding when no codec depends on the data, else None."""
        size = self.array_bytes.encoded_size()
        for codec in self.bytes_bytes:
            if size is None:
                return None
            size = codec.encoded_size(size)
        return size

    def encode(self, arr: np.ndarray) -> bytes:
        """Return the bytes stored for ``arr`` (of the chain's shape and dtype)."""
        for aa in self.array_array:
            arr = aa.encode(arr)
        data: Any = self.array_bytes.encode(arr)
        for bb in self.bytes_bytes:
            data = bb.encode(data)
        return data if isinstance(data, bytes) else bytes(data)

    def decode(self, data: Any, key: str, out: np.ndarray | None = None) -> np.ndarray:
        """Return the array stored as ``data``; with ``out`` (shape and dtype of the chain), fill it.

        Raises
        ------
        CorruptChunkError
            Naming ``key`` when a codec fails or the decoded data is not one array of the chain.
        """
        try:
            return self._decode(data, key, out)
        except CorruptChunkError:
            raise
        except Exception as e:  # codecs raise anything on bad input; all of it means a bad chunk
            raise CorruptChunkError(f"chunk {key!r} could not be decoded: {type(e).__name__}: {e}") from e

    def _decode(self, data: Any, key: str, out: np.ndarray | None) -> np.ndarray:
        if out is not None and not self.direct:
            out[...] = self._decode(data, key, None)
            return out
        # the encoded array is out with its axes permuted: a view, so writing it writes out
        target = None if out is None else out.transpose(self.permutation)
        for bb in reversed(self.bytes_bytes[1:]):
            data = bb.decode(data, key)
        if self.bytes_bytes:
            first = self.bytes_bytes[0]
            ab = self.array_bytes
            if (target is not None and isinstance(first, BloscCodec) and isinstance(ab, BytesCodec)
                    and ab.native and target.flags.c_contiguous and target.flags.writeable):
                first.decode_into(data, key, target)  # the decompressed bytes land in out itself
                return out  # type: ignore[return-value]
            if isinstance(ab, BytesCodec):
                data = first.decode_bounded(data, key, ab.nbytes)  # a hostile chunk stops at the size
            else:
                data = first.decode(data, key)
        arr = self.array_bytes.decode(data, key, out=target)
        if out is not None:
            return out
        for aa in reversed(self.array_array):
            arr = aa.decode(arr)
        return arr
