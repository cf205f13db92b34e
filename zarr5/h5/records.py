"""Records: compounds with variable-length fields, and vlen sequences of compounds.

Zarr v2 has no object fields in a structured dtype, so each element is stored as a list of field values
(numbers as Python scalars, vlen str as str, vlen bytes as bytes, vlen sequences as lists) through
MsgPack; these helpers turn h5py values into such records and back, for datasets and attributes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zarr5.h5.dtypes import check_ref_dtype, check_string_dtype, check_vlen_dtype
from zarr5.h5.refs import ref_reader, ref_writer

__all__ = ["record_in", "record_out", "records_in", "tuples"]


def record_out(x: Any, dt: np.dtype, store: Any = None) -> Any:
    """A stored record value (lists, str, bytes, Python scalars; None where unwritten) -> h5py's value;
    reference fields are bound to ``store``."""
    if check_ref_dtype(dt) is not None:
        return ref_reader(store, check_ref_dtype(dt))(x)
    vlen = check_vlen_dtype(dt)
    if vlen in (str, bytes):
        if x is None or (isinstance(x, int) and x == 0):
            return b""
        return x.encode("utf-8", "surrogateescape") if isinstance(x, str) else bytes(x)
    if vlen is not None:
        base = np.dtype(vlen)
        items = [] if x is None or (isinstance(x, int) and x == 0) else x
        out = np.empty(len(items), dtype=base)
        for i, item in enumerate(items):
            out[i] = record_out(item, base, store)
        return out
    if dt.names is not None:
        values = [None] * len(dt.names) if x is None or (isinstance(x, int) and x == 0) else list(x)
        if len(values) != len(dt.names):
            raise ValueError(f"stored record {x!r} does not match {dt}")
        return tuple(record_out(v, dt[n], store) for v, n in zip(values, dt.names))
    if x is None:
        return np.zeros((), dtype=dt)[()] if dt.subdtype is None else np.zeros(dt.shape, dt.base)
    if isinstance(x, str) and dt.kind == "S":
        x = x.encode("utf-8", "surrogateescape")  # fixed strings kept as text in a JSON record
    return np.asarray(x, dtype=dt.base if dt.subdtype is not None else dt)[()]


def record_in(x: Any, dt: np.dtype, store: Any = None) -> Any:
    """One h5py value of ``dt`` -> what the records codec stores (see :func:`record_out`); reference
    fields must point into ``store``."""
    if check_ref_dtype(dt) is not None:
        return ref_writer(store, check_ref_dtype(dt))(x)
    vlen = check_vlen_dtype(dt)
    if vlen in (str, bytes):
        if isinstance(x, (bytes, np.bytes_)):
            return bytes(x).decode("utf-8", "surrogateescape") if vlen is str else bytes(x)
        if isinstance(x, (str, np.str_)):
            return str(x) if vlen is str else str(x).encode("ascii")
        raise TypeError(f"Can't implicitly convert non-string objects to strings: {x!r}")
    if vlen is not None:
        base = np.dtype(vlen)
        if base.names is not None or base.hasobject:
            same = isinstance(x, np.ndarray) and x.dtype == base
            seq = x if same else np.array(tuples(x, base), dtype=base)
            return [record_in(item, base, store) for item in np.asarray(seq).reshape(-1)]
        return np.asarray(x, dtype=base).reshape(-1).tolist()
    if dt.names is not None:
        if isinstance(x, np.void) or (isinstance(x, np.ndarray) and x.dtype.names is not None):
            values = [x[n] for n in dt.names] if x.dtype.names == dt.names else list(x.item())
        else:
            values = list(x)
        if len(values) != len(dt.names):
            raise ValueError(f"{x!r} has {len(values)} values for the {len(dt.names)} fields of {dt}")
        return [record_in(v, dt[n], store) for v, n in zip(values, dt.names)]
    if dt.subdtype is not None:
        return np.asarray(x, dtype=dt.base).reshape(dt.shape).tolist()
    if isinstance(x, str) and dt.kind == "S":
        info = check_string_dtype(dt)
        x = x.encode(info.encoding if info else "ascii")
    return np.asarray(x, dtype=dt).item()


def tuples(x: Any, dt: np.dtype) -> Any:
    """Lists standing for records -> tuples, so numpy reads them as records of ``dt``."""
    if isinstance(x, list) and dt.names is not None and x and not isinstance(x[0], (list, tuple, np.void)):
        return tuple(x)
    if isinstance(x, list):
        return [tuples(v, dt) for v in x]
    return x


def records_in(val: Any, dt: np.dtype, store: Any = None) -> np.ndarray:
    """h5py values of a record dtype -> an object array of records (a 0-d array for one value)."""
    arr: np.ndarray | None
    if dt.names is not None:
        if isinstance(val, (tuple, np.void)):
            out = np.empty((), dtype=object)
            out[()] = record_in(val, dt, store)
            return out
        arr = val if isinstance(val, np.ndarray) and val.dtype.names is not None else \
            np.array(tuples(val, dt), dtype=dt)
    else:
        arr = val if isinstance(val, np.ndarray) and val.dtype == object else None
        if arr is None:
            if isinstance(val, np.ndarray) and val.dtype.names is not None:
                one = np.empty((), dtype=object)
                one[()] = val
                arr = one
            else:
                items = list(val) if isinstance(val, (list, tuple)) else [val]
                arr = np.empty(len(items), dtype=object)
                for i, item in enumerate(items):
                    arr[i] = item
    out = np.empty(arr.shape, dtype=object)
    for i, x in enumerate(arr.flat):
        out.flat[i] = record_in(x, dt, store)
    return out
