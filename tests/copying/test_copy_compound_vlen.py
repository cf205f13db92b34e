"""HDF5 -> zarr5 -> HDF5: compounds with variable-length fields and vlen sequences of compounds."""

from __future__ import annotations

from typing import Any

import h5py
import numpy as np

import zarr5

STR = h5py.string_dtype()
POINT = np.dtype([("x", "i4"), ("y", "f8")])
INNER = np.dtype([("x", "i1"), ("v", h5py.vlen_dtype("i2"))])
DT = np.dtype([("a", "i4"), ("s", STR), ("b", h5py.string_dtype("ascii")), ("v", h5py.vlen_dtype("f8")),
               ("n", INNER)])


def plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, [plain(x) for x in value.ravel()])
    if isinstance(value, np.void):
        return ("void", str(value.dtype), tuple(plain(value[n]) for n in value.dtype.names))
    if isinstance(value, np.generic):
        return ("scalar", value.dtype.str, value.item())
    return value


def make_source(path: str) -> None:
    with h5py.File(path, "w") as f:
        d = f.create_dataset("d", (4,), dtype=DT, chunks=(2,))
        d[0] = (1, "héllo", b"by", np.array([1.0, 2.0]), (3, np.array([4, 5], "i2")))
        d[3] = (7, "", b"last", np.array([], "f8"), (0, np.array([9], "i2")))
        d.attrs["note"] = "records"
        s = f.create_dataset("g/s", (), dtype=DT)
        s[()] = (2, "scalar", b"x", np.array([0.5]), (1, np.array([], "i2")))
        e = f.create_dataset("e", (3,), dtype=h5py.vlen_dtype(POINT))
        e[0] = np.array([(1, 2.0), (3, 4.0)], dtype=POINT)
        e[2] = np.array([(5, 6.0)], dtype=POINT)


def test_copy_compound_vlen_round_trip(tmp_path):
    src, store, back = str(tmp_path / "src.h5"), str(tmp_path / "copy.zarr"), str(tmp_path / "back.h5")
    make_source(src)
    with h5py.File(src, "r") as s, zarr5.File(store, "w") as d:
        zarr5.copy_all(s, d)
    with h5py.File(src, "r") as s, zarr5.File(store, "r") as z:
        for name in ("d", "g/s", "e"):
            assert z[name].dtype == s[name].dtype
            assert plain(z[name][...]) == plain(s[name][...]), name
        assert z["d"].attrs["note"] == "records"
    with zarr5.File(store, "r") as s, h5py.File(back, "w") as d:
        zarr5.copy_all(s, d)
    with h5py.File(src, "r") as s, h5py.File(back, "r") as b:
        for name in ("d", "g/s", "e"):
            assert b[name].dtype == s[name].dtype, name
            assert b[name].dtype.metadata == s[name].dtype.metadata, name
            assert plain(b[name][...]) == plain(s[name][...]), name
            assert b[name].shape == s[name].shape
        assert b["d"].chunks == (2,)
