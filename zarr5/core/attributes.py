"""Attributes: the JSON document ``.zattrs`` of a node, as a mutable mapping."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from zarr5.errors import ReadOnlyError
from zarr5.metadata.v2 import decode_attributes, encode_attributes
from zarr5.metadata.v3 import parse_node

# attributes whose names start with this prefix carry zarr5's own conventions (docs/on-disk-format.md)
RESERVED_PREFIX = "_zarr5_"


class Attributes(MutableMapping):
    """User attributes of an array or group, stored as JSON under ``key``.

    Every change is a read-modify-write of the whole document, under the synchronizer's lock
    for ``key`` when one is set, so concurrent writers of distinct names lose nothing.
    Names starting with :data:`RESERVED_PREFIX` are kept on disk but hidden here.
    """

    def __init__(self, store: MutableMapping, key: str = ".zattrs", read_only: bool = False,
                 cache: bool = True, synchronizer: Any = None) -> None:
        self.store = store
        self.key = key
        self.read_only = read_only
        self.cache = cache
        self.synchronizer = synchronizer
        self._cached: dict | None = None

    # reading
    def _load(self) -> dict:
        try:
            raw = self.store[self.key]
        except KeyError:
            return {}
        return decode_attributes(raw, self.key)

    def _document(self) -> dict:
        if not self.cache:
            return self._load()
        if self._cached is None:
            self._cached = self._load()
        return self._cached

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
            return contextlib.nullcontext()
        return self.synchronizer[self.key]

    def _modify(self, change: Any) -> None:
        if self.read_only:
            raise ReadOnlyError(f"attributes at {self.key!r} are read-only")
        with self._lock():
            document = self._load()
            change(document)
            self._write(document)
        if self.cache:
            self._cached = document

    def _write(self, document: dict) -> None:
        self.store[self.key] = encode_attributes(document)

    def __setitem__(self, name: str, value: Any) -> None:
        self._check_name(name)
        self._modify(lambda d: d.__setitem__(name, value))

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._modify(lambda d: d.__delitem__(name))

    def put(self, d: Mapping) -> None:
        """Replace all visible attributes with ``d`` (reserved ones are kept)."""
        for name in d:
            self._check_name(name)

        def replace(document: dict) -> None:
            reserved = {k: v for k, v in document.items() if k.startswith(RESERVED_PREFIX)}
            document.clear()
            document.update(reserved)
            document.update(d)

        self._modify(replace)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Update several attributes in one read-modify-write."""
        new = dict(*args, **kwargs)
        for name in new:
            self._check_name(name)
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
        read-modify-write (under the lock): for a value and its reserved record changed together."""
        self._modify(change)

    def get_reserved(self, name: str, default: Any = None) -> Any:
        return self._document().get(name, default)

    @staticmethod
    def _check_name(name: object) -> None:
        if not isinstance(name, str):
            raise TypeError(f"attribute names must be str, not {type(name).__name__}: {name!r}")
        if name.startswith(RESERVED_PREFIX):
            raise ValueError(f"attribute names starting with {RESERVED_PREFIX!r} are reserved by zarr5: "
                             f"{name!r}")

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
