"""Data types and fill values in the Zarr v2 JSON form.

A dtype is written as its numpy typestr (``'<i4'``, ``'|b1'``, ``'<M8[ns]'``) or, for a structured
dtype, as a list of ``[name, typestr]`` / ``[name, typestr, shape]`` entries, nested recursively.
Fill values are written as JSON scalars, with the spellings of the v2 spec for the values JSON lacks:
``"NaN"``, ``"Infinity"``, ``"-Infinity"``, ``[re, im]`` for complex numbers and base64 text for
raw bytes (``S``, ``V`` and structured dtypes).
"""

from __future__ import annotations

import base64
import binascii
import math
import numbers
from collections.abc import Sequence
from typing import Any

import numcodecs
import numpy as np
from numcodecs.abc import Codec

from zarr5.errors import MetadataError

__all__ = [
    "decode_dtype",
    "EncodedObjectFill",
    "decode_fill_value",
    "decode_object_fill",
    "encode_dtype",
    "encode_fill_value",
    "normalize_dtype",
    "normalize_fill_value",
]

# the short-hands zarr-2 accepts for object arrays, and the codec each one stands for
_OBJECT_SHORTHANDS = {
    "str": numcodecs.VLenUTF8,
    "bytes": numcodecs.VLenBytes,
    "array": numcodecs.VLenArray,
}

_FLOAT_SPELLINGS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def normalize_dtype(dtype: Any, object_codec: Codec | None = None, *,
                    filters: Sequence[Codec] | None = None) -> tuple[np.dtype, Codec | None]:
    """Return the numpy dtype and the object codec for a zarr-2 ``dtype`` argument.

    Parameters
    ----------
    dtype : dtype-like, str, bytes, or None
        ``None`` means float64. ``str`` and ``bytes`` (the classes or their names) mean an object array
        of variable-length text or bytes; ``'array:T'`` an object array of variable-length arrays of ``T``.
        Anything else is passed to :class:`numpy.dtype`.
    object_codec : numcodecs Codec, optional
        The codec that serialises the objects of an object array; it wins over a short-hand's codec.
    filters : sequence of Codec, optional
        The array's filters. When given (non-empty) an object dtype without ``object_codec`` is
        accepted, because the first filter may be the object codec (zarr-python only warns then).

    Returns
    -------
    tuple of (numpy.dtype, Codec or None)

    Raises
    ------
    ValueError
        For an object dtype without a codec, for datetime64/timedelta64 without units, or for
        anything numpy does not accept as a dtype.

    Examples
    --------
    >>> normalize_dtype('array:i8')
    (dtype('O'), VLenArray(dtype='<i8'))
    >>> normalize_dtype(None)
    (dtype('float64'), None)
    """
    if dtype is None:
        return np.dtype("f8"), object_codec
    if dtype is str or dtype is bytes:
        dtype = dtype.__name__
    elif isinstance(dtype, type) and issubclass(dtype, np.dtype):
        # numpy 2's dtype classes (np.dtypes.Int32DType); numpy reads the bare class as 'object'
        try:
            dtype = dtype()  # type: ignore[call-overload]  # a concrete class; parametric ones raise
        except TypeError as e:
            raise ValueError(f"invalid dtype {dtype!r}: {e}") from e
    if isinstance(dtype, str):
        head, sep, args = dtype.partition(":")
        if head in _OBJECT_SHORTHANDS:
            if object_codec is None:
                try:
                    object_codec = _OBJECT_SHORTHANDS[head](*(args.split(",") if sep else ()))
                except (TypeError, ValueError) as e:
                    raise ValueError(f"bad object dtype short-hand {dtype!r}: {e}") from e
            return np.dtype(object), object_codec
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError) as e:
        raise ValueError(f"invalid dtype {dtype!r}: {e}") from e
    generic = _generic_datetime(dt)
    if generic is not None:
        raise ValueError(f"dtype {generic.str!r} in {dtype!r} has no units; datetime64 and timedelta64 "
                         f"need units, e.g. 'M8[ns]'")
    if dt.hasobject and object_codec is None and not filters:
        raise ValueError("missing object_codec for object array")
    return dt, object_codec


def _generic_datetime(dt: np.dtype) -> np.dtype | None:
    # the first datetime64/timedelta64 without units in dt, its fields or its sub-array base
    if dt.fields is not None:
        for name in dt.names or ():
            found = _generic_datetime(dt.fields[name][0])
            if found is not None:
                return found
        return None
    base = dt.base if dt.subdtype is not None else dt
    if base.kind in "mM" and np.datetime_data(base)[0] == "generic":
        return base
    return None


