"""MemoryStore: the default store of in-memory groups, a flat dict of keys to bytes."""

from __future__ import annotations

import threading
import warnings
from collections.abc import MutableMapping
from typing import Any

from zarr5.storage.base import KVStore, normalize_dimension_separator


class MemoryStore(KVStore):
    """Keys and values held in a dict; thread-safe for single-key operations."""

    cheap_gets = True  # local: a get is a file read (or a dict lookup), safe from any thread

    def __init__(self, root: MutableMapping | None = None, *, dimension_separator: str | None = None) -> None:
        super().__init__({} if root is None else root)
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self.write_mutex = threading.Lock()

    def __getstate__(self) -> dict:
        return {"map": self._mutable_mapping, "dimension_separator": self._dimension_separator}

    def __setstate__(self, state: dict) -> None:
        # this class's constructor: a subclass's may take other arguments (zarr5.api3's MemoryStore does)
        MemoryStore.__init__(self, state["map"], dimension_separator=state.get("dimension_separator"))


class DictStore(MemoryStore):
    """zarr-2's deprecated name for :class:`MemoryStore` (it warns with ``DeprecationWarning``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _warn_dictstore()
        super().__init__(*args, **kwargs)

    def __setstate__(self, state: dict) -> None:
        _warn_dictstore()  # zarr 2's unpickling runs the constructor, so it warns again
        super().__setstate__(state)


def _warn_dictstore() -> None:
    warnings.warn("DictStore has been renamed MemoryStore in zarr-python 2.4; use MemoryStore",
                  DeprecationWarning, stacklevel=3)
