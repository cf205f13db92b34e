"""The copy walk: zarr-2's ``_copy`` rules (if_exists, shallow, dry_run, log lines, counts) for every
pair of source and destination, with links kept as links. What differs per pair lives in a ``Pair``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from zarr5.copying.log import LogWriter, Progress
from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.errors import CopyError

__all__ = ["Ctx", "Link", "Pair", "R_INCOMPLETE", "copy_node", "external_name", "local_dir"]

# set on a node while a copy writes it, removed when it is whole: a crash leaves it visible
R_INCOMPLETE = RESERVED_PREFIX + "incomplete"


class Link(NamedTuple):
    kind: str  # 'soft', 'external' or 'hard' (a second name of an object the source already holds)
    path: str
    file: str | None = None
    source_dir: str | None = None  # where a relative external file name resolves from, at the source

    def __str__(self) -> str:
        return f"{self.file}:{self.path}" if self.file else self.path


@dataclass
class Ctx:
    """One copy call's settings and the state its walk builds."""

    log: LogWriter
    shallow: bool = False
    without_attrs: bool = False
    if_exists: str = "raise"
    dry_run: bool = False
    create_kws: dict = field(default_factory=dict)
    expand_soft: bool = False
    expand_external: bool = False
    select: Callable[[str, bool], bool] | None = None  # (source path, is_group) -> copy it?
    progress: Progress = field(default_factory=lambda: Progress(False))
    seen: dict = field(default_factory=dict)  # source identity -> destination object (hard links)
    rewrite_external: bool = False  # rewrite relative external file names to follow the copy
    xarray_dims: bool = True  # HDF5 -> zarr: name every array's dimensions for xarray (_ARRAY_DIMENSIONS)

    def expands(self, link: Link) -> bool:
        return ((link.kind == "soft" and self.expand_soft)
                or (link.kind == "external" and self.expand_external))


def copy_dims(ctx: Ctx, src_dims: Any, dest_dims: Any, seen_key: Callable[[Any], Any]) -> None:
    """Copy a dataset's dimension labels and attach, per dimension, the copies of its scales
    (``seen_key(scale)`` finds a scale's copy in ``ctx.seen``; scales not copied are left out)."""
    for i, dim in enumerate(src_dims):
        if dim.label:
            dest_dims[i].label = dim.label
        for scale in dim.values():
            target = ctx.seen.get(seen_key(scale))
            if target is not None:
                dest_dims[i].attach_scale(target[1])


def local_dir(filename: Any) -> str | None:
    """The directory of a local file or store path (relative external links resolve from it); None for
    URLs and stores without a path."""
    if not isinstance(filename, (str, os.PathLike)) or "://" in str(filename) or not str(filename):
        return None
    return os.path.dirname(os.path.abspath(filename))


def external_name(ctx: Ctx, link: Link, dest_dir: str | None) -> str:
    """The file name an external link gets at the destination: its own words (the default), or with
    ``rewrite_external_links=True`` the source's target rewritten relative to the destination when
    the words no longer name the same file from there."""
    name = link.file or ""
    if (not ctx.rewrite_external or link.source_dir is None or dest_dir is None or os.path.isabs(name)
            or link.source_dir == dest_dir):
        return name
    target = os.path.join(link.source_dir, name)
    if not os.path.exists(target):
        return name  # dangling at the source too: keep what it says
    here = os.path.join(dest_dir, name)
    if os.path.exists(here) and os.path.samefile(here, target):
        return name
    new = os.path.relpath(target, dest_dir)
    ctx.log(f"external link file {name!r} rewritten as {new!r} (relative to the destination)")
    return new


class Pair:
    """What a source family and a destination family need for the walk; subclasses fill it in."""

    def kind(self, src: Any) -> str:  # 'array', 'group' or 'datatype'
        raise NotImplementedError

    def src_name(self, src: Any) -> str:
        return getattr(src, "name", None) or "/"

    def label(self, src: Any) -> str:
        return f"{self.src_name(src)} {src.shape} {src.dtype}"

    def members(self, src: Any) -> list[tuple[str, Link | None]]:
        raise NotImplementedError

    def child(self, src: Any, name: str) -> Any:
        return src[name]

    def identity(self, src: Any) -> Any:
        return None

    def dest_name(self, dest: Any) -> str:
        return getattr(dest, "name", None) or "/"

    def dest_has(self, dest: Any, name: str) -> bool:
        return name in dest

    def dest_is_array(self, dest: Any, name: str) -> bool:
        return hasattr(dest.get(name), "shape")

    def dest_get(self, dest: Any, name: str) -> Any:
        return dest.get(name)

    def dest_delete(self, dest: Any, name: str) -> None:
        del dest[name]

    def initialized(self, dest: Any, name: str) -> bool:
        raise ValueError(f"{'skip_initialized'!r} can only be used when copying to zarr")

    def make_group(self, ctx: Ctx, src: Any, dest: Any, name: str) -> Any:
        raise NotImplementedError

    def copy_array(self, ctx: Ctx, src: Any, dest: Any, name: str) -> int:
        raise NotImplementedError

    def copy_datatype(self, ctx: Ctx, src: Any, dest: Any, name: str) -> None:
        raise NotImplementedError

    def make_link(self, ctx: Ctx, dest: Any, name: str, link: Link) -> None:
        raise NotImplementedError

    def hard_link(self, ctx: Ctx, dest: Any, name: str, target: Any) -> None:
        raise NotImplementedError

    def copy_root_attrs(self, ctx: Ctx, src: Any, dest: Any) -> None:
        """copy_all: the source group's attributes (and member order) onto ``dest`` itself."""

    def mark(self, dest: Any, incomplete: bool) -> None:
        """Set or clear the incomplete marker of a destination group (zarr destinations only)."""

    def finish(self, ctx: Ctx) -> None:
        """After the walk: what needs every object in place (dimension scales, deferred links)."""


