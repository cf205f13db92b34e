"""Zarr v2 metadata documents (``.zarray``, ``.zgroup``, ``.zattrs``, ``.zmetadata``) as frozen dataclasses.

Documents are written byte for byte the way zarr-python 2.18 writes them: JSON with 4-space indents,
sorted keys and ASCII escapes. Reading checks every field and raises :class:`~zarr5.errors.MetadataError`
naming the document's key and the field at fault.
"""

from __future__ import annotations

import dataclasses
import json
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numcodecs
import numpy as np

from zarr5.errors import MetadataError
from zarr5.metadata.dtypes import (
    EncodedObjectFill,
    decode_dtype,
    decode_fill_value,
    decode_object_fill,
    encode_dtype,
    encode_fill_value,
)
from zarr5.metadata.jsontext import PLAIN_LEAVES, is_flat_plain, make_indented_encoder

#: a memory layout numpy accepts
Order = Literal["C", "F"]

__all__ = [
    "ARRAY_KEY",
    "ATTRS_KEY",
    "CONSOLIDATED_KEY",
    "GROUP_KEY",
    "ArrayMetadata",
    "GroupMetadata",
    "decode_attributes",
    "decode_consolidated",
    "decode_json",
    "encode_attributes",
    "encode_consolidated",
    "encode_json",
]

ARRAY_KEY = ".zarray"
GROUP_KEY = ".zgroup"
ATTRS_KEY = ".zattrs"
CONSOLIDATED_KEY = ".zmetadata"

ZARR_FORMAT = 2
_ARRAY_FIELDS = ("zarr_format", "shape", "chunks", "dtype", "compressor", "fill_value", "order")


# JSON ----------------------------------------------------------------------------------------------


class _NumpyEncoder(json.JSONEncoder):
    # numpy scalars and arrays become the python values JSON knows
    def default(self, o: Any) -> Any:
        if isinstance(o, (bool, np.bool_)):
            return bool(o)
        if isinstance(o, numbers.Integral):
            return int(o)
        if isinstance(o, numbers.Real):
            return float(o)
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.str_):
            return str(o)
        return super().default(o)


# plain trees (nearly every document) skip json's slow pure-Python indenting encoder
_fast_encode = make_indented_encoder(4, sort_keys=True)


def encode_json(obj: Any) -> bytes:
    """Return ``obj`` as JSON bytes formatted exactly like zarr-python 2.18's metadata documents."""
    text = _fast_encode(obj)
    if text is None:
        text = json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=True, separators=(",", ": "),
                          cls=_NumpyEncoder)
    return text.encode("ascii")


def decode_json(data: bytes | str | bytearray | memoryview, key: str) -> Any:
    """Parse the JSON document stored under ``key``; malformed text raises MetadataError naming ``key``."""
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else (
            bytes(data).decode("utf-8") if isinstance(data, memoryview) else data)
        if not isinstance(text, str):
            raise TypeError(f"expected bytes or str, found {type(data).__name__}")
        return json.loads(text)
    except (UnicodeDecodeError, ValueError, TypeError) as e:
        raise MetadataError(f"{key}: malformed JSON metadata document: {e}") from e


def json_loads(data: bytes | str | bytearray | memoryview) -> Any:
    """Parse JSON text or bytes (zarr-2's ``zarr.meta.json_loads``); malformed text is a MetadataError."""
    return decode_json(data, "JSON document")


def _decode_object(data: Any, key: str) -> dict:
    doc = data if isinstance(data, Mapping) else decode_json(data, key)
    if not isinstance(doc, Mapping):
        raise MetadataError(f"{key}: expected a JSON object, found {type(doc).__name__}: {doc!r}"[:300])
    return dict(doc)


# validation: each parse_* names the bad value -------------------------------------------------------


def _is_int(x: Any) -> bool:
    return type(x) is int or (isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_)))


def parse_zarr_format(value: Any) -> int:
    """Return ``value`` if it is 2, the only format this class describes."""
    if not _is_int(value) or value != ZARR_FORMAT:
        raise MetadataError(f"unsupported zarr_format {value!r}; expected {ZARR_FORMAT}")
    return int(value)


_INT = frozenset({int})  # the item types of a tuple of plain ints (bool excluded)

# the longest axis numpy can index (its intp); a longer one cannot even be sliced
_MAX_LENGTH = int(np.iinfo(np.intp).max)


