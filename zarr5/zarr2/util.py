"""``zarr.util``: the helpers zarr 2 exposes there (normalisers, info and tree reports)."""

from numcodecs.registry import codec_registry  # noqa: F401 -- zarr 2 has it in this namespace

from zarr5.core.info import InfoReporter, buffer_size, human_readable_size
from zarr5.core.tree import TreeViewer, tree_widget
from zarr5.indexing import is_total_slice
from zarr5.metadata.chunks import guess_chunks, normalize_chunks, normalize_shape
from zarr5.metadata.dtypes import normalize_dtype, normalize_fill_value
from zarr5.metadata.v2 import encode_json as json_dumps
from zarr5.metadata.v2 import json_loads
from zarr5.storage.base import normalize_dimension_separator

__all__ = ["InfoReporter", "TreeViewer", "buffer_size", "guess_chunks", "human_readable_size",
           "is_total_slice", "json_dumps", "json_loads", "normalize_chunks", "normalize_dimension_separator",
           "normalize_dtype", "normalize_fill_value", "normalize_shape", "tree_widget"]
