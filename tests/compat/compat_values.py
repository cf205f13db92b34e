"""Shared by the compat tests: a comparable form of object-array elements."""

from __future__ import annotations

from typing import Any

import numpy as np


def canon(v: Any) -> Any:
    """A comparable form of an object element that keeps its kind (str vs bytes vs int vs float)."""
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return ("bool", bool(v))
    if isinstance(v, (int, np.integer)):
        return ("int", int(v))
    if isinstance(v, (float, np.floating)):
        return ("float", repr(float(v)))
    if isinstance(v, (str, bytes)):
        return (type(v).__name__, v)
    if isinstance(v, np.ndarray):
        return ("ndarray", v.dtype.str, v.shape, tuple(canon(x) for x in v.reshape(-1).tolist()))
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(canon(x) for x in v))
    if isinstance(v, dict):
        return ("dict", tuple(sorted((str(k), canon(x)) for k, x in v.items())))
    return ("?", type(v).__name__, repr(v))
