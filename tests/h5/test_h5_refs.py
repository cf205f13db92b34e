"""Object reference datasets: ``ref_dtype`` datasets store target paths; reading gives References."""

from __future__ import annotations

import numpy as np
import pytest
from h5_differential import check

import zarr5
from zarr5.h5.refs import Reference


def _snippet(h5, path):
    with h5.File(path, "w") as f:
        g = f.create_group("g")
        x = g.create_dataset("x", data=np.arange(3))
        refs = f.create_dataset("refs", shape=(3,), dtype=h5.ref_dtype)
        refs[0] = x.ref
        refs[1] = g.ref
        scalar = f.create_dataset("scalar", data=x.ref, dtype=h5.ref_dtype)
        from_data = f.create_dataset("from_data", data=[g.ref, x.ref], dtype=h5.ref_dtype)
        return [h5.check_dtype(ref=refs.dtype).__name__, refs.shape, [bool(r) for r in refs[...]],
                f[refs[0]].name, f[refs[1]].name, f[refs[0]][...], f[scalar[()]].name,
                [f[r].name for r in from_data[...]], type(refs[2]).__name__]


def test_refs_same_as_h5py(tmp_path) -> None:
    check(_snippet, tmp_path)


def test_storage_and_reopen(tmp_path) -> None:
    path = str(tmp_path / "r.zarr")
    with zarr5.File(path, "w") as f:
        f.create_group("a/b")
        f.create_dataset("refs", data=[f["a/b"].ref, Reference()], dtype=zarr5.ref_dtype)
    with zarr5.File(path, "r") as f:
        refs = f["refs"]
        assert zarr5.check_dtype(ref=refs.dtype) is Reference
        values = refs[...]
        assert all(isinstance(r, Reference) for r in values)
        assert f[values[0]].name == "/a/b" and not values[1]
        assert f.attrs.keys() is not None
    zarr2 = pytest.importorskip("zarr")
    raw = zarr2.open_array(path + "/refs", mode="r")
    assert list(raw[:]) == ["/a/b", ""]  # absolute names: "/" is the root, "" a null reference
    assert raw.filters[0].codec_id == "vlen-utf8"
    assert raw.attrs["_zarr5_h5type"] == {"ref": "object"}


def test_bad_values(tmp_path) -> None:
    with zarr5.File(str(tmp_path / "a.zarr"), "w") as f, zarr5.File(str(tmp_path / "b.zarr"), "w") as other:
        refs = f.create_dataset("refs", shape=(2,), dtype=zarr5.ref_dtype)
        with pytest.raises(ValueError):
            refs[0] = other.create_group("g").ref
        with pytest.raises(TypeError):
            refs[0] = "g"
        regions = f.create_dataset("region", shape=(2,), dtype=zarr5.regionref_dtype)
        with pytest.raises(TypeError, match="convert"):
            regions[0] = f.ref  # an object reference is not a region
        with pytest.raises(TypeError, match="convert"):
            refs[0] = regions.regionref[:1]
        assert not refs[0] and not refs[1] and not regions[0]
