"""HDF5 (h5py objects) -> zarr5, written through the h5py facade so every convention is the facade's.

Datasets keep dtype, shape, maxshape, chunk shape, fill value, filters (raw chunks where the codecs are
byte-compatible), attributes with exact dtypes, creation order, links and dimension scales.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numcodecs
import numpy as np
from numcodecs.abc import Codec

from zarr5.copying import raw
from zarr5.copying.refmap import has_refs, map_refs, swap_ref_dtypes
from zarr5.copying.walk import R_INCOMPLETE, Ctx, Link, Pair, copy_dims, external_name, local_dir
from zarr5.h5 import ref_dtype, regionref_dtype
from zarr5.h5.base import R_FILTERS, R_TRACK, Empty
from zarr5.h5.dataset import Dataset, engine_array
from zarr5.h5.dims import R_DIMS, XARRAY_DIMS, set_dimension_names
from zarr5.h5.dtypes import vlen_dtype
from zarr5.h5.filters import codec_for_filter, h5py_keywords
from zarr5.h5.links import ExternalLink, SoftLink
from zarr5.h5.objects import file_state, node_attributes, node_path
from zarr5.h5.refs import Reference, RegionReference
from zarr5.hdf5lib import real_h5py
from zarr5.metadata.v2 import ArrayMetadata

__all__ = ["H5ToZarr", "h5_pipeline"]

# HDF5's dimension-scale bookkeeping attributes: carried by dims, not copied as user attributes
_DS_ATTRS = ("DIMENSION_LIST", "DIMENSION_LABELS", "REFERENCE_LIST")
_FILL_USER_DEFINED = 2  # H5D_FILL_VALUE_USER_DEFINED
_V3_CODEC_IDS = ("blosc", "gzip", "zstd", "zlib")  # compressors a Zarr v3 destination can write


def _import_h5py() -> Any:
    h5py = real_h5py()

    try:
        import hdf5plugin  # noqa: F401 -- registers blosc, zstd, bzip2, lz4 so HDF5 can decode them
    except ImportError:
        pass
    return h5py


def h5_pipeline(dset: Any) -> list[tuple[int, int, tuple[int, ...], str]]:
    """The HDF5 filter pipeline of an h5py dataset: ``(filter id, flags, cd_values, name)`` in order."""
    dcpl = dset.id.get_create_plist()
    out = []
    for i in range(dcpl.get_nfilters()):
        fid, flags, cd, name = dcpl.get_filter(i)
        out.append((int(fid), int(flags), tuple(int(c) for c in cd), name.decode("ascii", "replace")))
    return out


def _tracks_order(h5py: Any, obj: Any) -> tuple[bool, bool]:
    """(links, attributes) creation order tracked by an h5py group or dataset."""
    if isinstance(obj, h5py.Dataset):
        return False, bool(obj.id.get_create_plist().get_attr_creation_order())
    gid = obj["/"].id if isinstance(obj, h5py.File) else obj.id
    plist = gid.get_create_plist()
    return bool(plist.get_link_creation_order()), bool(plist.get_attr_creation_order())


class H5ToZarr(Pair):
    """h5py source, zarr5 facade destination."""

    def __init__(self) -> None:
        self.h5py = _import_h5py()
        self.datasets: list[tuple[Any, Any]] = []  # (h5py dataset, facade dataset), for dims and xarray
        self.refs: list[tuple[Any, Any]] = []  # reference datasets, written once all targets exist
        self.ref_attrs: list[tuple[Any, Any, str]] = []  # (source, destination, name) of reference attributes

    # source side
    def kind(self, src: Any) -> str:
        if isinstance(src, self.h5py.Dataset):
            return "array"
        if isinstance(src, self.h5py.Datatype):
            return "datatype"
        return "group"

    def members(self, src: Any) -> list[tuple[str, Link | None]]:
        out: list[tuple[str, Link | None]] = []
        for name in src.keys():  # h5py lists in creation order when the group tracks it
            lk = src.get(name, getlink=True)
            if isinstance(lk, self.h5py.SoftLink):
                out.append((name, Link("soft", lk.path)))
            elif isinstance(lk, self.h5py.ExternalLink):
                out.append((name, Link("external", lk.path, lk.filename, local_dir(src.file.filename))))
            else:
                out.append((name, None))
        return out

    def identity(self, src: Any) -> Any:
        return ("h5", src.id)

    # destination side
    def initialized(self, dest: Any, name: str) -> bool:
        return _zarr_initialized(dest, name)

    def dest_is_array(self, dest: Any, name: str) -> bool:
        return isinstance(dest.get(name), Dataset)

    def make_group(self, ctx: Ctx, src: Any, dest: Any, name: str) -> Any:
        links, attrs = _tracks_order(self.h5py, src)
        group = dest.get(name)
        if group is None:
            group = dest.create_group(name, track_order=links or attrs)
        if not ctx.without_attrs:
            self.copy_attrs(ctx, src, group)
        return group

    def copy_root_attrs(self, ctx: Ctx, src: Any, dest: Any) -> None:
        links, attrs = _tracks_order(self.h5py, src)
        if (links or attrs) and not len(dest):
            node_attributes(dest).set_reserved({R_TRACK: True})
        if not ctx.without_attrs:
            self.copy_attrs(ctx, src, dest)

    def mark(self, dest: Any, incomplete: bool) -> None:
        _mark(dest, incomplete)

    def copy_datatype(self, ctx: Ctx, src: Any, dest: Any, name: str) -> None:
        dest[name] = src.dtype
        if not ctx.without_attrs:
            self.copy_attrs(ctx, src, dest[name])

    def make_link(self, ctx: Ctx, dest: Any, name: str, link: Link) -> None:
        if link.kind == "external":
            where = local_dir(file_state(dest).filename)
            dest[name] = ExternalLink(external_name(ctx, link, where), link.path)
        else:
            dest[name] = SoftLink(link.path)

    def hard_link(self, ctx: Ctx, dest: Any, name: str, target: Any) -> None:
        dest[name] = target

    def copy_attrs(self, ctx: Ctx, src: Any, dest: Any) -> None:
        h5py = self.h5py
        is_dset = isinstance(src, h5py.Dataset)
        scale = is_dset and h5py.h5ds.is_scale(src.id)
        for name in src.attrs:
            if is_dset and (name in _DS_ATTRS or (scale and name in ("CLASS", "NAME"))):
                continue
            dtype = src.attrs.get_id(name).dtype
            if has_refs(dtype):
                # null references hold the attribute's place (creation order); finish writes the targets
                fdt = self._facade_dtype(dtype)
                nulls = map_refs(src.attrs[name], src.attrs.get_id(name).shape, dtype, fdt, self._null)
                dest.attrs.create(name, data=nulls, dtype=fdt)
                self.ref_attrs.append((src, dest, name))
                continue
            value = src.attrs[name]
            if isinstance(value, h5py.Empty):
                dest.attrs.create(name, data=Empty(dtype))
            else:
                dest.attrs.create(name, data=value, dtype=dtype)

    def copy_array(self, ctx: Ctx, src: Any, dest: Any, name: str) -> int:
        h5py = self.h5py
        dt = src.dtype
        is_refs = has_refs(dt)
        if is_refs:
            dt = self._facade_dtype(dt)  # references (also inside compounds): written by finish
        pipe = h5_pipeline(src)
        kws = dict(ctx.create_kws)
        zarr_codecs = {k: kws.pop(k) for k in ("compressor", "filters") if k in kws}
        order = kws.pop("order", None)  # zarr's memory order: written into .zarray once created
        if order not in (None, "C", "F"):
            raise ValueError(f"order must be 'C' or 'F', not {order!r}")
        if "fill_value" in kws:
            kws["fillvalue"] = kws.pop("fill_value")
        _, attrs_tracked = _tracks_order(h5py, src)
        v3 = file_state(dest).format_of(node_path(dest)) == 3
        if v3 and order not in (None, "C"):
            raise ValueError(f"order='F' cannot be used copying {src.name} into a Zarr v3 group (v3 arrays "
                             f"are C order); copy into a zarr_format=2 group")
        if v3 and zarr_codecs:
            # a v3 array is created with its compressor (a codec chain, no v2 filters)
            if zarr_codecs.get("filters"):
                raise ValueError(f"filters= cannot be used copying {src.name} into a Zarr v3 group (v2 "
                                 f"filters have no v3 codec); copy into a zarr_format=2 group")
            if zarr_codecs.get("compressor") is not None:
                kws["compression"] = zarr_codecs["compressor"]
            zarr_codecs = {}
        if src.shape is None:
            ds = dest.create_dataset(name, data=Empty(dt), track_order=attrs_tracked or None)
        else:
            args: dict[str, Any] = {"shape": src.shape, "dtype": dt, "track_order": attrs_tracked or None}
            if src.chunks is not None:
                args["chunks"] = src.chunks + (dt.shape if dt.subdtype is not None else ())
            if src.maxshape != src.shape:
                args["maxshape"] = src.maxshape
            if src.id.get_create_plist().fill_value_defined() == _FILL_USER_DEFINED and not is_refs:
                args["fillvalue"] = src.fillvalue
            if not zarr_codecs and not is_refs:
                filter_kws = _filter_kws(src, pipe)
                args.update(_v3_filter_kws(ctx, src, filter_kws) if v3 else filter_kws)
            args.update(kws)
            ds = dest.create_dataset(name, **args)
        state, path = file_state(ds), node_path(ds)
        reserved: dict[str, Any] = {R_INCOMPLETE: True}
        if pipe:
            record = dict(state.attrs(path).get_reserved(R_FILTERS) or {})
            record["hdf5"] = [[fid, flags, list(cd), fname] for fid, flags, cd, fname in pipe]
            reserved[R_FILTERS] = record
        state.attrs(path).set_reserved(reserved)
        if zarr_codecs or order is not None and not v3:
            _set_codecs(state.store, path, zarr_codecs if order is None else {**zarr_codecs, "order": order})
            state.forget_arrays(path)  # the File's Array of the dataset reads the new codecs
        if not ctx.without_attrs:
            self.copy_attrs(ctx, src, ds)
        nbytes = 0 if src.shape is None else int(src.size) * dt.itemsize
        ctx.progress.add_total(nbytes)
        if is_refs:
            self.refs.append((src, ds))  # the targets may come later in the walk: see finish
            return nbytes
        if src.shape is not None and src.size:
            self._copy_data(ctx, src, ds, pipe, nbytes)
        state.attrs(path).set_reserved({}, remove=(R_INCOMPLETE,))
        self.datasets.append((src, ds))
        return nbytes

    def _copy_data(self, ctx: Ctx, src: Any, ds: Any, pipe: list, nbytes: int) -> None:
        if not src.shape:
            ds[()] = src[()]
            ctx.progress.update(nbytes)
            return
        codecs = _raw_codecs(src, pipe, ds)
        if codecs is not None:
            raw.h5_to_zarr_chunks(src, codecs, file_state(ds).store, node_path(ds), ctx.progress)
            return
        zchunks = engine_array(ds).chunks[:len(src.shape)]
        itemsize = src.dtype.itemsize if not src.dtype.hasobject else 64
        for sel in raw.blocks(src.shape, zchunks, itemsize):
            ds[sel] = src[sel]
            ctx.progress.update(int(np.prod([s.stop - s.start for s in sel])) * src.dtype.itemsize)

    def finish(self, ctx: Ctx) -> None:
        """References and dimension scales once every dataset exists; then xarray's names on every array."""
        h5py = self.h5py
        for src, ds in self.refs:
            self._copy_refs(ctx, src, ds)
        for src, dest, name in self.ref_attrs:
            aid = src.attrs.get_id(name)
            fdt = self._facade_dtype(aid.dtype)
            out = map_refs(src.attrs[name], aid.shape, aid.dtype, fdt,
                           functools.partial(self._ref_target, ctx, src))
            dest.attrs.create(name, data=out, dtype=fdt)
        for src, ds in self.datasets:
            if h5py.h5ds.is_scale(src.id):
                ds.make_scale(h5py.h5ds.get_scale_name(src.id) or "")
        for src, ds in self.datasets:
            if src.shape and ("DIMENSION_LIST" in src.attrs or "DIMENSION_LABELS" in src.attrs):
                copy_dims(ctx, src.dims, ds.dims, lambda scale: ("h5", scale.id))
        if ctx.xarray_dims:
            for src, ds in self.datasets:
                _xarray_names(src, ds, h5py)


    def _copy_refs(self, ctx: Ctx, src: Any, ds: Any) -> None:
        """Object references -> references to the copies of their targets (null where not copied)."""
        state, path = file_state(ds), node_path(ds)
        if src.shape is not None and src.size:
            # block by block: memory stays bounded however many references there are
            for sel in raw.blocks(src.shape, ds.chunks or (1,) * len(src.shape), 64):
                block = src[sel]
                ds[sel] = map_refs(block, np.shape(block), src.dtype, ds.dtype,
                                   lambda r: self._ref_target(ctx, src, r))
                ctx.progress.update(int(np.size(block)) * src.dtype.itemsize)
        state.attrs(path).set_reserved({}, remove=(R_INCOMPLETE,))
        self.datasets.append((src, ds))

    def _facade_dtype(self, dt: np.dtype) -> np.dtype:
        """``dt`` with h5py's reference types replaced by zarr5's."""
        h5py = self.h5py
        is_region = lambda kind: kind is h5py.RegionReference  # noqa: E731
        return swap_ref_dtypes(dt, ref_dtype, regionref_dtype, is_region, vlen_dtype)

    def _null(self, ref: Any) -> Reference:
        return RegionReference() if isinstance(ref, self.h5py.RegionReference) else Reference()

    def _ref_target(self, ctx: Ctx, src: Any, ref: Any) -> Reference:
        h5py = self.h5py
        region = isinstance(ref, h5py.RegionReference)
        if not ref:
            return RegionReference() if region else Reference()
        target = src.file[ref]
        copied = ctx.seen.get(("h5", target.id))
        if copied is None:
            ctx.log(f"warning: {src.name}: reference to {target.name}, which was not copied; stored as null")
            return RegionReference() if region else Reference()
        if region:
            node = copied[1]
            region_doc = region_of(h5py, h5py.h5r.get_region(ref, target.id))
            return RegionReference(file_state(node).store, node_path(node), region_doc)
        return copied[1].ref


