"""AttributeManager: h5py's attribute semantics over Zarr's JSON ``.zattrs``.

Every value is written as an ordinary JSON value (so zarr-python sees numbers, strings and lists), and
its exact h5py type (dtype, shape, string encoding) goes to the reserved attribute ``_zarr5_attrs``
together with a CRC of the JSON value: when a zarr-vocabulary writer later replaces the value, the CRC
no longer matches and the type is inferred from the JSON value instead of being misapplied.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import numpy as np

from zarr5.core.attributes import RESERVED_PREFIX
from zarr5.h5 import spaces
from zarr5.h5.base import R_TRACK, Empty, NoWriteIntentError, NoWriteIntentKeyError, name_str
from zarr5.h5.dims import DS_ATTRIBUTES, scale_attributes
from zarr5.h5.dtypes import (
    check_ref_dtype,
    check_vlen_dtype,
    decode_h5_dtype,
    encode_h5_dtype,
    h5_layout,
    is_record_dtype,
    special_dtype,
)
from zarr5.h5.h5types import TypeID, type_for
from zarr5.h5.records import record_in, record_out
from zarr5.h5.refs import Reference, RegionReference, ref_reader, ref_writer
from zarr5.metadata.v2 import encode_json

__all__ = ["AttrID", "AttributeManager", "attribute_type", "decode_value", "encode_value", "normalize_value"]

R_TYPES = RESERVED_PREFIX + "attrs"
R_ATTR_ORDER = RESERVED_PREFIX + "attr_order"
# xarray's dimension names: written by dims, not an h5py user attribute
HIDDEN = ("_ARRAY_DIMENSIONS",)


def _crc(value: Any) -> int:
    return zlib.crc32(encode_json(value))


def item_type(data: Any) -> type | None:
    """str or bytes when every item of ``data`` (nested lists, object arrays) is one; else None."""
    if type(data) in (str, bytes):  # np.bytes_ is a bytes subclass but means fixed-length
        return type(data)
    if isinstance(data, np.ndarray):
        if data.dtype.kind != "O":
            return None
        items = list(data.flat)
    elif isinstance(data, (list, tuple)):
        items = []
        stack = list(data)
        while stack:
            x = stack.pop()
            if isinstance(x, (list, tuple)):
                stack.extend(x)
            else:
                items.append(x)
    else:
        return None
    kinds = {type(x) for x in items}  # exact types, as h5py's find_item_type
    return kinds.pop() if len(kinds) == 1 and kinds <= {str, bytes} else None


def normalize_value(data: Any, dtype: Any = None, shape: Any = None) -> tuple[Any, np.dtype]:
    """Turn user data into what h5py would store: (ndarray, h5py dtype), with h5py's checks."""
    if dtype is not None:
        dtype = np.dtype(dtype.dtype) if hasattr(dtype, "_kind") else np.dtype(dtype)
    if dtype is None and _ref_kind(data) is not None:
        dtype = special_dtype(ref=_ref_kind(data))
    if dtype is not None and (not isinstance(data, np.ndarray) or check_ref_dtype(dtype) is not None):
        as_dtype = dtype
    else:
        kind = item_type(data)
        as_dtype = None if kind is None else np.dtype("O", metadata={"vlen": kind if kind is str else bytes})
    arr = np.asarray(data, order="C", dtype=as_dtype)
    if as_dtype is not None and arr.dtype != as_dtype:
        arr = arr.astype(as_dtype)
    if as_dtype is not None:
        arr = arr.view(as_dtype)
    if arr.dtype.kind == "U":
        raise TypeError(f"No conversion path for dtype: {arr.dtype!r}")
    dtype = arr.dtype if dtype is None else dtype
    if shape is None:
        shape = arr.shape
    elif isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    shape = tuple(shape)
    if dtype.subdtype is not None:
        base, sub = dtype.subdtype
        if shape[len(shape) - len(sub):] != sub:
            raise ValueError(f"Array dtype shape {sub} is incompatible with data shape {shape}")
        dtype = base
    elif int(np.prod(shape)) != arr.size:
        raise ValueError(f"Shape of new attribute conflicts with shape of data: {shape} vs {arr.shape}")
    arr = arr.reshape(shape)
    if dtype != arr.dtype and dtype.kind != "O":
        arr = arr.astype(dtype)
    if dtype.kind == "O" and check_vlen_dtype(dtype) is None and check_ref_dtype(dtype) is None:
        raise TypeError(f"Object dtype {dtype} has no native HDF5 equivalent")
    if check_vlen_dtype(dtype) in (str, bytes):
        for x in arr.flat:
            if (isinstance(x, bytes) and b"\x00" in x) or (isinstance(x, str) and "\x00" in x):
                raise ValueError("VLEN strings do not support embedded NULLs")
    return arr, dtype


