"""DirectoryStore, NestedDirectoryStore and TempStore: one file per key on the local file system.

Key ``a/b/0.0`` lives in file ``<path>/a/b/0.0``. Every write goes to a temporary file ``.<name>.<32 hex
digits>.partial`` (a random token of this process, numbered) in the destination directory and is then
moved into place with ``os.replace``, so a reader (or a crash) sees either the old value or the new one,
never a mix. (A rename over an existing file also makes ext4 flush the new data early, which keeps the
old or new version after a power loss too.) A chunk cache's write-backs
(:meth:`DirectoryStore.write_back`, the h5py vocabulary's) instead swap the key's file with a recycled
spare file, as atomic under a kill and ten times cheaper on ext4, at the cost of that power-loss flush,
as HDF5's in-place writes: see ``zarr5.storage._spares``.
Temporary files are invisible to ``keys``/``listdir``, and keys that look like one are refused.
Directories left empty by a delete, ``rmdir`` or ``rename`` are removed, so a directory exists
exactly when some key lives under it (as in every other store).
"""

from __future__ import annotations

import atexit
import errno
import itertools
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from zarr5.errors import FSPathExistNotDir, InvalidKeyError
from zarr5.storage import _spares
from zarr5.storage._pool import map_io, run_in_slices
from zarr5.storage.base import (
    Store,
    _check_rename,
    ensure_bytes,
    normalize_dimension_separator,
    normalize_key,
    normalize_path,
)

try:
    # the native write loop (setup.py builds it where a C compiler is at hand): a group of files written
    # with the GIL released once
    from zarr5.storage import _filewrite
except ImportError:
    _filewrite = None  # type: ignore[assignment]

# on POSIX a checked key is already a relative file path
_SLASH_SEP = os.sep == "/" and os.altsep is None
_O_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_O_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
# Linux returns at most this many bytes from one read(2)
_MAX_READ = 0x7FFFF000
# read_into's extra byte: only how much lands in it is looked at, so threads may share it
_ONE_MORE = bytearray(1)
_TEMP_NAME = re.compile(r"^\..*\.[0-9a-f]{32}\.partial$")
# a concurrent delete may prune the directory we are writing into; try again this often
_WRITE_ATTEMPTS = 20
# set_many with the native loop: fewer keys than this are written in one call on the calling thread
_NATIVE_INLINE = 64


def _new_temp_token() -> None:
    # 24 random hex digits per process (a forked child draws its own), then 8 of a counter: unique
    # temporary names without a getrandom(2) per file
    global _temp_token, _temp_numbers, _native_token
    _temp_token = os.urandom(12).hex()
    _temp_numbers = itertools.count()
    # the native loop numbers its names with its own counter, so it draws its own token
    _native_token = os.urandom(12).hex()


_temp_token = _native_token = ""
_temp_numbers = itertools.count()
_new_temp_token()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_temp_token)


def _temp_name(name: str) -> str:
    return f".{name}.{_temp_token}{next(_temp_numbers) & 0xFFFFFFFF:08x}.partial"


def _is_temp(name: str) -> bool:
    return name.endswith(".partial") and _TEMP_NAME.match(name) is not None


