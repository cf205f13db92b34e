"""Metadata write-back: a File's metadata documents kept in memory and written at flush, as HDF5 does.

HDF5 keeps the metadata it changes (object headers, B-trees, heaps) in its metadata cache and writes
it at flush, close, or eviction. The h5py vocabulary does the same with a store's metadata documents:
each open File wraps its store in a :class:`MetadataWriteBack`, which keeps every ``.zarray``,
``.zattrs``, ``.zgroup`` and ``zarr.json`` written through it in memory, answers reads and listings
with them at once (so every handle of the File sees a resize, new attributes, new nodes), and writes
them to the store at :meth:`MetadataWriteBack.write_documents` (the File's ``flush()``, ``close()`` or
garbage collection). Repeated writes of one document cost one store write; a new array's metadata
and attributes edited through the vocabulary are kept as the objects they encode (checked when made)
and encoded once, when written back or first read as bytes. Chunks pass straight through, but for
the small chunks that ``create_dataset(name, data=...)`` writes into its new array, whose metadata is
pending: those are kept with that metadata, up to 64 kB each and 4 MB in all, and written just
before it (HDF5 holds a small dataset's data in memory until flush as well, in its sieve buffer). The zarr
vocabularies never use it: zarr-python writes through.

Files of one file in one process share their pending documents, as HDF5 shares one open file between
its handles: the write-backs over one directory (by its real path), one single-file container, or one
store object hold one :class:`PendingDocuments`, and any writable one writes them all at its flush.

Order and crash behaviour. Each document reaches the store as one atomic write, so a reader or a kill
sees every document old or new, never half. ``write_documents`` writes in levels: nodes nearer the root
first, and within a node its ``.zattrs`` before the document that makes it a node (``.zarray``,
``.zgroup``, ``zarr.json``); so a node appears, whole with its attributes, only after its parent
appeared, and a kill at any point leaves the store a readable hierarchy: the old one plus some of the
new nodes (each complete), old or new attributes per node, old or new shape per array. Chunks kept
back are written before every document (a kill before flush loses the new array whole, leaving no
directory behind). Chunks written
back before the ``.zarray`` that grows an array over them are ignored by readers (they lie outside
the stored shape) until it lands; chunks are never deleted before pending documents are written
(a shrink's new, smaller shape reaches the store first), and a move writes them first too.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from zarr5.errors import ReadOnlyError
from zarr5.storage import DirectoryStore, Store, normalize_path
from zarr5.storage.base import ensure_bytes, nbytes, normalize_key

__all__ = ["DOCUMENT_NAMES", "MetadataWriteBack", "PendingDocuments", "is_document_key"]


class _Unencoded:
    """A pending document kept as the object it encodes: an attributes mapping edited again and again,
    or a new array's metadata, is encoded once, when it is read as bytes or written back, not at every
    edit (nor at creation)."""

    __slots__ = ("document", "encode", "data")

    def __init__(self, document: Any, encode: Callable[[Any], bytes]) -> None:
        self.document = document
        self.encode = encode
        self.data: bytes | None = None

    def encoded(self) -> bytes:
        if self.data is None:
            self.data = self.encode(self.document)
        return self.data


def _bytes(value: Any) -> Any:
    return value.encoded() if type(value) is _Unencoded else value

#: the last path component of the keys kept back (zarr v2 and v3 metadata documents)
DOCUMENT_NAMES = frozenset({".zarray", ".zattrs", ".zgroup", "zarr.json"})
# within a node, attributes land before the document that makes the node visible
_RANK = {".zattrs": 0, ".zarray": 1, ".zgroup": 1, "zarr.json": 1}


def is_document_key(key: str) -> bool:
    return key[key.rfind("/") + 1:] in DOCUMENT_NAMES


def _level(key: str) -> tuple[int, int]:
    """Write-back order of a pending key: chunks first, then documents by their node's depth, then a
    node's attributes before its own document."""
    rank = _RANK.get(key[key.rfind("/") + 1:])
    return (-1, 0) if rank is None else (key.count("/"), rank)


