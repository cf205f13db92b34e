"""SingleFileStore: a zarr store kept in one ZIP file that grows by appending and is never patched in place.

What the h5py vocabulary makes of a new path such as ``data.h5``: one file that programs may copy,
move, measure or delete, and that zarr-python's ``ZipStore``, fsspec's zip filesystem and ``unzip``
read as a plain ZIP archive. Its bytes run::

    [entries][directory 1][end 1][entries appended later][directory 2][end 2]

Readers (ours and every ZIP reader) follow the last end-of-central-directory record; an earlier
directory and the entries a later one no longer lists are dead bytes.

- **A change writes only what changed.** New values are appended after the last end record; at
  ``flush()`` / ``close()`` one fresh central directory lists the live entries. Nothing is written
  when nothing changed. A value rewritten before the next directory (a chunk the h5py vocabulary's
  cache writes back again and again) goes into the slot of its previous value, which no directory
  lists, as HDF5 rewrites a chunk in place; a large value's CRC-32 is summed once, when a directory
  first lists it, and every entry's is verified on its first read after opening.
- **A crash loses only the open session.** Bytes that were in the file when it was opened are never
  overwritten, and new data is fsynced before the directory that lists it is written. After a crash
  (SIGKILL, power loss) the file ends in bytes no directory lists; opening it finds the last
  complete end record and directory (scanning backwards) and reads that state; a writer cuts the
  orphaned tail off, so the file is a clean ZIP again for every reader. (A new file whose first
  session crashed holds entries and no directory: it opens empty, as it was before that session.)
- **The file does not keep growing.** At the last ``close()``, when dead bytes pass a quarter of the
  file, the live entries are copied to a sibling temporary file that replaces the original in one
  atomic rename (a crash during compaction leaves the original untouched).
- **One container per file per process.** Opening a path that this process already holds open shares
  the open container (as HDF5 shares one file), so a reader sees what the writer wrote; opening it
  for writing while it is open read-only is refused, as HDF5 refuses.

A file-like object (``io.BytesIO``, an open binary file) holds the same container; compaction there
rewrites the object in place (a stream cannot be renamed).
"""

from __future__ import annotations

import bisect
import errno
import io
import os
import struct
import threading
import weakref
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from zarr5.storage.base import Store, ensure_bytes, is_valid_key, normalize_key, normalize_path

__all__ = ["SingleFileStore", "holds_zip"]

# ZIP records (APPNOTE.TXT 4.3): local file header, central directory header, end records
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_END64 = struct.Struct("<4sQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<4sIQI")
_SIG_LOCAL, _SIG_CENTRAL = b"PK\x03\x04", b"PK\x01\x02"
_SIG_END, _SIG_END64, _SIG_LOCATOR64 = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"
_MAX32, _MAX16 = 0xFFFFFFFF, 0xFFFF
_UTF8_FLAG = 0x800
_STORED, _DEFLATED = 0, 8
_MADE_BY = (3 << 8) | 45  # unix, so external_attr carries permissions
_PERMISSIONS = 0o100644 << 16  # a regular file, rw-r--r--, as zarr-python's ZipStore writes members
_SCAN_BLOCK = 1 << 20
_LATE_CRC = 16384  # values this large get their CRC-32 when a directory lists them
_POSITIONED_IO = all(hasattr(os, name) for name in ("pread", "preadv", "pwrite", "pwritev"))
_IOV_MAX = 1024  # Linux's and the BSDs' limit on buffers per pwritev
#: dead bytes above this fraction of the file make the last close compact it
COMPACT_RATIO = 0.25


def holds_zip(f: BinaryIO) -> bool:
    """True if the seekable binary stream ``f`` starts like a ZIP archive (an entry or an empty one)."""
    start = f.tell()
    try:
        f.seek(0)
        return f.read(4) in (_SIG_LOCAL, _SIG_END)
    finally:
        f.seek(start)


