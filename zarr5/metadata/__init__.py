"""Zarr format metadata: dtypes, fill values, chunk shapes and the v2 documents, as frozen values.

Modules: :mod:`.dtypes` (dtype and fill-value JSON forms), :mod:`.chunks` (shape and chunk
normalisation), :mod:`.v2` (``.zarray``, ``.zgroup``, ``.zattrs``, ``.zmetadata``), :mod:`.documents`
(zarr-2's ``Metadata2``: the same documents as plain dicts), :mod:`.v1` (Zarr format 1 array
documents, for migration). Nothing here does I/O; callers hand in and take out bytes.
"""

from zarr5.metadata.chunks import guess_chunks, normalize_chunks, normalize_shape
from zarr5.metadata.documents import Metadata2  # registers itself as v2 stores' _metadata_class
from zarr5.metadata.dtypes import (
    decode_dtype,
    decode_fill_value,
    encode_dtype,
    encode_fill_value,
    normalize_dtype,
    normalize_fill_value,
)
from zarr5.metadata.v2 import (
    ARRAY_KEY,
    ATTRS_KEY,
    CONSOLIDATED_KEY,
    GROUP_KEY,
    ArrayMetadata,
    GroupMetadata,
    decode_attributes,
    decode_consolidated,
    encode_attributes,
    encode_consolidated,
)

__all__ = [
    "ARRAY_KEY",
    "ATTRS_KEY",
    "CONSOLIDATED_KEY",
    "GROUP_KEY",
    "ArrayMetadata",
    "GroupMetadata",
    "Metadata2",
    "decode_attributes",
    "decode_consolidated",
    "decode_dtype",
    "decode_fill_value",
    "encode_attributes",
    "encode_consolidated",
    "encode_dtype",
    "encode_fill_value",
    "guess_chunks",
    "normalize_chunks",
    "normalize_dtype",
    "normalize_fill_value",
    "normalize_shape",
]
