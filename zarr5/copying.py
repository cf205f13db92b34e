"""copy, copy_all and copy_store: move hierarchies between stores, zarr5 objects and h5py files."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from zarr5.errors import CopyError
from zarr5.storage import normalize_path

_IF_EXISTS = ("raise", "replace", "skip", "skip_initialized")


class _Log:
    """Writes progress lines to a callable or a file-like object; silent when given None."""

    def __init__(self, log: Any) -> None:
        if log is None:
            self._write: Callable[[str], Any] | None = None
        elif callable(log):
            self._write = log
        elif hasattr(log, "write"):
            self._write = lambda msg: log.write(msg + "\n")
        else:
            raise TypeError(f"log must be a callable or a file-like object, not {type(log).__name__}")

    def __call__(self, msg: str) -> None:
        if self._write is not None:
            self._write(msg)

    def done(self, dry_run: bool, n_copied: int, n_skipped: int, n_bytes: int) -> None:
        prefix = "dry run: " if dry_run else ""
        self(f"{prefix}all done: {n_copied:,} copied, {n_skipped:,} skipped, {n_bytes:,} bytes copied")


def _check_if_exists(if_exists: str) -> None:
    if if_exists not in _IF_EXISTS:
        raise ValueError(f"if_exists must be one of {_IF_EXISTS}, not {if_exists!r}")


def copy_store(source: Any, dest: Any, source_path: str = "", dest_path: str = "",
               excludes: Any = None, includes: Any = None, flags: int = 0, if_exists: str = "raise",
               dry_run: bool = False, log: Any = None) -> tuple[int, int, int]:
    """Copy keys (metadata and encoded chunks, no decoding) from one store to another.

    Returns ``(n_copied, n_skipped, n_bytes_copied)``.
    """
    _check_if_exists(if_exists)
    if if_exists == "skip_initialized":
        raise ValueError("if_exists='skip_initialized' applies to arrays, not to copy_store")
    write = _Log(log)
    source_prefix = _key_prefix(source_path)
    dest_prefix = _key_prefix(dest_path)
    excludes = [re.compile(e, flags) for e in _as_list(excludes)]
    includes = [re.compile(e, flags) for e in _as_list(includes)]
    n_copied = n_skipped = n_bytes = 0
    for source_key in sorted(source.keys()):
        if not source_key.startswith(source_prefix):
            continue
        rel = source_key[len(source_prefix):]
        if any(e.search(rel) for e in excludes) and not any(i.search(rel) for i in includes):
            continue
        dest_key = dest_prefix + rel
        exists = dest_key in dest
        if exists and if_exists == "raise":
            raise CopyError(f"key {dest_key!r} exists in destination")
        if exists and if_exists == "skip":
            write(f"skip {source_key}")
            n_skipped += 1
            continue
        write(f"copy {source_key}")
        if not dry_run:
            data = source[source_key]
            if exists:
                del dest[dest_key]
            dest[dest_key] = data
            n_bytes += len(data)
        n_copied += 1
    write.done(dry_run, n_copied, n_skipped, n_bytes)
    return n_copied, n_skipped, n_bytes


def _key_prefix(path: str) -> str:
    path = normalize_path(path)
    return path + "/" if path else ""


def _as_list(x: Any) -> list:
    if x is None:
        return []
    return [x] if isinstance(x, str) else list(x)


def _is_array(obj: Any) -> bool:
    return hasattr(obj, "shape") and hasattr(obj, "dtype")


def copy(source: Any, dest: Any, name: str | None = None, shallow: bool = False, without_attrs: bool = False,
         log: Any = None, if_exists: str = "raise", dry_run: bool = False,
         **create_kws: Any) -> tuple[int, int, int]:
    """Copy ``source`` (array or group; zarr5, zarr-python or h5py) into group ``dest`` as ``name``.

    Returns ``(n_copied, n_skipped, n_bytes_copied)``.
    """
    _check_if_exists(if_exists)
    write = _Log(log)
    result = _copy(write, source, dest, name, not shallow, without_attrs, if_exists, dry_run, create_kws)
    write.done(dry_run, *result)
    return result


def copy_all(source: Any, dest: Any, shallow: bool = False, without_attrs: bool = False, log: Any = None,
             if_exists: str = "raise", dry_run: bool = False, **create_kws: Any) -> tuple[int, int, int]:
    """Copy every member of group ``source`` into group ``dest``, and the group's attributes."""
    _check_if_exists(if_exists)
    write = _Log(log)
    n_copied = n_skipped = n_bytes = 0
    for key in source.keys():
        c, s, b = _copy(write, source[key], dest, key, not shallow, without_attrs, if_exists, dry_run,
                        create_kws)
        n_copied += c
        n_skipped += s
        n_bytes += b
    if not without_attrs and not dry_run:
        dest.attrs.update(_attrs_of(source))
    write.done(dry_run, n_copied, n_skipped, n_bytes)
    return n_copied, n_skipped, n_bytes


