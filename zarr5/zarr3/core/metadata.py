"""``zarr.core.metadata``: the array metadata objects."""

from zarr5.api3.metadata import ArrayV2Metadata, ArrayV3Metadata

__all__ = ["ArrayV2Metadata", "ArrayV3Metadata"]
