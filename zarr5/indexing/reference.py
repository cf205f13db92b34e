"""Orthogonal indexing of plain numpy arrays, zarr 2's reference helpers (``zarr.indexing.oindex``):
what an orthogonal selection of a zarr array must equal, computed by numpy alone. No I/O."""

from __future__ import annotations

from typing import Any

import numpy as np

from zarr5.errors import ArrayIndexError
from zarr5.indexing.projection import expand_selection, is_integer


def replace_ellipsis(selection: Any, shape: tuple[int, ...]) -> tuple:
    """``selection`` as one item per axis of ``shape`` (Ellipsis and missing axes as full slices)."""
    return expand_selection(selection, len(shape))


def ix_(selection: tuple, shape: tuple[int, ...]) -> tuple:
    """An open mesh (``np.ix_``) from one orthogonal item per axis: slices, integers, integer lists
    or arrays and boolean masks."""
    axes = []
    for item, n in zip(selection, shape):
        if isinstance(item, slice):
            axes.append(np.arange(*item.indices(n)))
        elif is_integer(item):
            axes.append(np.array([item]))
        else:
            arr = np.asarray(item)
            axes.append(np.nonzero(arr)[0] if arr.dtype == bool else arr)
    return np.ix_(*axes)


def _drop_axes(selection: tuple) -> tuple[int, ...]:
    return tuple(i for i, item in enumerate(selection) if is_integer(item))


def oindex(a: np.ndarray, selection: Any) -> np.ndarray:
    """Select from ``a`` orthogonally (each axis on its own), as ``zarr.Array.oindex`` does."""
    selection = replace_ellipsis(selection, a.shape)
    result = a[ix_(selection, a.shape)]
    drop = _drop_axes(selection)
    return result.squeeze(axis=drop) if drop else result


def oindex_set(a: np.ndarray, selection: Any, value: Any) -> None:
    """Assign ``value`` to an orthogonal selection of ``a``."""
    selection = replace_ellipsis(selection, a.shape)
    drop = _drop_axes(selection)
    if drop and not np.isscalar(value):
        # put back the axes the integers dropped, so the value lines up with the open mesh
        value = np.expand_dims(np.asanyarray(value), drop)
    a[ix_(selection, a.shape)] = value


def make_slice_selection(selection: Any) -> list:
    """Integers (and one-element integer arrays) as length-1 slices, so no axis is dropped."""
    out: list = []
    for item in selection:
        if is_integer(item):
            out.append(slice(int(item), int(item) + 1, 1))
        elif isinstance(item, np.ndarray):
            if len(item) != 1:
                raise ArrayIndexError(f"only one-element arrays become slices, not {item!r}")
            out.append(slice(int(item[0]), int(item[0]) + 1, 1))
        else:
            out.append(item)
    return out
