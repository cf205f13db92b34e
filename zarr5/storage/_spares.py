"""Spare files: replacing a file atomically without allocating or freeing disk blocks.

DirectoryStore replaces a key by writing a new file and renaming it over the old one. On ext4 that
costs a block allocation for the new file and the freeing (and, mounted with ``discard``, trimming) of
the old one's: 250-500 us for an 80 kB chunk where overwriting it in place costs 20 us. A chunk cache
writing back evicted chunks (the h5py vocabulary) pays that on every miss. Here the blocks are recycled
instead: the new bytes are written into a *spare* file of this process in the key's directory (the
previous version of some chunk there), which Linux's ``renameat2(RENAME_EXCHANGE)`` then swaps with
the key's file in one atomic step. The key names the old file or the new one, never a mix (a process
killed at any point leaves each key old or new); the old file becomes the next spare, nothing is freed.

A spare is written only when no one else has it open: a reader that opened the key's old file just
before the swap may still be reading it. A write lease (``F_SETLEASE``) is granted only to a file no
other descriptor has open, so it is asked for (and at once given back) before each reuse; a spare that
is open elsewhere, hard-linked elsewhere or not ours is dropped and a new one made. What is given up is
ext4's flush of a renamed-over file (``auto_da_alloc``): after a power loss (not a process kill) a key
written in the last seconds may hold its previous bytes or stale ones, as HDF5's in-place writes may;
a store with ``fsync`` set syncs each spare before the swap and keeps old-or-new across power loss too.

Spares are named like the store's temporary files (``.zarr5-spare-<host>-<pid>.<32 hex>.partial``), so
every listing skips them; they are removed when the store is closed or collected, and spares left by a
killed process are removed by the next writer of this host that closes a store using that directory.
Other systems (no ``renameat2``, or a file system refusing the exchange or leases) keep the plain
write-and-rename.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import signal
import socket
import stat
import sys
import threading
import weakref
from typing import Any

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]

# the most spares one store keeps per directory and in all (each holds a file descriptor)
_PER_DIR = 2
_TOTAL = 64
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# errors meaning "this system or file system cannot do it": fall back to write-and-rename
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}
_O_SPARE = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


def _load_renameat2() -> Any:
    if not sys.platform.startswith("linux") or fcntl is None or not hasattr(fcntl, "F_SETLEASE"):
        return None
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_renameat2 = _load_renameat2()
_FS_ENCODING = sys.getfilesystemencoding()
# this process's id, kept current across fork() (os.getpid() is a system call per write-back)
_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)
_HOST = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]
_PREFIX = ".zarr5-spare-"


def available() -> bool:
    """Whether this system can swap files atomically (Linux with renameat2 and leases)."""
    return _renameat2 is not None


def spare_name(pid: int) -> str:
    return f"{_PREFIX}{_HOST}-{pid}.{os.urandom(16).hex()}.partial"


def _owner_pid(name: str) -> int | None:
    """The pid in a spare's name when this host made it, else None."""
    if not name.startswith(_PREFIX + _HOST + "-"):
        return None
    pid = name[len(_PREFIX) + len(_HOST) + 1:].split(".", 1)[0]
    return int(pid) if pid.isdigit() else None


class Unsupported(Exception):
    """The file system cannot exchange files or grant leases: use write-and-rename."""


