"""Which format a path holds: an HDF5 file, a Zarr v2 or v3 hierarchy, or an N5 container.

``which_format(path)`` looks at the bytes and keys, never at the name: a directory called
``data.h5`` that holds ``.zgroup`` is a Zarr v2 store, and an HDF5 file called ``data.zarr`` is HDF5.
It is a low-level probe: it reads at most a few small keys and the signature bytes of a file, and
creates, locks or modifies nothing.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Mapping
from typing import Any, Literal

__all__ = ["HDF5_SIGNATURE", "Format", "hdf5_superblock_offset", "is_hdf5_file", "which_format"]

Format = Literal["hdf5", "zarr2", "zarr3", "n5"]

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"

# keys whose presence at the root decides the format, in the order they are tried
_ZARR3_KEY = "zarr.json"
_ZARR2_KEYS = (".zgroup", ".zarray")
_N5_KEY = "attributes.json"


def hdf5_superblock_offset(path: Any) -> int | None:
    """The byte offset of the HDF5 superblock of file ``path``, or None if it is not an HDF5 file.

    HDF5 puts its signature at offset 0, or after a user block at 512, 1024, 2048, ... bytes
    (the HDF5 file format specification, "Format Signature"); every candidate offset up to the end
    of the file is checked.
    """
    try:
        with open(os.fspath(path), "rb") as f:
            return _signature_offset(f, os.fstat(f.fileno()).st_size)
    except (OSError, TypeError, ValueError):
        return None


def _signature_offset(f: Any, size: int) -> int | None:
    # the candidate offsets of the HDF5 signature in a binary file of ``size`` bytes: 0, 512, 1024, ...
    offset = 0
    while offset + len(HDF5_SIGNATURE) <= size:
        f.seek(offset)
        if f.read(len(HDF5_SIGNATURE)) == HDF5_SIGNATURE:
            return offset
        offset = 512 if offset == 0 else offset * 2
    return None


def stream_holds_hdf5(stream: Any) -> bool:
    """True if the seekable binary file-like object ``stream`` holds an HDF5 file (its signature at 0
    or after a user block); its position is left where it was."""
    try:
        start = stream.tell()
        try:
            return _signature_offset(stream, stream.seek(0, os.SEEK_END)) is not None
        finally:
            stream.seek(start)
    except (OSError, TypeError, ValueError, AttributeError):
        return False


def is_hdf5_file(path: Any) -> bool:
    """True if ``path`` is a regular file carrying the HDF5 signature (at 0 or after a user block)."""
    try:
        return os.path.isfile(os.fspath(path)) and hdf5_superblock_offset(path) is not None
    except TypeError:
        return False


def _format_of_keys(has: Any, read: Any) -> Format | None:
    """Decide from the root keys of a store: ``has(key) -> bool``, ``read(key) -> bytes``."""
    if has(_ZARR3_KEY):
        return "zarr3"
    if any(has(k) for k in _ZARR2_KEYS):
        return "zarr2"
    if has(_N5_KEY):
        # an N5 root names its version under "n5"; other attributes.json files are not N5 roots
        try:
            doc = json.loads(read(_N5_KEY))
        except (ValueError, TypeError, OSError, KeyError):
            return None
        if isinstance(doc, dict) and "n5" in doc:
            return "n5"
    return None


def _format_of_directory(path: str) -> Format | None:
    def has(key: str) -> bool:
        return os.path.isfile(os.path.join(path, key))

    def read(key: str) -> bytes:
        with open(os.path.join(path, key), "rb") as f:
            return f.read()

    return _format_of_keys(has, read)


def _format_of_zip(path: str) -> Format | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            return _format_of_keys(names.__contains__, zf.read)
    except (zipfile.BadZipFile, OSError):
        return None


def _format_of_mapping(store: Any) -> Format | None:
    def has(key: str) -> bool:
        try:
            return key in store
        except Exception:  # noqa: BLE001 -- a store that cannot answer holds no format we know
            return False

    return _format_of_keys(has, lambda key: store[key])


def _format_of_url(url: str, storage_options: dict | None) -> Format | None:
    # imported here: fsspec-backed stores are only built for URLs
    from zarr5.storage import normalize_store_arg

    store = normalize_store_arg(url, mode="r", storage_options=storage_options)
    try:
        return _format_of_mapping(store)
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()


def which_format(path: Any, *, storage_options: dict | None = None) -> Format | None:
    """Tell which format ``path`` holds, from its content (never from its name).

    Parameters
    ----------
    path : str, os.PathLike, URL or store
        A file, a directory, a ``.zip`` archive, a URL (``s3://...``, ``memory://...``) or a store /
        mapping of keys to bytes.
    storage_options : dict, optional
        Passed to fsspec when ``path`` is a URL.

    Returns
    -------
    ``'hdf5'``
        a file starting with the HDF5 signature ``\\x89HDF\\r\\n\\x1a\\n`` (at offset 0, or at 512,
        1024, 2048, ... after a user block);
    ``'zarr3'``
        a hierarchy with ``zarr.json`` at its root;
    ``'zarr2'``
        a hierarchy with ``.zgroup`` or ``.zarray`` at its root (a directory, or a zip archive);
    ``'n5'``
        an N5 container (``attributes.json`` naming an ``"n5"`` version);
    ``None``
        the path does not exist, or holds none of these.

    Examples
    --------
    >>> import zarr5
    >>> _ = zarr5.open_group("data/probe.zarr", mode="w")
    >>> zarr5.which_format("data/probe.zarr")
    'zarr2'
    >>> zarr5.which_format("data/missing") is None
    True
    """
    if isinstance(path, Mapping):  # every zarr5 Store is a MutableMapping
        return _format_of_mapping(path)
    if isinstance(path, str) and ("://" in path or "::" in path):
        return _format_of_url(path, storage_options)
    try:
        p = os.fsdecode(os.fspath(path))
    except TypeError:
        raise TypeError(f"which_format expects a path, a URL or a store, not {type(path).__name__}") from None
    if os.path.isdir(p):
        return _format_of_directory(p)
    if not os.path.isfile(p):
        return None
    if hdf5_superblock_offset(p) is not None:
        return "hdf5"
    if zipfile.is_zipfile(p):
        return _format_of_zip(p)
    return None