def encode_dtype(dt: np.dtype) -> str | list:
    """Return the JSON form of ``dt``: its typestr, or a list of fields for a structured dtype.

    Examples
    --------
    >>> encode_dtype(np.dtype('i4'))
    '<i4'
    >>> encode_dtype(np.dtype([('a', 'u1'), ('b', 'f8', (2,))]))
    [['a', '|u1'], ['b', '<f8', [2]]]
    """
    dt = np.dtype(dt)
    if dt.fields is None:
        return dt.str
    return _descr_to_json(dt.descr)


def _descr_to_json(descr: list) -> list:
    out = []
    for entry in descr:
        name, typ = entry[0], entry[1]
        item = [list(name) if isinstance(name, tuple) else name,
                _descr_to_json(typ) if isinstance(typ, list) else typ]
        if len(entry) > 2:
            item.append(list(entry[2]))
        out.append(item)
    return out


def decode_dtype(obj: Any) -> np.dtype:
    """Return the numpy dtype for the JSON form ``obj`` (a typestr or a list of fields).

    Raises
    ------
    MetadataError
        Naming ``obj`` when it is not a dtype numpy understands.

    Examples
    --------
    >>> decode_dtype([['a', '<i4'], ['b', [['c', '|S2']]]])
    dtype([('a', '<i4'), ('b', [('c', 'S2')])])
    """
    try:
        return np.dtype(_json_to_descr(obj))
    except MetadataError:
        raise
    except Exception as e:  # numpy raises TypeError, ValueError, SyntaxError, ... for bad dtypes
        raise MetadataError(f"invalid dtype {obj!r}: {e}") from e


def _json_to_descr(obj: Any) -> Any:
    if isinstance(obj, str):
        return obj
    if not isinstance(obj, list) or not obj:
        raise MetadataError(f"invalid dtype {obj!r}: expected a typestr or a non-empty list of fields")
    fields = []
    for entry in obj:
        if not isinstance(entry, list) or len(entry) not in (2, 3):
            raise MetadataError(f"invalid dtype field {entry!r}: expected [name, type] or "
                                f"[name, type, shape]")
        name = entry[0]
        if isinstance(name, list) and len(name) == 2 and all(isinstance(n, str) for n in name):
            name = tuple(name)  # a (title, name) pair
        elif not isinstance(name, str):
            raise MetadataError(f"invalid dtype field name {name!r} in {entry!r}")
        field: tuple = (name, _json_to_descr(entry[1]))
        if len(entry) == 3:
            shape = entry[2]
            if isinstance(shape, int) and not isinstance(shape, bool):
                shape = [shape]
            if not isinstance(shape, list) or not all(_is_int(n) and n >= 0 for n in shape):
                raise MetadataError(f"invalid dtype field shape {entry[2]!r} in {entry!r}")
            field += (tuple(shape),)
        fields.append(field)
    return fields


