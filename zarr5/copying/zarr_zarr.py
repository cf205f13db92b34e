"""zarr -> zarr (zarr5 or zarr-python sources, zarr5 destinations), on the zarr vocabulary's engine.

An array copied without changes is copied key by key (metadata, attributes and encoded chunks: no
decoding); ``create_kws`` (a new compressor, chunk shape, ``zarr_format=3``...) re-encode it block by
block. The whole attribute document travels, reserved ``_zarr5_`` records included, so links, exact
attribute types and HDF5 facts survive.
"""

from __future__ import annotations

from typing import Any

import numcodecs
import numpy as np

from zarr5.copying import raw
from zarr5.copying.walk import R_INCOMPLETE, Ctx, Link, Pair
from zarr5.core import Array
from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.core.group import Group
from zarr5.core.paths import ATTRS_KEY, prefix

__all__ = ["ZarrToZarr"]

_XARRAY_DIMS = "_ARRAY_DIMENSIONS"


def _document(node: Any) -> dict:
    return node.attrs.document()


class ZarrToZarr(Pair):
    """zarr5 core source and destination (other zarr objects are opened over their stores first)."""

    def kind(self, src: Any) -> str:
        return "array" if isinstance(src, Array) else "group"

    def members(self, src: Any) -> list[tuple[str, Link | None]]:
        return [(name, None) for name in src.keys()]

    def dest_is_array(self, dest: Any, name: str) -> bool:
        return isinstance(dest.get(name), Array)

    def initialized(self, dest: Any, name: str) -> bool:
        obj = dest.get(name)
        if not isinstance(obj, Array) or obj.attrs.get_reserved(R_INCOMPLETE):
            return False
        return obj.nchunks_initialized == obj.nchunks

    def mark(self, dest: Any, incomplete: bool) -> None:
        if incomplete:
            dest.attrs.set_reserved({R_INCOMPLETE: True})
        else:
            dest.attrs.set_reserved({}, remove=(R_INCOMPLETE,))

    def make_group(self, ctx: Ctx, src: Any, dest: Any, name: str) -> Any:
        group = dest.require_group(name)
        self.copy_root_attrs(ctx, src, group)
        return group

    def copy_root_attrs(self, ctx: Ctx, src: Any, dest: Any) -> None:
        doc = _document(src)
        if ctx.without_attrs:
            doc = {k: v for k, v in doc.items() if k.startswith(RESERVED_PREFIX)}
        visible = {k: v for k, v in doc.items() if not k.startswith(RESERVED_PREFIX)}
        reserved = {k: v for k, v in doc.items() if k.startswith(RESERVED_PREFIX) and k != R_INCOMPLETE}
        if visible:
            dest.attrs.update(visible)
        if reserved:
            dest.attrs.set_reserved(reserved)

    def copy_array(self, ctx: Ctx, src: Any, dest: Any, name: str) -> int:
        nbytes = int(src.size) * src.dtype.itemsize
        ctx.progress.add_total(nbytes)
        if not ctx.create_kws and src.zarr_format == 2 and dest.zarr_format == 2 \
                and src.chunk_store is src.store and dest.chunk_store is dest.store:
            self._copy_keys(ctx, src, dest, name)
            ctx.progress.update(nbytes)
            return nbytes
        kws = dict(ctx.create_kws)
        v3 = kws.get("zarr_format", dest.zarr_format) == 3
        args: dict[str, Any] = {"shape": src.shape, "dtype": src.dtype, "chunks": src.chunks,
                                "fill_value": src.fill_value, "order": src.order}
        if src.zarr_format == 2:
            args["compressor"] = src.compressor
            args["filters"] = src.filters
        elif src.dtype.hasobject:
            args["object_codec"] = numcodecs.VLenUTF8()  # v3's only objects: UTF-8 strings
        if v3:
            names = src.attrs.get(_XARRAY_DIMS)
            if isinstance(names, list) and len(names) == src.ndim:
                args["dimension_names"] = [str(n) for n in names]
        args.update(kws)
        arr = dest.create_dataset(name, **args)
        arr.attrs.set_reserved({R_INCOMPLETE: True})
        self.copy_root_attrs(ctx, src, arr)
        itemsize = src.dtype.itemsize if not src.dtype.hasobject else 64
        for sel in raw.blocks(src.shape, arr.chunks, itemsize):
            arr[sel] = src[sel]
            ctx.progress.update(int(np.prod([s.stop - s.start for s in sel])) * src.dtype.itemsize)
        arr.attrs.set_reserved({}, remove=(R_INCOMPLETE,))
        return nbytes

    def _copy_keys(self, ctx: Ctx, src: Any, dest: Any, name: str) -> None:
        src_prefix = prefix(src.path)
        dst_path = prefix(dest.path) + name
        dst_prefix = prefix(dst_path)
        keys = src.store.list_prefix(src.path)
        # metadata last: a crash leaves no array, or a whole one
        data_keys = [k for k in keys if not k[len(src_prefix):].startswith(".z")]
        for start in range(0, len(data_keys), 256):
            batch = data_keys[start:start + 256]
            values = src.store.get_many(batch)
            dest.store.set_many({dst_prefix + k[len(src_prefix):]: v for k, v in values.items()})
        doc = _document(src)
        if ctx.without_attrs:
            doc = {k: v for k, v in doc.items() if k.startswith(RESERVED_PREFIX)}
        if doc:
            _write_doc(dest.store, dst_prefix, doc)
        dest.store[dst_prefix + ".zarray"] = src.store[src_prefix + ".zarray"]


def _write_doc(store: Any, key_prefix: str, doc: dict) -> None:
    from zarr5.metadata.v2 import encode_attributes

    store[key_prefix + ATTRS_KEY] = encode_attributes(doc)


def as_core(obj: Any, writable: bool) -> Any:
    """The zarr5 core Array or Group for a zarr5 (either vocabulary) or zarr-python object."""
    from zarr5.h5.objects import HLObject, file_state, node_path
    from zarr5.storage import normalize_store_arg

    if isinstance(obj, (Array, Group)):
        return obj
    if isinstance(obj, HLObject):
        state, path = file_state(obj), node_path(obj)
        store, kind = state.store, state.kind(path)
        # the h5py vocabulary's chunk cache: its writes reach the store first; what the copy
        # writes there is read again afterwards, not taken from stale cached chunks
        state.chunk_cache.flush(path)
        if writable:
            state.chunk_cache.discard(path, keep_settings=True)
    else:  # zarr-python 2: its store is a MutableMapping of the same keys
        store, path = normalize_store_arg(obj.store), obj.path
        kind = "dataset" if hasattr(obj, "shape") else "group"
    cls = Array if kind == "dataset" else Group
    return cls(store, path, read_only=not writable)
