"""Dataspace and property-list handles (h5py's ``h5s`` and ``h5p``): shapes and creation settings.

A ``SpaceID`` is a shape and a maximum shape; a property list is a small record of the creation
settings a client sets before ``h5d.create`` (chunks, fill value, filters) or reads back through
``get_create_plist()`` (chunks, filters, creation-order flags).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "ALL", "CRT_ORDER_INDEXED", "CRT_ORDER_TRACKED", "NULL", "SCALAR", "SIMPLE", "UNLIMITED",
    "PropClassID", "PropDCID", "PropGCID", "PropID", "SpaceID", "create", "create_plist", "create_simple",
]

UNLIMITED = 2 ** 64 - 1  # HDF5's H5S_UNLIMITED, as h5py.h5s.UNLIMITED
SCALAR, SIMPLE, NULL = 0, 1, 2
SEL_NONE, SEL_POINTS, SEL_HYPERSLABS, SEL_ALL = 0, 1, 2, 3
CRT_ORDER_TRACKED, CRT_ORDER_INDEXED = 1, 2
# dataset layouts (h5py.h5d.COMPACT, ...)
COMPACT, CONTIGUOUS, CHUNKED, VIRTUAL = 0, 1, 2, 3
# filters zarr5 can map from a property list to codecs (h5py.h5z.FILTER_DEFLATE, ...)
FILTER_DEFLATE, FILTER_SHUFFLE, FILTER_FLETCHER32 = 1, 2, 3
FILTER_SZIP, FILTER_NBIT, FILTER_SCALEOFFSET = 4, 5, 6


class SpaceID:
    """A dataspace: ``shape`` and ``maxshape`` (UNLIMITED for an unlimited axis)."""

    def __init__(self, kind: int, shape: tuple = (), maxshape: tuple | None = None) -> None:
        self._kind = kind
        self.shape = tuple(int(n) for n in shape)
        self.maxshape = self.shape if maxshape is None else tuple(
            UNLIMITED if m is None else int(m) for m in maxshape)
        self.valid = True

    @property
    def rank(self) -> int:
        return len(self.shape)

    def get_simple_extent_type(self) -> int:
        return self._kind

    def get_simple_extent_ndims(self) -> int:
        return len(self.shape)

    def get_simple_extent_dims(self, maxdims: bool = False) -> tuple:
        return self.maxshape if maxdims else self.shape

    def get_simple_extent_npoints(self) -> int:
        return 0 if self._kind == NULL else int(np.prod(self.shape, dtype=np.int64))

    def get_select_type(self) -> int:
        return SEL_ALL

    def select_all(self) -> None:
        return None

    def copy(self) -> SpaceID:
        return SpaceID(self._kind, self.shape, self.maxshape)

    def close(self) -> None:
        self.valid = False

    def h5py_maxshape(self) -> tuple | None:
        """The maxshape as h5py's create_dataset takes it (None for an unlimited axis)."""
        return tuple(None if m == UNLIMITED else m for m in self.maxshape)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpaceID) and (self._kind, self.shape, self.maxshape) == (
            other._kind, other.shape, other.maxshape)

    def __hash__(self) -> int:
        return hash((self._kind, self.shape, self.maxshape))

    def __repr__(self) -> str:
        return f"<SpaceID shape={self.shape} maxshape={self.maxshape}>"


ALL = SpaceID(SIMPLE)  # "the whole selection" in DatasetID.read/write
ALL._kind = -1


def create(kind: int) -> SpaceID:
    """An empty SCALAR or NULL dataspace (SIMPLE needs create_simple)."""
    if kind not in (SCALAR, SIMPLE, NULL):
        raise ValueError(f"unknown dataspace class {kind!r}")
    return SpaceID(kind)


def create_simple(dims: Any, max_dims: Any = None) -> SpaceID:
    dims = tuple(dims)
    if max_dims is not None:
        max_dims = tuple(max_dims)
        if len(max_dims) != len(dims):
            raise ValueError(f"maxshape {max_dims} has not the rank of shape {dims}")
        for n, m in zip(dims, max_dims):
            if m is not None and m != UNLIMITED and m < n:
                raise ValueError(f"maxshape {max_dims} is smaller than shape {dims}")
    return SpaceID(SIMPLE, dims, max_dims)


