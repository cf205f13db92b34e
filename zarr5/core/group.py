"""Group: a node holding arrays and other groups (the zarr-2 vocabulary)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, Literal, overload

from zarr5.core import paths
from zarr5.core.array import Array
from zarr5.core.creation import array_from_data, create_array, like_kwargs
from zarr5.core.hierarchy import contains_array, contains_group, init_group, node_format
from zarr5.core.info import group_info_items
from zarr5.core.metacache import decode_v2
from zarr5.core.node import Node
from zarr5.core.tree import TreeViewer
from zarr5.errors import (
    ContainsArrayError,
    ContainsGroupError,
    GroupNotFoundError,
    InvalidKeyError,
    ReadOnlyError,
)
from zarr5.metadata.v2 import GroupMetadata
from zarr5.storage import Store, normalize_path
from zarr5.storage.resolve import normalize_store_arg


class Group(Node, MutableMapping):
    """A Zarr group at ``path`` in ``store``; members are arrays and groups under it.

    A group is a mutable mapping of member names to arrays and groups, as in zarr 2: ``pop``,
    ``popitem``, ``setdefault``, ``update`` and ``clear`` work and delete or create members.
    """

    # the classes of the members it opens and creates (a vocabulary's subclass names its own)
    _array_class: type[Array] = Array

    def _group_class(self) -> type[Group]:
        return Group

    def __init__(self, store: Store, path: str | None = None, read_only: bool = False,
                 chunk_store: Store | None = None, cache_attrs: bool = True, synchronizer: Any = None,
                 zarr_version: int | None = None, meta_array: Any = None, *,
                 allow_pickle: bool | None = None) -> None:
        # a plain mapping (a dict) or a path is made a store, as zarr 2 does; a Store is taken as it is
        self._store = store if isinstance(store, Store) else normalize_store_arg(store)
        self._chunk_store = (chunk_store if chunk_store is None or isinstance(chunk_store, Store)
                             else normalize_store_arg(chunk_store))
        self._path = normalize_path(path)
        self._read_only = bool(read_only)
        self._synchronizer = synchronizer
        self._cache_attrs = cache_attrs
        self._allow_pickle = allow_pickle
        node = node_format(store, self._path)
        if node is None or node[1] != "group":
            if node is not None:
                raise ContainsArrayError(self._path)
            raise GroupNotFoundError(self._path)
        self._zarr_format = node[0]
        if node[0] == 2:
            # a group opens only on a valid .zgroup: a malformed one is an error naming its key
            key = paths.prefix(self._path) + paths.GROUP_KEY
            GroupMetadata.decode(store[key], key)
        self._init_attrs(node[0], cache_attrs)

    # identity (store, chunk_store, path, read_only, synchronizer, attrs, info come from Node)
    @property
    def name(self) -> str:
        return paths.display_name(self._path)

    @property
    def basename(self) -> str:
        return paths.basename(self._path)

    def info_items(self) -> list[tuple[str, str]]:
        return group_info_items(self)

    def __repr__(self) -> str:
        ro = " read-only" if self._read_only else ""
        return f"<zarr5.hierarchy.Group {self.name!r}{ro}>"

    def __eq__(self, other: object) -> bool:
        return self._same_node(other)

    __hash__ = Node.__hash__

    def __getstate__(self) -> tuple:
        return (self._store, self._path, self._read_only, self._chunk_store, self._cache_attrs,
                self._synchronizer, self._allow_pickle)

    def __setstate__(self, state: tuple) -> None:
        store, path, read_only, chunk_store, cache_attrs, synchronizer, allow_pickle = state
        type(self).__init__(self, store, path, read_only, chunk_store, cache_attrs, synchronizer,
                            allow_pickle=allow_pickle)

    def __enter__(self) -> Group:
        return self

    def __exit__(self, *exc: object) -> None:
        close = getattr(self._store, "close", None)
        if close is not None:
            close()

    # members
    def _member_path(self, item: Any) -> str:
        return paths.resolve(self._path, item)

    @overload
    def _open_node(self, path: str, kind: Literal["array"], document: bytes | None = None) -> Array: ...
    @overload
    def _open_node(self, path: str, kind: Literal["group"], document: bytes | None = None) -> Group: ...
    @overload
    def _open_node(self, path: str, kind: str | None = None,
                   document: bytes | None = None) -> Array | Group: ...

    def _open_node(self, path: str, kind: str | None = None, document: bytes | None = None) -> Array | Group:
        """Open the member at ``path``; ``kind`` ('array' / 'group'), when a listing already told it,
        saves probing the store again, and ``document`` (its .zarray, already read) reading it again."""
        if kind == "array" or (kind is None and contains_array(self._store, path)):
            known = None
            if document is not None:
                key = paths.prefix(path) + paths.ARRAY_KEY
                known = (decode_v2(document, key), document, key)
            return self._array_class(self._store, path, read_only=self._read_only,
                                     chunk_store=self._chunk_store, synchronizer=self._synchronizer,
                                     cache_attrs=self._cache_attrs, allow_pickle=self._allow_pickle,
                                     _known=known)
        if kind == "group" or (kind is None and contains_group(self._store, path)):
            return self._group_class()(self._store, path, read_only=self._read_only,
                                       chunk_store=self._chunk_store, cache_attrs=self._cache_attrs,
                                       synchronizer=self._synchronizer, allow_pickle=self._allow_pickle)
        raise KeyError(path)

    def __getitem__(self, item: str) -> Array | Group:
        path = self._member_path(item)
        try:
            return self._open_node(path)
        except KeyError:
            raise KeyError(item) from None

    def get(self, item: str, default: Any = None) -> Any:
        try:
            return self[item]
        except KeyError:
            return default

    def __contains__(self, item: object) -> bool:
        try:
            path = self._member_path(item)
        except (ValueError, UnicodeDecodeError):
            return False
        return contains_array(self._store, path) or contains_group(self._store, path)

    def __setitem__(self, item: str, value: Any) -> None:
        self.array(item, value, overwrite=True)

    def __delitem__(self, item: str) -> None:
        self._check_writable()
        path = self._member_path(item)
        if item not in self:
            raise KeyError(item)
        self._store.rmdir(path)
        if self._chunk_store is not None and self._chunk_store is not self._store:
            self._chunk_store.rmdir(path)

    def __getattr__(self, name: str) -> Any:
        # attribute-style access to members, e.g. root.foo; never for private names
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except (KeyError, InvalidKeyError):
            # only "no such member" becomes AttributeError; a corrupt or refused member keeps its error
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {k for k in self.keys() if k.isidentifier()})

    # IPython asks for rich reprs: answering None at once spares a member lookup in the store per format
    def _repr_html_(self) -> None:
        return None

    _repr_json_ = _repr_javascript_ = _repr_markdown_ = _repr_svg_ = _repr_png_ = _repr_html_
    _repr_jpeg_ = _repr_latex_ = _repr_pdf_ = _repr_html_

    def _repr_mimebundle_(self, **kwargs: Any) -> None:
        return None

    def _ipython_key_completions_(self) -> list[str]:
        return sorted(self)

    def _child_names(self) -> list[str]:
        return sorted(self._store.listdir(self._path))

    def _members(self) -> Iterator[tuple[str, str]]:
        """Yield (name, 'array' | 'group') for each member, in name order."""
        for name in self._child_names():
            path = paths.join(self._path, name)
            if contains_array(self._store, path):
                yield name, "array"
            elif contains_group(self._store, path):
                yield name, "group"

    def _member_nodes(self, kinds: tuple[str, ...] = ("array", "group")) -> Iterator[tuple[str, str, Any]]:
        """Yield (name, kind, node) for each member of one of ``kinds``, in name order. A member's
        .zarray is read at once instead of probed first: one store access, not two, per array."""
        for name in self._child_names():
            path = paths.join(self._path, name)
            try:
                document = self._store[paths.prefix(path) + paths.ARRAY_KEY]
            except KeyError:
                document = None
            if document is not None:
                if "array" in kinds:
                    yield name, "array", self._open_node(path, "array", document)
            elif contains_array(self._store, path):
                if "array" in kinds:
                    yield name, "array", self._open_node(path, "array")
            elif "group" in kinds and contains_group(self._store, path):
                yield name, "group", self._open_node(path, "group")

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._members())

    def __len__(self) -> int:
        return sum(1 for _ in self._members())

    # iterators, not Mapping's views, as zarr 2 returns them: a view's len() would list the store again
    def keys(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self)

    def values(self) -> Iterator[Array | Group]:  # type: ignore[override]
        return (node for _, _, node in self._member_nodes())

    def items(self) -> Iterator[tuple[str, Array | Group]]:  # type: ignore[override]
        return ((name, node) for name, _, node in self._member_nodes())

    def group_keys(self) -> Iterator[str]:
        return (name for name, kind in self._members() if kind == "group")

    def groups(self) -> Iterator[tuple[str, Group]]:
        return ((name, self._open_node(paths.join(self._path, name), "group")) for name in self.group_keys())

    def array_keys(self, recurse: bool = False) -> Iterator[str]:
        for name, kind in self._members():
            if kind == "array":
                yield name
            elif recurse:
                child = self[name]
                if isinstance(child, Group):
                    yield from child.array_keys(recurse=True)

    def arrays(self, recurse: bool = False) -> Iterator[tuple[str, Array]]:
        for name, kind, node in self._member_nodes(("array", "group") if recurse else ("array",)):
            if kind == "array":
                yield name, node
            else:
                yield from node.arrays(recurse=True)

    # traversal: names are relative to this group; a non-None return value stops the walk
    def visitvalues(self, func: Callable[[Any], Any]) -> Any:
        for _, obj in self._walk():
            result = func(obj)
            if result is not None:
                return result
        return None

    def visitkeys(self, func: Callable[[str], Any]) -> Any:
        return self.visit(func)

    def visit(self, func: Callable[[str], Any]) -> Any:
        for name, _ in self._walk(load=False):
            result = func(name)
            if result is not None:
                return result
        return None

    def visititems(self, func: Callable[[str, Any], Any]) -> Any:
        for name, obj in self._walk():
            result = func(name, obj)
            if result is not None:
                return result
        return None

    def _walk(self, load: bool = True) -> Iterator[tuple[str, Any]]:
        base = paths.prefix(self._path)

        def walk(path: str) -> Iterator[tuple[str, Any]]:
            for name in sorted(self._store.listdir(path)):
                child = paths.join(path, name)
                found = node_format(self._store, child)  # an array answers at the first probe
                if found is None:
                    continue
                is_group = found[1] == "group"
                node = self._open_node(child, found[1]) if load else None
                yield child[len(base):], node
                if is_group:
                    yield from walk(child)

        return walk(self._path)

    def tree(self, expand: bool = False, level: int | None = None) -> TreeViewer:
        return TreeViewer(self, expand=expand, level=level)

    # creating members
    def _check_writable(self) -> None:
        if self._read_only:
            raise ReadOnlyError(f"group {self.name!r} is read-only")

    def _group_kwargs(self) -> dict:
        return {"chunk_store": self._chunk_store, "cache_attrs": self._cache_attrs,
                "synchronizer": self._synchronizer, "allow_pickle": self._allow_pickle}

    def _members_lock(self) -> Any:
        # zarr 2 makes members under the lock of the group's own metadata key, so that processes
        # sharing a ProcessSynchronizer and requiring one name do not both try to create it
        if self._synchronizer is None:
            return contextlib.nullcontext()
        key = "zarr.json" if self._zarr_format == 3 else paths.GROUP_KEY
        return self._synchronizer[paths.prefix(self._path) + key]

    def create_group(self, name: str, overwrite: bool = False) -> Group:
        """Create a sub-group (and any missing intermediate groups)."""
        self._check_writable()
        path = self._member_path(name)
        with self._members_lock():
            init_group(self._store, path=path, overwrite=overwrite, chunk_store=self._chunk_store,
                       zarr_format=self._zarr_format)
        return self._group_class()(self._store, path, **self._group_kwargs())

    def create_groups(self, *names: str, **kwargs: Any) -> tuple[Group, ...]:
        return tuple(self.create_group(name, **kwargs) for name in names)

    def require_group(self, name: str, overwrite: bool = False) -> Group:
        """Return the sub-group ``name``, creating it if absent."""
        path = self._member_path(name)
        if overwrite or not contains_group(self._store, path):
            self._check_writable()
            with self._members_lock():  # checked again under the lock: another process may have made it
                if overwrite or not contains_group(self._store, path):
                    init_group(self._store, path=path, overwrite=overwrite, chunk_store=self._chunk_store,
                               zarr_format=self._zarr_format)
        return self._group_class()(self._store, path, read_only=self._read_only, **self._group_kwargs())

    def require_groups(self, *names: str) -> tuple[Group, ...]:
        return tuple(self.require_group(name) for name in names)

    @property
    def zarr_format(self) -> int:
        return self._zarr_format

    def _array_kwargs(self, kwargs: dict) -> dict:
        kwargs = dict(kwargs)
        # members are made in their group's format unless the caller asks otherwise
        kwargs.setdefault("zarr_format", kwargs.pop("zarr_version", None) or self._zarr_format)
        kwargs.setdefault("synchronizer", self._synchronizer)
        kwargs.setdefault("cache_attrs", self._cache_attrs)
        kwargs.setdefault("chunk_store", self._chunk_store)
        # members open as this group's vocabulary opens them
        kwargs.setdefault("array_class", self._array_class)
        kwargs.setdefault("allow_pickle", self._allow_pickle)
        return kwargs

    def _create(self, name: str, defaults: dict, kwargs: dict) -> Array:
        self._check_writable()
        merged = {**defaults, **self._array_kwargs(kwargs)}
        return create_array(self._store, path=self._member_path(name), **merged)

    def create_dataset(self, name: str, **kwargs: Any) -> Array:
        """Create an array; with ``data=`` it is filled from the data (h5py-compatible spelling)."""
        if kwargs.get("data") is not None:
            return self.array(name, kwargs.pop("data"), **kwargs)
        kwargs.pop("data", None)
        return self._create(name, {}, kwargs)

    def require_dataset(self, name: str, shape: Any, dtype: Any = None, exact: bool = False,
                        **kwargs: Any) -> Array:
        """Return the array ``name`` if it matches ``shape`` and ``dtype``, else create it."""
        import numpy as np

        from zarr5.metadata.chunks import normalize_shape
        from zarr5.metadata.dtypes import normalize_dtype

        path = self._member_path(name)
        if contains_array(self._store, path):
            a = self._open_node(path, "array")
            shape = normalize_shape(shape)
            if a.shape != shape:
                raise TypeError(f"shape do not match existing array; expected {a.shape}, got {shape}")
            want = normalize_dtype(dtype, kwargs.get("object_codec"))[0] if dtype is not None else a.dtype
            if exact and a.dtype != want:
                raise TypeError(f"dtypes do not match exactly; expected {a.dtype}, got {want}")
            if not exact and not np.can_cast(want, a.dtype):
                raise TypeError(f"dtypes ({want}, {a.dtype}) cannot be safely cast")
            return a
        if contains_group(self._store, path):
            raise ContainsGroupError(path)
        return self.create_dataset(name, shape=shape, dtype=dtype, **kwargs)

    def create(self, name: str, **kwargs: Any) -> Array:
        return self._create(name, {}, kwargs)

    def empty(self, name: str, **kwargs: Any) -> Array:
        return self._create(name, {"fill_value": None}, kwargs)

    def zeros(self, name: str, **kwargs: Any) -> Array:
        return self._create(name, {"fill_value": 0}, kwargs)

    def ones(self, name: str, **kwargs: Any) -> Array:
        return self._create(name, {"fill_value": 1}, kwargs)

    def full(self, name: str, fill_value: Any, **kwargs: Any) -> Array:
        return self._create(name, {"fill_value": fill_value}, kwargs)

    def array(self, name: str, data: Any, **kwargs: Any) -> Array:
        self._check_writable()
        return array_from_data(self._store, data, path=self._member_path(name), **self._array_kwargs(kwargs))

    def empty_like(self, name: str, data: Any, **kwargs: Any) -> Array:
        return self.empty(name, **like_kwargs(data, kwargs))

    def zeros_like(self, name: str, data: Any, **kwargs: Any) -> Array:
        return self.zeros(name, **like_kwargs(data, kwargs))

    def ones_like(self, name: str, data: Any, **kwargs: Any) -> Array:
        return self.ones(name, **like_kwargs(data, kwargs))

    def full_like(self, name: str, data: Any, **kwargs: Any) -> Array:
        kwargs = like_kwargs(data, kwargs)
        kwargs.setdefault("fill_value", getattr(data, "fill_value", None))
        return self.full(name, **kwargs)

    def move(self, source: str, dest: str) -> None:
        """Move member ``source`` to ``dest`` (both relative to this group, or absolute)."""
        self._check_writable()
        src = self._member_path(source)
        dst = self._member_path(dest)
        if not (contains_array(self._store, src) or contains_group(self._store, src)):
            raise ValueError(f"the source, {source!r}, does not exist")
        if contains_array(self._store, dst) or contains_group(self._store, dst):
            raise ValueError(f"the dest, {dest!r}, already exists")
        if "/" in dst:
            self.require_group("/" + paths.parent(dst))
        self._store.rename(src, dst)
        if self._chunk_store is not None and self._chunk_store is not self._store:
            self._chunk_store.rename(src, dst)