def _xarray_names(src: Any, ds: Any, h5py: Any) -> None:
    if not src.shape:
        return
    attrs = node_attributes(ds)
    names = attrs.get(XARRAY_DIMS)
    if names is None:
        names = _xarray_default(src, ds, attrs, h5py)
    state, path = file_state(ds), node_path(ds)
    if state.format_of(path) == 3 and isinstance(names, list) and len(names) == len(src.shape) \
            and all(isinstance(n, str) for n in names):
        set_dimension_names(state, path, names)


def _xarray_default(src: Any, ds: Any, attrs: Any, h5py: Any) -> list:
    """Write and return xarray's dimension names for an array whose source had none."""
    if len(src.shape) == 1 and h5py.h5ds.is_scale(src.id):
        # a netCDF coordinate variable: its dimension is named after itself
        info = attrs.get_reserved(R_DIMS) or {"labels": [""], "scales": [[]]}
        attrs.set_reserved({R_DIMS: info})
        names = [info["labels"][0] or node_path(ds).rsplit("/", 1)[-1]]
    else:
        names = [f"phony_dim_{i}" for i in range(len(src.shape))]
    attrs[XARRAY_DIMS] = names
    return names


def _filter_kws(src: Any, pipe: list) -> dict:
    """The facade's create_dataset keywords for an HDF5 pipeline (the exact pipeline is recorded too)."""

    def other(fid: int, cd: Any, kws: dict) -> None:
        if fid == 32004:
            kws["compression"] = numcodecs.LZ4()  # the HDF5 plugin frames LZ4 blocks its own way
            return
        codec = codec_for_filter(fid, cd, src.dtype.itemsize)
        if codec is not None:
            kws["compression"] = codec

    return h5py_keywords([(fid, cd) for fid, _flags, cd, _name in pipe], src.scaleoffset, other)


