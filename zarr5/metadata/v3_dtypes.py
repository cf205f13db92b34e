"""Data types and fill values in the Zarr v3 JSON form.

The core data types are named (``bool``, ``int8`` .. ``uint64``, ``float16`` .. ``float64``,
``complex64``, ``complex128``) and raw bits are ``r<bits>`` (a multiple of 8), held in numpy as a void
dtype ``V<bits/8>``. zarr-python 3's extension spelling of raw bytes,
``{"name": "raw_bytes", "configuration": {"length_bytes": n}}``, is read as well.

Fill values, one per data type, as the v3 spec writes them:

- bool: ``true`` / ``false``; integers: JSON integers;
- floats: numbers, ``"NaN"``, ``"Infinity"``, ``"-Infinity"``, or the bit pattern as a hex string
  (``"0x7fc00000"`` is float32's NaN); a NaN whose bits are not numpy's quiet NaN is written in hex so
  its payload survives;
- complex: ``[real, imag]``, each part spelled like a float of half the size;
- raw bits: a list of byte values (``[0, 255]``), or base64 text for ``raw_bytes``.

Decoded fill values are numpy scalars of the (native byte order) dtype.
"""

from __future__ import annotations

import base64
import binascii
import math
import numbers
from collections.abc import Mapping
from typing import Any, TypeGuard

import numpy as np

from zarr5.errors import MetadataError

__all__ = [
    "DATA_TYPES",
    "STRING",
    "STRING_DTYPE",
    "decode_data_type",
    "decode_fill_value_v3",
    "encode_data_type",
    "encode_fill_value_v3",
    "is_structured",
    "normalize_dtype_v3",
    "normalize_fill_value_v3",
]

#: the v3 core data type names and the numpy dtypes (native byte order) that hold them
DATA_TYPES: dict[str, np.dtype] = {
    name: np.dtype(code) for name, code in [
        ("bool", "?"),
        ("int8", "i1"), ("int16", "i2"), ("int32", "i4"), ("int64", "i8"),
        ("uint8", "u1"), ("uint16", "u2"), ("uint32", "u4"), ("uint64", "u8"),
        ("float16", "f2"), ("float32", "f4"), ("float64", "f8"),
        ("complex64", "c8"), ("complex128", "c16"),
    ]
}
_NAMES = {(dt.kind, dt.itemsize): name for name, dt in DATA_TYPES.items()}

_FLOAT_SPELLINGS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_UINT_OF_SIZE = {2: np.uint16, 4: np.uint32, 8: np.uint64}
_RAW_BYTES = "raw_bytes"  # zarr-python 3's name for fixed-size raw bytes
_STRUCTURED = "structured"  # zarr-python 3's data type of numpy structured dtypes
#: variable-length UTF-8 strings: zarr-python 3's ``string`` data type, held in numpy as object items
STRING = "string"
STRING_DTYPE = np.dtype(object)


# data types ----------------------------------------------------------------------------------------


def normalize_dtype_v3(dtype: Any) -> np.dtype:
    """Return the native-byte-order numpy dtype for ``dtype`` if Zarr v3 core can store it.

    ``dtype`` is anything numpy accepts, or a v3 data type name (``'float32'``, ``'r16'``).

    Raises
    ------
    ValueError
        Naming ``dtype`` when it is not a v3 core data type (strings, objects, datetimes, structured
        dtypes and sub-array dtypes are not).

    Examples
    --------
    >>> normalize_dtype_v3('>i4')
    dtype('int32')
    >>> normalize_dtype_v3('r16')
    dtype('V2')
    """
    bits = _raw_bits(dtype) if isinstance(dtype, str) else None
    if bits is not None:
        return np.dtype(f"V{bits // 8}")
    if dtype is str or (isinstance(dtype, str) and dtype == STRING):
        return STRING_DTYPE
    try:
        dt = np.dtype(dtype)
    except (TypeError, ValueError) as e:
        raise ValueError(f"invalid dtype {dtype!r}: {e}") from e
    if dt == STRING_DTYPE:
        return STRING_DTYPE  # object items: variable-length UTF-8 strings (the 'string' data type)
    if dt.kind == "V" and dt.fields is None and dt.subdtype is None and dt.itemsize > 0:
        return np.dtype(f"V{dt.itemsize}")
    if dt.fields is not None:
        return _structured(dt, dtype)
    name = _NAMES.get((dt.kind, dt.itemsize))
    if name is None or dt.fields is not None or dt.subdtype is not None:
        raise ValueError(f"dtype {dt} ({dtype!r}) is not a Zarr v3 data type; v3 stores bool, "
                         f"int8..int64, uint8..uint64, float16..float64, complex64, complex128, raw "
                         f"bits (void) and variable-length strings (str, as object items)")
    return DATA_TYPES[name]


