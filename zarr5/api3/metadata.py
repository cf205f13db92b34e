"""zarr-python 3's metadata objects: ``ArrayV3Metadata``, ``ArrayV2Metadata``, ``GroupMetadata``,
``ConsolidatedMetadata`` and the chunk grid / key encoding records inside them.

They are frozen dataclasses built from a node's stored document (the engine's metadata), so they print
(and ``pprint``) as zarr-python 3's do; ``to_dict()`` gives the document back, which
:func:`zarr5.api3.creation.create_hierarchy` writes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from zarr5.api3.dtypes import ZDType, parse_dtype
from zarr5.codecs.v3.objects import from_document
from zarr5.metadata.v3 import ArrayMetadataV3

__all__ = [
    "ArrayV2Metadata", "ArrayV3Metadata", "ConsolidatedMetadata", "DefaultChunkKeyEncoding", "GroupMetadata",
    "RegularChunkGrid", "V2ChunkKeyEncoding", "array_metadata", "nested_consolidated",
]


@dataclasses.dataclass(frozen=True)
class RegularChunkGrid:
    """The regular chunk grid of a v3 array."""

    chunk_shape: tuple[int, ...]

    def to_dict(self) -> dict:
        return {"name": "regular", "configuration": {"chunk_shape": list(self.chunk_shape)}}


@dataclasses.dataclass(frozen=True)
class DefaultChunkKeyEncoding:
    """Chunk keys ``c/0/1`` (with ``separator``)."""

    separator: str = "/"

    def to_dict(self) -> dict:
        return {"name": "default", "configuration": {"separator": self.separator}}


@dataclasses.dataclass(frozen=True)
class V2ChunkKeyEncoding:
    """Chunk keys ``0.1`` (with ``separator``)."""

    separator: str = "."

    def to_dict(self) -> dict:
        return {"name": "v2", "configuration": {"separator": self.separator}}


@dataclasses.dataclass(frozen=True)
class ArrayV3Metadata:
    """A Zarr v3 array's ``zarr.json``."""

    shape: tuple[int, ...]
    data_type: Any
    chunk_grid: RegularChunkGrid
    chunk_key_encoding: Any
    fill_value: Any
    codecs: tuple
    attributes: dict
    dimension_names: tuple | None
    zarr_format: int = 3
    node_type: str = "array"
    storage_transformers: tuple = ()
    extra_fields: dict = dataclasses.field(default_factory=dict)

    @property
    def dtype(self) -> Any:
        return self.data_type

    @property
    def chunks(self) -> tuple[int, ...]:
        return self.chunk_grid.chunk_shape

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def to_dict(self) -> dict:
        doc = {"shape": list(self.shape), "data_type": self.data_type.to_json(zarr_format=3),
               "chunk_grid": self.chunk_grid.to_dict(),
               "chunk_key_encoding": self.chunk_key_encoding.to_dict(),
               "fill_value": self.data_type.to_json_scalar(self.fill_value, zarr_format=3),
               "codecs": [c.to_dict() for c in self.codecs], "attributes": dict(self.attributes),
               "zarr_format": 3, "node_type": "array", "storage_transformers": []}
        if self.dimension_names is not None:
            doc["dimension_names"] = list(self.dimension_names)
        return doc

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> ArrayV3Metadata:
        return _from_engine(ArrayMetadataV3.decode(dict(doc)))


@dataclasses.dataclass(frozen=True)
class ArrayV2Metadata:
    """A Zarr v2 array's ``.zarray`` (and its attributes)."""

    shape: tuple[int, ...]
    chunks: tuple[int, ...]
    dtype: Any
    fill_value: Any
    order: str
    filters: tuple | None
    dimension_separator: str
    compressor: Any
    attributes: dict
    zarr_format: int = 2

    @property
    def node_type(self) -> str:
        return "array"


@dataclasses.dataclass(frozen=True)
class ConsolidatedMetadata:
    """The metadata of a group's members, kept in its own document."""

    metadata: dict
    kind: str = "inline"
    must_understand: bool = False


@dataclasses.dataclass(frozen=True)
class GroupMetadata:
    """A group's document: its attributes (and its members' metadata when consolidated)."""

    attributes: dict = dataclasses.field(default_factory=dict)
    zarr_format: int = 3
    consolidated_metadata: ConsolidatedMetadata | None = None
    node_type: str = "group"

    def to_dict(self) -> dict:
        return {"attributes": dict(self.attributes), "zarr_format": self.zarr_format, "node_type": "group"}


def _from_engine(meta: ArrayMetadataV3) -> ArrayV3Metadata:
    zdtype: ZDType = parse_dtype(meta.dtype, zarr_format=2)
    encoding = (DefaultChunkKeyEncoding(meta.separator) if meta.chunk_key_encoding == "default"
                else V2ChunkKeyEncoding(meta.separator))
    fill = meta.fill_value if meta.dtype.kind == "O" else np.dtype(meta.dtype).type(meta.fill_value)
    return ArrayV3Metadata(shape=tuple(meta.shape), data_type=zdtype,
                           chunk_grid=RegularChunkGrid(tuple(meta.chunk_shape)), chunk_key_encoding=encoding,
                           fill_value=fill, codecs=tuple(from_document(c) for c in meta.codecs),
                           attributes=dict(meta.attributes), dimension_names=meta.dimension_names)


def array_metadata(meta: Any, attributes: Mapping[str, Any]) -> ArrayV3Metadata | ArrayV2Metadata:
    """The metadata object of an array whose engine metadata is ``meta``."""
    if meta.zarr_format == 3:
        return dataclasses.replace(_from_engine(meta), attributes=dict(attributes))
    return ArrayV2Metadata(shape=tuple(meta.shape), chunks=tuple(meta.chunks), dtype=meta.dtype,
                           fill_value=meta.fill_value, order=meta.order, filters=meta.filters,
                           dimension_separator=meta.dimension_separator, compressor=meta.compressor,
                           attributes=dict(attributes))


def _node(doc: Mapping[str, Any], children: dict | None) -> Any:
    if doc.get("node_type") == "array":
        return ArrayV3Metadata.from_dict(doc)
    return GroupMetadata(attributes=dict(doc.get("attributes", {})), zarr_format=3,
                         consolidated_metadata=ConsolidatedMetadata(children or {}))


def nested_consolidated(flat: Mapping[str, Mapping[str, Any]], prefix: str = "") -> ConsolidatedMetadata:
    """The members under ``prefix`` of a flat ``{path: document}`` map, each group holding its own."""
    prefix = prefix.strip("/")
    base = prefix + "/" if prefix else ""
    out: dict[str, Any] = {}
    for path in sorted(flat):
        if not path.startswith(base) or path == prefix:
            continue
        rest = path[len(base):]
        if "/" in rest:
            continue
        doc = flat[path]
        children = nested_consolidated(flat, path).metadata if doc.get("node_type") == "group" else None
        out[rest] = _node(doc, children)
    return ConsolidatedMetadata(out)