def _v3_filter_kws(ctx: Ctx, src: Any, kws: dict) -> dict:
    """``kws`` without the HDF5 filters a Zarr v3 array cannot write (shuffle, fletcher32, scaleoffset,
    lzf, codecs outside v3's core): the data is copied decoded, and a note says what was left out."""
    dropped = [k for k in ("shuffle", "fletcher32", "scaleoffset") if kws.pop(k, None) is not None]
    comp = kws.get("compression")
    if comp == "lzf" or (isinstance(comp, Codec) and comp.codec_id not in _V3_CODEC_IDS):
        dropped.append(comp if isinstance(comp, str) else comp.codec_id)
        kws.pop("compression")
        kws.pop("compression_opts", None)
    if dropped:
        ctx.log(f"note: {src.name}: HDF5 filter(s) {', '.join(dropped)} have no Zarr v3 codec; "
                f"copied without them")
    return kws


def _raw_codecs(src: Any, pipe: list, ds: Any) -> list | None:
    """The byte-compatible codecs of ``src``'s pipeline when they are exactly ``ds``'s, else None."""
    if src.chunks is None or src.dtype.hasobject or src.id.get_type().get_size() != src.dtype.itemsize:
        return None
    if not same_file_layout(src.id.get_type(), engine_array(ds).dtype):
        return None  # a compound stored packed in zarr (or laid out otherwise) needs the decode path
    codecs = [codec_for_filter(fid, cd, src.dtype.itemsize) for fid, _f, cd, _n in pipe]
    if any(c is None for c in codecs):
        return None
    arr = engine_array(ds)
    if arr.zarr_format != 2 or arr.order != "C" or arr.chunks[:len(src.chunks)] != src.chunks:
        return None
    mine = [c.get_config() for c in list(arr.filters or []) + ([arr.compressor] if arr.compressor else [])]
    return codecs if mine == [c.get_config() for c in codecs if c is not None] else None