class PropID:
    """A property list: creation settings recorded for the call that uses them."""

    def __init__(self, **settings: Any) -> None:
        self._settings: dict[str, Any] = dict(settings)
        self.valid = True

    def copy(self) -> PropID:
        return type(self)(**self._settings)

    def close(self) -> None:
        self.valid = False

    def equal(self, other: Any) -> bool:
        return type(self) is type(other) and self._settings == other._settings

    def __eq__(self, other: object) -> bool:
        return self.equal(other)

    __hash__ = object.__hash__

    # object creation order (groups, datasets and files all carry it)
    def set_attr_creation_order(self, flags: int) -> None:
        self._settings["attr_order"] = int(flags)

    def get_attr_creation_order(self) -> int:
        return int(self._settings.get("attr_order", 0))

    def set_obj_track_times(self, track: bool) -> None:
        self._settings["track_times"] = bool(track)

    def get_obj_track_times(self) -> bool:
        return bool(self._settings.get("track_times", True))


class PropGCID(PropID):
    """Group (and file) creation settings: creation-order flags."""

    def set_link_creation_order(self, flags: int) -> None:
        self._settings["link_order"] = int(flags)

    def get_link_creation_order(self) -> int:
        return int(self._settings.get("link_order", 0))


class PropFCID(PropGCID):
    def get_userblock(self) -> int:
        return 0


class PropDCID(PropID):
    """Dataset creation settings: layout, chunks, fill value and filters."""

    def set_layout(self, layout: int) -> None:
        self._settings["layout"] = int(layout)

    def get_layout(self) -> int:
        return int(self._settings.get("layout", CHUNKED if self._settings.get("chunks") else CONTIGUOUS))

    def set_chunk(self, chunks: Any) -> None:
        self._settings["chunks"] = tuple(int(c) for c in chunks)
        self._settings["layout"] = CHUNKED

    def get_chunk(self) -> tuple:
        chunks = self._settings.get("chunks")
        if chunks is None:
            raise ValueError("the dataset creation property list sets no chunks (not a chunked layout)")
        return chunks

    def set_fill_value(self, value: Any) -> None:
        self._settings["fillvalue"] = np.asarray(value)

    def get_fill_value(self, out: np.ndarray) -> None:
        value = self._settings.get("fillvalue")
        out[...] = 0 if value is None else value

    def fill_value_defined(self) -> int:
        return 2 if self._settings.get("fillvalue") is not None else 1  # USER_DEFINED or DEFAULT

    def set_fill_time(self, when: int) -> None:
        self._settings["fill_time"] = int(when)

    def get_fill_time(self) -> int:
        return int(self._settings.get("fill_time", 0))

    def _filters(self) -> list:
        return self._settings.setdefault("filters", [])

    def set_deflate(self, level: int = 5) -> None:
        self._filters().append((FILTER_DEFLATE, 0, (int(level),), b"deflate"))

    def set_shuffle(self) -> None:
        self._filters().append((FILTER_SHUFFLE, 0, (), b"shuffle"))

    def set_fletcher32(self) -> None:
        self._filters().append((FILTER_FLETCHER32, 0, (), b"fletcher32"))

    def set_filter(self, filter_code: int, flags: int = 0, values: Any = ()) -> None:
        self._filters().append((int(filter_code), int(flags), tuple(values or ()), b""))

    def get_nfilters(self) -> int:
        return len(self._filters())

    def get_filter(self, index: int) -> tuple:
        return self._filters()[index]

    def get_filter_by_id(self, code: int) -> tuple | None:
        for f in self._filters():
            if f[0] == code:
                return f[1:]
        return None

    def all_filters_avail(self) -> bool:
        return True

    def create_kwargs(self) -> dict:
        """The create_dataset keywords these settings mean."""
        kw: dict[str, Any] = {}
        if self._settings.get("chunks") is not None:
            kw["chunks"] = self._settings["chunks"]
        if self._settings.get("fillvalue") is not None:
            kw["fillvalue"] = self._settings["fillvalue"]
        for code, _, values, _ in self._filters():
            if code == FILTER_DEFLATE:
                kw["compression"], kw["compression_opts"] = "gzip", (values[0] if values else 4)
            elif code == FILTER_SHUFFLE:
                kw["shuffle"] = True
            elif code == FILTER_FLETCHER32:
                kw["fletcher32"] = True
            else:
                kw["compression"] = code
                if values:
                    kw["compression_opts"] = tuple(values)
        if self.get_attr_creation_order():
            kw["track_order"] = True
        return kw


class PropClassID:
    """A property-list class (h5py.h5p.DATASET_CREATE, ...): what ``h5p.create`` makes."""

    def __init__(self, name: str, kind: type[PropID]) -> None:
        self.name, self.kind = name, kind

    def __repr__(self) -> str:
        return f"<PropClassID {self.name}>"


def create_plist(cls: PropClassID) -> PropID:
    if not isinstance(cls, PropClassID):
        raise TypeError(f"h5p.create takes a property-list class such as h5p.DATASET_CREATE, not {cls!r}")
    return cls.kind()
