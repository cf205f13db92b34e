"""ZipStore: every key one member of a ZIP archive, as zarr-python 2 lays it out.

ZIP members cannot be replaced or removed in place: writing an existing key appends a second
member of the same name (the stdlib emits a ``UserWarning: Duplicate name``; readers see the newest)
and deleting raises ``NotImplementedError``. ``close()`` must be called after writing, or the
archive's central directory is never written.
"""

from __future__ import annotations

import os
import threading
import time
import zipfile
from collections.abc import Iterator
from typing import Any, Literal, cast

from zarr5.storage.base import (
    ReopenedWhenUnpickled,
    Store,
    _check_rename,
    ensure_bytes,
    is_valid_key,
    normalize_dimension_separator,
    normalize_key,
    normalize_path,
)

_MODES = ("r", "w", "a", "x")


class ZipStore(ReopenedWhenUnpickled, Store):
    """Store keys as members of the ZIP file ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        The archive.
    compression : int
        ``zipfile.ZIP_STORED`` (default) or another ``zipfile`` compression constant.
    allowZip64 : bool
        Allow archives over 2 GiB.
    mode : {'a', 'r', 'w', 'x'}
        As for :class:`zipfile.ZipFile`; ``'r'`` makes the store read-only.
    dimension_separator : {None, '.', '/'}
        Chunk key separator that arrays created here default to.

    Examples
    --------
    >>> import os, tempfile
    >>> with ZipStore(os.path.join(tempfile.mkdtemp(), "data.zip"), mode="w") as store:
    ...     store["foo/.zgroup"] = b'{"zarr_format": 2}'
    ...     store.listdir()
    ['foo']
    """

    _erasable = False

    def __init__(self, path: str | os.PathLike, compression: int = zipfile.ZIP_STORED,
                 allowZip64: bool = True, mode: str = "a",
                 dimension_separator: str | None = None) -> None:
        if mode not in _MODES:
            raise ValueError(f"invalid ZipStore mode {mode!r}: expected one of {_MODES}")
        self.path = os.path.abspath(os.fspath(path))
        self.compression = compression
        self.allowZip64 = allowZip64
        self.mode = mode
        self._dimension_separator = normalize_dimension_separator(dimension_separator)
        self._read_only = mode == "r"
        # zipfile objects are not thread-safe, for reads either: one lock for every access
        self.mutex = threading.RLock()
        zip_mode = cast(Literal["r", "w", "x", "a"], mode)  # one of _MODES, checked above
        self.zf = zipfile.ZipFile(self.path, mode=zip_mode, compression=compression, allowZip64=allowZip64)

    # life cycle
    def close(self) -> None:
        """Close the archive, writing its central directory."""
        with self.mutex:
            self.zf.close()

    def flush(self) -> None:
        """Write the central directory now, then keep the archive open for more writes."""
        if self.mode == "r":
            return
        with self.mutex:
            self.zf.close()
            # 'a' whatever the first mode was: 'w' would wipe what was just written
            self.zf = zipfile.ZipFile(self.path, mode="a", compression=self.compression,
                                      allowZip64=self.allowZip64)

    def _open_args(self) -> tuple[tuple, dict[str, Any]]:
        self.flush()
        # the copy reopens the same archive: 'w'/'x' would wipe it or fail on it
        mode = "a" if self.mode in "wx" else self.mode
        return (self.path, self.compression, self.allowZip64, mode, self._dimension_separator), {}

    # mapping
    def __getitem__(self, key: str) -> bytes:
        key = normalize_key(key)
        with self.mutex:
            try:
                with self.zf.open(key) as f:
                    return f.read()
            except KeyError:
                raise KeyError(key) from None

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_writable()
        key = normalize_key(key)
        data = ensure_bytes(value)
        # writestr(str, ...) would give the member 0o600 permissions; build the entry ourselves
        info = zipfile.ZipInfo(filename=key, date_time=time.localtime(time.time())[:6])
        info.compress_type = self.compression
        info.external_attr = 0o644 << 16
        with self.mutex:
            self.zf.writestr(info, data)

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        if normalize_key(key) not in self:
            raise KeyError(key)
        raise NotImplementedError(f"ZipStore cannot delete {key!r}: ZIP members cannot be removed")

    def __contains__(self, key: object) -> bool:
        if not is_valid_key(key):
            return False
        with self.mutex:
            try:
                self.zf.getinfo(key)  # type: ignore[arg-type]
            except KeyError:
                return False
        return True

    def keylist(self) -> list[str]:
        """Sorted member names, without duplicates and without directory entries."""
        with self.mutex:
            names = self.zf.namelist()
        return sorted({n for n in names if not n.endswith("/")})

    def __iter__(self) -> Iterator[str]:
        return iter(self.keylist())

    def __len__(self) -> int:
        return len(self.keylist())

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ZipStore) and self.path == other.path
                and self.compression == other.compression and self.allowZip64 == other.allowZip64)

    def __hash__(self) -> int:
        return hash((ZipStore, self.path))

    def __repr__(self) -> str:
        return f"<zarr5.storage.ZipStore: {self.path!r} mode={self.mode!r}>"

    # hierarchy
    def getsize(self, path: str = "") -> int:
        """Bytes the member ``path``, or the members directly under it, occupy in the archive
        (compressed sizes)."""
        path = normalize_path(path)
        with self.mutex:
            if path and path in self:
                return self.zf.getinfo(path).compress_size
            prefix = path + "/" if path else ""
            return sum(self.zf.getinfo(k).compress_size for k in self.keylist()
                       if k.startswith(prefix) and "/" not in k[len(prefix):])

    def rmdir(self, path: str = "") -> None:
        self._check_writable()
        if normalize_path(path) == "" and len(self):
            self.clear()
            return
        super().rmdir(path)

    def rename(self, src_path: str, dst_path: str) -> None:
        self._check_writable()
        src, _ = _check_rename(src_path, dst_path)
        if src in self or self.list_prefix(src):
            raise NotImplementedError(f"ZipStore cannot rename {src_path!r}: ZIP members cannot be removed")

    def clear(self) -> None:
        """Remove every key: the archive is deleted and created anew."""
        self._check_writable()
        with self.mutex:
            self.zf.close()
            os.remove(self.path)
            self.zf = zipfile.ZipFile(self.path, mode="w", compression=self.compression,
                                      allowZip64=self.allowZip64)
