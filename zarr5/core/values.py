"""Selection values: what a write's value becomes before it meets the chunks, and field dtypes."""

from __future__ import annotations

from typing import Any

import numpy as np


def has_ellipsis(selection: Any) -> bool:
    items = selection if isinstance(selection, tuple) else (selection,)
    return any(s is Ellipsis for s in items)


def field_dtype(dtype: np.dtype, fields: Any) -> np.dtype:
    if fields is None:
        return dtype
    if isinstance(fields, str):
        if dtype.names is None or fields not in dtype.names:
            raise IndexError(f"field {fields!r} is not in the array's dtype {dtype}")
        return dtype[fields]
    if not isinstance(fields, (list, tuple)):
        raise IndexError(f"fields must be a field name or a list of names, not {fields!r}")
    missing = [f for f in fields if dtype.names is None or f not in dtype.names]
    if missing:
        raise IndexError(f"fields {missing!r} are not in the array's dtype {dtype}")
    return np.dtype([(f, dtype[f]) for f in fields])


def prepare_value(value: Any, indexer: Any, dtype: np.dtype) -> Any:
    """Return ``value`` as a scalar of ``dtype`` or an array broadcast to the indexer's out_shape."""
    shape = tuple(indexer.shape)
    if dtype.hasobject and shape == ():
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        box = np.empty((), dtype=object)
        box[()] = value  # one element of an object array may itself be a list or an array
        return box
    if np.isscalar(value) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return _as_scalar(value, dtype)
    if dtype.hasobject:
        if not isinstance(value, (np.ndarray, list, tuple)) and not hasattr(value, "shape"):
            return value
        value = _as_object_array(value, shape)
    else:
        try:
            # a sub-array dtype (a field like ('f8', (3,))) would append its shape again: use its base
            value = np.asarray(value, dtype=dtype.base if dtype.subdtype is not None else dtype)
        except (ValueError, TypeError) as e:
            raise TypeError(f"cannot store the value in an array of dtype {dtype}: {e}") from None
    target_shape = shape + dtype.shape
    try:
        value = np.broadcast_to(value, target_shape)
    except ValueError:
        raise ValueError(f"parameter 'value': cannot broadcast value of shape {np.shape(value)} "
                         f"to the selection's shape {shape}") from None
    if tuple(indexer.out_shape) != shape:
        value = value.reshape(tuple(indexer.out_shape) + dtype.shape)
    return value


def _as_scalar(value: Any, dtype: np.dtype) -> Any:
    if dtype.hasobject:
        return value
    try:
        return np.asarray(value, dtype=dtype)[()]
    except (ValueError, TypeError) as e:
        raise TypeError(f"cannot store {value!r} in an array of dtype {dtype}: {e}") from None


def _as_object_array(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    if isinstance(value, np.ndarray) and value.dtype == object:
        return value
    if hasattr(value, "shape") and not isinstance(value, np.ndarray):
        value = np.asarray(value)
    try:
        candidate = np.asarray(value, dtype=object)
    except ValueError:
        candidate = np.empty(0, dtype=object)
    if candidate.shape[:len(shape)] == shape and candidate.ndim == len(shape):
        return candidate
    # ragged items (lists, arrays) must stay one object per element along the first axis
    out = np.empty(len(value), dtype=object)
    for i, v in enumerate(value):
        out[i] = v
    return out
