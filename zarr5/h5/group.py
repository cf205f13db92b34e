"""Group: h5py's Group over a Zarr group (members, links, creation order, visiting, copy, move)."""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterator, KeysView, MutableMapping, ValuesView
from typing import Any, NamedTuple, cast

import numpy as np

from zarr5.core import Group as CoreGroup
from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.core.hierarchy import init_group, may_hold_keys
from zarr5.core.paths import join
from zarr5.h5 import copier
from zarr5.h5.base import (
    R_DATATYPE,
    R_ORDER,
    R_TRACK,
    CopyExistsError,
    FileState,
    InvalidIdentifierKeyError,
    NameExistsError,
    NameExistsKeyError,
    NoWriteIntentKeyError,
    name_str,
    open_node,
    split,
)
from zarr5.h5.dataset import Dataset
from zarr5.h5.dtypes import decode_h5_dtype, encode_h5_dtype
from zarr5.h5.h5config import get_config
from zarr5.h5.links import (
    ExternalLink,
    HardLink,
    SoftLink,
    get_links,
    link_from_record,
    link_record,
    links_in,
    set_link,
    walk_links,
    walk_objects,
)
from zarr5.h5.newdset import make_dataset
from zarr5.h5.objects import FacadeMeta, HLObject
from zarr5.h5.refs import Reference
from zarr5.h5.resolve import Found, lookup
from zarr5.hdf5lib import is_real_h5py_object

__all__ = ["Datatype", "Group", "FacadeMeta"]


class _View:
    def __init__(self, group: Group) -> None:
        self._group = group
        self._mapping = group  # what collections.abc's views (and their repr) use

    def __len__(self) -> int:
        return len(self._group)


class KeysViewHDF5(_View, KeysView):
    def __iter__(self) -> Iterator[str]:
        return iter(self._group._names())

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._group._names())

    def __contains__(self, name: object) -> bool:
        return name in self._group

    def __str__(self) -> str:
        return f"<KeysViewHDF5 {list(self)}>"

    __repr__ = __str__


class ValuesViewHDF5(_View, ValuesView):
    def __iter__(self) -> Iterator[Any]:
        return (self._group.get(n) for n in self._group._names())

    def __reversed__(self) -> Iterator[Any]:
        return (self._group.get(n) for n in reversed(self._group._names()))

    def __contains__(self, value: object) -> bool:
        return any(v == value for v in self)


class ItemsViewHDF5(_View, ItemsView):
    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return ((n, self._group.get(n)) for n in self._group._names())

    def __reversed__(self) -> Iterator[tuple[str, Any]]:
        return ((n, self._group.get(n)) for n in reversed(self._group._names()))

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2 or item[0] not in self._group:
            return False
        return self._group.get(item[0]) == item[1]


def _found_object(found: Found) -> Any:
    return found.foreign if found.foreign is not None else open_node(found.state, found.path, found.kind)