def _structured(dt: np.dtype, given: Any) -> np.dtype:
    # zarr-python 3's 'structured' data type: named fields of v3 types, packed, each in native order
    fields = []
    for name, spec in (dt.fields or {}).items():
        field = spec[0]
        if field.fields is not None or field.subdtype is not None or field == STRING_DTYPE:
            raise ValueError(f"dtype {dt} ({given!r}): field {name!r} ({field}) is not a Zarr v3 data type "
                             f"(structured fields take bool, numbers and raw bytes)")
        fields.append((name, normalize_dtype_v3(field)))
    return np.dtype(fields)


def is_structured(dtype: np.dtype) -> bool:
    """Whether ``dtype`` is zarr-python 3's ``structured`` data type (numpy fields)."""
    return np.dtype(dtype).fields is not None


def _raw_bits(name: str) -> int | None:
    # 'r16' -> 16; anything else (including 'r0', 'r12', 'r') -> None
    if len(name) > 1 and name[0] == "r" and name[1:].isdigit() and name[1:] == str(int(name[1:])):
        bits = int(name[1:])
        if bits > 0 and bits % 8 == 0:
            return bits
    return None


def encode_data_type(dtype: np.dtype, raw_spelling: str = "r") -> str | dict:
    """Return the v3 ``data_type`` value of ``dtype``.

    ``raw_spelling`` chooses how raw bytes are written: ``'r'`` (the core ``r<bits>`` name) or
    ``'raw_bytes'`` (zarr-python 3's extension object).

    Examples
    --------
    >>> encode_data_type(np.dtype('<u2'))
    'uint16'
    >>> encode_data_type(np.dtype('V3'))
    'r24'
    """
    dt = normalize_dtype_v3(dtype)
    if dt == STRING_DTYPE:
        return STRING
    if dt.fields is not None:
        # zarr-python 3 spells raw fields with its raw_bytes object inside structured types
        return {"name": _STRUCTURED, "configuration": {"fields": [
            [name, encode_data_type(dt.fields[name][0], _RAW_BYTES)] for name in dt.names or ()]}}
    if dt.kind == "V":
        if raw_spelling == _RAW_BYTES:
            return {"name": _RAW_BYTES, "configuration": {"length_bytes": dt.itemsize}}
        return f"r{dt.itemsize * 8}"
    return _NAMES[(dt.kind, dt.itemsize)]


def decode_data_type(obj: Any) -> tuple[np.dtype, str]:
    """Return the numpy dtype for the v3 ``data_type`` value ``obj`` and how raw bytes were spelled.

    The second item is ``'raw_bytes'`` when ``obj`` used zarr-python 3's raw bytes object and ``'r'``
    otherwise, so a rewritten document keeps the spelling its writer can read.

    Raises
    ------
    MetadataError
        Naming ``obj`` when it is not a data type this library knows.

    Examples
    --------
    >>> decode_data_type('complex64')
    (dtype('complex64'), 'r')
    """
    if isinstance(obj, Mapping):
        name = obj.get("name")
        config = obj.get("configuration", {})
        if name == _STRUCTURED and isinstance(config, Mapping):
            fields = config.get("fields")
            if not isinstance(fields, list) or not fields or not all(
                    isinstance(f, list) and len(f) == 2 and isinstance(f[0], str) for f in fields):
                raise MetadataError(f"data_type {dict(obj)!r}: fields must be a list of [name, "
                                    f"data_type]"[:300])
            try:
                dt = np.dtype([(f[0], decode_data_type(f[1])[0]) for f in fields])
            except (TypeError, ValueError) as e:
                raise MetadataError(f"data_type {dict(obj)!r}: {e}"[:300]) from e
            return dt, _RAW_BYTES  # its fill value is base64, as for raw bytes
        if name == _RAW_BYTES and isinstance(config, Mapping):
            n = config.get("length_bytes")
            if _is_int(n) and n > 0:
                return np.dtype(f"V{n}"), _RAW_BYTES
            raise MetadataError(f"data_type {dict(obj)!r}: length_bytes must be a positive integer")
        if isinstance(name, str) and not config:
            return decode_data_type(name)  # {"name": "int32"} is the long form of "int32"
        raise MetadataError(f"unknown data_type {dict(obj)!r}"[:300])
    if isinstance(obj, str):
        if obj in DATA_TYPES:
            return DATA_TYPES[obj], "r"
        if obj == STRING:
            return STRING_DTYPE, "r"
        bits = _raw_bits(obj)
        if bits is not None:
            return np.dtype(f"V{bits // 8}"), "r"
    raise MetadataError(f"unknown data_type {obj!r}; expected one of {', '.join(DATA_TYPES)} or r<bits> "
                        f"(bits a positive multiple of 8)"[:400])


