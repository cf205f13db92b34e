"""Differential tests: compounds with variable-length fields and vlen sequences of compounds (records)."""

from __future__ import annotations

from typing import Any

import h5py
import numpy as np
import pytest
from h5_differential import check

STR = h5py.string_dtype()
ASCII = h5py.string_dtype("ascii")
DT = np.dtype([("a", "i4"), ("s", STR), ("b", ASCII), ("v", h5py.vlen_dtype("f8"))])
POINT = np.dtype([("x", "i4"), ("y", "f8")])


def plain(value: Any) -> Any:
    """Records as nested tuples/lists of Python values, with each array's dtype (object fields included)."""
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, [plain(x) for x in value.ravel()])
    if isinstance(value, np.void):
        return ("void", str(value.dtype), tuple(plain(value[n]) for n in value.dtype.names))
    if isinstance(value, np.generic):
        return ("scalar", value.dtype.str, value.item())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def create_and_read(h5, path):
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (3,), dtype=DT)
        d[0] = (1, "héllo", b"by", np.array([1.0, 2.0]))
        d[2] = (3, "x", b"", np.arange(3.0))
        return plain([d[...], d[0], d[1], d.dtype, d["s"], d["v"], d["a"], d[1:]["b"], d.fillvalue,
                      d.shape])


def create_with_data(h5, path):
    data = np.array([(1, "a", b"b", np.array([1.5])), (2, "cc", b"dd", np.array([], "f8"))], dtype=DT)
    with h5.File(path, "w") as f:
        f.create_dataset("d", data=data)
        f.create_dataset("l", data=[(1, "x"), (2, "y")], dtype=[("n", "i8"), ("t", STR)])
    with h5.File(path, "r") as f:
        return plain([f["d"][...], f["d"].dtype, f["l"][...], f["d"][["a", "s"]]])


def write_elements_and_fields(h5, path):
    dt = np.dtype([("n", "i8"), ("t", STR)])
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (4,), dtype=dt)
        d[1:3] = np.array([(5, "five"), (6, "six")], dtype=dt)
        d[3] = (7, b"seven")
        d["n"] = np.arange(4)
        return plain(d[...])


def nested_and_scalar(h5, path):
    inner = np.dtype([("x", "i1"), ("v", h5py.vlen_dtype("i2"))])
    dt = np.dtype([("n", inner), ("a", "i1"), ("t", STR)])
    with h5.File(path, "w") as f:
        d = f.create_dataset("d", (2,), dtype=dt)
        d[0] = ((1, np.array([1, 2], "i2")), 2, "z")
        s = f.create_dataset("s", (), dtype=dt)
        s[()] = ((3, np.array([4], "i2")), 5, "w")
    with h5.File(path, "r") as f:
        return plain([f["d"][...], f["d"].dtype, f["s"][()], f["s"][...], f["d"]["n"]])


def vlen_of_compound(h5, path):
    with h5.File(path, "w") as f:
        e = f.create_dataset("e", (3,), dtype=h5py.vlen_dtype(POINT))
        e[0] = np.array([(1, 2.0), (3, 4.0)], dtype=POINT)
        e[2] = np.array([(5, 6.0)], dtype=POINT)
        w = f.create_dataset("w", (1,), dtype=h5py.vlen_dtype(np.dtype([("x", "i1"), ("s", STR)])))
        w[0] = np.array([(1, "one"), (2, "two")], dtype=[("x", "i1"), ("s", STR)])
    with h5.File(path, "r") as f:
        return plain([f["e"][...], f["e"][0], f["e"].dtype, f["e"].dtype.metadata, f["w"][...]])


@pytest.mark.parametrize("snippet", [create_and_read, create_with_data, write_elements_and_fields,
                                     nested_and_scalar, vlen_of_compound])
def test_compound_vlen(snippet, tmp_path):
    check(snippet, tmp_path)
