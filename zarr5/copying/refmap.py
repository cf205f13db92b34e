"""References anywhere in a value (plain, inside compounds, inside vlen sequences), mapped one by one.

Both families mark a reference dtype the same way (numpy metadata ``{"ref": <class>}``), so one walk
serves h5py -> zarr5 and zarr5 -> h5py: the caller gives the source dtype, the destination dtype and
what becomes of each reference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

__all__ = ["has_refs", "map_refs", "ref_kind", "swap_ref_dtypes"]


def ref_kind(dt: np.dtype) -> Any:
    """The reference class a dtype is marked with (h5py's or zarr5's), else None."""
    return dt.metadata.get("ref") if dt.metadata else None


def _vlen_base(dt: np.dtype) -> np.dtype | None:
    vlen = dt.metadata.get("vlen") if dt.metadata else None
    return np.dtype(vlen) if vlen is not None and vlen is not str and vlen is not bytes else None


def has_refs(dt: np.dtype) -> bool:
    """Whether references occur anywhere in ``dt``."""
    if ref_kind(dt) is not None:
        return True
    if dt.names:
        return any(has_refs(dt[n]) for n in dt.names)
    base = _vlen_base(dt)
    return base is not None and has_refs(base)


def swap_ref_dtypes(dt: np.dtype, object_dtype: np.dtype, region_dtype: np.dtype,
                    is_region: Callable[[Any], bool], vlen_dtype: Callable[[np.dtype], np.dtype]) -> np.dtype:
    """``dt`` with every reference type replaced by the other family's (``object_dtype`` or
    ``region_dtype``), keeping field names, offsets and item size."""
    kind = ref_kind(dt)
    if kind is not None:
        return region_dtype if is_region(kind) else object_dtype
    if dt.names:
        formats = [swap_ref_dtypes(dt[n], object_dtype, region_dtype, is_region, vlen_dtype)
                   for n in dt.names]
        fields: Mapping[str, tuple[Any, ...]] = dt.fields or {}
        offsets: list[int] = [fields[n][1] for n in dt.names]
        return np.dtype({"names": list(dt.names), "formats": formats, "offsets": offsets,
                         "itemsize": dt.itemsize})
    base = _vlen_base(dt)
    if base is not None and has_refs(base):
        return vlen_dtype(swap_ref_dtypes(base, object_dtype, region_dtype, is_region, vlen_dtype))
    return dt


def map_refs(values: Any, shape: tuple[int, ...], src_dt: np.dtype, dst_dt: np.dtype,
             fn: Callable[[Any], Any]) -> Any:
    """The ``shape`` elements of ``src_dt`` in ``values`` as elements of ``dst_dt``, each reference
    replaced by ``fn(reference)``; for shape ``()`` the one element itself."""
    if shape == ():
        if isinstance(values, np.ndarray) and values.ndim == 0:
            values = values[()]
        return _map_one(values, src_dt, dst_dt, fn)
    out = np.empty(shape, dtype=dst_dt)
    items = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
    for i, x in enumerate(items.flat):
        out.flat[i] = _map_one(x, src_dt, dst_dt, fn)
    return out


def _map_one(x: Any, src_dt: np.dtype, dst_dt: np.dtype, fn: Callable[[Any], Any]) -> Any:
    if ref_kind(src_dt) is not None:
        return fn(x)
    if src_dt.names:
        return tuple(_map_one(x[i], src_dt[n], dst_dt[n], fn)
                     for i, n in enumerate(src_dt.names))
    base = _vlen_base(src_dt)
    if base is not None and has_refs(base):
        dst_base = _vlen_base(dst_dt)
        if dst_base is None:
            raise TypeError(f"{dst_dt} holds no variable-length items to map {src_dt}'s onto")
        items = np.asarray(x, dtype=base) if not isinstance(x, np.ndarray) else x
        out = np.empty(len(items), dtype=dst_base)
        for i, item in enumerate(items):
            out[i] = _map_one(item, base, dst_base, fn)
        return out
    return x
