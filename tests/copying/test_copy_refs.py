"""Object reference datasets: HDF5 -> zarr5 -> HDF5, references resolving to the same names."""

from __future__ import annotations

import h5py
import numpy as np

import zarr5
from zarr5.copying.walk import R_INCOMPLETE
from zarr5.h5.refs import Reference


def _make(path: str) -> None:
    with h5py.File(path, "w") as f:
        g = f.create_group("g")
        x = g.create_dataset("x", data=np.arange(4))
        f.create_dataset("y", data=[1.5])
        refs = f.create_dataset("a_refs", shape=(4,), dtype=h5py.ref_dtype)  # sorts before its targets
        refs[0], refs[1], refs[2] = x.ref, g.ref, f["y"].ref
        f.create_dataset("scalar", data=x.ref, dtype=h5py.ref_dtype)


def test_h5_zarr_h5(tmp_path) -> None:
    src, mid, back = str(tmp_path / "s.h5"), str(tmp_path / "m.zarr"), str(tmp_path / "b.h5")
    _make(src)
    with h5py.File(src, "r") as s, zarr5.File(mid, "w") as z:
        zarr5.copy_all(s, z)
    with zarr5.File(mid, "r") as z:
        refs = z["a_refs"][...]
        assert all(isinstance(r, Reference) for r in refs)
        assert [z[r].name for r in refs[:3]] == ["/g/x", "/g", "/y"] and not refs[3]
        assert z[z["scalar"][()]].name == "/g/x"
        assert z["a_refs"]._state.attrs("a_refs").get_reserved(R_INCOMPLETE) is None
    with zarr5.File(mid, "r") as z, h5py.File(back, "w") as b:
        zarr5.copy_all(z, b)
    with h5py.File(back, "r") as b:
        assert h5py.check_dtype(ref=b["a_refs"].dtype) is h5py.Reference
        refs = b["a_refs"][...]
        assert [b[r].name for r in refs[:3]] == ["/g/x", "/g", "/y"] and not refs[3]
        assert b[b["scalar"][()]].name == "/g/x"
        assert np.array_equal(b[refs[0]][...], np.arange(4))


def test_uncopied_target_becomes_null(tmp_path) -> None:
    src, mid = str(tmp_path / "s.h5"), str(tmp_path / "m.zarr")
    _make(src)
    lines: list[str] = []
    with h5py.File(src, "r") as s, zarr5.File(mid, "w") as z:
        zarr5.copy(s["a_refs"], z, log=lines.append)
        refs = z["a_refs"][...]
        assert not any(refs)
    assert any("not copied" in line for line in lines)


def _make_regions(path: str) -> None:
    """Region references of every HDF5 selection kind, and attributes holding references."""
    data = np.arange(12 * 10).reshape(12, 10)
    with h5py.File(path, "w", track_order=True) as f:
        regs = f.create_dataset("a_regions", shape=(6,), dtype=h5py.regionref_dtype)  # before its target
        x = f.create_dataset("x", data=data)
        regs[0] = x.regionref[2:8, 1:10:3]  # regular hyperslab
        regs[1] = x.regionref[...]  # all
        regs[2] = x.regionref[data % 5 == 0]  # points
        regs[3] = x.regionref[[0, 1, 4, 5], :3]  # irregular hyperslab: a block list
        regs[4] = x.regionref[:0]  # none
        f.attrs["first"] = 1
        f.attrs["region"] = x.regionref[3:5, 2]
        f.attrs.create("refs", [x.ref, f.ref, h5py.Reference()], dtype=h5py.ref_dtype)
        f.attrs["last"] = 2
        x.attrs["self"] = x.ref


def _check_regions(f: object, data: np.ndarray) -> None:
    regs = f["a_regions"][...]
    x = f["x"]
    expected = [data[2:8, 1:10:3], data, data[data % 5 == 0], data[[0, 1, 4, 5], :3]]
    for ref, want in zip(regs, expected):
        assert f[ref].name == "/x"
        np.testing.assert_array_equal(x[ref], want)
    assert x[regs[4]].size == 0 and not regs[5]
    assert list(f.attrs) == ["first", "region", "refs", "last"]  # creation order kept
    np.testing.assert_array_equal(x[f.attrs["region"]], data[3:5, 2:3])
    refs = f.attrs["refs"]
    assert f[refs[0]].name == "/x" and f[refs[1]].name == "/" and not refs[2]
    assert f[x.attrs["self"]].name == "/x"


def test_regions_and_reference_attributes_round_trip(tmp_path) -> None:
    src, mid, back = str(tmp_path / "s.h5"), str(tmp_path / "m.zarr"), str(tmp_path / "b.h5")
    _make_regions(src)
    data = np.arange(12 * 10).reshape(12, 10)
    with h5py.File(src, "r") as s, zarr5.File(mid, "w") as z:
        zarr5.copy_all(s, z)
    with zarr5.File(mid, "r") as z:
        _check_regions(z, data)
    with zarr5.File(mid, "r") as z, h5py.File(back, "w", track_order=True) as b:
        zarr5.copy_all(z, b)
    with h5py.File(src, "r") as s, h5py.File(back, "r") as b:
        _check_regions(b, data)
        for a, c in zip(s["a_regions"][...], b["a_regions"][...]):
            # the same HDF5 selection kind and points, not only the same values
            sa, sc = h5py.h5r.get_region(a, s["x"].id), h5py.h5r.get_region(c, b["x"].id) if c else None
            if sc is None:
                assert not a
                continue
            assert sa.get_select_type() == sc.get_select_type()
            assert sa.get_select_npoints() == sc.get_select_npoints()


def test_references_inside_compounds_round_trip(tmp_path) -> None:
    row = np.dtype([("start", "i8"), ("count", "i8"), ("target", h5py.ref_dtype)])
    src, mid, back = str(tmp_path / "s.h5"), str(tmp_path / "m.zarr"), str(tmp_path / "b.h5")
    with h5py.File(src, "w") as f:
        table = f.create_dataset("a_table", shape=(3,), dtype=row)  # listed before its targets
        x = f.create_dataset("x", data=np.arange(3))
        table[0], table[1] = (0, 2, x.ref), (2, 3, f.ref)
        x.attrs.create("row", np.array([(1, 1, x.ref)], dtype=row)[0], dtype=row)
    with h5py.File(src, "r") as s, zarr5.File(mid, "w") as z:
        zarr5.copy_all(s, z)
    with zarr5.File(mid, "r") as z:
        rows = z["a_table"][...]
        assert [int(r["start"]) for r in rows] == [0, 2, 0]
        assert z[rows[0]["target"]].name == "/x" and z[rows[1]["target"]].name == "/"
        assert not rows[2]["target"]
        assert z[z["x"].attrs["row"]["target"]].name == "/x"
    with zarr5.File(mid, "r") as z, h5py.File(back, "w") as b:
        zarr5.copy_all(z, b)
    with h5py.File(back, "r") as b:
        rows = b["a_table"][...]
        assert h5py.check_dtype(ref=b["a_table"].dtype["target"]) is h5py.Reference
        assert b[rows[0]["target"]].name == "/x" and b[rows[1]["target"]].name == "/"
        assert not rows[2]["target"]
        assert b[b["x"].attrs["row"]["target"]].name == "/x"