# a new array's chunks kept back with its metadata: each at most, and all of a file's at most
KEPT_CHUNK_BYTES = 65536
KEPT_CHUNKS_TOTAL = 4 << 20


def _list_in_dirs(dirs: dict[str, set[str]], key: str) -> None:
    # every ancestor directory of ``key`` lists the next component; one already listed is listed by
    # its own ancestors too, so the walk up ends there
    while key:
        head, _, name = key.rpartition("/")
        names = dirs.get(head)
        if names is not None:
            names.add(name)
            return
        dirs[head] = {name}
        key = head


def _under(key: str, prefix: str) -> bool:
    return not prefix or key.startswith(prefix)


class PendingDocuments:
    """The documents kept back for one file: key -> bytes, which write each holds, and the directories
    they add to listings."""

    def __init__(self) -> None:
        self.docs: dict[str, Any] = {}  # bytes, or an _Unencoded mapping
        self.serial: dict[str, int] = {}  # per key: which write it holds (its stat token)
        self.writes = 0
        self.dirs: dict[str, set[str]] | None = {}  # directory -> child names the pending keys add
        self.new_arrays: set[str] = set()  # new arrays being filled, their metadata not stored yet
        self.chunk_bytes = 0  # the bytes of the chunks kept back with them
        self.lock = threading.RLock()


# the pending documents of each file open in this process (see the module docstring)
_SHARED: weakref.WeakValueDictionary[Any, PendingDocuments] = weakref.WeakValueDictionary()
_SHARED_LOCK = threading.Lock()


def _identity(store: Store) -> Any:
    """What two stores over one file have in common: a directory's real path, a container, or the object
    (whose id is not reused while a write-back over it, and so the pending documents, live)."""
    if isinstance(store, DirectoryStore):
        return ("directory", type(store).__name__, os.path.realpath(store.path))
    shared = getattr(store, "shared_file", None)
    return ("file", id(shared)) if shared is not None else ("store", id(store))


def pending_documents_of(store: Store) -> PendingDocuments:
    key = _identity(store)
    with _SHARED_LOCK:
        found = _SHARED.get(key)
        if found is None:
            found = _SHARED[key] = PendingDocuments()
        return found