def same_file_layout(tid: Any, dt: np.dtype) -> bool:
    """Whether an HDF5 file type's bytes are ``dt``'s items as they are: same size and, for compounds,
    the same members at the same offsets (nested too)."""
    if tid.get_size() != dt.itemsize:
        return False
    if dt.names is None:
        return True
    h5py = real_h5py()

    if tid.get_class() != h5py.h5t.COMPOUND or tid.get_nmembers() != len(dt.names):
        return False
    fields: Mapping[str, tuple[Any, ...]] = dt.fields or {}
    for i, name in enumerate(dt.names):
        sub, offset = dt[name], fields[name][1]
        if tid.get_member_name(i).decode() != name or tid.get_member_offset(i) != offset:
            return False
        if not same_file_layout(tid.get_member_type(i), sub):
            return False
    return True


def _set_codecs(store: Any, path: str, given: dict) -> None:
    """Replace the codecs and memory order of a new, still empty array (zarr's ``compressor=``,
    ``filters=`` and ``order=`` given to copy)."""
    key = (path + "/" if path else "") + ".zarray"
    meta = ArrayMetadata.decode(store[key], key)
    object_ids = ("vlen-utf8", "vlen-bytes", "vlen-array")
    object_codecs = [f for f in meta.filters or () if f.get("id") in object_ids]
    changes: dict[str, Any] = {}
    if "compressor" in given:
        changes["compressor"] = None if given["compressor"] is None else given["compressor"].get_config()
    if "filters" in given:
        filters = object_codecs + [f.get_config() for f in given["filters"] or []]
        changes["filters"] = tuple(filters) or None
    if "order" in given:
        changes["order"] = given["order"]
    store[key] = meta.replace(**changes).encode()


