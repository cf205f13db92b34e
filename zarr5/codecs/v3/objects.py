"""Zarr v3 codecs as objects a program builds (``BloscCodec(cname='zstd')``), shaped like zarr-python 3's.

Each object is a frozen description with ``to_dict()`` (its v3 codec document) and ``from_dict()``; none
encodes anything. ``for_dtype(dtype)`` fills what an object left to the array (blosc's ``typesize`` and
``shuffle``, ``bytes``' endianness), as zarr-python 3 does when it creates an array;
:func:`zarr5.core.creation.codec_documents` uses it. :func:`from_document` goes back from a stored
document to an object (``Array.compressors``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar

import numpy as np

__all__ = [
    "ARRAY_ARRAY_NAMES",
    "BYTES_BYTES_NAMES",
    "BloscCname",
    "BloscCodec",
    "BloscShuffle",
    "BytesCodec",
    "Crc32cCodec",
    "Endian",
    "GzipCodec",
    "ShardingCodec",
    "ShardingCodecIndexLocation",
    "TransposeCodec",
    "V3Codec",
    "VLenBytesCodec",
    "VLenUTF8Codec",
    "ZstdCodec",
    "NUMCODECS_CLASSES",
    "NumcodecsCodec",
    "from_document",
]


class Endian(Enum):
    """Byte order of the ``bytes`` codec."""

    big = "big"
    little = "little"


class BloscShuffle(Enum):
    """Blosc's shuffle modes."""

    noshuffle = "noshuffle"
    shuffle = "shuffle"
    bitshuffle = "bitshuffle"


class BloscCname(Enum):
    """Blosc's internal compressors."""

    lz4 = "lz4"
    lz4hc = "lz4hc"
    blosclz = "blosclz"
    zstd = "zstd"
    snappy = "snappy"
    zlib = "zlib"


class ShardingCodecIndexLocation(Enum):
    """Where a shard keeps its index."""

    start = "start"
    end = "end"


def _enum(kind: type[Enum], value: Any, what: str) -> Any:
    if value is None or isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} must be one of {', '.join(m.value for m in kind)}") from None


def _config(data: Mapping[str, Any], name: str) -> dict:
    if isinstance(data, str):
        data = {"name": data}
    if not isinstance(data, Mapping) or data.get("name") != name:
        raise ValueError(f"{data!r} is not a {name!r} codec document"[:300])
    return dict(data.get("configuration") or {})


class V3Codec:
    """A v3 codec description: ``name``, ``to_dict()``, ``from_dict()``."""

    name: ClassVar[str]
    is_fixed_size: ClassVar[bool] = False

    def to_dict(self) -> dict[str, Any]:
        config = self._configuration()
        return {"name": self.name, "configuration": config} if config else {"name": self.name}

    def _configuration(self) -> dict[str, Any]:
        return {}

    def for_dtype(self, dtype: np.dtype) -> V3Codec:
        # what the codec becomes on an array of ``dtype`` (the tunable fields filled)
        return self

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> V3Codec:
        return cls(**_config(data, cls.name))

    def evolve_from_array_spec(self, array_spec: Any) -> V3Codec:
        """The codec as it applies to arrays of ``array_spec.dtype`` (zarr-python 3's spelling)."""
        return self.for_dtype(np.dtype(getattr(array_spec, "dtype", array_spec)))


@dataclass(frozen=True, init=False)
class BytesCodec(V3Codec):
    """Array -> bytes: the items as raw bytes in ``endian`` order (None for one-byte items)."""

    name: ClassVar[str] = "bytes"
    endian: Endian | None

    def __init__(self, *, endian: Endian | str | None = "little") -> None:
        object.__setattr__(self, "endian", _enum(Endian, endian, "endian"))

    def _configuration(self) -> dict[str, Any]:
        return {} if self.endian is None else {"endian": self.endian.value}

    def for_dtype(self, dtype: np.dtype) -> V3Codec:
        if dtype.itemsize <= 1 or dtype.kind in "OV":  # one byte, strings, raw or structured items
            return BytesCodec(endian=None)
        if self.endian is None:
            return BytesCodec(endian="big" if dtype.byteorder == ">" else "little")
        return self


@dataclass(frozen=True, init=False)
class TransposeCodec(V3Codec):
    """Array -> array: each chunk stored with its axes in ``order``."""

    name: ClassVar[str] = "transpose"
    order: tuple[int, ...]

    def __init__(self, *, order: Sequence[int]) -> None:
        if isinstance(order, str):
            raise ValueError(f"transpose order {order!r} must be a permutation of the axes (a tuple of ints)")
        object.__setattr__(self, "order", tuple(int(i) for i in order))

    def _configuration(self) -> dict[str, Any]:
        return {"order": list(self.order)}


