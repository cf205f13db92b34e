"""Zarr v3 metadata documents (``zarr.json`` of arrays and groups) as frozen dataclasses.

Documents are written the way zarr-python 3 writes them: JSON with 2-space indents, keys in its order,
attributes inside the document, ``NaN``/``Infinity`` tokens allowed in attributes. Reading checks every
field and raises :class:`~zarr5.errors.MetadataError` naming the document's key and the field at fault.
Data types and fill values live in :mod:`.v3_dtypes`, codec chains in :mod:`.v3_codecs`.
"""

from __future__ import annotations

import dataclasses
import json
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import numpy as np

from zarr5.errors import MetadataError
from zarr5.metadata.jsontext import make_indented_encoder
from zarr5.metadata.v2 import Order
from zarr5.metadata.v3_codecs import codec_from_numcodecs, default_index_codecs, parse_codecs, unparse_codec
from zarr5.metadata.v3_dtypes import (
    STRING_DTYPE,
    decode_data_type,
    decode_fill_value_v3,
    encode_data_type,
    encode_fill_value_v3,
    normalize_dtype_v3,
    normalize_fill_value_v3,
)

__all__ = [
    "ZARR_JSON",
    "ArrayMetadataV3",
    "GroupMetadataV3",
    "build_v3_metadata",
    "encode_json_v3",
    "parse_node",
]

ZARR_JSON = "zarr.json"
ZARR_FORMAT = 3
_ARRAY_REQUIRED = ("shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs")
_ARRAY_OPTIONAL = ("attributes", "dimension_names", "storage_transformers")
_COMMON = ("zarr_format", "node_type")
_SEPARATORS = {"default": "/", "v2": "."}


# JSON ----------------------------------------------------------------------------------------------


def _json_default(o: Any) -> Any:
    # numpy scalars and arrays in attributes become the python values JSON knows
    if isinstance(o, np.bool_):
        return bool(o)
    if isinstance(o, numbers.Integral):
        return int(o)
    if isinstance(o, numbers.Real):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


# plain trees skip json's slow pure-Python indenting encoder (same bytes)
_fast_encode = make_indented_encoder(2, sort_keys=False)


def encode_json_v3(obj: Any) -> bytes:
    """Return ``obj`` as JSON bytes formatted exactly like zarr-python 3's ``zarr.json`` documents."""
    text = _fast_encode(obj)
    if text is None:
        text = json.dumps(obj, indent=2, allow_nan=True, default=_json_default)
    return text.encode("ascii")


