"""Object references: h5py's ``obj.ref`` and ``f[ref]``, as a path held with its store."""

from __future__ import annotations

from typing import Any

__all__ = ["Reference", "RegionReference"]


class Reference:
    """A reference to an object of a store; valid while that object exists at its path."""

    def __init__(self, store: Any = None, path: str | None = None) -> None:
        self._store, self._path = store, path

    def _deref_path(self, state: Any) -> str:
        if self._path is None or (self._store is not state.store and self._store != state.store):
            raise ValueError("Invalid reference (null or from another file)")
        if state.kind(self._path) is None:
            raise KeyError(f"Reference to a deleted object ({'/' + self._path!r})")
        return self._path

    def __bool__(self) -> bool:
        return self._path is not None

    def __repr__(self) -> str:
        return f"<HDF5 object reference to {'/' + self._path!r}>" if self._path is not None \
            else "<HDF5 object reference (null)>"


class RegionReference(Reference):
    """Region references have no Zarr equivalent; the type exists so isinstance checks work."""
