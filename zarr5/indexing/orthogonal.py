"""Orthogonal (outer) indexing: each axis selected independently, as numpy does with ``np.ix_``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .basic import PerAxisIndexer
from .dims import ArrayDim, IntDim, SliceDim
from .projection import IndexTypeError, expand_selection, is_integer

__all__ = ["OrthogonalIndexer"]


class OrthogonalIndexer(PerAxisIndexer):
    """Per axis an int, a slice (any nonzero step), a 1-D int array/list or a 1-D bool array.

    The result has one axis per non-int item, each as long as that item's selection
    (``a[np.ix_(...)]`` semantics). Int arrays may be unsorted, repeated and negative; writes with
    repeated indices keep the last value, like numpy.

    Projections: ``chunk_selection`` and ``out_selection`` are plain tuples of ints/slices/1-D arrays
    when numpy's own indexing is already orthogonal for them (no array, or one array and no int);
    otherwise every non-int axis is an ``np.ix_``-shaped intp array and ints stay scalars. Runs of
    consecutive indices are given as slices. ``chunk[chunk_selection]`` always has exactly the shape
    of ``out[out_selection]``, so no squeezing is needed (``drop_axes`` is informational).
    """

    def __init__(self, selection: Any, shape: tuple[int, ...], chunks: tuple[int, ...]) -> None:
        super().__init__(shape, chunks)
        items = expand_selection(selection, len(self.array_shape))
        self.dims = []
        for axis, (s, n, c) in enumerate(zip(items, self.array_shape, self.chunks)):
            if isinstance(s, slice):
                self.dims.append(SliceDim(s, n, c, axis))
            elif is_integer(s):
                self.dims.append(IntDim(s, n, c, axis))
            elif isinstance(s, (list, tuple, np.ndarray)) or _is_sequence(s):
                self.dims.append(ArrayDim(s, n, c, axis))
            else:
                raise IndexTypeError(
                    f"unsupported selection item for orthogonal indexing on axis {axis}; expected integer, "
                    f"slice, integer array or boolean array, got {s!r} of type {type(s).__name__}"
                )
        self._finish()


def _is_sequence(s: Any) -> bool:
    # ranges and array-likes (e.g. zarr arrays, dask arrays) count; strings and bytes do not
    return not isinstance(s, (str, bytes, dict)) and (isinstance(s, range) or hasattr(s, "__array__"))
