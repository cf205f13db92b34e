"""LMDBStore: keys and values in an LMDB environment (optional dependency ``lmdb``).

Keys are stored UTF-8 encoded; LMDB keeps them sorted, so prefix queries (``listdir``, ``rmdir``,
``getsize``) are cursor range scans. Batches (``get_many``/``set_many``/``delete_many``) run in
one transaction each. Writes are not synced to disk until ``flush()`` or ``close()``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from zarr5.storage.base import (
    ReopenedWhenUnpickled,
    Store,
    ensure_bytes,
    is_valid_key,
    normalize_dimension_separator,
    normalize_key,
    normalize_path,
)


def _import_lmdb() -> Any:
    try:
        import lmdb
    except ImportError as e:
        raise ImportError("LMDBStore needs the 'lmdb' package: pip install zarr5[lmdb]") from e
    return lmdb


class LMDBStore(ReopenedWhenUnpickled, Store):
    """Store keys in the LMDB environment at ``path`` (a directory unless ``subdir=False``).

    Parameters
    ----------
    path : str or os.PathLike
        Environment location.
    buffers : bool
        Read through LMDB buffers, saving one copy per value (values are returned as bytes either way).
    dimension_separator : {None, '.', '/'}
        Chunk key separator that arrays created here default to.
    **kwargs
        Passed to ``lmdb.open``; ``readonly=True`` makes the store read-only. Defaults chosen for
        arrays: ``map_size=2**40`` (64-bit), no sync on each commit, ``writemap`` on Linux.

    Examples
    --------
    >>> import os, tempfile
    >>> with LMDBStore(os.path.join(tempfile.mkdtemp(), "data.lmdb")) as store:
    ...     store["foo/.zgroup"] = b'{"zarr_format": 2}'
    ...     store.listdir("foo")
    ['.zgroup']
    """

    def __init__(self, path: str | os.PathLike, buffers: bool = True,
                 dimension_separator: str | None = None, **kwargs: Any) -> None:
        lmdb = _import_lmdb()
        # lmdb's own default map (10 MiB) is too small for any real array; the map is sparse
        kwargs.setdefault("map_size", 2**40 if sys.maxsize >= 2**32 else 2**28)
        kwargs.setdefault("meminit", False)
        # writemap needs sparse files to avoid reserving map_size on disk; Linux has them
        kwargs.setdefault("writemap", sys.platform.startswith("linux"))
        # syncing every commit costs more than it saves here; flush()/close() sync
        kwargs.setdefault("metasync", False)
        kwargs.setdefault("sync", False)
        kwargs.setdefault("map_async", False)
        kwargs.setdefault("max_spare_txns", multiprocessing.cpu_count())
        self.path = os.path.abspath(os.fspath(path))
        self.buffers = buffers
        self.kwargs = kwargs
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self._read_only = bool(kwargs.get("readonly", False))
        self.db = lmdb.open(self.path, **kwargs)

    # life cycle
    def close(self) -> None:
        """Sync and close the environment."""
        self.db.close()

    def flush(self) -> None:
        """Sync the environment to disk."""
        if not self._read_only:
            self.db.sync()

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        with contextlib.suppress(Exception):
            self.flush()  # fails harmlessly when already closed
        return (self.path, self.buffers, self._dimension_separator), self.kwargs

    # mapping
    @staticmethod
    def _encode(key: str) -> bytes:
        return normalize_key(key).encode("utf-8")

    def __getitem__(self, key: str) -> bytes:
        k = self._encode(key)
        with self.db.begin(buffers=self.buffers) as txn:
            value = txn.get(k)
            # a buffer is only valid inside its transaction: copy before leaving it
            if value is not None:
                return bytes(value)
        raise KeyError(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        k, v = self._encode(key), ensure_bytes(value)
        with self.db.begin(write=True) as txn:
            txn.put(k, v)

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        k = self._encode(key)
        with self.db.begin(write=True) as txn:
            if not txn.delete(k):
                raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if not is_valid_key(key):
            return False
        with self.db.begin(buffers=True) as txn, txn.cursor() as cursor:
            return cursor.set_key(key.encode("utf-8"))

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys_under(b""))

    def __len__(self) -> int:
        return self.db.stat()["entries"]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LMDBStore) and self.path == other.path

    def __hash__(self) -> int:
        return hash((LMDBStore, self.path))

    def __repr__(self) -> str:
        return f"<zarr5.storage.LMDBStore: {self.path!r}>"

    # range scans over the sorted keys
    def _keys_under(self, prefix: bytes) -> list[str]:
        keys: list[str] = []
        with self.db.begin() as txn, txn.cursor() as cursor:
            if not cursor.set_range(prefix):
                return keys
            for k in cursor.iternext(keys=True, values=False):
                if not k.startswith(prefix):
                    break
                keys.append(k.decode("utf-8"))
        return keys

    @staticmethod
    def _prefix(path: str) -> bytes:
        path = normalize_path(path)
        return (path + "/").encode("utf-8") if path else b""

    def list_prefix(self, path: str = "") -> list[str]:
        return self._keys_under(self._prefix(path))

    def listdir(self, path: str = "") -> list[str]:
        prefix = self._prefix(path).decode("utf-8")
        return sorted({k[len(prefix):].split("/", 1)[0] for k in self.list_prefix(path)})

    def getsize(self, path: str = "") -> int:
        path = normalize_path(path)
        prefix = self._prefix(path)
        with self.db.begin(buffers=True) as txn:
            if path:
                value = txn.get(path.encode("utf-8"))
                if value is not None:
                    return len(value)
            total = 0
            with txn.cursor() as cursor:
                if cursor.set_range(prefix):
                    for k, v in cursor.iternext(keys=True, values=True):
                        k = bytes(k)
                        if not k.startswith(prefix):
                            break
                        if b"/" not in k[len(prefix):]:  # one level: keys directly under path
                            total += len(v)
            return total

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        prefix = self._prefix(path)
        with self.db.begin(write=True) as txn, txn.cursor() as cursor:
            if cursor.set_range(prefix):
                # delete() moves the cursor to the next record, so no explicit step
                while cursor.key().startswith(prefix) and cursor.delete():
                    pass

    # batches, one transaction each
    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        pairs = [(k, self._encode(k)) for k in keys]
        out = {}
        with self.db.begin(buffers=self.buffers) as txn:
            for key, k in pairs:
                value = txn.get(k)
                if value is not None:
                    out[key] = bytes(value)
        return out

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        rows = [(self._encode(k), ensure_bytes(v)) for k, v in items.items()]
        with self.db.begin(write=True) as txn, txn.cursor() as cursor:
            cursor.putmulti(rows)

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        encoded = [self._encode(k) for k in keys]
        with self.db.begin(write=True) as txn:
            for k in encoded:
                txn.delete(k)

    def clear(self) -> None:
        self._check_writable()
        with self.db.begin(write=True) as txn:
            txn.drop(self.db.open_db(txn=txn), delete=False)
