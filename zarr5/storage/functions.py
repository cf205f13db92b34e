"""zarr-python 2's module-level storage functions: each takes a zarr5 store or any ``MutableMapping``.

A store that has the method (``listdir``, ``rmdir``, ``rename``, ``getsize``) is asked; a plain mapping
is worked on key by key, as zarr-2 does. Paths go through :func:`normalize_storage_path`, which accepts
what zarr-2 accepts (bytes, backslashes, repeated and surrounding slashes) and refuses ``.``/``..``.
"""

from __future__ import annotations

import glob
import os
import shutil
import warnings
from collections.abc import Mapping, MutableMapping
from typing import Any

from zarr5.errors import InvalidKeyError
from zarr5.storage.base import listdir_from_keys, nbytes, rename_from_keys, rmdir_from_keys

# v2 metadata keys
array_meta_key = ".zarray"
group_meta_key = ".zgroup"
attrs_key = ".zattrs"
# the key prefixes of zarr-python 2's experimental v3 layout (kept for code that imports them)
meta_root = "meta/root/"
data_root = "data/root/"


def normalize_storage_path(path: str | bytes | os.PathLike | None) -> str:
    """Return ``path`` as a store path: '/'-separated, no leading, trailing or repeated slashes.

    Backslashes count as slashes; ``None`` and ``""`` are the root. A ``.`` or ``..`` segment raises
    :class:`~zarr5.errors.InvalidKeyError` (a ``ValueError``) naming the path.
    """
    if path is None:
        return ""
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    text = path.decode("ascii") if isinstance(path, bytes) else str(path)
    if "\x00" in text:
        raise InvalidKeyError(f"invalid path {text!r}: NUL is not allowed")
    segments = [s for s in text.replace("\\", "/").split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise InvalidKeyError(f"invalid path {text!r}: path containing '.' or '..' segment not allowed")
    return "/".join(segments)


def _prefix(path: str) -> str:
    return path + "/" if path else ""


def listdir(store: Mapping, path: Any = None) -> list[str]:
    """The sorted names directly under ``path``: the store's ``listdir``, else found from the keys."""
    path = normalize_storage_path(path)
    if hasattr(store, "listdir"):
        return store.listdir(path)
    warnings.warn(f"Store {store!r} has no `listdir` method: listing iterates over every key; stores "
                  "may subclass zarr5.storage.Store", UserWarning, stacklevel=2)
    return listdir_from_keys(store, path)


def rmdir(store: MutableMapping, path: Any = None) -> None:
    """Delete everything under ``path``: the store's ``rmdir``, else one key at a time."""
    path = normalize_storage_path(path)
    erasable = getattr(store, "is_erasable", None)
    if hasattr(store, "rmdir") and (erasable is None or erasable()):
        store.rmdir(path)
    else:
        rmdir_from_keys(store, path)


def rename(store: MutableMapping, src_path: Any, dst_path: Any) -> None:
    """Move everything under ``src_path`` to ``dst_path``: the store's ``rename``, else key by key."""
    src_path, dst_path = normalize_storage_path(src_path), normalize_storage_path(dst_path)
    if hasattr(store, "rename"):
        store.rename(src_path, dst_path)
    else:
        rename_from_keys(store, src_path, dst_path)


def getsize(store: Any, path: Any = None) -> int:
    """Bytes stored at ``path``: a key's size, or the sum over the keys directly under it.

    The store's ``getsize`` when it has one; for another mapping the values are measured (-1 when
    one of them is not a buffer); -1 for anything else.
    """
    path = normalize_storage_path(path)
    if hasattr(store, "getsize"):
        return store.getsize(path)
    if not isinstance(store, Mapping):
        return -1
    if path and path in store:
        members = [path]
    else:
        members = [_prefix(path) + name for name in listdir_from_keys(store, path)]
    total = 0
    for key in members:
        try:
            value = store[key]
        except KeyError:
            continue
        try:
            total += nbytes(value)
        except TypeError:
            return -1
    return total


def atexit_rmtree(path: str | os.PathLike, isdir: Any = os.path.isdir, rmtree: Any = shutil.rmtree) -> None:
    """Remove the directory ``path`` if it exists (registered with ``atexit`` by zarr-2 code)."""
    if isdir(path):
        rmtree(path)


def atexit_rmglob(path: str, glob: Any = glob.glob, isdir: Any = os.path.isdir, isfile: Any = os.path.isfile,
                  remove: Any = os.remove, rmtree: Any = shutil.rmtree) -> None:
    """Remove every file and directory matching the pattern ``path``."""
    for p in glob(path):
        if isfile(p):
            remove(p)
        elif isdir(p):
            rmtree(p)


__all__ = ["array_meta_key", "atexit_rmglob", "atexit_rmtree", "attrs_key", "data_root", "getsize",
           "group_meta_key", "listdir", "meta_root", "normalize_storage_path", "rename", "rmdir"]
