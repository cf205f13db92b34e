"""RedisStore: each key a Redis string ``<prefix>:<key>``, as zarr-python 2 lays them out.

Batches are single round trips: ``get_many`` is ``MGET``, ``set_many`` one ``MULTI``/``MSET``/
``EXEC`` transaction (all keys or none), ``delete_many``/``rmdir`` ``DEL`` of many keys, byte ranges
``GETRANGE``. Listings walk ``SCAN`` with a ``MATCH`` pattern (glob characters in keys escaped),
never the blocking ``KEYS``. A server that cannot be reached raises
:class:`zarr5.errors.StoreUnreachableError` naming the server and the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from zarr5.storage._service import describe_keys, import_client, outage
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

# keys per MGET / DEL / pipeline: big enough to amortize a round trip, small enough not to stall Redis
_BATCH = 1000


def _glob_escape(text: str) -> str:
    """``text`` matched literally by Redis' glob patterns (SCAN MATCH)."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RedisStore(ReopenedWhenUnpickled, Store):
    """Store keys in Redis as strings named ``<prefix>:<key>``.

    Parameters
    ----------
    prefix : str
        What every Redis key of this store starts with (before a ``:``); stores with different
        prefixes share a database without seeing each other's keys.
    dimension_separator : {None, '.', '/'}
        Chunk key separator of arrays created here.
    **kwargs
        Passed to :class:`redis.Redis` (``host``, ``port``, ``db``, ``password``, ...).

    Examples
    --------
    See docs/storage.md ("Redis"): the examples there run against a real server.
    """

    def __init__(self, prefix: str = "zarr", dimension_separator: str | None = None,
                 **kwargs: Any) -> None:
        redis = import_client("redis", "RedisStore", "redis")
        self._prefix = prefix
        self._kwargs = kwargs
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self.client = redis.Redis(**kwargs)
        self._outage_errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

    @property
    def server(self) -> str:
        """Where the server is, for messages: ``Redis server 127.0.0.1:6379``."""
        kw = self.client.connection_pool.connection_kwargs
        where = kw.get("path") or f"{kw.get('host', 'localhost')}:{kw.get('port', 6379)}"
        return f"Redis server {where}"

    def _outage(self, doing: str) -> Any:
        return outage(self._outage_errors, self.server, doing)

    def _key(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    def _scan(self, path: str) -> list[str]:
        """Store keys under hierarchy ``path`` ('' = all), sorted."""
        head = self._key(path + "/" if path else "")
        with self._outage(f"listing {path or 'the store root'!r}"):
            found = self.client.scan_iter(match=_glob_escape(head) + "*", count=_BATCH)
            keys = [k.decode("utf-8")[len(self._prefix) + 1:] for k in found]
        return sorted(set(keys))

    # life cycle
    def close(self) -> None:
        """Close the client's connections (a later call reconnects)."""
        self.client.close()

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        return (self._prefix, self._dimension_separator), self._kwargs

    # mapping
    def __getitem__(self, key: str) -> bytes:
        name = self._key(normalize_key(key))
        with self._outage(f"reading key {key!r}"):
            value = self.client.get(name)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        name, data = self._key(normalize_key(key)), ensure_bytes(value)
        with self._outage(f"writing key {key!r}"):
            self.client.set(name, data)

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        name = self._key(normalize_key(key))
        with self._outage(f"deleting key {key!r}"):
            count = self.client.delete(name)
        if not count:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if not is_valid_key(key):
            return False
        with self._outage(f"looking up key {key!r}"):
            return bool(self.client.exists(self._key(key)))  # type: ignore[arg-type]

    def keylist(self) -> list[str]:
        """Every key of the store (zarr-python 2's name for it)."""
        return self._scan("")

    def __iter__(self) -> Iterator[str]:
        return iter(self._scan(""))

    def __len__(self) -> int:
        return len(self._scan(""))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RedisStore) and other._prefix == self._prefix
                and other.server == self.server and other._kwargs.get("db", 0) == self._kwargs.get("db", 0))

    def __hash__(self) -> int:
        return hash((RedisStore, self._prefix, self.server))

    def __repr__(self) -> str:
        return f"<zarr5.storage.RedisStore: {self.server}, prefix {self._prefix!r}>"

    # batches
    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = [normalize_key(k) for k in keys]
        out: dict[str, bytes] = {}
        for batch in batches(keys, _BATCH):
            with self._outage(f"reading {describe_keys(batch)}"):
                values = self.client.mget([self._key(k) for k in batch])
            out.update((k, v) for k, v in zip(batch, values) if v is not None)
        return out

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        # every key and value checked before the first byte leaves: a bad item writes nothing
        checked = {self._key(normalize_key(k)): ensure_bytes(v) for k, v in items.items()}
        if not checked:
            return
        names = list(checked)
        # one MULTI/EXEC transaction: Redis applies all of it or (connection lost first) none
        pipe = self.client.pipeline(transaction=True)
        for batch in batches(names, _BATCH):
            pipe.mset({n: checked[n] for n in batch})
        with self._outage(f"writing {describe_keys([n[len(self._prefix) + 1:] for n in names])}"):
            pipe.execute()

    def _delete_names(self, names: list[str], doing: str) -> None:
        with self._outage(doing):
            pipe = self.client.pipeline(transaction=True)
            for batch in batches(names, _BATCH):
                pipe.delete(*batch)
            pipe.execute()

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        keys = [normalize_key(k) for k in keys]
        if keys:
            self._delete_names([self._key(k) for k in keys], f"deleting {describe_keys(keys)}")

    def get_partial_values(self, ranges: Sequence[tuple[str, int, int | None]]) -> list[bytes | None]:
        ranges = [(normalize_key(k), start, length) for k, start, length in ranges]
        if not ranges:
            return []
        pipe = self.client.pipeline(transaction=True)
        for key, start, length in ranges:
            # GETRANGE's end is inclusive; a suffix (negative start) is fetched to the end and cut
            # here, because Redis clamps a too-early negative end differently from Python slicing
            end = -1 if length is None or start < 0 else start + length - 1
            pipe.exists(self._key(key))
            if length == 0:
                pipe.strlen(self._key(key))  # GETRANGE cannot ask for nothing; keeps pairs aligned
            else:
                pipe.getrange(self._key(key), start, end)
        with self._outage(f"reading byte ranges of {describe_keys([k for k, _, _ in ranges])}"):
            answers = pipe.execute()
        out: list[bytes | None] = []
        for (_, start, length), exists, value in zip(ranges, answers[::2], answers[1::2]):
            if not exists:
                out.append(None)
            elif length == 0:
                out.append(b"")
            else:
                out.append(value[:length] if start < 0 and length is not None else value)
        return out

    # hierarchy
    def listdir(self, path: str = "") -> list[str]:
        path = normalize_path(path)
        cut = len(path) + 1 if path else 0
        return sorted({k[cut:].split("/", 1)[0] for k in self._scan(path)})

    def list_prefix(self, path: str = "") -> list[str]:
        return self._scan(normalize_path(path))

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        path = normalize_path(path)
        keys = self._scan(path)
        if keys:
            self._delete_names([self._key(k) for k in keys], f"removing {path or 'the store root'!r}")

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        src, dst = _check_rename(src_path, dst_path)
        with self._outage(f"renaming {src!r}"):
            single = self.client.exists(self._key(src))
        moves = ([src] if single else []) + self._scan(src)
        if not moves:
            return
        # RENAME overwrites a key already at the destination, as a file system move does
        pipe = self.client.pipeline(transaction=True)
        for key in moves:
            pipe.rename(self._key(key), self._key(dst + key[len(src):]))
        with self._outage(f"renaming {src!r} to {dst!r}"):
            pipe.execute()

    def getsize(self, path: str = "") -> int:
        path = normalize_path(path)
        prefix = path + "/" if path else ""
        # the contract's (zarr-2's) rule: a key's size, else the keys directly under path
        keys = [k for k in self._scan(path) if "/" not in k[len(prefix):]]
        pipe = self.client.pipeline(transaction=False)
        if path:
            pipe.strlen(self._key(path))  # a key's own size (0 if there is no such key)
        for key in keys:
            pipe.strlen(self._key(key))
        with self._outage(f"measuring {path or 'the store root'!r}"):
            return sum(pipe.execute())

    def clear(self) -> None:
        self.rmdir("")
