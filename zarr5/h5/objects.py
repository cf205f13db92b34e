"""HLObject, the base of File, Group, Dataset and Datatype, and FacadeMeta, their classes' metaclass.

Also the seam zarr5's other packages (copying) use under a facade object: the facade classes keep
h5py's public names only, so the engine beneath them is reached through ``file_state``, ``node_path``
and ``node_attributes`` here (and ``engine_array`` in dataset.py).
"""

from __future__ import annotations

import posixpath
from abc import ABCMeta
from typing import Any

from zarr5.core.attributes import RESERVED_PREFIX, Attributes
from zarr5.h5.attrs import AttributeManager
from zarr5.h5.base import FileState, _reopen, display, open_node
from zarr5.h5.ids import handle_for
from zarr5.h5.refs import Reference, RegionProxy
from zarr5.hdf5lib import loaded_real_h5py
from zarr5.storage import Store

__all__ = ["FacadeMeta", "HLObject", "file_state", "node_attributes", "node_path"]


class FacadeMeta(ABCMeta):
    """Metaclass of the facade's Group and Dataset.

    ``isinstance(x, zarr5.Group)`` also accepts the zarr vocabulary's groups (``_foreign``), and
    ``zarr5.Group(store, ...)`` called the zarr-2 way builds one, as zarr-2 code expects.
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], FileState):
            return super().__call__(*args, **kwargs)
        foreign = cls.__dict__.get("_foreign")
        if foreign is not None:
            return foreign(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    def __instancecheck__(cls, obj: Any) -> bool:
        if super().__instancecheck__(obj):
            return True
        foreign = cls.__dict__.get("_foreign")
        if foreign is not None and isinstance(obj, foreign):
            return True
        return _is_h5py_twin(cls, obj)


# zarr5.File can hand back h5py's own objects (a real HDF5 file), so a ported program's
# isinstance(obj, h5py.Dataset) -- now zarr5.Dataset -- must accept them too. Each facade class names
# its twin in its own ``_h5py_twin`` (not by module name: binding as h5py changes ``__module__``)


def _is_h5py_twin(cls: type, obj: Any) -> bool:
    twin = cls.__dict__.get("_h5py_twin")
    h5py = loaded_real_h5py()  # an h5py object can only exist once the real h5py is imported
    return twin is not None and h5py is not None and isinstance(obj, getattr(h5py, twin))


class HLObject:
    """Base of File, Group, Dataset and Datatype: a path in an open file."""

    _kind = "object"

    def __init__(self, state: FileState, path: str) -> None:
        self._state = state
        self._path = path
        self._display: str | None = None  # the name it was opened by, when that was a soft link

    def _zarr_format_hint(self) -> int | None:
        """The Zarr format of this node when known without probing the store (else None)."""
        return None

    @property
    def _store(self) -> Store:
        self._state.check_open()
        return self._state.store

    @property
    def _anonymous(self) -> bool:
        return self._path.startswith(RESERVED_PREFIX)

    @property
    def name(self) -> str | None:
        if self._anonymous:
            return None
        return self._display or display(self._path)

    @property
    def file(self) -> Any:
        self._state.check_open()
        return self._state.file

    @property
    def parent(self) -> Any:
        self._state.check_open()
        if self._anonymous:
            raise ValueError("Parent of an anonymous object is undefined")
        return open_node(self._state, posixpath.dirname("/" + self._path).lstrip("/"), "group")

    @property
    def attrs(self) -> Any:
        self._state.check_open()
        return AttributeManager(self)

    @property
    def ref(self) -> Any:
        return Reference(self._state.store, self._path)

    @property
    def regionref(self) -> Any:
        """``dset.regionref[selection]`` makes a region reference (datasets only, as in h5py)."""
        return RegionProxy(self)

    @property
    def id(self) -> Any:
        """The object's handle: hashable identity, ``.valid``, and the low-level calls clients make."""
        return handle_for(self)

    @property
    def _id(self) -> Any:
        return self.id  # h5py's private spelling, which some clients (h5netcdf) use

    def __reduce__(self) -> Any:
        # a File is a handle on an open file and refuses, as h5py's does; datasets and groups travel
        # to other processes (dask workers) as their store and path, never their data
        if self._kind not in ("dataset", "group") or type(self).__name__ == "File":
            raise TypeError(f"{type(self).__name__} objects cannot be pickled: they are handles on an open "
                            f"file; pickle the path instead")
        self._state.check_open()
        state = self._state
        return (_reopen, (self._kind, state.store, state.filename, state.read_only, self._path))

    def __bool__(self) -> bool:
        return self._state.open

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HLObject):
            return NotImplemented
        return (self._state.store is other._state.store or self._state.store == other._state.store) \
            and self._path == other._path and self._kind == other._kind

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash((id(self._state.store), self._path))


# The seam other zarr5 packages (copying) use under a facade object: the facade classes keep h5py's
# public names only, so the engine beneath them is reached through these functions.
def file_state(obj: HLObject) -> FileState:
    """The open file ``obj`` belongs to: its store, mode, chunk cache and each node's attributes."""
    return obj._state


def node_path(obj: HLObject) -> str:
    """The store path of the node ``obj`` stands for: '' for the root group, no leading '/'."""
    return obj._path


def node_attributes(obj: HLObject) -> Attributes:
    """The stored attributes of ``obj``'s node, zarr5's reserved names included (``get_reserved``)."""
    return obj._state.attrs(obj._path)
