"""zarr5 -> HDF5: read through the h5py facade (so zarr5's conventions are understood), write with h5py.

The original HDF5 filter pipeline recorded at import (``_zarr5_filters["hdf5"]``) is restored; chunks
whose codecs HDF5 filters read unchanged are written with ``write_direct_chunk``.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np

from zarr5.copying import raw
from zarr5.copying.h5_in import _import_h5py, h5_pipeline, same_file_layout
from zarr5.copying.refmap import has_refs, map_refs, swap_ref_dtypes
from zarr5.copying.walk import Ctx, Link, Pair, copy_dims, external_name, local_dir
from zarr5.h5.attrs import AttributeManager, typed_items
from zarr5.h5.base import R_FILTERS, R_TRACK, Empty
from zarr5.h5.dataset import Dataset, engine_array
from zarr5.h5.dims import R_SCALE
from zarr5.h5.filters import PLUGIN_FILTER_IDS, codec_for_filter, filter_for_codec, h5py_keywords
from zarr5.h5.group import Datatype
from zarr5.h5.links import get_links
from zarr5.h5.objects import file_state, node_attributes, node_path
from zarr5.h5.refs import Reference, RegionReference, reference_path, reference_region
from zarr5.h5.regions import check_region
from zarr5.metadata.v2 import ArrayMetadata

__all__ = ["ZarrToH5", "write_attrs"]


def _has_plugins() -> bool:
    try:
        import hdf5plugin  # noqa: F401
    except ImportError:
        return False
    return True


class ZarrToH5(Pair):
    """zarr5 facade source, h5py destination."""

    def __init__(self) -> None:
        self.h5py = _import_h5py()
        self.datasets: list[tuple[Any, Any]] = []
        self.hard: list[tuple[Any, str, str]] = []  # (h5py group, name, source target path)
        self.refs: list[tuple[Any, Any]] = []  # reference datasets, written once all targets exist
        self.ref_attrs: list[tuple[Any, str, Any, Any]] = []  # (h5py object, name, value, facade dtype)

    # source side
    def kind(self, src: Any) -> str:
        if isinstance(src, Dataset):
            return "array"
        if isinstance(src, Datatype):
            return "datatype"
        return "group"

    def members(self, src: Any) -> list[tuple[str, Link | None]]:
        links = get_links(file_state(src), node_path(src))
        out: list[tuple[str, Link | None]] = []
        for name in src.keys():
            rec = links.get(name)
            if rec is None:
                out.append((name, None))
            elif rec.get("type") == "external":
                where = local_dir(file_state(src).filename)
                out.append((name, Link("external", rec["path"], rec["file"], where)))
            else:
                out.append((name, Link(rec.get("type", "soft"), rec["path"])))
        return out

    def identity(self, src: Any) -> Any:
        self.source_state = file_state(src)
        return ("zarr", node_path(src))

    # destination side
    def make_group(self, ctx: Ctx, src: Any, dest: Any, name: str) -> Any:
        group = dest.get(name)
        if group is None:
            group = dest.create_group(name, track_order=src.track_order or None)
        if not ctx.without_attrs:
            write_attrs(self.h5py, src, group, self.ref_attrs)
        return group

    def copy_root_attrs(self, ctx: Ctx, src: Any, dest: Any) -> None:
        if not ctx.without_attrs:
            write_attrs(self.h5py, src, dest, self.ref_attrs)

    def copy_datatype(self, ctx: Ctx, src: Any, dest: Any, name: str) -> None:
        dest[name] = src.dtype
        if not ctx.without_attrs:
            write_attrs(self.h5py, src, dest[name], self.ref_attrs)

    def make_link(self, ctx: Ctx, dest: Any, name: str, link: Link) -> None:
        h5py = self.h5py
        if link.kind == "hard":
            self.hard.append((dest, name, link.path.strip("/")))  # its target may come later in the walk
            return
        if link.kind == "external":
            dest[name] = h5py.ExternalLink(external_name(ctx, link, local_dir(dest.file.filename)), link.path)
        else:
            dest[name] = h5py.SoftLink(link.path)

    def hard_link(self, ctx: Ctx, dest: Any, name: str, target: Any) -> None:
        dest[name] = target

    def copy_array(self, ctx: Ctx, src: Any, dest: Any, name: str) -> int:
        h5py = self.h5py
        dt = src.dtype
        h5dt, convert = _h5_dtype(h5py, dt)
        kws = dict(ctx.create_kws)
        if src.shape is None:
            ds = dest.create_dataset(name, data=h5py.Empty(h5dt))
            if not ctx.without_attrs:
                write_attrs(h5py, src, ds, self.ref_attrs)
            self.datasets.append((src, ds))
            return 0
        args: dict[str, Any] = {"shape": src.shape, "dtype": h5dt}
        if src.chunks is not None:
            args["chunks"] = src.chunks
        if src.maxshape != src.shape:
            args["maxshape"] = src.maxshape
        fill = _fill(src, dt)
        if convert is None and fill is not None:
            args["fillvalue"] = fill
        if node_attributes(src).get_reserved(R_TRACK):
            args["track_order"] = True
        overrides = {k: kws.pop(k) for k in ("compressor", "filters") if k in kws}
        if not any(k in kws for k in ("compression", "shuffle", "fletcher32", "scaleoffset")):
            args.update(_pipeline_kws(src, overrides))
        if "fill_value" in kws:
            args["fillvalue"] = kws.pop("fill_value")
        args.update(kws)
        if src.shape == ():
            args = {k: v for k, v in args.items() if k in ("shape", "dtype", "fillvalue", "track_order")}
        ds = dest.create_dataset(name, **args)
        if not ctx.without_attrs:
            write_attrs(h5py, src, ds, self.ref_attrs)
        nbytes = int(src.size) * dt.itemsize
        ctx.progress.add_total(nbytes)
        if has_refs(dt):
            self.refs.append((src, ds))  # a second pass: the targets may come later in the walk
        elif src.size:
            self._copy_data(ctx, src, ds, convert, nbytes)
        self.datasets.append((src, ds))
        return nbytes

    def _copy_data(self, ctx: Ctx, src: Any, ds: Any, convert: Any, nbytes: int) -> None:
        if not src.shape:
            value = src[()]
            ds[()] = convert(np.asarray(value)) if convert else value
            ctx.progress.update(nbytes)
            return
        arr = engine_array(src)
        if convert is None and _raw_ok(src, ds):
            meta = arr.meta  # _raw_ok took only Zarr v2 arrays
            if isinstance(meta, ArrayMetadata):
                raw.zarr_to_h5_chunks(arr.store, node_path(src), meta, ds, ctx.progress)
                return
            return
        itemsize = src.dtype.itemsize if not src.dtype.hasobject else 64
        for sel in raw.blocks(src.shape, ds.chunks or arr.chunks[:len(src.shape)], itemsize):
            block = src[sel]
            if convert is not None:
                block = convert(block)
            elif block.dtype.kind == "S" and ds.dtype.kind == "S":
                block = block.view(ds.dtype)  # fixed UTF-8 strings: same bytes, h5py's marker
            ds[sel] = block
            ctx.progress.update(int(np.prod([s.stop - s.start for s in sel])) * src.dtype.itemsize)

    def finish(self, ctx: Ctx) -> None:
        for group, name, path in self.hard:
            target = ctx.seen.get(("zarr", path))
            if target is not None:
                group[name] = target[1]
            else:  # the first name lies outside what was copied: this name carries the data
                from zarr5.copying.walk import copy_node
                from zarr5.h5.base import open_node

                src = open_node(self.source_state, path)
                copy_node(ctx, self, src, group, name, root=True)
        for src, ds in self.refs:
            self._copy_refs(ctx, src, ds)
        for obj, name, value, dtype in self.ref_attrs:
            aid = obj.attrs.get_id(name)
            out = map_refs(value, aid.shape, dtype, aid.dtype,
                           functools.partial(self._h5_ref, ctx, obj, obj.name))
            obj.attrs.modify(name, out)  # in place: creation order kept
        for src, ds in self.datasets:
            if src.shape and src.is_scale:
                ds.make_scale(node_attributes(src).get_reserved(R_SCALE) or "")
        for src, ds in self.datasets:
            if src.shape:
                copy_dims(ctx, src.dims, ds.dims, lambda scale: ("zarr", node_path(scale)))


    def _h5_ref(self, ctx: Ctx, holder: Any, where: str, ref: Any) -> Any:
        """The h5py reference to the copy of ``ref``'s target; null (logged) when it was not copied."""
        h5py = self.h5py
        region = isinstance(ref, RegionReference)
        null = h5py.RegionReference() if region else h5py.Reference()
        if not ref:
            return null
        path = reference_path(ref) or ""  # not null: checked above
        copied = ctx.seen.get(("zarr", path))
        if copied is None:
            ctx.log(f"warning: {where}: reference to {'/' + path}, which was not copied; stored as null")
            return null
        target = holder.file[copied[1].name]
        if not region:
            return target.ref
        region_doc = reference_region(ref) or {}  # a non-null region reference always holds one
        try:
            check_region(region_doc, target.shape)
        except ValueError as e:
            ctx.log(f"warning: {where}: {e}; stored as null")
            return null
        sid = _h5_region(h5py, target, region_doc)
        return h5py.h5r.create(target.id, b".", h5py.h5r.DATASET_REGION, sid)

    def _copy_refs(self, ctx: Ctx, src: Any, ds: Any) -> None:
        """References to the copies of their targets; null where the target was not copied."""
        if not src.size:
            return
        for sel in raw.blocks(src.shape, ds.chunks or (1,) * len(src.shape), 64):  # bounded, as for data
            block = src[sel]
            ds[sel] = map_refs(block, np.shape(block), src.dtype, ds.dtype,
                               lambda r: self._h5_ref(ctx, ds, src.name, r))
            ctx.progress.update(int(np.size(block)) * src.dtype.itemsize)