def _is_int(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def _is_scalar_zero(value: Any) -> bool:
    # a structured fill may arrive as np.void/tuple/array; comparing those with 0 is not a scalar test
    if isinstance(value, (np.void, np.ndarray, tuple, list, str, bytes)):
        return False
    try:
        return bool(value == 0)
    except (TypeError, ValueError):
        return False


def normalize_fill_value(fill_value: Any, dtype: np.dtype) -> Any:
    """Return the fill value a new array of ``dtype`` stores for the user's ``fill_value``.

    ``None`` stays ``None`` (no fill value); object arrays keep the value as given; ``0`` means the
    zero of any dtype (``''`` for text, all-zero bytes for ``S``/``V``/structured); text for a ``U``
    dtype must be a ``str``; everything else is converted with numpy to a scalar of ``dtype``.

    Raises
    ------
    ValueError
        Naming the value and the dtype when the value does not fit.

    Examples
    --------
    >>> normalize_fill_value(0, np.dtype('U3')) == ''
    True
    >>> normalize_fill_value('ab', np.dtype('S3')) == b'ab'
    True
    """
    dtype = np.dtype(dtype)
    if dtype.subdtype is not None:
        # a sub-array dtype is folded into the array's shape; the fill value is one item of its base
        dtype = dtype.base
    if fill_value is None or dtype.hasobject:
        return fill_value
    if _is_scalar_zero(fill_value):
        return np.zeros((), dtype=dtype)[()]
    if dtype.kind == "U":
        if not isinstance(fill_value, str):
            raise ValueError(f"fill_value {fill_value!r} is not valid for dtype {dtype}; "
                             f"must be a unicode string")
        return fill_value
    if dtype.kind in "iu" and isinstance(fill_value, (float, np.floating)) and not math.isfinite(fill_value):
        raise ValueError(f"fill_value {fill_value!r} is not valid for dtype {dtype}; integers have no "
                         f"NaN or infinity")
    try:
        if isinstance(fill_value, bytes) and dtype.kind == "V":
            # raw bytes of one item, viewed as the (possibly structured) dtype
            return np.array(fill_value, dtype=dtype.str).view(dtype)[()]
        value = np.array(fill_value, dtype=dtype)[()]
    except Exception as e:  # numpy raises several types for values that do not fit
        raise ValueError(f"fill_value {fill_value!r} is not valid for dtype {dtype}; "
                         f"nested exception: {e}") from e
    if isinstance(value, np.ndarray):
        raise ValueError(f"fill_value {fill_value!r} is not valid for dtype {dtype}; expected one value, "
                         f"found shape {value.shape}")
    return value


class EncodedObjectFill(str):
    """The stored (base64) form of the fill value of a structured dtype holding objects, kept as read:
    decoding it runs the array's object codec, which is Pickle more often than not, so it is decoded
    by :func:`decode_object_fill` only once that codec was allowed (zarr5.core does so on open)."""

    def __repr__(self) -> str:
        return f"EncodedObjectFill({str(self)!r})"


def decode_object_fill(obj: str, dtype: np.dtype, object_codec: Codec) -> Any:
    """The fill value of a structured ``dtype`` holding objects, stored as ``obj`` (base64 of what
    ``object_codec`` encoded), as zarr 2 reads it."""
    try:
        item = object_codec.decode(base64.standard_b64decode(obj))
        return np.array(item, dtype=dtype)[()]
    except Exception as e:  # codecs raise anything on bad input
        raise MetadataError(f"cannot decode fill_value {obj!r} for dtype {dtype} with {object_codec!r}: "
                            f"{e}") from e


def encode_fill_value(value: Any, dtype: np.dtype, object_codec: Codec | None = None) -> Any:
    """Return the JSON form of the fill value ``value`` of an array of ``dtype``.

    A structured dtype holding objects needs ``object_codec`` (the array's first filter): as in
    zarr 2, its fill value is stored as the base64 of what that codec encodes.

    Examples
    --------
    >>> encode_fill_value(np.nan, np.dtype('f4'))
    'NaN'
    >>> encode_fill_value(1 - 2j, np.dtype('c8'))
    [1.0, -2.0]
    >>> encode_fill_value(b'ab', np.dtype('S2'))
    'YWI='
    """
    dtype = np.dtype(dtype)
    if value is None:
        return None
    kind = dtype.kind
    if dtype.hasobject:
        if kind == "V":
            if isinstance(value, EncodedObjectFill):
                return str(value)  # still as read: written back unchanged
            if object_codec is None:
                raise ValueError(f"cannot encode a fill value for structured dtype {dtype} holding objects "
                                 f"without its object codec")
            return _b64(bytes(object_codec.encode(value)))
        return value
    try:
        if kind == "f":
            return _encode_float(value)
        if kind == "c":
            value = complex(value)
            return [_encode_float(value.real), _encode_float(value.imag)]
        if kind in "iu":
            return int(value)
        if kind == "b":
            return bool(value)
        if kind == "S":
            # a bytes scalar drops its trailing NULs, and zarr-2 writes it that way
            return _b64(bytes(np.array(value, dtype=dtype)[()]))
        if kind == "V":
            # raw bytes are padded to one item, as numpy does when it makes them a void scalar
            item = np.array(value, dtype=dtype.str if isinstance(value, bytes) else dtype)
            return _b64(item.tobytes())
        if kind == "U":
            return str(value)
        if kind in "mM":
            return int(np.array(value, dtype=dtype.newbyteorder("=")).view("i8"))
    except (TypeError, ValueError, OverflowError) as e:
        raise ValueError(f"fill_value {value!r} is not valid for dtype {dtype}: {e}") from e
    return value


def _b64(raw: bytes) -> str:
    return base64.standard_b64encode(raw).decode("ascii")


def _encode_float(value: Any) -> float | str:
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def decode_fill_value(obj: Any, dtype: np.dtype, object_codec: Codec | None = None) -> Any:
    """Return the fill value stored as ``obj`` in the metadata of an array of ``dtype``.

    For a structured dtype holding objects it is decoded with ``object_codec`` when one is given, and
    otherwise kept encoded (:class:`EncodedObjectFill`), since decoding may run code.

    Raises
    ------
    MetadataError
        Naming ``obj`` and ``dtype`` when ``obj`` is not a fill value of ``dtype``.

    Examples
    --------
    >>> decode_fill_value('-Infinity', np.dtype('f8'))
    -inf
    >>> complex(decode_fill_value([1.0, 'NaN'], np.dtype('c16')))
    (1+nanj)
    """
    dtype = np.dtype(dtype)
    if obj is None:
        return None
    kind = dtype.kind
    if dtype.hasobject:
        if kind == "V":
            if not isinstance(obj, str):
                raise MetadataError(f"cannot decode fill_value {obj!r} for structured dtype {dtype} "
                                    f"holding objects: expected base64 text")
            if object_codec is not None:
                return decode_object_fill(obj, dtype, object_codec)
            return EncodedObjectFill(obj)
        return obj
    try:
        if kind == "f":
            if isinstance(obj, str) and obj in _FLOAT_SPELLINGS:
                return _FLOAT_SPELLINGS[obj]  # zarr-2 hands these back as python floats
            _expect(obj, (int, float, str), dtype)
            value = np.array(obj, dtype=dtype)[()]
        elif kind == "c":
            if not isinstance(obj, list) or len(obj) != 2:
                raise MetadataError(f"fill_value {obj!r} is not valid for dtype {dtype}: "
                                    f"expected [real, imag]")
            part = np.dtype(f"f{dtype.itemsize // 2}")
            re, im = (decode_fill_value(v, part) for v in obj)
            value = np.array(complex(re, im), dtype=dtype)[()]
        elif kind == "S":
            if isinstance(obj, str):
                try:
                    obj = base64.standard_b64decode(obj.encode("ascii"))
                except (binascii.Error, UnicodeEncodeError):
                    pass  # zarr-2 reads values written before base64 was used as they are
            value = np.array(obj, dtype=dtype)[()]
        elif kind == "V":
            _expect(obj, (str,), dtype)
            raw = base64.standard_b64decode(obj.encode("ascii"))
            if len(raw) > dtype.itemsize:
                raise MetadataError(f"fill_value {obj!r} decodes to {len(raw)} bytes; dtype {dtype} "
                                    f"holds {dtype.itemsize}")
            # shorter values are zero-padded, as zarr-python reads them
            value = np.array(raw.ljust(dtype.itemsize, b"\0"), dtype=dtype.str).view(dtype)[()]
        elif kind == "U":
            _expect(obj, (str,), dtype)
            value = obj
        elif kind == "b":
            _expect(obj, (bool, int), dtype)
            if obj not in (0, 1):
                raise MetadataError(f"fill_value {obj!r} is not valid for dtype {dtype}")
            value = np.array(obj, dtype=dtype)[()]
        elif kind in "iu":
            _expect(obj, (int, float), dtype)
            if isinstance(obj, bool) or (isinstance(obj, float) and not obj.is_integer()):
                raise MetadataError(f"fill_value {obj!r} is not valid for dtype {dtype}")
            value = np.array(int(obj), dtype=dtype)[()]
        elif kind in "mM":
            _expect(obj, (int, str), dtype)
            if isinstance(obj, bool):
                raise MetadataError(f"fill_value {obj!r} is not valid for dtype {dtype}")
            value = np.array(obj, dtype=dtype)[()]
        else:
            value = np.array(obj, dtype=dtype)[()]
    except MetadataError:
        raise
    except Exception as e:  # numpy and base64 raise several types for values that do not fit
        raise MetadataError(f"fill_value {obj!r} is not valid for dtype {dtype}: {e}") from e
    if isinstance(value, np.ndarray):
        raise MetadataError(f"fill_value {obj!r} is not valid for dtype {dtype}: expected one value")
    return value


def _expect(obj: Any, types: tuple[type, ...], dtype: np.dtype) -> None:
    if not isinstance(obj, types):
        raise MetadataError(f"fill_value {obj!r} is not valid for dtype {dtype}: expected "
                            f"{' or '.join(t.__name__ for t in types)}, found {type(obj).__name__}")
