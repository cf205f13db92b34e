"""Region references, and attributes holding references or compounds with vlen fields: zarr5 against h5py."""

from __future__ import annotations

from typing import Any

import h5py
import numpy as np
import pytest
from h5_differential import check

import zarr5
from zarr5.h5.regions import region_from_json, region_json

DATA = np.arange(20 * 30).reshape(20, 30)
SELECTIONS = {
    "strided box": np.s_[5:15, 3:30:4],
    "everything": np.s_[...],
    "empty": np.s_[:0],
    "one row": np.s_[5, :],
    "index list": np.s_[[1, 3, 5], 2:4],
    "irregular list": np.s_[[1, 2, 5, 6], 3:5],
    "mask": DATA % 7 == 0,
    "integer": np.s_[3],
    "last element": np.s_[-1, -1],
}


@pytest.mark.parametrize("name", sorted(SELECTIONS))
def test_read_through_region(name: str, tmp_path: Any) -> None:
    sel = SELECTIONS[name]

    def snippet(h5, path):
        with h5.File(path, "w") as f:
            d = f.create_dataset("x", data=DATA)
            ref = d.regionref[sel]
            return [type(ref).__name__, d[ref], d.regionref.selection(ref), d.regionref.shape(ref),
                    f[ref].name, bool(ref)]

    check(snippet, tmp_path)


def test_stored_regions_reopen(tmp_path: Any) -> None:
    def snippet(h5, path):
        with h5.File(path, "w") as f:
            ds1 = f.create_dataset("foo", data=np.arange(12))
            f.create_dataset("regs", data=[ds1.regionref[:-1], ds1.regionref[1:], ds1.regionref[[0, 5]]])
            f.create_dataset("one", data=ds1.regionref[2:4])
            empty = f.create_dataset("empty", (2,), dtype=h5.regionref_dtype)
            out = [type(empty[0]).__name__, bool(empty[0])]
        with h5.File(path, "r") as f:
            regs = f["regs"]
            return out + [h5.check_dtype(ref=regs.dtype).__name__, regs.shape,
                          [f["foo"][r] for r in regs[...]], type(f["one"][()]).__name__,
                          f["foo"][f["one"][()]], f[regs[0]].name]

    check(snippet, tmp_path)


def test_region_errors(tmp_path: Any) -> None:
    def snippet(h5, path):
        out = []
        with h5.File(path, "w") as f:
            a = f.create_dataset("a", data=np.arange(10))
            b = f.create_dataset("b", data=np.arange(10))
            g = f.create_group("g")
            refs = f.create_dataset("refs", (1,), dtype=h5.ref_dtype)
            for attempt in (lambda: b[a.regionref[:3]], lambda: g.regionref[...],
                            lambda: refs.__setitem__(0, a.regionref[:6])):
                try:
                    attempt()
                    out.append("no error")
                except Exception as e:  # noqa: BLE001 -- the type is compared
                    out.append(type(e).__name__)
        return out

    check(snippet, tmp_path)


def test_scalar_dataset_region(tmp_path: Any) -> None:
    def snippet(h5, path):
        with h5.File(path, "w") as f:
            s = f.create_dataset("s", data=1.5, dtype="f4")
            ref = s.regionref[...]
            return [s[ref], s.regionref.selection(ref), s.regionref.shape(ref)]

    check(snippet, tmp_path)


def test_region_text_round_trip() -> None:
    region = {"shape": [4, 5], "select": "blocks", "blocks": [[[0, 1], [1, 2]], [[3, 0], [3, 4]]]}
    path, back = region_from_json(region_json("/g/x", region))
    assert path == "/g/x" and back == region
    for bad in ("", "[1]", '{"path": "/x", "shape": [1], "select": "circle"}', '{"shape": [1]}'):
        with pytest.raises(ValueError, match="not a stored region reference"):
            region_from_json(bad)


def test_region_blocks_read(tmp_path: Any) -> None:
    """A union of overlapping blocks reads each element once, row-major; HDF5's shape rule applies."""
    with zarr5.File(str(tmp_path / "b.zarr"), "w") as f:
        d = f.create_dataset("x", data=DATA)
        ref = zarr5.RegionReference(f._state.store, "x", {"shape": [20, 30], "select": "blocks",
                                                           "blocks": [[[0, 0], [1, 1]], [[1, 1], [2, 2]]]})
        expected = [DATA[0, 0], DATA[0, 1], DATA[1, 0], DATA[1, 1], DATA[1, 2], DATA[2, 1], DATA[2, 2]]
        assert d[ref].tolist() == expected
        assert d.regionref.selection(ref) == (7,)