def _h5_null(h5py: Any, ref: Any) -> Any:
    return h5py.RegionReference() if isinstance(ref, RegionReference) else h5py.Reference()


def _swap_refs(h5py: Any, dt: np.dtype) -> np.dtype:
    """``dt`` with zarr5's reference types replaced by h5py's."""
    return swap_ref_dtypes(dt, h5py.ref_dtype, h5py.regionref_dtype, lambda k: k is RegionReference,
                           h5py.vlen_dtype)


def _h5_region(h5py: Any, dset: Any, region: dict) -> Any:
    """An HDF5 dataspace of ``dset`` selecting ``region`` (see zarr5.h5.regions), kind for kind."""
    sid = dset.id.get_space()
    kind = region["select"]
    if kind == "all":
        sid.select_all()
    elif kind == "points":
        sid.select_elements(np.asarray(region["points"], dtype=np.uint64).reshape(-1, len(region["shape"])))
    elif kind == "slab":
        sid.select_hyperslab(tuple(region["start"]), tuple(region["count"]), tuple(region["stride"]),
                             tuple(region["block"]))
    elif kind == "blocks" and region["blocks"]:
        sid.select_none()
        for lo, hi in region["blocks"]:
            sid.select_hyperslab(tuple(lo), tuple(h - lo_ + 1 for lo_, h in zip(lo, hi)),
                                 op=h5py.h5s.SELECT_OR)
    else:
        sid.select_none()
    return sid