class DirectoryStore(Store):
    """Store keys as files under the directory ``path`` (created on first write).

    Parameters
    ----------
    path : str or os.PathLike
        Root directory. An existing path that is not a directory raises ``FSPathExistNotDir``.
    normalize_keys : bool
        Lower-case every key (for case-insensitive file systems).
    dimension_separator : {None, '.', '/'}
        Chunk key separator that arrays created here default to.
    read_only : bool, keyword-only
        Refuse every write with ``ReadOnlyError``.

    Examples
    --------
    >>> import os, tempfile
    >>> store = DirectoryStore(os.path.join(tempfile.mkdtemp(), "data.zarr"))
    >>> store["foo/.zgroup"] = b'{"zarr_format": 2}'
    >>> store.listdir(), store.listdir("foo")
    (['foo'], ['.zgroup'])
    """

    cheap_gets = True  # local: a get is a file read (or a dict lookup), safe from any thread

    # fsync each file before it replaces the old one: durability across power loss, at a cost
    fsync: bool = False
    # the directory may_hold_keys last found missing: the next write into it makes it before trying
    _missing_dir: str | None = None

    def __init__(self, path: str | os.PathLike, normalize_keys: bool = False,
                 dimension_separator: str | None = None, *, read_only: bool = False) -> None:
        path = os.path.abspath(os.fspath(path))
        if os.path.exists(path) and not os.path.isdir(path):
            raise FSPathExistNotDir(path)
        self.path = path
        self.normalize_keys = normalize_keys
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self._read_only = read_only

    # keys <-> file paths
    def _store_key(self, key: str) -> str:
        """The key as laid out on disk (lower-cased, nested...); subclasses map chunk keys here."""
        key = normalize_key(key)
        if self.normalize_keys:
            key = key.lower()
        if ".partial" in key:  # only then can a segment look like a temporary file
            for segment in key.split("/"):
                if _is_temp(segment):
                    raise InvalidKeyError(f"invalid store key {key!r}: names like {segment!r} are reserved "
                                          "for temporary files")
        return key

    def _fs_path(self, key: str) -> str:
        key = self._store_key(key)
        if _SLASH_SEP:
            # the key is checked (no empty, '.' or '..' segment), so concatenation is the join
            root = self.path
            return root + "/" + key if root != "/" else "/" + key
        return os.path.join(self.path, *key.split("/"))

    def _dir_path(self, path: str) -> str:
        path = normalize_path(path)
        if self.normalize_keys:
            path = path.lower()
        if not path:
            return self.path
        if _SLASH_SEP:
            # as in _fs_path: a checked path is already a relative file path
            return self.path + "/" + path if self.path != "/" else "/" + path
        return os.path.join(self.path, *path.split("/"))

    # mapping
    def __getitem__(self, key: str) -> bytes:
        try:
            return _read_file(self._fs_path(key))
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise KeyError(key) from None

    def read_into(self, key: str, out: Any) -> int | None:
        """Read the value of ``key`` into the writable buffer ``out`` (a chunk's own memory: no bytes
        object in between) and return the value's length, or None when there is no such key. Only
        the first ``len(out)`` bytes are read: a caller finding another length than it expected reads
        the key the usual way."""
        try:
            fd = os.open(self._fs_path(key), _O_READ)
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            # one byte more than asked: a longer value shows without an fstat
            n = os.readv(fd, [out, _ONE_MORE])
            if n > memoryview(out).nbytes:
                n = os.fstat(fd).st_size
            return n
        except IsADirectoryError:
            return None
        finally:
            os.close(fd)

    def stat_token(self, key: str) -> tuple | None:
        """A token that changes whenever ``key`` is rewritten (every write renames a new file into
        place: its inode, size and times), or None when it is absent: one stat tells a reader that
        a document it decoded is still current."""
        try:
            st = os.stat(self._fs_path(key))
        except (FileNotFoundError, NotADirectoryError):
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def __setitem__(self, key: str, value: Any) -> None:
        if self._read_only:
            self._check_writable()  # raises
        file_path = self._fs_path(key)
        # convert first: a value that cannot become bytes must not disturb the stored one
        self._write_file(key, file_path, value if type(value) is bytes else ensure_bytes(value))

    def write_back(self, key: str, value: Any) -> None:
        """``self[key] = value`` for a chunk cache's write-back: atomic as every write, but where the
        system allows it an existing key's file is swapped with a spare file of this store holding the
        new bytes (see ``zarr5.storage._spares``: no block allocated or freed, 10x cheaper on ext4)."""
        if type(self).__setitem__ is not DirectoryStore.__setitem__:
            self[key] = value  # a subclass translating keys or values (N5) writes its own way
            return
        self._check_writable()
        file_path = self._fs_path(key)
        data = _byte_view(value)
        spares = _spares.spares_of(self) if _SLASH_SEP else None
        if spares is None:
            self._write_file(key, file_path, data)
            return
        try:
            if not self._rewrite_spare(spares, file_path, data):
                self._write_file(key, file_path, data, spares)
        except _spares.Unsupported:
            spares.enabled = False  # this file system cannot: write-and-rename from now on
            spares.close()
            self._write_file(key, file_path, data)

    def _rewrite_spare(self, spares: _spares.SpareFiles, file_path: str, data: bytes) -> bool:
        """Write ``data`` into a spare of the key's directory and swap it in; False if there is none
        to use (the caller writes a new file)."""
        dir_path = file_path.rpartition("/")[0] or "/"
        spare = spares.take(dir_path)
        if spare is None:
            return False
        path, fd = spare
        try:
            usable = spares.rewrite(fd, data, self.fsync)
        except OSError:
            usable = False  # (a full disk...): the plain write reports it if it fails too
        if not usable:
            _spares.discard(path, fd)
            return False
        os.close(fd)
        try:
            if _spares.exchange(path, file_path):
                self._keep_spare(spares, dir_path, path, file_path)
                return True
            os.rename(path, file_path)  # a new key: nothing to swap with, no spare left here
            return True
        except OSError:
            _remove_quietly(path)  # the spare or the directory was removed meanwhile
            return False

    def _keep_spare(self, spares: _spares.SpareFiles, dir_path: str, path: str, file_path: str) -> None:
        # the key's previous file is now at ``path``: the next spare, unless it was a directory of keys
        if not spares.keep(dir_path, path):
            _spares.exchange(path, file_path)  # put the directory back; replace it the plain way
            self._replace(path, file_path)

    def _write_file(self, key: str, file_path: str, data: bytes,
                    spares: _spares.SpareFiles | None = None) -> None:
        # with ``spares`` the new file is swapped in (the old one kept as a spare), else renamed over
        if _SLASH_SEP:
            # file_path is absolute and has no trailing slash, so this is os.path.split/join, cheaper
            head, _, name = file_path.rpartition("/")
            dir_path = head or "/"
            temp_path = f"{head}/{_spares.spare_name(spares.pid)}" if spares is not None else \
                f"{head}/.{name}.{_temp_token}{next(_temp_numbers) & 0xFFFFFFFF:08x}.partial"
        else:
            dir_path, name = os.path.split(file_path)
            temp_path = os.path.join(dir_path, _temp_name(name))
        # optimistic: the directory usually exists, so try the write before any mkdir; unless it or a
        # parent was just found missing (a stale hint costs one mkdir that finds it there, nothing else)
        missing = self._missing_dir
        make_first = missing is not None and (dir_path == missing or dir_path.startswith(missing + "/"))
        if make_first:
            self._missing_dir = None
            if missing is not None and dir_path != missing:
                _make_dirs(missing)  # a new node's directory, above its chunks' (a v3 array's c/)
        try:
            for attempt in range(_WRITE_ATTEMPTS):
                try:
                    if attempt or make_first:
                        _make_dirs(dir_path)
                    self._write_temp(temp_path, data)
                    break
                except (FileNotFoundError, FileExistsError, NotADirectoryError) as e:
                    if attempt and self._file_among_parents(dir_path):
                        raise KeyError(f"cannot store {key!r}: a parent of it is stored as a key") from e
                    # the directory is missing, or a concurrent delete pruned it: (re)create it
                    if attempt == _WRITE_ATTEMPTS - 1:
                        raise
            if spares is not None and _spares.exchange(temp_path, file_path):
                self._keep_spare(spares, dir_path, temp_path, file_path)
                return
            try:
                os.replace(temp_path, file_path)
            except OSError:
                self._replace(temp_path, file_path)  # over a directory of keys, or a real error
        except BaseException:
            _remove_quietly(temp_path)
            raise

    @staticmethod
    def _replace(temp_path: str, file_path: str) -> None:
        try:
            os.replace(temp_path, file_path)
        except OSError:
            if not os.path.isdir(file_path):
                raise
            # a key replaces a directory of keys of the same name, as in zarr-python
            shutil.rmtree(file_path)
            os.replace(temp_path, file_path)

    def _write_temp(self, temp_path: str, data: bytes) -> None:
        fd = os.open(temp_path, _O_WRITE, 0o666)
        try:
            written = os.write(fd, data)
            if written < len(data):  # a short write (large values): write the rest
                view = memoryview(data)[written:]
                while view:
                    view = view[os.write(fd, view):]
            if self.fsync:
                os.fsync(fd)
        finally:
            os.close(fd)

    def _file_among_parents(self, dir_path: str) -> bool:
        while dir_path.startswith(self.path + os.sep):
            if os.path.isfile(dir_path):
                return True
            dir_path = os.path.dirname(dir_path)
        return False

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        file_path = self._fs_path(key)
        try:
            os.remove(file_path)
        except FileNotFoundError:
            raise KeyError(key) from None
        except (IsADirectoryError, PermissionError):
            if not os.path.isdir(file_path):
                raise
            # deleting a "directory key" removes the tree, as in zarr-python
            self._forget_spares(file_path)
            shutil.rmtree(file_path)
        except NotADirectoryError:
            raise KeyError(key) from None
        self._prune(os.path.dirname(file_path))

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            file_path = self._fs_path(key)
        except InvalidKeyError:
            return False
        try:
            return stat.S_ISREG(os.stat(file_path).st_mode)
        except (OSError, ValueError):
            return False

    def __iter__(self) -> Iterator[str]:
        return iter(self._walk(self.path, ""))

    def __len__(self) -> int:
        return len(self._walk(self.path, ""))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.path == other.path  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.path))

    def __repr__(self) -> str:
        return f"<zarr5.storage.{type(self).__name__}: {self.path!r}>"

    # a tuple, not a dict: arrays on disk pickle to a few bytes more than their path
    def __getstate__(self) -> tuple:
        return (self.path, self.normalize_keys, self._dimension_separator, self._read_only)

    def __setstate__(self, state: tuple) -> None:
        self.path, self.normalize_keys, self._dimension_separator, self._read_only = state

    # listing
    def _walk(self, dir_path: str, prefix: str) -> list[str]:
        """Sorted keys of every file under ``dir_path``, each prefixed with ``prefix``."""
        keys: list[str] = []
        try:
            entries = sorted(os.scandir(dir_path), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return keys
        for entry in entries:
            if _is_temp(entry.name):
                continue
            if entry.is_dir(follow_symlinks=True):
                keys.extend(self._walk(entry.path, prefix + entry.name + "/"))
            else:
                keys.append(prefix + entry.name)
        return keys

    @staticmethod
    def _keys_fast(path: str, walker: Any = os.walk) -> Iterator[str]:
        """Every key under the directory ``path``, from ``walker``'s (dir, subdirs, files) triples."""
        for dir_path, _dirs, files in walker(path):
            relative = os.path.relpath(dir_path, path)
            prefix = "" if relative == os.curdir else relative.replace(os.sep, "/") + "/"
            for name in files:
                if not _is_temp(name):
                    yield prefix + name

    def may_hold_keys(self, path: str = "") -> bool:
        # keys under a path are files under its directory: no directory, no keys (one stat)
        dir_path = self._dir_path(path)
        try:
            return stat.S_ISDIR(os.stat(dir_path).st_mode)
        except (FileNotFoundError, NotADirectoryError):
            self._missing_dir = dir_path  # a node is about to be made there (only a hint: see _write_file)
            return False
        except (OSError, ValueError):
            return True  # cannot tell (permissions...): let the key probes decide and report

    def listdir(self, path: str = "") -> list[str]:
        try:
            with os.scandir(self._dir_path(path)) as it:
                return sorted(e.name for e in it if not _is_temp(e.name))
        except (FileNotFoundError, NotADirectoryError):
            return []

    def list_prefix(self, path: str = "") -> list[str]:
        path = normalize_path(path)
        return self._walk(self._dir_path(path), path + "/" if path else "")

    def dir_path(self, path: str | None = None) -> str:
        """The file-system directory of hierarchy ``path``."""
        return self._dir_path(path or "")

    def getsize(self, path: str = "") -> int:
        path = normalize_path(path)
        if path and path in self:
            try:
                return os.path.getsize(self._fs_path(path))
            except FileNotFoundError:
                return 0  # removed since we looked
        return _files_size(self._dir_path(path))

    # hierarchy edits
    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        dir_path = self._dir_path(path)
        if not os.path.isdir(dir_path):
            return
        self._forget_spares(dir_path)
        if dir_path == self.path:
            # keep the root itself: it is the store
            with os.scandir(dir_path) as it:
                for entry in list(it):
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path)
                    else:
                        _remove_quietly(entry.path)
            return
        shutil.rmtree(dir_path)
        self._prune(os.path.dirname(dir_path))

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        src, dst = _check_rename(src_path, dst_path)
        src_fs, dst_fs = self._dir_path(src), self._dir_path(dst)
        if not os.path.exists(src_fs):
            return
        os.makedirs(os.path.dirname(dst_fs), exist_ok=True)
        self._forget_spares(src_fs)  # they would be left behind, hidden, under the new name
        os.rename(src_fs, dst_fs)
        self._prune(os.path.dirname(src_fs))

    def clear(self) -> None:
        self.rmdir("")

    def _prune(self, dir_path: str) -> None:
        # drop directories a removal left empty, up to (never including) the root
        root = self.path
        while dir_path != root and dir_path.startswith(root + os.sep):
            try:
                os.rmdir(dir_path)
            except OSError:
                # our spare files must not keep a directory of no keys alive
                if not self._forget_spares(dir_path, below=False):
                    return
                try:
                    os.rmdir(dir_path)
                except OSError:
                    return
            dir_path = os.path.dirname(dir_path)

    def _forget_spares(self, dir_path: str, below: bool = True) -> bool:
        spares = self.__dict__.get("_spare_files")
        return spares is not None and spares.forget(dir_path, below)

    def close(self) -> None:
        """Remove this store's spare files (see :meth:`write_back`); the store stays usable."""
        spares = self.__dict__.get("_spare_files")
        if spares is not None:
            spares.close()

    # batches: one file per key, so threads overlap the system calls
    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(keys)

        def read(key: str) -> bytes | None:
            try:
                return self[key]
            except KeyError:
                return None

        values = map_io(read, keys)
        return {k: v for k, v in zip(keys, values) if v is not None}

    def get_partial_values(self, ranges: Sequence[tuple[str, int, int | None]]) -> list[bytes | None]:
        def read(item: tuple[str, int, int | None]) -> bytes | None:
            key, start, length = item
            try:
                with open(self._fs_path(key), "rb") as f:
                    # seek so that only the asked-for bytes are read from disk
                    if start < 0:
                        f.seek(max(0, f.seek(0, os.SEEK_END) + start))
                    else:
                        f.seek(start)
                    return f.read() if length is None else f.read(length)
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                return None

        return map_io(read, list(ranges))

    @property
    def native_set_many(self) -> bool:
        """Whether set_many writes a group of files with the GIL released once (the native loop): the
        engine then encodes small chunks on several threads, each storing its groups while another
        encodes. Not for a subclass with its own ``__setitem__``, whose writes the engine must call."""
        return _filewrite is not None and _SLASH_SEP and type(self).__setitem__ is DirectoryStore.__setitem__

    def set_many(self, items: Mapping[str, Any]) -> None:
        """Write many keys, each atomically (a temporary file renamed into place). With the native loop
        a group of up to 63 keys is written in one call on this thread with the GIL released, a larger
        one in one such call per pool thread; without it, one task per pool thread runs a loop of four
        system calls per key (open, write, close, rename) and no further Python call. A key needing
        more (a missing directory, a directory of keys in the way) takes the general path."""
        self._check_writable()
        checked = [(k, self._fs_path(k), ensure_bytes(v)) for k, v in items.items()]
        if self.native_set_many and len(checked) < _NATIVE_INLINE:
            self._write_files(checked)
        else:
            run_in_slices(self._write_files, checked)

    def _write_files(self, batch: Sequence[tuple[str, str, bytes]]) -> None:
        if _filewrite is not None and _SLASH_SEP:
            self._write_files_native(batch)
            return
        if not _SLASH_SEP or self.fsync:
            for key, file_path, data in batch:
                self._write_file(key, file_path, data)
            return
        for key, file_path, data in batch:
            head, _, name = file_path.rpartition("/")
            temp_path = f"{head}/{_temp_name(name)}"
            try:
                fd = os.open(temp_path, _O_WRITE, 0o666)
            except OSError as e:
                if isinstance(e, FileNotFoundError):
                    self._missing_dir = head or "/"  # (a hint: see _write_file) make it, then write
                self._write_file(key, file_path, data)
                continue
            try:
                try:
                    written = os.write(fd, data)
                finally:
                    os.close(fd)
                if written == len(data):
                    os.rename(temp_path, file_path)
                    continue
            except OSError:
                pass  # a directory of keys in the way...: the general path tells or handles it
            except BaseException:
                _remove_quietly(temp_path)
                raise
            _remove_quietly(temp_path)
            self._write_file(key, file_path, data)  # (or a short write: it writes the rest)

    def _write_files_native(self, batch: Sequence[tuple[str, str, bytes]]) -> None:
        # the native loop makes a missing directory one level deep and stops at the first key it cannot
        # write (leaving no temporary file): that key takes the general path, which makes deeper
        # directories or raises the error, then the loop goes on with the rest
        pairs = [(file_path, data) for _, file_path, data in batch]
        start = 0
        while True:
            start, error = _filewrite.write_files(pairs, _native_token, self.fsync, start)
            if start == len(pairs):
                return
            key, file_path, data = batch[start]
            if error == errno.ENOENT:
                self._missing_dir = file_path.rpartition("/")[0] or "/"
            self._write_file(key, file_path, data)
            start += 1

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        keys = [normalize_key(k) for k in keys]

        def delete(key: str) -> None:
            try:
                del self[key]
            except KeyError:
                pass

        map_io(delete, keys)


