"""Walking h5py paths through a store: groups, arrays and link records, with links followed."""

from __future__ import annotations

import os
from typing import Any

from zarr5.core.paths import join
from zarr5.h5.base import FileState, provided, split
from zarr5.h5.links import get_links
from zarr5.hdf5lib import real_h5py

__all__ = ["Found", "lookup", "open_external"]

_MAX_LINK_DEPTH = 32


class Found:
    """Where a path led: a node (``state``, ``path``), or an unfollowed link (``record``, held as
    ``leaf`` by the group at ``holder``), or an object of a real HDF5 file opened through h5py
    (``foreign``)."""

    def __init__(self, state: FileState, path: str, holder: str = "", leaf: str = "",
                 record: dict | None = None, foreign: Any = None, kind: str | None = None) -> None:
        self.state, self.path = state, path
        self.holder, self.leaf, self.record = holder, leaf, record
        self.foreign = foreign
        self.kind = kind  # what the walk found at ``path`` ('dataset', 'group'...), when it looked


def lookup(state: FileState, base: str, name: str, follow_last: bool = True, depth: int = 0,
           elink_mode: str | None = None) -> Found:
    """Resolve ``name`` (absolute, or relative to group ``base``); KeyError names what is missing."""
    if depth > _MAX_LINK_DEPTH:
        raise KeyError(f"Unable to open object (too many links resolving {name!r})")
    absolute, parts = split(name)
    cur = "" if absolute else base
    found_kind = None  # the kind of ``cur`` when known, so opening it needs no second probe
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        child = join(cur, part) if _valid(part) else None
        kind = state.kind(child) if child is not None else None
        if child is not None and kind is not None:
            if not last and kind != "group":
                raise KeyError(f"Unable to open object (component {part!r} of {name!r} is not a group)")
            cur, found_kind = child, kind
            continue
        record = get_links(state, cur).get(part) if state.kind(cur) == "group" else None
        if record is None:
            raise KeyError(f"Unable to open object (object {name!r} doesn't exist)")
        if last and not follow_last:
            return Found(state, child or part, holder=cur, leaf=part, record=record)
        found = follow(state, cur, record, depth + 1, elink_mode)
        if found.foreign is not None:
            rest = "/".join(parts[i + 1:])
            return Found(state, "", foreign=found.foreign[rest] if rest else found.foreign)
        state, cur, found_kind = found.state, found.path, found.kind
        if not last and state.kind(cur) != "group":
            raise KeyError(f"Unable to open object (component {part!r} of {name!r} is not a group)")
    return Found(state, cur, kind=found_kind)


def _valid(part: str) -> bool:
    return part not in ("..",) and "\\" not in part and "\x00" not in part


def follow(state: FileState, holder: str, record: dict, depth: int, elink_mode: str | None = None) -> Found:
    """Resolve one link record held by group ``holder``."""
    kind = record.get("type")
    if kind == "external":
        target = open_external(state, record["file"], elink_mode)
        if not isinstance(target, FileState):
            path = record["path"]
            try:
                return Found(state, "", foreign=target[path])
            except KeyError:
                raise KeyError(f"Unable to open object (object {path!r} doesn't exist in "
                               f"{record['file']!r})") from None
        return lookup(target, "", record["path"], depth=depth)
    path = record.get("path", "")
    if kind == "hard" or path.startswith("/"):
        return lookup(state, "", path, depth=depth)
    return lookup(state, holder, path, depth=depth)


def open_external(state: FileState, filename: str, elink_mode: str | None = None) -> Any:
    """The FileState (zarr store) or h5py File (real HDF5 file) an external link names."""
    # HDF5's search order: beside the linking file first (the name it then reports is that joined path),
    # then the name as written, relative to the working directory
    candidates = [filename]
    if not os.path.isabs(filename) and state.filename:
        candidates.insert(0, os.path.join(os.path.dirname(os.path.abspath(state.filename)), filename))
    mode = elink_mode or ("r" if state.read_only else "r+")
    if mode != "r" and state.read_only:
        raise ValueError(f"cannot open external file {filename!r} for writing from a read-only file")
    for path in candidates:
        if os.path.isfile(path):
            h5py = real_h5py()

            if h5py.is_hdf5(path):
                f = h5py.File(path, "r")
                return f
        if os.path.isdir(path) or os.path.isfile(path):  # a directory store or a single-file one
            try:
                f = provided("file")(path, mode)
            except OSError:
                continue
            if mode == "r" and not state.read_only:
                f._state.mode = "r"
            state.children.append(f._state)
            return f._state
    raise KeyError(f"Unable to open external link (file {filename!r} not found)")
