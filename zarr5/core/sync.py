"""Synchronizers: per-key locks that make read-modify-write of chunks and attributes safe."""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from typing import Any

import fasteners


class ThreadSynchronizer:
    """One ``threading.Lock`` per key, for threads of one process."""

    def __init__(self) -> None:
        self.mutex = threading.Lock()
        self.locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

    def __getitem__(self, item: str) -> threading.Lock:
        with self.mutex:
            return self.locks[item]

    def __getstate__(self) -> bool:
        return True

    def __setstate__(self, state: Any) -> None:
        self.__init__()


class ProcessSynchronizer:
    """One file lock (fasteners) per key under ``path``, for processes sharing a file system."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = os.fspath(path)

    def __getitem__(self, item: str) -> fasteners.InterProcessLock:
        # keys may contain '/', which must not become directories of lock files
        name = item.replace("/", "__")
        os.makedirs(self.path, exist_ok=True)
        return fasteners.InterProcessLock(os.path.join(self.path, name))

    def __getstate__(self) -> str:
        return self.path

    def __setstate__(self, state: str) -> None:
        self.__init__(state)
