"""Shared vocabulary of the indexing layer: the projection record, the chunk grid and validators.

Everything here is pure: no store, no codec, no I/O. Validators raise the exceptions of
:mod:`zarr5.errors` (or builtins) with a message that names the axis and the offending value.
"""

from __future__ import annotations

import itertools
import math
import numbers
import operator
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np

from zarr5.errors import BoundsCheckError, IndexTypeError

__all__ = [
    "ChunkProjection",
    "IndexTypeError",
    "chunk_grid_shape",
    "expand_selection",
    "is_integer",
    "is_total_slice",
    "iter_chunk_coords",
    "normalize_integer_selection",
    "normalize_slice",
]


class ChunkProjection(NamedTuple):
    """How one chunk takes part in a selection.

    ``out[out_selection] = chunk[chunk_selection]`` reads it; ``chunk[chunk_selection] =
    value[out_selection]`` writes it. ``chunk`` is always a full chunk-shaped array, also at the edge.
    ``is_complete`` means the selection visits every in-bounds element of the chunk exactly once and
    in C order, so ``value[out_selection]`` (reshaped to the in-bounds chunk shape) *is* the chunk and a
    write need not read it first.
    """

    chunk_coords: tuple[int, ...]
    chunk_selection: tuple
    out_selection: tuple
    is_complete: bool




def is_integer(x: Any) -> bool:
    """True for Python/numpy integers and 0-d integer arrays; False for bools."""
    if isinstance(x, (bool, np.bool_)):
        return False
    if isinstance(x, numbers.Integral):
        return True
    # a 0-d integer array behaves as a scalar index in numpy
    return isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iu"


def chunk_grid_shape(shape: tuple[int, ...], chunks: tuple[int, ...]) -> tuple[int, ...]:
    """Number of chunks along each axis (ceil division; a zero-length axis has zero chunks)."""
    if len(shape) != len(chunks):
        raise ValueError(f"shape {tuple(shape)} and chunks {tuple(chunks)} differ in length")
    grid = []
    for axis, (n, c) in enumerate(zip(shape, chunks)):
        if n < 0:
            raise ValueError(f"negative length {n} for axis {axis}")
        if c <= 0:
            # zero-length axes may carry a zero chunk length; anything else is a broken chunking
            if n == 0:
                grid.append(0)
                continue
            raise ValueError(f"chunk length must be positive, got {c} for axis {axis}")
        grid.append(-(-n // c))
    return tuple(grid)


def iter_chunk_coords(grid_shape: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Every chunk coordinate of a grid in C order (one empty tuple for a 0-d grid)."""
    return itertools.product(*(range(g) for g in grid_shape))


def normalize_integer_selection(i: Any, dim_len: int, axis: int | None = None) -> int:
    """Validate an integer index for an axis of ``dim_len`` and make it non-negative."""
    if not is_integer(i):
        where = "" if axis is None else f" for axis {axis}"
        raise IndexTypeError(f"index must be an integer{where}, got {i!r} of type {type(i).__name__}")
    i = int(i)
    j = i + dim_len if i < 0 else i
    if not 0 <= j < dim_len:
        raise BoundsCheckError(dim_len, i, axis)
    return j


def _slice_part(v: Any, name: str, axis: int) -> int | None:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        raise IndexTypeError(f"slice {name} must be an integer or None for axis {axis}, got {v!r}")
    try:
        return operator.index(v)
    except TypeError:
        raise IndexTypeError(
            f"slice {name} must be an integer or None for axis {axis}, got {v!r} of type {type(v).__name__}"
        ) from None


def normalize_slice(s: slice, dim_len: int, axis: int = 0) -> tuple[int, int, int]:
    """``(start, stop, step)`` of a slice on an axis of ``dim_len`` with numpy semantics.

    Out-of-range bounds clip as in numpy; a zero step is a ValueError naming the axis.
    """
    start = _slice_part(s.start, "start", axis)
    stop = _slice_part(s.stop, "stop", axis)
    step = _slice_part(s.step, "step", axis)
    if step == 0:
        raise ValueError(f"slice step cannot be zero (axis {axis}, {s!r})")
    return slice(start, stop, step).indices(dim_len)


def expand_selection(selection: Any, ndim: int) -> tuple:
    """Turn a selection into a tuple of exactly ``ndim`` items.

    A non-tuple is one item; a single Ellipsis becomes as many full slices as needed; missing
    trailing axes are full slices. More than ``ndim`` items is an IndexError.
    """
    items = selection if isinstance(selection, tuple) else (selection,)
    n_ellipsis = sum(1 for s in items if s is Ellipsis)
    if n_ellipsis > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if n_ellipsis:
        k = next(i for i, s in enumerate(items) if s is Ellipsis)
        fill = ndim - (len(items) - 1)
        if fill < 0:
            raise IndexError(
                f"too many indices for array: array is {ndim}-dimensional, but {len(items) - 1} were indexed"
            )
        items = items[:k] + (slice(None),) * fill + items[k + 1 :]
    if len(items) > ndim:
        raise IndexError(
            f"too many indices for array: array is {ndim}-dimensional, but {len(items)} were indexed"
        )
    return tuple(items) + (slice(None),) * (ndim - len(items))


def is_total_slice(selection: Any, shape: tuple[int, ...]) -> bool:
    """True when a basic selection covers every element of ``shape`` in order (e.g. ``...``, ``:``)."""
    try:
        items = expand_selection(selection, len(shape))
    except IndexError:
        return False
    for axis, (s, n) in enumerate(zip(items, shape)):
        if not isinstance(s, slice):
            return False
        try:
            start, stop, step = normalize_slice(s, n, axis)
        except (TypeError, ValueError):
            return False
        if n and not (start == 0 and stop == n and step == 1):
            return False
    return True


def prod(values: Any) -> int:
    """Product of ints as a Python int (no overflow)."""
    return math.prod(int(v) for v in values)
