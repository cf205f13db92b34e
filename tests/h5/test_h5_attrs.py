"""Differential tests: AttributeManager value semantics, real h5py vs zarr5 (see h5_differential.py)."""

from __future__ import annotations

import numpy as np
import pytest
from h5_differential import check

VALUES = [5, 1.5, True, "text", b"bytes", np.float32(2), np.int8(-3), np.uint64(2 ** 63 + 1), [1, 2],
          [1.5, 2.5], ["a", "bc"], [b"a", b"bc"], np.bytes_(b"fix"), np.array([b"a", b"bc"]),
          np.arange(6, dtype="i2").reshape(2, 3), np.array([1 + 2j]), np.complex64(3 - 1j),
          np.array([(1, 2.5)], dtype=[("a", "i4"), ("b", "f8")]), np.nan, np.array(["x", "y"], dtype=object),
          np.datetime64("2020-01-01", "D").astype("M8[D]").view("i8")]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: f"{type(v).__name__}-{np.asarray(v).dtype.str}")
def test_attribute_roundtrip(value, tmp_path) -> None:
    def snippet(h5, path):
        with h5.File(path, "w") as f:
            f.attrs["v"] = value
        with h5.File(path, "r") as f:
            return f.attrs["v"]

    check(snippet, tmp_path)


def attrs_mapping(h5, path):
    with h5.File(path, "w") as f:
        a = f.attrs
        for n in ["b", "a", "c"]:
            a[n] = 1
        del a["c"]
        return sorted(a), len(a), "a" in a, "c" in a, a.get("zz", 3), list(a.keys())


def attrs_order_tracked(h5, path):
    with h5.File(path, "w") as f:
        g = f.create_group("g", track_order=True)
        for n in ["z", "a", "m"]:
            g.attrs[n] = n
        return list(g.attrs)


def attrs_create(h5, path):
    with h5.File(path, "w") as f:
        f.attrs.create("s", data=42, shape=1)
        f.attrs.create("d", data=[1, 2, 3], dtype="i2")
        f.attrs.create("m", data=np.arange(6), shape=(2, 3))
        return f.attrs["s"], f.attrs["d"], f.attrs["m"]


def attrs_create_bad_shape(h5, path):
    with h5.File(path, "w") as f:
        f.attrs.create("x", data=np.arange(4), shape=(5,))


def attrs_unicode_array(h5, path):
    with h5.File(path, "w") as f:
        f.attrs.create("x", data=np.array(["a", "b"], dtype="U1"))


def attrs_modify(h5, path):
    with h5.File(path, "w") as f:
        f.attrs.create("i", data=3, dtype="i2")
        f.attrs.modify("i", 4)
        f.attrs.modify("new", 5)
        return f.attrs["i"], f.attrs["new"]


def attrs_modify_bad_shape(h5, path):
    with h5.File(path, "w") as f:
        f.attrs.modify("i", 3)
        f.attrs.modify("i", np.arange(5))


def attrs_embedded_nul(h5, path):
    with h5.File(path, "w") as f:
        try:
            f.attrs["x"] = b"Hello\x00Hello"
        except ValueError:
            return "x" in f.attrs
        return "stored"


def attrs_empty(h5, path):
    with h5.File(path, "w") as f:
        f.attrs["e"] = h5.Empty("f4")
        return f.attrs["e"]


def attrs_missing(h5, path):
    with h5.File(path, "w") as f:
        return f.attrs["nope"]


def attrs_delete_missing(h5, path):
    with h5.File(path, "w") as f:
        del f.attrs["nope"]


def attrs_readonly_delete(h5, path):
    with h5.File(path, "w") as f:
        f.attrs["a"] = 1
    with h5.File(path, "r") as f:
        del f.attrs["a"]


SNIPPETS = [v for k, v in dict(globals()).items() if k.startswith("attrs_") and callable(v)]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.__name__)
def test_same_as_h5py(snippet, tmp_path) -> None:
    check(snippet, tmp_path)
