"""Basic indexing (ints, slices with any nonzero step, Ellipsis) and the per-axis product machinery."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from .dims import ArrayDim, IntDim, SliceDim, combine
from .projection import ChunkProjection, IndexTypeError, chunk_grid_shape, expand_selection, is_integer

__all__ = ["BasicIndexer", "PerAxisIndexer"]

Dim = IntDim | SliceDim | ArrayDim


class PerAxisIndexer:
    """An indexer whose selection is independent per axis: chunks are the product of per-axis chunks.

    Subclasses set ``self.dims`` (one IntDim/SliceDim/ArrayDim per array axis) and call
    :meth:`_finish`. Projections are yielded lazily in C order of the chunk grid.
    """

    dims: list[Dim]
    shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    drop_axes: tuple[int, ...]

    def __init__(self, shape: tuple[int, ...], chunks: tuple[int, ...]) -> None:
        self.array_shape = tuple(int(n) for n in shape)
        self.chunks = tuple(int(c) for c in chunks)
        self.grid_shape = chunk_grid_shape(self.array_shape, self.chunks)

    def _finish(self) -> None:
        self.shape = tuple(d.nitems for d in self.dims if not d.drops)
        self.out_shape = self.shape
        self.drop_axes = tuple(i for i, d in enumerate(self.dims) if d.drops)
        self.nitems = 1
        for n in self.shape:
            self.nitems *= n

    def __iter__(self) -> Iterator[ChunkProjection]:
        if self.nitems == 0:
            return
        per_axis = [d.projections() for d in self.dims]
        if not any(isinstance(d, ArrayDim) for d in self.dims):
            yield from _plain_projections(per_axis)
            return
        out_lens = [n for n in self.shape]
        for combo in itertools.product(*per_axis):
            chunk_sel = combine([p.dim_chunk_sel for p in combo], list(self.chunks))
            out_sel = combine([p.dim_out_sel for p in combo if p.dim_out_sel is not None], out_lens)
            yield ChunkProjection(
                tuple(p.dim_chunk_ix for p in combo),
                chunk_sel,
                out_sel,
                all(p.is_complete for p in combo),
            )

    def __len__(self) -> int:
        """Number of projections (chunks touched)."""
        if self.nitems == 0:
            return 0
        n = 1
        for d in self.dims:
            n *= len(d.projections())
        return n


def _plain_projections(per_axis: list[list]) -> Iterator[ChunkProjection]:
    """The projections of ints and slices only: they index orthogonally as they are, so the
    per-axis selections are joined without :func:`combine`."""
    if len(per_axis) == 1:
        # one axis: the commonest case, a record per chunk with no product to form
        for p in per_axis[0]:
            out_sel = () if p.dim_out_sel is None else (p.dim_out_sel,)
            yield ChunkProjection((p.dim_chunk_ix,), (p.dim_chunk_sel,), out_sel, p.is_complete)
        return
    for combo in itertools.product(*per_axis):
        yield ChunkProjection(
            tuple(p.dim_chunk_ix for p in combo),
            tuple(p.dim_chunk_sel for p in combo),
            tuple(p.dim_out_sel for p in combo if p.dim_out_sel is not None),
            all(p.is_complete for p in combo),
        )


class BasicIndexer(PerAxisIndexer):
    """Ints (negative allowed), slices with any nonzero step, one Ellipsis, missing trailing axes.

    ``BasicIndexer(..., shape, chunks)`` (or ``()``) is the total selection; there is no separate
    TotalIndexer. Result ``shape`` is numpy's; ints drop their axis (listed in ``drop_axes``).
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
            else:
                raise IndexTypeError(
                    f"unsupported selection item for basic indexing on axis {axis}; expected integer or "
                    f"slice, got {s!r} of type {type(s).__name__}"
                )
        self._finish()