@dataclass(slots=True)
class _Entry:
    offset: int  # of the local header
    size: int  # stored (compressed) bytes
    raw_size: int
    crc: int
    method: int
    dostime: int
    dosdate: int
    flags: int
    external: int
    data_offset: int = -1  # known once the local header has been read (or written by us)
    room: int = -1  # bytes its slot has for data (an unlisted slot may be rewritten in place), -1: size
    checked: bool = False  # its CRC-32 verified once (or it was written by this process)


# an entry's CRC-32 not computed yet: written this session and not listed by any directory so far
_CRC_PENDING = -1
# where the CRC-32 sits in a local header
_CRC_AT = 14


# every entry carries ZIP's earliest date, 1980-01-01 00:00 (as Python's zipfile does by default): h5py
# writes no timestamps unless asked (track_times=False), so the same calls give the same bytes
_DOS_TIME, _DOS_DATE = 0, (1 << 5) | 1


def _local_header(name: bytes, e: _Entry) -> bytes:
    big = e.size >= _MAX32 or e.raw_size >= _MAX32
    extra = struct.pack("<HHQQ", 1, 16, e.raw_size, e.size) if big else b""
    crc = 0 if e.crc == _CRC_PENDING else e.crc  # a pending one is written at the next directory
    return _LOCAL.pack(_SIG_LOCAL, 45 if big else 20, e.flags, e.method, e.dostime, e.dosdate, crc,
                       _MAX32 if big else e.size, _MAX32 if big else e.raw_size, len(name), len(extra)) \
        + name + extra


def _central_header(name: bytes, e: _Entry) -> bytes:
    # zip64 extra fields, in the order APPNOTE fixes, only for the values that overflow 32 bits
    values = [v for v in (e.raw_size, e.size, e.offset) if v >= _MAX32]
    extra = struct.pack(f"<HH{len(values)}Q", 1, 8 * len(values), *values) if values else b""
    return _CENTRAL.pack(_SIG_CENTRAL, _MADE_BY, 45 if values else 20, e.flags, e.method, e.dostime,
                         e.dosdate, e.crc, min(e.size, _MAX32), min(e.raw_size, _MAX32), len(name),
                         len(extra), 0, 0, 0, e.external, min(e.offset, _MAX32)) + name + extra


def _directory(entries: Mapping[str, _Entry], at: int) -> bytes:
    """The central directory of ``entries`` followed by its end record(s), to be written at ``at``."""
    body = b"".join(_central_header(k.encode("utf-8"), e) for k, e in entries.items())
    n, end_at = len(entries), at + len(body)
    tail = b""
    if n >= _MAX16 or len(body) >= _MAX32 or at >= _MAX32:
        tail = _END64.pack(_SIG_END64, 44, _MADE_BY, 45, 0, 0, n, n, len(body), at) \
            + _LOCATOR64.pack(_SIG_LOCATOR64, 0, end_at, 1)
    return body + tail + _END.pack(_SIG_END, 0, 0, min(n, _MAX16), min(n, _MAX16), min(len(body), _MAX32),
                                   min(at, _MAX32), 0)


def _parse_directory(buf: bytes, n: int, limit: int) -> dict[str, _Entry] | None:
    """The entries of a central directory, or None if ``buf`` is not one (a false end record)."""
    entries: dict[str, _Entry] = {}
    pos = 0
    for _ in range(n):
        if pos + _CENTRAL.size > len(buf):
            return None
        (sig, _made, _need, flags, method, dostime, dosdate, crc, size, raw_size, nlen, xlen, clen,
         _disk, _internal, external, offset) = _CENTRAL.unpack_from(buf, pos)
        if sig != _SIG_CENTRAL:
            return None
        pos += _CENTRAL.size
        raw_name = buf[pos:pos + nlen]
        extra = buf[pos + nlen:pos + nlen + xlen]
        pos += nlen + xlen + clen
        big = [v == _MAX32 for v in (raw_size, size, offset)]
        if any(big):
            values = _zip64_values(extra)
            if values is None:
                return None
            it = iter(values)
            raw_size, size, offset = (next(it, -1) if b else v for b, v in zip(big, (raw_size, size, offset)))
        if offset < 0 or size < 0 or offset + size > limit:
            return None
        name = raw_name.decode("utf-8" if flags & _UTF8_FLAG else "cp437")
        entries[name] = _Entry(offset, size, raw_size, crc, method, dostime, dosdate, flags, external)
    return entries if pos == len(buf) else None


