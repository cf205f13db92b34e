"""``arr.oindex``, ``arr.vindex`` and ``arr.blocks``: indexing-mode views of an Array."""

from __future__ import annotations

from typing import Any

import numpy as np

from zarr5.indexing import pop_fields


class SelectionView:
    """``arr.oindex[...]`` / ``arr.blocks[...]``."""

    def __init__(self, array: Any, kind: str) -> None:
        self._array = array
        self._kind = kind

    def __getitem__(self, selection: Any) -> Any:
        fields, selection = pop_fields(selection)
        return self._array._get(self._kind, selection, fields=fields)

    def __setitem__(self, selection: Any, value: Any) -> None:
        fields, selection = pop_fields(selection)
        self._array._set(self._kind, selection, value, fields=fields)


class VectorView:
    """``arr.vindex[...]``: coordinate arrays, or one Boolean mask of the array's shape."""

    def __init__(self, array: Any) -> None:
        self._array = array

    def _kind(self, selection: Any) -> str:
        sel = selection[0] if isinstance(selection, tuple) and len(selection) == 1 else selection
        if not isinstance(sel, tuple) and np.asarray(sel).dtype == bool:
            return "mask"
        return "coordinate"

    def __getitem__(self, selection: Any) -> Any:
        fields, selection = pop_fields(selection)
        return self._array._get(self._kind(selection), selection, fields=fields)

    def __setitem__(self, selection: Any, value: Any) -> None:
        fields, selection = pop_fields(selection)
        self._array._set(self._kind(selection), selection, value, fields=fields)
