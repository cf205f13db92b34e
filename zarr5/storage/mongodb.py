"""MongoDBStore: one document ``{key: <str>, value: <binary>}`` per key, zarr-python 2's layout.

Batches are single requests: ``get_many`` one ``find`` with ``$in``, ``set_many`` one ordered
``bulk_write``, ``delete_many`` one ``delete_many`` with ``$in``. Hierarchy queries are range
scans on the key (``key >= 'a/' and key < 'a0'`` is exactly the keys under ``a/``), served by a
unique index on ``key`` created with the store. A write is ``update_one({$set}, upsert=True)``:
it replaces one document's value atomically (and sidesteps a ``replace_one`` bug of the
MongoDB-protocol server the tests use, see docs/storage.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from zarr5.storage._service import describe_keys, import_client, outage
from zarr5.storage.base import (
    ReopenedWhenUnpickled,
    Store,
    _check_rename,
    _slice_range,
    batches,
    ensure_bytes,
    is_valid_key,
    normalize_dimension_separator,
    normalize_key,
    normalize_path,
)

# MongoDB refuses documents over 16 MiB; leave room for the key and the document's framing
MAX_VALUE_SIZE = 16 * 1024 * 1024 - 64 * 1024
# keys per $in query / bulk write
_BATCH = 1000


def _range(path: str) -> dict[str, str]:
    """A query on ``key`` selecting exactly the keys under ``path`` ('0' follows '/' in byte order)."""
    return {"$gte": path + "/", "$lt": path + "0"}


class MongoDBStore(ReopenedWhenUnpickled, Store):
    """Store keys as documents of a MongoDB collection.

    Parameters
    ----------
    database, collection : str
        Where the documents live (created on the first write).
    dimension_separator : {None, '.', '/'}
        Chunk key separator of arrays created here.
    **kwargs
        Passed to :class:`pymongo.MongoClient` (``host``, ``port``, ``serverSelectionTimeoutMS``, ...).

    Notes
    -----
    One value may hold at most 16 MiB (MongoDB's document limit, less framing); a larger one is
    refused with ``ValueError`` before anything is written. A ``set_many`` is ordered but not a
    transaction: if the server dies halfway, the keys written so far hold their new values and
    the rest their old ones; no key is ever left half-written.
    """

    _key = "key"
    _value = "value"

    def __init__(self, database: str = "mongodb_zarr", collection: str = "zarr_collection",
                 dimension_separator: str | None = None, **kwargs: Any) -> None:
        pymongo = import_client("pymongo", "MongoDBStore", "pymongo")
        self._database = database
        self._collection = collection
        self._kwargs = kwargs
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self._UpdateOne = pymongo.UpdateOne
        self._outage_errors = (pymongo.errors.ConnectionFailure,)
        self._index_errors = (pymongo.errors.OperationFailure,)
        self.client = pymongo.MongoClient(**kwargs)
        self.db = self.client.get_database(database)
        self.collection = self.db.get_collection(collection)
        with self._outage("creating the key index"):
            try:
                self.collection.create_index(self._key, unique=True)
            except self._index_errors:
                pass  # a collection written by other code may hold duplicates: it works, only slower

    @property
    def server(self) -> str:
        """Where the server is, for messages: ``MongoDB server 127.0.0.1:27017``."""
        described = self.client.topology_description.server_descriptions()
        nodes = ",".join(f"{h}:{p}" for h, p in sorted(described))
        return f"MongoDB server {nodes or self._kwargs.get('host', 'localhost')}"

    def _outage(self, doing: str) -> Any:
        return outage(self._outage_errors, self.server, doing)

    def _find(self, query: dict, doing: str, values: bool = False) -> list[dict]:
        fields = {"_id": 0, self._key: 1, **({self._value: 1} if values else {})}
        with self._outage(doing):
            return list(self.collection.find(query, fields))

    def _keys(self, path: str) -> list[str]:
        query = {self._key: _range(path)} if path else {}
        return sorted(d[self._key] for d in self._find(query, f"listing {path or 'the store root'!r}"))

    def check_value(self, key: str, value: Any) -> None:
        normalize_key(key)
        size = len(ensure_bytes(value))
        if size > MAX_VALUE_SIZE:
            raise ValueError(f"value of key {key!r} is {size} bytes: MongoDB holds at most "
                             f"{MAX_VALUE_SIZE} per document; use smaller chunks")

    def _checked(self, key: str, value: Any) -> tuple[str, bytes]:
        key, data = normalize_key(key), ensure_bytes(value)
        self.check_value(key, data)
        return key, data

    # life cycle
    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        return (self._database, self._collection, self._dimension_separator), self._kwargs

    # mapping
    def __getitem__(self, key: str) -> bytes:
        key = normalize_key(key)
        with self._outage(f"reading key {key!r}"):
            doc = self.collection.find_one({self._key: key}, {"_id": 0, self._value: 1})
        if doc is None:
            raise KeyError(key)
        return bytes(doc[self._value])

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        key, data = self._checked(key, value)
        with self._outage(f"writing key {key!r}"):
            self.collection.update_one({self._key: key}, {"$set": {self._value: data}}, upsert=True)

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        key = normalize_key(key)
        with self._outage(f"deleting key {key!r}"):
            deleted = self.collection.delete_many({self._key: key}).deleted_count
        if not deleted:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if not is_valid_key(key):
            return False
        with self._outage(f"looking up key {key!r}"):
            return self.collection.count_documents({self._key: key}, limit=1) > 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys(""))

    def __len__(self) -> int:
        with self._outage("counting keys"):
            return self.collection.count_documents({})

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, MongoDBStore) and other.server == self.server
                and (other._database, other._collection) == (self._database, self._collection))

    def __hash__(self) -> int:
        return hash((MongoDBStore, self._database, self._collection))

    def __repr__(self) -> str:
        return f"<zarr5.storage.MongoDBStore: {self.server}, {self._database}.{self._collection}>"

    # batches
    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = [normalize_key(k) for k in keys]
        out: dict[str, bytes] = {}
        for batch in batches(keys, _BATCH):
            docs = self._find({self._key: {"$in": batch}}, f"reading {describe_keys(batch)}", values=True)
            out.update((d[self._key], bytes(d[self._value])) for d in docs)
        return out

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        # every key and value checked first: a bad item writes nothing
        checked = dict(self._checked(k, v) for k, v in items.items())
        if not checked:
            return
        ops = [self._UpdateOne({self._key: k}, {"$set": {self._value: v}}, upsert=True)
               for k, v in checked.items()]
        with self._outage(f"writing {describe_keys(list(checked))}"):
            for batch in batches(ops, _BATCH):
                self.collection.bulk_write(batch, ordered=True)

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        keys = [normalize_key(k) for k in keys]
        with self._outage(f"deleting {describe_keys(keys)}" if keys else "deleting keys"):
            for batch in batches(keys, _BATCH):
                self.collection.delete_many({self._key: {"$in": batch}})

    def get_partial_values(self, ranges: Sequence[tuple[str, int, int | None]]) -> list[bytes | None]:
        # MongoDB has no byte ranges: the values come whole, in one $in query, and are cut here
        values = self.get_many(k for k, _, _ in ranges)
        return [None if key not in values else _slice_range(values[key], start, length)
                for key, start, length in ranges]

    # hierarchy
    def listdir(self, path: str = "") -> list[str]:
        path = normalize_path(path)
        cut = len(path) + 1 if path else 0
        return sorted({k[cut:].split("/", 1)[0] for k in self._keys(path)})

    def list_prefix(self, path: str = "") -> list[str]:
        return self._keys(normalize_path(path))

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        path = normalize_path(path)
        query = {self._key: _range(path)} if path else {}
        with self._outage(f"removing {path or 'the store root'!r}"):
            self.collection.delete_many(query)

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        src, dst = _check_rename(src_path, dst_path)
        query = {"$or": [{self._key: src}, {self._key: _range(src)}]}
        docs = self._find(query, f"renaming {src!r}", values=True)
        if not docs:
            return
        # written at the destination before the source goes: an outage in between loses nothing
        moved = {dst + d[self._key][len(src):]: d[self._value] for d in docs}
        self.set_many(moved)
        self.delete_many(d[self._key] for d in docs)

    def getsize(self, path: str = "") -> int:
        path = normalize_path(path)
        # the contract's (zarr-2's) rule: a key's size, else the keys directly under path; an
        # anchored regex asks the server for exactly those, so deeper values never travel
        prefix = re.escape(path + "/") if path else ""
        query: dict = {self._key: {"$regex": f"^{prefix}[^/]+$"}}
        if path:
            query = {"$or": [{self._key: path}, query]}
        # summed here, not by $binarySize in an aggregation: nx-27017 (the test server) answers
        # that wrongly, and a sum must be right everywhere
        docs = self._find(query, f"measuring {path or 'the store root'!r}", values=True)
        return sum(len(d[self._value]) for d in docs)

    def clear(self) -> None:
        self.rmdir("")
