"""Which indexer ``arr[selection]`` means, and field names split off a selection."""

from __future__ import annotations

from typing import Any

import numpy as np

from .dims import as_index_array
from .projection import IndexTypeError, expand_selection, is_integer

__all__ = ["classify_selection", "pop_fields"]


def pop_fields(selection: Any) -> tuple[str | list[str] | None, Any]:
    """Split structured-dtype field names off a selection.

    ``'f'`` and ``['a', 'b']`` are fields on their own (selection becomes ``()``); inside a tuple every
    str and list of str is a field. Returns ``(fields, selection)`` with ``fields`` a str, a list of
    str or None; a selection without fields is returned unchanged.
    """
    if isinstance(selection, str):
        return selection, ()
    if _is_field_list(selection):
        return list(selection), ()
    if not isinstance(selection, tuple):
        return None, selection
    fields: list[str] = []
    rest = []
    for s in selection:
        if isinstance(s, str):
            fields.append(s)
        elif _is_field_list(s):
            fields.extend(s)
        else:
            rest.append(s)
    if not fields:
        return None, selection
    # one bare name selects a plain (unstructured) result, as in numpy; several keep the struct
    single = len(fields) == 1 and any(isinstance(s, str) for s in selection)
    return (fields[0] if single else fields), tuple(rest)


def _is_field_list(s: Any) -> bool:
    return isinstance(s, list) and len(s) > 0 and all(isinstance(f, str) for f in s)


def _is_array_like(s: Any) -> bool:
    return isinstance(s, (list, tuple, np.ndarray, range)) or (
        hasattr(s, "__array__") and not isinstance(s, (str, bytes)) and not is_integer(s)
    )


def classify_selection(selection: Any, shape: tuple[int, ...]) -> tuple[str, Any]:
    """Name the indexing mode of ``arr[selection]`` and return the selection normalised for it.

    Modes (a numpy superset, following zarr-2 where numpy has no meaning):

    - ``'basic'``: only ints, slices and one Ellipsis -> an ``ndim``-tuple for BasicIndexer;
    - ``'mask'``: one boolean array of the array's full shape (also for 1-D) -> that array;
    - ``'coordinate'``: one entry per axis, each an int or an int array, at least one array ->
      a tuple for CoordinateIndexer (numpy's pure integer-array indexing);
    - ``'orthogonal'``: ints and slices with exactly one 1-D array, or with any number of 1-D bool
      arrays -> an ``ndim``-tuple for OrthogonalIndexer. Note numpy moves the array axis to the front
      when ints and the array are not adjacent (``a[0, :, [1, 2]]``); zarr-2 and zarr5 keep it in place.

    Anything else (e.g. two int arrays with a slice) is an IndexError pointing at ``oindex``/``vindex``.
    Lists and array-likes count as arrays; strings are refused (split them off with :func:`pop_fields`).
    """
    ndim = len(shape)
    items = selection if isinstance(selection, tuple) else (selection,)
    norm: list[Any] = []
    for s in items:
        if s is Ellipsis or isinstance(s, slice) or is_integer(s):
            norm.append(s)
        elif isinstance(s, (str, bytes)):
            raise IndexTypeError(f"field name {s!r} in a selection; fields must be split off first")
        elif _is_array_like(s):
            norm.append(as_index_array(s, len(norm)))
        else:
            raise IndexTypeError(
                f"unsupported selection item {s!r} of type {type(s).__name__}; expected integer, slice, "
                "Ellipsis, integer array or boolean array"
            )
    arrays = [s for s in norm if isinstance(s, np.ndarray)]
    if not arrays:
        return "basic", expand_selection(tuple(norm), ndim)
    rest = [s for s in norm if s is not Ellipsis]
    if len(rest) == 1 and arrays[0].dtype.kind == "b" and (arrays[0].ndim == ndim or arrays[0].ndim > 1):
        # a full-shape mask; a wrong-shaped multi-d mask goes to MaskIndexer so it names both shapes
        return "mask", arrays[0]
    full = expand_selection(tuple(norm), ndim)
    has_slice = any(isinstance(s, slice) for s in full)
    any_bool = any(a.dtype.kind == "b" for a in arrays)
    if not has_slice and not any_bool and (len(arrays) > 1 or ndim == 1 or arrays[0].ndim != 1):
        return "coordinate", full
    if all(a.ndim == 1 for a in arrays) and (len(arrays) == 1 or all(a.dtype.kind == "b" for a in arrays)):
        return "orthogonal", full
    raise IndexError(
        "unsupported selection: mixing several index arrays with slices or boolean arrays is ambiguous; "
        "use arr.oindex[...] for orthogonal or arr.vindex[...] for coordinate selection"
    )
