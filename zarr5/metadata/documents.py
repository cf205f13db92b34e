"""zarr-python 2's ``Metadata2``: v2 metadata documents as the plain dicts zarr-2 code passes around.

The engine works with the frozen :class:`~zarr5.metadata.v2.ArrayMetadata`; zarr-2 code (and its
stores' ``_metadata_class``) encodes and decodes dicts whose ``dtype`` is a numpy dtype, ``shape`` and
``chunks`` tuples and ``fill_value`` the decoded value. This class translates, reusing the engine's
dtype and fill-value rules, so both write the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from zarr5.errors import MetadataError
from zarr5.metadata.dtypes import decode_dtype, decode_fill_value, encode_dtype, encode_fill_value
from zarr5.metadata.v2 import ARRAY_KEY, GROUP_KEY, ZARR_FORMAT, decode_json, encode_json
from zarr5.storage.base import register_metadata_class


class Metadata2:
    """Encode and decode ``.zarray`` / ``.zgroup`` documents as zarr-python 2's dicts."""

    ZARR_FORMAT = ZARR_FORMAT

    @classmethod
    def parse_metadata(cls, s: Mapping | bytes | str) -> Mapping[str, Any]:
        """A mapping as it is (consolidated stores hand out parsed documents), else JSON parsed."""
        if isinstance(s, Mapping):
            return s
        doc = decode_json(s, "metadata document")
        if not isinstance(doc, Mapping):
            raise MetadataError(f"metadata document: expected a JSON object, found {type(doc).__name__}")
        return doc

    @classmethod
    def _check_format(cls, meta: Mapping[str, Any], key: str) -> None:
        zarr_format = meta.get("zarr_format")
        if zarr_format != cls.ZARR_FORMAT:
            raise MetadataError(f"{key}: unsupported zarr format: {zarr_format!r}")

    @classmethod
    def decode_array_metadata(cls, s: Mapping | bytes | str) -> dict[str, Any]:
        meta = cls.parse_metadata(s)
        cls._check_format(meta, ARRAY_KEY)
        try:
            dtype = cls.decode_dtype(meta["dtype"])
            out = {
                "zarr_format": meta["zarr_format"],
                "shape": tuple(meta["shape"]),
                "chunks": tuple(meta["chunks"]),
                "dtype": dtype,
                "compressor": meta["compressor"],
                "fill_value": cls.decode_fill_value(meta["fill_value"], dtype),
                "order": meta["order"],
                "filters": meta["filters"],
            }
        except (KeyError, TypeError, ValueError) as e:
            raise MetadataError(f"{ARRAY_KEY}: error decoding metadata: {e!r}") from e
        if meta.get("dimension_separator"):
            out["dimension_separator"] = meta["dimension_separator"]
        return out

    @classmethod
    def encode_array_metadata(cls, meta: Mapping[str, Any]) -> bytes:
        dtype = np.dtype(meta["dtype"])
        shape = tuple(meta["shape"])
        if dtype.subdtype is not None:
            # a sub-array dtype is stored as its base, its shape appended to the array's
            dtype, item_shape = dtype.subdtype
            shape += item_shape
        doc = {
            "zarr_format": cls.ZARR_FORMAT,
            "shape": list(shape),
            "chunks": list(meta["chunks"]),
            "dtype": cls.encode_dtype(dtype),
            "compressor": meta["compressor"],
            "fill_value": cls.encode_fill_value(meta["fill_value"], dtype),
            "order": meta["order"],
            "filters": meta["filters"],
        }
        if meta.get("dimension_separator"):
            doc["dimension_separator"] = meta["dimension_separator"]
        return encode_json(doc)

    @classmethod
    def decode_group_metadata(cls, s: Mapping | bytes | str) -> dict[str, Any]:
        meta = cls.parse_metadata(s)
        cls._check_format(meta, GROUP_KEY)
        return {"zarr_format": meta["zarr_format"]}

    @classmethod
    def encode_group_metadata(cls, meta: Mapping[str, Any] | None = None) -> bytes:
        return encode_json({"zarr_format": cls.ZARR_FORMAT})

    @classmethod
    def encode_dtype(cls, d: np.dtype) -> str | list:
        return encode_dtype(np.dtype(d))

    @classmethod
    def decode_dtype(cls, d: Any) -> np.dtype:
        return decode_dtype(d)

    @classmethod
    def decode_fill_value(cls, v: Any, dtype: np.dtype, object_codec: Any = None) -> Any:
        return decode_fill_value(v, np.dtype(dtype), object_codec)

    @classmethod
    def encode_fill_value(cls, v: Any, dtype: np.dtype, object_codec: Any = None) -> Any:
        return encode_fill_value(v, np.dtype(dtype), object_codec)


# every v2 store answers ``store._metadata_class`` with this class
register_metadata_class(2, Metadata2)

__all__ = ["Metadata2"]
