"""The zarr-2 vocabulary's nodes and functions: zarr5.api's, with zarr-python 2's rules.

``zarr5.install("zarr")`` (and ``zarr5.zarr2``) hand these out; zarr5's own top level keeps the
engine's classes. What differs from them, as in zarr 2:

- ``arr[...]`` reads a selection as zarr 2 does (:func:`zarr5.indexing.zarr2.selection_mode`), so a
  Boolean array or an integer array beside an Ellipsis is an IndexError, and slices never step back;
- a written array must have the selection's shape (a scalar fills it): zarr 2 does not broadcast;
- Pickle-coded arrays open without ``allow_pickle=True`` unless
  ``zarr5.config.set(zarr2_allow_pickle=False)`` (zarr 2 decodes Pickle unasked);
- several fields cannot be written at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from numcodecs import AsType

from zarr5.api import convenience as _convenience
from zarr5.api import creation as _creation
from zarr5.api import hierarchy as _hierarchy
from zarr5.core import Array as _CoreArray
from zarr5.core import Group as _CoreGroup
from zarr5.indexing import chunk_grid_shape, pop_fields
from zarr5.indexing.zarr2 import check_block_starts, check_positive_steps, selection_mode
from zarr5.metadata.chunks import normalize_chunks, normalize_shape

__all__ = ["Array", "Group", "array", "consolidate_metadata", "create", "empty", "empty_like", "full",
           "full_like", "group", "load", "ones", "ones_like", "open", "open_array", "open_consolidated",
           "open_group", "open_like", "zeros", "zeros_like"]


def _is_scalar(value: Any, dtype: np.dtype) -> bool:
    # what zarr 2 writes as one value into every selected item
    if np.isscalar(value):
        return True
    if isinstance(value, tuple) and dtype.names and len(value) == len(dtype.names):
        return True
    return dtype.kind == "O" and not isinstance(value, np.ndarray)


class Array(_CoreArray):
    """A Zarr array as zarr-python 2's ``zarr.core.Array`` behaves (see the module docstring)."""

    _zarr2_pickle_policy = True
    _is_view = False  # a view's metadata are held in memory (see view)

    def __getitem__(self, selection: Any) -> Any:
        fields, pure = pop_fields(selection)
        mode = selection_mode(pure, len(self.shape))
        if mode == "vindex":
            return self.vindex[selection]
        if mode == "orthogonal":
            return self.get_orthogonal_selection(pure, fields=fields)
        return self.get_basic_selection(pure, fields=fields)

    def __setitem__(self, selection: Any, value: Any) -> None:
        fields, pure = pop_fields(selection)
        mode = selection_mode(pure, len(self.shape))
        if mode == "vindex":
            self.vindex[selection] = value
        elif mode == "orthogonal":
            self.set_orthogonal_selection(pure, value, fields=fields)
        else:
            self.set_basic_selection(pure, value, fields=fields)

    def _get(self, kind: str, selection: Any, out: np.ndarray | None = None, fields: Any = None,
             keep_0d: bool | None = None) -> Any:
        self._check_selection(kind, selection)
        if out is not None and not isinstance(out, np.ndarray):
            # zarr 2 fills any array-like with a shape and item assignment, a zarr array among them
            if not hasattr(out, "shape") or not hasattr(out, "__setitem__"):
                raise TypeError(f"out must be an array-like with a shape, not {type(out).__name__}")
            result = super()._get(kind, selection, None, fields, keep_0d=True)
            if tuple(out.shape) != np.shape(result):
                raise ValueError(f"parameter 'out': expected array with shape {np.shape(result)!r}, "
                                 f"got {tuple(out.shape)!r}")
            out[...] = result
            return out
        return super()._get(kind, selection, out, fields, keep_0d)

    def _set(self, kind: str, selection: Any, value: Any, fields: Any = None) -> None:
        if isinstance(fields, list):
            if len(fields) > 1:
                raise IndexError(f"multiple fields are not supported for setting: {fields!r}")
            fields = fields[0] if fields else None
        self._check_selection(kind, selection)
        super()._set(kind, selection, value, fields)

    def _check_selection(self, kind: str, selection: Any) -> None:
        if kind in ("basic", "orthogonal"):
            check_positive_steps(selection)
        elif kind == "block":
            check_block_starts(selection, chunk_grid_shape(self.shape, self.chunks))

    @property
    def is_view(self) -> bool:
        return self._is_view

    def view(self, shape: Any = None, chunks: Any = None, dtype: Any = None,  # type: ignore[override]
             fill_value: Any = None, filters: Any = None, read_only: bool | None = None,
             synchronizer: Any = None) -> Array:
        # zarr 2's signature (the engine's view takes keywords only)
        """Another Array over the same chunks, reading them with other metadata held in memory only
        (nothing is written): ``dtype``, ``shape``, ``chunks``, ``fill_value``, ``filters``."""
        v = type(self)(self._store, self._path, read_only=self._read_only if read_only is None else read_only,
                       chunk_store=self._chunk_store,
                       synchronizer=self._synchronizer if synchronizer is None else synchronizer,
                       allow_pickle=self._allow_pickle)
        meta = v.meta
        changes: dict[str, Any] = {}
        if dtype is not None:
            changes["dtype"] = np.dtype(dtype)
        if shape is not None:
            changes["shape"] = normalize_shape(shape)
        if chunks is not None:
            changes["chunks"] = normalize_chunks(chunks, changes.get("shape", meta.shape),
                                                 changes.get("dtype", meta.dtype).itemsize)
        if fill_value is not None:
            changes["fill_value"] = fill_value
        if changes:
            v._set_metadata(meta.replace(**changes))
        if filters is not None:
            v._filters = filters
        v._is_view = True
        return v

    def astype(self, dtype: Any) -> Array:  # type: ignore[override]
        """A read-only view converting items to ``dtype`` as they are read (zarr 2's AsType filter)."""
        dtype = np.dtype(dtype)
        filters = [AsType(encode_dtype=self.dtype, decode_dtype=dtype), *self._filters]
        return self.view(filters=filters, dtype=dtype, read_only=True)

    def _check_value(self, kind: str, value: Any, shape: tuple[int, ...]) -> Any:
        if shape == () or _is_scalar(value, self._meta.dtype):
            return value
        if not hasattr(value, "shape"):
            value = np.asanyarray(value)
        expected = shape
        if kind in ("coordinate", "mask"):
            # zarr 2 flattens both: the points are one list whatever the index arrays' shape
            expected = (int(np.prod(shape)),)
            if len(value.shape) > 1:
                value = value.reshape(-1)
        if tuple(value.shape) != expected:
            raise ValueError(f"parameter 'value': expected array with shape {expected!r}, "
                             f"got {value.shape!r}")
        return value.reshape(shape) if expected != shape else value


