"""The store contract every backend implements.

A store is a ``MutableMapping[str, bytes]`` whose keys are ``/``-separated relative paths
(``"foo/bar/.zarray"``, ``"foo/bar/0.0"``). On top of the mapping, a store offers:

- ``listdir(path)``: the sorted immediate child names under ``path`` (``[]`` if there are none);
- ``list_prefix(path)``: every key under ``path``, sorted (full keys, recursive);
- ``rmdir(path)``: delete everything under ``path`` (``""`` = the whole store); no-op if absent;
- ``rename(src, dst)``: move the key ``src`` and everything under it to ``dst``; no-op if absent;
  ``dst`` should not exist (callers check: what happens to keys already there is backend-specific);
- ``getsize(path)``: the size of the key ``path``, or else the sum over the keys directly under ``path``
  (one level, as in zarr-python 2: ``getsize("")`` of ``{"a": b"1", "c/d": b"2"}`` is 1);
- ``may_hold_keys(path)``: a cheap hint, False only when no key lives under ``path`` (default True);
- ``get_many(keys)`` / ``set_many(mapping)`` / ``delete_many(keys)``: batched I/O that the engine
  uses for chunks; backends that can do better than a loop override them. ``get_many`` leaves out
  missing keys, ``delete_many`` ignores them, ``set_many`` checks every key and value before writing;
- ``close()``, ``read_only``, ``erasable``, ``dimension_separator``; every store is a context manager.

Keys are checked by :func:`normalize_key`: a key that would escape the store (``..``, absolute
paths, backslashes, NUL, empty segments) raises :class:`zarr5.errors.InvalidKeyError`; a write to a
read-only store raises :class:`zarr5.errors.ReadOnlyError`. Values are returned as ``bytes``;
any bytes-like object or numpy array is accepted on write (see :func:`ensure_bytes`).

:class:`BaseStore` and :class:`Store` are zarr-python 2's contract too: a user's class that subclasses
``Store`` and defines only the mapping methods (``__getitem__``, ``__setitem__``, ``__delitem__``,
``__iter__``, ``__len__``) is a complete store; it may also override zarr-2's ``getitems(keys, *,
contexts)``, which the engine then uses for its batched reads. ``is_readable()``, ``is_writeable()``,
``is_listable()`` and ``is_erasable()`` answer what a store can do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

from zarr5.errors import InvalidKeyError, ReadOnlyError

if TYPE_CHECKING:
    from typing import Self  # annotations only: typing.Self needs 3.11 at run time


def normalize_key(key: str) -> str:
    """Return ``key`` checked: relative, ``/``-separated, no ``.``/``..``/empty segment, no NUL."""
    if not isinstance(key, str):
        raise TypeError(f"store keys must be str, not {type(key).__name__}: {key!r}")
    if "\\" in key or "\x00" in key:
        raise InvalidKeyError(f"invalid store key {key!r}: backslashes and NUL are not allowed")
    # fast path: no segment is empty or starts with '.', so none can be '', '.' or '..'
    if key and key[0] not in "./" and key[-1] != "/" and "/." not in key and "//" not in key:
        return key
    if key.startswith("/"):
        raise InvalidKeyError(f"invalid store key {key!r}: absolute keys are not allowed")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise InvalidKeyError(f"invalid store key {key!r}: empty, '.' and '..' segments are not allowed")
    return key


def normalize_path(path: str | None) -> str:
    """Return a hierarchy path without leading/trailing slashes, checked like a key ('' = root)."""
    if path is None:
        return ""
    if not isinstance(path, str):
        raise TypeError(f"paths must be str, not {type(path).__name__}: {path!r}")
    if "\\" in path or "\x00" in path:
        raise InvalidKeyError(f"invalid path {path!r}: backslashes and NUL are not allowed")
    # fast path, as in normalize_key: nothing to strip and no segment can be '', '.' or '..'
    if (type(path) is str and path and path[0] not in "./" and path[-1] != "/" and "/." not in path
            and "//" not in path):
        return path
    stripped = path.strip("/")
    if not stripped:
        return ""
    for segment in stripped.split("/"):
        if segment in ("", ".", ".."):
            raise InvalidKeyError(f"invalid path {path!r}: empty, '.' and '..' segments are not allowed")
    return stripped


def normalize_dimension_separator(sep: str | None) -> str | None:
    """Return ``sep`` if it is a valid chunk key separator (None, '.' or '/'), else raise ValueError."""
    if sep not in (None, ".", "/"):
        raise ValueError(f"invalid dimension_separator {sep!r}: expected None, '.' or '/'")
    return sep


def _prefix(path: str) -> str:
    path = normalize_path(path)
    return path + "/" if path else ""


def is_valid_key(key: object) -> TypeGuard[str]:
    """True if ``key`` passes :func:`normalize_key` (used by ``__contains__``, which never raises)."""
    try:
        normalize_key(key)  # type: ignore[arg-type]
    except (TypeError, InvalidKeyError):
        return False
    return True


def _slice_range(value: bytes, start: int, length: int | None) -> bytes:
    if start < 0:
        start = max(0, len(value) + start)
    return bytes(value[start:] if length is None else value[start:start + length])


def ensure_bytes(value: Any) -> bytes:
    """Return ``value`` as bytes (accepting bytes-like objects and numpy arrays of plain dtypes)."""
    if isinstance(value, bytes):
        return value
    dtype = getattr(value, "dtype", None)
    if dtype is not None and getattr(dtype, "hasobject", False):
        # the raw bytes of an object array are pointers, never data
        raise TypeError("cannot store an object array as bytes; encode it with an object codec first")
    if isinstance(value, str):
        raise TypeError(f"store values must be bytes-like, not str: {value[:40]!r}")
    if hasattr(value, "tobytes"):
        return value.tobytes()
    return bytes(memoryview(value))


def nbytes(value: Any) -> int:
    """Size in bytes of a stored value (bytes, or any buffer a foreign mapping returns)."""
    if isinstance(value, bytes):
        return len(value)
    return memoryview(value).nbytes


#: zarr-python 2's ``_metadata_class`` of v2 stores (the metadata layer registers it: it sits above us)
_METADATA_CLASSES: dict[int, Any] = {}


def register_metadata_class(store_version: int, cls: Any) -> None:
    """Record the class that encodes and decodes metadata documents of ``store_version`` stores."""
    _METADATA_CLASSES[store_version] = cls


class _MetadataClass:
    """Answers ``store._metadata_class`` with the class registered for the store's version."""

    def __get__(self, obj: Any, owner: type) -> Any:
        version = getattr(owner if obj is None else obj, "_store_version", 2)
        try:
            return _METADATA_CLASSES[version]
        except KeyError:
            raise AttributeError(f"no metadata class for zarr v{version} stores is registered "
                                 "(import zarr5.metadata)") from None