def _ref_kind(data: Any) -> type | None:
    """Reference or RegionReference when ``data`` is references only (region only if all are)."""
    if isinstance(data, Reference):
        return type(data)
    if isinstance(data, (list, tuple)) or (isinstance(data, np.ndarray) and data.dtype == object):
        items = list(np.asarray(data, dtype=object).flat)
        if items and all(isinstance(x, Reference) for x in items):
            return RegionReference if all(isinstance(x, RegionReference) for x in items) else Reference
    return None


def _jsonable(x: Any) -> Any:
    """A record's bytes as text (surrogate-escaped), so the record is a JSON value; lists recursed."""
    if isinstance(x, bytes):
        return x.decode("utf-8", "surrogateescape")
    if isinstance(x, list):
        return [_jsonable(v) for v in x]
    return x


def encode_value(arr: Any, dtype: np.dtype, store: Any = None) -> tuple[Any, dict]:
    """Return ``(JSON value, type record)`` for an ndarray (or Empty) of h5py dtype ``dtype``;
    references must point into ``store``."""
    if isinstance(arr, Empty):
        return None, {"dtype": encode_h5_dtype(arr.dtype), "shape": None, "crc": _crc(None)}
    record: dict = {"dtype": encode_h5_dtype(dtype), "shape": list(arr.shape)}
    vlen = check_vlen_dtype(dtype)
    kind = dtype.kind
    ref = check_ref_dtype(dtype)
    if ref is not None:
        # references: the stored text of each (a path, or a region's JSON), nested as the shape
        write = ref_writer(store, ref)
        texts = [write(x) for x in arr.flat]
        value = np.array(texts, dtype=object).reshape(arr.shape).tolist() if arr.shape else texts[0]
    elif is_record_dtype(dtype):
        # compounds with vlen fields: one list of field values per element, in h5py's read layout
        record["dtype"] = encode_h5_dtype(h5_layout(dtype))
        recs = [_jsonable(record_in(x, dtype, store)) for x in arr.flat]
        value = recs if arr.shape else recs[0]
        record["enc"] = "records"
    elif vlen is str or vlen is bytes:
        def text(x: Any) -> str:
            if isinstance(x, bytes):
                return x.decode("utf-8", "surrogateescape")
            return str(x)
        value = np.frompyfunc(text, 1, 1)(arr).tolist() if arr.shape else text(arr[()])
    elif vlen is not None and np.dtype(vlen).kind in "biuf" and np.dtype(vlen).fields is None:
        value = [np.asarray(x).tolist() for x in arr.flat]
    elif vlen is not None:
        # sequences of strings, complex, opaque...: each sequence's raw bytes, base64
        base = np.dtype(vlen)
        value = [base64.standard_b64encode(np.ascontiguousarray(x, dtype=base).tobytes()).decode("ascii")
                 for x in arr.flat]
        record["enc"] = "raw"
    elif kind in "biuf" and dtype.fields is None and dtype.subdtype is None:
        value = arr.tolist()
    elif kind == "c":
        value = np.stack([arr.real, arr.imag], axis=-1).astype(np.float64).tolist()
        record["enc"] = "complex"
    elif kind == "S":
        try:
            value = np.char.decode(arr, "utf-8").tolist()
            record["enc"] = "utf-8"
        except UnicodeDecodeError:
            value = np.char.decode(arr, "latin-1").tolist()
            record["enc"] = "latin-1"
    else:
        # structured, sub-array, datetime, opaque: the raw bytes, base64, losing nothing
        value = base64.standard_b64encode(np.ascontiguousarray(arr).tobytes()).decode("ascii")
        record["enc"] = "raw"
    record["crc"] = _crc(value)
    return value, record


def decode_value(value: Any, record: dict | None, store: Any = None) -> Any:
    """The h5py value of a stored JSON ``value`` with its type ``record`` (None: infer from JSON);
    references are bound to ``store``."""
    if record is not None and record.get("crc") == _crc(value):
        try:
            return _decode_typed(value, record, store)
        except (ValueError, TypeError, KeyError):
            pass  # a record we cannot apply: fall back to the JSON value
    return _infer(value)


