"""copy_store: copy keys (metadata and encoded chunks) between stores, never decoding anything."""

from __future__ import annotations

import re
from typing import Any

from zarr5.copying.log import LogWriter, summary
from zarr5.errors import CopyError
from zarr5.storage import normalize_path

__all__ = ["copy_store"]

_BATCH = 256  # keys fetched and written per round trip: memory stays a few hundred chunks


def _as_list(x: Any) -> list:
    if x is None:
        return []
    return [x] if isinstance(x, str) else list(x)


def _prefix(path: str) -> str:
    path = normalize_path(path)
    return path + "/" if path else ""


def copy_store(source: Any, dest: Any, source_path: str = "", dest_path: str = "", excludes: Any = None,
               includes: Any = None, flags: int = 0, if_exists: str = "raise", dry_run: bool = False,
               log: Any = None) -> tuple[int, int, int]:
    """Copy data directly from the ``source`` store to the ``dest`` store, as zarr-2 does.

    Keys under ``source_path`` are copied to the same relative keys under ``dest_path``; a key matching
    a regular expression of ``excludes`` is left out unless one of ``includes`` also matches it.
    ``if_exists`` is 'raise', 'replace' or 'skip'. Returns ``(n_copied, n_skipped, n_bytes_copied)``.

    >>> from zarr5.storage import MemoryStore
    >>> src, dst = MemoryStore(), MemoryStore()
    >>> src["a/.zgroup"], src["b"] = b'{"zarr_format": 2}', b"x"
    >>> copy_store(src, dst, excludes="^b")
    (1, 0, 18)
    """
    valid = ("raise", "replace", "skip")
    if if_exists not in valid:
        raise ValueError(f"if_exists must be one of {list(valid)!r}; found {if_exists!r}")
    source_prefix, dest_prefix = _prefix(source_path), _prefix(dest_path)
    excl = [re.compile(e, flags) for e in _as_list(excludes)]
    incl = [re.compile(i, flags) for i in _as_list(includes)]
    n_copied = n_skipped = n_bytes = 0
    with LogWriter(log) as write:
        todo: list[tuple[str, str]] = []
        for key in sorted(source.keys()):
            if not key.startswith(source_prefix):
                continue
            # zarr-2 matches the patterns against the whole source key
            if any(p.search(key) for p in excl) and not any(p.search(key) for p in incl):
                continue
            dest_key = dest_prefix + key[len(source_prefix):]
            descr = key if dest_key == key else f"{key} -> {dest_key}"
            if if_exists != "replace" and dest_key in dest:
                if if_exists == "raise":
                    if todo:
                        _flush(source, dest, todo)  # keys logged before the clash are written, as in zarr-2
                    raise CopyError(f"key {dest_key!r} exists in destination")
                write(f"skip {descr}")
                n_skipped += 1
                continue
            write(f"copy {descr}")
            n_copied += 1
            if not dry_run:
                todo.append((key, dest_key))
                if len(todo) >= _BATCH:
                    n_bytes += _flush(source, dest, todo)
        if todo:
            n_bytes += _flush(source, dest, todo)
        summary(write, dry_run, n_copied, n_skipped, n_bytes)
    return n_copied, n_skipped, n_bytes


def _flush(source: Any, dest: Any, todo: list[tuple[str, str]]) -> int:
    get_many = getattr(source, "get_many", None)
    values = get_many([k for k, _ in todo]) if get_many is not None else {k: source[k] for k, _ in todo}
    items = {d: values[k] for k, d in todo if k in values}
    set_many = getattr(dest, "set_many", None)
    if set_many is not None:
        set_many(items)
    else:
        for k, v in items.items():
            dest[k] = v
    todo.clear()
    return sum(memoryview(v).nbytes for v in items.values())
