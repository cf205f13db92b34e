"""SQLiteStore: keys and values in one SQLite table, ``zarr(k TEXT PRIMARY KEY, v BLOB)``.

The table layout is zarr-python 2's, so databases move between the two. Prefix queries
(``listdir``, ``rmdir``, ``rename``, ``getsize``) run as range scans on the primary key:
``k >= 'a/' AND k < 'a0'`` selects exactly the keys under ``a/`` ('0' follows '/' in byte order).
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from zarr5.storage.base import (
    ReopenedWhenUnpickled,
    Store,
    _check_rename,
    batches,
    ensure_bytes,
    is_valid_key,
    normalize_dimension_separator,
    normalize_key,
    normalize_path,
)

# stay well under SQLite's limit on bound parameters per statement
_BATCH = 500


def _range(path: str) -> tuple[str, str]:
    """Bounds (low, high) such that low <= k < high selects the keys under ``path`` (not '')."""
    return path + "/", path + "0"


class SQLiteStore(ReopenedWhenUnpickled, Store):
    """Store keys in the SQLite database ``path`` (``':memory:'`` for a private in-memory one).

    Extra keyword arguments go to :func:`sqlite3.connect`. One connection is shared by all
    threads, serialized by a lock.

    Examples
    --------
    >>> store = SQLiteStore(":memory:")
    >>> store["foo/.zgroup"] = b'{"zarr_format": 2}'
    >>> store.listdir(), store.getsize("foo")
    (['foo'], 18)
    """

    def __init__(self, path: str | os.PathLike, dimension_separator: str | None = None,
                 **kwargs: Any) -> None:
        path = os.fspath(path)
        self.path = path if path == ":memory:" else os.path.abspath(path)
        self.kwargs = kwargs
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self.lock = threading.RLock()
        # autocommit (isolation_level=None); batches open their own transaction
        self.db = sqlite3.connect(self.path, detect_types=0, isolation_level=None,
                                  check_same_thread=False, **kwargs)
        self.db.text_factory = str
        with self.lock:
            self.db.execute("CREATE TABLE IF NOT EXISTS zarr(k TEXT PRIMARY KEY, v BLOB)")

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        with self.lock:
            return self.db.execute(sql, tuple(params)).fetchall()

    def _transaction(self, statements: Iterable[tuple[str, Iterable[Any]]]) -> None:
        with self.lock:
            self.db.execute("BEGIN")
            try:
                for sql, params in statements:
                    self.db.executemany(sql, params)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    # life cycle
    def close(self) -> None:
        """Close the database connection."""
        with self.lock:
            self.db.close()

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        if self.path == ":memory:":
            raise pickle.PicklingError("an in-memory SQLiteStore cannot be pickled")
        return (self.path, self._dimension_separator), self.kwargs

    # mapping
    def __getitem__(self, key: str) -> bytes:
        rows = self._query("SELECT v FROM zarr WHERE k = ?", (normalize_key(key),))
        if not rows:
            raise KeyError(key)
        return bytes(rows[0][0])

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        self._query("REPLACE INTO zarr VALUES (?, ?)", (normalize_key(key), ensure_bytes(value)))

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        with self.lock:
            cursor = self.db.execute("DELETE FROM zarr WHERE k = ?", (normalize_key(key),))
            if cursor.rowcount < 1:
                raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return is_valid_key(key) and bool(self._query("SELECT 1 FROM zarr WHERE k = ?", (key,)))

    def __iter__(self) -> Iterator[str]:
        # fetched at once: iterating a live cursor while the caller writes would be undefined
        return iter([k for (k,) in self._query("SELECT k FROM zarr ORDER BY k")])

    def __len__(self) -> int:
        return self._query("SELECT COUNT(*) FROM zarr")[0][0]

    def __eq__(self, other: object) -> bool:
        if self.path == ":memory:":
            return other is self
        return isinstance(other, SQLiteStore) and other.path == self.path

    def __hash__(self) -> int:
        return hash((SQLiteStore, self.path)) if self.path != ":memory:" else id(self)

    def __repr__(self) -> str:
        return f"<zarr5.storage.SQLiteStore: {self.path!r}>"

    # batches
    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = [normalize_key(k) for k in keys]
        out: dict[str, bytes] = {}
        for batch in batches(keys, _BATCH):
            marks = ",".join("?" * len(batch))
            for k, v in self._query(f"SELECT k, v FROM zarr WHERE k IN ({marks})", batch):
                out[k] = bytes(v)
        return out

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        rows = [(normalize_key(k), ensure_bytes(v)) for k, v in items.items()]
        self._transaction([("REPLACE INTO zarr VALUES (?, ?)", rows)])

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        rows = [(normalize_key(k),) for k in keys]
        self._transaction([("DELETE FROM zarr WHERE k = ?", rows)])

    # hierarchy, in SQL
    def listdir(self, path: str = "") -> list[str]:
        path = normalize_path(path)
        child = ("SELECT DISTINCT CASE WHEN instr(rest, '/') > 0 THEN substr(rest, 1, instr(rest, '/') - 1) "
                 "ELSE rest END AS name FROM ({}) ORDER BY name")
        if not path:
            return [n for (n,) in self._query(child.format("SELECT k AS rest FROM zarr"))]
        low, high = _range(path)
        inner = "SELECT substr(k, ?) AS rest FROM zarr WHERE k >= ? AND k < ?"
        return [n for (n,) in self._query(child.format(inner), (len(low) + 1, low, high))]

    def list_prefix(self, path: str = "") -> list[str]:
        path = normalize_path(path)
        if not path:
            return list(self)
        return [k for (k,) in self._query("SELECT k FROM zarr WHERE k >= ? AND k < ? ORDER BY k",
                                          _range(path))]

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        path = normalize_path(path)
        if not path:
            self._query("DELETE FROM zarr")
        else:
            self._query("DELETE FROM zarr WHERE k >= ? AND k < ?", _range(path))

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        src, dst = _check_rename(src_path, dst_path)
        low, high = _range(src)
        # OR REPLACE: a moved key overwrites a key already at its destination, as on a file system
        sql = "UPDATE OR REPLACE zarr SET k = ? || substr(k, ?) WHERE k = ? OR (k >= ? AND k < ?)"
        self._transaction([(sql, [(dst, len(src) + 1, src, low, high)])])

    def getsize(self, path: str = "") -> int:
        path = normalize_path(path)
        # one level: the keys directly under path (no further '/' in the rest of the key)
        if not path:
            return self._query("SELECT COALESCE(SUM(length(v)), 0) FROM zarr WHERE instr(k, '/') = 0")[0][0]
        rows = self._query("SELECT length(v) FROM zarr WHERE k = ?", (path,))
        if rows:
            return rows[0][0]
        low, high = _range(path)
        return self._query("SELECT COALESCE(SUM(length(v)), 0) FROM zarr WHERE k >= ? AND k < ? "
                           "AND instr(substr(k, ?), '/') = 0", (low, high, len(low) + 1))[0][0]

    def clear(self) -> None:
        self.rmdir("")
