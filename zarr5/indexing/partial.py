"""Which runs of a chunk's flat (C-order) items a slice selection needs: zarr 2's
``PartialChunkIterator``, which plans partial decompression of a Blosc chunk. No I/O."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

from zarr5.indexing.reference import make_slice_selection

__all__ = ["PartialChunkIterator"]


def _count(sl: slice, n: int) -> int:
    return len(range(*sl.indices(n)))


class PartialChunkIterator:
    """Iterate ``(start, nitems, partial_out_selection)`` over the contiguous runs of items that
    ``selection`` (slices and ints, one per leading axis) takes from a chunk of shape ``arr_shape``.

    ``start`` is the flat offset of a run and ``nitems`` its length; ``partial_out_selection`` places the
    run in a chunk-shaped array. Trailing axes the selection covers whole are merged into the runs.

    >>> list(PartialChunkIterator((slice(1, 3, 1), slice(0, 4, 1)), (4, 4)))
    [(4, 8, (slice(1, 3, 1),))]
    >>> list(PartialChunkIterator((slice(0, 2, 1), slice(1, 3, 1)), (4, 4)))
    [(1, 2, (slice(0, 1, 1), slice(1, 3, 1))), (5, 2, (slice(1, 2, 1), slice(1, 3, 1)))]
    """

    def __init__(self, selection: Any, arr_shape: tuple[int, ...]) -> None:
        slices = make_slice_selection(selection)
        self.arr_shape = tuple(arr_shape)
        if len(slices) > len(self.arr_shape):
            raise ValueError(f"selection has {len(slices)} dimensions, more than the chunk's "
                             f"{len(self.arr_shape)}")
        counts = [_count(sl, n) for sl, n in zip(slices, self.arr_shape)]
        # axes after the first that the selection takes whole need no runs of their own
        while len(slices) > 1 and counts[-1] == self.arr_shape[len(slices) - 1]:
            slices.pop()
            counts.pop()
        last = slices[-1]
        # a unit-step last axis is one run per combination of the others; a strided one, item by item
        kept = slices.pop() if (last.step or 1) == 1 else None
        per_axis = [[slice(i, i + 1, 1) for i in range(*sl.indices(n))]
                    for sl, n in zip(slices, self.arr_shape)]
        if kept is not None:
            per_axis.append([kept])
        self.chunk_loc_slices = list(itertools.product(*per_axis))

    def __iter__(self) -> Iterator[tuple[int, int, tuple[slice, ...]]]:
        if not self.chunk_loc_slices:
            return
        first = self.chunk_loc_slices[0]
        depth = len(first)
        inner = math.prod(self.arr_shape[depth:])
        nitems = _count(first[-1], self.arr_shape[depth - 1]) * inner
        for sel in self.chunk_loc_slices:
            start = sum(sl.indices(self.arr_shape[i])[0] * math.prod(self.arr_shape[i + 1:])
                        for i, sl in enumerate(sel))
            yield start, nitems, sel
