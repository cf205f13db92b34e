"""zarr-2's convenience functions: open, save, load, tree, consolidated metadata."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from zarr5.api.creation import NATIVE_CLASSES, NodeClasses, array, check_mode, open_array
from zarr5.api.hierarchy import group, open_group
from zarr5.core import Array, Group
from zarr5.core.hierarchy import contains_array, contains_group
from zarr5.core.info import InfoReporter, h5_info_items
from zarr5.core.tree import TreeViewer
from zarr5.errors import PathNotFoundError
from zarr5.formats import is_hdf5_file
from zarr5.h5.files import open_hdf5
from zarr5.storage import normalize_path
from zarr5.storage.consolidated import ConsolidatedMetadataStore, consolidate_store_metadata
from zarr5.storage.resolve import normalize_store_arg


def _owns(store_arg: Any) -> bool:
    # a store we built from a path is ours to close; one the caller passed is not
    return isinstance(store_arg, str) or hasattr(store_arg, "__fspath__")


def open(store: Any = None, mode: str = "a", *, zarr_version: int | None = None, path: str | None = None,
         **kwargs: Any) -> Array | Group:
    """Open an array or group, creating one as ``mode`` allows (zarr-2's ``zarr.open``).

    An existing real HDF5 file (recognised by its signature, not its name) is opened through h5py,
    and h5py's own File -- or the object at ``path`` in it -- is returned; ``tree``, ``info``, ``copy``
    and ``copy_all`` accept it. ``mode='w'`` replaces it with a new zarr store, as for any path.
    """
    check_mode(mode)
    h5path = _existing_hdf5(store)
    if h5path is not None and mode == "w":
        os.remove(h5path)  # 'w' replaces what the path held, as zarr5.File(path, 'w') does
    elif h5path is not None:
        f = open_hdf5(h5path, mode)
        return f[path] if path else f
    if zarr_version is not None:
        kwargs.setdefault("zarr_format", zarr_version)
    storage_options = kwargs.pop("storage_options", None)
    store = normalize_store_arg(store, mode=mode, storage_options=storage_options, default="memory")
    path = normalize_path(path)
    if mode in ("w", "w-", "x"):
        if "shape" in kwargs:
            return open_array(store, mode=mode, path=path, **kwargs)
        return open_group(store, mode=mode, path=path, **kwargs)
    if contains_array(store, path):
        return open_array(store, mode=mode, path=path, **kwargs)
    if contains_group(store, path):
        return open_group(store, mode=mode, path=path, **kwargs)
    if mode == "a":
        if "shape" in kwargs:
            return open_array(store, mode=mode, path=path, **kwargs)
        return open_group(store, mode=mode, path=path, **kwargs)
    raise PathNotFoundError(path)


def _existing_hdf5(store: Any) -> str | None:
    """The path of ``store`` if it names an existing real HDF5 file (by signature), else None."""
    if not isinstance(store, (str, bytes, os.PathLike)):
        return None
    if isinstance(store, str) and ("://" in store or "::" in store):
        return None
    path = os.fsdecode(os.fspath(store))
    return path if is_hdf5_file(path) else None


def save_array(store: Any, arr: Any, *, zarr_version: int | None = None, path: str | None = None,
               **kwargs: Any) -> None:
    """Save one numpy array to ``store`` (replacing what is there)."""
    owned = _owns(store)
    store = normalize_store_arg(store, mode="w")
    try:
        array(arr, store=store, overwrite=True, path=path, **kwargs)
    finally:
        if owned:
            store.close()


def save_group(store: Any, *args: Any, zarr_version: int | None = None, path: str | None = None,
               **kwargs: Any) -> None:
    """Save several numpy arrays into a group: positional ones as arr_0, arr_1, ...; keywords by name."""
    if not args and not kwargs:
        raise ValueError("at least one array must be provided")
    owned = _owns(store)
    store = normalize_store_arg(store, mode="w")
    try:
        grp = group(store, overwrite=True, path=path)
        for i, arr in enumerate(args):
            grp.array(f"arr_{i}", arr)
        for name, arr in kwargs.items():
            grp.array(name, arr)
    finally:
        if owned:
            store.close()


def save(store: Any, *args: Any, zarr_version: int | None = None, path: str | None = None,
         **kwargs: Any) -> None:
    """Save one array (``save_array``) or several (``save_group``)."""
    if len(args) == 0 and len(kwargs) == 0:
        raise ValueError("at least one array must be provided")
    if len(args) == 1 and len(kwargs) == 0:
        save_array(store, args[0], path=path)
    else:
        save_group(store, *args, path=path, **kwargs)


class LazyLoader(Mapping):
    """What ``load`` returns for a group: arrays are read only when looked up."""

    def __init__(self, grp: Group) -> None:
        self.group = grp
        self.cache: dict[str, np.ndarray] = {}

    def __getitem__(self, item: str) -> np.ndarray:
        if item not in self.cache:
            node: Any = self.group[item]  # an array; a group refuses [...] as zarr-2's does
            self.cache[item] = node[...]
        return self.cache[item]

    def __iter__(self) -> Iterator[str]:
        return iter(self.group.array_keys())

    def __len__(self) -> int:
        return sum(1 for _ in self.group.array_keys())

    def __contains__(self, item: object) -> bool:
        return item in set(self.group.array_keys())

    def __repr__(self) -> str:
        return f"<LazyLoader: {', '.join(self)}>"


def load(store: Any, zarr_version: int | None = None, path: str | None = None, *,
         _node_classes: NodeClasses = NATIVE_CLASSES) -> Any:
    """Load an array as numpy, or a group as a lazy mapping of name -> numpy array."""
    store = normalize_store_arg(store, mode="r")
    path = normalize_path(path)
    if contains_array(store, path):
        return _node_classes[0](store, path, read_only=True)[...]
    if contains_group(store, path):
        return LazyLoader(_node_classes[1](store, path, read_only=True))
    raise PathNotFoundError(path)


def _as_node(obj: Any) -> Any:
    # a path is opened read-only, whichever format it holds (an HDF5 file goes through h5py)
    if isinstance(obj, (str, bytes, os.PathLike)):
        return open(obj if isinstance(obj, str) else os.fsdecode(os.fspath(obj)), mode="r")
    return obj


def tree(grp: Any, expand: bool = False, level: int | None = None) -> TreeViewer:
    """Draw the hierarchy under ``grp``: a zarr5 group, an h5py group or file, or a path to either.

    The drawing uses Unicode box lines, or plain ASCII where the output cannot encode them
    (``tree(g).text`` always gives the ASCII form).
    """
    return TreeViewer(_as_node(grp), expand=expand, level=level)


def info(obj: Any) -> InfoReporter:
    """The ``info`` report of any array or group, or of a path (a zarr store or an HDF5 file).

    Zarr-vocabulary objects give zarr-2's report (``obj.info``); h5py-vocabulary objects (zarr5's
    facade, or h5py's own objects from a real HDF5 file) give one in h5py's words.
    """
    node = _as_node(obj)
    if hasattr(node, "info_items"):
        return node.info
    return InfoReporter(node, items=lambda: h5_info_items(node))


def consolidate_metadata(store: Any, metadata_key: str = ".zmetadata", *, path: str = "",
                         storage_options: dict | None = None,
                         _node_classes: NodeClasses = NATIVE_CLASSES) -> Group | Array:
    """Gather every metadata document into ``metadata_key`` and return the hierarchy opened through it."""
    store = normalize_store_arg(store, storage_options=storage_options)
    consolidate_store_metadata(store, metadata_key)
    return open_consolidated(store, metadata_key=metadata_key, _node_classes=_node_classes)


def open_consolidated(store: Any, metadata_key: str = ".zmetadata", mode: str = "r+",
                      **kwargs: Any) -> Group | Array:
    """Open a hierarchy whose metadata come from one consolidated document (metadata read-only)."""
    if mode not in ("r", "r+"):
        raise ValueError(f"invalid mode {mode!r}; open_consolidated supports only 'r' and 'r+'")
    store = normalize_store_arg(store, mode=mode, storage_options=kwargs.pop("storage_options", None))
    meta_store = ConsolidatedMetadataStore(store, metadata_key=metadata_key)
    chunk_store = kwargs.pop("chunk_store", None)
    chunk_store = store if chunk_store is None else normalize_store_arg(chunk_store)
    return open(meta_store, mode=mode, chunk_store=chunk_store, **kwargs)
