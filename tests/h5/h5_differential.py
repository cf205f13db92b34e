"""Run one h5py snippet against real h5py and against zarr5, and compare what each gives back.

A snippet is ``f(h5, path) -> value``: ``h5`` is the module (``h5py`` or ``zarr5``), ``path`` a fresh
file name. The value is normalised (arrays keep dtype and shape, exceptions become their type) and the
zarr5 result must equal h5py's; for an exception, zarr5's must be an instance of h5py's type.
"""

from __future__ import annotations

import os
from typing import Any

import h5py
import numpy as np

import zarr5


class Raised:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __repr__(self) -> str:
        return f"Raised({type(self.exc).__name__}: {self.exc})"


def normalise(value: Any) -> Any:
    """A comparable form: arrays as (dtype.str, shape, list), numpy scalars as (dtype.str, item)."""
    if isinstance(value, (h5py.Empty, zarr5.Empty)):
        return ("Empty", value.dtype.str)
    if isinstance(value, np.ndarray):
        items = [normalise(x) for x in value.ravel().tolist()] if value.dtype == object else \
            value.tolist()
        return ("ndarray", value.dtype.str, value.shape, items)
    if isinstance(value, np.generic):
        item = value.item()
        return ("scalar", value.dtype.str, "nan" if item != item else item)  # NaN != NaN
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, type):
        return value.__name__
    return value


def run(snippet: Any, module: Any, tmp_path: Any) -> Any:
    path = os.path.join(str(tmp_path), f"{module.__name__}.h5")
    try:
        return normalise(snippet(module, path))
    except Exception as e:  # noqa: BLE001 -- the exception is the result being compared
        return Raised(e)


def check(snippet: Any, tmp_path: Any) -> None:
    """Assert zarr5 gives what h5py gives for ``snippet``."""
    (tmp_path / "h5py").mkdir()
    (tmp_path / "zarr5").mkdir()
    expected = run(snippet, h5py, tmp_path / "h5py")
    got = run(snippet, zarr5, tmp_path / "zarr5")
    if isinstance(expected, Raised):
        assert isinstance(got, Raised), f"h5py raised {expected!r}, zarr5 returned {got!r}"
        assert isinstance(got.exc, type(expected.exc)), f"h5py raised {expected!r}, zarr5 raised {got!r}"
        return
    if isinstance(got, Raised):
        raise AssertionError(f"h5py returned {expected!r}, zarr5 raised {got!r}") from got.exc
    assert got == expected, f"h5py: {expected!r}\nzarr5: {got!r}"