class Group(_CoreGroup):
    """A Zarr group as zarr-python 2's ``zarr.hierarchy.Group``: its members are zarr-2 nodes."""

    _array_class = Array

    def _group_class(self) -> type[_CoreGroup]:
        return Group


_CLASSES: _creation.NodeClasses = (Array, Group)
F = TypeVar("F", bound=Callable[..., Any])


def _zarr2(func: F) -> F:
    """``func`` returning this vocabulary's nodes."""
    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("_node_classes", _CLASSES)
        return func(*args, **kwargs)
    call.__module__ = __name__
    return call  # type: ignore[return-value]


array = _zarr2(_creation.array)
create = _zarr2(_creation.create)
empty = _zarr2(_creation.empty)
empty_like = _zarr2(_creation.empty_like)
full = _zarr2(_creation.full)
full_like = _zarr2(_creation.full_like)
ones = _zarr2(_creation.ones)
ones_like = _zarr2(_creation.ones_like)
open_array = _zarr2(_creation.open_array)
open_like = _zarr2(_creation.open_like)
zeros = _zarr2(_creation.zeros)
zeros_like = _zarr2(_creation.zeros_like)
group = _zarr2(_hierarchy.group)
open_group = _zarr2(_hierarchy.open_group)
open = _zarr2(_convenience.open)  # noqa: A001 -- zarr 2's name
load = _zarr2(_convenience.load)
open_consolidated = _zarr2(_convenience.open_consolidated)
consolidate_metadata = _zarr2(_convenience.consolidate_metadata)