def _zip64_values(extra: bytes) -> list[int] | None:
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        if tag == 1:
            return list(struct.unpack_from(f"<{length // 8}Q", extra, pos + 4))
        pos += 4 + length
    return None


def _read_at(f: BinaryIO, offset: int, n: int) -> bytes:
    f.seek(offset)
    return f.read(n)


def _find_directory(f: BinaryIO, size: int) -> tuple[int, dict[str, _Entry]] | None:
    """(end of the last complete end record, its entries), scanning back from the end of the file."""
    hi = size  # signatures starting before hi are still to be tried
    while hi > 0:
        lo = max(0, hi - _SCAN_BLOCK)
        block = _read_at(f, lo, min(size, hi + 3) - lo)  # +3: a signature straddling the block end
        bound = hi - lo + 3
        while (pos := block.rfind(_SIG_END, 0, bound)) >= 0:
            found = _try_end_record(f, lo + pos, size)
            if found is not None:
                return found
            bound = pos + 3
        hi = lo
    return None


def _try_end_record(f: BinaryIO, at: int, size: int) -> tuple[int, dict[str, _Entry]] | None:
    record = _read_at(f, at, _END.size)
    if len(record) < _END.size:
        return None
    _sig, disk, _cd_disk, _n_disk, n, cd_size, cd_offset, comment = _END.unpack(record)
    end = at + _END.size + comment
    if disk != 0 or end > size:
        return None
    cd_end = at
    if n == _MAX16 or cd_size == _MAX32 or cd_offset == _MAX32:
        if at < _LOCATOR64.size:
            return None
        sig, _d, end64_at, _t = _LOCATOR64.unpack(_read_at(f, at - _LOCATOR64.size, _LOCATOR64.size))
        if sig != _SIG_LOCATOR64 or end64_at + _END64.size != at - _LOCATOR64.size:
            return None
        sig, *_rest, n, cd_size, cd_offset = _END64.unpack(_read_at(f, end64_at, _END64.size))
        if sig != _SIG_END64:
            return None
        cd_end = end64_at
    if cd_offset + cd_size != cd_end:
        return None
    entries = _parse_directory(_read_at(f, cd_offset, cd_size), n, cd_offset)
    return None if entries is None else (end, entries)


