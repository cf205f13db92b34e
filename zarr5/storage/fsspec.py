"""FSStore: keys as files of any fsspec file system (S3, GCS, HTTP, memory, local, ``a::b`` chains).

Key ``a/b/0.0`` lives at ``<root>/a/b/0.0``. Batches are what make a remote store usable, so
every batch is one call into fsspec: ``get_many`` and ``get_partial_values`` one ``cat_ranges``
(run concurrently by async file systems such as s3fs), ``set_many`` one ``pipe``, ``delete_many``
one ``rm``; listings are one ``ls`` (``listdir``) or one ``find`` (``keys``, ``list_prefix``,
``getsize``, ``rmdir``), never one request per key. Listings and ``in`` bypass fsspec's listing
cache (``refresh=True``), so keys written by other processes are seen.

Missing keys are ``KeyError``; so are the errors named in ``exceptions`` (zarr-python 2's rule,
which lets public buckets answer 403 for a missing key), except that a failed connection or a
timeout is never taken for a missing key: it propagates, so a read during an outage fails
instead of returning fill values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from zarr5.errors import ReadOnlyError
from zarr5.storage._pool import map_io
from zarr5.storage.base import (
    Store,
    _check_rename,
    ensure_bytes,
    is_valid_key,
    normalize_dimension_separator,
    normalize_key,
    normalize_path,
)

_MODES = ("r", "r+", "a", "w", "w-", "x")
_DEFAULT_MISSING = (FileNotFoundError, IsADirectoryError, NotADirectoryError)
_CHUNK_KEY = re.compile(r"^\d+(\.\d+)+$")


# computed on the first error, not per store: importing botocore costs more than most reads
@functools.cache
def _network_errors() -> tuple[type[BaseException], ...]:
    """Exception types meaning 'the server could not be reached', which never mean 'no such key'."""
    errors: list[type[BaseException]] = [ConnectionError, TimeoutError]
    try:  # botocore (s3fs) reports connection failures with its own types, not OSError
        from botocore.exceptions import ConnectionError as BotoConnectionError
        from botocore.exceptions import HTTPClientError

        errors += [BotoConnectionError, HTTPClientError]
    except ImportError:
        pass
    try:
        from aiohttp import ClientConnectionError

        errors.append(ClientConnectionError)
    except ImportError:
        pass
    return tuple(errors)


class FSStore(Store):
    """Store keys under ``url`` on an fsspec file system.

    Parameters
    ----------
    url : str
        Where the store's root is: ``"s3://bucket/data.zarr"``, ``"memory://x"``, ``"file:///tmp/x"``
        or a chain like ``"simplecache::s3://bucket/x"``; with ``fs``, a path on that file system.
    mode : {'r', 'r+', 'a', 'w', 'w-', 'x'}
        ``'r'`` makes the store read-only; the others allow writes (the API functions, not the
        store, decide what ``'w'`` erases).
    key_separator, dimension_separator : {None, '.', '/'}
        Chunk key separator of arrays created here; ``'/'`` also stores '.'-separated chunk keys
        nested (``0.1`` as ``0/1``) like :class:`NestedDirectoryStore`.
    exceptions : tuple of exception types
        Errors that reading a key turns into ``KeyError`` (network failures excepted).
    fs : fsspec.AbstractFileSystem, optional
        A ready file system; then ``storage_options`` must be empty.
    check : bool
        Write and remove a probe key at the root, to fail early without write access.
    create : bool
        Create the root (for S3, the bucket) if it does not exist.
    missing_exceptions : tuple of exception types, optional
        Errors that mean "no such key" (default: FileNotFoundError, IsADirectoryError, NotADirectoryError).
    normalize_keys : bool
        Lower-case every key.
    **storage_options
        Passed to the file system (``endpoint_url``, ``key``, ``secret``, ``anon``, ...); for a
        chain, nested per protocol (``s3={...}``).

    Examples
    --------
    >>> store = FSStore("memory://fsstore-doc/data.zarr")
    >>> store.set_many({"a/0.0": b"x", "a/0.1": b"yz"})
    >>> store.get_many(["a/0.0", "a/0.1", "a/9.9"])
    {'a/0.0': b'x', 'a/0.1': b'yz'}
    >>> store.listdir("a"), store.getsize("a")
    (['0.0', '0.1'], 3)
    >>> store.rmdir()
    """

    def __init__(self, url: str, mode: str = "a", key_separator: str | None = None,
                 exceptions: tuple[type[BaseException], ...] = (KeyError, PermissionError, IOError),
                 dimension_separator: str | None = None, fs: Any = None, check: bool = False,
                 create: bool = False, missing_exceptions: tuple[type[BaseException], ...] | None = None,
                 normalize_keys: bool = False, **storage_options: Any) -> None:
        import fsspec  # optional dependency: only FSStore users need it

        if mode not in _MODES:
            raise ValueError(f"invalid mode {mode!r}; expected one of {', '.join(_MODES)}")
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}: {url!r}")
        if fs is None:
            protocol = fsspec.core.split_protocol(url)[0]
            if protocol in (None, "file", "local") and "auto_mkdir" not in storage_options:
                # keys are written below directories that do not exist yet
                storage_options["auto_mkdir"] = True
            self.fs, path = fsspec.core.url_to_fs(url, **storage_options)
        else:
            if storage_options:
                raise ValueError("cannot give both fs and storage_options: configure the file system instead")
            self.fs, path = fs, fs._strip_protocol(url)
        self.path = path.rstrip("/")
        self.url = url
        self.mode = mode
        self._read_only = mode == "r"
        self.normalize_keys = normalize_keys
        self.exceptions = tuple(exceptions)
        self.missing_exceptions = (_DEFAULT_MISSING if missing_exceptions is None
                                   else tuple(missing_exceptions))
        if key_separator is not None:
            dimension_separator = key_separator
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        # zarr-python 2's public name: never None
        self.key_separator = self._dimension_separator or "."
        # file systems with real directories keep them after their last file goes; object stores do not
        self._prunes = not getattr(self.fs, "async_impl", False)
        # s3fs asks for an object's size (one HEAD) before every GET, to split objects larger than a
        # block into concurrent ranges; chunks are smaller than that, so the HEAD is pure overhead
        s3_like = getattr(self.fs, "async_impl", False) and hasattr(self.fs, "max_concurrency")
        self._cat_kwargs: dict[str, Any] = {"max_concurrency": 1} if s3_like else {}
        if create and not self.fs.exists(self.path):
            self.fs.mkdir(self.path)
        if check:
            self._check_access()

    @property
    def map(self) -> Any:
        """zarr-2's ``FSStore.map``: an fsspec mapper over the store's root (the one it was made from)."""
        if getattr(self, "_map", None) is None:
            self._map = self.fs.get_mapper(self.path)
        return self._map

    def _check_access(self) -> None:
        if not self.fs.exists(self.path):
            raise FileNotFoundError(f"{self.url!r} does not exist; pass create=True to create it")
        if not self._read_only:
            probe = self._full("a")
            self.fs.touch(probe)
            self.fs.rm(probe)

    # keys <-> file-system paths
    def _store_key(self, key: str) -> str:
        key = normalize_key(key)
        if self.normalize_keys:
            key = key.lower()
        if self.key_separator == "/":
            head, _, last = key.rpartition("/")
            if _CHUNK_KEY.match(last):
                # a '.'-separated chunk key of an array in a '/' store is stored nested
                last = last.replace(".", "/")
                key = f"{head}/{last}" if head else last
        return key

    def _full(self, key: str) -> str:
        return f"{self.path}/{key}"

    def _key_path(self, key: str) -> str:
        return self._full(self._store_key(key))

    def _dir(self, path: str) -> str:
        path = normalize_path(path)
        if self.normalize_keys:
            path = path.lower()
        return self._full(path) if path else self.path

    def _relative(self, name: str) -> str | None:
        """The key of a file-system path below the root, or None for anything else."""
        root = self.path + "/"
        name = name.rstrip("/")
        return name[len(root):] if name.startswith(root) and len(name) > len(root) else None

    def _is_missing(self, error: BaseException) -> bool:
        if isinstance(error, _network_errors()):
            return False
        return isinstance(error, self.missing_exceptions + self.exceptions)

    def _check_writable(self) -> None:
        if self._read_only:
            raise ReadOnlyError(f"{self!r} is read-only (mode 'r')")

    # mapping
    def __getitem__(self, key: str) -> bytes:
        path = self._key_path(key)
        try:
            value = self.fs.cat_file(path, **self._cat_kwargs)
        except Exception as e:
            if self._is_missing(e):
                raise KeyError(key) from e
            raise
        return value if isinstance(value, bytes) else ensure_bytes(value)

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        path = self._key_path(key)
        # convert first: a value that cannot become bytes must not disturb the stored one
        data = ensure_bytes(value)
        try:
            self.fs.pipe_file(path, data)
        except IsADirectoryError:
            # a key replaces a "directory" of keys of the same name, as in zarr-python 2
            self.fs.rm(path, recursive=True)
            self.fs.pipe_file(path, data)
        except FileNotFoundError:
            # a file system given as fs= may not make parent directories itself (auto_mkdir)
            self._make_parents([path])
            self.fs.pipe_file(path, data)
        except (FileExistsError, NotADirectoryError) as e:
            raise KeyError(f"cannot store {key!r}: a parent of it is stored as a key") from e

    def _make_parents(self, paths: Iterable[str]) -> None:
        for parent in sorted({p.rsplit("/", 1)[0] for p in paths}):
            if parent != self.path and not parent.startswith(self.path + "/"):
                continue  # never above the root
            try:
                self.fs.makedirs(parent, exist_ok=True)
            except (FileExistsError, NotADirectoryError) as e:
                raise KeyError(f"cannot store keys under {parent!r}: it is stored as a key") from e

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        path = self._key_path(key)
        # object stores delete absent keys silently; the mapping contract wants KeyError
        if not self._is_file(path):
            below = self._find(path)
            if not below:
                raise KeyError(key)
            # deleting a "directory key" removes the keys under it, as in zarr-python 2
            self._rm_files([self._full(k) for k in below])
            return
        self.fs.rm(path)
        self._prune([path])

    def _is_file(self, path: str) -> bool:
        try:
            return self.fs.info(path, refresh=True)["type"] == "file"
        except Exception as e:
            if self._is_missing(e):
                return False
            raise

    def __contains__(self, key: object) -> bool:
        if not is_valid_key(key):
            return False
        return self._is_file(self._key_path(key))  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return iter(self.list_prefix(""))

    def __len__(self) -> int:
        return len(self.list_prefix(""))

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and self.fs == other.fs  # type: ignore[attr-defined]
                and self.path == other.path and self.mode == other.mode)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.path, self.mode))

    def __repr__(self) -> str:
        where = self.url if "://" in self.url or "::" in self.url else self.fs.unstrip_protocol(self.path)
        return f"<zarr5.storage.FSStore: {where!r} mode={self.mode!r}>"

    # listing: one request (paginated) per call, whatever the number of keys
    def _find(self, dir_path: str, include_self: bool = False) -> dict[str, int]:
        """Keys (relative to the root) of every file under ``dir_path``, with their sizes; with
        ``include_self``, also the file at ``dir_path`` itself."""
        try:
            found = self.fs.find(dir_path, withdirs=False, detail=True)
        except Exception as e:
            if self._is_missing(e):
                return {}
            raise
        below = dir_path + "/"
        out = {}
        for name, info in found.items():
            key = self._relative(name)
            # find() also answers a file at dir_path itself, which is not below it
            inside = name.startswith(below) or (include_self and name.rstrip("/") == dir_path)
            if key is not None and inside and info.get("type", "file") == "file":
                out[key] = int(info.get("size") or 0)
        return out

    def list_prefix(self, path: str = "") -> list[str]:
        return sorted(self._find(self._dir(path)))

    def listdir(self, path: str = "") -> list[str]:
        dir_path = self._dir(path)
        try:
            entries = self.fs.ls(dir_path, detail=True, refresh=True)
        except Exception as e:
            if self._is_missing(e):
                return []
            raise
        below = dir_path + "/"
        names = set()
        for entry in entries:
            name = entry["name"].rstrip("/")
            # ls() of a file path answers the file itself: a key is not a directory
            if name.startswith(below) and "/" not in name[len(below):]:
                names.add(name[len(below):])
        return sorted(names)

    def getsize(self, path: str = "") -> int:
        """The size of key ``path``, or else the sum over the keys directly under it (one level)."""
        path = normalize_path(path)
        # one listing answers both cases: a key (its own size) and a directory (its direct keys)
        raw = self._store_key(path) if path else ""
        prefix = raw + "/" if raw else ""
        found = self._find(self._full(raw) if raw else self.path, include_self=True)
        return sum(size for key, size in found.items()
                   if key == raw or (key.startswith(prefix) and "/" not in key[len(prefix):]))

    def _normalize_key(self, key: str) -> str:
        """zarr-2's name: the key as stored (surrounding slashes dropped, chunk keys nested per separator)."""
        return self._store_key(normalize_path(key))

    # batches
    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(keys)
        values = self._cat([self._key_path(k) for k in keys], None, None)
        return {k: v for k, v in zip(keys, values) if v is not None}

    def get_partial_values(self, ranges: Sequence[tuple[str, int, int | None]]) -> list[bytes | None]:
        ranges = list(ranges)
        paths = [self._key_path(key) for key, _, _ in ranges]
        # a suffix (negative start) is fetched whole and cut here: its clamped start is unknown
        starts = [start for _, start, _ in ranges]
        ends = [None if start < 0 or length is None else start + length for _, start, length in ranges]
        values = self._cat(paths, starts, ends)
        return [value[:length] if value is not None and start < 0 and length is not None else value
                for value, (_, start, length) in zip(values, ranges)]

    def _cat(self, paths: list[str], starts: list[int] | None, ends: list[int | None] | None,
             ) -> list[bytes | None]:
        """Values (or byte ranges) of ``paths`` in one concurrent batch; None where missing."""
        if not paths:
            return []
        kwargs = self._cat_kwargs if starts is None else {}
        try:
            # cat_ranges, not cat: the same one concurrent batch, without cat's glob expansion of
            # paths, and with the results in the order asked
            values = self.fs.cat_ranges(paths, starts, ends, on_error="return", **kwargs)
        except Exception as e:
            if not self._is_missing(e):
                raise
            # caching layers (simplecache::) fail a whole batch over one missing file: go key by key
            no_range: list[int | None] = [None] * len(paths)
            items = list(zip(paths, starts or no_range, ends or no_range))
            values = map_io(lambda item: self._cat_or_error(*item, **kwargs), items)
        out: list[bytes | None] = []
        for value in values:
            if isinstance(value, BaseException):
                if not self._is_missing(value):
                    raise value
                out.append(None)
            else:
                out.append(value if isinstance(value, bytes) else ensure_bytes(value))
        return out

    def _cat_or_error(self, path: str, start: int | None, end: int | None,
                      **kwargs: Any) -> bytes | BaseException:
        try:
            return self.fs.cat_file(path, start=start, end=end, **kwargs)
        except Exception as e:
            return e

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        # check every key and value first, so a bad item leaves the store untouched
        checked = {self._key_path(k): ensure_bytes(v) for k, v in items.items()}
        if checked:
            try:
                self.fs.pipe(checked)
            except FileNotFoundError:
                self._make_parents(checked)  # fs= without auto_mkdir: make them and write again
                self.fs.pipe(checked)

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        paths = [self._key_path(k) for k in keys]
        self._rm_files(paths)

    def _rm_files(self, paths: list[str]) -> None:
        """Remove files (never directories, never the root), ignoring the absent ones."""
        if not paths:
            return
        try:
            self.fs.rm(paths)
        except Exception as e:
            if not self._is_missing(e):
                raise
            # local and memory file systems refuse the whole list over one absent file
            for path in paths:
                try:
                    self.fs.rm_file(path)
                except Exception as e2:
                    if not self._is_missing(e2):
                        raise
        self._prune(paths)

    def _prune(self, paths: list[str]) -> None:
        # drop directories a removal left empty, up to (never including) the root
        if not self._prunes:
            return
        parents = set()
        for path in paths:
            parent = path.rsplit("/", 1)[0]
            while parent.startswith(self.path + "/"):
                parents.add(parent)
                parent = parent.rsplit("/", 1)[0]
        for parent in sorted(parents, key=lambda p: p.count("/"), reverse=True):
            try:
                if not self.fs.ls(parent, detail=False):
                    self.fs.rmdir(parent)
            except OSError:
                pass  # gone already, or refilled by someone else: either way not ours to remove

    # hierarchy edits
    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        # the files found, not the directory: rm(recursive=True) of a bucket root deletes the bucket
        self._rm_files([self._full(k) for k in self._find(self._dir(path))])

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        src, dst = _check_rename(src_path, dst_path)
        moves = self.list_prefix(src)
        if self._is_file(self._key_path(src)):
            moves.append(self._store_key(src))
        if not moves:
            return
        # copied through the client in two batches: object stores have no rename
        values = self.get_many(moves)
        self.set_many({dst + key[len(src):]: value for key, value in values.items()})
        self.delete_many(moves)

    def clear(self) -> None:
        self.rmdir("")
