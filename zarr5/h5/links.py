"""Links: HDF5's soft, external and hard links, kept in the parent group's reserved attribute.

A Zarr v2 hierarchy has only its directory tree, so a link is a record in the reserved attribute
``_zarr5_links`` of the group holding it: ``{name: {"type": "soft", "path": "/a/b"}}``,
``{"type": "external", "file": "other.zarr", "path": "/x"}`` or ``{"type": "hard", "path": "/a"}``
(a second name for an existing object; zarr has no shared storage, so it is resolved like a soft link
that h5py reports as HardLink). Links are resolved on access; a dangling link stays a member.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.core.paths import ARRAY_KEY, join, prefix
from zarr5.h5.base import R_LINKS, FileState

__all__ = ["ExternalLink", "HardLink", "SoftLink", "children", "get_links", "link_from_record", "link_record",
           "links_in", "walk_links", "walk_objects"]


class HardLink:
    """The link type of ordinary members (``get(name, getlink=True)``)."""

    def __repr__(self) -> str:
        return "<HardLink>"


class SoftLink:
    """A link by path, resolved on access (absolute, or relative to the group holding it)."""

    def __init__(self, path: Any) -> None:
        self._path = path.decode("utf-8") if isinstance(path, bytes) else str(path)

    @property
    def path(self) -> str:
        return self._path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SoftLink) and other._path == self._path

    def __hash__(self) -> int:
        return hash(("soft", self._path))

    def __repr__(self) -> str:
        return f'<SoftLink to "{self._path}">'


class ExternalLink:
    """A link to an object in another file (a zarr5 store, or an HDF5 file read through h5py)."""

    def __init__(self, filename: Any, path: Any) -> None:
        self._filename = (os.fsdecode(filename) if isinstance(filename, (bytes, os.PathLike))
                          else str(filename))
        self._path = path.decode("utf-8") if isinstance(path, bytes) else str(path)

    @property
    def path(self) -> str:
        return self._path

    @property
    def filename(self) -> str:
        return self._filename

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExternalLink) and (other._filename, other._path) == (self._filename,
                                                                                       self._path)

    def __hash__(self) -> int:
        return hash(("external", self._filename, self._path))

    def __repr__(self) -> str:
        return f'<ExternalLink to "{self._path}" in file "{self._filename}">'


def link_record(link: SoftLink | ExternalLink, hard_path: str | None = None) -> dict:
    if hard_path is not None:
        return {"type": "hard", "path": hard_path}
    if isinstance(link, ExternalLink):
        return {"type": "external", "file": link.filename, "path": link.path}
    return {"type": "soft", "path": link.path}


def link_from_record(record: dict) -> Any:
    kind = record.get("type")
    if kind == "external":
        return ExternalLink(record["file"], record["path"])
    if kind == "hard":
        return HardLink()
    return SoftLink(record["path"])


def get_links(state: Any, group_path: str) -> dict:
    """The link records of the group at ``group_path`` (empty when it holds none)."""
    return links_in(state.attrs(group_path))


def links_in(attrs: Any) -> dict:
    """The link records a group's attributes hold (empty when none)."""
    links = attrs.get_reserved(R_LINKS)
    return dict(links) if isinstance(links, dict) else {}


def set_link(state: Any, group_path: str, name: str, record: dict | None) -> None:
    """Add (``record``) or remove (None) the link ``name`` of a group."""
    attrs = state.attrs(group_path)
    links = get_links(state, group_path)
    if record is None:
        links.pop(name, None)
    else:
        links[name] = record
    if links:
        attrs.set_reserved({R_LINKS: links})
    else:
        attrs.set_reserved({}, remove=(R_LINKS,))


def children(state: FileState, path: str) -> tuple[list[tuple[str, str]], dict]:
    """(sorted native members as (name, kind)), link records) of the group at ``path``."""
    natives = []
    store = state.store
    base = prefix(path)
    for n in sorted(store.listdir(path)):
        if n.startswith(RESERVED_PREFIX):
            continue
        # the usual member, a v2 dataset, in one probe (a listed name is a valid key segment)
        kind = "dataset" if base + n + "/" + ARRAY_KEY in store else state.kind(base + n)
        if kind is not None:
            natives.append((n, kind))
    return natives, get_links(state, path)


def walk_objects(state: FileState, path: str, rel: str = "") -> Iterator[tuple[str, str, str]]:
    """(name relative to the start, path, kind) of every object below ``path``, depth first."""
    natives, _ = children(state, path)
    for n, kind in natives:
        name = f"{rel}{n}"
        child = join(path, n)
        yield name, child, kind
        if kind == "group":
            yield from walk_objects(state, child, name + "/")


def walk_links(state: FileState, path: str, rel: str = "") -> Iterator[tuple[str, Any]]:
    natives, links = children(state, path)
    kinds = dict(natives)
    for n in sorted(set(kinds) | set(links)):
        name = f"{rel}{n}"
        if n in kinds:
            yield name, HardLink()
            if kinds[n] == "group":
                yield from walk_links(state, join(path, n), name + "/")
        else:
            yield name, link_from_record(links[n])
