"""Decoded metadata and codec pipelines, shared by arrays whose metadata documents are identical.

Walking a hierarchy of a thousand similar arrays decodes one document, not a thousand: the metadata
objects are frozen and the pipelines stateless, so sharing them is safe. Errors are never cached; a
failing document is decoded again under its own key so the message names it.
"""

from __future__ import annotations

import functools
from typing import Any

from zarr5.codecs.pipeline import ChunkPipeline
from zarr5.codecs.registry import get_codec
from zarr5.codecs.v3.pipeline import V3Pipeline
from zarr5.metadata.jsontext import is_flat_plain
from zarr5.metadata.v2 import ArrayMetadata
from zarr5.metadata.v3 import ArrayMetadataV3, GroupMetadataV3, parse_node

_SIZE = 512


@functools.lru_cache(maxsize=_SIZE)
def _v2(raw: bytes) -> ArrayMetadata:
    return ArrayMetadata.decode(raw, ".zarray")


@functools.lru_cache(maxsize=_SIZE)
def _v3(raw: bytes) -> ArrayMetadataV3 | GroupMetadataV3:
    return parse_node(raw, "zarr.json")


def decode_v2(raw: Any, key: str) -> ArrayMetadata:
    try:
        return _v2(bytes(raw))
    except Exception:
        return ArrayMetadata.decode(raw, key)  # raises again, naming the real key


def decode_v3(raw: Any, key: str) -> ArrayMetadataV3 | GroupMetadataV3:
    try:
        return _v3(bytes(raw))
    except Exception:
        return parse_node(raw, key)


def build_codecs(meta: ArrayMetadata | ArrayMetadataV3, allow_pickle: bool,
                 key: str) -> tuple[tuple, Any, Any]:
    """Return (filters, compressor, pipeline) for ``meta``; v3 arrays have no v2-style filters."""
    if isinstance(meta, ArrayMetadataV3):
        return (), None, V3Pipeline(meta)
    return _v2_codecs(meta.dtype, meta.chunks, meta.order, meta.filters, meta.compressor, allow_pickle, key)


def _v2_codecs(dtype: Any, chunks: tuple[int, ...], order: str, filter_configs: Any, compressor_config: Any,
               allow_pickle: bool, key: str) -> tuple[tuple, Any, Any]:
    filters = tuple(get_codec(f, allow_pickle=allow_pickle, key=key) for f in filter_configs) \
        if filter_configs else ()
    compressor = (None if compressor_config is None
                  else get_codec(compressor_config, allow_pickle=allow_pickle, key=key))
    pipeline = ChunkPipeline(dtype, chunks, order, filters or None, compressor)
    return filters, compressor, pipeline


def codecs_for(meta: ArrayMetadata | ArrayMetadataV3, raw: bytes | None, allow_pickle: bool,
               key: str) -> tuple[tuple, Any, Any]:
    """Like :func:`build_codecs`, shared between arrays when the stored document ``raw`` is known, or
    (a new array's metadata, not encoded yet) when its codec settings are flat: arrays made alike
    share their codecs as arrays read from equal documents do."""
    try:
        if raw is not None:
            return _codecs_by_format(bytes(raw), meta.zarr_format, allow_pickle)
        fields = _codec_fields(meta)
        if fields is not None:
            return _codecs_by_fields(fields, allow_pickle)
    except Exception:
        pass  # built below, where an error names the array's key
    return build_codecs(meta, allow_pickle, key)


def _codec_fields(meta: ArrayMetadata | ArrayMetadataV3) -> tuple | None:
    # what a v2 array's codecs are made of, hashable; None when a setting holds lists or mappings
    if not isinstance(meta, ArrayMetadata):
        return None
    frozen = []
    for config in (meta.compressor, *(meta.filters or ())):
        if config is not None and not is_flat_plain(config):
            return None
        frozen.append(None if config is None else tuple(sorted(config.items())))
    return meta.dtype, meta.chunks, meta.order, tuple(frozen)


@functools.lru_cache(maxsize=_SIZE)
def _codecs_by_fields(fields: tuple, allow_pickle: bool) -> tuple[tuple, Any, Any]:
    dtype, chunks, order, (compressor, *filters) = fields
    return _v2_codecs(dtype, chunks, order, [dict(f) for f in filters],
                      None if compressor is None else dict(compressor), allow_pickle, "")


@functools.lru_cache(maxsize=_SIZE)
def _codecs_by_format(raw: bytes, zarr_format: int, allow_pickle: bool) -> tuple[tuple, Any, Any]:
    meta = _v3(raw) if zarr_format == 3 else _v2(raw)
    if isinstance(meta, GroupMetadataV3):
        raise ValueError("a group's document has no codecs")  # the caller falls back to its own
    return build_codecs(meta, allow_pickle, "")
