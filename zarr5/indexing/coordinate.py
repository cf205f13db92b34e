"""Point selections: coordinate arrays (``vindex``) and boolean masks, grouped by chunk with one sort."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .dims import as_index_array, wrap_and_check
from .projection import ChunkProjection, IndexTypeError, chunk_grid_shape, is_integer, prod

__all__ = ["CoordinateIndexer", "MaskIndexer"]


class CoordinateIndexer:
    """One integer array (or list, or int) per axis, broadcast together; picks the points they name.

    ``shape`` is the broadcast shape (numpy's ``a[tuple_of_arrays]``); ``out_shape`` is flat
    ``(npoints,)`` in C order of ``shape``. Points are sorted by chunk (then by position inside the
    chunk) for locality; repeated points keep caller order, so on write the last value wins as in numpy.

    Projections: ``chunk_selection`` is a tuple of 1-D intp arrays (one per axis, local to the chunk,
    all of the chunk's point count); ``out_selection`` is ``(slice,)`` when those points are a run of
    the caller's order, else ``(1-D intp array,)`` of flat output positions.
    """

    def __init__(self, selection: Any, shape: tuple[int, ...], chunks: tuple[int, ...]) -> None:
        self.array_shape = tuple(int(n) for n in shape)
        self.chunks = tuple(int(c) for c in chunks)
        self.grid_shape = chunk_grid_shape(self.array_shape, self.chunks)
        ndim = len(self.array_shape)
        items = selection if isinstance(selection, tuple) else (selection,)
        if ndim == 0:
            raise IndexError("coordinate selection needs at least one dimension; the array is 0-d")
        if len(items) != ndim:
            raise IndexError(
                f"coordinate selection needs one index array per dimension: array is {ndim}-dimensional, "
                f"but {len(items)} were given"
            )
        arrays = []
        for axis, s in enumerate(items):
            if is_integer(s):
                arr = np.asarray(int(s), dtype=np.intp)
            elif isinstance(s, (list, tuple, np.ndarray, range)) or hasattr(s, "__array__"):
                arr = as_index_array(s, axis)
                if arr.dtype.kind == "b":
                    raise IndexError(
                        f"boolean array for axis {axis} in a coordinate selection; use a mask selection "
                        "(one boolean array of the array's shape) instead"
                    )
            else:
                raise IndexTypeError(
                    f"unsupported selection item for coordinate indexing on axis {axis}; expected integer "
                    f"array, got {s!r} of type {type(s).__name__}"
                )
            arrays.append(wrap_and_check(arr, self.array_shape[axis], axis))
        try:
            bcast = np.broadcast_arrays(*arrays)
        except ValueError:
            shapes = ", ".join(str(a.shape) for a in arrays)
            msg = f"shape mismatch: coordinate arrays could not be broadcast together: {shapes}"
            raise IndexError(msg) from None
        self.shape = bcast[0].shape
        self._setup([b.reshape(-1) for b in bcast])

    def _setup(self, points: list[np.ndarray]) -> None:
        """Group flat per-axis coordinates by chunk (shared with MaskIndexer)."""
        self.nitems = npoints = len(points[0])
        self.out_shape = (npoints,)
        self.drop_axes = ()
        chunks = np.asarray(self.chunks, dtype=np.intp)
        cid = [p // c for p, c in zip(points, self.chunks)]
        flat_cid = np.ravel_multi_index(cid, self.grid_shape) if npoints else np.zeros(0, np.intp)
        local = [p - i * c for p, i, c in zip(points, cid, chunks)]
        flat_local = np.ravel_multi_index(local, self.chunks) if npoints else np.zeros(0, np.intp)
        chunk_size = prod(self.chunks)
        if prod(self.grid_shape) * chunk_size < 2**62:
            # one int64 key: chunk first, then position inside the chunk; stable keeps repeats in order
            order = np.argsort(flat_cid.astype(np.int64) * chunk_size + flat_local, kind="stable")
        else:
            order = np.lexsort((flat_local, flat_cid))
        self._order = order
        self._cid = flat_cid[order]
        self._local = [loc[order] for loc in local]
        self._flat_local = flat_local[order]
        cuts = np.flatnonzero(np.diff(self._cid)) + 1
        self._starts = np.concatenate(([0], cuts)).astype(np.intp) if npoints else np.zeros(0, np.intp)
        self._ends = np.concatenate((cuts, [npoints])).astype(np.intp) if npoints else np.zeros(0, np.intp)
        # breaks[k] counts places before k where the caller order stops being a +1 run
        self._breaks = np.concatenate(([0], np.cumsum(np.diff(order) != 1)))

    def __len__(self) -> int:
        """Number of projections (chunks touched)."""
        return len(self._starts)

    def __iter__(self) -> Iterator[ChunkProjection]:
        grid = self.grid_shape
        if not len(self._starts):
            return
        coords = np.unravel_index(self._cid[self._starts], grid)
        for g, (s, e) in enumerate(zip(self._starts.tolist(), self._ends.tolist())):
            chunk_coords = tuple(int(c[g]) for c in coords)
            chunk_sel = tuple(loc[s:e] for loc in self._local)
            if self._breaks[e - 1] == self._breaks[s]:
                o0 = int(self._order[s])
                out_sel: tuple = (slice(o0, o0 + e - s),)
            else:
                out_sel = (self._order[s:e],)
            yield ChunkProjection(chunk_coords, chunk_sel, out_sel, self._complete(chunk_coords, s, e))

    def _complete(self, chunk_coords: tuple[int, ...], s: int, e: int) -> bool:
        inb = prod(min(c, n - i * c) for i, c, n in zip(chunk_coords, self.chunks, self.array_shape))
        if e - s != inb:
            return False
        # sorted by position inside the chunk: full coverage means no repeats
        fl = self._flat_local[s:e]
        return bool(np.all(np.diff(fl) > 0))


class MaskIndexer(CoordinateIndexer):
    """One boolean array of exactly the array's shape; picks the True points in C order.

    ``shape == out_shape == (number of True,)``; projections are shaped as for CoordinateIndexer.
    """

    def __init__(self, selection: Any, shape: tuple[int, ...], chunks: tuple[int, ...]) -> None:
        self.array_shape = tuple(int(n) for n in shape)
        self.chunks = tuple(int(c) for c in chunks)
        self.grid_shape = chunk_grid_shape(self.array_shape, self.chunks)
        if isinstance(selection, tuple) and len(selection) == 1:
            selection = selection[0]
        if not (isinstance(selection, (list, np.ndarray)) or hasattr(selection, "__array__")):
            raise IndexTypeError(
                f"mask selection must be a boolean array, got {selection!r} "
                f"of type {type(selection).__name__}"
            )
        mask = np.asarray(selection)
        if mask.dtype.kind != "b":
            raise IndexTypeError(f"mask selection must be a boolean array, got dtype {mask.dtype}")
        if mask.shape != self.array_shape:
            raise IndexError(
                f"boolean mask has shape {mask.shape} but the array has shape {self.array_shape}; "
                "they must be equal"
            )
        if len(self.array_shape) == 0:
            raise IndexError("mask selection needs at least one dimension; the array is 0-d")
        points = [p.astype(np.intp, copy=False) for p in np.nonzero(mask)]
        self.shape = (len(points[0]),)
        self._setup(points)