def exchange(a: str, b: str) -> bool:
    """Swap the files at paths ``a`` and ``b`` atomically; False when ``b`` (or ``a``) does not exist."""
    if _renameat2(_AT_FDCWD, a.encode(_FS_ENCODING, "surrogateescape"), _AT_FDCWD,
                  b.encode(_FS_ENCODING, "surrogateescape"), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err == errno.ENOENT:
        return False
    if err in _UNSUPPORTED:
        raise Unsupported(os.strerror(err))
    raise OSError(err, os.strerror(err), b)


class SpareFiles:
    """The spare files of one store in this process: directory -> [(path, open descriptor)]."""

    def __init__(self) -> None:
        self.pid = _pid
        self.lock = threading.Lock()
        self.by_dir: dict[str, list[tuple[str, int]]] = {}
        self.used_dirs: set[str] = set()
        self.count = 0
        self.enabled = True

    def take(self, dir_path: str) -> tuple[str, int] | None:
        with self.lock:
            held = self.by_dir.get(dir_path)
            if not held:
                return None
            self.count -= 1
            return held.pop()

    def keep(self, dir_path: str, path: str) -> bool:
        """Keep the file now at ``path`` (a key's previous version) as a spare of ``dir_path``; False
        when it is a directory (left where it is: the caller puts it back)."""
        try:
            fd = os.open(path, _O_SPARE)
        except IsADirectoryError:
            return False
        except OSError:
            # not a regular file we may write (a symlink, another's read-only file): drop it
            _remove(path)
            return True
        # someone opening the spare while rewrite() holds its lease (a backup, a copy of the store)
        # breaks the lease, which signals the holder: SIGIO by default, whose default is to terminate.
        # SIGURG's default is to be ignored
        fcntl.fcntl(fd, fcntl.F_SETSIG, signal.SIGURG)
        with self.lock:
            held = self.by_dir.setdefault(dir_path, [])
            if self.enabled and len(held) < _PER_DIR and self.count < _TOTAL:
                held.append((path, fd))
                self.used_dirs.add(dir_path)
                self.count += 1
                return True
        discard(path, fd)
        return True

    def rewrite(self, fd: int, data: Any, fsync: bool) -> bool:
        """Write ``data`` into the spare open as ``fd`` if no one else can see it; False if it is open
        elsewhere, hard-linked or not ours (then the caller drops it)."""
        try:
            fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)  # granted only if no other descriptor is open
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EACCES, errno.EBUSY):
                return False  # open elsewhere, or not our file
            if e.errno in _UNSUPPORTED or e.errno == errno.ENOLCK:
                raise Unsupported(str(e)) from e
            raise
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)  # no one can open it by a key's name meanwhile
        st = os.fstat(fd)
        if st.st_nlink != 1 or not stat.S_ISREG(st.st_mode):
            return False  # a hard link elsewhere (a snapshot of the store) must keep its bytes
        view = memoryview(data).cast("B")
        done = os.pwrite(fd, view, 0)
        while done < len(view):  # a short write (large values): write the rest
            done += os.pwrite(fd, view[done:], done)
        if st.st_size > len(view):
            os.ftruncate(fd, len(view))
        if fsync:
            os.fsync(fd)
        return True

    def forget(self, dir_path: str, below: bool = True) -> bool:
        """Close and remove the spares in ``dir_path`` (and below: it is being removed or moved);
        whether there were any."""
        with self.lock:
            if below:
                dirs = [d for d in self.by_dir if d == dir_path or d.startswith(dir_path + os.sep)]
            else:
                dirs = [dir_path] if dir_path in self.by_dir else []
            gone = [spare for d in dirs for spare in self.by_dir.pop(d)]
            self.count -= len(gone)
        for path, fd in gone:
            discard(path, fd)
        return bool(gone)

    def close(self) -> None:
        """Remove every spare of this store, and spares in the directories it used that processes of
        this host left when they were killed."""
        if _pid != self.pid:
            return  # a forked child's copy: the files are the parent's
        with self.lock:
            gone = [spare for held in self.by_dir.values() for spare in held]
            dirs, self.by_dir, self.used_dirs, self.count = self.used_dirs, {}, set(), 0
        for path, fd in gone:
            discard(path, fd)
        for dir_path in dirs:
            _remove_orphans(dir_path)


def discard(path: str, fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass
    _remove(path)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _remove_orphans(dir_path: str) -> None:
    try:
        with os.scandir(dir_path) as it:
            names = [e.name for e in it if e.name.startswith(_PREFIX)]
    except OSError:
        return
    for name in names:
        pid = _owner_pid(name)
        if pid is None or pid == _pid:
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            _remove(os.path.join(dir_path, name))  # its writer is gone
        except OSError:
            pass  # alive (another user's process)


def spares_of(store: Any) -> SpareFiles | None:
    """The store's spare files for this process (made on first use; None where unavailable)."""
    spares = store.__dict__.get("_spare_files")
    if spares is not None and spares.pid == _pid:
        return spares if spares.enabled else None
    if _renameat2 is None:
        return None
    with _MAKING:
        spares = store.__dict__.get("_spare_files")
        if spares is None or spares.pid != _pid:  # none yet, or the parent's before a fork
            spares = store.__dict__["_spare_files"] = SpareFiles()
            weakref.finalize(store, _finish, spares)
    return spares if spares.enabled else None


_MAKING = threading.Lock()


def _finish(spares: SpareFiles) -> None:
    # the store was collected, or the interpreter exits: a File's own finalizer may still write its
    # cache back after this one ran (at exit they run newest first), so no spare is kept from now on
    spares.enabled = False
    spares.close()
