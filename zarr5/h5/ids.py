"""``.id`` handles: what h5py programs hold when they step below the high-level objects.

Every File, Group, Dataset and attribute hands out a handle that identifies the object, not the
Python wrapper: two handles to the same object of the same store compare and hash equal (h5py
compares file number and object address), so a program may key a cache on ``obj.id``. ``.valid`` (and
truthiness) is False once the file is closed. The calls clients make through a handle (``extend``,
``get_type``, ``get_create_plist``, ``write``, ``read``, ``get_storage_size``) go through the same
engine as the high-level objects.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zarr5.core.paths import prefix
from zarr5.h5 import spaces
from zarr5.h5.attrs import AttrID  # h5py's h5a.AttrID: the handle lives with the attributes it reads
from zarr5.h5.base import R_TRACK
from zarr5.h5.h5types import TypeID, type_for

__all__ = ["AttrID", "DatasetID", "FileID", "GroupID", "ObjectID", "handle_for", "object_of"]


def _store_key(store: Any) -> Any:
    # stores that name a place (a directory, a URL) compare by it; others by identity
    try:
        hash(store)
    except TypeError:
        return id(store)
    return store


class ObjectID:
    """A handle on one object of one store: identity, validity, and the calls on it."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj
        self._state = obj._state
        self._path = obj._path

    @property
    def valid(self) -> bool:
        return bool(self._state.open)

    def __bool__(self) -> bool:
        return self.valid

    def _key(self) -> tuple:
        return (_store_key(self._state.store), self._path)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ObjectID):
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def fileno(self) -> int:
        return hash(_store_key(self._state.store)) & 0x7FFFFFFF

    @property
    def id(self) -> int:
        return hash(self._key()) & 0x7FFFFFFFFFFF

    def _order_flags(self) -> int:
        tracked = self._state.open and self._state.attrs(self._path).get_reserved(R_TRACK)
        return spaces.CRT_ORDER_TRACKED | spaces.CRT_ORDER_INDEXED if tracked else 0

    def __repr__(self) -> str:
        state = "valid" if self.valid else "closed"
        return f"<{type(self).__name__} {'/' + self._path} ({state})>"


class GroupID(ObjectID):
    """A group's handle; ``get_create_plist()`` reports creation-order tracking as h5py does."""

    def get_create_plist(self) -> spaces.PropGCID:
        self._state.check_open()
        plist = spaces.PropGCID()
        flags = self._order_flags()
        plist.set_link_creation_order(flags)
        plist.set_attr_creation_order(flags)
        return plist

    def __contains__(self, name: object) -> bool:
        if isinstance(name, bytes):
            name = name.decode("utf-8")
        return name in self._obj

    def get_num_objs(self) -> int:
        return len(self._obj)

    def get_objname_by_idx(self, index: int) -> bytes:
        return list(self._obj)[index].encode("utf-8")


class FileID(GroupID):
    """A file's handle (the root group's, with the file's own calls)."""

    def get_create_plist(self) -> spaces.PropGCID:
        gcpl = super().get_create_plist()
        plist = spaces.PropFCID(**gcpl._settings)
        return plist

    def get_intent(self) -> int:
        return 0 if self._state.read_only else 1  # h5f.ACC_RDONLY / ACC_RDWR

    def get_filesize(self) -> int:
        getsize = getattr(self._state.store, "getsize", None)
        return int(getsize("")) if callable(getsize) else 0

    @property
    def name(self) -> str:
        return self._state.filename