def _decode_typed(value: Any, record: dict, store: Any) -> Any:
    dt = decode_h5_dtype(record["dtype"])
    if record["shape"] is None:
        return Empty(dt)
    shape = tuple(record["shape"])
    enc = record.get("enc")
    vlen = check_vlen_dtype(dt)
    ref = check_ref_dtype(dt)
    if ref is not None or enc == "records":
        read = ref_reader(store, ref) if ref is not None else (lambda x: record_out(x, dt, store))
        # references are stored nested as the shape, records as one flat list
        flat: Any
        if not shape:
            flat = [value]
        else:
            flat = np.asarray(value, dtype=object).reshape(-1) if ref is not None else value
        arr = np.empty(shape, dtype=dt)
        for i, x in enumerate(flat):
            arr.flat[i] = read(x)
        return arr if shape else arr[()]
    if vlen is str or vlen is bytes:
        # h5py reads vlen string attributes as str, whatever their encoding
        if not shape:
            return value
        arr = np.empty(shape, dtype=dt)
        flat = np.asarray(value, dtype=object).reshape(-1)
        for i, x in enumerate(flat):
            arr.flat[i] = x
        return arr
    if vlen is not None:
        arr = np.empty(shape, dtype=dt)
        for i, x in enumerate(value):
            arr.flat[i] = np.frombuffer(base64.standard_b64decode(x), dtype=vlen).copy() if enc == "raw" \
                else np.asarray(x, dtype=vlen)
        return arr
    if enc == "raw":
        arr = np.frombuffer(base64.standard_b64decode(value), dtype=dt).reshape(shape).copy()
    elif enc == "complex":
        pairs = np.asarray(value, dtype=np.float64).reshape(shape + (2,))
        arr = (pairs[..., 0] + 1j * pairs[..., 1]).astype(dt)
    elif enc in ("utf-8", "latin-1"):
        arr = np.char.encode(np.asarray(value, dtype=str), enc).astype(dt) if shape \
            else np.array(value.encode(enc), dtype=dt)
    else:
        arr = np.asarray(value, dtype=dt).reshape(shape)
    return arr[()] if not shape else arr


def _infer(value: Any) -> Any:
    """A JSON value written by another zarr writer, as h5py would hand back the nearest HDF5 type."""
    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, int):
        return np.int64(value) if -2 ** 63 <= value < 2 ** 63 else value
    if isinstance(value, float):
        return np.float64(value)
    if isinstance(value, list):
        try:
            arr = np.asarray(value)
        except ValueError:
            return value  # ragged lists have no array form
        if arr.dtype.kind == "U":
            return arr.astype(object)
        if arr.dtype.kind == "O":
            return value
        return arr
    return value  # str, None, dict


def _full(attrs: Any) -> dict:
    """The visible attributes plus the reserved ones this module uses."""
    doc = attrs.asdict()
    for key in (R_TYPES, R_ATTR_ORDER, R_TRACK):
        value = attrs.get_reserved(key)
        if value is not None:
            doc[key] = value
    return doc


