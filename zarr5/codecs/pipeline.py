"""The chunk codec pipeline: a chunk-shaped array <-> the bytes stored for it.

Encoding lays the chunk out in the array's memory order (C or F), runs the filters first to last, then
the compressor. Decoding runs them backwards and views the result as the array's dtype and chunk shape.
For object arrays the first filter is the object codec (VLenUTF8, VLenBytes, VLenArray, JSON, MsgPack,
Pickle, Categorize, ...), which turns objects into bytes and back.

A pipeline holds no mutable state, so one instance may encode and decode from many threads at once.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numcodecs.abc import Codec
from numcodecs.compat import ensure_ndarray_like

try:
    import numcodecs.blosc as _blosc
except ImportError:  # a numcodecs built without Blosc
    _blosc = None  # type: ignore[assignment]

from zarr5.codecs import blosc_planes
from zarr5.codecs.bounded import decode_bounded
from zarr5.errors import CorruptChunkError, ObjectCodecError

__all__ = ["ChunkPipeline", "check_out"]

# Blosc writes a 16-byte header holding the decoded and encoded sizes, so it can be checked up front
_BLOSC_HEADER = 16
# (nbytes, cbytes) of a Blosc header: little-endian words at offsets 4 and 12
_BLOSC_SIZES = struct.Struct("<4xI4xI").unpack_from


def check_out(out: np.ndarray, shape: tuple[int, ...], dtype: np.dtype) -> None:
    """Refuse an ``out`` buffer that is not one writable chunk of ``dtype`` (before any decoding)."""
    if out.shape != shape or out.dtype != dtype:
        raise ValueError(f"out has shape {out.shape} and dtype {out.dtype}; expected {shape} and {dtype}")
    if not out.flags.writeable:
        raise ValueError("out is read-only")


class ChunkPipeline:
    """Encode and decode the chunks of one array.

    Parameters
    ----------
    dtype : numpy.dtype
        The array's dtype.
    chunk_shape : tuple of int
        The shape of every chunk (edge chunks are stored whole, as Zarr v2 requires).
    order : {'C', 'F'}
        The memory layout of a chunk's items in the stored bytes.
    filters : sequence of Codec, optional
        Applied first to last on encode; for object arrays the first one is the object codec.
    compressor : Codec, optional
        Applied after the filters.

    Examples
    --------
    >>> import numcodecs
    >>> p = ChunkPipeline(np.dtype('i4'), (2, 2), 'C', None, numcodecs.Zlib())
    >>> p.decode(p.encode(np.arange(4, dtype='i4').reshape(2, 2)), key='0.0')
    array([[0, 1],
           [2, 3]], dtype=int32)
    """

    def __init__(self, dtype: np.dtype, chunk_shape: tuple[int, ...], order: str,
                 filters: Sequence[Codec] | None, compressor: Codec | None) -> None:
        if order not in ("C", "F"):
            raise ValueError(f"order {order!r} must be 'C' or 'F'")
        self.dtype = np.dtype(dtype)
        self.chunk_shape = tuple(int(n) for n in chunk_shape)
        self.order: Literal["C", "F"] = "F" if order == "F" else "C"
        self.filters: tuple[Codec, ...] = tuple(filters or ())
        self.compressor = compressor
        self.size = math.prod(self.chunk_shape)
        self.nbytes = self.size * self.dtype.itemsize
        # numcodecs' Blosc alone on plain items: decode_into calls its decompress function directly
        plain_blosc = _blosc is not None and type(compressor) is _blosc.Blosc and not self.filters
        self._blosc_decompress = _blosc.decompress if plain_blosc and self.dtype.kind in "biufc" else None
        # ... and encode calls its compress function with the codec's settings (what Blosc.encode does
        # after flattening the chunk, which the buffer protocol does not need)
        self._blosc_compress: tuple | None = None
        blosc: Any = compressor
        if self._blosc_decompress is not None and self.nbytes <= blosc.max_buffer_size:
            self._blosc_compress = (blosc._cname_bytes, blosc.clevel, blosc.shuffle, blosc.blocksize)
        # Blosc alone on plain items (no subarray dtype): decode_selected may pick items from its planes
        self._plane_pickable = plain_blosc and not self.dtype.hasobject and self.dtype.subdtype is None
        # metadata refuse object dtypes without an object codec; a caller that swaps an open array's
        # filters (zarr 2 allows it) gets an error on the first encode or decode instead
        self._objects_uncoded = self.dtype.hasobject and not self.filters

    def __repr__(self) -> str:
        return (f"ChunkPipeline(dtype={self.dtype}, chunk_shape={self.chunk_shape}, order={self.order!r}, "
                f"filters={list(self.filters)!r}, compressor={self.compressor!r})")

    # encoding --------------------------------------------------------------------------------------

    def encode(self, chunk: np.ndarray) -> bytes:
        """Return the stored bytes of ``chunk`` (a chunk-shaped array of the pipeline's dtype)."""
        blosc_args = self._blosc_compress
        if blosc_args is not None and type(chunk) is np.ndarray and chunk.dtype == self.dtype \
                and chunk.shape == self.chunk_shape \
                and (chunk.flags.c_contiguous if self.order == "C" else chunk.flags.f_contiguous):
            return _blosc.compress(chunk, *blosc_args)  # the common case, checked without calls
        if self._objects_uncoded:
            raise ObjectCodecError(f"cannot write object array without object codec: dtype {self.dtype} "
                                   f"needs one (e.g. VLenUTF8) as the first filter")
        arr = np.asarray(chunk)
        if arr.dtype != self.dtype:
            arr = arr.astype(self.dtype)
        if arr.shape != self.chunk_shape:
            raise ValueError(f"chunk has shape {arr.shape}; expected {self.chunk_shape}")
        if not _contiguous(arr, self.order) or (self.filters and not arr.flags.writeable):
            # compiled codecs (VLenBytes, VLenArray, ...) take typed memoryviews, which refuse read-only input
            arr = arr.copy(order=self.order)
        if self._blosc_compress is not None:
            return _blosc.compress(arr, *self._blosc_compress)
        # numcodecs' JSON and MsgPack lose a 0-d chunk (tolist() hands back the item itself): one item, 1-d
        buf: Any = arr.reshape(1) if arr.ndim == 0 and arr.dtype.hasobject else arr
        for f in self.filters:
            buf = f.encode(buf)
        if isinstance(buf, np.ndarray) and buf.dtype.hasobject:
            raise ObjectCodecError(f"cannot store an object array: the filters {list(self.filters)!r} left "
                                   f"objects behind; the first filter must be an object codec")
        if self.compressor is not None:
            buf = self.compressor.encode(buf)
        return _to_bytes(buf)

    # decoding --------------------------------------------------------------------------------------

    def decode(self, data: Any, key: str = "", out: np.ndarray | None = None) -> np.ndarray:
        """Return the chunk stored as ``data``; with ``out``, decode into it and return it.

        ``out`` must be chunk-shaped and of the pipeline's dtype; when it is also writable and
        contiguous in the pipeline's order, the bytes are decoded straight into it.

        Raises
        ------
        CorruptChunkError
            Naming ``key`` when a codec fails or the decoded data is not one chunk of the dtype.
        """
        if out is not None:
            check_out(out, self.chunk_shape, self.dtype)  # a caller's mistake, not a bad chunk
        if self._objects_uncoded:  # raw bytes viewed as object pointers would crash the interpreter
            raise ObjectCodecError(f"cannot read object array without object codec: chunk {key!r}")
        try:
            if not self.filters:
                return self._decode_plain(data, key, out)
            buf = data if self.compressor is None else self.compressor.decode(data)
            for f in reversed(self.filters):
                if f is self.filters[0] and self.dtype.hasobject:
                    _check_object_payload(f, buf, self.size, key)
                buf = f.decode(buf)
            chunk = self._as_chunk(buf, key)
            if out is None:
                return chunk
            out[...] = chunk
            return out
        except CorruptChunkError:
            raise
        except Exception as e:  # codecs raise anything on bad input; all of it means a bad chunk
            raise _undecodable(key, e) from e

    def decode_into(self, data: Any, key: str, out: np.ndarray) -> np.ndarray:
        """:meth:`decode` into ``out``, which the caller guarantees is one chunk of the dtype, writable
        and contiguous in the pipeline's order (so it is not checked again). Blosc chunks whose header
        agrees with the chunk size are decompressed with no further Python work; anything else takes
        the checked path of :meth:`decode`, with the same errors."""
        decompress = self._blosc_decompress
        if decompress is not None and type(data) is bytes and len(data) >= _BLOSC_HEADER:
            nbytes, cbytes = _BLOSC_SIZES(data)
            if nbytes == self.nbytes and cbytes == len(data):
                try:
                    decompress(data, out)
                except Exception as e:
                    raise _undecodable(key, e) from e
                return out
        return self.decode(data, key, out=out)

    def _decode_plain(self, data: Any, key: str, out: np.ndarray | None) -> np.ndarray:
        # no filters: the decompressed bytes are the chunk's items in memory order
        direct = out is not None and _contiguous(out, self.order)
        if self.compressor is None:
            raw = ensure_ndarray_like(data).reshape(-1).view(np.uint8)
            self._check_nbytes(raw.nbytes, key)
            if out is None:
                # a read-only view of the stored bytes: no copy at all
                return raw.view(self.dtype).reshape(self.chunk_shape, order=self.order)
            target = out if out is not None and direct else np.empty(self.chunk_shape, self.dtype,
                                                                     order=self.order)
            _bytes_view(target)[...] = raw
        else:
            target = out if out is not None and direct else np.empty(self.chunk_shape, self.dtype,
                                                                     order=self.order)
            if self.compressor.codec_id == "blosc":
                self._check_blosc_header(data, key)
                # Blosc decompresses straight into the target and releases the GIL while it does
                self.compressor.decode(data, out=_bytes_view(target))
            else:
                # zlib, gzip, bz2, lzma stop at the chunk's size; lz4 and zstd headers are checked first
                raw = decode_bounded(self.compressor, data, self.nbytes)
                if raw is None:
                    raw = self.compressor.decode(data)
                raw = ensure_ndarray_like(raw).reshape(-1).view(np.uint8)
                self._check_nbytes(raw.nbytes, key)
                _bytes_view(target)[...] = raw
        if out is not None and target is not out:
            out[...] = target
            return out
        return target

    def _check_nbytes(self, nbytes: int, key: str) -> None:
        if nbytes != self.nbytes:
            raise CorruptChunkError(f"chunk {key!r} decodes to {nbytes} bytes; a chunk of shape "
                                    f"{self.chunk_shape} and dtype {self.dtype} has {self.nbytes}")

    @property
    def partial_decodable(self) -> bool:
        """Whether :meth:`decode_items` can decompress part of a chunk (Blosc alone, plain items)."""
        return (not self.filters and self.compressor is not None and self.compressor.codec_id == "blosc"
                and not self.dtype.hasobject)

    def decode_items(self, data: Any, key: str, start: int, stop: int,
                     out: np.ndarray | None = None) -> np.ndarray:
        """Return a chunk-shaped array whose flat items ``start:stop`` (in the pipeline's order) are
        decoded; the others are undefined. Blosc decompresses only the blocks holding those items.
        With ``out`` (one chunk of the dtype, writable, contiguous in the pipeline's order, as
        :meth:`decode_into` takes it) the items are decompressed straight into their place in it.
        """
        compressor = self.compressor
        if compressor is None:
            raise ValueError("decode_items needs the Blosc compressor (see partial_decodable)")
        flat = np.empty(self.nbytes, dtype=np.uint8) if out is None else _bytes_view(out)
        try:
            self._check_blosc_header(data, key)
            typesize = memoryview(data).cast("B")[3]
            first, last = start * self.dtype.itemsize // typesize, -(-stop * self.dtype.itemsize // typesize)
            offset, nbytes = first * typesize, (last - first) * typesize
            # Blosc refuses a destination of another size than the items asked for
            compressor.decode_partial(data, first, last - first, out=flat[offset:offset + nbytes])
        except CorruptChunkError:
            raise
        except Exception as e:
            raise _undecodable(key, e) from e
        if out is not None:
            return out
        return flat.view(self.dtype).reshape(self.chunk_shape, order=self.order)

    def decode_selected(self, data: Any, key: str, selection: tuple, count: int,
                        out: np.ndarray) -> np.ndarray | None:
        """The ``count`` items a basic ``selection`` (a key of :func:`blosc_planes.selection_key`) picks
        from the chunk stored as ``data``, as a new array, with ``out`` (one chunk of the dtype,
        writable and contiguous in the pipeline's order) as scratch; or None when that gains nothing
        over a whole decode (not a byte-shuffled Blosc chunk whose header agrees with its size, or a
        selection that is not a small part of it).

        A byte-shuffled chunk is decompressed without its unshuffle pass and the items' bytes are
        picked from its byte planes (see :mod:`zarr5.codecs.blosc_planes`)."""
        nbytes, itemsize = self.nbytes, self.dtype.itemsize
        # picking costs a few ns per byte where unshuffling costs a fraction of one per chunk byte; and
        # copying the compressed bytes (to clear the shuffle bit) costs more than it saves past a quarter
        if count * itemsize * 64 > nbytes or len(data) * 4 > nbytes or not self._plane_pickable:
            return None
        layout = blosc_planes.shuffled_layout(data, nbytes)
        if layout is None:
            return None
        positions, shape = blosc_planes.plane_positions(self.chunk_shape, self.order, itemsize, selection,
                                                        layout[1], layout[0])
        planes = _bytes_view(out)
        try:
            _blosc.decompress(blosc_planes.unshuffled(data), planes)
        except Exception as e:
            raise _undecodable(key, e) from e
        return blosc_planes.gather(planes, positions, self.dtype, shape)

    def _check_blosc_header(self, data: Any, key: str) -> None:
        raw = memoryview(data).cast("B")
        if len(raw) < _BLOSC_HEADER:
            raise CorruptChunkError(f"chunk {key!r} is truncated: {len(raw)} bytes is shorter than a Blosc "
                                    f"header")
        nbytes = int.from_bytes(raw[4:8], "little")
        cbytes = int.from_bytes(raw[12:16], "little")
        if cbytes != len(raw):
            raise CorruptChunkError(f"chunk {key!r} is truncated or padded: its Blosc header says "
                                    f"{cbytes} bytes, {len(raw)} are stored")
        self._check_nbytes(nbytes, key)

    def _as_chunk(self, buf: Any, key: str) -> np.ndarray:
        arr = ensure_ndarray_like(buf) if not isinstance(buf, np.ndarray) else buf
        if arr.ndim > 1 and arr.shape == self.chunk_shape:
            # codecs that record the shape (JSON, MsgPack, Pickle) hand back items in their places
            if self.dtype.hasobject or arr.dtype == self.dtype:
                return arr if arr.dtype == self.dtype else arr.astype(self.dtype)
        if self.dtype.hasobject and arr.dtype == self.dtype and arr.size == self.size:
            # structured items holding objects come back whole from a codec that keeps the dtype (Pickle)
            return arr.reshape(self.chunk_shape, order=self.order)
        if self.dtype.hasobject:
            if arr.dtype != object:
                raise CorruptChunkError(f"chunk {key!r} decoded to {arr.dtype} items, not objects; the first "
                                        f"filter must be an object codec")
            arr = arr.reshape(-1, order="A")
        else:
            if arr.dtype.hasobject:
                raise CorruptChunkError(f"chunk {key!r} decoded to objects, not {self.dtype} items")
            # the filters' output holds the items in memory order; reinterpret its bytes as the dtype
            arr = arr.reshape(-1, order="A")
            if arr.dtype != self.dtype:
                self._check_nbytes(arr.nbytes, key)
                arr = np.ascontiguousarray(arr).view(np.uint8).view(self.dtype)
        if arr.size != self.size:
            raise CorruptChunkError(f"chunk {key!r} decodes to {arr.size} items; a chunk of shape "
                                    f"{self.chunk_shape} has {self.size}")
        return arr.reshape(self.chunk_shape, order=self.order)

    # fill detection --------------------------------------------------------------------------------

    def is_fill(self, chunk: np.ndarray, fill_value: Any) -> bool:
        """Return True when every item of ``chunk`` equals ``fill_value`` (so the chunk need not be stored).

        NaN equals NaN, NaT equals NaT, and structured/bytes items compare by their bytes. With no fill
        value (``None``) nothing is a fill chunk, except an object chunk of only ``None``.
        """
        arr = np.asarray(chunk)
        if arr.dtype.hasobject:
            return _all_objects_equal(arr, fill_value)
        if fill_value is None:
            return False
        try:
            kind = arr.dtype.kind
            if kind in "SVmM":
                # bytewise: exact for raw bytes and structured items (NaN fields included), NaT-aware
                if kind in "SV" and not isinstance(fill_value, (bytes, str, np.void)) and fill_value == 0:
                    fill = np.zeros((), dtype=arr.dtype)  # 0 means all-zero bytes, as on creation
                elif kind == "V" and isinstance(fill_value, bytes):
                    fill = np.frombuffer(fill_value, dtype=arr.dtype)
                else:
                    fill = np.asarray(fill_value, dtype=arr.dtype)
                return bool(np.all(_item_bytes(arr) == _item_bytes(fill.reshape(1))[0]))
            if kind == "f":
                return _all_equal_nan(arr, fill_value)
            if kind == "c":
                cfill = complex(fill_value)
                return _all_equal_nan(arr.real, cfill.real) and _all_equal_nan(arr.imag, cfill.imag)
            return bool(np.all(arr == np.asarray(fill_value, dtype=arr.dtype)))
        except (TypeError, ValueError, OverflowError):
            return False


# object codecs whose payload starts with a 4-byte little-endian item count
_COUNTED_CODECS = frozenset({"vlen-utf8", "vlen-bytes", "vlen-array"})
# object codecs whose payload is a list of items, then the dtype string, then the shape
_SHAPED_CODECS = frozenset({"json2", "msgpack2"})


def _check_object_payload(codec: Codec, buf: Any, size: int, key: str) -> None:
    """Refuse an object payload that claims another item count than a chunk's, before the codec
    allocates (and fills) an array that large: a few hostile bytes could claim billions of items."""
    codec_id = getattr(codec, "codec_id", None)
    if codec_id in _COUNTED_CODECS:
        raw = ensure_ndarray_like(buf).reshape(-1).view(np.uint8)
        count = int.from_bytes(raw[:4].tobytes(), "little") if raw.size >= 4 else None
        if count != size:
            raise CorruptChunkError(f"chunk {key!r} holds {count} items by its {codec_id} header; a chunk "
                                    f"has {size}")
    elif codec_id in _SHAPED_CODECS:
        raw = ensure_ndarray_like(buf).reshape(-1).view(np.uint8).tobytes()
        if codec_id == "json2":
            items = json.loads(raw.decode("utf-8"))
        else:
            import msgpack  # numcodecs' MsgPack codec needs it, so it is there when this codec is

            items = msgpack.unpackb(raw, raw=bool(getattr(codec, "raw", False)), use_list=True)
        shape = items[-1] if isinstance(items, list) and len(items) >= 2 else None
        valid = (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)
                 and items[-2] in ("|O", b"|O") and math.prod(shape) == size)
        if not valid:
            raise CorruptChunkError(f"chunk {key!r} is not a {codec_id} payload of {size} objects")


