"""Fill detection for v3 chunks: is every item the fill value, byte for byte?"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["is_fill"]

_UINTS = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def is_fill(chunk: np.ndarray, fill_value: Any) -> bool:
    """Return True when every item of ``chunk`` has the bytes of ``fill_value`` (so it need not be stored).

    Comparing bytes keeps what a reader gets back exact: a chunk of NaN is a NaN fill's chunk, a chunk
    of -0.0 is not a 0.0 fill's chunk. ``None`` (no fill value) matches nothing.

    Examples
    --------
    >>> is_fill(np.full(3, np.nan), np.nan), is_fill(np.array([0.0, -0.0]), 0.0)
    (True, False)
    """
    if fill_value is None:
        return False
    arr = np.asarray(chunk)
    dtype = arr.dtype
    if dtype.hasobject:
        # strings: equal text (items of another type never match the string fill)
        return all(isinstance(x, str) and x == fill_value for x in arr.reshape(-1).tolist())
    try:
        if dtype.kind == "V" and isinstance(fill_value, (bytes, bytearray)):
            fill = np.frombuffer(bytes(fill_value), dtype=dtype)
        else:
            fill = np.asarray(fill_value, dtype=dtype).reshape(1)
    except (TypeError, ValueError, OverflowError):
        return False
    if arr.size == 0:
        return True
    size = dtype.itemsize
    arr = np.ascontiguousarray(arr)
    if size in _UINTS:
        return bool(np.all(arr.reshape(-1).view(_UINTS[size]) == fill.view(_UINTS[size])[0]))
    items = arr.reshape(-1).view(np.uint8).reshape(-1, size)
    return bool(np.all(items == fill.view(np.uint8)))