def _zarr_initialized(dest: Any, name: str) -> bool:
    """skip_initialized: every chunk stored and no copy left it half written."""
    obj = dest.get(name)
    if not isinstance(obj, Dataset):
        return False
    if node_attributes(obj).get_reserved(R_INCOMPLETE):
        return False
    arr = engine_array(obj)
    return arr.nchunks_initialized == arr.nchunks


def _mark(dest: Any, incomplete: bool) -> None:
    attrs = node_attributes(dest)
    if incomplete:
        attrs.set_reserved({R_INCOMPLETE: True})
    else:
        attrs.set_reserved({}, remove=(R_INCOMPLETE,))


def region_of(h5py: Any, sid: Any) -> dict:
    """The region (see zarr5.h5.regions) an HDF5 dataspace selection describes, kind for kind."""
    region: dict[str, Any] = {"shape": [int(n) for n in sid.shape]}
    kind = sid.get_select_type()
    if kind == h5py.h5s.SEL_ALL:
        return {**region, "select": "all"}
    if kind == h5py.h5s.SEL_POINTS:
        return {**region, "select": "points", "points": np.asarray(sid.get_select_elem_pointlist()).tolist()}
    if kind == h5py.h5s.SEL_HYPERSLABS and sid.get_select_npoints():
        if sid.is_regular_hyperslab():
            start, stride, count, block = sid.get_regular_hyperslab()
            ints = [list(map(int, v)) for v in (start, stride, count, block)]
            return {**region, "select": "slab", **dict(zip(("start", "stride", "count", "block"), ints))}
        blocks = np.asarray(sid.get_select_hyper_blocklist()).tolist()
        return {**region, "select": "blocks", "blocks": blocks}
    return {**region, "select": "none"}