class _Container:
    """One open single-file container: its entries, where the next one goes, and what is unsaved.

    Shared by every store handle that opened the same file in this process; ``refs`` counts them.
    """

    def __init__(self, f: BinaryIO, *, writable: bool, path: str | None, owns_file: bool,
                 fresh: bool) -> None:
        self.f, self.writable, self.path, self.owns_file = f, writable, path, owns_file
        # a file of our own (unbuffered) is read and written by position: no seek, no buffer copy
        self.fd: int | None = f.fileno() if owns_file and path is not None and _POSITIONED_IO else None
        self.lock = threading.RLock()
        self.refs = 0
        self.key: Any = None  # its slot in the registry of open files
        self.dirty = False
        self.entries: dict[str, _Entry] = {}
        self._sorted: list[str] | None = None
        size = f.seek(0, os.SEEK_END)
        self.end = 0
        # where the last directory written ends: entries from here on are listed by no directory yet,
        # so their slots may be rewritten in place (a crash cannot expose them)
        self.listed_end = 0
        self.dirty = writable  # even an empty container gets its directory at close
        if fresh or size == 0:
            return
        found = _find_directory(f, size)
        if found is not None:
            self.end, self.entries = found
            self.listed_end = self.end
            self.dirty = False
        elif _read_at(f, 0, 4) != _SIG_LOCAL:
            raise OSError(errno.EINVAL, f"Unable to open file (file signature not found): "
                                        f"{path or 'the stream'} is neither a ZIP container nor HDF5")
        # else: entries and no directory, a new file whose first session crashed: it held nothing
        if writable and self.end < size:
            # the tail a crashed session appended: no directory lists it, so nothing is lost
            f.truncate(self.end)

    # the byte accounting that decides compaction
    def _live_bytes(self) -> int:
        return sum(_LOCAL.size + len(k.encode("utf-8")) + e.size for k, e in self.entries.items())

    def dead_bytes(self) -> int:
        """Bytes no live entry and no directory of the live entries would use."""
        directory = sum(_CENTRAL.size + len(k.encode("utf-8")) for k in self.entries) + _END.size
        return max(0, self.end - self._live_bytes() - directory)

    def sorted_keys(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.entries)
        return self._sorted

    # positioned I/O
    def pread(self, offset: int, n: int) -> bytes:
        if self.fd is None:
            return _read_at(self.f, offset, n)
        return os.pread(self.fd, n, offset)

    def _pwrite(self, parts: list[Any], offset: int) -> None:
        if self.fd is None:
            self.f.seek(offset)
            for part in parts:
                self.f.write(part)
            return
        for i in range(0, len(parts), _IOV_MAX):  # a system call takes at most IOV_MAX buffers
            group = parts[i:i + _IOV_MAX]
            total = sum(memoryview(p).nbytes for p in group)
            done = os.pwritev(self.fd, group, offset)
            if done < total:  # a short write (a full disk reports its error on the retry)
                rest = b"".join(bytes(memoryview(p).cast("B")) for p in group)[done:]
                while rest:
                    n = os.pwrite(self.fd, rest, offset + done)
                    done, rest = done + n, rest[n:]
            offset += total

    # reads
    def _data_offset(self, e: _Entry) -> int:
        if e.data_offset < 0:
            head = self.pread(e.offset, _LOCAL.size)
            if len(head) < _LOCAL.size or head[:4] != _SIG_LOCAL:
                raise OSError(errno.EIO, f"corrupt container: no entry header at offset {e.offset}")
            nlen, xlen = struct.unpack_from("<HH", head, 26)
            e.data_offset = e.offset + _LOCAL.size + nlen + xlen
        return e.data_offset

    def read(self, key: str, e: _Entry) -> bytes:
        raw = self.pread(self._data_offset(e), e.size)
        if e.method == _DEFLATED:
            raw = zlib.decompress(raw, -15)
        elif e.method != _STORED:
            raise OSError(errno.ENOTSUP, f"entry {key!r} uses ZIP compression method {e.method}; only "
                                         f"stored and deflated entries can be read")
        self._check(key, e, raw)
        return raw

    def read_into(self, key: str, e: _Entry, out: Any) -> int:
        """Read a stored entry's value into ``out`` (up to its length); the value's length."""
        if e.method != _STORED:
            raw = self.read(key, e)
            n = min(len(raw), memoryview(out).nbytes)
            memoryview(out).cast("B")[:n] = raw[:n]
            return len(raw)
        view = memoryview(out).cast("B")
        if e.size != view.nbytes:
            return e.size  # another length than the caller expects: it reads the usual way
        if self.fd is None:
            view[:] = self.read(key, e)
            return e.size
        got = os.preadv(self.fd, [view], self._data_offset(e))
        if got != e.size:
            raise OSError(errno.EIO, f"corrupt entry {key!r} (the file ends inside it)")
        self._check(key, e, view)
        return e.size

    @staticmethod
    def _check(key: str, e: _Entry, raw: Any) -> None:
        # verified once per open: the bytes of a slot never change while its entry is live
        if e.checked:
            return
        if memoryview(raw).nbytes != e.raw_size or zlib.crc32(raw) != e.crc:
            raise OSError(errno.EIO, f"corrupt entry {key!r} (size or CRC-32 does not match the directory)")
        e.checked = True

    # writes: appended at self.end, listed by the next directory; the CRC-32 is computed then
    def append(self, items: Mapping[str, Any]) -> None:
        """Store ``items`` (bytes-like values): a key whose current value was written after the last
        directory and whose slot is large enough is rewritten in place (no directory lists that slot, as
        HDF5 rewrites a chunk in place); the others are appended."""
        dostime, dosdate = _DOS_TIME, _DOS_DATE
        parts: list[Any] = []
        pos = self.end
        new = {}
        for key, value in items.items():
            name = key.encode("utf-8")
            size = memoryview(value).nbytes
            old = self.entries.get(key)
            # a large value's CRC-32 waits for the directory: a chunk written back again and again
            # (the h5py vocabulary's cache) is summed once, for the value that stays
            crc = _CRC_PENDING if size >= _LATE_CRC else zlib.crc32(value)
            e = _Entry(pos, size, size, crc, _STORED, dostime, dosdate,
                       0 if name.isascii() else _UTF8_FLAG, _PERMISSIONS, checked=True)
            if old is not None and self._rewritable(old, size):
                e.offset, e.data_offset, e.room = old.offset, old.data_offset, max(old.room, old.size)
                self._pwrite([_local_header(name, e), value], e.offset)
                new[key] = e
                continue
            header = _local_header(name, e)
            e.data_offset = pos + len(header)
            parts += (header, value)
            pos = e.data_offset + size
            new[key] = e
        if parts:
            self._pwrite(parts, self.end)
            self.end = pos
        if any(k not in self.entries for k in new):
            self._sorted = None
        self.entries.update(new)
        self.dirty = True

    def _rewritable(self, old: _Entry, size: int) -> bool:
        # listed by no directory, room for the value, and a local header of the same length
        return old.offset >= self.listed_end and old.data_offset >= 0 \
            and size <= max(old.room, old.size) and (size >= _MAX32) == (old.size >= _MAX32)

    def _settle_crcs(self) -> None:
        """Compute the CRC-32 of every entry written since the last directory, into its local header:
        only a slot's last value needs one (a chunk rewritten 100 times gets one)."""
        for e in self.entries.values():
            if e.crc == _CRC_PENDING:
                e.crc = zlib.crc32(self.pread(e.data_offset, e.size))
                self._pwrite([struct.pack("<I", e.crc)], e.offset + _CRC_AT)

    def delete(self, keys: Iterable[str]) -> None:
        for key in keys:
            if self.entries.pop(key, None) is not None:
                self._sorted = None
                self.dirty = True

    def commit(self) -> None:
        """Write a directory of the live entries after everything appended (nothing if unchanged)."""
        if not self.dirty:
            return
        self._settle_crcs()
        self._sync()  # the data first: a directory must never list bytes that a power loss could lose
        directory = _directory(self.entries, self.end)
        self._pwrite([directory], self.end)
        self.end += len(directory)
        self.listed_end = self.end
        self.f.flush()
        self.dirty = False

    def _sync(self) -> None:
        self.f.flush()
        fileno = getattr(self.f, "fileno", None)
        if self.path is not None and callable(fileno):
            os.fsync(fileno())

    def compacted(self, out: BinaryIO) -> None:
        """Write the live entries, back to back, and their directory to ``out``."""
        entries, pos = {}, 0
        for key in self.sorted_keys():
            e = self.entries[key]
            data = self.pread(self._data_offset(e), e.size)
            moved = _Entry(pos, e.size, e.raw_size, e.crc, e.method, e.dostime, e.dosdate, e.flags,
                           e.external)
            header = _local_header(key.encode("utf-8"), moved)
            out.write(header)
            out.write(data)
            moved.data_offset = pos + len(header)
            pos = moved.data_offset + e.size
            entries[key] = moved
        out.write(_directory(entries, pos))

    def compact(self) -> None:
        if self.path is None:
            buf = io.BytesIO()
            self.compacted(buf)
            self.f.seek(0)
            self.f.write(buf.getbuffer())
            self.f.truncate()
            self.f.flush()
            return
        tmp = f"{self.path}.zarr5-compact-{os.getpid()}"
        try:
            with open(tmp, "wb") as out:
                self.compacted(out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, os.stat(self.path).st_mode & 0o7777)
            os.replace(tmp, self.path)  # atomic: a reader sees the old file or the new one, whole
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise

    def _still_named(self) -> bool:
        # a program may delete or replace the file while it is open (POSIX keeps the open inode)
        if self.path is None:
            return True
        try:
            st, fst = os.stat(self.path), os.fstat(self.f.fileno())
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == (fst.st_dev, fst.st_ino)

    def close(self) -> None:
        if self.writable:
            self.commit()
            if self.dead_bytes() > COMPACT_RATIO * self.end and self._still_named():
                self.compact()
        if self.owns_file:
            self.f.close()


