"""Pure selection -> per-chunk projections, for every indexing mode of zarr-2 and numpy. No I/O.

Every indexer takes ``(selection, shape, chunks)`` and exposes ``shape`` (numpy's result shape),
``out_shape`` (the buffer to fill; flat ``(npoints,)`` for coordinate/mask selections), ``drop_axes``
and ``nitems``, and iterates :class:`ChunkProjection` records, lazily, for the chunks the selection
touches (``len(indexer)`` counts them)::

    out = np.empty(ix.out_shape, dtype)
    for p in ix:
        out[p.out_selection] = chunk(p.chunk_coords)[p.chunk_selection]
    result = out.reshape(ix.shape)

and for writes ``value = np.broadcast_to(value, ix.shape).reshape(ix.out_shape)`` then
``chunk[p.chunk_selection] = value[p.out_selection]``. ``chunk`` is always a full chunk-shaped array.
The total selection is ``BasicIndexer(..., shape, chunks)``.

Modules: ``projection`` (record, grid, validators), ``dims`` (one axis against its chunks),
``basic``, ``orthogonal``, ``coordinate`` (coordinate and mask), ``block``, ``dispatch``
(``arr[...]`` mode and field names).
"""

from .basic import BasicIndexer
from .block import BlockIndexer
from .coordinate import CoordinateIndexer, MaskIndexer
from .dispatch import classify_selection, pop_fields
from .orthogonal import OrthogonalIndexer
from .projection import (
    ChunkProjection,
    IndexTypeError,
    chunk_grid_shape,
    expand_selection,
    is_integer,
    is_total_slice,
    iter_chunk_coords,
    normalize_integer_selection,
    normalize_slice,
)

INDEXERS = {
    "basic": BasicIndexer,
    "orthogonal": OrthogonalIndexer,
    "coordinate": CoordinateIndexer,
    "mask": MaskIndexer,
    "block": BlockIndexer,
}

__all__ = [
    "INDEXERS",
    "BasicIndexer",
    "BlockIndexer",
    "ChunkProjection",
    "CoordinateIndexer",
    "IndexTypeError",
    "MaskIndexer",
    "OrthogonalIndexer",
    "chunk_grid_shape",
    "classify_selection",
    "expand_selection",
    "is_integer",
    "is_total_slice",
    "iter_chunk_coords",
    "normalize_integer_selection",
    "normalize_slice",
    "pop_fields",
]
