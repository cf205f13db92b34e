"""h5py selections -> the engine's indexing modes.

h5py accepts ints, slices with step >= 1, Ellipsis, one increasing index list per selection, boolean
masks and MultiBlockSlice. zarr5 accepts all of that and more (unsorted or repeated indices, several
index lists at once, which select orthogonally), and raises h5py's exception types for the rest.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zarr5.errors import BoundsCheckError

__all__ = ["MultiBlockSlice", "translate"]


class MultiBlockSlice:
    """HDF5's regular hyperslab on one axis: ``count`` blocks of ``block`` items, ``stride`` apart."""

    def __init__(self, start: int = 0, stride: int = 1, count: int | None = None, block: int = 1) -> None:
        if start < 0 or stride < 0 or block < 0 or (count is not None and count < 0):
            raise ValueError("MultiBlockSlice arguments must be non-negative")
        if block > stride:
            raise ValueError(f"block ({block}) must not be larger than stride ({stride})")
        self.start, self.stride, self.count, self.block = start, stride, count, block

    def indices(self, length: int) -> tuple[int, int, int, int]:
        start, stride, count, block = self.start, self.stride, self.count, self.block
        if stride == 0:
            raise ValueError("stride must be positive")
        if count is None:
            count = (length - start - block) // stride + 1
            if count <= 0:
                raise ValueError(f"No full blocks can be selected using {self} on dimension of length "
                                 f"{length}")
        end = start + stride * (count - 1) + block
        if end > length:
            raise ValueError(f"{self} range ({start} - {end}) extends beyond maximum index ({length})")
        return start, stride, count, block

    def as_indices(self, length: int) -> np.ndarray:
        start, stride, count, block = self.indices(length)
        return (start + stride * np.arange(count)[:, None] + np.arange(block)[None, :]).reshape(-1)

    def __repr__(self) -> str:
        return (f"MultiBlockSlice(start={self.start}, stride={self.stride}, count={self.count}, "
                f"block={self.block})")


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def translate(args: tuple, shape: tuple[int, ...]) -> tuple[str, tuple | np.ndarray]:
    """Return (engine mode, engine selection) for the h5py selection ``args`` on ``shape``."""
    ndim = len(shape)
    if any(a is None for a in args):
        raise TypeError("newaxis (None) is not supported in dataset selections")
    if len(args) == 1 and isinstance(args[0], np.ndarray) and args[0].dtype == bool and \
            args[0].shape == shape and ndim > 0:
        return "mask", args[0]
    n_ell = sum(1 for a in args if a is Ellipsis)
    if n_ell > 1:
        raise ValueError("Only one ellipsis may be used.")
    n_real = len(args) - n_ell
    if n_real > ndim:
        raise ValueError(f"{len(args)} indexing arguments given for a dataset of rank {ndim}")
    items: list[Any] = []
    for a in args:
        if a is Ellipsis:
            items.extend([slice(None)] * (ndim - n_real))
        else:
            items.append(a)
    items.extend([slice(None)] * (ndim - len(items)))
    out: list[Any] = []
    arrays = 0
    for axis, (a, n) in enumerate(zip(items, shape)):
        if isinstance(a, slice):
            if a.step is not None and (not _is_int(a.step) or a.step < 1):
                if _is_int(a.step) or a.step is None:
                    raise ValueError(f"Step must be >= 1 (got {a.step})")
                raise TypeError(f"Illegal slice step {a.step!r}")
            for v in (a.start, a.stop):
                if v is not None and not _is_int(v):
                    raise TypeError(f"Illegal slice argument {v!r}")
            out.append(a)
        elif _is_int(a):
            if not -n <= int(a) < n:
                raise BoundsCheckError(f"Index ({int(a)}) out of range for (0-{n - 1})")
            out.append(int(a))
        elif isinstance(a, MultiBlockSlice):
            out.append(a.as_indices(n))
            arrays += 1
        elif isinstance(a, (list, np.ndarray, range, tuple)):
            arr = np.asarray(a)
            if arr.dtype == bool:
                if arr.ndim != 1 or arr.shape[0] != n:
                    raise TypeError(f"Boolean indexing array has incompatible shape {arr.shape} for axis "
                                    f"{axis} of length {n}")
                arr = np.flatnonzero(arr)
            elif arr.size == 0:
                arr = arr.astype(np.intp)
            elif arr.dtype.kind not in "iu":
                raise TypeError(f"Selection can't process {a!r}")
            if arr.ndim != 1:
                raise TypeError("Only 1-D index arrays are supported for h5py-style indexing")
            if arr.size and (arr.max() >= n or arr.min() < -n):
                raise BoundsCheckError(f"Fancy indexing out of range for (0-{n - 1})")
            out.append(np.where(arr < 0, arr + n, arr).astype(np.intp))
            arrays += 1
        elif a is None:
            raise TypeError("newaxis (None) is not supported in dataset selections")
        else:
            raise TypeError(f"Selection can't process {a!r}")
    if arrays == 0:
        return "basic", tuple(out)
    return "orthogonal", tuple(out)
