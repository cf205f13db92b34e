"""The module-level low-level calls clients make (h5py's ``h5d``, ``h5a``, ``h5ds``, ``h5z``, ``h5o``).

Each takes and returns the handles of ``zarr5.h5.ids`` and does its work through the high-level
objects, so a dataset made by ``h5d.create`` is the same zarr array ``create_dataset`` would make.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zarr5.h5 import spaces
from zarr5.h5.attrs import AttrID
from zarr5.h5.base import Empty
from zarr5.h5.dims import R_SCALE
from zarr5.h5.filters import FILTERS
from zarr5.h5.h5types import TypeID
from zarr5.h5.ids import DatasetID, handle_for, object_of

__all__ = [
    "attr_create", "attr_delete", "attr_exists", "attr_open", "dataset_create", "dataset_open",
    "ds_attach_scale", "ds_detach_scale", "ds_get_label", "ds_get_num_scales", "ds_get_scale_name",
    "ds_is_attached", "ds_is_scale", "ds_iterate", "ds_set_label", "ds_set_scale", "filter_avail",
    "get_filter_info", "obj_get_info",
]


def _name(name: Any) -> str:
    return name.decode("utf-8") if isinstance(name, bytes) else str(name)


# ---------------------------------------------------------------- h5d
def dataset_create(loc: Any, name: Any, tid: TypeID, space: spaces.SpaceID, dcpl: Any = None,
                   lcpl: Any = None, dapl: Any = None) -> DatasetID:
    """Create dataset ``name`` in the group ``loc`` with type ``tid`` and dataspace ``space``."""
    group = object_of(loc)
    kwds: dict[str, Any] = dcpl.create_kwargs() if isinstance(dcpl, spaces.PropDCID) else {}
    dtype = tid.dtype if isinstance(tid, TypeID) else np.dtype(tid)
    if space.get_simple_extent_type() == spaces.NULL:
        dset = group.create_dataset(_name(name), data=Empty(dtype))
        return handle_for(dset)
    maxshape = space.h5py_maxshape()
    if maxshape != space.shape:
        kwds["maxshape"] = maxshape
    dset = group.create_dataset(_name(name), shape=space.shape, dtype=dtype, **kwds)
    return handle_for(dset)


def dataset_open(loc: Any, name: Any, dapl: Any = None) -> DatasetID:
    obj = object_of(loc)[_name(name)]
    if obj._kind != "dataset":
        raise TypeError(f"{_name(name)!r} is not a dataset")
    return handle_for(obj)


# ---------------------------------------------------------------- h5a
def attr_create(loc: Any, name: Any, tid: TypeID, space: spaces.SpaceID, acpl: Any = None,
                aapl: Any = None) -> AttrID:
    """Create attribute ``name`` on ``loc`` (zeros of the type and shape until written)."""
    owner = object_of(loc)
    name = _name(name)
    if name in owner.attrs:
        raise ValueError(f"Unable to create attribute (attribute {name!r} already exists)")
    dtype = tid.dtype if isinstance(tid, TypeID) else np.dtype(tid)
    if space.get_simple_extent_type() == spaces.NULL:
        owner.attrs.create(name, data=Empty(dtype))
    else:
        owner.attrs.create(name, shape=space.shape, dtype=dtype)
    return AttrID(owner, name)


def attr_open(loc: Any, name: Any = None, index: int | None = None, **kwds: Any) -> AttrID:
    owner = object_of(loc)
    if name is None:
        if index is None:
            raise TypeError("h5a.open needs a name or an index")
        name = list(owner.attrs)[index]
    return owner.attrs.get_id(_name(name))


def attr_exists(loc: Any, name: Any, **kwds: Any) -> bool:
    return _name(name) in object_of(loc).attrs


def attr_delete(loc: Any, name: Any = None, index: int | None = None, **kwds: Any) -> None:
    owner = object_of(loc)
    if name is None:
        if index is None:
            raise TypeError("h5a.delete needs a name or an index")
        name = list(owner.attrs)[index]
    del owner.attrs[_name(name)]


def attr_count(loc: Any) -> int:
    return len(object_of(loc).attrs)


# ---------------------------------------------------------------- h5ds (dimension scales)
def ds_is_scale(dsid: Any) -> bool:
    return bool(object_of(dsid).is_scale)


def ds_set_scale(dsid: Any, dimname: Any = b"") -> None:
    object_of(dsid).make_scale(_name(dimname))


def ds_attach_scale(dsid: Any, dscaleid: Any, idx: int) -> None:
    object_of(dsid).dims[idx].attach_scale(object_of(dscaleid))


def ds_detach_scale(dsid: Any, dscaleid: Any, idx: int) -> None:
    object_of(dsid).dims[idx].detach_scale(object_of(dscaleid))


def ds_is_attached(dsid: Any, dscaleid: Any, idx: int) -> bool:
    scale = object_of(dscaleid)
    return any(s == scale for s in object_of(dsid).dims[idx].values())


def ds_get_num_scales(dsid: Any, idx: int) -> int:
    return len(object_of(dsid).dims[idx])


def ds_get_label(dsid: Any, idx: int) -> bytes:
    return object_of(dsid).dims[idx].label.encode("utf-8")


def ds_set_label(dsid: Any, idx: int, label: Any) -> None:
    object_of(dsid).dims[idx].label = _name(label)


def ds_get_scale_name(dsid: Any) -> bytes | None:
    dset = object_of(dsid)
    if not dset.is_scale:
        return None
    return str(dset._state.attrs(dset._path).get_reserved(R_SCALE) or "").encode("utf-8")


def ds_iterate(dsid: Any, idx: int, func: Any, startidx: int = 0) -> Any:
    """Call ``func(scale_id)`` for each scale attached to axis ``idx``; a non-None result stops."""
    for scale in object_of(dsid).dims[idx].values()[startidx:]:
        result = func(handle_for(scale))
        if result is not None:
            return result
    return None


# ---------------------------------------------------------------- h5z (filters)
FILTER_CONFIG_ENCODE_ENABLED = 0x0001
FILTER_CONFIG_DECODE_ENABLED = 0x0002
_AVAILABLE = {f.filter_id for f in FILTERS}


def filter_avail(filter_code: int) -> bool:
    """True for the HDF5 filters zarr5 maps to codecs (deflate, shuffle, fletcher32, scaleoffset, lzf)."""
    return int(filter_code) in _AVAILABLE


def get_filter_info(filter_code: int) -> int:
    if not filter_avail(filter_code):
        raise ValueError(f"filter {filter_code} is not available")
    return FILTER_CONFIG_ENCODE_ENABLED | FILTER_CONFIG_DECODE_ENABLED


# ---------------------------------------------------------------- h5o
TYPE_GROUP, TYPE_DATASET, TYPE_NAMED_DATATYPE = 0, 1, 2


class ObjInfo:
    """What h5o.get_info reports: the object's type, a stable address and its attribute count."""

    def __init__(self, obj: Any) -> None:
        self.type = {"group": TYPE_GROUP, "dataset": TYPE_DATASET, "datatype": TYPE_NAMED_DATATYPE}[obj._kind]
        self.addr = hash((obj._path,)) & 0x7FFFFFFFFFFF
        self.fileno = handle_for(obj).fileno if obj._kind != "datatype" else 0
        self.rc = 1
        self.num_attrs = len(obj.attrs)


def obj_get_info(loc: Any, name: Any = None, **kwds: Any) -> ObjInfo:
    obj = object_of(loc)
    if name is not None:
        obj = obj[_name(name)]
    return ObjInfo(obj)