@dataclass(frozen=True, init=False)
class BloscCodec(V3Codec):
    """Bytes -> bytes: Blosc; ``typesize`` and ``shuffle`` left None are chosen from the array's dtype."""

    name: ClassVar[str] = "blosc"
    _tunable_attrs: set = field(repr=True)
    typesize: int | None
    cname: BloscCname
    clevel: int
    shuffle: BloscShuffle | None
    blocksize: int

    def __init__(self, *, typesize: int | None = None, cname: BloscCname | str = BloscCname.zstd,
                 clevel: int = 5, shuffle: BloscShuffle | str | None = None, blocksize: int = 0) -> None:
        set_ = object.__setattr__
        tunable = {n for n, v in (("typesize", typesize), ("shuffle", shuffle)) if v is None}
        set_(self, "_tunable_attrs", tunable)
        set_(self, "typesize", typesize)
        set_(self, "cname", _enum(BloscCname, cname, "blosc cname"))
        set_(self, "clevel", clevel)
        set_(self, "shuffle", _enum(BloscShuffle, shuffle, "blosc shuffle"))
        set_(self, "blocksize", blocksize)

    def _configuration(self) -> dict[str, Any]:
        config: dict[str, Any] = {}
        if self.typesize is not None:
            config["typesize"] = self.typesize
        config.update(cname=self.cname.value, clevel=self.clevel)
        if self.shuffle is not None:
            config["shuffle"] = self.shuffle.value
        config["blocksize"] = self.blocksize
        return config

    def for_dtype(self, dtype: np.dtype) -> V3Codec:
        itemsize = dtype.itemsize if dtype.kind != "O" else 1
        shuffle = self.shuffle or (BloscShuffle.bitshuffle if itemsize == 1 else BloscShuffle.shuffle)
        return BloscCodec(typesize=self.typesize or itemsize, cname=self.cname, clevel=self.clevel,
                          shuffle=shuffle, blocksize=self.blocksize)


@dataclass(frozen=True, init=False)
class GzipCodec(V3Codec):
    """Bytes -> bytes: gzip at ``level`` 0..9."""

    name: ClassVar[str] = "gzip"
    level: int

    def __init__(self, *, level: int = 5) -> None:
        object.__setattr__(self, "level", level)

    def _configuration(self) -> dict[str, Any]:
        return {"level": self.level}


@dataclass(frozen=True, init=False)
class ZstdCodec(V3Codec):
    """Bytes -> bytes: Zstandard at ``level``, with a content checksum when ``checksum``."""

    name: ClassVar[str] = "zstd"
    level: int
    checksum: bool

    def __init__(self, *, level: int = 0, checksum: bool = False) -> None:
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "checksum", checksum)

    def _configuration(self) -> dict[str, Any]:
        return {"level": self.level, "checksum": self.checksum}


@dataclass(frozen=True)
class Crc32cCodec(V3Codec):
    """Bytes -> bytes: a CRC-32C checksum appended to each chunk."""

    name: ClassVar[str] = "crc32c"
    is_fixed_size: ClassVar[bool] = True


@dataclass(frozen=True)
class VLenUTF8Codec(V3Codec):
    """Array -> bytes: variable-length UTF-8 strings (the ``string`` data type)."""

    name: ClassVar[str] = "vlen-utf8"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "configuration": {}}  # as zarr-python 3 writes it


@dataclass(frozen=True)
class VLenBytesCodec(V3Codec):
    """Array -> bytes: variable-length bytes (zarr5 does not write this one: it names it when asked)."""

    name: ClassVar[str] = "vlen-bytes"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "configuration": {}}


@dataclass(frozen=True, init=False)
class ShardingCodec(V3Codec):
    """Array -> bytes: inner chunks of ``chunk_shape``, each encoded by ``codecs``, in one object + index."""

    name: ClassVar[str] = "sharding_indexed"
    chunk_shape: tuple[int, ...]
    codecs: tuple
    index_codecs: tuple
    index_location: ShardingCodecIndexLocation

    def __init__(self, *, chunk_shape: Sequence[int], codecs: Sequence[Any] = (BytesCodec(),),
                 index_codecs: Sequence[Any] = (BytesCodec(), Crc32cCodec()),
                 index_location: ShardingCodecIndexLocation | str = ShardingCodecIndexLocation.end) -> None:
        set_ = object.__setattr__
        set_(self, "chunk_shape", tuple(int(n) for n in chunk_shape))
        set_(self, "codecs", tuple(_as_object(c) for c in codecs))
        set_(self, "index_codecs", tuple(_as_object(c) for c in index_codecs))
        set_(self, "index_location", _enum(ShardingCodecIndexLocation, index_location, "index_location"))

    def _configuration(self) -> dict[str, Any]:
        return {"chunk_shape": list(self.chunk_shape), "codecs": [_doc(c) for c in self.codecs],
                "index_codecs": [_doc(c) for c in self.index_codecs],
                "index_location": self.index_location.value}

    def for_dtype(self, dtype: np.dtype) -> V3Codec:
        return ShardingCodec(chunk_shape=self.chunk_shape, codecs=_resolve_all(self.codecs, dtype),
                             index_codecs=_resolve_all(self.index_codecs, np.dtype("u8")),
                             index_location=self.index_location)


