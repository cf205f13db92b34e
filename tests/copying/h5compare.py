"""Walk two HDF5 files with h5py and list every difference copy must not introduce."""

from __future__ import annotations

from typing import Any

import h5py
import numpy as np

try:
    import hdf5plugin  # noqa: F401 -- some corpus files need plugin filters to be read at all
except ImportError:
    pass


def _links(f: h5py.File) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def visit(name: str, link: Any) -> None:
        if isinstance(link, h5py.SoftLink):
            out[name] = ("soft", link.path)
        elif isinstance(link, h5py.ExternalLink):
            out[name] = ("external", link.filename, link.path)
        else:
            out[name] = ("hard",)

    f.visititems_links(visit)
    return out


def _canon(value: Any, f: Any) -> Any:
    """A comparable form of a value holding objects: references as their targets' names (a region also
    as its selection kind and selected data), records field by field."""
    if isinstance(value, h5py.RegionReference):
        if not value:
            return ("region", None)
        target = f[value]
        kind = h5py.h5r.get_region(value, target.id).get_select_type()
        return ("region", target.name, kind, _canon(np.asarray(target[value]), f))
    if isinstance(value, h5py.Reference):
        return ("ref", f[value].name if value else None)
    if isinstance(value, np.void) and value.dtype.names:
        return ("record", tuple(_canon(value[n], f) for n in value.dtype.names))
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            return ("objects", value.shape, [_canon(x, f) for x in value.ravel()])
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, np.generic):
        return ("scalar", value.dtype.str, value.tobytes())
    return value


def _same_value(a: Any, b: Any, fa: Any = None, fb: Any = None) -> bool:
    if isinstance(a, h5py.Empty) or isinstance(b, h5py.Empty):
        return isinstance(a, h5py.Empty) and isinstance(b, h5py.Empty) and a.dtype == b.dtype
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if fa is not None and (a.dtype.hasobject or b.dtype.hasobject):
        return _canon(a, fa) == _canon(b, fb)
    if a.dtype.kind == "O" or b.dtype.kind == "O":
        return all(_same_value(x, y) if isinstance(x, np.ndarray) else x == y
                   for x, y in zip(a.ravel().tolist(), b.ravel().tolist()))
    return a.tobytes() == b.astype(a.dtype).tobytes() if a.dtype.names is None else \
        a.tobytes() == b.tobytes()


def _dtype_facts(dt: np.dtype) -> tuple:
    return (dt, dt.itemsize, h5py.check_string_dtype(dt), h5py.check_enum_dtype(dt),
            str(h5py.check_vlen_dtype(dt)), dt.names, _layout(dt))


def _layout(dt: np.dtype) -> Any:
    """Names, member types and offsets, nested (``descr`` is undefined for out-of-order fields)."""
    if dt.names is None:
        return str(dt.base) + str(dt.shape) if dt.subdtype is not None else dt.str
    return [(n, _layout(dt.fields[n][0]), dt.fields[n][1]) for n in dt.names], dt.itemsize


def _attrs(obj: Any) -> list:
    out = []
    for name in obj.attrs:
        if name in ("DIMENSION_LIST", "REFERENCE_LIST"):
            continue  # references: compared through the dims walk
        dt = obj.attrs.get_id(name).dtype
        out.append((name, _dtype_facts(dt), obj.attrs[name]))
    return out


def _group_order(obj: Any) -> list[str]:
    return list(obj.keys())


def differences(path_a: str, path_b: str, skip_data: tuple[str, ...] = ()) -> list[str]:
    """Every difference between the files at ``path_a`` and ``path_b`` (empty when faithful)."""
    diffs: list[str] = []
    with h5py.File(path_a, "r") as fa, h5py.File(path_b, "r") as fb:
        la, lb = _links(fa), _links(fb)
        if la != lb:
            diffs.append(f"links differ: {sorted(set(la.items()) ^ set(lb.items()))}")
        ids_a: dict[Any, str] = {}
        ids_b: dict[Any, str] = {}
        for name, kind in la.items():
            if kind[0] != "hard" or name not in lb:
                continue
            a, b = fa[name], fb[name]
            # hard links: the same names share one object on both sides
            if ids_a.setdefault(a.id, name) != ids_b.setdefault(b.id, name):
                diffs.append(f"{name}: hard-link sharing differs")
            if isinstance(a, h5py.Group):
                if _group_order(a) != _group_order(b):
                    diffs.append(f"{name}: member order {_group_order(a)} != {_group_order(b)}")
            diffs += _compare_attrs(name, a, b)
            if isinstance(a, h5py.Dataset):
                diffs += _compare_dataset(name, a, b, name in skip_data)
        if _group_order(fa) != _group_order(fb):
            diffs.append(f"/: member order {_group_order(fa)} != {_group_order(fb)}")
        diffs += _compare_attrs("/", fa, fb)
    return diffs


def _compare_attrs(name: str, a: Any, b: Any) -> list[str]:
    aa, ab = _attrs(a), _attrs(b)
    if [x[0] for x in aa] != [x[0] for x in ab]:
        return [f"{name}: attribute names/order {[x[0] for x in aa]} != {[x[0] for x in ab]}"]
    out = []
    for (n, fa_, va), (_, fb_, vb) in zip(aa, ab):
        if fa_ != fb_:
            out.append(f"{name}@{n}: attribute dtype {fa_} != {fb_}")
        elif not _same_value(va, vb, a.file, b.file):
            out.append(f"{name}@{n}: attribute value {va!r} != {vb!r}")
    return out


def _compare_dataset(name: str, a: h5py.Dataset, b: h5py.Dataset, skip_data: bool) -> list[str]:
    out = []
    for prop in ("shape", "maxshape", "chunks", "compression", "compression_opts", "shuffle", "fletcher32",
                 "scaleoffset"):
        if getattr(a, prop) != getattr(b, prop):
            out.append(f"{name}: {prop} {getattr(a, prop)!r} != {getattr(b, prop)!r}")
    if _dtype_facts(a.dtype) != _dtype_facts(b.dtype):
        out.append(f"{name}: dtype {_dtype_facts(a.dtype)} != {_dtype_facts(b.dtype)}")
    if a.shape is not None and not _same_value(a.fillvalue, b.fillvalue):
        out.append(f"{name}: fillvalue {a.fillvalue!r} != {b.fillvalue!r}")
    pa = [a.id.get_create_plist().get_filter(i)[:3] for i in range(a.id.get_create_plist().get_nfilters())]
    pb = [b.id.get_create_plist().get_filter(i)[:3] for i in range(b.id.get_create_plist().get_nfilters())]
    if [p[0] for p in pa] != [p[0] for p in pb]:
        out.append(f"{name}: filter pipeline {pa} != {pb}")
    if a.shape is not None and not skip_data and not _same_value(a[()], b[()], a.file, b.file):
        out.append(f"{name}: values differ")
    if a.shape:
        sa = h5py.h5ds.is_scale(a.id), h5py.h5ds.is_scale(b.id)
        if sa[0] != sa[1]:
            out.append(f"{name}: is_scale {sa}")
        for i, (da, db) in enumerate(zip(a.dims, b.dims)):
            if da.label != db.label:
                out.append(f"{name}: dim {i} label {da.label!r} != {db.label!r}")
            if [s.name for s in da.values()] != [s.name for s in db.values()]:
                out.append(f"{name}: dim {i} scales {[s.name for s in da.values()]} != "
                           f"{[s.name for s in db.values()]}")
            if list(da.keys()) != list(db.keys()):
                out.append(f"{name}: dim {i} scale names {list(da.keys())} != {list(db.keys())}")
    return out
