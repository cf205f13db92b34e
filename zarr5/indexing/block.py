"""Block indexing: select whole chunks by their grid indices (``z.blocks[...]``)."""

from __future__ import annotations

from typing import Any

from zarr5.errors import BoundsCheckError

from .basic import BasicIndexer
from .projection import IndexTypeError, chunk_grid_shape, expand_selection, is_integer, normalize_slice

__all__ = ["BlockIndexer"]


class BlockIndexer(BasicIndexer):
    """Per axis an int (negative allowed) or a step-1 slice of chunk indices.

    The result is the union of those whole chunks, clipped at the array edge; an int keeps its axis
    (``z.blocks[1]`` is 2-D on a 2-D array). It is the BasicIndexer of the equivalent element slices,
    so its projections are shaped exactly like BasicIndexer's. ``block_selection`` holds those slices.
    """

    def __init__(self, selection: Any, shape: tuple[int, ...], chunks: tuple[int, ...]) -> None:
        shape = tuple(int(n) for n in shape)
        chunks = tuple(int(c) for c in chunks)
        grid = chunk_grid_shape(shape, chunks)
        items = expand_selection(selection, len(shape))
        element_slices = []
        for axis, (s, n, c, g) in enumerate(zip(items, shape, chunks, grid)):
            if is_integer(s):
                b = int(s)
                b = b + g if b < 0 else b
                if not 0 <= b < g:
                    raise BoundsCheckError(g, int(s), axis)
                lo, hi = b, b + 1
            elif isinstance(s, slice):
                lo, hi, step = normalize_slice(s, g, axis)
                if step != 1:
                    raise IndexError(f"block selection needs slices with step 1, got {s!r} for axis {axis}")
                hi = max(lo, hi)
            else:
                raise IndexTypeError(
                    f"unsupported selection item for block indexing on axis {axis}; expected integer or "
                    f"slice, got {s!r} of type {type(s).__name__}"
                )
            element_slices.append(slice(min(lo * c, n), min(hi * c, n)))
        self.block_selection = tuple(element_slices)
        super().__init__(self.block_selection, shape, chunks)