def _read_file(file_path: str) -> bytes:
    """The whole content of a file: os-level calls, about half the cost of ``open().read()``."""
    fd = os.open(file_path, _O_READ)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(file_path)
        size = st.st_size
        # one byte more than the size: a short answer then means end of file, no second read needed
        data = os.read(fd, size + 1)
        if len(data) <= size and len(data) < _MAX_READ:
            return data
        parts = [data]
        while True:
            more = os.read(fd, max(size, 1 << 16))
            if not more:
                return b"".join(parts)
            parts.append(more)
    finally:
        os.close(fd)


def _byte_view(value: Any) -> Any:
    """``value``'s bytes for writing out at once: bytes, or a flat byte view of a contiguous buffer (a
    cached chunk's own memory: no copy), else ``ensure_bytes``' copy and checks."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, np.ndarray) and not value.dtype.hasobject and value.flags.c_contiguous:
        return value.reshape(-1).view(np.uint8).data
    return ensure_bytes(value)


def _make_dirs(dir_path: str) -> None:
    """``os.makedirs(dir_path, exist_ok=True)`` with one mkdir(2) when only the last level is missing."""
    try:
        os.mkdir(dir_path)
    except FileExistsError:
        pass  # a concurrent writer made it; or it is a file, which the retried write reports
    except FileNotFoundError:
        os.makedirs(dir_path, exist_ok=True)


def _files_size(dir_path: str) -> int:
    """Bytes of the files directly in ``dir_path`` (zarr-2's getsize counts one level)."""
    total = 0
    try:
        entries = list(os.scandir(dir_path))
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for entry in entries:
        if _is_temp(entry.name):
            continue
        try:
            if entry.is_file():
                total += entry.stat().st_size
        except FileNotFoundError:
            pass  # removed while we were counting
    return total


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


_CHUNK_KEY = re.compile(r"^\d+(\.\d+)+$")


class NestedDirectoryStore(DirectoryStore):
    """A DirectoryStore whose arrays nest their chunks in directories: chunk (0, 0, 1) is file ``0/0/1``.

    As in zarr-python 2.18, keys are stored as they are: the store's ``dimension_separator='/'`` is
    what arrays created here name in their metadata, and what arrays whose ``.zarray`` names no
    separator (written by zarr-python before 2.8) are read with. An array that names '.' keeps its
    flat chunk files.
    """

    def __init__(self, path: str | os.PathLike, normalize_keys: bool = False,
                 dimension_separator: str | None = "/", *, read_only: bool = False) -> None:
        if dimension_separator not in (None, "/"):
            raise ValueError(f"NestedDirectoryStore only supports '/' as dimension_separator, "
                             f"not {dimension_separator!r}")
        super().__init__(path, normalize_keys=normalize_keys, dimension_separator="/", read_only=read_only)


def _rmtree_at_exit(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


class TempStore(DirectoryStore):
    """A DirectoryStore in a fresh temporary directory, removed when the interpreter exits."""

    def __init__(self, suffix: str = "", prefix: str = "zarr", dir: str | None = None,
                 normalize_keys: bool = False, dimension_separator: str | None = None) -> None:
        path = tempfile.mkdtemp(suffix=suffix, prefix=prefix, dir=dir)
        atexit.register(_rmtree_at_exit, path)
        super().__init__(path, normalize_keys=normalize_keys, dimension_separator=dimension_separator)