def parse_shape(value: Any) -> tuple[int, ...]:
    """Return ``value`` as a tuple of non-negative ints."""
    if type(value) is tuple and {*map(type, value)} <= _INT and 0 <= min(value, default=0) \
            and max(value, default=0) <= _MAX_LENGTH:
        return value  # already normal (every new array's shape): skip the general checks
    if not isinstance(value, (tuple, list)) or not all(_is_int(n) for n in value):
        raise MetadataError(f"shape {value!r} must be a list of integers")
    if any(n < 0 for n in value):
        raise MetadataError(f"shape {tuple(value)!r} has a negative length")
    if any(n > _MAX_LENGTH for n in value):
        raise MetadataError(f"shape {tuple(value)!r} has a length above {_MAX_LENGTH}, beyond numpy's index")
    return tuple(int(n) for n in value)


def parse_chunks(value: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Return ``value`` as a tuple of positive ints, one per axis of ``shape``.

    A zero chunk length is accepted on a zero-length axis, because zarr-python writes that for
    ``chunks=False`` on an empty axis.
    """
    if (type(value) is tuple and len(value) == len(shape) and {*map(type, value)} <= _INT
            and 1 <= min(value, default=1) and max(value, default=1) <= _MAX_LENGTH):
        return value  # already normal (every new array's chunks): skip the general checks
    if not isinstance(value, (tuple, list)) or not all(_is_int(n) for n in value):
        raise MetadataError(f"chunks {value!r} must be a list of integers")
    if len(value) != len(shape):
        raise MetadataError(f"chunks {tuple(value)!r} and shape {shape!r} differ in length")
    for axis, (c, n) in enumerate(zip(value, shape)):
        if c < 0 or (c == 0 and n != 0) or c > _MAX_LENGTH:
            raise MetadataError(f"chunks {tuple(value)!r} has invalid length {c} for axis {axis}; "
                                f"must be >= 1 and <= {_MAX_LENGTH}")
    return tuple(int(c) for c in value)


def parse_order(value: Any) -> Order:
    """Return ``value`` if it is 'C' or 'F'."""
    if value not in ("C", "F"):
        raise MetadataError(f"order {value!r} must be 'C' or 'F'")
    return value


def parse_dimension_separator(value: Any) -> str:
    """Return ``value`` if it is '.' or '/'; ``None`` means '.'."""
    if value is None:
        return "."
    if value not in (".", "/"):
        raise MetadataError(f"dimension_separator {value!r} must be '.' or '/'")
    return value


def parse_codec_config(value: Any, field: str) -> dict:
    """Return ``value`` if it is a codec configuration: a JSON object with a string ``id``."""
    if not isinstance(value, Mapping) or not isinstance(value.get("id"), str):
        raise MetadataError(f"{field} {value!r} must be a codec configuration with a string 'id'")
    return dict(value)


def parse_compressor(value: Any) -> dict | None:
    """Return the compressor configuration, or None."""
    return None if value is None else parse_codec_config(value, "compressor")


def parse_filters(value: Any) -> tuple[dict, ...] | None:
    """Return the filter configurations as a tuple, or None when there are none."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)):
        raise MetadataError(f"filters {value!r} must be a list of codec configurations or null")
    return tuple(parse_codec_config(f, f"filters[{i}]") for i, f in enumerate(value)) or None


def parse_dtype(value: Any) -> np.dtype:
    """Return ``value`` as a numpy dtype."""
    if isinstance(value, np.dtype):
        return value
    try:
        return np.dtype(value)
    except Exception as e:  # numpy raises several types for bad dtypes
        raise MetadataError(f"invalid dtype {value!r}: {e}") from e


# .zarray -------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ArrayMetadata:
    """The metadata of one Zarr v2 array (the ``.zarray`` document).

    A top-level sub-array dtype such as ``'(2,)i4'`` is folded into the shape, as zarr-python does:
    ``shape`` gains the sub-array's axes (so does ``chunks`` when given without them) and ``dtype``
    becomes its base.

    Examples
    --------
    >>> m = ArrayMetadata(shape=(4,), chunks=(2,), dtype=np.dtype('i4'), compressor=None, fill_value=0)
    >>> ArrayMetadata.decode(m.encode()) == m
    True
    >>> m.replace(shape=(6,)).shape
    (6,)
    """

    shape: tuple[int, ...]
    chunks: tuple[int, ...]
    dtype: np.dtype
    compressor: dict | None = None
    fill_value: Any = None
    order: Order = "C"
    filters: tuple[dict, ...] | None = None
    dimension_separator: str = "."
    zarr_format: int = ZARR_FORMAT
    #: write ``dimension_separator`` even when it is the default '.' (zarr-python does when one was given)
    explicit_separator: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalised values are stored once, here
        dtype = parse_dtype(self.dtype)
        shape = parse_shape(self.shape)
        chunks = self.chunks
        if dtype.subdtype is not None:
            dtype, sub = dtype.subdtype
            if isinstance(chunks, (tuple, list)) and len(chunks) == len(shape):
                chunks = tuple(chunks) + sub
            shape = shape + sub
        set_(self, "dtype", dtype)
        set_(self, "shape", shape)
        set_(self, "chunks", parse_chunks(chunks, shape))
        # fields holding their usual value already (a new array's) need no parse
        if self.order != "C":
            set_(self, "order", parse_order(self.order))
        if self.compressor is not None:
            set_(self, "compressor", parse_compressor(self.compressor))
        if self.filters is not None:
            set_(self, "filters", parse_filters(self.filters))
        if self.dimension_separator != ".":
            set_(self, "dimension_separator", parse_dimension_separator(self.dimension_separator))
        if type(self.zarr_format) is not int or self.zarr_format != ZARR_FORMAT:
            set_(self, "zarr_format", parse_zarr_format(self.zarr_format))
        if dtype.hasobject and not self.filters:
            raise MetadataError(f"dtype {dtype} holds objects, so filters must start with an object codec "
                                f"(e.g. vlen-utf8), but filters is {self.filters!r}")
        # what JSON cannot hold fails early, here, rather than when the document is written (a store
        # keeping documents back encodes it only then)
        try:
            fill = encode_fill_value(self.fill_value, dtype, self._object_codec())
            if type(fill) not in PLAIN_LEAVES:
                encode_json(fill)
        except (TypeError, ValueError) as e:
            raise MetadataError(f"fill_value {self.fill_value!r} is not valid for dtype {dtype}: {e}") from e
        for config in (self.compressor, *(self.filters or ())):
            if config is not None and not is_flat_plain(config):
                encode_json(config)  # a codec setting JSON cannot hold raises TypeError naming it

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-able document (the parsed form of :meth:`encode`)."""
        doc: dict[str, Any] = {
            "zarr_format": self.zarr_format,
            "shape": list(self.shape),
            "chunks": list(self.chunks),
            "dtype": encode_dtype(self.dtype),
            "compressor": self.compressor,
            "fill_value": encode_fill_value(self.fill_value, self.dtype, self._object_codec()),
            "order": self.order,
            "filters": None if self.filters is None else list(self.filters),
        }
        if self.dimension_separator != "." or self.explicit_separator:
            # zarr-python writes the key only when a separator was chosen; '.' is the v2 default
            doc["dimension_separator"] = self.dimension_separator
        return doc

    def _object_codec(self) -> Any:
        """The object codec a structured dtype holding objects encodes its fill value with (else None)."""
        if not (self.dtype.kind == "V" and self.dtype.hasobject and self.filters):
            return None
        if self.fill_value is None or isinstance(self.fill_value, EncodedObjectFill):
            return None  # nothing to encode: building the codec is not needed
        try:
            return numcodecs.get_codec(dict(self.filters[0]))
        except Exception as e:  # unknown ids raise ValueError/KeyError; bad settings anything
            raise ValueError(f"cannot build the object codec {self.filters[0]!r}: {e}") from e

    def with_object_fill(self, object_codec: Any) -> ArrayMetadata:
        """This document with a fill value still stored encoded (:class:`EncodedObjectFill`, a
        structured dtype holding objects) decoded by ``object_codec``, which the caller allowed."""
        if not isinstance(self.fill_value, EncodedObjectFill):
            return self
        return self.replace(fill_value=decode_object_fill(self.fill_value, self.dtype, object_codec))

    def encode(self) -> bytes:
        """Return the ``.zarray`` document as bytes, as zarr-python 2.18 would write it."""
        return encode_json(self.to_dict())

    @classmethod
    def decode(cls, data: bytes | str | Mapping, key: str = ARRAY_KEY) -> ArrayMetadata:
        """Parse a ``.zarray`` document (bytes, text, or an already-parsed mapping).

        Raises
        ------
        MetadataError
            Naming ``key`` and the field at fault, for malformed JSON, missing fields, values of the
            wrong type, unknown dtypes and impossible shapes or chunks.
        """
        doc = _decode_object(data, key)
        missing = [f for f in _ARRAY_FIELDS if f not in doc]
        if missing:
            raise MetadataError(f"{key}: missing field(s) {', '.join(map(repr, missing))}")
        zarr_format = _field(key, "zarr_format", parse_zarr_format, doc["zarr_format"])
        dtype = _field(key, "dtype", decode_dtype, doc["dtype"])
        # a sub-array dtype's fill value belongs to its base, which is what the array stores
        fill_value = _field(key, "fill_value", decode_fill_value, doc["fill_value"], dtype.base)
        shape = _field(key, "shape", parse_shape, doc["shape"])
        chunks = _field(key, "chunks", parse_chunks, doc["chunks"], shape)
        try:
            return cls(
                shape=shape,
                chunks=chunks,
                dtype=dtype,
                compressor=_field(key, "compressor", parse_compressor, doc["compressor"]),
                fill_value=fill_value,
                order=_field(key, "order", parse_order, doc["order"]),
                filters=_field(key, "filters", parse_filters, doc.get("filters")),
                dimension_separator=_field(key, "dimension_separator", parse_dimension_separator,
                                           doc.get("dimension_separator")),
                zarr_format=zarr_format,
                explicit_separator=doc.get("dimension_separator") is not None,
            )
        except MetadataError as e:
            raise MetadataError(f"{key}: {e}") from e

    def replace(self, **changes: Any) -> ArrayMetadata:
        """Return a copy with ``changes`` applied (the original is unchanged)."""
        return dataclasses.replace(self, **changes)

    def _canonical(self) -> bytes:
        doc = self.to_dict()
        # an explicit '.' separator and an absent one mean the same layout
        doc.setdefault("dimension_separator", ".")
        return encode_json(doc)

    def __eq__(self, other: object) -> bool:
        # equal documents are equal metadata (NaN fill values and tuple-vs-list configs included)
        if not isinstance(other, ArrayMetadata):
            return NotImplemented
        return self.dtype == other.dtype and self._canonical() == other._canonical()

    def __hash__(self) -> int:
        return hash(self._canonical())


def _field(key: str, field: str, parse: Any, *args: Any) -> Any:
    try:
        return parse(*args)
    except MetadataError as e:
        raise MetadataError(f"{key}: bad field {field!r}: {e}") from e


# .zgroup -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupMetadata:
    """The metadata of one Zarr v2 group (the ``.zgroup`` document)."""

    zarr_format: int = ZARR_FORMAT

    def __post_init__(self) -> None:
        object.__setattr__(self, "zarr_format", parse_zarr_format(self.zarr_format))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-able document."""
        return {"zarr_format": self.zarr_format}

    def encode(self) -> bytes:
        """Return the ``.zgroup`` document as bytes, as zarr-python 2.18 would write it."""
        return encode_json(self.to_dict())

    @classmethod
    def decode(cls, data: bytes | str | Mapping, key: str = GROUP_KEY) -> GroupMetadata:
        """Parse a ``.zgroup`` document; a malformed one raises MetadataError naming ``key``."""
        doc = _decode_object(data, key)
        if "zarr_format" not in doc:
            raise MetadataError(f"{key}: missing field 'zarr_format'")
        try:
            return cls(zarr_format=doc["zarr_format"])
        except MetadataError as e:
            raise MetadataError(f"{key}: bad zarr_format: {e}") from e


# .zattrs -------------------------------------------------------------------------------------------


def encode_attributes(attrs: Mapping[str, Any]) -> bytes:
    """Return the ``.zattrs`` document for ``attrs``.

    Numpy scalars and arrays become python numbers and lists. NaN and infinities are written as
    ``NaN``/``Infinity`` tokens, as zarr-python does.

    Raises
    ------
    TypeError
        Naming the attribute whose key is not a string or whose value JSON cannot hold.
    """
    for name in attrs:
        if not isinstance(name, str):
            raise TypeError(f"attribute names must be strings, not {type(name).__name__}: {name!r}")
    try:
        return encode_json(dict(attrs))
    except (TypeError, ValueError):
        pass
    for name, value in attrs.items():
        try:
            encode_json(value)
        except (TypeError, ValueError) as e:
            raise TypeError(f"attribute {name!r}: value {value!r} cannot be stored as JSON: {e}") from e
    raise TypeError(f"attributes {dict(attrs)!r} cannot be stored as JSON")  # pragma: no cover


def decode_attributes(data: bytes | str | Mapping, key: str = ATTRS_KEY) -> dict[str, Any]:
    """Parse a ``.zattrs`` document into a dict.

    Anything but a JSON object raises MetadataError naming ``key``.
    """
    return _decode_object(data, key)


# .zmetadata ----------------------------------------------------------------------------------------


def encode_consolidated(metadata: Mapping[str, Any]) -> bytes:
    """Return the ``.zmetadata`` document holding the parsed documents ``metadata`` (key -> JSON value)."""
    return encode_json({"metadata": dict(metadata), "zarr_consolidated_format": 1})


def decode_consolidated(data: bytes | str | Mapping, key: str = CONSOLIDATED_KEY) -> dict[str, Any]:
    """Parse a ``.zmetadata`` document and return its ``metadata`` mapping (key -> parsed document)."""
    doc = _decode_object(data, key)
    fmt = doc.get("zarr_consolidated_format")
    if fmt != 1:
        raise MetadataError(f"{key}: unsupported zarr_consolidated_format {fmt!r}; expected 1")
    meta = doc.get("metadata")
    if not isinstance(meta, Mapping):
        raise MetadataError(f"{key}: field 'metadata' must be a JSON object, found {meta!r}"[:300])
    return dict(meta)