def _attrs_of(obj: Any) -> dict:
    return {k: _json_value(v) for k, v in obj.attrs.items()}


def _json_value(value: Any) -> Any:
    # h5py hands back numpy scalars, arrays and bytes; zarr-2 attributes hold JSON values
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="surrogateescape")
    if isinstance(value, np.ndarray):
        return [_json_value(v) for v in value.tolist()] if value.dtype.kind in "SO" else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def _name_of(source: Any, name: str | None) -> str:
    if name is not None:
        return name
    src_name = getattr(source, "name", None)
    if not src_name or src_name == "/":
        raise TypeError("source has no name, please provide the `name` parameter")
    return src_name.rstrip("/").rsplit("/", 1)[-1]


def _copy(write: _Log, source: Any, dest: Any, name: str | None, deep: bool, without_attrs: bool,
          if_exists: str, dry_run: bool, create_kws: dict) -> tuple[int, int, int]:
    name = _name_of(source, name)
    source_name = getattr(source, "name", None) or "/"
    exists = dest is not None and name in dest
    if exists and if_exists == "raise":
        raise CopyError(f"an object {name!r} already exists in destination {getattr(dest, 'name', dest)!r}")
    if _is_array(source):
        return _copy_array(write, source, dest, name, source_name, exists, without_attrs, if_exists,
                           dry_run, create_kws)
    return _copy_group(write, source, dest, name, source_name, exists, deep, without_attrs, if_exists,
                       dry_run, create_kws)


def _copy_array(write: _Log, source: Any, dest: Any, name: str, source_name: str, exists: bool,
                without_attrs: bool, if_exists: str, dry_run: bool, create_kws: dict) -> tuple[int, int, int]:
    label = f"{source_name} {tuple(source.shape)} {source.dtype}"
    if exists:
        existing = dest[name]
        if if_exists == "skip" or (if_exists == "skip_initialized" and _is_array(existing)
                                   and getattr(existing, "nchunks_initialized", -1)
                                   == getattr(existing, "nchunks", -2)):
            write(f"skip {label}")
            return 0, 1, 0
    write(f"copy {label}")
    if dry_run:
        return 1, 0, 0
    if exists:
        del dest[name]
    kws = _array_create_kws(source)
    kws.update(create_kws)
    target = dest.create_dataset(name, **kws)
    for region in _regions(source):
        target[region] = source[region]
    if not without_attrs:
        target.attrs.update(_attrs_of(source))
    return 1, 0, int(np.prod(source.shape, dtype=np.int64)) * source.dtype.itemsize


def _array_create_kws(source: Any) -> dict:
    kws: dict[str, Any] = {"shape": tuple(source.shape), "dtype": source.dtype}
    chunks = getattr(source, "chunks", None)
    kws["chunks"] = chunks if chunks is not None else True
    if hasattr(source, "compressor"):
        # a zarr array: keep its codecs, fill value and layout
        kws.update(compressor=source.compressor, filters=source.filters, fill_value=source.fill_value,
                   order=source.order)
    else:
        kws["fill_value"] = getattr(source, "fillvalue", None)
    return kws


def _regions(source: Any) -> Iterator[tuple[slice, ...]]:
    """Blocks of whole source chunks along the first axis, so memory stays bounded."""
    shape = tuple(source.shape)
    if not shape:
        yield ()
        return
    chunks = getattr(source, "chunks", None) or shape
    step = max(1, chunks[0])
    for start in range(0, shape[0], step):
        yield (slice(start, min(shape[0], start + step)),) + tuple(slice(None) for _ in shape[1:])


def _copy_group(write: _Log, source: Any, dest: Any, name: str, source_name: str, exists: bool, deep: bool,
                without_attrs: bool, if_exists: str, dry_run: bool, create_kws: dict) -> tuple[int, int, int]:
    if exists and _is_array(dest[name]):
        if if_exists == "replace" and not dry_run:
            del dest[name]
        elif if_exists != "replace":
            write(f"skip {source_name}")
            return 0, 1, 0
    write(f"copy {source_name}")
    n_copied, n_skipped, n_bytes = 1, 0, 0
    target = None
    if not dry_run:
        target = dest.require_group(name)
        if not without_attrs:
            target.attrs.update(_attrs_of(source))
    if deep:
        for key in source.keys():
            c, s, b = _copy(write, source[key], target, key, deep, without_attrs, if_exists, dry_run,
                            create_kws)
            n_copied += c
            n_skipped += s
            n_bytes += b
    return n_copied, n_skipped, n_bytes