class DatasetID(ObjectID):
    """A dataset's handle."""

    @property
    def shape(self) -> tuple | None:
        return self._obj.shape

    @property
    def rank(self) -> int:
        return self._obj.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._obj.dtype

    def get_type(self) -> TypeID:
        return type_for(self._obj.dtype)

    def get_space(self) -> spaces.SpaceID:
        dset = self._obj
        if dset.shape is None:
            return spaces.SpaceID(spaces.NULL)
        if dset.shape == ():
            return spaces.SpaceID(spaces.SCALAR)
        return spaces.SpaceID(spaces.SIMPLE, dset.shape, dset.maxshape)

    def get_create_plist(self) -> spaces.PropDCID:
        dset = self._obj
        plist = spaces.PropDCID()
        if dset.chunks is not None:
            plist.set_chunk(dset.chunks)
        else:
            plist.set_layout(spaces.CONTIGUOUS)
        if dset.fillvalue is not None:
            plist.set_fill_value(np.asarray(dset.fillvalue))
        opts = dset.compression_opts
        for fid in dset.filter_ids:
            if fid == spaces.FILTER_DEFLATE:
                plist.set_deflate(int(opts) if isinstance(opts, (int, np.integer)) else 4)
            elif fid == spaces.FILTER_SHUFFLE:
                plist.set_shuffle()
            elif fid == spaces.FILTER_FLETCHER32:
                plist.set_fletcher32()
            else:
                plist.set_filter(fid, 0, opts if isinstance(opts, tuple) else ())
        plist.set_attr_creation_order(self._order_flags())
        return plist

    def get_storage_size(self) -> int:
        """Bytes the chunks take in the store (metadata documents not counted); chunks held in the
        chunk cache are written back first, since HDF5 counts every chunk written."""
        self._obj.flush()
        store = self._state.store
        total = int(self._obj._arr.nbytes_stored)
        for doc in (".zarray", ".zattrs", "zarr.json"):
            key = prefix(self._path) + doc
            if key in store:
                total -= len(store[key])
        return max(total, 0)

    def extend(self, shape: Any) -> None:
        """Grow to at least ``shape`` (HDF5's H5Dextend never shrinks an axis)."""
        current = self._obj.shape
        new = tuple(max(int(n), c) for n, c in zip(shape, current))
        if new != current:
            self._obj.resize(new)

    def set_extent(self, shape: Any) -> None:
        self._obj.resize(tuple(shape))

    def write(self, mspace: Any, fspace: Any, arr: Any, mtype: Any = None, dxpl: Any = None) -> None:
        """Write ``arr`` to the whole dataset (the only selection clients pass here is h5s.ALL)."""
        _whole(mspace, fspace)
        value = np.asarray(arr)
        if isinstance(mtype, TypeID) and mtype.dtype.kind == "S" and value.dtype.kind == "S":
            value = value.astype(mtype.dtype)
        self._obj[()] = value

    def read(self, mspace: Any, fspace: Any, arr: np.ndarray, mtype: Any = None, dxpl: Any = None) -> None:
        _whole(mspace, fspace)
        arr[...] = self._obj[()]

    def flush(self) -> None:
        self._obj.flush()

    def refresh(self) -> None:
        self._obj.refresh()


def _whole(mspace: Any, fspace: Any) -> None:
    for space in (mspace, fspace):
        if space is not spaces.ALL and space is not None:
            raise NotImplementedError("zarr5's DatasetID.read/write take h5s.ALL selections; use "
                                      "dset[selection] for parts of a dataset")


def handle_for(obj: Any) -> Any:
    """The ``.id`` of a File, Group, Dataset or Datatype."""
    kind = obj._kind
    if kind == "datatype":
        obj._state.check_open()
        return type_for(obj.dtype, committed=obj)
    if kind == "dataset":
        return DatasetID(obj)
    if obj._path == "" and getattr(obj._state, "file", None) is obj:
        return FileID(obj)
    return GroupID(obj)


def object_of(handle: Any) -> Any:
    """The high-level object a handle stands for (what h5py's ``h5i``-based lookups give)."""
    if isinstance(handle, ObjectID):
        handle._state.check_open()
        return handle._obj
    if isinstance(handle, TypeID) and handle._committed is not None:
        return handle._committed
    raise TypeError(f"expected a zarr5 object handle (obj.id), not {type(handle).__name__}")
