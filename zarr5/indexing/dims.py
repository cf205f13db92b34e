"""One axis at a time: how an int, a slice or an int array on one axis meets that axis's chunks.

Each ``*Dim`` object lists, in ascending chunk order, the chunks along its axis that the selection
touches as :class:`DimProjection` records. The n-d indexers combine these per-axis records with a
Cartesian product, so the work here is proportional to the chunks touched, never to the elements.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from zarr5.errors import BoundsCheckError

from .projection import IndexTypeError, normalize_integer_selection, normalize_slice


class DimProjection(NamedTuple):
    """One chunk along one axis: its grid index, what to take from it and where it goes in the output."""

    dim_chunk_ix: int
    dim_chunk_sel: Any  # int, slice or 1-D intp array, local to the chunk
    dim_out_sel: Any  # slice or 1-D intp array into the output axis; None when the axis is dropped
    nitems: int
    is_complete: bool  # every in-bounds element of the chunk along this axis, in order


def _inbounds(dim_len: int, chunk_len: int, ix: int) -> int:
    return min(chunk_len, dim_len - ix * chunk_len)


class IntDim:
    """An integer on one axis: one chunk, and the axis is dropped from the output."""

    drops = True

    def __init__(self, index: Any, dim_len: int, chunk_len: int, axis: int) -> None:
        self.index = normalize_integer_selection(index, dim_len, axis)
        self.dim_len, self.chunk_len = dim_len, chunk_len
        self.nitems = 1

    def projections(self) -> list[DimProjection]:
        ix, local = divmod(self.index, self.chunk_len)
        return [DimProjection(ix, local, None, 1, _inbounds(self.dim_len, self.chunk_len, ix) == 1)]


class SliceDim:
    """A slice with any nonzero step on one axis (numpy semantics, negative steps included)."""

    drops = False

    def __init__(self, s: slice, dim_len: int, chunk_len: int, axis: int) -> None:
        start, stop, step = normalize_slice(s, dim_len, axis)
        self.dim_len, self.chunk_len = dim_len, chunk_len
        self.nitems = len(range(start, stop, step))
        self.reverse = step < 0
        # walk the same elements in ascending order; a negative step flips them back at the end
        if self.reverse:
            self.lo, self.step = start + (self.nitems - 1) * step, -step
        else:
            self.lo, self.step = start, step

    def _ascending(self) -> list[tuple[int, int, int, int]]:
        """``(chunk_ix, first_local, count, first_out)`` per touched chunk, in ascending order."""
        n, c, lo, step = self.nitems, self.chunk_len, self.lo, self.step
        if n == 0:
            return []
        hi = lo + (n - 1) * step  # last element, inclusive
        out = []
        if step <= c:
            # gaps are no wider than a chunk, so every chunk between the first and last is touched
            for ix in range(lo // c, hi // c + 1):
                c0 = ix * c
                k0 = 0 if lo >= c0 else -(-(c0 - lo) // step)
                k1 = min(n - 1, (c0 + c - 1 - lo) // step)
                out.append((ix, lo + k0 * step - c0, k1 - k0 + 1, k0))
        else:
            # each element lies in its own chunk; there are fewer elements than chunks
            for k in range(n):
                ix, local = divmod(lo + k * step, c)
                out.append((ix, local, 1, k))
        return out

    def projections(self) -> list[DimProjection]:
        if self.step == 1 and not self.reverse:
            return self._unit_projections()
        res = []
        for ix, local, count, k0 in self._ascending():
            last = local + (count - 1) * self.step
            in_order = count == 1 or (self.step == 1 and not self.reverse)
            complete = in_order and count == _inbounds(self.dim_len, self.chunk_len, ix)
            if self.reverse:
                # descend inside the chunk; its elements land on a run of the output counted from the end
                chunk_sel = slice(last, local - 1 if local > 0 else None, -self.step)
                o0 = self.nitems - k0 - count
                res.append(DimProjection(ix, chunk_sel, slice(o0, o0 + count), count, complete))
            else:
                chunk_sel = slice(local, last + 1, self.step)
                res.append(DimProjection(ix, chunk_sel, slice(k0, k0 + count), count, complete))
        return res


    def _unit_projections(self) -> list[DimProjection]:
        """:meth:`projections` for a step of 1 (the common case), in plain arithmetic."""
        n, c, lo, dim_len = self.nitems, self.chunk_len, self.lo, self.dim_len
        if n == 0:
            return []
        stop = lo + n
        res = []
        for ix in range(lo // c, (stop - 1) // c + 1):
            c0 = ix * c
            start = lo if lo > c0 else c0
            end = stop if stop < c0 + c else c0 + c
            count = end - start
            # complete: the run covers every in-bounds element of the chunk
            complete = count == (c if c0 + c <= dim_len else dim_len - c0)
            res.append(DimProjection(ix, slice(start - c0, end - c0, 1), slice(start - lo, end - lo), count,
                                     complete))
        return res


def as_index_array(sel: Any, axis: int) -> np.ndarray:
    """A list/array selection as an ndarray; empty selections become intp, other dtypes must be int/bool."""
    arr = np.asarray(sel)
    if arr.ndim == 0:
        # scalars that are not integers (bools, floats, 0-d arrays of them) are not indices
        raise IndexTypeError(
            f"unsupported index {sel!r} of type {type(sel).__name__} for axis {axis}; expected an integer, "
            "a slice or an integer/boolean array"
        )
    if arr.size == 0 and arr.dtype.kind not in "iub":
        # ``[]`` arrives as float64; an empty selection has no values to be of the wrong type
        return arr.astype(np.intp)
    if arr.dtype.kind not in "iub":
        raise IndexTypeError(
            f"index arrays must be of integer or boolean dtype, got dtype {arr.dtype} for axis {axis}"
        )
    return arr


def wrap_and_check(arr: np.ndarray, dim_len: int, axis: int) -> np.ndarray:
    """Make integer indices non-negative, raising BoundsCheckError naming the first bad one."""
    arr = arr.astype(np.intp, copy=False)
    if arr.size == 0:
        return arr
    bad = (arr < -dim_len) | (arr >= dim_len)
    if bad.any():
        raise BoundsCheckError(dim_len, int(arr[np.argmax(bad)]), axis)
    return np.where(arr < 0, arr + dim_len, arr)


def _run_or_array(a: np.ndarray) -> slice | np.ndarray:
    """A slice when ``a`` is a contiguous ascending run (cheaper to index with), else ``a`` itself."""
    n = len(a)
    if n and int(a[-1]) - int(a[0]) == n - 1 and (n < 3 or bool(np.all(np.diff(a) == 1))):
        return slice(int(a[0]), int(a[0]) + n)
    return a


class ArrayDim:
    """A 1-D int array (any order, repeats, negatives) or a 1-D bool array on one axis."""

    drops = False

    def __init__(self, sel: Any, dim_len: int, chunk_len: int, axis: int) -> None:
        arr = as_index_array(sel, axis)
        if arr.ndim != 1:
            raise IndexError(f"orthogonal index arrays must be 1-D, got shape {arr.shape} for axis {axis}")
        if arr.dtype.kind == "b":
            if arr.shape[0] != dim_len:
                raise IndexError(
                    f"boolean index for axis {axis} has length {arr.shape[0]} "
                    f"but the axis has length {dim_len}"
                )
            arr = np.flatnonzero(arr)
        self.index = wrap_and_check(arr, dim_len, axis)
        self.dim_len, self.chunk_len = dim_len, chunk_len
        self.nitems = len(self.index)

    def projections(self) -> list[DimProjection]:
        if self.nitems == 0:
            return []
        c = self.chunk_len
        # a stable sort groups by chunk, ascends inside each chunk, and keeps repeats in caller order
        if self.nitems < 2 or bool(np.all(self.index[1:] >= self.index[:-1])):
            order = np.arange(self.nitems)  # already sorted: skip the sort, the common case
        else:
            order = np.argsort(self.index, kind="stable")
        srt = self.index[order]
        ids = srt // c
        cuts = np.flatnonzero(np.diff(ids)) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [len(srt)]))
        res = []
        for s, e in zip(starts.tolist(), ends.tolist()):
            ix = int(ids[s])
            local = srt[s:e] - ix * c
            chunk_sel = _run_or_array(local)
            complete = isinstance(chunk_sel, slice) and e - s == _inbounds(self.dim_len, c, ix)
            res.append(DimProjection(ix, chunk_sel, _run_or_array(order[s:e]), e - s, complete))
        return res


def combine(sels: list[Any], lengths: list[int]) -> tuple:
    """Join per-axis selections into one numpy index with orthogonal (``np.ix_``) meaning.

    ``sels`` holds ints, slices and 1-D arrays; ``lengths`` the axis lengths (to expand slices).
    With no array, or one array and no int, plain numpy indexing is already orthogonal. Otherwise
    every non-int axis becomes an ``np.ix_``-shaped array and ints stay scalars, so numpy broadcasts
    them all together and the result axes keep their order (no advanced-index transposition).
    """
    n_arrays = sum(isinstance(s, np.ndarray) for s in sels)
    n_ints = sum(not isinstance(s, (slice, np.ndarray)) for s in sels)
    if n_arrays == 0 or (n_arrays == 1 and n_ints == 0):
        return tuple(sels)
    kept = len(sels) - n_ints
    out: list[Any] = []
    j = 0
    for s, n in zip(sels, lengths):
        if isinstance(s, (slice, np.ndarray)):
            a = np.arange(*s.indices(n)) if isinstance(s, slice) else s
            shape = [1] * kept
            shape[j] = -1
            out.append(a.reshape(shape))
            j += 1
        else:
            out.append(s)
    return tuple(out)
