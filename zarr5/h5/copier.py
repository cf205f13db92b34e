"""Group.copy: copying objects within a file or between files, with h5py's options."""

from __future__ import annotations

from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.core.hierarchy import init_group
from zarr5.core.paths import join, prefix
from zarr5.h5.base import R_LINKS, R_ORDER, FileState
from zarr5.h5.links import get_links
from zarr5.h5.resolve import follow

__all__ = ["copy_node"]


def _copy_attrs(src: FileState, src_path: str, dst: FileState, dst_path: str, without_attrs: bool,
                keep_links: dict | None) -> None:
    s, d = src.attrs(src_path), dst.attrs(dst_path)
    visible = {} if without_attrs else s.asdict()
    reserved = {k: s.get_reserved(k) for k in _reserved_names(s)}
    reserved.pop(R_LINKS, None)
    if without_attrs:
        reserved.pop(RESERVED_PREFIX + "attrs", None)
        reserved.pop(RESERVED_PREFIX + "attr_order", None)
    if keep_links:
        reserved[R_LINKS] = keep_links
    if visible:
        d.put(visible)
    if reserved:
        d.set_reserved(reserved)


def _reserved_names(attrs: object) -> list[str]:
    names = ("links", "order", "track_order", "attrs", "attr_order", "datatype", "maxshape", "layout",
             "filters", "h5type", "empty", "scale", "dims")
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