class NumcodecsCodec(V3Codec):
    """A numcodecs codec inside a v3 chain (``numcodecs.<id>``), like ``zarr.codecs.numcodecs``'s."""

    codec_id: ClassVar[str] = ""

    def __init__(self, **codec_config: Any) -> None:
        config = dict(codec_config)
        if config.pop("id", self.codec_id) != self.codec_id:
            raise ValueError(f"codec id {codec_config['id']!r} does not match {self.codec_id!r}")
        self.codec_config = config

    @property
    def codec_name(self) -> str:
        return f"numcodecs.{self.codec_id}"

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.codec_name

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.codec_name, "configuration": dict(self.codec_config)}

    def for_dtype(self, dtype: np.dtype) -> V3Codec:
        config = dict(self.codec_config)
        if self.codec_id == "shuffle":
            config.setdefault("elementsize", dtype.itemsize)
        elif self.codec_id in ("fixedscaleoffset", "quantize"):
            config.setdefault("dtype", str(dtype))
        return type(self)(**config)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.codec_config == self.codec_config  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.codec_id, repr(sorted(self.codec_config.items()))))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(codec_name={self.codec_name!r}, codec_config={self.codec_config!r})"


# class name -> numcodecs id, for array -> array filters and bytes -> bytes codecs
_NUMCODECS_FILTERS = {"Delta": "delta", "BitRound": "bitround", "FixedScaleOffset": "fixedscaleoffset",
                      "Quantize": "quantize"}
_NUMCODECS_BYTES = {"Blosc": "blosc", "LZ4": "lz4", "Zstd": "zstd", "Zlib": "zlib", "GZip": "gzip",
                    "BZ2": "bz2", "LZMA": "lzma", "Shuffle": "shuffle", "CRC32": "crc32", "CRC32C": "crc32c",
                    "Adler32": "adler32", "Fletcher32": "fletcher32", "JenkinsLookup3": "jenkins_lookup3"}
NUMCODECS_CLASSES: dict[str, type[NumcodecsCodec]] = {
    cname: type(cname, (NumcodecsCodec,), {"codec_id": cid, "__module__": __name__,
                                             "__doc__": f"numcodecs' {cid} inside a v3 chain."})
    for cname, cid in {**_NUMCODECS_FILTERS, **_NUMCODECS_BYTES}.items()}

_CLASSES: dict[str, type[V3Codec]] = {c.name: c for c in (
    BytesCodec, TransposeCodec, BloscCodec, GzipCodec, ZstdCodec, Crc32cCodec, VLenUTF8Codec, VLenBytesCodec,
    ShardingCodec)}
_CLASSES["endian"] = BytesCodec  # the name early v3 drafts gave the bytes codec
_CLASSES.update({f"numcodecs.{c.codec_id}": c for c in NUMCODECS_CLASSES.values()})


def _doc(codec: Any) -> Any:
    return codec.to_dict() if isinstance(codec, V3Codec) else codec


def _as_object(codec: Any) -> Any:
    # documents inside a ShardingCodec become objects when their name is known (so its repr reads well)
    if isinstance(codec, (Mapping, str)):
        try:
            return from_document(codec)
        except (ValueError, TypeError):
            return codec
    return codec


def _resolve_all(codecs: Sequence[Any], dtype: np.dtype) -> tuple:
    return tuple(c.for_dtype(dtype) if isinstance(c, V3Codec) else c for c in codecs)


def from_document(document: Mapping[str, Any] | str) -> V3Codec:
    """Return the codec object of a v3 codec document (ValueError naming an unknown codec).

    Examples
    --------
    >>> from_document({'name': 'zstd', 'configuration': {'level': 3, 'checksum': True}})
    ZstdCodec(level=3, checksum=True)
    """
    name = document if isinstance(document, str) else (document.get("name")
                                                         if isinstance(document, Mapping) else None)
    if not isinstance(name, str) or name not in _CLASSES:
        raise ValueError(f"unknown Zarr v3 codec {document!r}; known: {', '.join(sorted(_CLASSES))}"[:300])
    cls = _CLASSES[name]
    config = _config(document if not isinstance(document, str) else {"name": name}, name)
    if cls is BytesCodec and "endian" not in config:
        config["endian"] = None  # stored without one: one-byte items
    try:
        return cls(**config)
    except TypeError as e:
        raise ValueError(f"codec {name!r}: bad configuration {config!r}: {e}") from e


# the kinds of codec by name, for splitting a chain into filters, serializer and compressors
ARRAY_ARRAY_NAMES = frozenset({"transpose"} | {f"numcodecs.{cid}" for cid in _NUMCODECS_FILTERS.values()})
BYTES_BYTES_NAMES = frozenset({"blosc", "gzip", "zstd", "crc32c"}
                              | {f"numcodecs.{cid}" for cid in _NUMCODECS_BYTES.values()})