def _is_int(x: Any) -> TypeGuard[int]:  # numpy integers too; bool is no integer here
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


# fill values: JSON -> numpy -------------------------------------------------------------------------


def decode_fill_value_v3(obj: Any, dtype: np.dtype, raw_spelling: str = "r") -> Any:
    """Return the fill value stored as ``obj`` for ``dtype``, as a numpy scalar.

    Raises
    ------
    MetadataError
        Naming ``obj`` and the data type when ``obj`` is not a fill value of it (``null`` never is).

    Examples
    --------
    >>> v = decode_fill_value_v3('0x7fc00000', np.dtype('f4'))
    >>> str(v.dtype), bool(np.isnan(v))
    ('float32', True)
    >>> decode_fill_value_v3([1, 0], np.dtype('V2')).tobytes()
    b'\\x01\\x00'
    """
    dtype = np.dtype(dtype)
    what = f"fill_value {obj!r} is not valid for data type {encode_data_type(dtype, raw_spelling)!r}"
    kind = dtype.kind
    if obj is None:
        raise MetadataError(f"{what}: Zarr v3 arrays must have a fill value")
    if kind == "b":
        if not isinstance(obj, bool):
            raise MetadataError(f"{what}: expected true or false")
        return np.bool_(obj)
    if kind in "iu":
        if isinstance(obj, float) and obj.is_integer():
            obj = int(obj)  # some writers emit 0.0; the value is exact, so it is taken
        if not _is_int(obj):
            raise MetadataError(f"{what}: expected an integer")
        info = np.iinfo(dtype)
        if not info.min <= obj <= info.max:
            raise MetadataError(f"{what}: out of range [{info.min}, {info.max}]")
        return dtype.type(obj)
    if kind == "f":
        return _decode_float(obj, dtype, what)
    if kind == "c":
        if not isinstance(obj, list) or len(obj) != 2:
            raise MetadataError(f"{what}: expected [real, imag]")
        part = np.dtype(f"f{dtype.itemsize // 2}")
        re, im = (_decode_float(v, part, what) for v in obj)
        out = np.zeros((), dtype=dtype)
        out.real, out.imag = re, im  # assigned apart, so NaN payloads in either part survive
        return out[()]
    if kind == "V":
        return _decode_raw(obj, dtype, what, raw_spelling)
    if dtype == STRING_DTYPE:
        if not isinstance(obj, str):
            raise MetadataError(f"{what}: expected a string")
        return obj
    raise MetadataError(f"{what}: unsupported dtype {dtype}")  # pragma: no cover


def _decode_float(obj: Any, dtype: np.dtype, what: str) -> Any:
    if isinstance(obj, str):
        if obj in _FLOAT_SPELLINGS:
            return dtype.type(_FLOAT_SPELLINGS[obj])
        if obj.startswith("0x"):
            digits = obj[2:]
            if len(digits) != 2 * dtype.itemsize:
                raise MetadataError(f"{what}: a hex fill value of a {dtype.itemsize}-byte float has "
                                    f"{2 * dtype.itemsize} hex digits")
            try:
                bits = int(digits, 16)
            except ValueError as e:
                raise MetadataError(f"{what}: bad hex digits") from e
            return np.array(bits, dtype=_UINT_OF_SIZE[dtype.itemsize]).view(dtype)[()]
        raise MetadataError(f"{what}: expected a number, 'NaN', 'Infinity', '-Infinity' or '0x...' bits")
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise MetadataError(f"{what}: expected a number")
    with np.errstate(over="ignore"):
        value = dtype.type(obj)
    if math.isinf(value) and math.isfinite(obj):
        raise MetadataError(f"{what}: out of range for {dtype}")
    return value