def _fill(src: Any, dt: np.dtype) -> Any:
    """The fill value to give h5py, or None where HDF5's default (zeros, empty strings) is the same."""
    if dt.subdtype is not None:
        return None
    fill = src.fillvalue
    if dt.kind == "O":
        return fill if isinstance(fill, (bytes, str)) and fill and h5py_vlen_str(dt) else None
    if dt.hasobject:
        return None  # compounds with vlen fields: zarr5 keeps no fill value of its own for them
    zero = np.zeros((), dtype=dt)
    try:
        same = np.asarray(fill, dtype=dt).tobytes() == zero.tobytes()
    except (TypeError, ValueError):
        return None
    return None if same else fill


def h5py_vlen_str(dt: np.dtype) -> bool:
    return dt.metadata is not None and dt.metadata.get("vlen") in (str, bytes)


def _h5_dtype(h5py: Any, dt: np.dtype) -> tuple[np.dtype, Any]:
    """The h5py dtype for a facade dtype, and a value converter when HDF5 has no such type."""
    if has_refs(dt):
        return _swap_refs(h5py, dt), None
    if dt.kind == "U":
        # HDF5 has no UCS-4 strings: numpy unicode becomes variable-length UTF-8
        return h5py.string_dtype("utf-8"), lambda a: np.asarray(a, dtype=object)
    if dt.kind == "O" and h5py.check_dtype(vlen=dt) is None:
        return h5py.string_dtype("utf-8"), lambda a: _as_text(np.asarray(a, dtype=object))
    return dt, None


def _as_text(a: np.ndarray) -> np.ndarray:
    out = np.empty(a.shape, dtype=object)
    for i, x in enumerate(a.flat):
        out.flat[i] = x if isinstance(x, str) else json.dumps(x, default=str)
    return out


