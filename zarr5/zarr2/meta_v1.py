"""``zarr.meta_v1`` of the zarr-2 vocabulary: Zarr format version 1 array documents."""

from zarr5.metadata.v1 import decode_dtype, decode_metadata, encode_dtype, encode_metadata

__all__ = ["decode_dtype", "decode_metadata", "encode_dtype", "encode_metadata"]
