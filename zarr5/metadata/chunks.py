"""Normalising the ``shape`` and ``chunks`` arguments of array creation, as zarr-python 2 does."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

__all__ = ["guess_chunks", "normalize_chunks", "normalize_shape"]

# the PyTables/h5py chunk-size heuristic zarr-2 uses: a target size that grows with the array
_CHUNK_BASE = 256 * 1024
_CHUNK_MIN = 128 * 1024
_CHUNK_MAX = 64 * 1024 * 1024


def _as_int(value: Any, what: str) -> int:
    if type(value) is int:  # the usual case, without the slower ABC checks below
        return value
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an integer, not {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        # zarr-2 accepts 10.0, warning that it is not an integer
        whole = int(float(value))
        warnings.warn(f"{what} {value!r} is not an integer (non-integer value(s)); using {whole}",
                      UserWarning, stacklevel=5)
        return whole
    raise TypeError(f"{what} must be an integer, not {type(value).__name__} {value!r}")


_INT = frozenset({int})  # the item types of a tuple of plain ints (bool excluded)


def normalize_shape(shape: Any) -> tuple[int, ...]:
    """Return ``shape`` as a tuple of non-negative ints; an int means a 1-d shape.

    Raises
    ------
    TypeError
        For ``None`` or non-integer lengths.
    ValueError
        Naming the shape when a length is negative.

    Examples
    --------
    >>> normalize_shape(5)
    (5,)
    >>> normalize_shape([2, 3])
    (2, 3)
    """
    if type(shape) is tuple and {*map(type, shape)} <= _INT and min(shape, default=0) >= 0:
        return shape  # already normal (the usual case): skip the ABC checks below
    if shape is None:
        raise TypeError("shape is None")
    if isinstance(shape, (numbers.Integral, numbers.Real)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        if isinstance(shape, (str, bytes)):
            raise TypeError
        items = tuple(shape)
    except TypeError:
        raise TypeError(f"shape must be an int or a sequence of ints, not {shape!r}") from None
    out = tuple(_as_int(n, f"shape {items!r}: length") for n in items)
    if any(n < 0 for n in out):
        raise ValueError(f"shape {out!r} has a negative length; lengths must be >= 0")
    return out


def guess_chunks(shape: tuple[int, ...], itemsize: int) -> tuple[int, ...]:
    """Return a chunk shape for an array of ``shape`` whose items take ``itemsize`` bytes.

    Axes are halved in turn, first to last, until a chunk is near a target size that grows with the
    array's size (between 128 KiB and 64 MiB); the result is the one zarr-python 2.18 guesses.

    Examples
    --------
    >>> guess_chunks((10000, 10000), 4)
    (625, 625)
    """
    # floats, because the heuristic is defined on float products (and they never overflow)
    chunks = [float(max(n, 1)) for n in shape]
    total = math.prod(chunks) * itemsize
    target = _CHUNK_BASE * 2 ** math.log10(total / (1024.0 * 1024)) if total > 0 else 0.0
    target = min(max(target, _CHUNK_MIN), _CHUNK_MAX)
    axis = 0
    while True:
        size = math.prod(chunks) * itemsize
        small_enough = size < target or abs(size - target) / target < 0.5
        if small_enough and size < _CHUNK_MAX:
            break
        if math.prod(chunks) == 1:
            break  # one item is already bigger than the largest chunk
        i = axis % len(chunks)
        chunks[i] = math.ceil(chunks[i] / 2.0)
        axis += 1
    return tuple(int(c) for c in chunks)


def normalize_chunks(chunks: Any, shape: tuple[int, ...], itemsize: int) -> tuple[int, ...]:
    """Return the chunk shape for the ``chunks`` argument of an array of ``shape``.

    Parameters
    ----------
    chunks : True, None, False, int, or sequence of int/None
        ``True``/``None``: guess (see :func:`guess_chunks`); ``False``: one chunk for the whole array;
        an int: that length along every axis; a sequence: one length per leading axis, where ``None``
        or ``-1`` means the whole axis and missing trailing axes are taken whole.
    shape : tuple of int
        The normalised array shape.
    itemsize : int
        Bytes per item, for guessing.

    Returns
    -------
    tuple of int
        Every length >= 1: a whole-axis chunk of a zero-length axis is 1 (zarr-python writes 0,
        which no chunk grid can divide by).

    Raises
    ------
    ValueError
        Naming ``chunks`` when it has more axes than ``shape`` or a length below 1 (other than -1).

    Examples
    --------
    >>> normalize_chunks((100, None), (10000, 10000), 4)
    (100, 10000)
    >>> normalize_chunks(True, (10000, 10000), 4)
    (625, 625)
    """
    shape = tuple(shape)
    if type(chunks) is tuple and len(chunks) == len(shape) and {*map(type, chunks)} <= _INT \
            and min(chunks, default=1) >= 1:
        return chunks  # already normal (the h5py vocabulary's, a copy's): skip the checks below
    if chunks is None or chunks is True:
        return guess_chunks(shape, itemsize)
    if chunks is False:
        return tuple(max(n, 1) for n in shape)
    if isinstance(chunks, (numbers.Integral, numbers.Real)) and not isinstance(chunks, bool):
        chunks = (chunks,) * len(shape)
    try:
        if isinstance(chunks, (str, bytes)):
            raise TypeError
        given = tuple(chunks)
    except TypeError:
        raise TypeError(f"chunks must be True, False, None, an int or a sequence, not {chunks!r}") from None
    if len(given) > len(shape):
        raise ValueError(f"chunks {given!r} has more dimensions than shape {shape!r}")
    out = []
    for axis, n in enumerate(shape):
        c = given[axis] if axis < len(given) else None
        if type(c) is int and c >= 1:  # a plain length (the usual case): no ABC checks
            out.append(c)
            continue
        if c is None or (not isinstance(c, bool) and isinstance(c, numbers.Real) and c == -1):
            out.append(max(n, 1))
            continue
        c = _as_int(c, f"chunks {given!r}: length for axis {axis}")
        if c < 1:
            raise ValueError(f"chunks {given!r} has invalid length {c} for axis {axis}; "
                             f"lengths must be >= 1 (or -1/None for the whole axis)")
        out.append(c)
    return tuple(out)