def _pipeline_kws(src: Any, overrides: dict) -> dict:
    """h5py keywords restoring the recorded HDF5 pipeline, or mapping the zarr codecs to HDF5 filters."""
    kws: dict[str, Any] = {}
    record = node_attributes(src).get_reserved(R_FILTERS) or {}
    exact = record.get("hdf5") if not overrides else None
    if exact:
        return h5py_keywords([(fid, cd) for fid, _flags, cd, _name in exact], src.scaleoffset, _raw_filter)
    arr = engine_array(src)
    compressor = overrides.get("compressor", arr.compressor)
    filters = overrides.get("filters", arr.filters) or []
    if arr.dtype.hasobject and filters:
        filters = list(filters)[1:]  # the object codec (vlen-*, MsgPack records): HDF5 stores those itself
    codecs = [c for c in list(filters) + ([compressor] if compressor is not None else [])
              if c.codec_id not in ("vlen-utf8", "vlen-bytes", "vlen-array")]
    if not codecs:
        return kws
    itemsize = src.dtype.itemsize
    nbytes = int(np.prod(src.chunks or arr.chunks)) * itemsize
    mapped = [filter_for_codec(c, itemsize, nbytes) for c in codecs]
    usable = all(m is not None and (m[0] not in PLUGIN_FILTER_IDS or _has_plugins()) for m in mapped)
    if not usable or src.dtype.hasobject:
        # no HDF5 filter reads these chunks: gzip level 1, as zarr-2 defaults to
        return {"compression": "gzip", "compression_opts": 1, "chunks": src.chunks or True}
    kws = h5py_keywords(mapped, src.scaleoffset, _filter_by_id)
    kws["chunks"] = src.chunks or True
    return kws


def _raw_filter(fid: int, cd: Any, kws: dict) -> None:
    # a recorded filter h5py has no keyword for: ask HDF5 for it by id (a plugin may provide it)
    kws["compression"], kws["compression_opts"] = fid, tuple(cd)
    kws["allow_unknown_filter"] = True


def _filter_by_id(fid: int, cd: Any, kws: dict) -> None:
    kws["compression"], kws["compression_opts"] = fid, cd


def _raw_ok(src: Any, ds: Any) -> bool:
    """Whether the zarr chunks are, byte for byte, what the HDF5 dataset's filters read."""
    arr = engine_array(src)
    if (ds.chunks is None or src.dtype.hasobject or arr.order != "C" or arr.zarr_format != 2
            or tuple(arr.chunks[:len(ds.chunks)]) != tuple(ds.chunks) or ds.id.get_type().get_size()
            != src.dtype.itemsize or not same_file_layout(ds.id.get_type(), arr.dtype)):
        return False
    codecs = [codec_for_filter(fid, cd, src.dtype.itemsize) for fid, _f, cd, _n in h5_pipeline(ds)]
    if any(c is None for c in codecs):
        return False
    mine = [c.get_config() for c in list(arr.filters or []) + ([arr.compressor] if arr.compressor else [])]
    return mine == [c.get_config() for c in codecs if c is not None]


def write_attrs(h5py: Any, src: Any, dest: Any, deferred: list | None = None) -> None:
    """Write the facade object's attributes onto an h5py object, with their exact dtypes.

    Reference attributes are written as null references, and ``(dest, name, references)`` appended to
    ``deferred``, for the caller to point at the copied targets once they all exist.
    """
    manager = src.attrs if isinstance(src.attrs, AttributeManager) else AttributeManager(src)
    for name, value, dtype in typed_items(manager):
        if dtype is not None and has_refs(dtype):
            h5dt = _swap_refs(h5py, dtype)
            shape = () if isinstance(value, (Reference, np.void, tuple)) else np.shape(value)
            nulls = map_refs(value, shape, dtype, h5dt, lambda r: _h5_null(h5py, r))
            dest.attrs.create(name, data=nulls, dtype=h5dt)
            if deferred is not None:
                deferred.append((dest, name, value, dtype))
        elif isinstance(value, Empty):
            dest.attrs.create(name, data=h5py.Empty(value.dtype))
        elif dtype is not None:
            dest.attrs.create(name, data=value, dtype=dtype)
        else:
            dest.attrs[name] = _inferred(h5py, value)


def _inferred(h5py: Any, value: Any) -> Any:
    """A JSON attribute another zarr writer made, as the nearest HDF5 value."""
    if isinstance(value, (str, np.generic)):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "O" and all(isinstance(x, str) for x in value.flat):
            return np.asarray(value, dtype=h5py.string_dtype("utf-8"))
        if value.dtype.kind != "O":
            return value
    return json.dumps(value)  # None, dicts, ragged or mixed lists: kept as JSON text