def _decode_object(data: Any, key: str) -> dict:
    if isinstance(data, Mapping):
        return dict(data)
    try:
        raw = bytes(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
        doc = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except (UnicodeDecodeError, ValueError, TypeError) as e:
        raise MetadataError(f"{key}: malformed JSON metadata document: {e}") from e
    if not isinstance(doc, dict):
        raise MetadataError(f"{key}: expected a JSON object, found {type(doc).__name__}: {doc!r}"[:300])
    return doc


def _field(key: str, name: str, parse: Any, *args: Any) -> Any:
    try:
        return parse(*args)
    except MetadataError as e:
        raise MetadataError(f"{key}: bad field {name!r}: {e}") from e


def _check_node(doc: dict, key: str, node_type: str, known: Sequence[str]) -> None:
    if doc.get("zarr_format") != ZARR_FORMAT:
        raise MetadataError(f"{key}: unsupported zarr_format {doc.get('zarr_format')!r}; expected 3")
    if doc.get("node_type") != node_type:
        raise MetadataError(f"{key}: node_type {doc.get('node_type')!r} is not {node_type!r}")
    for name, value in doc.items():
        # the spec lets a reader skip an unknown field only when it says it need not be understood
        if name not in known and not (isinstance(value, Mapping) and value.get("must_understand") is False):
            raise MetadataError(f"{key}: unknown field {name!r} (not marked must_understand: false)")


# validation: each parse_* names the bad value -------------------------------------------------------


_INT = frozenset({int})  # the item types of a tuple of plain ints (bool excluded)


def _is_int(x: Any) -> TypeGuard[int]:  # numpy integers too; bool is no integer here
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def parse_shape(value: Any) -> tuple[int, ...]:
    """Return ``value`` as a tuple of non-negative ints."""
    if type(value) is tuple and {*map(type, value)} <= _INT and min(value, default=0) >= 0:
        return value  # already normal (a new array's): skip the checks below
    if not isinstance(value, (list, tuple)) or not all(_is_int(n) and n >= 0 for n in value):
        raise MetadataError(f"shape {value!r} must be a list of non-negative integers")
    return tuple(int(n) for n in value)


def parse_chunk_shape(value: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Return ``value`` as a tuple of positive ints, one per axis of ``shape``."""
    if type(value) is tuple and len(value) == len(shape) and {*map(type, value)} <= _INT \
            and min(value, default=1) > 0:
        return value  # already normal (a new array's): skip the checks below
    if (not isinstance(value, (list, tuple)) or not all(_is_int(n) and n > 0 for n in value)
            or len(value) != len(shape)):
        raise MetadataError(f"chunk_shape {value!r} must be {len(shape)} positive integers (one per axis "
                            f"of shape {list(shape)})")
    return tuple(int(n) for n in value)


def parse_chunk_grid(value: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Return the chunk shape of a ``regular`` chunk grid, the only grid of v3 core."""
    if not isinstance(value, Mapping) or value.get("name") != "regular":
        raise MetadataError(f"{value!r} is not a regular chunk grid "
                            f"({{'name': 'regular', 'configuration': {{'chunk_shape': [...]}}}})"[:300])
    config = value.get("configuration")
    if not isinstance(config, Mapping) or "chunk_shape" not in config:
        raise MetadataError(f"regular chunk grid {dict(value)!r} has no configuration.chunk_shape"[:300])
    return parse_chunk_shape(config["chunk_shape"], shape)


def parse_chunk_key_encoding(value: Any) -> tuple[str, str]:
    """Return ``(name, separator)`` of a ``default`` or ``v2`` chunk key encoding."""
    name = value if isinstance(value, str) else (value.get("name") if isinstance(value, Mapping) else None)
    if name not in _SEPARATORS:
        raise MetadataError(f"chunk key encoding {value!r} must be 'default' or 'v2'"[:300])
    config = value.get("configuration", {}) if isinstance(value, Mapping) else {}
    if not isinstance(config, Mapping) or set(config) - {"separator"}:
        raise MetadataError(f"chunk key encoding {value!r} has a bad configuration"[:300])
    return name, parse_separator(config.get("separator", _SEPARATORS[name]))


def parse_separator(value: Any) -> str:
    """Return ``value`` if it is '/' or '.'."""
    if value not in ("/", "."):
        raise MetadataError(f"separator {value!r} must be '/' or '.'")
    return value


def parse_dimension_names(value: Any, ndim: int) -> tuple[str | None, ...] | None:
    """Return ``value`` as a tuple of names (str or None), one per axis, or None."""
    if value is None:
        return None
    if (not isinstance(value, (list, tuple)) or len(value) != ndim
            or not all(n is None or isinstance(n, str) for n in value)):
        raise MetadataError(f"dimension_names {value!r} must be {ndim} strings or nulls")
    return tuple(value)


def parse_attributes(value: Any) -> dict:
    """Return ``value`` as a dict if it is a JSON object (a mapping)."""
    if not isinstance(value, Mapping):
        raise MetadataError(f"attributes {value!r} must be a JSON object"[:300])
    return dict(value)


def parse_storage_transformers(value: Any) -> tuple:
    """Return ``()``; v3 core defines no storage transformer, so any listed one cannot be honoured."""
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return ()
    raise MetadataError(f"storage_transformers {value!r} are not supported"[:300])


def check_attributes(attrs: Mapping[str, Any]) -> dict:
    """Return ``attrs`` as a dict if it can be written as JSON; else raise TypeError naming the attribute."""
    for name, value in attrs.items():
        if not isinstance(name, str):
            raise TypeError(f"attribute names must be strings, not {type(name).__name__}: {name!r}")
        try:
            encode_json_v3(value)
        except (TypeError, ValueError) as e:
            raise TypeError(f"attribute {name!r}: value {value!r} cannot be stored as JSON: {e}") from e
    return dict(attrs)


# zarr.json of an array ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ArrayMetadataV3:
    """The metadata of one Zarr v3 array (its ``zarr.json``).

    ``dtype`` is held in native byte order; the stored byte order is the ``bytes`` codec's ``endian``.
    ``chunk_shape`` is the regular grid's chunk shape: for a sharded array, the shard shape.
    ``codecs`` holds normalised configurations (``{"name": ..., "configuration": {...}}``); given empty
    (or None), the chain is little-endian ``bytes`` alone. ``separator`` given empty (or None) becomes the
    encoding's own ('/' for ``default``, '.' for ``v2``). Both always hold their normalised value.

    Examples
    --------
    >>> m = ArrayMetadataV3(shape=(4, 5), dtype=np.dtype('i2'), chunk_shape=(2, 2))
    >>> ArrayMetadataV3.decode(m.encode()) == m
    True
    >>> m.chunk_key((1, 2)), m.replace(chunk_key_encoding='v2').chunk_key((1, 2))
    ('c/1/2', '1.2')
    """

    shape: tuple[int, ...]
    dtype: np.dtype
    chunk_shape: tuple[int, ...]
    chunk_key_encoding: str = "default"
    separator: str = ""
    fill_value: Any = None
    codecs: tuple[dict, ...] = ()
    attributes: dict = field(default_factory=dict)
    dimension_names: tuple[str | None, ...] | None = None
    storage_transformers: tuple = ()
    #: how a raw-bits data type is written: 'r' (``r<bits>``) or 'raw_bytes' (zarr-python 3's spelling)
    raw_spelling: str = "r"

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalised values are stored once, here
        try:
            dtype = normalize_dtype_v3(self.dtype)
        except ValueError as e:
            raise MetadataError(str(e)) from e
        set_(self, "dtype", dtype)
        shape = parse_shape(self.shape)
        set_(self, "shape", shape)
        set_(self, "chunk_shape", parse_chunk_shape(self.chunk_shape, shape))
        if self.chunk_key_encoding not in _SEPARATORS:
            raise MetadataError(f"chunk_key_encoding {self.chunk_key_encoding!r} must be 'default' or 'v2'")
        set_(self, "separator", parse_separator(self.separator or _SEPARATORS[self.chunk_key_encoding]))
        try:
            set_(self, "fill_value", normalize_fill_value_v3(self.fill_value, dtype))
        except ValueError as e:
            raise MetadataError(str(e)) from e
        codecs = self.codecs or ({"name": "bytes", "configuration": {"endian": "little"}},)
        set_(self, "codecs", parse_codecs(codecs, dtype, self.chunk_shape))
        set_(self, "attributes", parse_attributes(self.attributes))
        set_(self, "dimension_names", parse_dimension_names(self.dimension_names, len(shape)))
        set_(self, "storage_transformers", parse_storage_transformers(self.storage_transformers))
        if self.raw_spelling not in ("r", "raw_bytes"):
            raise MetadataError(f"raw_spelling {self.raw_spelling!r} must be 'r' or 'raw_bytes'")

    # what the engine reads, under the names of the v2 ArrayMetadata --------------------------------

    @property
    def chunks(self) -> tuple[int, ...]:
        """The chunk grid's chunk shape (for a sharded array, the shard shape): one stored object each."""
        return self.chunk_shape

    @property
    def order(self) -> Order:
        """'F' when the chain starts by reversing the axes (how order='F' is stored), else 'C'."""
        first = self.codecs[0]
        if first["name"] == "transpose" and len(self.shape) > 1:
            if first["configuration"]["order"] == list(range(len(self.shape)))[::-1]:
                return "F"
        return "C"

    @property
    def zarr_format(self) -> int:
        """Always 3."""
        return ZARR_FORMAT

    @property
    def node_type(self) -> str:
        """Always 'array'."""
        return "array"

    @property
    def sharding(self) -> dict | None:
        """The ``sharding_indexed`` configuration when the chain is that codec alone, else None."""
        if len(self.codecs) == 1 and self.codecs[0]["name"] == "sharding_indexed":
            return self.codecs[0]["configuration"]
        return None

    @property
    def shards(self) -> tuple[int, ...] | None:
        """The shard shape (== ``chunk_shape``) of a sharded array, else None."""
        return self.chunk_shape if self.sharding is not None else None

    @property
    def inner_chunk_shape(self) -> tuple[int, ...]:
        """The shape of the smallest unit read: the inner chunk of a sharded array, else the chunk."""
        sharding = self.sharding
        return tuple(sharding["chunk_shape"]) if sharding is not None else self.chunk_shape

    # chunk keys ------------------------------------------------------------------------------------

    def chunk_key(self, coords: Sequence[int]) -> str:
        """Return the key of the chunk at grid position ``coords``, relative to the array's path.

        ``default`` encoding: ``c/1/2`` (``c`` for a 0-d array); ``v2``: ``1.2`` (``0`` for 0-d).
        """
        if self.chunk_key_encoding == "default":
            return "c" + "".join(self.separator + str(int(i)) for i in coords)
        return self.separator.join(str(int(i)) for i in coords) if len(coords) else "0"

    def parse_chunk_key(self, key: str) -> tuple[int, ...] | None:
        """Return the grid position that the relative ``key`` names, or None if it names no chunk."""
        if self.chunk_key_encoding == "default":
            if key == "c":
                parts: list[str] = []
            elif key.startswith("c" + self.separator):
                parts = key[2:].split(self.separator)
            else:
                return None
        else:
            parts = [] if (key == "0" and not self.shape) else key.split(self.separator)
        if len(parts) != len(self.shape) or not all(p.isdigit() and p == str(int(p)) for p in parts):
            return None
        return tuple(int(p) for p in parts)

    # documents -------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-able document (the parsed form of :meth:`encode`)."""
        doc: dict[str, Any] = {
            "shape": list(self.shape),
            "data_type": encode_data_type(self.dtype, self.raw_spelling),
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": list(self.chunk_shape)}},
            "chunk_key_encoding": {"name": self.chunk_key_encoding,
                                   "configuration": {"separator": self.separator}},
            "fill_value": encode_fill_value_v3(self.fill_value, self.dtype, self.raw_spelling),
            "codecs": [unparse_codec(c) for c in self.codecs],
            "attributes": self.attributes,
        }
        if self.dimension_names is not None:
            doc["dimension_names"] = list(self.dimension_names)
        doc.update(zarr_format=ZARR_FORMAT, node_type="array", storage_transformers=[])
        return doc

    def encode(self) -> bytes:
        """Return the ``zarr.json`` document as bytes, as zarr-python 3 would write it."""
        return encode_json_v3(self.to_dict())

    @classmethod
    def decode(cls, data: bytes | str | Mapping, key: str = ZARR_JSON) -> ArrayMetadataV3:
        """Parse an array's ``zarr.json`` (bytes, text, or an already-parsed mapping).

        Raises
        ------
        MetadataError
            Naming ``key`` and the field at fault: malformed JSON, a wrong zarr_format or node_type,
            missing or unknown fields, an unknown data type, a bad fill value, chunk grid, chunk key
            encoding or dimension_names, an unknown or misplaced codec, a chain without its array ->
            bytes codec, storage transformers.
        """
        doc = _decode_object(data, key)
        _check_node(doc, key, "array", _ARRAY_REQUIRED + _ARRAY_OPTIONAL + _COMMON)
        missing = [f for f in _ARRAY_REQUIRED if f not in doc]
        if missing:
            raise MetadataError(f"{key}: missing field(s) {', '.join(map(repr, missing))}")
        dtype, spelling = _field(key, "data_type", decode_data_type, doc["data_type"])
        shape = _field(key, "shape", parse_shape, doc["shape"])
        chunk_shape = _field(key, "chunk_grid", parse_chunk_grid, doc["chunk_grid"], shape)
        encoding, separator = _field(key, "chunk_key_encoding", parse_chunk_key_encoding,
                                     doc["chunk_key_encoding"])
        try:
            return cls(
                shape=shape,
                dtype=dtype,
                chunk_shape=chunk_shape,
                chunk_key_encoding=encoding,
                separator=separator,
                fill_value=_field(key, "fill_value", decode_fill_value_v3, doc["fill_value"], dtype,
                                  spelling),
                codecs=_field(key, "codecs", parse_codecs, doc["codecs"], dtype, chunk_shape),
                attributes=_field(key, "attributes", parse_attributes, doc.get("attributes", {})),
                dimension_names=_field(key, "dimension_names", parse_dimension_names,
                                       doc.get("dimension_names"), len(shape)),
                storage_transformers=_field(key, "storage_transformers", parse_storage_transformers,
                                            doc.get("storage_transformers")),
                raw_spelling=spelling,
            )
        except MetadataError as e:
            if str(e).startswith(f"{key}: "):
                raise
            raise MetadataError(f"{key}: {e}") from e

    def replace(self, **changes: Any) -> ArrayMetadataV3:
        """Return a copy with ``changes`` applied (the original is unchanged).

        A new ``chunk_key_encoding`` without a ``separator`` takes that encoding's own separator.
        """
        if "chunk_key_encoding" in changes and "separator" not in changes:
            changes["separator"] = None
        return dataclasses.replace(self, **changes)

    def with_attributes(self, attrs: Mapping[str, Any]) -> ArrayMetadataV3:
        """Return a copy whose attributes are ``attrs`` (TypeError naming one JSON cannot hold)."""
        return self.replace(attributes=check_attributes(attrs))

    def __eq__(self, other: object) -> bool:
        # equal documents are equal metadata (NaN fill values included)
        if not isinstance(other, ArrayMetadataV3):
            return NotImplemented
        return self.dtype == other.dtype and self.encode() == other.encode()

    def __hash__(self) -> int:
        return hash(self.encode())


# zarr.json of a group -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GroupMetadataV3:
    """The metadata of one Zarr v3 group (its ``zarr.json``, attributes included).

    Examples
    --------
    >>> GroupMetadataV3.decode(GroupMetadataV3({'a': 1}).encode()).attributes
    {'a': 1}
    """

    attributes: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", parse_attributes(self.attributes))

    @property
    def zarr_format(self) -> int:
        """Always 3."""
        return ZARR_FORMAT

    @property
    def node_type(self) -> str:
        """Always 'group'."""
        return "group"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-able document."""
        return {"attributes": self.attributes, "zarr_format": ZARR_FORMAT, "node_type": "group"}

    def encode(self) -> bytes:
        """Return the ``zarr.json`` document as bytes, as zarr-python 3 would write it."""
        return encode_json_v3(self.to_dict())

    @classmethod
    def decode(cls, data: bytes | str | Mapping, key: str = ZARR_JSON) -> GroupMetadataV3:
        """Parse a group's ``zarr.json``; a malformed one raises MetadataError naming ``key``.

        zarr-python 3's inline ``consolidated_metadata`` (marked ``must_understand: false``) is ignored.
        """
        doc = _decode_object(data, key)
        _check_node(doc, key, "group", ("attributes",) + _COMMON)
        return cls(attributes=_field(key, "attributes", parse_attributes, doc.get("attributes", {})))

    def with_attributes(self, attrs: Mapping[str, Any]) -> GroupMetadataV3:
        """Return a copy whose attributes are ``attrs`` (TypeError naming one JSON cannot hold)."""
        return GroupMetadataV3(check_attributes(attrs))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GroupMetadataV3):
            return NotImplemented
        return self.encode() == other.encode()

    def __hash__(self) -> int:
        return hash(self.encode())


def parse_node(data: bytes | str | Mapping, key: str = ZARR_JSON) -> ArrayMetadataV3 | GroupMetadataV3:
    """Return the array or group metadata that the ``zarr.json`` document ``data`` holds.

    Raises
    ------
    MetadataError
        Naming ``key`` when the document is malformed or its node_type is neither 'array' nor 'group'.
    """
    doc = _decode_object(data, key)
    node_type = doc.get("node_type")
    if node_type == "array":
        return ArrayMetadataV3.decode(doc, key)
    if node_type == "group":
        return GroupMetadataV3.decode(doc, key)
    raise MetadataError(f"{key}: node_type {node_type!r} must be 'array' or 'group'")


# creation from zarr-2-style arguments ---------------------------------------------------------------


def build_v3_metadata(
    shape: Sequence[int],
    chunks: Sequence[int],
    dtype: Any,
    fill_value: Any = None,
    *,
    compressor: Any = "default",
    filters: Sequence[Any] | None = None,
    codecs: Sequence[Any] | None = None,
    order: str = "C",
    dimension_names: Sequence[str | None] | None = None,
    chunk_key_encoding: str | tuple[str, str] = ("default", "/"),
    shards: Sequence[int] | None = None,
    index_location: str = "end",
    attributes: Mapping[str, Any] | None = None,
) -> ArrayMetadataV3:
    """Return the metadata of a new v3 array from zarr-2-style creation arguments.

    Parameters
    ----------
    shape, chunks : sequence of int
        The array's shape and chunk shape (normalised already; a 0 chunk length on an empty axis
        becomes 1, since v3 chunk lengths are positive). With ``shards``, ``chunks`` is the inner
        chunk shape.
    dtype : dtype-like
        A v3 core data type; a big-endian dtype is stored big-endian (the ``bytes`` codec's endian).
    fill_value : scalar, optional
        ``None`` means zero: v3 arrays always have a fill value.
    compressor : numcodecs Codec, codec config dict, None or 'default'
        'default' is zstd level 0 without checksum, as zarr-python 3 writes; Blosc, GZip and Zstd map
        to their v3 codecs.
    filters : sequence, optional
        Must be empty: v2 filters (Delta, ...) have no v3 core codec.
    codecs : sequence of dict, optional
        A complete v3 chain (of the inner chunks, with ``shards``), used instead of ``compressor``
        and ``order``.
    order : {'C', 'F'}
        'F' stores each chunk transposed (a ``transpose`` codec reversing the axes).
    chunk_key_encoding : str or (name, separator)
        'default' ('/' keys ``c/0/1``) or 'v2' ('.' keys ``0.1``).
    shards : sequence of int, optional
        The shard shape, a multiple of ``chunks``: the chain becomes ``sharding_indexed`` with the
        inner chain inside and the index (bytes + crc32c) at ``index_location``.

    Raises
    ------
    ValueError
        Naming the argument v3 cannot express.

    Examples
    --------
    >>> m = build_v3_metadata((100, 100), (10, 10), 'f4', shards=(50, 50))
    >>> m.chunks, m.inner_chunk_shape, [c['name'] for c in m.sharding['codecs']]
    ((50, 50), (10, 10), ['bytes', 'zstd'])
    """
    native = normalize_dtype_v3(dtype)
    dt = native if native == STRING_DTYPE else np.dtype(dtype)
    shape = tuple(int(n) for n in shape)
    if len(chunks) != len(shape) or any(int(c) < 0 or (int(c) == 0 and n) for c, n in zip(chunks, shape)):
        raise ValueError(f"chunks {tuple(chunks)!r} must be {len(shape)} positive integers for shape "
                         f"{shape!r}")
    chunks = tuple(max(1, int(c)) for c in chunks)  # v3 chunk lengths are positive, even on empty axes
    if filters:
        raise ValueError(f"filters {list(filters)!r} have no Zarr v3 core codec; v3 arrays take a "
                         f"compressor (Blosc, GZip, Zstd), or the whole chain as codecs= (numcodecs filters "
                         f"as numcodecs.<id>)")
    if order not in ("C", "F"):
        raise ValueError(f"order {order!r} must be 'C' or 'F'")
    if codecs is not None:
        if compressor not in ("default", None):
            raise ValueError("give either codecs or compressor, not both")
        chain = [dict(c) if isinstance(c, Mapping) else c for c in codecs]
    else:
        chain = []
        if order == "F" and len(shape) > 1:
            chain.append({"name": "transpose", "configuration": {"order": list(range(len(shape)))[::-1]}})
        endian = "big" if dt.byteorder == ">" else "little"
        if native == STRING_DTYPE:
            chain.append({"name": "vlen-utf8", "configuration": {}})  # as zarr-python 3 writes strings
        else:
            # one-byte items and structured ones (each field native) are written without an endian
            plain = native.itemsize == 1 or native.fields is not None
            chain.append({"name": "bytes", "configuration": {} if plain else {"endian": endian}})
        if compressor == "default":
            chain.append({"name": "zstd", "configuration": {"level": 0, "checksum": False}})
        elif compressor is not None:
            chain.append(codec_from_numcodecs(compressor, native.itemsize))
    grid = chunks
    if shards is not None:
        shards = tuple(int(s) for s in shards)
        if len(shards) != len(shape) or any(s <= 0 or s % c for s, c in zip(shards, chunks)):
            raise ValueError(f"shards {shards!r} must be {len(shape)} positive multiples of chunks "
                             f"{chunks!r}")
        if index_location not in ("start", "end"):
            raise ValueError(f"index_location {index_location!r} must be 'start' or 'end'")
        chain = [{"name": "sharding_indexed", "configuration": {
            "chunk_shape": list(chunks), "codecs": chain, "index_codecs": default_index_codecs(),
            "index_location": index_location}}]
        grid = shards
    name, sep = ((chunk_key_encoding, "") if isinstance(chunk_key_encoding, str)
                 else tuple(chunk_key_encoding))
    fill = normalize_fill_value_v3(fill_value, native)
    return ArrayMetadataV3(shape=shape, dtype=native, chunk_shape=grid, chunk_key_encoding=name,
                           separator=sep, fill_value=fill, codecs=tuple(chain),
                           attributes=check_attributes(attributes or {}),
                           dimension_names=None if dimension_names is None else tuple(dimension_names))