# the containers open in this process, by (device, inode) of their file
_OPEN: dict[tuple[int, int], _Container] = {}
_OPEN_LOCK = threading.RLock()  # reentrant: a finalizer run by the GC inside _open_path takes it again


def _open_path(path: str, mode: str) -> _Container:
    with _OPEN_LOCK:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            st = None
        shared = _OPEN.get((st.st_dev, st.st_ino)) if st is not None else None
        if shared is not None:
            if mode == "w":
                raise OSError(errno.EBUSY, f"Unable to truncate a file which is already open: {path!r}", path)
            if mode != "r" and not shared.writable:
                raise OSError(errno.EBUSY, f"Unable to open file {path!r} for writing: it is already open "
                                           f"read-only", path)
            shared.refs += 1
            return shared
        f: BinaryIO
        # unbuffered: the container reads and writes by position (pread/pwritev)
        if mode == "r":
            f = open(path, "rb", buffering=0)  # noqa: SIM115 -- the container owns it until its last close
        elif mode == "w" or st is None:
            f = open(path, "w+b", buffering=0)  # noqa: SIM115
        else:
            f = open(path, "r+b", buffering=0)  # noqa: SIM115
        try:
            c = _Container(f, writable=mode != "r", path=path, owns_file=True,
                           fresh=mode == "w" or st is None)
        except BaseException:
            f.close()
            raise
        st = os.fstat(f.fileno())
        c.key = (st.st_dev, st.st_ino)
        c.refs = 1
        _OPEN[c.key] = c
        return c


