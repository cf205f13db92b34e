"""Synchronizers: per-key locks that make read-modify-write of chunks and attributes safe.

A synchronizer maps a store key to a lock (a context manager). The engine takes

- the lock of a chunk key around the read-decode-merge-encode-write of a partly written chunk;
- the lock of a ``.zattrs`` key around every attribute change (the document is re-read under it);
- the lock of a ``.zarray`` key around ``resize`` and ``append`` (the metadata are re-read under it).

Keys never nest except ``.zarray`` -> chunk keys (an append writes its data while holding the
``.zarray`` lock), so locks are taken in one order and cannot deadlock.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import defaultdict
from typing import Any, Protocol

import fasteners

from zarr5.storage import normalize_key

__all__ = ["ProcessSynchronizer", "Synchronizer", "ThreadSynchronizer"]

# polling bounds for the file lock: fasteners retries a non-blocking lock, starting at the first
# delay and backing off to the second; its defaults (10 ms -> 100 ms) idle most of a busy lock's time
_POLL_DELAY = 0.0005
_POLL_MAX_DELAY = 0.005


class Synchronizer(Protocol):
    """What the engine asks of a synchronizer: the lock (a context manager) guarding one store key."""

    def __getitem__(self, item: str) -> Any: ...


class ThreadSynchronizer:
    """One ``threading.Lock`` per key, for threads of one process.

    Examples
    --------
    >>> sync = ThreadSynchronizer()
    >>> with sync["foo/0.0"]:
    ...     pass
    """

    def __init__(self) -> None:
        self.mutex = threading.Lock()
        self.locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

    def __getitem__(self, item: str) -> threading.Lock:
        with self.mutex:
            return self.locks[item]

    # a pickled ThreadSynchronizer starts afresh: its locks belong to one process
    def __getstate__(self) -> bool:
        return True

    def __setstate__(self, state: Any) -> None:
        type(self).__init__(self)

    def __repr__(self) -> str:
        return "<zarr5.sync.ThreadSynchronizer>"


class _Holder:
    """A weak-referenceable box for the in-process lock of one (directory, key) pair."""

    __slots__ = ("lock", "__weakref__")

    def __init__(self) -> None:
        self.lock = threading.Lock()


# in-process locks, shared by every ProcessSynchronizer on the same directory; an entry lives as
# long as some ProcessLock refers to it, so memory does not grow with the number of keys ever locked
_holders: weakref.WeakValueDictionary[tuple[str, str], _Holder] = weakref.WeakValueDictionary()
_holders_mutex = threading.Lock()


def _holder(path: str, key: str) -> _Holder:
    with _holders_mutex:
        holder = _holders.get((path, key))
        if holder is None:
            holder = _holders[(path, key)] = _Holder()
        return holder


class ProcessLock:
    """The lock of one key: a thread lock for this process's threads, then a file lock for processes.

    POSIX record locks (what fasteners takes) belong to a process, not a thread: two threads of one
    process would both "hold" the same file lock. The thread lock in front makes the pair exclusive
    between threads as well as between processes.
    """

    def __init__(self, file_path: str, holder: _Holder) -> None:
        self.path = file_path
        self._holder = holder
        self._file_lock = fasteners.InterProcessLock(file_path)

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        """Take the lock; with ``blocking=False`` or a ``timeout``, return False if it is busy."""
        thread_timeout = -1 if timeout is None else timeout
        if not self._holder.lock.acquire(blocking, thread_timeout if blocking else -1):
            return False
        try:
            taken = self._file_lock.acquire(blocking=blocking, delay=_POLL_DELAY, max_delay=_POLL_MAX_DELAY,
                                            timeout=timeout)
        except BaseException:
            self._holder.lock.release()
            raise
        if not taken:
            self._holder.lock.release()
        return taken

    def release(self) -> None:
        try:
            self._file_lock.release()
        finally:
            self._holder.lock.release()

    def __enter__(self) -> ProcessLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<zarr5.sync.ProcessLock {self.path!r}>"


class ProcessSynchronizer:
    """One file lock per key under the directory ``path``, for processes sharing a file system.

    The lock of key ``foo/0.0`` is the file ``<path>/foo/0.0``, the layout zarr-python 2 uses, so
    zarr5 and zarr-python processes sharing one ``path`` exclude each other. ``path`` should be a
    directory of its own, not the store. Locks also exclude threads of one process.

    Examples
    --------
    >>> import os, tempfile
    >>> sync = ProcessSynchronizer(os.path.join(tempfile.mkdtemp(), "locks"))
    >>> with sync["foo/0.0"]:
    ...     os.path.isfile(os.path.join(sync.path, "foo", "0.0"))
    True
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = os.path.abspath(os.fspath(path))

    def __getitem__(self, item: str) -> ProcessLock:
        # a key that could escape the directory (.., absolute, NUL) must never name a lock file
        key = normalize_key(item)
        return ProcessLock(os.path.join(self.path, *key.split("/")), _holder(self.path, key))

    # only the path travels: the child process opens its own lock files
    def __getstate__(self) -> str:
        return self.path

    def __setstate__(self, state: str) -> None:
        type(self).__init__(self, state)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProcessSynchronizer) and self.path == other.path

    def __hash__(self) -> int:
        return hash((ProcessSynchronizer, self.path))

    def __repr__(self) -> str:
        return f"<zarr5.sync.ProcessSynchronizer {self.path!r}>"
