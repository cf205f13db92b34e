"""Hierarchy paths and the metadata keys that live under them."""

from __future__ import annotations

import os

from zarr5.storage import normalize_path

ARRAY_KEY = ".zarray"
GROUP_KEY = ".zgroup"
ATTRS_KEY = ".zattrs"


def prefix(path: str) -> str:
    """Return the key prefix of ``path`` ('' for the root, 'a/b/' otherwise)."""
    return path + "/" if path else ""


def join(path: str, name: str) -> str:
    """Join a group path and a relative member name, checking the result."""
    return normalize_path(prefix(path) + name)


def resolve(path: str, item: str) -> str:
    """Resolve ``item`` relative to group ``path``; a leading '/' makes it absolute. A path-like name
    (``pathlib.PurePosixPath("a/b")``) is taken as its text, as zarr 2 does."""
    if isinstance(item, os.PathLike) and not isinstance(item, str):
        item = os.fspath(item)
    if not isinstance(item, str):
        raise TypeError(f"member names must be str, not {type(item).__name__}: {item!r}")
    if item.startswith("/"):
        return normalize_path(item)
    return join(path, item)


def display_name(path: str) -> str:
    """Return the h5py-style absolute name of ``path`` ('/' for the root)."""
    return "/" + path


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""