class Group(HLObject, MutableMapping, metaclass=FacadeMeta):
    """An HDF5-style group over a Zarr group; also a MutableMapping of its members."""

    _kind = "group"
    _foreign = CoreGroup
    _h5py_twin = "Group"

    def __init__(self, state: FileState, path: str) -> None:
        super().__init__(state, path)

    # ---------------------------------------------------------------- members
    def _names(self) -> list[str]:
        """Member names in this group's order (creation order when tracked, else by name)."""
        state = self._state
        state.check_open()
        store = state.store
        attrs = state.attrs(self._path)
        names = [n for n in store.listdir(self._path)
                 if not n.startswith(RESERVED_PREFIX) and state.kind(join(self._path, n)) is not None]
        links = attrs.get_reserved("_zarr5_links") or {}
        names = sorted(set(names) | set(links))
        if attrs.get_reserved(R_TRACK):
            order = attrs.get_reserved(R_ORDER) or []
            present = set(names)
            known = [n for n in order if n in present]
            names = known + [n for n in names if n not in set(known)]
        return names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def keys(self) -> KeysViewHDF5:
        return KeysViewHDF5(self)

    def values(self) -> ValuesViewHDF5:
        return ValuesViewHDF5(self)

    def items(self) -> ItemsViewHDF5:
        return ItemsViewHDF5(self)

    def __contains__(self, name: object) -> bool:
        if not self._state.open:
            return False
        try:
            name = name_str(name)
        except TypeError:
            return False
        if name == "":
            return False
        try:
            lookup(self._state, self._path, name, follow_last=False)
        except (KeyError, ValueError):
            return False
        return True

    def _lookup(self, name: Any, follow_last: bool = True, elink_mode: str | None = None) -> Found:
        if isinstance(name, Reference):
            return Found(self._state, name._deref_path(self._state))
        name = name_str(name)
        if not self._state.open:
            raise InvalidIdentifierKeyError("Unable to open object (invalid identifier: the file is closed)")
        if name == "":
            raise ValueError("Empty names are not allowed")
        return lookup(self._state, self._path, name, follow_last=follow_last, elink_mode=elink_mode)

    def __getitem__(self, name: Any) -> Any:
        found = self._lookup(name)
        obj = _found_object(found)
        if found.foreign is None and found.state is self._state and isinstance(name, (str, bytes)):
            # HDF5 names an object by the path it was opened through, soft links included
            requested = self._resolve_name(name_str(name))
            if requested != found.path:
                obj._display = "/" + requested
        return obj

    def get(self, name: Any, default: Any = None, getclass: bool = False, getlink: bool = False,
            **elink: Any) -> Any:
        """h5py's get: the object (or its class, or its link, or the link's class), else ``default``."""
        elink_mode = elink.get("elink_mode")
        if not getlink:
            try:
                found = self._lookup(name, elink_mode=elink_mode)
            except KeyError:
                return default
            obj = _found_object(found)
            if getclass:
                return type(obj) if not isinstance(obj, HLObject) else _public_class(obj)
            return obj
        try:
            found = self._lookup(name, follow_last=False)
        except KeyError:
            return default
        link = HardLink() if found.record is None else link_from_record(found.record)
        return type(link) if getclass else link

    # ---------------------------------------------------------------- creating
    def _check_writable(self, what: str) -> None:
        self._state.check_writable(what)

    def _prepare(self, name: Any, what: str) -> tuple[FileState, str, str]:
        """Resolve the parent of ``name`` (creating missing groups) -> (state, parent path, leaf)."""
        found = self._prepare_child(name, what)
        return found.state, found.parent, found.leaf

    def _prepare_child(self, name: Any, what: str) -> _NewChild:
        """:meth:`_prepare`, also returning what it learnt of the parent (its format and attributes),
        so the caller probes the parent no more."""
        self._check_writable(what)
        name = name_str(name)
        absolute, parts = split(name)
        if not parts:
            raise NameExistsError(f"Unable to {what} (name already exists: {name!r})")  # h5py's words
        state, cur = self._state, "" if absolute else self._path
        for part in parts[:-1]:
            found = lookup(state, cur, part) if _exists(state, cur, part) else None
            if found is None:
                init_group(state.store, path=join(cur, part), zarr_format=state.format_of(cur))
                record_created(state, cur, part)
                cur = join(cur, part)
                continue
            if found.state.kind(found.path) != "group":
                raise ValueError(f"Unable to {what} ({part!r} in {name!r} is not a group)")
            state, cur = found.state, found.path
            state.check_writable(what)
        leaf = parts[-1]
        # the parent is probed once: its format and attributes serve the rest of the creation
        node, attrs = state.probe_parent(cur)
        child = join(cur, leaf)  # checks the name (no '..', backslash or NUL)
        vacant = not may_hold_keys(state.store, child)  # nothing at all stored under the name
        if (not vacant and state.kind(child) is not None) or leaf in links_in(attrs):
            raise NameExistsError(f"Unable to {what} (name already exists: {name!r})")  # h5py's words
        return _NewChild(state, cur, leaf, child, node[0] if node is not None else state.zarr_format, attrs,
                         vacant, node is not None and node[1] == "group")

    def create_group(self, name: Any, track_order: bool | None = None) -> Group:
        """Create a group (and any missing intermediate groups); ValueError if ``name`` exists."""
        if name is None:
            name = _anonymous_name()
        state, parent, leaf = self._prepare(name, "create group")
        path = join(parent, leaf)
        init_group(state.store, path=path, zarr_format=state.format_of(parent))
        if track_order if track_order is not None else get_config().track_order:  # h5py's default
            state.attrs(path).set_reserved({R_TRACK: True})
        record_created(state, parent, leaf)
        return Group(state, path)

    def require_group(self, name: Any) -> Group:
        if name not in self:
            return self.create_group(name)
        obj = self[name]
        if not isinstance(obj, Group) or not isinstance(obj, HLObject):
            raise TypeError(f"Incompatible object ({type(obj).__name__}) already exists")
        return obj

    def create_dataset(self, name: Any, shape: Any = None, dtype: Any = None, data: Any = None,
                       **kwds: Any) -> Any:
        """Create a dataset; see docs/porting-from-h5py.md for how each keyword is stored."""
        if name is None:
            name = _anonymous_name()
        new = self._prepare_child(name, "create dataset")
        # the name was just found free under an existing group: the creation checks neither again
        dset = make_dataset(new.state, new.path, shape, dtype, data,
                            _parent=(new.zarr_format, new.vacant, new.in_group), **kwds)
        # the parent's attributes, read once by _prepare_child (nothing wrote them since)
        record_created(new.state, new.parent, new.leaf, attrs=new.attrs)
        return dset

    def require_dataset(self, name: Any, shape: Any, dtype: Any, exact: bool = False, **kwds: Any) -> Any:
        """Open ``name`` if it matches ``shape`` / ``dtype`` (h5py's rules), else create it."""
        if name not in self:
            return self.create_dataset(name, shape, dtype, **kwds)
        if isinstance(shape, (int, np.integer)):
            shape = (int(shape),)
        dset = self[name]
        if not isinstance(dset, Dataset) or not isinstance(dset, HLObject):
            raise TypeError(f"Incompatible object ({type(dset).__name__}) already exists")
        if shape is not None and tuple(shape) != dset.shape:
            if "maxshape" not in kwds:
                raise TypeError(f"Shapes do not match (existing {dset.shape} vs new {shape})")
            maxshape = kwds["maxshape"]
            maxshape = (maxshape,) if isinstance(maxshape, int) or maxshape is None else tuple(maxshape)
            if maxshape != dset.maxshape:
                raise TypeError(f"Max shapes do not match (existing {dset.maxshape} vs new {maxshape})")
        dtype = np.dtype(cast(Any, dtype).dtype) if isinstance(dtype, HLObject) else np.dtype(dtype)
        if exact:
            if dtype != dset.dtype:
                raise TypeError(f"Datatypes do not exactly match (existing {dset.dtype} vs new {dtype})")
        elif not np.can_cast(dtype, dset.dtype):
            raise TypeError(f"Datatypes cannot be safely cast (existing {dset.dtype} vs new {dtype})")
        return dset

    def create_dataset_like(self, name: Any, other: Any, **kwupdate: Any) -> Any:
        for k in ("shape", "dtype", "chunks", "compression", "compression_opts", "scaleoffset", "shuffle",
                  "fletcher32", "fillvalue"):
            kwupdate.setdefault(k, getattr(other, k))
        if other.maxshape != other.shape:
            kwupdate.setdefault("maxshape", other.maxshape)
        return self.create_dataset(name, **kwupdate)

    def __setitem__(self, name: Any, obj: Any) -> None:
        """Links (SoftLink, ExternalLink), hard links to existing objects, named types, or new datasets."""
        if isinstance(obj, (SoftLink, ExternalLink)):
            state, parent, leaf = self._prepare(name, "create link")
            set_link(state, parent, leaf, link_record(obj))
            record_created(state, parent, leaf)
        elif isinstance(obj, HLObject):
            state, parent, leaf = self._prepare(name, "create link")
            if obj._state.store is not state.store and obj._state.store != state.store:
                raise ValueError("Unable to create link (interfile hard links are not allowed)")
            set_link(state, parent, leaf, link_record(SoftLink("/" + obj._path), hard_path="/" + obj._path))
            record_created(state, parent, leaf)
        elif isinstance(obj, np.dtype):
            try:
                state, parent, leaf = self._prepare(name, "commit datatype")
            except NameExistsError as e:
                raise NameExistsKeyError(str(e)) from None
            path = join(parent, leaf)
            init_group(state.store, path=path, zarr_format=state.format_of(parent))
            state.attrs(path).set_reserved({R_DATATYPE: encode_h5_dtype(obj)})
            record_created(state, parent, leaf)
        else:
            self.create_dataset(name, data=obj)

    def __delitem__(self, name: Any) -> None:
        if self._state.open and self._state.read_only:
            raise NoWriteIntentKeyError(f"Couldn't delete link {name!r} (no write intent on file)")
        found = self._lookup(name, follow_last=False)
        state = found.state
        state.check_writable("delete link")
        if found.record is not None:
            set_link(state, found.holder, found.leaf, None)
            record_deleted(state, found.holder, found.leaf)
            return
        if not found.path:
            raise ValueError("Unable to delete the root group")
        parent, _, leaf = found.path.rpartition("/")
        del CoreGroup(state.store, parent)[leaf]
        state.chunk_cache.discard(found.path)  # cached chunks of what was deleted are never written back
        state.forget_arrays(found.path)
        record_deleted(state, parent, leaf)

    # ---------------------------------------------------------------- move and copy
    def move(self, source: Any, dest: Any) -> None:
        """Move the link ``source`` to ``dest`` within this file (intermediate groups are created)."""
        source, dest = name_str(source), name_str(dest)
        if self._resolve_name(source) == self._resolve_name(dest):
            return
        found = self._lookup(source, follow_last=False)
        if found.state is not self._state:
            raise ValueError("Unable to move object (source lies in another file)")
        state, parent, leaf = self._prepare(dest, "move object")
        if found.record is not None:
            set_link(state, parent, leaf, found.record)
            set_link(state, found.holder, found.leaf, None)
            record_deleted(state, found.holder, found.leaf)
        else:
            src_parent, _, src_leaf = found.path.rpartition("/")
            state.chunk_cache.flush(found.path)  # the store's keys move: cached writes go with them
            state.chunk_cache.discard(found.path)
            state.forget_arrays(found.path)
            CoreGroup(state.store, "").move("/" + found.path, "/" + join(parent, leaf))
            record_deleted(state, src_parent, src_leaf)
        record_created(state, parent, leaf)

    def _resolve_name(self, name: str) -> str:
        absolute, parts = split(name)
        base = [] if absolute else [p for p in self._path.split("/") if p]
        return "/".join(base + parts)

    def copy(self, source: Any, dest: Any, name: Any = None, shallow: bool = False,
             expand_soft: bool = False, expand_external: bool = False, expand_refs: bool = False,
             without_attrs: bool = False) -> None:
        """Copy an object (path or object) to ``dest`` (path, or group), within or across files."""
        if any(is_real_h5py_object(x) for x in (source, dest)):
            # h5py's own objects (a real HDF5 file) pass the isinstance checks below but have no store
            raise TypeError("Group.copy copies between zarr stores; to copy to or from an HDF5 file opened "
                            "by h5py, use zarr5.copy(source, dest_group)")
        if isinstance(source, HLObject):
            src_state, src_path = source._state, source._path
        else:
            found = self._lookup(source)
            if found.foreign is not None:
                raise TypeError("copying out of an HDF5 file reached through an external link is not "
                                "supported; open it with h5py")
            src_state, src_path = found.state, found.path
        if isinstance(dest, Group):
            base = dest
            leaf = name_str(name) if name is not None else (src_path.rsplit("/", 1)[-1] or None)
            if leaf is None:
                raise ValueError("a name is needed to copy the root group into a group")
        else:
            base = self
            leaf = name_str(dest if name is None else name) if name is None else f"{name_str(dest)}/{name}"
        if leaf in base:
            raise CopyExistsError(f"Unable to copy object (destination object {leaf!r} already exists)")
        state, parent, last = base._prepare(leaf, "copy object")
        src_state.chunk_cache.flush(src_path)  # the copy may read the source's stored chunks directly
        copier.copy_node(src_state, src_path, state, join(parent, last),
                          shallow=shallow, expand_soft=expand_soft, expand_external=expand_external,
                          without_attrs=without_attrs)
        record_created(state, parent, last)
        if expand_refs:
            root = Group(state, "")

            def target_path() -> str:
                # a referenced object outside the copied tree is copied once, to the root of the
                # destination under a name like the one HDF5 gives it
                n = 1
                while f"~obj_pointed_by_{n}" in root:
                    n += 1
                record_created(state, "", f"~obj_pointed_by_{n}")  # its place in a tracked order
                return f"~obj_pointed_by_{n}"

            copier.expand_references(src_state, src_path, state, join(parent, last), target_path)

    # ---------------------------------------------------------------- visiting
    def visit(self, func: Callable[[str], Any]) -> Any:
        """Call ``func(name)`` for every object below this group, depth first in name order."""
        for name, _, _ in walk_objects(self._state, self._path):
            result = func(name)  # names only: no object is opened
            if result is not None:
                return result
        return None

    def visititems(self, func: Callable[[str, Any], Any]) -> Any:
        """Call ``func(name, obj)`` for every object below; a non-None result stops and is returned."""
        for name, path, kind in walk_objects(self._state, self._path):
            result = func(name, open_node(self._state, path, kind))
            if result is not None:
                return result
        return None

    def visit_links(self, func: Callable[[str], Any]) -> Any:
        return self.visititems_links(lambda name, link: func(name))

    def visititems_links(self, func: Callable[[str, Any], Any]) -> Any:
        """Call ``func(name, link)`` for every link below this group (links are not followed)."""
        for name, link in walk_links(self._state, self._path):
            result = func(name, link)
            if result is not None:
                return result
        return None

    # ---------------------------------------------------------------- misc
    def __repr__(self) -> str:
        if not self._state.open:
            return "<Closed HDF5 group>"
        return f'<HDF5 group "{self.name}" ({len(self)} members)>'

    def _ipython_key_completions_(self) -> list[str]:
        return list(self._names())

    def __hash__(self) -> int:
        return HLObject.__hash__(self)

    __eq__ = HLObject.__eq__
    __ne__ = HLObject.__ne__

    @property
    def track_order(self) -> bool:
        return bool(self._state.attrs(self._path).get_reserved(R_TRACK))

    def build_virtual_dataset(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("virtual datasets have no Zarr v2 equivalent")


def _anonymous_name() -> str:
    # zarr has no unlinked nodes: anonymous objects live under a reserved, hidden group
    return f"/{RESERVED_PREFIX}anonymous/{np.random.default_rng().integers(2 ** 62):x}"


def _public_class(obj: HLObject) -> type:
    for cls in (Dataset, Datatype, Group):
        if isinstance(obj, cls):
            return cls
    return type(obj)


class _NewChild(NamedTuple):
    """Where a new object goes: the file and group holding it, its name, and what was learnt of the
    group on the way (its format, its attributes with their document read at most once)."""

    state: FileState
    parent: str
    leaf: str
    path: str  # parent/leaf
    zarr_format: int
    attrs: Any
    vacant: bool  # nothing is stored under the new name (no stale document to read or clear)
    in_group: bool  # the parent was found a stored group (not one deleted behind this handle)


def _exists(state: FileState, cur: str, part: str) -> bool:
    try:
        child = join(cur, part)
    except ValueError:
        return False
    # a name about to be created usually has nothing stored under it: one cheap check, not four probes
    if may_hold_keys(state.store, child) and state.kind(child) is not None:
        return True
    return part in get_links(state, cur)


def record_created(state: FileState, parent: str, leaf: str, zarr_format: int | None = None,
                   attrs: Any = None) -> None:
    """Append ``leaf`` to the creation order of ``parent`` when that group tracks it (``zarr_format``:
    the group's, when the caller knows it; ``attrs``: the group's attributes, when at hand)."""
    if attrs is None:
        attrs = state.attrs(parent, zarr_format)
    if attrs.get_reserved(R_TRACK):
        order = [n for n in attrs.get_reserved(R_ORDER) or [] if n != leaf]
        attrs.set_reserved({R_ORDER: order + [leaf]})


def record_deleted(state: FileState, parent: str, leaf: str) -> None:
    attrs = state.attrs(parent)
    order = attrs.get_reserved(R_ORDER)
    if order and leaf in order:
        attrs.set_reserved({R_ORDER: [n for n in order if n != leaf]})


class Datatype(HLObject):
    """A named (committed) datatype: a Zarr group holding the dtype in a reserved attribute."""

    _kind = "datatype"

    @property
    def dtype(self) -> np.dtype:
        return decode_h5_dtype(self._state.attrs(self._path).get_reserved(R_DATATYPE))

    def __repr__(self) -> str:
        if not self._state.open:
            return "<Closed HDF5 named type>"
        return f'<HDF5 named type "{self._path.rsplit("/", 1)[-1]}" (dtype {self.dtype.str})>'