STR = h5py.string_dtype()
REC = np.dtype([("a", "i4"), ("s", STR), ("v", h5py.vlen_dtype("i2"))])


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, [_plain(x) for x in value.ravel()])
    if isinstance(value, np.void):
        return ("void", str(value.dtype), tuple(_plain(value[n]) for n in value.dtype.names))
    if isinstance(value, (h5py.Reference, zarr5.Reference)):
        return (type(value).__name__, bool(value))
    if isinstance(value, np.generic):
        return ("scalar", value.dtype.str, value.item())
    return value


def test_attributes_with_references_and_records(tmp_path: Any) -> None:
    def snippet(h5, path):
        with h5.File(path, "w") as f:
            d = f.create_dataset("d", data=np.arange(10))
            values = np.array([(1, "héllo", np.array([1, 2], "i2")), (2, "", np.array([], "i2"))], dtype=REC)
            f.attrs.create("records", values, dtype=REC)
            f.attrs.create("record", values[0], dtype=REC)
            f.attrs["ref"] = d.ref
            f.attrs.create("refs", [d.ref, f.ref], dtype=h5.ref_dtype)
            f.attrs["region"] = d.regionref[2:5]
        with h5.File(path, "r") as f:
            a = f.attrs
            return [_plain(a["records"]), _plain(a["record"]), _plain(a["ref"]), _plain(a["refs"]),
                    f[a["ref"]].name, [f[r].name for r in a["refs"]], f["d"][a["region"]],
                    h5.check_dtype(ref=np.asarray(a["refs"]).dtype) is not None]

    check(snippet, tmp_path)


def test_references_inside_compounds(tmp_path: Any) -> None:
    def snippet(h5, path):
        with h5.File(path, "w") as f:
            g = f.create_group("g")
            x = f.create_dataset("x", (2,), np.dtype([("a", "i4"), ("b", h5.ref_dtype)]))
            x[0] = (42, g.ref)
            first, second = x[0], x[1]
            return [int(first[0]), f[first[1]].name, int(second[0]), bool(second[1]),
                    type(second[1]).__name__]

    check(snippet, tmp_path)


def test_vlen_of_enum_and_of_fixed_strings(tmp_path: Any) -> None:
    def snippet(h5, path):
        with h5.File(path, "w") as f:
            seq = np.empty((1,), dtype=h5.vlen_dtype(np.dtype("S1")))
            seq[0] = np.array([b"a", b"b"], dtype="S1")
            f.attrs.create("letters", seq)
            d = f.create_dataset("e", (2,), dtype=h5.vlen_dtype(h5.enum_dtype({"foo": 1, "bar": 2}, "i")))
            d[:] = np.array([[1], [1, 2]], dtype=object)
        with h5.File(path, "r") as f:
            return [f.attrs["letters"][0], h5.check_enum_dtype(h5.check_vlen_dtype(f["e"].dtype)),
                    [e.tolist() for e in f["e"][:]]]

    check(snippet, tmp_path)


@pytest.mark.parametrize("region", [
    {"select": "slab", "start": [0, 0], "stride": [1, 1], "count": [10**9, 10**9], "block": [2, 2]},
    {"select": "slab", "start": [0, 0], "stride": [1, 1], "count": [2, 2], "block": [2, 2]},  # overlapping
    {"select": "blocks", "blocks": [[[0, 0], [10**6, 10**6]]]},
    {"select": "blocks", "blocks": [[[3, 0], [1, 1]]]},  # corners reversed
    {"select": "points", "points": [[0, 0], [20, 0]]},
    {"select": "points", "points": [[0, -1]]},
], ids=["huge-slab", "overlapping-blocks", "huge-blocks", "reversed", "point-outside", "negative"])
def test_hostile_stored_regions_are_refused(region: dict, tmp_path: Any) -> None:
    """A region stored in a file is data: one reaching outside the dataset is refused, not allocated."""
    with zarr5.File(str(tmp_path / "h.zarr"), "w") as f:
        d = f.create_dataset("x", data=DATA)
        ref = zarr5.RegionReference(f._state.store, "x", {"shape": [20, 30], **region})
        with pytest.raises(ValueError, match="outside the dataset"):
            d[ref]
