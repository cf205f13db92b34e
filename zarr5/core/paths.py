"""Hierarchy paths and the metadata keys that live under them."""

from __future__ import annotations

import os
import re
from typing import Any

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


def resolve(path: str, item: Any) -> str:
    """Resolve member name ``item`` relative to group ``path``; a leading '/' makes it absolute.

    Read as zarr 2 reads member names: bytes as ASCII, a path-like or any other object as its text
    (``pathlib.PurePosixPath("a/b")``), runs of '/' as one; '.' and '..' segments are refused.
    """
    if isinstance(item, bytes):
        item = item.decode("ascii")
    elif isinstance(item, os.PathLike):
        item = os.fspath(item)
    elif not isinstance(item, str):
        item = str(item)
    if "//" in item:
        item = re.sub("/+", "/", item)
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