class BaseStore(MutableMapping):
    """zarr-python 2's abstract store: a ``MutableMapping`` that also says what it can do.

    Subclasses define the mapping methods; ``close()`` does nothing unless overridden, and a store
    used as a context manager is closed when the outermost ``with`` block exits.
    """

    _readable: bool = True
    _writeable: bool = True
    _erasable: bool = True
    _listable: bool = True
    _store_version: int = 2
    _metadata_class = _MetadataClass()

    def is_readable(self) -> bool:
        return self._readable

    def is_writeable(self) -> bool:
        return self._writeable

    def is_listable(self) -> bool:
        return self._listable

    def is_erasable(self) -> bool:
        return self._erasable

    def __enter__(self) -> Self:
        # nested ``with`` blocks on one store close it once, at the outermost exit
        self._open_count = getattr(self, "_open_count", 0) + 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._open_count = getattr(self, "_open_count", 1) - 1
        if self._open_count <= 0:
            self.close()

    def close(self) -> None:
        pass

    def rename(self, src_path: str, dst_path: str) -> None:
        if not self.is_erasable():
            raise NotImplementedError(f"{type(self).__name__} is not erasable: cannot rename {src_path!r}")
        rename_from_keys(self, src_path, dst_path)

    @staticmethod
    def _ensure_store(store: Any) -> BaseStore:
        """Return ``store`` as a v2 store: itself, or a ``KVStore`` over a mapping (zarr-2's rule)."""
        if isinstance(store, BaseStore):
            if store._store_version != 2:
                raise ValueError(f"cannot use a zarr v{store._store_version} store as a v2 store: {store!r}")
            return store
        if is_mapping_like(store):
            return KVStore(store)
        raise ValueError(f"cannot use {type(store).__module__}.{type(store).__qualname__} as a store: stores "
                         "are subclasses of zarr5.storage.BaseStore, or MutableMappings (wrapped in KVStore)")

    def getitems(self, keys: Sequence[str], *,
                 contexts: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        """zarr-2's batched read: the values of those ``keys`` that are present (``contexts`` unused)."""
        return {k: self[k] for k in keys if k in self}


#: what zarr-2's functions accept as a store (its type alias): a store, or any mapping (wrapped in KVStore)
StoreLike = BaseStore | MutableMapping

# what zarr-2 asks of an object that is not a MutableMapping before it wraps it as a store
_MAPPING_METHODS = ("keys", "values", "get", "__setitem__", "__getitem__", "__delitem__", "__contains__")


def is_mapping_like(obj: object) -> TypeGuard[MutableMapping]:
    """True for a ``MutableMapping``, or an object with the mapping methods zarr-2 asks for (it then
    works as a store wrapped in :class:`KVStore`, as in zarr-2)."""
    if isinstance(obj, MutableMapping):
        return True
    return obj is not None and all(hasattr(obj, name) for name in _MAPPING_METHODS)


def listdir_from_keys(store: Mapping, path: str = "") -> list[str]:
    """The sorted immediate children of ``path``, found by iterating every key of ``store``."""
    prefix = _prefix(path)
    return sorted({k[len(prefix):].split("/", 1)[0] for k in list(store.keys())
                   if k.startswith(prefix) and len(k) > len(prefix)})


def rmdir_from_keys(store: MutableMapping, path: str = "") -> None:
    """Delete every key of ``store`` under ``path``, one at a time."""
    prefix = _prefix(path)
    for key in [k for k in list(store.keys()) if k.startswith(prefix)]:
        del store[key]


def rename_from_keys(store: MutableMapping, src_path: str, dst_path: str) -> None:
    """Move every key under ``src_path`` (and the key ``src_path`` itself) to ``dst_path``."""
    src, dst = _check_rename(src_path, dst_path)
    for key in [k for k in list(store.keys()) if k == src or k.startswith(src + "/")]:
        store[dst + key[len(src):]] = store.pop(key)


class Store(BaseStore):
    """Base class of zarr5 stores: a mapping of keys to bytes plus hierarchy helpers."""

    _read_only: bool = False
    _erasable: bool = True
    #: True for stores that store a metadata document as something else and give back a translation
    #: (N5): the engine then reads a document back instead of trusting what it wrote
    rewrites_documents: bool = False
    #: True where one ``store[key]`` is cheap and thread-safe (memory, local files): the engine then
    #: fetches each chunk inside the task that decodes it instead of batching with ``get_many``
    cheap_gets: bool = False
    _dimension_separator: str | None = None

    @property
    def read_only(self) -> bool:
        return self._read_only

    def is_writeable(self) -> bool:
        return self._writeable and not self.read_only

    @property
    def erasable(self) -> bool:
        return self._erasable

    @property
    def dimension_separator(self) -> str | None:
        """The chunk key separator arrays created in this store default to (None = format default)."""
        return self._dimension_separator

    def _check_writable(self) -> None:
        if self._read_only:
            raise ReadOnlyError(f"{self!r} is read-only")

    # hierarchy helpers, derived from the mapping; backends override where they can do better
    def listdir(self, path: str = "") -> list[str]:
        return listdir_from_keys(self, path)

    def list_prefix(self, path: str = "") -> list[str]:
        prefix = _prefix(path)
        return sorted(k for k in self.keys() if k.startswith(prefix))

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        self.delete_many(self.list_prefix(path))

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        rename_from_keys(self, src_path, dst_path)

    def getsize(self, path: str = "") -> int:
        """The size of key ``path``, else the sum over the keys directly under it (-1: a value has none)."""
        path = normalize_path(path)
        if path and path in self:
            return nbytes(self[path])
        prefix = _prefix(path)
        total = 0
        for name in self.listdir(path):
            try:
                value = self[prefix + name]
            except KeyError:
                continue  # a "directory", or removed since listed
            try:
                total += nbytes(value)
            except TypeError:
                return -1  # a value that is not a buffer (a mapping store may hold anything): no size
        return total

    def may_hold_keys(self, path: str = "") -> bool:
        """False only when no key can live under hierarchy ``path``; True when some may.

        A cheap hint, never a listing: creating a node asks it before probing for each metadata
        document. Stores that cannot tell cheaply say True (then every document is probed).
        """
        return True

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        if type(self).getitems is not Store.getitems:
            # a zarr-2 store that batches its reads in getitems: use it
            return dict(self.getitems(list(keys), contexts={}))
        out = {}
        for key in keys:
            try:
                out[key] = self[key]
            except KeyError:
                pass
        return out

    def check_value(self, key: str, value: Any) -> None:
        """Raise if ``value`` could not be stored under ``key``, without storing anything.

        Callers that must delete before they write (``overwrite=True``) ask first, so a refused
        document never costs the data it was meant to replace. Most stores accept any bytes.
        """
        normalize_key(key)

    def get_partial_values(self, ranges: Sequence[tuple[str, int, int | None]]) -> list[bytes | None]:
        """Return byte ranges of values: ``(key, start, length)``; a negative ``start`` counts from
        the end, ``length=None`` reads to the end; a missing key gives None.

        Sharded arrays read a shard's index and single inner chunks this way; backends that can seek
        (files, object stores) override it so only the asked-for bytes travel.
        """
        out: list[bytes | None] = []
        for key, start, length in ranges:
            try:
                value = self[key]
            except KeyError:
                out.append(None)
                continue
            out.append(_slice_range(value, start, length))
        return out

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        # check every key and value first, so a bad item leaves the store untouched
        checked = {normalize_key(k): ensure_bytes(v) for k, v in items.items()}
        for key, value in checked.items():
            self[key] = value

    def write_back(self, key: str, value: Any) -> None:
        """``self[key] = value`` from a chunk cache writing back an evicted or flushed chunk (the h5py
        vocabulary's); a store may replace the key more cheaply there (DirectoryStore recycles files).
        ``value`` may be the cached chunk's own memory, which changes later: it is copied here, and an
        override must be done with it when it returns."""
        self[key] = ensure_bytes(value)

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        keys = [normalize_key(k) for k in keys]
        for key in keys:
            try:
                del self[key]
            except KeyError:
                pass

    def getitems(self, keys: Sequence[str], *,
                 contexts: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        return self.get_many(keys)

    def setitems(self, values: Mapping[str, Any]) -> None:
        """zarr-2's name for :meth:`set_many`."""
        self.set_many(values)

    def delitems(self, keys: Sequence[str]) -> None:
        """zarr-2's name for :meth:`delete_many`."""
        self.delete_many(keys)

    def clear(self) -> None:
        # MutableMapping.clear pops one key at a time through __iter__; one rmdir is enough
        self.rmdir("")

    def __repr__(self) -> str:
        return f"<zarr5.storage.{type(self).__name__}>"


_T = TypeVar("_T")


class ReopenedWhenUnpickled:
    """Mixin of stores holding a connection or an open file: a pickle holds the constructor arguments
    that open the store again (:meth:`_open_args`), never the handle."""

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        """``(args, kwargs)`` for the constructor of the class that defines this method."""
        raise NotImplementedError

    def __getstate__(self) -> tuple[tuple, dict[str, Any]]:
        return self._open_args()

    def __setstate__(self, state: tuple[tuple, dict[str, Any]]) -> None:
        args, kwargs = state
        # the constructor the arguments were made for, deliberately not type(self)'s: a subclass's
        # may take others (mypy's misc: it cannot tell that owner is a base of type(self))
        owner = next(c for c in type(self).__mro__ if "_open_args" in vars(c))
        owner.__init__(self, *args, **kwargs)  # type: ignore[misc]


def batches(items: list[_T], size: int) -> Iterator[list[_T]]:
    """``items`` in consecutive slices of at most ``size``, for backends that cap a request's keys."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _check_rename(src_path: str, dst_path: str) -> tuple[str, str]:
    """Return normalized (src, dst) for a rename, refusing the root and moves into oneself."""
    src, dst = normalize_path(src_path), normalize_path(dst_path)
    if not src or not dst:
        raise ValueError(f"cannot rename {src_path!r} to {dst_path!r}: the store root cannot be moved")
    if dst == src or dst.startswith(src + "/"):
        raise ValueError(f"cannot rename {src_path!r} to {dst_path!r}: destination lies inside source")
    return src, dst


class KVStore(Store):
    """A store over any ``MutableMapping`` (a dict, an fsspec mapper, a shelve, ...)."""

    def __init__(self, mutablemapping: MutableMapping) -> None:
        self._mutable_mapping = mutablemapping

    def __getitem__(self, key: str) -> bytes:
        return self._mutable_mapping[normalize_key(key)]

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        self._mutable_mapping[normalize_key(key)] = ensure_bytes(value)

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        del self._mutable_mapping[normalize_key(key)]

    def __contains__(self, key: object) -> bool:
        return is_valid_key(key) and key in self._mutable_mapping

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._mutable_mapping.keys()))

    def __len__(self) -> int:
        try:
            return len(self._mutable_mapping)
        except TypeError:  # a mapping-like object with keys() but no __len__ (zarr-2 accepts those)
            return sum(1 for _ in self._mutable_mapping.keys())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KVStore) and self._mutable_mapping == other._mutable_mapping

    def __repr__(self) -> str:
        return f"<zarr5.storage.{type(self).__name__}: {type(self._mutable_mapping).__name__}>"