def _join(parent: str, name: str) -> str:
    return parent.rstrip("/") + "/" + name


def copy_node(ctx: Ctx, pair: Pair, src: Any, dest: Any, name: str, root: bool) -> tuple[int, int, int]:
    """Copy ``src`` into group ``dest`` as ``name``; returns ``(n_copied, n_skipped, n_bytes)``."""
    kind = pair.kind(src)
    if kind in ("array", "datatype"):
        exists = dest is not None and pair.dest_has(dest, name)
        do_copy = True
        if exists:
            if ctx.if_exists == "raise":
                raise CopyError(f"an object {name!r} already exists in destination {pair.dest_name(dest)!r}")
            if ctx.if_exists == "skip":
                do_copy = False
            elif ctx.if_exists == "skip_initialized":
                do_copy = not pair.initialized(dest, name)
        label = pair.label(src) if kind == "array" else pair.src_name(src)
        if not do_copy:
            ctx.log(f"skip {label}")
            return 0, 1, 0
        ctx.log(f"copy {label}")
        n_bytes = 0
        if not ctx.dry_run:
            if exists:
                pair.dest_delete(dest, name)
            if kind == "array":
                n_bytes = pair.copy_array(ctx, src, dest, name)
            else:
                pair.copy_datatype(ctx, src, dest, name)
            _remember(ctx, pair, src, dest, name)
        return 1, 0, n_bytes
    if not (root or not ctx.shallow):
        return 0, 0, 0
    exists_array = dest is not None and pair.dest_has(dest, name) and pair.dest_is_array(dest, name)
    if exists_array:
        if ctx.if_exists == "raise":
            raise CopyError(f"an array {name!r} already exists in destination {pair.dest_name(dest)!r}")
        if ctx.if_exists == "skip":
            ctx.log(f"skip {pair.src_name(src)}")
            return 0, 1, 0
    ctx.log(f"copy {pair.src_name(src)}")
    if not ctx.dry_run:
        if exists_array:
            pair.dest_delete(dest, name)
        group = pair.make_group(ctx, src, dest, name)
        _remember(ctx, pair, src, dest, name)
    else:
        group = pair.dest_get(dest, name) if dest is not None and pair.dest_has(dest, name) else None
    n_copied, n_skipped, n_bytes = copy_members(ctx, pair, src, group)
    return n_copied + 1, n_skipped, n_bytes


def copy_members(ctx: Ctx, pair: Pair, src: Any, group: Any) -> tuple[int, int, int]:
    """Copy every member of source group ``src`` into destination group ``group``."""
    n_copied = n_skipped = n_bytes = 0
    base = pair.src_name(src)
    for member, link in pair.members(src):
        path = _join(base, member)
        if link is not None and not ctx.expands(link):
            if ctx.select is not None and not ctx.select(path, False):
                continue
            c, s = _link(ctx, pair, group, member, path, link)
            n_copied, n_skipped = n_copied + c, n_skipped + s
            continue
        try:
            child = pair.child(src, member)
        except (KeyError, OSError):
            if link is None:
                raise
            c, s = _link(ctx, pair, group, member, path, link)  # a dangling link stays a link
            n_copied, n_skipped = n_copied + c, n_skipped + s
            continue
        is_group = pair.kind(child) == "group"
        if ctx.select is not None and not ctx.select(path, is_group):
            continue
        ident = pair.identity(child)
        if ident is not None and ident in ctx.seen:
            c, s = _link(ctx, pair, group, member, path, Link("hard", ctx.seen[ident][0]), ctx.seen[ident][1])
            n_copied, n_skipped = n_copied + c, n_skipped + s
            continue
        c, s, b = copy_node(ctx, pair, child, group, member, root=False)
        n_copied, n_skipped, n_bytes = n_copied + c, n_skipped + s, n_bytes + b
    return n_copied, n_skipped, n_bytes


def _link(ctx: Ctx, pair: Pair, group: Any, name: str, path: str, link: Link,
          target: Any = None) -> tuple[int, int]:
    exists = group is not None and pair.dest_has(group, name)
    if exists and ctx.if_exists == "raise":
        raise CopyError(f"an object {name!r} already exists in destination {pair.dest_name(group)!r}")
    if exists and ctx.if_exists in ("skip", "skip_initialized"):
        ctx.log(f"skip {path}")
        return 0, 1
    ctx.log(f"link {path} -> {link}")
    if not ctx.dry_run:
        if exists:
            pair.dest_delete(group, name)
        if link.kind == "hard" and target is not None:
            pair.hard_link(ctx, group, name, target)
        else:
            pair.make_link(ctx, group, name, link)
    return 1, 0


def _remember(ctx: Ctx, pair: Pair, src: Any, dest: Any, name: str) -> None:
    ident = pair.identity(src)
    if ident is not None and ident not in ctx.seen:
        ctx.seen[ident] = (_join(pair.dest_name(dest), name), pair.dest_get(dest, name))
