"""Group.copy: copying objects within a file or between files, with h5py's options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.core.hierarchy import init_group
from zarr5.core.paths import join, prefix
from zarr5.h5.attrs import AttributeManager
from zarr5.h5.base import R_LINKS, R_ORDER, FileState
from zarr5.h5.dataset import Dataset
from zarr5.h5.dtypes import check_ref_dtype
from zarr5.h5.links import get_links, walk_objects
from zarr5.h5.objects import HLObject
from zarr5.h5.refs import Reference, RegionReference
from zarr5.h5.resolve import follow

__all__ = ["copy_node", "expand_references"]


def _copy_attrs(src: FileState, src_path: str, dst: FileState, dst_path: str, without_attrs: bool,
                keep_links: dict | None) -> None:
    s, d = src.attrs(src_path), dst.attrs(dst_path)
    visible = {} if without_attrs else s.asdict()
    reserved = {k: s.get_reserved(k) for k in _reserved_names(s)}
    reserved.pop(R_LINKS, None)
    if without_attrs:
        # dimension scales are attributes in HDF5 (CLASS, NAME, DIMENSION_LIST...): they go too
        for name in ("attrs", "attr_order", "scale", "dims", "scale_refs"):
            reserved.pop(RESERVED_PREFIX + name, None)
    if keep_links:
        reserved[R_LINKS] = keep_links
    if visible:
        d.put(visible)
    if reserved:
        d.set_reserved(reserved)


def _reserved_names(attrs: Any) -> list[str]:
    names = ("links", "order", "track_order", "attrs", "attr_order", "datatype", "maxshape", "layout",
             "filters", "h5type", "empty", "scale", "dims", "scale_refs")
    return [RESERVED_PREFIX + n for n in names if attrs.get_reserved(RESERVED_PREFIX + n) is not None]


def copy_node(src: FileState, src_path: str, dst: FileState, dst_path: str, *, shallow: bool = False,
              expand_soft: bool = False, expand_external: bool = False, without_attrs: bool = False,
              depth: int = 0) -> None:
    """Copy the object at ``src_path`` of ``src`` to the new path ``dst_path`` of ``dst``."""
    kind = src.kind(src_path)
    if kind == "dataset":
        # the array's metadata and chunks are copied as stored: bytes identical, codecs kept
        base = prefix(src_path)
        for key in src.store.list_prefix(src_path):
            if key.endswith(".zattrs") and key[len(base):] == ".zattrs":
                continue
            dst.store[prefix(dst_path) + key[len(base):]] = src.store[key]
        if src.format_of(src_path) == 3:
            dst.attrs(dst_path).put({})  # a v3 zarr.json came with its attributes: _copy_attrs decides them
            dst.attrs(dst_path).set_reserved({}, remove=tuple(_reserved_names(dst.attrs(dst_path))))
        _copy_attrs(src, src_path, dst, dst_path, without_attrs, None)
        return
    init_group(dst.store, path=dst_path, zarr_format=dst.format_of(dst_path.rpartition("/")[0]))
    if shallow and depth > 0:
        return
    links = get_links(src, src_path)
    kept: dict = {}
    for name, record in links.items():
        kind_ = record.get("type")
        if (kind_ == "soft" and expand_soft) or (kind_ == "external" and expand_external) or kind_ == "hard":
            try:
                target = follow(src, src_path, record, 1)
            except KeyError:
                kept[name] = record
                continue
            if target.foreign is None:
                copy_node(target.state, target.path, dst, join(dst_path, name), shallow=shallow,
                          expand_soft=expand_soft, expand_external=expand_external,
                          without_attrs=without_attrs, depth=depth + 1)
                continue
        kept[name] = record
    _copy_attrs(src, src_path, dst, dst_path, without_attrs, kept or None)
    for name in sorted(src.store.listdir(src_path)):
        child = join(src_path, name)
        if src.kind(child) is None:
            continue
        copy_node(src, child, dst, join(dst_path, name), shallow=shallow, expand_soft=expand_soft,
                  expand_external=expand_external, without_attrs=without_attrs, depth=depth + 1)
    order = src.attrs(src_path).get_reserved(R_ORDER)
    if order:
        dst.attrs(dst_path).set_reserved({R_ORDER: order})


def expand_references(src: FileState, src_root: str, dst: FileState, dst_root: str,
                      target_path: Callable[[], str]) -> None:
    """h5py's ``expand_refs``: point every object reference held by the copy at ``dst_root`` (in
    attributes and in reference datasets) at a copy of its target. A target inside the copied tree maps
    to its copy there; any other is copied once, to the new path ``target_path()`` gives, and the
    references that copy holds are expanded in turn."""
    trees = [(src_root, dst_root)]  # (source subtree, its copy); referenced objects add theirs

    def copy_of(path: str) -> str | None:
        for s_root, d_root in sorted(trees, key=lambda t: -len(t[0])):  # the innermost tree first
            if path == s_root:
                return d_root
            if not s_root or path.startswith(s_root + "/"):
                return join(d_root, path[len(s_root):].lstrip("/"))
        if src.kind(path) is None:
            return None  # a dangling reference stays as it is
        target = target_path()
        copy_node(src, path, dst, target)
        trees.append((path, target))
        pending.append(target)
        return target

    pending = [dst_root]
    done: set[str] = set()
    while pending:
        root = pending.pop()
        # the walk is listed first: rewriting may add copies (to pending), never below this root
        for path in [root, *(p for _, p, _ in list(walk_objects(dst, root)))]:
            if path not in done:
                done.add(path)
                _rewrite_references(dst, path, copy_of)


def _rewrite_references(state: FileState, path: str, copy_of: Callable[[str], str | None]) -> None:
    def moved(ref: Any) -> Any:
        if not isinstance(ref, Reference) or ref._path is None:
            return ref
        new = copy_of(ref._path)
        if new is None:
            new = ref._path
        if isinstance(ref, RegionReference):
            return RegionReference(state.store, new, ref._region)
        return Reference(state.store, new)

    def moved_all(values: np.ndarray) -> np.ndarray:
        out = np.empty(values.shape, dtype=values.dtype)
        for i, ref in enumerate(values.flat):
            out.flat[i] = moved(ref)
        return out

    attrs = AttributeManager(HLObject(state, path))
    for name in list(attrs):
        value = attrs[name]
        if isinstance(value, Reference):
            attrs.create(name, data=moved(value))
        elif isinstance(value, np.ndarray) and check_ref_dtype(value.dtype) is not None:
            attrs.create(name, data=moved_all(value), dtype=value.dtype)
    if state.kind(path) == "dataset":
        dset = Dataset(state, path)
        if check_ref_dtype(dset.dtype) is not None and dset.shape:
            dset[...] = moved_all(dset[...])