class AttributeManager(MutableMapping):
    """The attributes of a Group, Dataset or Datatype, with h5py's value semantics."""

    def __init__(self, parent: Any) -> None:
        self._parent = parent
        self._state = parent._state
        self._path = parent._path

    def _attrs(self) -> Any:
        self._state.check_open()
        return self._state.attrs(self._path, self._parent._zarr_format_hint())

    def _document(self) -> dict:
        return _full(self._attrs())

    # reading
    def _scale_attrs(self) -> dict:
        """HDF5's dimension-scale attributes of a dataset (CLASS, NAME, REFERENCE_LIST,
        DIMENSION_LIST), which h5py lists with the others; zarr5 derives them from its records."""
        if getattr(self._parent, "_kind", None) != "dataset":
            return {}
        self._state.check_open()
        return scale_attributes(self._parent)

    def __getitem__(self, name: Any) -> Any:
        name = name_str(name)
        if name in DS_ATTRIBUTES:
            virtual = self._scale_attrs()
            if name in virtual:
                return virtual[name]
        doc = self._document()
        if name not in doc or name.startswith(RESERVED_PREFIX) or name in HIDDEN:
            raise KeyError(f"Can't open attribute (can't locate attribute: {name!r})")
        return decode_value(doc[name], doc.get(R_TYPES, {}).get(name), self._state.store)

    def get(self, name: Any, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def get_id(self, name: Any) -> Any:
        """The attribute's handle (``.dtype``, ``.shape``, ``read``, ``write``), as h5py's get_id."""
        name = name_str(name)
        if name not in self:
            raise KeyError(f"Can't open attribute (can't locate attribute: {name!r})")
        return AttrID(self._parent, name)

    def _visible(self) -> list[str]:
        """Every attribute name h5py would list: the stored ones and the dimension-scale ones."""
        names = self._names(self._document())
        virtual = [n for n in self._scale_attrs() if n not in names]
        if not virtual:
            return names
        return virtual + names if self._tracked() else sorted(names + virtual)

    def _tracked(self) -> bool:
        return bool(self._document().get(R_TRACK))

    @property
    def _id(self) -> Any:
        # h5py keeps the owner's handle here; h5netcdf hands it to h5a calls
        return self._parent.id

    def _names(self, doc: dict) -> list[str]:
        names = [k for k in doc if not k.startswith(RESERVED_PREFIX) and k not in HIDDEN]
        order = doc.get(R_ATTR_ORDER)
        if doc.get(R_TRACK) and isinstance(order, list):
            known = [n for n in order if n in names]
            return known + sorted(set(names) - set(known))
        return sorted(names)

    def __iter__(self) -> Iterator[str]:
        return iter(self._visible())

    def __len__(self) -> int:
        return len(self._visible())

    def __contains__(self, name: object) -> bool:
        try:
            name = name_str(name)
        except TypeError:
            return False
        if not self._state.open:
            return False
        if name in DS_ATTRIBUTES and name in self._scale_attrs():
            return True
        return name in self._names(self._document())

    def keys(self) -> Any:
        return self._visible()

    def values(self) -> Any:
        return [self[n] for n in self.keys()]

    def items(self) -> Any:
        return [(n, self[n]) for n in self.keys()]

    # writing
    def _check_writable(self, what: str) -> None:
        self._state.check_open()
        if self._state.read_only:
            raise NoWriteIntentError(f"Unable to {what} (no write intent on file)")

    def __setitem__(self, name: Any, value: Any) -> None:
        self.create(name, data=value)

    def create(self, name: Any, data: Any = None, shape: Any = None, dtype: Any = None) -> None:
        """Create (or replace) attribute ``name`` from ``data``, with optional ``shape`` and ``dtype``."""
        name = name_str(name)
        self._check_writable("create attribute")
        if data is None and shape is None and dtype is None:
            raise TypeError("attribute data must not be None")
        if data is None:
            data = np.zeros(shape if shape is not None else (), dtype=dtype)
        if isinstance(data, Empty):
            value, record = encode_value(data, data.dtype)
        else:
            arr, dt = normalize_value(data, dtype, shape)
            value, record = encode_value(arr, dt, self._state.store)
        self._write(name, value, record)

    def _write(self, name: str, value: Any, record: dict) -> None:
        if name.startswith(RESERVED_PREFIX) or name in HIDDEN:
            raise ValueError(f"attribute names starting with {RESERVED_PREFIX!r} are reserved by zarr5: "
                             f"{name!r}")

        def change(doc: dict) -> None:
            # the value and its type record land in one write, computed from the document as stored
            doc[R_TYPES] = {**doc.get(R_TYPES, {}), name: record}
            if doc.get(R_TRACK):
                order = [n for n in doc.get(R_ATTR_ORDER, []) if n != name or name in doc]
                if name not in order:
                    order.append(name)
                doc[R_ATTR_ORDER] = order
            doc[name] = value

        self._attrs().edit(change)

    def modify(self, name: Any, value: Any) -> None:
        """Change the value of ``name`` keeping its type and shape when it exists, else create it."""
        name = name_str(name)
        if name not in self:
            self.create(name, data=value)
            return
        old = self[name]
        if isinstance(old, Empty) or isinstance(value, Empty):
            self.create(name, data=value)
            return
        old_arr = np.asarray(old) if not isinstance(old, str) else np.array(old, dtype=object)
        new = np.asarray(value) if not isinstance(value, str) else np.array(value, dtype=object)
        if new.shape != old_arr.shape:
            raise TypeError("Shape of data is incompatible with existing attribute")
        doc = self._document()
        dt = decode_h5_dtype(doc[R_TYPES][name]["dtype"]) if name in doc.get(R_TYPES, {}) else old_arr.dtype
        self.create(name, data=value, dtype=dt)

    def __delitem__(self, name: Any) -> None:
        name = name_str(name)
        if self._state.read_only:
            raise NoWriteIntentKeyError(f"Unable to delete attribute {name!r} (no write intent on file)")
        if name not in self:
            raise KeyError(f"Can't delete attribute (can't locate attribute: {name!r})")

        def change(doc: dict) -> None:
            doc.pop(name, None)  # gone already if another handle deleted it meanwhile
            doc[R_TYPES] = {k: v for k, v in doc.get(R_TYPES, {}).items() if k != name}
            if R_ATTR_ORDER in doc:
                doc[R_ATTR_ORDER] = [n for n in doc[R_ATTR_ORDER] if n != name]

        self._attrs().edit(change)

    def __repr__(self) -> str:
        if not self._state.open:
            return "<Attributes of closed HDF5 object>"
        return f"<Attributes of HDF5 object at {id(self._parent)}>"

    def _ipython_key_completions_(self) -> list[str]:
        return list(self.keys())


def attribute_type(manager: AttributeManager, name: str) -> tuple[np.dtype, tuple | None]:
    """``(dtype, shape)`` of attribute ``name`` as h5py reports them (shape None: an Empty)."""
    if name in DS_ATTRIBUTES:
        virtual = manager._scale_attrs()
        if name in virtual:
            value = np.asarray(virtual[name])
            return value.dtype, value.shape
    doc = manager._document()
    if name not in doc:
        raise KeyError(f"Can't open attribute (can't locate attribute: {name!r})")
    record = doc.get(R_TYPES, {}).get(name)
    if isinstance(record, dict) and record.get("crc") == _crc(doc[name]):
        try:
            shape = record.get("shape")
            return decode_h5_dtype(record["dtype"]), None if shape is None else tuple(shape)
        except (ValueError, TypeError, KeyError):
            pass
    value = manager[name]
    if isinstance(value, Empty):
        return value.dtype, None
    if isinstance(value, str):
        return special_dtype(vlen=str), ()
    arr = np.asarray(value)
    if arr.dtype.kind in "OU":
        return special_dtype(vlen=str), arr.shape
    return arr.dtype, arr.shape


def typed_items(manager: AttributeManager) -> list[tuple[str, Any, np.dtype | None]]:
    """``(name, h5py value, exact h5py dtype or None when only inferred from JSON)`` per attribute."""
    doc = manager._document()
    types = doc.get(R_TYPES, {})
    out = []
    for name in manager._names(doc):
        record = types.get(name)
        dtype = None
        if isinstance(record, dict) and record.get("crc") == _crc(doc[name]):
            try:
                dtype = decode_h5_dtype(record["dtype"])
            except (ValueError, TypeError, KeyError):
                dtype = None
        out.append((name, decode_value(doc[name], record, manager._state.store), dtype))
    return out


class AttrID:
    """One attribute's handle: its exact dtype and shape, ``read`` and ``write``."""

    def __init__(self, owner: Any, name: str) -> None:
        self._owner = owner  # the Group, Dataset or Datatype the attribute belongs to
        self._name = name

    @property
    def name(self) -> bytes:
        return self._name.encode("utf-8")

    @property
    def valid(self) -> bool:
        return bool(self._owner._state.open) and self._name in self._owner.attrs

    def __bool__(self) -> bool:
        return self.valid

    def _info(self) -> tuple[np.dtype, tuple | None]:
        return attribute_type(self._owner.attrs, self._name)

    @property
    def dtype(self) -> np.dtype:
        return self._info()[0]

    @property
    def shape(self) -> tuple | None:
        return self._info()[1]

    def get_type(self) -> TypeID:
        return type_for(self.dtype)

    def get_space(self) -> spaces.SpaceID:
        shape = self.shape
        if shape is None:
            return spaces.SpaceID(spaces.NULL)
        return spaces.SpaceID(spaces.SCALAR if shape == () else spaces.SIMPLE, shape)

    def get_storage_size(self) -> int:
        dt, shape = self._info()
        return 0 if shape is None else int(np.prod(shape, dtype=np.int64)) * dt.itemsize

    def read(self, arr: np.ndarray, mtype: Any = None) -> None:
        arr[...] = self._owner.attrs[self._name]

    def write(self, arr: Any, mtype: Any = None) -> None:
        """Replace the value, keeping the attribute's type and shape (h5py's H5Awrite)."""
        dt, shape = self._info()
        self._owner.attrs.create(self._name, data=np.asarray(arr).reshape(shape or ()), dtype=dt)

    def close(self) -> None:
        return None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AttrID) and self._owner == other._owner and self._name == other._name

    def __hash__(self) -> int:
        return hash((hash(self._owner), self._name))

    def __repr__(self) -> str:
        return f"<AttrID {self._name!r} of {self._owner.name}>"
