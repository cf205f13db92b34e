"""zarr-python 2's rules for ``arr[selection]``: which indexing mode it means, and no backward steps.

zarr 2 reads ``arr[...]`` narrowly: integer arrays for every axis (or one for a 1-d array) are a
vectorised (``vindex``) selection, ints and slices with at most one integer array are orthogonal,
anything else is basic indexing, which refuses Boolean arrays and Ellipsis mixed with arrays.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from zarr5.errors import BoundsCheckError, NegativeStepError
from zarr5.indexing.projection import expand_selection

__all__ = ["check_block_starts", "check_positive_steps", "selection_mode"]


def _is_int(x: Any) -> bool:
    return isinstance(x, numbers.Integral)


def _is_int_list(x: Any) -> bool:
    return isinstance(x, list) and len(x) > 0 and _is_int(x[0])


def _is_int_array(x: Any, ndim: int | None = None) -> bool:
    ok = (not np.isscalar(x) and hasattr(x, "shape") and hasattr(x, "dtype")
          and getattr(x.dtype, "kind", "") in "ui")
    return ok and (ndim is None or len(x.shape) == ndim)


def _is_int_seq(x: Any) -> bool:
    return _is_int_list(x) or _is_int_array(x)


def selection_mode(selection: Any, ndim: int) -> str:
    """'vindex', 'orthogonal' or 'basic': how zarr 2's ``__getitem__``/``__setitem__`` read a selection
    whose field names are already split off.

    >>> selection_mode(([0, 1], [2, 3]), 2), selection_mode((slice(None), [1]), 2), selection_mode(3, 1)
    ('vindex', 'orthogonal', 'basic')
    """
    if isinstance(selection, tuple) and len(selection) == 1:
        selection = selection[0]  # zarr 2 unwraps a 1-tuple before deciding
    if ndim == 1 and _is_int_seq(selection):
        return "vindex"
    if isinstance(selection, tuple) and len(selection) == ndim:
        items = selection
        if (not any(isinstance(s, slice) or s is Ellipsis for s in items)
                and all(_is_int(s) or _is_int_seq(s) for s in items) and any(_is_int_seq(s) for s in items)):
            return "vindex"
    if not ndim:
        return "basic"
    if _is_int_list(selection) or _is_int_array(selection, ndim=1):
        return "orthogonal"
    if (isinstance(selection, tuple) and len(selection) == ndim
            and sum(_is_int_seq(s) for s in selection) <= 1
            and all(_is_int_seq(s) or isinstance(s, (int, slice)) for s in selection)):
        return "orthogonal"
    return "basic"


def check_positive_steps(selection: Any) -> None:
    """Refuse slices stepping backwards (zarr 2's NegativeStepError, an IndexError).

    >>> check_positive_steps((slice(None), slice(None, None, -1)))
    Traceback (most recent call last):
    ...
    zarr5.errors.NegativeStepError: only slices with step >= 1 are supported
    """
    for s in selection if isinstance(selection, tuple) else (selection,):
        if isinstance(s, slice) and s.step is not None and s.step < 1:
            if s.step == 0:
                raise ValueError("slice step cannot be zero")
            raise NegativeStepError()


def check_block_starts(selection: Any, grid: tuple[int, ...]) -> None:
    """Refuse a block slice starting outside the chunk grid ``grid`` (zarr 2's BoundsCheckError), where
    numpy's reading would select no blocks.

    >>> check_block_starts((slice(4, None),), (4,))
    Traceback (most recent call last):
    ...
    zarr5.errors.BoundsCheckError: index 4 is out of bounds for axis 0 with size 4
    """
    try:
        items = expand_selection(selection, len(grid))
    except IndexError:
        return  # the indexer names what is wrong with it
    for axis, (s, g) in enumerate(zip(items, grid)):
        if isinstance(s, slice) and s.start is not None and _is_int(s.start):
            first = int(s.start) + (g if int(s.start) < 0 else 0)
            if not 0 <= first < g:
                raise BoundsCheckError(g, int(s.start), axis)
