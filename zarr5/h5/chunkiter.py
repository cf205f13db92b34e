"""Dataset.iter_chunks: the parts of a selection that fall in each chunk, as tuples of slices."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

__all__ = ["iter_chunk_slices"]


def _axis_range(s: Any, n: int) -> tuple[int, int]:
    if isinstance(s, slice):
        start, stop, step = s.indices(n)
        if step != 1:
            raise ValueError("iter_chunks only supports slices with step 1")
        return start, max(start, stop)
    i = int(s)
    i = i + n if i < 0 else i
    if not 0 <= i < n:
        raise ValueError(f"Index {s} out of range for axis of length {n}")
    return i, i + 1


def check_selection(sel: Any, shape: tuple[int, ...]) -> tuple:
    """The selection as a tuple of one item per axis; ValueError when the rank differs."""
    if sel is None:
        return (slice(None),) * len(shape)
    sel = sel if isinstance(sel, tuple) else (sel,)
    if len(sel) != len(shape):
        raise ValueError(f"Invalid selection {sel!r}: rank {len(sel)} differs from the dataset's "
                         f"rank {len(shape)}")
    return sel


def iter_chunk_slices(shape: tuple[int, ...], chunks: tuple[int, ...],
                      sel: Any = None) -> Iterator[tuple[slice, ...]]:
    """Yield per touched chunk, in C order, the selection clipped to that chunk."""
    if sel is None:
        sel = (slice(None),) * len(shape)
    elif not isinstance(sel, tuple):
        sel = (sel,)
    if len(sel) != len(shape):
        raise ValueError(f"Invalid selection {sel!r}: rank {len(sel)} differs from the dataset's "
                         f"rank {len(shape)}")
    per_axis = []
    for s, n, c in zip(sel, shape, chunks):
        lo, hi = _axis_range(s, n)
        pieces = []
        start = lo
        while start < hi:
            end = min(hi, (start // c + 1) * c)
            pieces.append(slice(start, end, 1))
            start = end
        per_axis.append(pieces)
    for combo in itertools.product(*per_axis):
        yield tuple(combo)
