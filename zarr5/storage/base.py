"""The store contract every backend implements.

A store is a ``MutableMapping[str, bytes]`` whose keys are ``/``-separated relative paths
(``"foo/bar/.zarray"``, ``"foo/bar/0.0"``). On top of the mapping, a store offers:

- ``listdir(path)``: the sorted immediate child names under ``path`` (``[]`` if there are none);
- ``list_prefix(path)``: every key under ``path``, sorted (full keys, recursive);
- ``rmdir(path)``: delete everything under ``path`` (``""`` = the whole store); no-op if absent;
- ``rename(src, dst)``: move the key ``src`` and everything under it to ``dst``; no-op if absent;
  ``dst`` should not exist (callers check: what happens to keys already there is backend-specific);
- ``getsize(path)``: bytes stored under ``path`` (a key's size, or the sum over all keys below it);
- ``may_hold_keys(path)``: a cheap hint, False only when no key lives under ``path`` (default True);
- ``get_many(keys)`` / ``set_many(mapping)`` / ``delete_many(keys)``: batched I/O that the engine
  uses for chunks; backends that can do better than a loop override them. ``get_many`` leaves out
  missing keys, ``delete_many`` ignores them, ``set_many`` checks every key and value before writing;
- ``close()``, ``read_only``, ``erasable``, ``dimension_separator``; every store is a context manager.

Keys are checked by :func:`normalize_key`: a key that would escape the store (``..``, absolute
paths, backslashes, NUL, empty segments) raises :class:`zarr5.errors.InvalidKeyError`; a write to a
read-only store raises :class:`zarr5.errors.ReadOnlyError`. Values are returned as ``bytes``;
any bytes-like object or numpy array is accepted on write (see :func:`ensure_bytes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

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


def is_valid_key(key: object) -> bool:
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


class Store(MutableMapping):
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
        prefix = _prefix(path)
        children = {k[len(prefix):].split("/", 1)[0] for k in self.keys() if k.startswith(prefix)}
        return sorted(children)

    def list_prefix(self, path: str = "") -> list[str]:
        prefix = _prefix(path)
        return sorted(k for k in self.keys() if k.startswith(prefix))

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        self.delete_many(self.list_prefix(path))

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        src, dst = _check_rename(src_path, dst_path)
        moves = [k for k in list(self.keys()) if k == src or k.startswith(src + "/")]
        for key in moves:
            self[dst + key[len(src):]] = self[key]
            del self[key]

    def getsize(self, path: str = "") -> int:
        path = normalize_path(path)
        if path and path in self:
            return nbytes(self[path])
        return sum(nbytes(self[k]) for k in self.list_prefix(path))

    def may_hold_keys(self, path: str = "") -> bool:
        """False only when no key can live under hierarchy ``path``; True when some may.

        A cheap hint, never a listing: creating a node asks it before probing for each metadata
        document. Stores that cannot tell cheaply say True (then every document is probed).
        """
        return True

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
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

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        keys = [normalize_key(k) for k in keys]
        for key in keys:
            try:
                del self[key]
            except KeyError:
                pass

    def clear(self) -> None:
        # MutableMapping.clear pops one key at a time through __iter__; one rmdir is enough
        self.rmdir("")

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<zarr5.storage.{type(self).__name__}>"


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
        return iter(list(self._mutable_mapping))

    def __len__(self) -> int:
        return len(self._mutable_mapping)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KVStore) and self._mutable_mapping == other._mutable_mapping

    def __repr__(self) -> str:
        return f"<zarr5.storage.{type(self).__name__}: {type(self._mutable_mapping).__name__}>"