def _undecodable(key: str, e: Exception) -> CorruptChunkError:
    return CorruptChunkError(f"chunk {key!r} could not be decoded: {type(e).__name__}: {e}")


def _contiguous(a: np.ndarray, order: str) -> bool:
    return bool(a.flags.c_contiguous if order == "C" else a.flags.f_contiguous)


def _bytes_view(a: np.ndarray) -> np.ndarray:
    # a writable 1-d uint8 view of a contiguous array (datetimes have no buffer interface of their own)
    return a.reshape(-1, order="A").view(np.uint8)


def _to_bytes(buf: Any) -> bytes:
    if isinstance(buf, bytes):
        return buf
    if isinstance(buf, np.ndarray):
        return buf.tobytes(order="A")  # 'A' keeps an F-ordered array's memory order
    return memoryview(buf).tobytes()


def _item_bytes(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a).reshape(-1)
    if a.dtype.itemsize == 0:
        return np.zeros(a.size, dtype="V1")
    return a.view(np.uint8).view(f"V{a.dtype.itemsize}")


def _all_equal_nan(a: np.ndarray, fill: Any) -> bool:
    fill = float(fill)
    if math.isnan(fill):
        return bool(np.all(np.isnan(a)))
    return bool(np.all(a == fill))


def _all_objects_equal(a: np.ndarray, fill: Any) -> bool:
    for item in a.flat:
        if item is fill:
            continue
        if item is None or fill is None:
            return False
        try:
            eq = item == fill
            if isinstance(eq, np.ndarray):
                if eq.shape != np.shape(fill) or np.shape(item) != np.shape(fill) or not eq.all():
                    return False
            elif not bool(eq):
                if not (isinstance(item, float) and isinstance(fill, float) and math.isnan(item)
                        and math.isnan(fill)):
                    return False
        except (TypeError, ValueError):
            return False
    return True
