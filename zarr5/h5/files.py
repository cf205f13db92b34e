"""File: h5py's File over a zarr store (one ZIP file, a directory, or any store or mapping).

Where a path's data goes (the rule, documented in docs/porting-from-h5py.md):

- a path ending in ``.zarr``, or an existing directory: a directory store, as zarr-python lays it out;
- any other path (``data.h5``, ``run.nwb``, ``x.zip``): one file, a ZIP archive holding the zarr store
  (:class:`zarr5.storage.singlefile.SingleFileStore`), so programs may copy, move, measure or delete it;
- an existing real HDF5 file (by its signature): h5py opens it;
- a file-like object: the same single-file container inside it (or h5py, when it holds HDF5 bytes);
- ``driver="core"``: the container in memory, written to the path at flush/close if ``backing_store``.
"""

from __future__ import annotations

import errno
import io
import os
import weakref
from collections.abc import MutableMapping
from typing import Any

from zarr5.core.chunkcache import DISABLED, parse_settings
from zarr5.core.hierarchy import contains_group, init_group, node_format
from zarr5.core.metawriteback import MetadataWriteBack
from zarr5.formats import is_hdf5_file, stream_holds_hdf5
from zarr5.h5.base import R_TRACK, FileState
from zarr5.h5.group import Group
from zarr5.h5.h5config import get_config
from zarr5.hdf5lib import real_h5py
from zarr5.storage import DirectoryStore, Store, normalize_store_arg
from zarr5.storage.consolidated import ConsolidatedReadStore
from zarr5.storage.singlefile import SingleFileStore, holds_zip

__all__ = ["File", "is_hdf5", "open_hdf5"]

_MODES = ("r", "r+", "w", "w-", "x", "a")
_FORMATS = (None, "zarr", "hdf5")


def _is_real_hdf5(path: str) -> bool:
    # by signature (offset 0 or after a user block), never by name
    return is_hdf5_file(path)


def _fs_path(name: Any) -> str | None:
    """``name`` as a local path string, or None for stores, URLs and file-like objects."""
    if isinstance(name, (Store, MutableMapping)) or hasattr(name, "read"):
        return None
    if isinstance(name, str) and ("://" in name or "::" in name):
        return None
    try:
        return os.fsdecode(os.fspath(name))
    except TypeError:
        return None


def open_hdf5(path: str, mode: str, *args: Any, **kwds: Any) -> Any:
    """Open a real HDF5 file through h5py (HDF5 itself): h5py's own File object is returned."""
    h5py = real_h5py()  # only programs that meet an HDF5 file pay for importing it

    return h5py.File(path, mode, *args, **kwds)


def _wants_hdf5(name: Any, mode: str | None, format: str | None) -> Any:
    """The path (or file-like object) to hand to h5py when File(name, mode, format) must open real
    HDF5, else None."""
    if format not in _FORMATS:
        raise ValueError(f"Invalid format {format!r}; must be None (decide from the content), 'zarr' or "
                         f"'hdf5'")
    path = _fs_path(name)
    if format == "zarr":
        return None
    if hasattr(name, "read") and hasattr(name, "seek") and (mode or "r") != "w" \
            and (format == "hdf5" or stream_holds_hdf5(name)):
        return name  # HDF5 bytes in a file-like object (io.BytesIO, a download): h5py reads them
    if format == "hdf5":
        if path is None:
            raise TypeError(f"format='hdf5' needs a file path, not {type(name).__name__}")
        return path
    # existing HDF5 content is opened as HDF5, except by 'w', which replaces it with a new (zarr) store
    if path is not None and (mode or "r") != "w" and _is_real_hdf5(path):
        return path
    return None


def is_hdf5(fname: Any) -> bool:
    """True if ``fname`` is something File can open: a zarr5/zarr group store, or an HDF5 file."""
    if isinstance(fname, (Store, MutableMapping)):
        return contains_group(fname, "")
    path = os.fsdecode(os.fspath(fname))
    if os.path.isdir(path):
        return contains_group(DirectoryStore(path, read_only=True), "")
    if os.path.isfile(path):
        if _file_holds_zip(path):
            try:
                with SingleFileStore(path, mode="r") as store:
                    return contains_group(store, "")
            except Exception:  # noqa: BLE001 -- any unreadable zip is simply not one of ours
                return False
        return _is_real_hdf5(path)
    return False


