"""HDF5 -> HDF5 (h5py on both sides): HDF5's own object copy, which moves chunks unchanged."""

from __future__ import annotations

from typing import Any

from zarr5.copying import raw
from zarr5.copying.h5_in import H5ToZarr, _tracks_order
from zarr5.copying.walk import Ctx, Link, external_name, local_dir

__all__ = ["H5ToH5"]


class H5ToH5(H5ToZarr):
    """h5py source and destination; the source side is H5ToZarr's."""

    def initialized(self, dest: Any, name: str) -> bool:
        raise ValueError(f"{'skip_initialized'!r} can only be used when copying to zarr")

    def dest_is_array(self, dest: Any, name: str) -> bool:
        return isinstance(dest.get(name), self.h5py.Dataset)

    def make_group(self, ctx: Ctx, src: Any, dest: Any, name: str) -> Any:
        group = dest.get(name)
        if group is None:
            links, attrs = _tracks_order(self.h5py, src)
            group = dest.create_group(name, track_order=(links or attrs) or None)
        if not ctx.without_attrs:
            self.copy_attrs(ctx, src, group)
        return group

    def copy_root_attrs(self, ctx: Ctx, src: Any, dest: Any) -> None:
        if not ctx.without_attrs:
            self.copy_attrs(ctx, src, dest)

    def mark(self, dest: Any, incomplete: bool) -> None:
        pass

    def copy_attrs(self, ctx: Ctx, src: Any, dest: Any) -> None:
        for name in src.attrs:
            dest.attrs.create(name, data=src.attrs[name], dtype=src.attrs.get_id(name).dtype)

    def make_link(self, ctx: Ctx, dest: Any, name: str, link: Link) -> None:
        h5py = self.h5py
        if link.kind == "external":
            dest[name] = h5py.ExternalLink(external_name(ctx, link, local_dir(dest.file.filename)), link.path)
        else:
            dest[name] = h5py.SoftLink(link.path)

    def copy_array(self, ctx: Ctx, src: Any, dest: Any, name: str) -> int:
        nbytes = 0 if src.shape is None else int(src.size) * src.dtype.itemsize
        if not ctx.create_kws:
            dest.copy(src, name, without_attrs=ctx.without_attrs)
            return nbytes
        kws = dict(ctx.create_kws)
        for key in ("chunks", "compression", "compression_opts", "shuffle", "fletcher32", "fillvalue"):
            kws.setdefault(key, getattr(src, key))
        ds = dest.create_dataset(name, shape=src.shape, dtype=src.dtype, maxshape=src.maxshape, **kws)
        for sel in raw.blocks(src.shape, ds.chunks or src.shape, src.dtype.itemsize):
            ds[sel] = src[sel]
        if not ctx.without_attrs:
            self.copy_attrs(ctx, src, ds)
        return nbytes

    def finish(self, ctx: Ctx) -> None:
        """Dimension scale references travel with HDF5's own object copy."""
