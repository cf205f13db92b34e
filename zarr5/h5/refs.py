"""Object references: h5py's ``obj.ref`` and ``f[ref]``, as a path held with its store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zarr5.h5.regions import region_from_args, region_from_json, region_json, region_shape

__all__ = ["Reference", "RegionProxy", "RegionReference", "ref_reader", "ref_writer", "reference_path",
           "reference_region"]


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
    """A reference to a region of a dataset: the dataset's path plus the selection (see regions.py)."""

    def __init__(self, store: Any = None, path: str | None = None, region: dict | None = None) -> None:
        super().__init__(store, path)
        self._region = region

    def __repr__(self) -> str:
        return f"<HDF5 region reference to {'/' + self._path!r}>" if self._path is not None \
            else "<HDF5 region reference (null)>"


def reference_path(ref: Reference) -> str | None:
    """The store path ``ref`` points to (None for a null reference)."""
    return ref._path


def reference_region(ref: RegionReference) -> dict | None:
    """The selection a region reference holds (see regions.py); None for a null reference."""
    return ref._region


class RegionProxy:
    """``dset.regionref``: ``[selection]`` makes a region reference; ``shape`` and ``selection`` read one."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def __getitem__(self, args: Any) -> RegionReference:
        if self._obj._kind != "dataset":  # the facade's objects only (``obj.regionref``)
            raise TypeError("Region references can only be made to datasets")
        region = region_from_args(self._obj.shape or (), args)
        return RegionReference(self._obj._state.store, self._obj._path, region)

    def _region(self, ref: Any) -> dict:
        if not isinstance(ref, RegionReference) or ref._region is None:
            raise TypeError(f"{ref!r} is not a region reference")
        return ref._region

    def shape(self, ref: RegionReference) -> tuple[int, ...]:
        """The shape of the dataset the reference points into."""
        return tuple(self._region(ref)["shape"])

    def selection(self, ref: RegionReference) -> tuple[int, ...] | None:
        """The shape of the referenced selection (1-D for points and irregular selections)."""
        return region_shape(self._region(ref))


def ref_reader(store: Any, kind: type) -> Callable[[Any], Reference]:
    """Stored text ('' for null) -> a reference of ``kind`` bound to ``store``."""
    if kind is RegionReference:
        def read_region(x: Any) -> Reference:
            if not isinstance(x, str) or not x:
                return RegionReference()
            path, region = region_from_json(x)
            return RegionReference(store, _node_path(path), region)
        return read_region

    def read(x: Any) -> Reference:
        return Reference(store, _node_path(x)) if isinstance(x, str) and x else Reference()
    return read


def _node_path(text: str) -> str:
    # stored as absolute HDF5 names ("/" is the root, "" a null reference); older stores lack the "/"
    return text[1:] if text.startswith("/") else text


def ref_writer(store: Any, kind: type) -> Callable[[Any], str]:
    """A reference of ``kind`` -> the text stored for it; other values and other files refused."""
    region = kind is RegionReference
    what = "region" if region else "object"

    def write(x: Any) -> str:
        if not isinstance(x, Reference):
            raise TypeError(f"Can't store {x!r} in an {what} reference dataset (a {kind.__name__} is needed)")
        if isinstance(x, RegionReference) != region:
            other = "an object" if region else "a region"
            raise TypeError(f"Can't convert {other} reference to an HDF5 {what} reference")
        if x._path is None:
            return ""
        if x._store is not store and x._store != store:
            raise ValueError("Can't store a reference to an object of another file")
        name = "/" + x._path
        if not isinstance(x, RegionReference):
            return name
        if x._region is None:  # only null references lack a region, and they returned above
            raise ValueError(f"Can't store a region reference to {name!r} without its region")
        return region_json(name, x._region)
    return write