def _file_holds_zip(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return holds_zip(f)
    except OSError:
        return False


# h5py's modes -> SingleFileStore's ('w-'/'x' have been checked to be new by then)
_ONEFILE_MODES = {"r": "r", "r+": "r+", "a": "a", "w": "w", "w-": "w", "x": "w"}


# the keywords each HDF5 driver takes in h5py (File(..., driver=D, **kwds)); zarr5 accepts and ignores them
_DRIVER_KEYWORDS: dict[Any, tuple[str, ...]] = {
    None: (), "sec2": (), "stdio": (), "fileobj": (), "windows": (),
    "core": ("backing_store", "block_size"), "family": ("memb_size",),
    "split": ("meta_ext", "raw_ext"), "mpio": ("comm", "info"),
    "ros3": ("aws_region", "secret_id", "secret_key", "session_token"),
    "direct": ("alignment", "block_size", "cbuf_size"),
}


def check_driver_keywords(driver: Any, kwds: dict) -> None:
    """h5py's rule: keywords beyond File's own belong to the driver; others are a TypeError."""
    if driver not in _DRIVER_KEYWORDS:
        raise ValueError(f"Unknown driver type {driver!r}")
    for key in kwds:
        if key not in _DRIVER_KEYWORDS[driver]:
            if driver is None:
                raise TypeError(f"{key!r} is an invalid keyword argument for this function")
            raise TypeError(f"driver {driver!r} got an unexpected keyword argument {key!r}")


def _open_path(path: str, mode: str, driver: Any, backing_store: bool) -> Store:
    exists = os.path.exists(path)
    if mode in ("r", "r+"):
        if not exists:
            raise FileNotFoundError(errno.ENOENT, f"Unable to open file (unable to open file: name = "
                                                  f"'{path}', errno = 2, No such file or directory)", path)
    elif mode in ("w-", "x"):
        if exists:
            raise FileExistsError(errno.EEXIST, f"Unable to create file (file exists: {path!r})", path)
    if os.path.isdir(path) or (not exists and path.endswith(".zarr")):
        return DirectoryStore(path, read_only=mode == "r")
    if os.path.isfile(path) and mode != "w" and not _file_holds_zip(path) and os.path.getsize(path):
        if _is_real_hdf5(path):
            raise OSError(errno.EINVAL, f"Unable to open file {path!r}: it is an HDF5 file and "
                                        f"format='zarr' was asked (leave format unset to open it "
                                        f"through h5py, or copy it to zarr)", path)
        raise OSError(errno.EINVAL, f"Unable to open file (file signature not found): {path!r} is not "
                                    f"a zarr store", path)
    # 'w' truncates whatever the file held; the core driver keeps the whole container in memory
    return SingleFileStore(path, _ONEFILE_MODES[mode], in_memory=driver == "core",
                           backing_store=backing_store)


def _write_back(chunk_cache: Any, documents: MetadataWriteBack | None) -> None:
    """Write a File's cached chunks, then its pending documents: chunks of a grown array land before
    the .zarray that makes them visible, a new array's before the document that makes it a node."""
    try:
        chunk_cache.flush()
    finally:
        if documents is not None:
            documents.write_documents()


def _open_stream(stream: Any, mode: str) -> Store:
    """The single-file container inside a seekable binary file-like object (h5py's fileobj driver)."""
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    if mode in ("w-", "x") and size:
        raise FileExistsError(errno.EEXIST, "Unable to create file (the file-like object is not empty)")
    if mode in ("r", "r+") and not size:
        raise OSError(errno.EINVAL, "Unable to open file (file signature not found): the file-like "
                                    "object is empty")
    if size and mode not in ("w", "w-", "x") and not holds_zip(stream):
        raise OSError(errno.EINVAL, "Unable to open file (file signature not found): the file-like "
                                    "object holds neither HDF5 nor a zarr5 single-file container")
    return SingleFileStore(stream, _ONEFILE_MODES[mode])


class File(Group):
    """An HDF5-style file: the root group of a zarr store, with h5py's open modes.

    ``name`` is a path, a binary file-like object, or a zarr5 Store / MutableMapping. A new path
    ending in ``.zarr`` (or an existing directory) is a directory store; any other new path
    (``data.h5``) is one file, a ZIP archive holding the zarr store, which zarr-python's ``ZipStore``
    and fsspec also read; so is a file-like object (``io.BytesIO``). ``driver="core"`` keeps the file
    in memory (written to ``name`` at flush/close unless ``backing_store=False``).
    ``mode``: 'r' (default, must exist, read-only), 'r+' (must exist), 'w' (create, truncate), 'w-' or
    'x' (create, fail if it exists), 'a' (read/write, create if needed). ``rdcc_nbytes``,
    ``rdcc_nslots``, ``rdcc_w0`` size the chunk cache as in h5py (1 MiB, 521 chunks per dataset by
    default; ``rdcc_nbytes=0`` writes through): chunks read or written in part stay decoded in memory
    and written chunks reach the store when evicted, at ``flush()``, ``close()`` or when the File is
    garbage collected. Other HDF5-only keywords (libver, userblock_size, swmr, locking, ...) are
    accepted and have no effect.

    Mixed workflows: when ``name`` is an existing real HDF5 file (recognised by its signature, not its
    name) and ``mode`` is not 'w', the file is opened through h5py and **h5py's own** ``h5py.File`` is
    returned (same API; ``isinstance(f, zarr5.File)`` holds); so is a file-like object holding HDF5
    bytes (``io.BytesIO``). A new path, or 'w', always makes a zarr store whatever its suffix.
    ``format='hdf5'`` makes h5py open or create a real HDF5 file; ``format='zarr'`` never hands over
    to h5py. ``zarr_format=3`` makes a new file a Zarr v3 store (``zarr.json`` documents, attributes
    inside them); an existing store's format is detected.
    """

    _h5py_twin = "File"

    def __new__(cls, *args: Any, **kwds: Any) -> Any:
        name = args[0] if args else kwds.get("name")
        mode = args[1] if len(args) > 1 else kwds.get("mode")
        h5path = _wants_hdf5(name, mode, kwds.get("format"))
        if h5path is None:
            return super().__new__(cls)
        # h5py takes the same positional and keyword arguments as this class, so hand them over as given
        rest = {k: v for k, v in kwds.items() if k not in ("name", "mode", "format", "zarr_format")}
        return open_hdf5(h5path, "r" if mode is None else mode, *args[2:], **rest)

    def __init__(self, name: Any, mode: str | None = None, driver: Any = None, libver: Any = None,
                 userblock_size: Any = None, swmr: bool = False, rdcc_nslots: Any = None,
                 rdcc_nbytes: Any = None, rdcc_w0: Any = None, track_order: bool | None = None,
                 fs_strategy: Any = None, fs_persist: Any = False, fs_threshold: Any = 1,
                 fs_page_size: Any = None, page_buf_size: Any = None, min_meta_keep: Any = 0,
                 min_raw_keep: Any = 0, locking: Any = None, alignment_threshold: Any = 1,
                 alignment_interval: Any = 1, meta_block_size: Any = None, format: str | None = None,
                 **kwds: Any) -> None:
        mode = "r" if mode is None else mode
        if mode not in _MODES:
            raise ValueError(f"Invalid mode {mode!r}; must be one of r, r+, w, w-, x, a")
        cache_settings = parse_settings(rdcc_nbytes, rdcc_nslots, rdcc_w0)
        # zarr5's addition: the Zarr format of a new file (2, the default, or 3); an existing one is detected
        zarr_format = kwds.pop("zarr_format", None)
        # before anything is created: a misspelt keyword must not leave a new store behind
        check_driver_keywords(driver, {k: v for k, v in kwds.items()
                                       if k not in ("synchronizer", "storage_options")})
        if zarr_format not in (None, 2, 3):
            raise ValueError(f"zarr_format must be 2 or 3, not {zarr_format!r}")
        if isinstance(name, (Store, MutableMapping)):
            store = normalize_store_arg(name)
            filename = getattr(store, "path", None) or repr(store)
            owns = False
            if mode == "w":
                store.rmdir("")
            elif mode in ("w-", "x") and len(store):
                raise FileExistsError(errno.EEXIST, "Unable to create file (the store is not empty)")
        elif hasattr(name, "read") and hasattr(name, "seek"):
            store = _open_stream(name, mode)
            # a stream that cannot be read back (opened 'wb') fails where HDF5 fails, when a call reads
            # a document back, rather than never: its metadata is written through
            kwds["_write_through"] = callable(getattr(name, "readable", None)) and not name.readable()
            filename, owns = repr(name), True  # h5py names a file-like object's file by its repr
            driver = "fileobj"
        elif isinstance(name, str) and ("://" in name or "::" in name):
            # a URL (s3://, simplecache::s3://, ...): an FSStore, configured by storage_options
            store = normalize_store_arg(name, mode=mode, storage_options=kwds.pop("storage_options", None))
            filename, owns = name, True
            if mode in ("w-", "x") and len(store):
                raise FileExistsError(errno.EEXIST, "Unable to create file (file exists)", name)
        else:
            filename = os.fsdecode(os.fspath(name))
            store = _open_path(filename, mode, driver, bool(kwds.pop("backing_store", True)))
            owns = True
        try:
            self._open_root(store, filename, mode, zarr_format, owns, track_order, kwds)
        except BaseException:
            if owns:
                store.close()  # a refused open leaves the file as it was, and not held open
            raise
        state = self._state
        # a synchronizer's locks order every write: chunks must reach the store under them, not later
        state.chunk_cache.settings = DISABLED if state.synchronizer is not None else cache_settings
        # a File dropped without close() still writes its cached chunks and documents back, as h5py's does
        state.write_back_once = weakref.finalize(state, _write_back, state.chunk_cache, state.documents)
        self._swmr_mode = bool(swmr)
        self._libver = libver
        self._driver = driver if driver in ("core", "fileobj") else "zarr"

    def _open_root(self, store: Store, filename: str, mode: str, zarr_format: int | None, owns: bool,
                   track_order: bool | None, kwds: dict) -> None:
        has_root = contains_group(store, "")
        if mode in ("r", "r+") and not has_root:
            raise OSError(errno.EINVAL, f"Unable to open file (no zarr group at the root of {filename!r})",
                          filename)
        created = False
        if mode in ("w", "w-", "x") or (mode == "a" and not has_root):
            if mode == "w" and len(store):
                store.rmdir("")
            init_group(store, path="", overwrite=False, zarr_format=zarr_format or 2)
            created = True
        elif zarr_format is not None:
            found = node_format(store, "")
            if found is not None and found[0] != zarr_format:
                raise ValueError(f"{filename!r} is a Zarr v{found[0]} store, not zarr_format={zarr_format} "
                                 f"(open it without zarr_format to use the format it has)")
        if mode == "r" and ".zmetadata" in store:
            # read-only and consolidated: every metadata document comes from one read
            store = ConsolidatedReadStore(store)
        # zarr5's addition to h5py's File: one synchronizer for every chunk and attribute write
        synchronizer = kwds.pop("synchronizer", None)
        write_through = kwds.pop("_write_through", False)
        if synchronizer is None and not write_through and not isinstance(store, ConsolidatedReadStore) \
                and not getattr(store, "rewrites_documents", False):
            # metadata documents are kept and written at flush/close, as HDF5's metadata cache does,
            # and seen at once by every File of this file in the process (a read-only one too); a
            # synchronizer's locks order every write, so there they go through at once
            store = MetadataWriteBack(store)
            if created:
                store.forget_pending()  # left by a File of the file just truncated: never to be written
        state = FileState(store, filename, "r" if mode == "r" else "r+", owns)
        state.synchronizer = synchronizer
        state.file = self
        super().__init__(state, "")
        if created and (track_order if track_order is not None else get_config().track_order):
            state.attrs("").set_reserved({R_TRACK: True})

    @classmethod
    def in_memory(cls, file_image: Any = None, **kwds: Any) -> Any:
        """A new file kept in memory only (h5py 3's ``File.in_memory``), or one opened from the bytes
        ``file_image`` (a copy is taken): a zarr5 single-file image, or HDF5 bytes (h5py opens those)."""
        kwds.pop("block_size", None)  # HDF5's growth step for the image; a BytesIO grows by itself
        buf = io.BytesIO(bytes(memoryview(file_image)) if file_image is not None else b"")
        if file_image is not None and stream_holds_hdf5(buf):
            return real_h5py().File.in_memory(file_image, **kwds)
        f = cls(buf, "r+" if file_image is not None and len(buf.getbuffer()) else "w", **kwds)
        f._driver = "core"
        return f

    @property
    def filename(self) -> str:
        return self._state.filename

    @property
    def mode(self) -> str:
        self._state.check_open()
        return self._state.mode

    @property
    def driver(self) -> str:
        """'core' (in memory), 'fileobj' (a file-like object) or 'zarr' (a path or store)."""
        return self._driver

    @property
    def libver(self) -> tuple[str, str]:
        return ("earliest", "latest")

    @property
    def userblock_size(self) -> int:
        return 0

    @property
    def swmr_mode(self) -> bool:
        return self._swmr_mode

    @swmr_mode.setter
    def swmr_mode(self, value: bool) -> None:
        self._swmr_mode = bool(value)

    @property
    def file(self) -> File:
        self._state.check_open()
        return self

    def close(self) -> None:
        """Close the file: every object of it becomes invalid (falsy, unusable).

        Files opened through its external links stay open while objects of theirs are in use, as in
        HDF5; ``obj.file.close()`` closes one, and it is closed when its last object is dropped.
        """
        state = self._state
        if not state.open:
            return
        try:
            # before the store is released; once: a closed File never writes again (its documents are
            # shared with the other Files of its file, which write them themselves)
            state.write_back_once()
        finally:
            state.chunk_cache.discard()
            state.forget_arrays()
            state.open = False
            if state.owns_store:
                state.store.close()

    def flush(self) -> None:
        """Write the chunk cache's dirty chunks back, then the pending metadata documents, then ask
        the store to sync if it can: another File or process sees everything written so far."""
        self._state.check_open()
        self._state.chunk_cache.flush()
        flush = getattr(self._state.store, "flush", None)  # the write-back writes its documents first
        if callable(flush):
            flush()

    def __enter__(self) -> File:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if not self._state.open:
            return "<Closed HDF5 file>"
        return f'<HDF5 file "{os.path.basename(self.filename)}" (mode {self.mode})>'

    def __hash__(self) -> int:
        return Group.__hash__(self)
