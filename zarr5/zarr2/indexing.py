"""``zarr.indexing``: the selection helpers of zarr 2 that keep zarr 2's signatures.

zarr 2's indexer classes take the array; zarr5's (in ``zarr5.indexing``) take ``(selection, shape,
chunks)``, so they are not offered under zarr 2's names here.
"""

from zarr5.indexing import is_integer, is_total_slice, normalize_integer_selection
from zarr5.indexing.partial import PartialChunkIterator
from zarr5.indexing.reference import ix_, make_slice_selection, oindex, oindex_set, replace_ellipsis

__all__ = ["PartialChunkIterator", "is_integer", "is_total_slice", "ix_", "make_slice_selection",
           "normalize_integer_selection", "oindex", "oindex_set", "replace_ellipsis"]
