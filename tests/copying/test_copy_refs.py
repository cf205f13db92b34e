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
