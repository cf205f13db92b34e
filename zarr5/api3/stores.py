"""zarr-python 3's store classes over zarr5's stores: its constructor arguments and its store URLs.

``LocalStore(root, read_only=)`` is a :class:`~zarr5.storage.DirectoryStore`, ``MemoryStore(dict)`` a
:class:`~zarr5.storage.MemoryStore`, ``ZipStore(path, mode=, read_only=)`` a
:class:`~zarr5.storage.ZipStore`, ``FsspecStore`` an :class:`~zarr5.storage.FSStore`. :func:`make_store`
turns zarr-python 3's ``StoreLike`` (None, a dict, a path, a URL, a store, a :class:`StorePath`) into a
store and a path. Each store has ``url`` (what ``repr(array)`` shows) and ``read_only``.
"""

from __future__ import annotations

import os
import pathlib
import zipfile
from collections.abc import MutableMapping
from typing import Any

from zarr5.storage import DirectoryStore, FSStore, Store
from zarr5.storage import MemoryStore as _MemoryStore
from zarr5.storage import ZipStore as _ZipStore

__all__ = ["FsspecStore", "LocalStore", "MemoryStore", "StorePath", "ZipStore", "make_store", "store_url"]


class LocalStore(DirectoryStore):
    """Keys as files under the directory ``root`` (zarr-python 3's ``LocalStore``)."""

    def __init__(self, root: str | os.PathLike, *, read_only: bool = False) -> None:
        self._root_text = pathlib.Path(root).as_posix()
        super().__init__(os.fspath(root), read_only=read_only)

    @property
    def root(self) -> pathlib.Path:
        return pathlib.Path(self._root_text)

    @property
    def url(self) -> str:
        return f"file://{self._root_text}"

    def __repr__(self) -> str:
        return f"LocalStore('{self.url}')"

    def __getstate__(self) -> tuple:
        return (super().__getstate__(), self._root_text)

    def __setstate__(self, state: tuple) -> None:
        inner, self._root_text = state
        super().__setstate__(inner)


class Buffer(bytes):
    """A stored value as zarr-python 3 hands it out of a dict store: bytes with ``to_bytes()``."""

    def to_bytes(self) -> bytes:
        return bytes(self)


class MemoryStore(_MemoryStore):
    """Keys and values in a dict, ``store_dict`` if given (zarr-python 3's ``MemoryStore``)."""

    def __init__(self, store_dict: MutableMapping | None = None, *, read_only: bool = False) -> None:
        super().__init__({} if store_dict is None else store_dict)
        self._read_only = read_only

    def __getstate__(self) -> dict:
        return {**super().__getstate__(), "read_only": self._read_only}

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._read_only = state["read_only"]

    @property
    def url(self) -> str:
        return f"memory://{id(self._mutable_mapping)}"

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        # values land in the caller's dict as zarr-python 3 leaves them there (``store[k].to_bytes()``)
        super().__setitem__(key, value if isinstance(value, Buffer) else Buffer(memoryview(value).cast("B")))

    def __repr__(self) -> str:
        return f"MemoryStore('{self.url}')"


class ZipStore(_ZipStore):
    """Keys as members of the ZIP file ``path`` (zarr-python 3's ``ZipStore``; default mode 'r')."""

    def __init__(self, path: str | os.PathLike, *, mode: str = "r", read_only: bool | None = None,
                 compression: int = zipfile.ZIP_STORED, allowZip64: bool = True) -> None:
        if read_only:
            mode = "r"
        self._path_text = pathlib.Path(path).as_posix()
        super().__init__(os.fspath(path), compression=compression, allowZip64=allowZip64, mode=mode)

    @property
    def url(self) -> str:
        return f"zip://{self._path_text}"

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        (_, compression, allowZip64, mode, _), _ = super()._open_args()
        return (self._path_text,), {"mode": mode, "compression": compression, "allowZip64": allowZip64}


class FsspecStore(FSStore):
    """Keys on an fsspec file system (zarr-python 3's ``FsspecStore``); ``url`` is the URL opened."""

    @classmethod
    def from_url(cls, url: str, storage_options: dict | None = None, read_only: bool = False) -> FsspecStore:
        return cls(url, mode="r" if read_only else "a", **(storage_options or {}))

    def __repr__(self) -> str:
        return f"<FsspecStore({type(self.fs).__name__}, {self.path})>"


class StorePath:
    """A store and a path inside it (zarr-python 3's ``StorePath``)."""

    def __init__(self, store: Store, path: str = "") -> None:
        self.store = store
        self.path = path.strip("/")

    def __truediv__(self, other: str) -> StorePath:
        return StorePath(self.store, f"{self.path}/{other}".strip("/"))

    def __repr__(self) -> str:
        return f"{store_url(self.store)}/{self.path}" if self.path else store_url(self.store)


def store_url(store: Any) -> str:
    """The URL zarr-python 3 shows for ``store`` (``file://data/x.zarr``, ``memory://140...``)."""
    url = getattr(store, "url", None)
    if isinstance(url, str):
        return url
    if isinstance(store, DirectoryStore):
        return f"file://{pathlib.Path(store.path).as_posix()}"
    return f"memory://{id(store)}"


def store_type(store: Any) -> str:
    """The store's class name as ``info`` shows it."""
    return type(store).__name__


def make_store(store: Any, *, mode: str = "a", storage_options: dict | None = None,
               path: str | None = None) -> tuple[Store, str]:
    """Return ``(store, path)`` for zarr-python 3's ``StoreLike`` ``store`` and ``path``."""
    path = (path or "").strip("/")
    if isinstance(store, StorePath):
        return store.store, "/".join(p for p in (store.path, path) if p)
    if store is None:
        return MemoryStore(), path
    if isinstance(store, os.PathLike):
        store = os.fspath(store)
    if isinstance(store, str):
        if "://" in store or "::" in store:
            return FsspecStore(store, mode="r" if mode == "r" else "a", **(storage_options or {})), path
        if storage_options:
            raise TypeError(f"storage_options can only be given with a URL, not with the path {store!r}")
        if store.endswith(".zip"):
            return ZipStore(store, mode="r" if mode == "r" else ("w" if mode == "w" else "a")), path
        return LocalStore(store, read_only=mode == "r"), path
    if isinstance(store, Store):
        return store, path
    if isinstance(store, dict):
        return MemoryStore(store), path
    if isinstance(store, MutableMapping):
        return MemoryStore(store), path
    raise TypeError(f"cannot use {type(store).__qualname__} as a store: expected None, a dict, a path, a URL "
                    f"or a Store")