def _decode_raw(obj: Any, dtype: np.dtype, what: str, raw_spelling: str) -> Any:
    if isinstance(obj, str) and (raw_spelling == _RAW_BYTES or dtype.fields is not None):
        try:
            raw = base64.b64decode(obj.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as e:
            raise MetadataError(f"{what}: not base64") from e
    elif isinstance(obj, list) and all(_is_int(b) and 0 <= b <= 255 for b in obj):
        raw = bytes(obj)
    else:
        raise MetadataError(f"{what}: expected a list of {dtype.itemsize} byte values (0..255)")
    if len(raw) != dtype.itemsize:
        raise MetadataError(f"{what}: expected {dtype.itemsize} bytes, found {len(raw)}")
    return np.frombuffer(raw, dtype=dtype)[0]


# fill values: numpy -> JSON -------------------------------------------------------------------------


def encode_fill_value_v3(value: Any, dtype: np.dtype, raw_spelling: str = "r") -> Any:
    """Return the JSON form of the fill value ``value`` of an array of ``dtype``.

    Examples
    --------
    >>> encode_fill_value_v3(np.float32('nan'), np.dtype('f4'))
    'NaN'
    >>> encode_fill_value_v3(-np.float64('nan'), np.dtype('f8'))
    '0xfff8000000000000'
    >>> encode_fill_value_v3(1 + 2j, np.dtype('c8'))
    [1.0, 2.0]
    """
    dtype = np.dtype(dtype)
    value = normalize_fill_value_v3(value, dtype)
    kind = dtype.kind
    if kind == "b":
        return bool(value)
    if kind in "iu":
        return int(value)
    if kind == "f":
        return _encode_float(value)
    if kind == "c":
        return [_encode_float(value.real), _encode_float(value.imag)]
    if dtype == STRING_DTYPE:
        return value
    raw = value.tobytes()
    if raw_spelling == _RAW_BYTES or dtype.fields is not None:
        return base64.standard_b64encode(raw).decode("ascii")
    return list(raw)


def _encode_float(value: np.floating) -> float | str:
    if math.isnan(value):
        canonical = value.dtype.type("nan")
        if value.tobytes() == canonical.tobytes():
            return "NaN"
        # a NaN with another sign or payload: its exact bits, as the spec's hex spelling
        size = value.dtype.itemsize
        bits = int(np.array(value).view(_UINT_OF_SIZE[size]))
        return f"0x{bits:0{2 * size}x}"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float(value)


def normalize_fill_value_v3(value: Any, dtype: np.dtype) -> Any:
    """Return the numpy scalar of ``dtype`` that a new v3 array stores for the user's ``fill_value``.

    ``None`` means the zero of the dtype (v3 arrays always have a fill value); ``bytes`` fill a raw-bits
    dtype; anything else is converted with numpy.

    Raises
    ------
    ValueError
        Naming ``value`` and ``dtype`` when the value does not fit.

    Examples
    --------
    >>> v = normalize_fill_value_v3(None, np.dtype('f4'))
    >>> str(v.dtype), float(v)
    ('float32', 0.0)
    >>> normalize_fill_value_v3(b'ab', np.dtype('V2')).tobytes()
    b'ab'
    """
    dtype = np.dtype(dtype)
    if dtype == STRING_DTYPE:
        # strings fill with text; None (and zarr-2's 0 default) mean the empty string
        if value is None or (_is_int(value) and value == 0):
            return ""
        if isinstance(value, (str, np.str_)):
            return str(value)
        raise ValueError(f"fill_value {value!r} is not valid for strings: expected a str")
    if value is None:
        return np.zeros((), dtype=dtype)[()]
    if isinstance(value, np.generic) and value.dtype == dtype:
        return value
    try:
        if dtype.fields is not None and not isinstance(value, (bytes, bytearray)) and not (
                _is_int(value) and value == 0):
            out = np.array(value).astype(dtype) if isinstance(value, np.void) else np.array(value,
                                                                                              dtype=dtype)
            if out.shape != ():
                raise ValueError("expected one value")
            return out[()]
        if dtype.kind == "V":
            if isinstance(value, np.void):
                value = value.tobytes()
            if isinstance(value, (bytes, bytearray)):
                if len(value) != dtype.itemsize:
                    raise ValueError(f"expected {dtype.itemsize} bytes, found {len(value)}")
                return np.frombuffer(bytes(value), dtype=dtype)[0]
            if _is_int(value) and value == 0:
                return np.zeros((), dtype=dtype)[()]
            raise ValueError("raw bits take bytes")
        if dtype.kind in "iu":
            if isinstance(value, (float, np.floating)) and not float(value).is_integer():
                raise ValueError("not an integer")
            info = np.iinfo(dtype)
            if not info.min <= int(value) <= info.max:
                raise ValueError(f"out of range [{info.min}, {info.max}]")
            return dtype.type(int(value))
        if dtype.kind == "b":
            if not isinstance(value, (bool, np.bool_)) and value not in (0, 1):
                raise ValueError("expected True or False")
            return np.bool_(bool(value))
        out = np.array(value, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as e:
        raise ValueError(f"fill_value {value!r} is not valid for dtype {dtype}: {e}") from e
    if out.shape != ():
        raise ValueError(f"fill_value {value!r} is not valid for dtype {dtype}: expected one value")
    return out[()]
