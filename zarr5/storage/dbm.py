"""DBMStore: keys and values in a DBM-style database (:func:`dbm.open` or any compatible opener).

DBM databases map bytes to bytes: keys are stored UTF-8 encoded (ASCII keys, all zarr-python 2
ever wrote, are unchanged by that). Which DBM flavour :func:`dbm.open` picks depends on the
Python build, and their files are not interchangeable; pass ``open=dbm.gnu.open`` (or a
Berkeley DB opener) to choose one.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any, cast

from zarr5.storage.base import (
    ReopenedWhenUnpickled,
    Store,
    ensure_bytes,
    is_valid_key,
    normalize_dimension_separator,
    normalize_key,
)


class DBMStore(ReopenedWhenUnpickled, Store):
    """Store keys in the DBM database ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        Database file (some flavours add suffixes).
    flag : str
        ``'r'`` read-only, ``'w'`` read-write, ``'c'`` create if missing (default), ``'n'`` always new.
    mode : int
        Permissions of a newly created file.
    open : callable, optional
        ``open(path, flag, mode, **open_kwargs)``; default :func:`dbm.open`.
    write_lock : bool
        Serialize access from several threads with a lock (DBM modules are not thread-safe).
    dimension_separator : {None, '.', '/'}
        Chunk key separator that arrays created here default to.

    Examples
    --------
    >>> import os, tempfile
    >>> with DBMStore(os.path.join(tempfile.mkdtemp(), "data.db")) as store:
    ...     store["foo/.zgroup"] = b'{"zarr_format": 2}'
    ...     sorted(store)
    ['foo/.zgroup']
    """

    def __init__(self, path: str | os.PathLike, flag: str = "c", mode: int = 0o666,
                 open: Callable[..., Any] | None = None,  # zarr-python's name, shadowing the builtin
                 write_lock: bool = True, dimension_separator: str | None = None,
                 **open_kwargs: Any) -> None:
        if open is None:
            import dbm

            open = cast(Callable[..., Any], dbm.open)  # any flag string dbm knows, not only literals
        self.path = os.path.abspath(os.fspath(path))
        self.flag = flag
        self.mode = mode
        self.open = open
        self.write_lock = write_lock
        self.open_kwargs = open_kwargs
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self._read_only = flag.startswith("r")
        self.write_mutex: Any = threading.RLock() if write_lock else contextlib.nullcontext()
        self.db = open(self.path, flag, mode, **open_kwargs)

    # life cycle
    def close(self) -> None:
        """Close the database, writing whatever the DBM module still buffers."""
        with self.write_mutex:
            if hasattr(self.db, "close"):
                self.db.close()

    def flush(self) -> None:
        """Write buffered changes to the file, keeping the database open."""
        if self._read_only:
            return
        with self.write_mutex:
            if hasattr(self.db, "sync"):
                self.db.sync()
            else:
                # no sync (ndbm): only closing writes, so close and open again without truncating
                self.db.close()
                self.db = self.open(self.path, self._reopen_flag(), self.mode, **self.open_kwargs)

    def _reopen_flag(self) -> str:
        return "c" + self.flag[1:] if self.flag.startswith("n") else self.flag

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        with contextlib.suppress(Exception):
            self.flush()  # fails harmlessly when already closed
        return ((self.path, self._reopen_flag(), self.mode, self.open, self.write_lock,
                 self._dimension_separator), self.open_kwargs)

    # mapping
    @staticmethod
    def _encode(key: str) -> bytes:
        return normalize_key(key).encode("utf-8")

    def __getitem__(self, key: str) -> bytes:
        k = self._encode(key)
        with self.write_mutex:
            try:
                return bytes(self.db[k])
            except KeyError:
                raise KeyError(key) from None

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        k, v = self._encode(key), ensure_bytes(value)
        with self.write_mutex:
            self.db[k] = v

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        k = self._encode(key)
        with self.write_mutex:
            try:
                del self.db[k]
            except KeyError:
                raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        if not is_valid_key(key):
            return False
        with self.write_mutex:
            return key.encode("utf-8") in self.db

    def __iter__(self) -> Iterator[str]:
        with self.write_mutex:
            keys = list(self.db.keys())
        return iter(sorted(k.decode("utf-8") if isinstance(k, bytes) else k for k in keys))

    def __len__(self) -> int:
        with self.write_mutex:
            return len(self.db)

    def __eq__(self, other: object) -> bool:
        # flag and mode may differ: the same database opened twice is the same store
        return (isinstance(other, DBMStore) and self.path == other.path and self.open == other.open
                and self.open_kwargs == other.open_kwargs)

    def __hash__(self) -> int:
        return hash((DBMStore, self.path))

    def __repr__(self) -> str:
        return f"<zarr5.storage.DBMStore: {self.path!r}>"