class MetadataWriteBack(Store):
    """``inner`` with its metadata documents written back later (see the module docstring).

    Everything else a store offers is the inner store's: chunks, listings (merged with the pending
    documents), ``path``, ``cheap_gets``, the dimension separator.
    """

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self._shared = shared = pending_documents_of(inner)
        self._pending = shared.docs  # the same dict for the life of the shared state
        self._serial = shared.serial
        self._lock = shared.lock
        self._token_of = getattr(inner, "stat_token", None)
        # a store that may refuse a document (by its size, ...) is shown each one as it is kept
        self._checks_values = getattr(type(inner), "check_value", None) is not Store.check_value
        self.cheap_gets = getattr(inner, "cheap_gets", False)
        self._dimension_separator = getattr(inner, "_dimension_separator", None)
        self._erasable = getattr(inner, "_erasable", True)

    def __getattr__(self, name: str) -> Any:
        # what a caller asks of the store beyond the contract (path, ...) is the inner store's
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    @property
    def read_only(self) -> bool:
        return self.inner.read_only

    @property
    def dimension_separator(self) -> str | None:
        return self.inner.dimension_separator

    @property
    def pending(self) -> int:
        """How many documents (and new arrays' kept chunks) wait to be written."""
        return len(self._pending)

    def _check_writable(self) -> None:
        if self.inner.read_only:
            raise ReadOnlyError(f"{self.inner!r} is read-only")

    # documents kept back
    def _keep(self, key: str, value: Any) -> None:
        with self._lock:
            shared = self._shared
            if shared.dirs is not None and key not in self._pending:
                _list_in_dirs(shared.dirs, key)  # a rewrite (a resize, an attribute) adds no name
            self._pending[key] = value
            shared.writes += 1
            self._serial[key] = shared.writes

    def _pending_dirs(self) -> dict[str, set[str]]:
        dirs = self._shared.dirs
        if dirs is None:
            dirs = {}
            for key in list(self._pending):
                _list_in_dirs(dirs, key)
            self._shared.dirs = dirs
        return dirs

    def _forget(self, keys: Iterable[str]) -> bool:
        """Drop pending ``keys``; True when one was pending."""
        dropped = False
        shared = self._shared
        for key in keys:
            value = self._pending.pop(key, None)
            if value is not None:
                del self._serial[key]
                dropped = True
                name = key[key.rfind("/") + 1:]
                if name not in DOCUMENT_NAMES:
                    shared.chunk_bytes -= len(value)
        if dropped:
            self._shared.dirs = None if self._pending else {}
        return dropped

    def write_documents(self) -> None:
        """Write every pending document to the store, level by level (see the module docstring); a
        read-only File leaves them to the writer's."""
        with self._lock:
            if not self._pending or self.inner.read_only:
                return
            levels: dict[tuple[int, int], dict[str, bytes]] = {}
            for key, value in self._pending.items():
                levels.setdefault(_level(key), {})[key] = _bytes(value)
            for level in sorted(levels):
                batch = levels[level]
                self.inner.set_many(batch)
                self._forget(batch)  # written: a failure later leaves only the rest pending

    def forget_pending(self) -> None:
        """Drop every pending document unwritten: the file they belonged to was truncated ('w')."""
        with self._lock:
            self._forget(list(self._pending))

    def stat_token(self, key: str) -> Any:
        """A token that changes whenever ``key`` changes: which write a pending document holds, else
        the inner store's token (None where it has none: then the document is read each time)."""
        serial = self._serial.get(key)
        if serial is not None:
            return ("pending", serial)
        return None if self._token_of is None else self._token_of(key)

    # the mapping
    def __getitem__(self, key: str) -> bytes:
        if self._pending:
            value = self._pending.get(key)
            if value is not None:
                return _bytes(value)
        return self.inner[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if key[key.rfind("/") + 1:] not in DOCUMENT_NAMES:
            if self._to_store(key, value):
                self.inner[key] = value
            return
        self._check_writable()
        key = normalize_key(key)
        data = ensure_bytes(value)
        self.inner.check_value(key, data)  # a document the store would refuse is refused now
        self._keep(key, data)

    def keep_document(self, key: str, document: Any, encode: Callable[[Any], bytes]) -> None:
        """``self[key] = encode(document)``, with the encoding left to when the bytes are needed;
        ``document`` (an attributes mapping, a node's metadata) is the caller's no more: a mapping is
        what :meth:`pending_document` answers. The caller has checked that ``encode`` will succeed."""
        if self.inner.read_only:
            self._check_writable()  # raises
        key = normalize_key(key)
        value = _Unencoded(document, encode)
        if self._checks_values:
            self.inner.check_value(key, value.encoded())
        self._keep(key, value)

    @contextlib.contextmanager
    def keeping_chunks(self, path: str) -> Iterator[None]:
        """While a new array's first data is written: its small chunks are kept back with its metadata
        when that is pending (the array is not in the store yet), see the module docstring."""
        p = path + "/" if path else ""
        shared = self._shared
        with self._lock:
            new = (p + ".zarray" in self._pending or p + "zarr.json" in self._pending) \
                and path not in shared.new_arrays
            if new:
                shared.new_arrays.add(path)
        try:
            yield
        finally:
            if new:
                with self._lock:
                    shared.new_arrays.discard(path)

    def _kept_chunk(self, key: str, value: Any) -> bool:
        """Keep a chunk of a new array back with its metadata (see the module docstring); False when
        it is to be written now (the caller then drops any older kept value of the key)."""
        shared = self._shared
        node = key
        while True:  # the array holding the chunk: the nearest enclosing path that is a new array
            node = node.rpartition("/")[0] if "/" in node else ""
            if node in shared.new_arrays:
                break
            if not node:
                return False
        data = value if type(value) is bytes else ensure_bytes(value)
        if type(data) is not bytes:
            data = bytes(memoryview(data).cast("B"))  # the caller's buffer may change after this call
        n = len(data)
        with self._lock:
            old = self._pending.get(key)
            grown = shared.chunk_bytes + n - (len(old) if old is not None else 0)
            if n > KEPT_CHUNK_BYTES or grown > KEPT_CHUNKS_TOTAL or node not in shared.new_arrays:
                return False
            if self._checks_values:
                self.inner.check_value(key, data)
            self._keep(key, data)
            shared.chunk_bytes = grown
            return True

    def _to_store(self, key: str, value: Any) -> bool:
        """False when the chunk ``key`` is kept back (a new array's, see :meth:`keeping_chunks`); True
        when the caller writes it to the store, a value kept back for it dropped as stale."""
        if not self._pending:
            return True  # nothing kept back (a new array's metadata is pending while it fills)
        if self._shared.new_arrays and self._kept_chunk(normalize_key(key), value):
            return False
        if key in self._pending:
            with self._lock:
                self._forget((key,))
        return True

    def pending_document(self, key: str) -> dict | None:
        """A copy of the mapping a pending ``keep_document`` holds for ``key``, or None (then read it)."""
        value = self._pending.get(key) if self._pending else None
        if type(value) is _Unencoded and type(value.document) is dict:
            return dict(value.document)
        return None

    def __delitem__(self, key: str) -> None:
        if not is_document_key(key):
            self._before_chunk_delete()
            del self.inner[key]
            return
        self._check_writable()
        with self._lock:
            was_pending = self._forget((key,))
            try:
                del self.inner[key]
            except KeyError:
                if not was_pending:
                    raise

    def __contains__(self, key: object) -> bool:
        return (type(key) is str and key in self._pending) or key in self.inner

    def __iter__(self) -> Iterator[str]:
        pending = list(self._pending)
        yield from pending
        held = set(pending)
        for key in self.inner:
            if key not in held:
                yield key

    def __len__(self) -> int:
        if not self._pending:
            return len(self.inner)
        return len(set(self.inner.keys()) | set(self._pending))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MetadataWriteBack):
            other = other.inner
        return bool(self.inner == other)

    def __hash__(self) -> int:
        return hash(self.inner)

    def __repr__(self) -> str:
        return repr(self.inner)

    def __reduce_ex__(self, protocol: Any) -> Any:
        # a pickle (a dataset sent to a dask worker) carries the store: what is pending is written
        # first, so the other process finds it
        self.write_documents()
        return _unwrapped, (self.inner,)

    # batched I/O: documents kept, chunks passed through
    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        if not self._pending:
            return self.inner.get_many(keys)
        out, rest = {}, []
        for key in keys:
            value = self._pending.get(key)
            if value is None:
                rest.append(key)
            else:
                out[key] = _bytes(value)
        if rest:
            out.update(self.inner.get_many(rest))
        return out

    def get_partial_values(self, ranges: Sequence[tuple[str, int, int | None]]) -> list[bytes | None]:
        if not self._pending or not any(k in self._pending for k, _, _ in ranges):
            return self.inner.get_partial_values(ranges)
        out: list[bytes | None] = []
        for key, start, length in ranges:
            value = self._pending.get(key)
            if value is None:
                out.extend(self.inner.get_partial_values([(key, start, length)]))
            else:
                value = _bytes(value)
                if start < 0:
                    start = max(0, len(value) + start)
                out.append(value[start:] if length is None else value[start:start + length])
        return out

    def set_many(self, items: Mapping[str, Any]) -> None:
        documents = {normalize_key(k): ensure_bytes(v) for k, v in items.items() if is_document_key(k)}
        if documents:
            self._check_writable()
            for key, data in documents.items():
                self.inner.check_value(key, data)
        chunks = {k: v for k, v in items.items() if not is_document_key(k)} if documents else items
        if chunks and self._pending:
            chunks = {k: v for k, v in chunks.items() if self._to_store(k, v)}
        if chunks:
            self.inner.set_many(chunks)
        with self._lock:
            for key, data in documents.items():
                self._keep(key, data)

    def write_back(self, key: str, value: Any) -> None:
        """A chunk cache's write-back of a chunk: the inner store's (which may replace it cheaper)."""
        if is_document_key(key):
            self[key] = value
        elif self._to_store(key, value):
            self.inner.write_back(key, value)

    @property
    def read_into(self) -> Callable[[str, Any], int | None]:
        """The inner store's ``read_into`` (see DirectoryStore.read_into), a kept-back chunk first; a
        store without one has none here either (its readers keep a view of the bytes read instead)."""
        inner_read = getattr(self.inner, "read_into", None)
        if inner_read is None:
            raise AttributeError("read_into")
        return lambda key, out: self._read_into(inner_read, key, out)

    def _read_into(self, inner_read: Callable[[str, Any], int | None], key: str, out: Any) -> int | None:
        value = self._pending.get(key) if self._pending else None
        if value is None:
            return inner_read(key, out)
        data = _bytes(value)
        view = memoryview(out).cast("B")
        n = min(len(data), view.nbytes)
        view[:n] = memoryview(data)[:n]
        return len(data)

    def delete_many(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        documents = [k for k in keys if is_document_key(k)]
        chunks = [k for k in keys if not is_document_key(k)] if documents else keys
        if chunks:
            self._before_chunk_delete()
        with self._lock:
            self._forget(documents)
            self.inner.delete_many(chunks + documents)

    def _before_chunk_delete(self) -> None:
        # a shrink deletes chunks outside its new shape: the smaller .zarray must be stored first,
        # or a crash in between leaves the old shape over deleted chunks
        if self._pending:
            self.write_documents()

    # hierarchy
    def listdir(self, path: str = "") -> list[str]:
        names = self.inner.listdir(path)
        if self._pending:
            extra = self._pending_dirs().get(normalize_path(path))
            if extra:
                return sorted(set(names) | extra)
        return names

    def list_prefix(self, path: str = "") -> list[str]:
        keys = self.inner.list_prefix(path)
        if self._pending:
            prefix = normalize_path(path)
            prefix = prefix + "/" if prefix else ""
            extra = [k for k in self._pending if _under(k, prefix)]
            if extra:
                return sorted(set(keys) | set(extra))
        return keys

    def may_hold_keys(self, path: str = "") -> bool:
        if self._pending and normalize_path(path) in self._pending_dirs():
            return True
        return self.inner.may_hold_keys(path)

    def getsize(self, path: str = "") -> int:
        if not self._pending:
            return self.inner.getsize(path)
        norm = normalize_path(path)
        if norm in self._pending:
            return nbytes(_bytes(self._pending[norm]))
        if norm not in self._pending_dirs():
            return self.inner.getsize(path)
        return Store.getsize(self, path)

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        prefix = normalize_path(path)
        prefix = prefix + "/" if prefix else ""
        with self._lock:
            # documents of what is deleted are never written
            self._forget([k for k in self._pending if _under(k, prefix)])
            self.inner.rmdir(path)

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        with self._lock:
            self.write_documents()  # the keys move in the store: pending documents go first, with them
            self.inner.rename(src_path, dst_path)

    def check_value(self, key: str, value: Any) -> None:
        self.inner.check_value(key, value)

    # life cycle
    def flush(self) -> None:
        """Write the pending documents, then ask the inner store to sync if it can."""
        self.write_documents()
        flush = getattr(self.inner, "flush", None)
        if callable(flush):
            flush()

    def close(self) -> None:
        """Write the pending documents and close the inner store."""
        try:
            self.write_documents()
        finally:
            self.inner.close()


def _unwrapped(store: Store) -> Store:
    """What a pickled write-back becomes: its store (the other process writes through)."""
    return store
