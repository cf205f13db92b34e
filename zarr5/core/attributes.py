"""Attributes: the JSON document ``.zattrs`` of a node, as a mutable mapping."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from zarr5.errors import ReadOnlyError
from zarr5.metadata.v2 import decode_attributes, encode_attributes, encode_json
from zarr5.metadata.v3 import parse_node
from zarr5.storage.base import BaseStore

_NO_LOCK = contextlib.nullcontext()  # no synchronizer: nothing to hold (reusable)

# attributes whose names start with this prefix carry zarr5's own conventions (docs/on-disk-format.md)
RESERVED_PREFIX = "_zarr5_"


class Attributes(MutableMapping):
    """User attributes of an array or group, stored as JSON under ``key``.

    Every change is a read-modify-write of the whole document, under the synchronizer's lock
    for ``key`` when one is set, so concurrent writers of distinct names lose nothing.
    Names starting with :data:`RESERVED_PREFIX` are kept on disk but hidden here. A plain mapping
    given as ``store`` is wrapped in a ``KVStore``, as zarr 2 does; in a store of zarr 2's draft v3
    layout (``_store_version`` 3) the document keeps the attributes in its ``attributes`` member.
    """

    def __init__(self, store: MutableMapping, key: str = ".zattrs", read_only: bool = False,
                 cache: bool = True, synchronizer: Any = None) -> None:
        if not isinstance(store, BaseStore):
            store = BaseStore._ensure_store(store)
        self.store = store
        self._nested = store._store_version == 3
        self.key = key
        self.read_only = read_only
        self.cache = cache
        self.synchronizer = synchronizer
        self._cached: dict | None = None

    # reading
    def _load(self) -> dict:
        pending = getattr(self.store, "pending_document", None)
        if pending is not None and not self._nested:
            document = pending(self.key)  # kept back unencoded (see _modify): no encode, no decode
            if document is not None:
                return document
        try:
            raw = self.store[self.key]
        except KeyError:
            return {}
        if self._nested:
            return dict(decode_attributes(raw, self.key).get("attributes", {}))
        return decode_attributes(raw, self.key)

    def _document(self) -> dict:
        if not self.cache:
            return self._load()
        if self._cached is None:
            self._cached = self._load()
        return self._cached

    def assume(self, document: dict) -> None:
        """Take ``document`` as what is stored (its owner knows it unchanged since read), so reads
        need not read it; every change still reads the store first."""
        self._cached = document

    def document(self) -> dict:
        """Return the whole stored document as a new dict, reserved names included (for copies)."""
        return dict(self._document())

    def asdict(self) -> dict:
        """Return the visible attributes as a new dict."""
        return {k: v for k, v in self._document().items() if not k.startswith(RESERVED_PREFIX)}

    def refresh(self) -> None:
        """Drop the cache so the next read comes from the store."""
        self._cached = self._load() if self.cache else None

    def __getitem__(self, name: str) -> Any:
        if isinstance(name, str) and name.startswith(RESERVED_PREFIX):
            raise KeyError(name)
        return self._document()[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and not name.startswith(RESERVED_PREFIX) and name in self._document()

    def __iter__(self) -> Iterator[str]:
        return iter(self.asdict())

    def __len__(self) -> int:
        return len(self.asdict())

    # writing: always a fresh read-modify-write, so another writer's names survive
    def _lock(self) -> Any:
        if self.synchronizer is None:
            return _NO_LOCK
        return self.synchronizer[self.key]

    def _modify(self, change: Any, deferred: bool = False) -> None:
        if self.read_only:
            raise ReadOnlyError(f"attributes at {self.key!r} are read-only")
        # ``deferred``: the values are the caller's own JSON-ready objects; a store that keeps documents
        # back (the h5py vocabulary's write-back) holds the mapping and encodes it once, at flush
        keep = getattr(self.store, "keep_document", None) if deferred and self._encodes_plainly() else None
        with self._lock():
            document = self._load()
            change(document)
            if keep is not None:
                keep(self.key, document, encode_attributes)
            else:
                self._write(document)
        if self.cache:
            self._cached = document

    def _encodes_plainly(self) -> bool:
        return not self._nested and type(self)._write is Attributes._write

    def _write(self, document: dict) -> None:
        if self._nested:
            self._write_nested(document)
            return
        self.store[self.key] = encode_attributes(document)

    def _write_nested(self, document: dict) -> None:
        # draft v3: the attributes are one member of a document whose other members stay as they are
        try:
            outer = decode_attributes(self.store[self.key], self.key)
        except KeyError:
            outer = {}
        old = outer.get("attributes")
        if isinstance(old, dict) and "filters" in old:
            document["filters"] = old["filters"]  # zarr 2 keeps a draft-v3 array's filters there
        outer["attributes"] = document
        encode_attributes(document)  # refuses what JSON cannot hold, naming the attribute
        self.store[self.key] = encode_json(outer)

    def __setitem__(self, name: str, value: Any) -> None:
        name = self._check_name(name)
        self._modify(lambda d: d.__setitem__(name, value))

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._modify(lambda d: d.__delitem__(name))

    def put(self, d: Mapping) -> None:
        """Replace all visible attributes with ``d`` (reserved ones are kept)."""
        d = self._check_names(d)

        def replace(document: dict) -> None:
            reserved = {k: v for k, v in document.items() if k.startswith(RESERVED_PREFIX)}
            document.clear()
            document.update(reserved)
            document.update(d)

        self._modify(replace)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Update several attributes in one read-modify-write."""
        new = self._check_names(dict(*args, **kwargs))
        self._modify(lambda d: d.update(new))

    def set_reserved(self, values: Mapping[str, Any], remove: tuple[str, ...] = ()) -> None:
        """Write zarr5's own reserved attributes (names must carry the reserved prefix)."""
        for name in list(values) + list(remove):
            if not name.startswith(RESERVED_PREFIX):
                raise ValueError(f"reserved attribute names start with {RESERVED_PREFIX!r}: {name!r}")

        def change(document: dict) -> None:
            for name in remove:
                document.pop(name, None)
            document.update(values)

        self._modify(change)

    def edit(self, change: Callable[[dict], None]) -> None:
        """Apply ``change`` to the whole stored document, reserved names included, in one
        read-modify-write (under the lock): for a value and its reserved record changed together.
        The values ``change`` stores must be JSON-ready and the caller's no more (the h5py vocabulary's
        encoded values): a store keeping documents back may encode them later."""
        self._modify(change, deferred=True)

    def get_reserved(self, name: str, default: Any = None) -> Any:
        return self._document().get(name, default)

    @staticmethod
    def _check_name(name: object) -> str:
        """Return ``name`` as the str it is stored under; refuse zarr5's reserved prefix."""
        if not isinstance(name, str):
            # zarr 2 stores a non-str name as its str() and warns that this will be refused one day
            warnings.warn("only attribute keys of type 'string' will be allowed in the future "
                          f"(attribute name {name!r} is stored as {str(name)!r})", DeprecationWarning,
                          stacklevel=4)
            name = str(name)
        if name.startswith(RESERVED_PREFIX):
            raise ValueError(f"attribute names starting with {RESERVED_PREFIX!r} are reserved by zarr5: "
                             f"{name!r}")
        return name

    @classmethod
    def _check_names(cls, d: Mapping) -> dict:
        return {cls._check_name(name): value for name, value in d.items()}

    def _ipython_key_completions_(self) -> list[str]:
        return sorted(self)

    def __repr__(self) -> str:
        return repr(self.asdict())


class V3Attributes(Attributes):
    """Attributes of a Zarr v3 node: the ``attributes`` member of its ``zarr.json``."""

    def _load(self) -> dict:
        try:
            raw = self.store[self.key]
        except KeyError:
            return {}
        return dict(parse_node(raw, self.key).attributes)

    def _write(self, document: dict) -> None:
        # the rest of zarr.json (shape, codecs) is re-read so a concurrent resize is kept
        node = parse_node(self.store[self.key], self.key)
        self.store[self.key] = node.with_attributes(document).encode()
