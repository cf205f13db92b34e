"""Zarr format version 1 array documents (zarr-python 2's ``zarr.meta_v1``), for migrating old stores.

Version 1 stored one array per store: its metadata under ``meta`` (``compression`` and
``compression_opts`` instead of a compressor configuration, no filters) and its attributes under
``attrs``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from zarr5.errors import MetadataError

_FIELDS = ("shape", "chunks", "dtype", "compression", "compression_opts", "fill_value", "order")


def encode_dtype(d: np.dtype) -> str | list:
    return d.str if d.fields is None else d.descr


def decode_dtype(d: Any) -> np.dtype:
    def as_descr(x: Any) -> Any:
        # JSON has no tuples: a structured dtype's [name, type] pairs come back as lists
        return [(name, as_descr(t)) for name, t in x] if isinstance(x, list) else x

    return np.dtype(as_descr(d))


def decode_metadata(b: bytes | str) -> dict[str, Any]:
    """Parse a version 1 ``meta`` document; anything else raises MetadataError saying what is wrong."""
    try:
        meta = json.loads(b if isinstance(b, str) else bytes(b).decode("ascii"))
    except (ValueError, UnicodeDecodeError) as e:
        raise MetadataError(f"meta: not a JSON document: {e}") from e
    if not isinstance(meta, Mapping) or meta.get("zarr_format") != 1:
        found = meta.get("zarr_format") if isinstance(meta, Mapping) else meta
        raise MetadataError(f"meta: unsupported zarr format: {found!r}; expected 1")
    missing = [f for f in _FIELDS if f not in meta]
    if missing:
        raise MetadataError(f"meta: missing field(s) {', '.join(map(repr, missing))}")
    try:
        return {
            "zarr_format": 1,
            "shape": tuple(meta["shape"]),
            "chunks": tuple(meta["chunks"]),
            "dtype": decode_dtype(meta["dtype"]),
            "compression": meta["compression"],
            "compression_opts": meta["compression_opts"],
            "fill_value": meta["fill_value"],
            "order": meta["order"],
        }
    except (TypeError, ValueError) as e:
        raise MetadataError(f"meta: error decoding metadata: {e}") from e


def encode_metadata(meta: Mapping[str, Any]) -> bytes:
    doc = {
        "zarr_format": 1,
        "shape": list(meta["shape"]),
        "chunks": list(meta["chunks"]),
        "dtype": encode_dtype(np.dtype(meta["dtype"])),
        "compression": meta["compression"],
        "compression_opts": meta["compression_opts"],
        "fill_value": meta["fill_value"],
        "order": meta["order"],
    }
    return json.dumps(doc, indent=4, sort_keys=True, ensure_ascii=True).encode("ascii")


__all__ = ["decode_dtype", "decode_metadata", "encode_dtype", "encode_metadata"]