def _write_image(buf: Any, path: str) -> None:
    # the core driver's backing store: the image replaces the file whole (a crash keeps the old one)
    tmp = f"{path}.zarr5-write-{os.getpid()}"
    try:
        with open(tmp, "wb") as out:
            out.write(buf.getbuffer())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _release(c: _Container, writer: bool, backing_path: str | None) -> None:
    """One store handle lets go of its container; the last one writes the directory and closes it."""
    # never c.lock inside _OPEN_LOCK: a finalizer may run (from the GC) in a thread holding a c.lock
    with _OPEN_LOCK:
        c.refs -= 1
        last = c.refs == 0
        if last:  # no other handle can reach c now, and nobody can open the file until it is closed
            _OPEN.pop(c.key, None)
            c.close()
            if backing_path is not None:
                _write_image(c.f, backing_path)
            return
    if c.writable and writer:
        with c.lock:
            c.commit()  # h5py's file close flushes, even when other handles stay open


class SingleFileStore(Store):
    """A zarr store in one ZIP file (a path) or in a binary file-like object.

    Parameters
    ----------
    target : str, os.PathLike or binary file-like object
        The file. A file-like object must be seekable; it stays open when the store closes.
    mode : {'r', 'r+', 'a', 'w'}
        'r' read-only; 'r+' must exist; 'a' creates if needed; 'w' starts an empty container.
    dimension_separator : {None, '.', '/'}
        Chunk key separator that arrays created here default to.

    Examples
    --------
    >>> import os, tempfile, zipfile
    >>> path = os.path.join(tempfile.mkdtemp(), "data.h5")
    >>> with SingleFileStore(path, mode="w") as store:
    ...     store[".zgroup"] = b'{"zarr_format": 2}'
    >>> zipfile.ZipFile(path).namelist()
    ['.zgroup']
    """

    def __init__(self, target: Any, mode: str = "a", *, in_memory: bool = False, backing_store: bool = True,
                 dimension_separator: str | None = None) -> None:
        if mode not in ("r", "r+", "a", "w"):
            raise ValueError(f"invalid SingleFileStore mode {mode!r}: expected 'r', 'r+', 'a' or 'w'")
        self._dimension_separator = dimension_separator
        self._read_only = mode == "r"
        self.mode = mode
        self.backing_path: str | None = None
        if in_memory:
            # HDF5's core driver: the whole file in memory, written back at flush/close if backing_store
            path = os.path.abspath(os.fsdecode(os.fspath(target)))
            if mode in ("r", "r+") and not os.path.exists(path):
                raise FileNotFoundError(errno.ENOENT, f"No such file: {path!r}", path)
            buf = io.BytesIO()
            if mode != "w" and os.path.exists(path):
                with open(path, "rb") as f:
                    buf.write(f.read())
            if backing_store and mode != "r":
                self.backing_path = path
            target = buf
        if hasattr(target, "read") and hasattr(target, "seek"):
            self.path = None
            if mode == "w":
                target.seek(0)
                target.truncate()
            self._c = _Container(target, writable=mode != "r", path=None, owns_file=False, fresh=mode == "w")
            self._c.refs = 1
        else:
            self.path = os.path.abspath(os.fsdecode(os.fspath(target)))
            if mode == "r+" and not os.path.exists(self.path):
                raise FileNotFoundError(errno.ENOENT, f"No such file: {self.path!r}", self.path)
            self._c = _open_path(self.path, mode)
        # a store dropped unclosed (or still open at exit) is closed then, as HDF5 closes its files
        self._release = weakref.finalize(self, _release, self._c, mode != "r", self.backing_path)

    @property
    def shared_file(self) -> Any:
        """What every store of this process on the same open file shares (its open container): the
        h5py vocabulary shares a File's pending metadata between the Files of one file by it."""
        return self._c

    # life cycle
    def flush(self) -> None:
        """Write a directory of everything written so far (readers elsewhere then see it)."""
        with self._c.lock:
            if self._c.writable:
                self._c.commit()
            if self.backing_path is not None:
                _write_image(self._c.f, self.backing_path)

    def close(self) -> None:
        """Release the file; its last holder writes the directory and compacts when worthwhile."""
        self._release()

    @property
    def closed(self) -> bool:
        return not self._release.alive

    def dead_bytes(self) -> int:
        """Bytes in the file that no live entry or the current directory uses."""
        with self._c.lock:
            return self._c.dead_bytes()

    def __getstate__(self) -> tuple:
        if self.path is None:
            raise TypeError("a SingleFileStore over a file-like object cannot be pickled")
        self.flush()
        return self.path, self.mode, self._dimension_separator

    def __setstate__(self, state: tuple) -> None:
        path, mode, sep = state
        self.__init__(path, "r" if mode == "r" else "a", dimension_separator=sep)  # type: ignore[misc]

    def _check_open(self) -> None:
        if not self._release.alive:
            raise ValueError(f"{self!r} is closed")

    # the mapping
    def __getitem__(self, key: str) -> bytes:
        key = normalize_key(key)
        self._check_open()
        with self._c.lock:
            e = self._c.entries.get(key)
            if e is None:
                raise KeyError(key)
            return self._c.read(key, e)

    def read_into(self, key: str, out: Any) -> int | None:
        """Read the value of ``key`` into the writable buffer ``out`` (a chunk's own memory) and return
        the value's length, or None when there is no such key. A caller finding another length than
        it expected reads the key the usual way."""
        key = normalize_key(key)
        self._check_open()
        with self._c.lock:
            e = self._c.entries.get(key)
            return None if e is None else self._c.read_into(key, e, out)

    def write_back(self, key: str, value: Any) -> None:
        """``self[key] = value`` for a chunk cache's write-back, with no copy of ``value``: a chunk
        written back again before the next directory reuses its slot in place."""
        self._check_writable()
        self._check_open()
        key = normalize_key(key)
        with self._c.lock:
            self._c.append({key: memoryview(value).cast("B")})

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        self._check_open()
        keys = [normalize_key(k) for k in keys]
        with self._c.lock:
            found = [(k, e) for k in keys if (e := self._c.entries.get(k)) is not None]
            found.sort(key=lambda ke: ke[1].offset)  # one forward pass over the file
            return {k: self._c.read(k, e) for k, e in found}

    def get_partial_values(self, ranges: Sequence[tuple[str, int, int | None]]) -> list[bytes | None]:
        self._check_open()
        out: list[bytes | None] = []
        with self._c.lock:
            for key, start, length in ranges:
                e = self._c.entries.get(key)
                if e is None:
                    out.append(None)
                elif e.method != _STORED:
                    value = self._c.read(key, e)
                    start = max(0, len(value) + start) if start < 0 else start
                    out.append(value[start:] if length is None else value[start:start + length])
                else:
                    start = max(0, e.size + start) if start < 0 else min(start, e.size)
                    n = e.size - start if length is None else min(length, e.size - start)
                    out.append(self._c.pread(self._c._data_offset(e) + start, n))
        return out

    def __setitem__(self, key: str, value: Any) -> None:
        self.set_many({key: value})

    def set_many(self, items: Mapping[str, Any]) -> None:
        self._check_writable()
        self._check_open()
        checked = {normalize_key(k): ensure_bytes(v) for k, v in items.items()}
        with self._c.lock:
            self._c.append(checked)

    def __delitem__(self, key: str) -> None:
        self._check_writable()
        self._check_open()
        key = normalize_key(key)
        with self._c.lock:
            if key not in self._c.entries:
                raise KeyError(key)
            self._c.delete([key])

    def delete_many(self, keys: Iterable[str]) -> None:
        self._check_writable()
        self._check_open()
        keys = [normalize_key(k) for k in keys]
        with self._c.lock:
            self._c.delete(keys)

    def __contains__(self, key: object) -> bool:
        return is_valid_key(key) and key in self._c.entries

    def keylist(self) -> list[str]:
        with self._c.lock:
            return list(self._c.sorted_keys())

    def __iter__(self) -> Iterator[str]:
        return iter(self.keylist())

    def __len__(self) -> int:
        return len(self._c.entries)

    # hierarchy, from the sorted key list
    def list_prefix(self, path: str = "") -> list[str]:
        path = normalize_path(path)
        prefix = path + "/" if path else ""
        with self._c.lock:
            keys = self._c.sorted_keys()
            i = bisect.bisect_left(keys, prefix)
            j = bisect.bisect_left(keys, prefix + "\U0010ffff") if prefix else len(keys)
            return keys[i:j]

    def listdir(self, path: str = "") -> list[str]:
        n = len(normalize_path(path)) + 1 if normalize_path(path) else 0
        return sorted({k[n:].split("/", 1)[0] for k in self.list_prefix(path)})

    def may_hold_keys(self, path: str = "") -> bool:
        return bool(self.list_prefix(path)) or normalize_path(path) in self._c.entries

    def getsize(self, path: str = "") -> int:
        path = normalize_path(path)
        with self._c.lock:
            if path and path in self._c.entries:
                return self._c.entries[path].raw_size
            # zarr-2's rule: the keys directly under ``path``, one level
            n = len(path) + 1 if path else 0
            return sum(self._c.entries[k].raw_size for k in self.list_prefix(path) if "/" not in k[n:])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleFileStore) and self._c is other._c

    def __hash__(self) -> int:
        return id(self._c)

    def __repr__(self) -> str:
        where = repr(self.path) if self.path is not None else type(self._c.f).__name__
        return f"<zarr5.storage.SingleFileStore: {where} mode={self.mode!r}>"
